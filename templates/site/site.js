// pm site: sorting, filters and search for the incident tables. Without
// JavaScript every table is paged (index.html, index-2.html, …) and every
// incident is reached by the numbered pages. It never builds HTML from
// data: text goes in through textContent.
//
// On the index the page holds only the newest rows. The first search,
// filter or sort loads assets/catalog.js (every incident's row data) and,
// for a search, assets/search-N.js (the text of the incidents, in parts);
// a page opened from disk cannot fetch a file beside it, but it can run a
// script. Search, filters and sort live in the address (index.html?q=…),
// so a search can be shared and the back button undoes it.
(function () {
  "use strict";
  var table = document.getElementById("incidents");
  if (!table || !table.tBodies.length) return;
  var body = table.tBodies[0];
  var heads = table.tHead ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];
  var form = document.getElementById("filters");
  var me = document.currentScript && document.currentScript.src;
  var assets = me ? me.replace(/site\.js(\?.*)?$/, "") : "assets/";
  var root = assets.replace(/assets\/$/, "");

  // Every sortable column header becomes a button.
  heads.forEach(function (th, col) {
    if (!th.getAttribute("data-sort")) return;
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(b);
    b.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      if (form) {
        state.sort = th.getAttribute("data-col");
        state.dir = asc ? "asc" : "desc";
        commit(true);
      } else {
        showSort(state.sort = th.getAttribute("data-col"), asc);
        sortRows(col, th.getAttribute("data-sort"), asc);
      }
    });
  });

  function showSort(colName, asc) {
    heads.forEach(function (h) {
      if (h.getAttribute("data-col") === colName) h.setAttribute("aria-sort", asc ? "ascending" : "descending");
      else h.removeAttribute("aria-sort");
    });
  }

  // Rows without a value (an unresolved incident's time to resolve) go
  // last in either direction; ties keep the newest first.
  function compare(a, b, dir) {
    if (a.k === null || b.k === null) {
      if (a.k === b.k) return a.i - b.i;
      return a.k === null ? 1 : -1;
    }
    if (a.k < b.k) return -dir;
    if (a.k > b.k) return dir;
    return a.i - b.i;
  }

  // A service or tag page sorts the rows it has.
  function sortRows(col, kind, asc) {
    var keyed = Array.prototype.map.call(body.rows, function (row, i) {
      var cell = row.cells[col];
      var v = cell ? cell.getAttribute("data-v") : "";
      if (v === null) v = cell.textContent;
      return { row: row, i: i, k: kind === "num" ? (v === "" ? null : Number(v)) : v.toLowerCase() };
    });
    keyed.sort(function (a, b) { return compare(a, b, asc ? 1 : -1); });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (x) { frag.appendChild(x.row); });
    body.appendChild(frag);
  }

  var state = {};
  if (!form) return;

  // The index: filters, search and sort over every incident.
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  var q = document.getElementById("q");
  var count = document.getElementById("count");
  var nomatch = document.getElementById("nomatch");
  var more = document.getElementById("more");
  var moreWrap = document.getElementById("more-wrap");
  var pager = document.querySelector("nav.pager");
  var total = Number(form.getAttribute("data-total")) || body.rows.length;
  var shards = Number(form.getAttribute("data-shards")) || 0;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-key]"));
  var staticRows = Array.prototype.slice.call(body.rows);
  var PAGE = 100;
  var KEYS = ["q", "status", "severity", "service", "tag", "sort", "dir"];
  var limit = PAGE;

  function fromURL() {
    var s = {};
    var p = new URLSearchParams(location.search || location.hash.replace(/^#\??/, ""));
    KEYS.forEach(function (k) { var v = p.get(k); if (v) s[k] = v; });
    return s;
  }
  function toURL(s) {
    var p = new URLSearchParams();
    KEYS.forEach(function (k) { if (s[k]) p.set(k, s[k]); });
    var qs = p.toString();
    return location.pathname + (qs ? "?" + qs : "");
  }
  function fillForm() {
    q.value = state.q || "";
    selects.forEach(function (sel) { sel.value = state[sel.name] || ""; });
    showSort(state.sort, state.dir !== "desc");
  }
  function readForm() {
    var s = { sort: state.sort, dir: state.dir };
    if (q.value.trim()) s.q = q.value.trim();
    selects.forEach(function (sel) { if (sel.value) s[sel.name] = sel.value; });
    return s;
  }

  // commit records the state in the address: a new history entry for a
  // filter or a sort and for the first keystroke of a search, the same
  // entry for the keystrokes after it.
  var typing = false;
  function commit(push) {
    var url = toURL(state);
    if (url !== location.pathname + location.search) {
      try {
        if (push || !typing) history.pushState(null, "", url);
        else history.replaceState(null, "", url);
      } catch (e) { /* an address the browser will not change: the state still applies */ }
    }
    typing = !push;
    limit = PAGE;
    run();
  }

  // Typing searches as soon as the browser is idle once the index is in
  // (a search of 10,000 incidents takes tens of milliseconds, and keys
  // that arrive meanwhile make one search, not one each); while it is
  // still loading, after a 50 ms pause.
  var timer = 0;
  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state = readForm(); commit(false); }, partsIn === shards ? 0 : 50);
  });
  selects.forEach(function (s) { s.addEventListener("change", function () { state = readForm(); commit(true); }); });
  more.addEventListener("click", function () { limit += PAGE; run(); });
  window.addEventListener("popstate", function () { state = fromURL(); typing = false; limit = PAGE; fillForm(); run(); });

  // Loading the catalog and the search index, once each.
  var cat = null, docs = [], loading = {}, lowTitle = [], lowSummary = [];
  window.PM_CATALOG = function (c) {
    cat = c;
    c.rows.forEach(function (r) { lowTitle.push(r[1].toLowerCase()); lowSummary.push(r[10].toLowerCase()); });
  };
  var parts = [];
  window.PM_SEARCH_SHARD = function (k, texts) { parts[k] = texts; };
  function load(name, done) {
    if (loading[name]) { loading[name].push(done); return; }
    loading[name] = [done];
    var s = document.createElement("script");
    s.src = assets + name;
    s.onload = function () { loading[name].forEach(function (f) { f(true); }); };
    s.onerror = function () { loading[name].forEach(function (f) { f(false); }); };
    document.head.appendChild(s);
  }
  function needCatalog(then) {
    if (cat) return then();
    count.textContent = "Loading…";
    load("catalog.js", function (ok) { if (ok && cat) then(); else count.textContent = "The list of incidents did not load."; });
  }
  // needSearch loads the parts of the search index, the newest incidents'
  // first, and calls then as parts arrive (at most every 150 ms, and once
  // all are in): the first results show while older parts still load.
  var partsIn = 0, searchStarted = false, onPart = null, pending = 0;
  var shardSize = Number(form.getAttribute("data-shard-size")) || 1000;
  function needSearch(then) {
    if (partsIn === shards) return then();
    onPart = then;
    if (searchStarted) return;
    searchStarted = true;
    count.textContent = "Loading the search index…";
    // The newest part alone first, so that it is not parsed after the rest.
    load("search-0.js", function (ok) {
      arrived(0)(ok);
      for (var k = 1; ok && k < shards; k++) load("search-" + k + ".js", arrived(k));
    });
  }
  function arrived(k) {
    return function (ok) {
      if (!ok || !parts[k]) { count.textContent = "The search index did not load."; return; }
      parts[k].forEach(function (t, j) {
        var nl = t.indexOf("\n");
        var text = nl < 0 ? t : t.slice(0, nl);
        docs[k * shardSize + j] = { text: text, low: text.toLowerCase(), words: nl < 0 ? "" : t.slice(nl + 1) };
      });
      parts[k] = null;
      partsIn++;
      if (partsIn === shards) {
        clearTimeout(pending);
        pending = 0;
        if (onPart) onPart();
      } else if (!pending) {
        pending = setTimeout(function () { pending = 0; if (onPart && partsIn < shards) onPart(); }, 150);
      }
    };
  }


  function empty(s) { return KEYS.every(function (k) { return !s[k] || k === "dir"; }); }

  function run() {
    if (empty(state)) return showStatic();
    needCatalog(function () {
      if (state.q) needSearch(show); else show();
    });
  }

  function showStatic() {
    if (body.rows.length !== staticRows.length || body.rows[0] !== staticRows[0]) {
      var frag = document.createDocumentFragment();
      staticRows.forEach(function (r) { frag.appendChild(r); });
      body.textContent = "";
      body.appendChild(frag);
    }
    if (pager) pager.hidden = false;
    moreWrap.hidden = true;
    nomatch.hidden = true;
    count.textContent = total + " incidents";
  }

  // The query: words match at the start of a word (so "mem" finds
  // "memory", and "mem*" says so), "quoted words" only side by side, and
  // a token like 10.0.0.1 or error-rate as the phrase of its parts.
  var WORD = /[\p{L}\p{N}]+/gu;
  var SEP = "[^\\p{L}\\p{N}]+";
  function escRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  function parse(query) {
    var terms = [], re = /"([^"]*)"?|(\S+)/g, m;
    while ((m = re.exec(query))) {
      var phrase = m[1] !== undefined;
      var ws = (phrase ? m[1] : m[2]).toLowerCase().match(WORD);
      if (!ws) continue;
      terms.push({
        text: ws.join(" "), first: ws[0], phrase: phrase || ws.length > 1,
        rest: ws.length > 1 ? new RegExp(ws.slice(1).map(function (w) { return SEP + escRe(w); }).join(""), "uy") : null
      });
    }
    return terms;
  }

  // score ranks an incident for the query, 0 when a term is missing: a
  // term in the title counts most, then in the summary, then each time it
  // occurs in the text (up to five); a whole word more than a prefix.
  function score(i, terms, hit) {
    var d = docs[i], total = 0;
    for (var t = 0; t < terms.length; t++) {
      var term = terms[t], s = 0, f;
      if ((f = find(lowTitle[i], term, 0))) s += f[2] ? 12 : 8;
      if ((f = find(lowSummary[i], term, 0))) s += f[2] ? 4 : 3;
      var n = 0, exact = false;
      for (var from = 0; n < 5 && (f = find(d.low, term, from)); from = f[0] + f[1]) {
        if (n === 0) hit[t] = f;
        exact = exact || f[2];
        n++;
      }
      s += n + (exact ? 1 : 0);
      // The list of words after the text: beyond the text's end, and the
      // id, services and people (a phrase finds 2026-11-19 in an id).
      if (n === 0 && find(d.words, term, 0)) s += 1;
      if (s === 0) return 0;
      total += s;
    }
    return total;
  }

  // find returns where the term starts a word in s, at from or after:
  // [position, length, whether it ends the word too], or null. It looks
  // for the first word with indexOf, many times faster than an expression
  // that has to check every character for a word's start.
  var WCH = /[\p{L}\p{N}]/u;
  function find(s, term, from) {
    var w = term.first;
    for (var p = s.indexOf(w, from); p >= 0; p = s.indexOf(w, p + 1)) {
      if (p > 0 && WCH.test(s.charAt(p - 1))) continue;
      var len = w.length;
      if (term.rest) {
        term.rest.lastIndex = p + len;
        var m = term.rest.exec(s);
        if (!m) continue;
        len += m[0].length;
      }
      return [p, len, !WCH.test(s.charAt(p + len))];
    }
    return null;
  }

  function keyOf(i, col) {
    var r = cat.rows[i];
    switch (col) {
      case "started": return r[3] || null;
      case "title": return r[1].toLowerCase();
      case "severity": return r[4] < 0 ? 1e9 : cat.sevRank[r[4]];
      case "status": return cat.statuses[r[5]];
      case "services": return r[6].map(function (k) { return cat.services[k]; }).join("\n").toLowerCase();
      case "ttr": return r[8] < 0 ? null : r[8];
    }
    return i;
  }

  function show() {
    var terms = state.q ? parse(state.q) : [];
    var want = [];
    if (state.status) want.push(function (r) { return cat.statuses[r[5]] === state.status; });
    if (state.severity) want.push(function (r) { return r[4] >= 0 && cat.sevs[r[4]] === state.severity; });
    if (state.service) want.push(function (r) { return r[6].some(function (k) { return cat.services[k] === state.service; }); });
    if (state.tag) want.push(function (r) { return r[7].some(function (k) { return cat.tags[k] === state.tag; }); });
    var hits = [];
    for (var i = 0; i < cat.rows.length; i++) {
      var r = cat.rows[i];
      if (!want.every(function (f) { return f(r); })) continue;
      var h = { i: i, s: 1, at: [] };
      if (terms.length && (!docs[i] || !(h.s = score(i, terms, h.at)))) continue;
      hits.push(h);
    }
    if (state.sort) {
      var dir = state.dir === "desc" ? -1 : 1;
      hits.forEach(function (h) { h.k = keyOf(h.i, state.sort); });
      hits.sort(function (a, b) { return compare(a, b, dir); });
    } else if (terms.length) {
      hits.sort(function (a, b) { return b.s - a.s || a.i - b.i; });
    }
    showSort(state.sort, state.dir !== "desc");
    var frag = document.createDocumentFragment();
    hits.slice(0, limit).forEach(function (h) { frag.appendChild(rowOf(h, terms)); });
    body.textContent = "";
    body.appendChild(frag);
    if (pager) pager.hidden = true;
    moreWrap.hidden = hits.length <= limit;
    if (!moreWrap.hidden) more.textContent = "Show " + Math.min(PAGE, hits.length - limit) + " more of " + (hits.length - limit);
    var partial = terms.length > 0 && partsIn < shards;
    count.textContent = partial ? hits.length + " so far, searching " + Math.min(partsIn * shardSize, cat.rows.length) + " of " + cat.rows.length + " incidents…"
      : hits.length + " of " + cat.rows.length + " incidents" + (terms.length && !state.sort && hits.length > 1 ? ", best match first" : "");
    nomatch.hidden = hits.length > 0 || partial;
    if (!hits.length) {
      nomatch.textContent = state.q ? "No incidents match \u201c" + state.q + "\u201d" + (want.length ? " with these filters." : ".") + " Try fewer words, a shorter prefix, or no quotes."
        : "No incidents match these filters.";
    }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function link(href, cls, text) {
    var a = el("a", cls, text);
    a.href = href;
    return a;
  }
  function cell(tr, v, cls) {
    var td = el("td", cls);
    td.setAttribute("data-v", v);
    tr.appendChild(td);
    return td;
  }

  // snippet is the text around the first hit of the query, the hit marked.
  function snippet(h, terms) {
    var d = docs && docs[h.i];
    for (var t = 0; d && t < terms.length; t++) {
      if (!h.at[t]) continue;
      var at = h.at[t][0], len = h.at[t][1];
      var from = Math.max(0, at - 70), to = Math.min(d.text.length, at + len + 110);
      var sp = d.text.indexOf(" ", from);
      if (from > 0 && sp >= 0 && sp < at) from = sp + 1; // start and end at a space, not in a word
      sp = d.text.lastIndexOf(" ", to);
      if (to < d.text.length && sp > at + len) to = sp;
      var span = el("span", "summary snippet");
      span.appendChild(document.createTextNode((from > 0 ? "…" : "") + d.text.slice(from, at)));
      span.appendChild(el("mark", "", d.text.slice(at, at + len)));
      span.appendChild(document.createTextNode(d.text.slice(at + len, to) + (to < d.text.length ? "…" : "")));
      return span;
    }
    return null;
  }

  // rowOf writes the row the page would have for the incident.
  function rowOf(h, terms) {
    var r = cat.rows[h.i];
    var tr = el("tr");
    var sev = r[4] >= 0 ? cat.sevs[r[4]] : "", status = cat.statuses[r[5]];
    var td = cell(tr, String(r[3]), "nowrap");
    if (r[2]) td.appendChild(el("time", "", r[2])).setAttribute("datetime", new Date(r[3] * 1000).toISOString().replace(".000Z", "Z"));
    td = cell(tr, r[1]);
    td.appendChild(link(root + "incidents/" + r[0] + ".html", "title", r[1]));
    var snip = terms.length ? snippet(h, terms) : null;
    if (snip) td.appendChild(snip);
    else if (r[10]) td.appendChild(el("span", "summary", r[10]));
    if (r[7].length) {
      var tags = el("span", "tags");
      r[7].forEach(function (k) { tags.appendChild(link(root + cat.tagHref[k], "tag", cat.tags[k])); tags.appendChild(document.createTextNode(" ")); });
      td.appendChild(tags);
    }
    td = cell(tr, String(r[4] < 0 ? "" : cat.sevRank[r[4]]));
    if (sev) td.appendChild(el("span", "sev " + cat.sevClass[r[4]], sev));
    td = cell(tr, status);
    td.appendChild(el("span", "status st-" + status, status));
    td = cell(tr, r[6].map(function (k) { return cat.services[k]; }).join("\n"));
    r[6].forEach(function (k, n) {
      if (n > 0) td.appendChild(document.createTextNode(", "));
      td.appendChild(link(root + cat.svcHref[k], "", cat.services[k]));
    });
    td = cell(tr, r[8] < 0 ? "" : String(r[8]), "nowrap num");
    if (r[9]) td.textContent = r[9];
    else td.appendChild(el("span", "muted", "\u2014"));
    return tr;
  }

  state = fromURL();
  fillForm();
  run();
})();

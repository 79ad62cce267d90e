// pm site: sorting, filters and search for the incident tables. Without
// JavaScript every table is shown whole; this only hides and orders rows.
// It never builds HTML from data: text goes in through textContent.
(function () {
  "use strict";
  var table = document.getElementById("incidents");
  if (!table || !table.tBodies.length) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var index = window.PM_SEARCH || [];
  var items = rows.map(function (row, i) {
    var text = typeof index[i] === "string" ? index[i] : row.textContent.toLowerCase();
    return {
      row: row,
      text: text,
      status: row.getAttribute("data-status") || "",
      severity: row.getAttribute("data-severity") || "",
      services: (row.getAttribute("data-services") || "").split("\n"),
      tags: (row.getAttribute("data-tags") || "").split("\n")
    };
  });

  // Sorting: every column header becomes a button.
  var heads = table.tHead ? table.tHead.rows[0].cells : [];
  Array.prototype.forEach.call(heads, function (th, col) {
    var kind = th.getAttribute("data-sort");
    if (!kind) return;
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(b);
    b.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      sortBy(col, kind, asc);
    });
  });

  function key(item, col, kind) {
    var cell = item.row.cells[col];
    var v = cell ? cell.getAttribute("data-v") : "";
    if (v === null) v = cell.textContent;
    if (kind === "num") return v === "" ? null : Number(v);
    return v.toLowerCase();
  }

  function sortBy(col, kind, asc) {
    var dir = asc ? 1 : -1;
    var keyed = items.map(function (it, i) { return { it: it, k: key(it, col, kind), i: i }; });
    keyed.sort(function (a, b) {
      // Rows without a value (an unresolved incident's time to resolve) go last either way.
      if (a.k === null || b.k === null) {
        if (a.k === b.k) return a.i - b.i;
        return a.k === null ? 1 : -1;
      }
      if (a.k < b.k) return -dir;
      if (a.k > b.k) return dir;
      return a.i - b.i;
    });
    items = keyed.map(function (x) { return x.it; });
    var frag = document.createDocumentFragment();
    items.forEach(function (it) { frag.appendChild(it.row); });
    body.appendChild(frag);
  }

  // Filters and search exist on the index only.
  var form = document.getElementById("filters");
  if (!form) return;
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  var q = document.getElementById("q");
  var count = document.getElementById("count");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-key]"));

  function apply() {
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var want = selects.map(function (s) { return { key: s.getAttribute("data-key"), value: s.value }; })
      .filter(function (w) { return w.value !== ""; });
    var shown = 0;
    items.forEach(function (it) {
      var ok = terms.every(function (t) { return it.text.indexOf(t) >= 0; }) &&
        want.every(function (w) {
          var v = it[w.key];
          return Array.isArray(v) ? v.indexOf(w.value) >= 0 : v === w.value;
        });
      it.row.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown === items.length ? items.length + " incidents" : shown + " of " + items.length + " incidents";
  }

  var timer = 0;
  q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, items.length > 2000 ? 120 : 0);
  });
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  apply();
})();

// pm site: draws the incident's ```mermaid blocks with the vendored
// mermaid (loaded just before this script, only on pages that have a
// diagram). Until it has drawn them, and without JavaScript, the reader
// sees each diagram's source. "strict" keeps labels as text and drops
// click handlers: diagrams are written by incident authors, not trusted.
(function () {
  "use strict";
  if (!window.mermaid) return;
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", htmlLabels: false, flowchart: { htmlLabels: false }, theme: dark ? "dark" : "default" });
  window.mermaid.run({ querySelector: "pre.mermaid" }).then(function () {
    document.documentElement.setAttribute("data-diagrams", "drawn");
  }, function (err) {
    document.documentElement.setAttribute("data-diagrams", "failed");
    if (window.console) console.warn("pm site: a diagram could not be drawn:", err);
  });
})();

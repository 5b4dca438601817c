/* Search in the static site (govkg site): the index is static/search-index.js, loaded
   before this script on the static search page only. On the server the page already
   holds its results and this script does nothing. Results are built as DOM nodes
   (text nodes and <mark>), never from HTML strings, so nothing from the data runs. */
(function () {
  "use strict";
  var entries = window.GOVKG_SEARCH;
  var target = document.getElementById("search-results");
  if (!entries || !target) { return; }
  var params = new URLSearchParams(window.location.search);
  var fields = { q: "search-q", council: "search-council", kind: "search-kind",
                 document: "search-document", principle: "search-principle" };
  Object.keys(fields).forEach(function (name) {
    var field = document.getElementById(fields[name]);
    if (field && params.get(name)) { field.value = params.get(name); }
  });
  function fold(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var words = fold(params.get("q")).match(/[\p{L}\p{N}_]+/gu) || [];
  if (!words.length) { return; }
  function count(text, word) {
    var n = 0, at = text.indexOf(word);
    while (at !== -1) { n += 1; at = text.indexOf(word, at + word.length); }
    return n;
  }
  var hits = [];
  entries.forEach(function (entry) {
    if (params.get("council") && entry.council !== params.get("council")) { return; }
    if (params.get("kind") && entry.kind !== params.get("kind")) { return; }
    if (params.get("document") && entry.documentKind !== params.get("document")) { return; }
    if (params.get("principle") && entry.principles.indexOf(params.get("principle")) < 0) { return; }
    var label = fold(entry.label), body = fold(entry.body), score = 0;
    for (var i = 0; i < words.length; i += 1) {
      var inLabel = count(label, words[i]), inBody = count(body, words[i]);
      if (!inLabel && !inBody) { return; }
      score += 10 * inLabel + inBody;
    }
    hits.push({ entry: entry, score: score });
  });
  hits.sort(function (a, b) { return b.score - a.score; });
  function marked(parent, text) {
    var folded = fold(text), at = 0;
    while (at < text.length) {
      var next = -1, length = 0;
      words.forEach(function (word) {
        var found = folded.indexOf(word, at);
        if (found !== -1 && (next === -1 || found < next)) { next = found; length = word.length; }
      });
      if (next === -1) { parent.appendChild(document.createTextNode(text.slice(at))); return; }
      parent.appendChild(document.createTextNode(text.slice(at, next)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + length);
      parent.appendChild(mark);
      at = next + length;
    }
  }
  function snippet(body) {
    var folded = fold(body), first = -1;
    words.forEach(function (word) {
      var found = folded.indexOf(word);
      if (found !== -1 && (first === -1 || found < first)) { first = found; }
    });
    if (first === -1) { return ""; }
    var start = Math.max(0, first - 80);
    return (start > 0 ? "…" : "") + body.slice(start, start + 200) +
      (start + 200 < body.length ? "…" : "");
  }
  var base = window.GOVKG_BASE || document.documentElement.getAttribute("data-base") ||
    "https://w3id.org/govkg/";
  var status = document.createElement("p");
  status.id = "result-count";
  status.setAttribute("role", "status");
  status.textContent = hits.length + (hits.length === 1 ? " result" : " results") + " for " +
    params.get("q") + (hits.length > 50 ? ", showing the best 50." : ".");
  target.appendChild(status);
  var list = document.createElement("ol");
  list.className = "results";
  hits.slice(0, 50).forEach(function (hit) {
    var entry = hit.entry, item = document.createElement("li");
    item.className = "hit";
    var kind = document.createElement("p");
    kind.className = "kind";
    kind.textContent = entry.kindLabel + (entry.councilLabel && entry.kind !== "council" ?
      " · " + entry.councilLabel : "");
    var heading = document.createElement("h2"), link = document.createElement("a");
    heading.className = "hit-title";
    link.href = entry.iri.slice(base.length) + ".html";
    marked(link, entry.label);
    heading.appendChild(link);
    item.appendChild(kind);
    item.appendChild(heading);
    var text = snippet(entry.body);
    if (text) {
      var quote = document.createElement("blockquote");
      quote.className = "quote";
      marked(quote, text);
      item.appendChild(quote);
    }
    list.appendChild(item);
  });
  target.appendChild(list);
}());

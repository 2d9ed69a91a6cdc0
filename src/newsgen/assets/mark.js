/* newsgen search: on an article page opened from a search result (…/a/x.html#q=…), mark what
 * was searched for in the article, and scroll the first mark into view.
 *
 * The search page adds the query to each result's link as "#q=<query>"; a fragment is never
 * sent to a server and works on file://. The query is split at spaces; each part is found as
 * search.js finds it (each character NFKC-normalised and lower-cased), inside one text node
 * of the article. Nothing is fetched; without a query nothing happens.
 */
(function () {
  'use strict';
  var doc = document;
  function query() {
    var m = /(?:^#|&)q=([^&]*)/.exec(window.location.hash);
    if (!m) return '';
    try { return decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (e) { return ''; }
  }
  function norm(c) { return c < '\x80' ? c.toLowerCase() : c.normalize('NFKC').toLowerCase(); }
  // Normalised text, and for each of its code units the offset of the source character.
  function mapped(text) {
    var out = '', map = [], at = 0;
    for (var ch of text) {
      var n = norm(ch);
      out += n;
      for (var k = 0; k < n.length; k++) map.push(at);
      at += ch.length;
    }
    map.push(at);
    return { s: out, map: map };
  }
  function spans(text, parts) {
    var m = mapped(text), found = [];
    parts.forEach(function (p) {
      for (var at = m.s.indexOf(p); at >= 0; at = m.s.indexOf(p, at + p.length)) {
        found.push([m.map[at], m.map[at + p.length]]);
      }
    });
    found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var out = [], end = -1;
    found.forEach(function (s) { if (s[0] >= end) { out.push(s); end = s[1]; } });
    return out;
  }
  function markNode(node, parts) {
    var text = node.nodeValue, found = spans(text, parts);
    if (!found.length) return [];
    var frag = doc.createDocumentFragment(), pos = 0, marks = [];
    found.forEach(function (s) {
      if (s[0] > pos) frag.appendChild(doc.createTextNode(text.slice(pos, s[0])));
      var mark = doc.createElement('mark');
      mark.className = 'search-hit';
      mark.textContent = text.slice(s[0], s[1]);
      frag.appendChild(mark);
      marks.push(mark);
      pos = s[1];
    });
    if (pos < text.length) frag.appendChild(doc.createTextNode(text.slice(pos)));
    node.parentNode.replaceChild(frag, node);
    return marks;
  }
  function run() {
    var q = query(), root = doc.querySelector('article') || doc.querySelector('main');
    if (!q || !root) return;
    var parts = mapped(q).s.split(/\s+/).filter(Boolean);
    if (!parts.length) return;
    var walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT), nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var marks = [];
    nodes.forEach(function (n) { marks = marks.concat(markNode(n, parts)); });
    if (marks.length && marks[0].scrollIntoView) marks[0].scrollIntoView({ block: 'center' });
    doc.documentElement.setAttribute('data-search-marks', String(marks.length));
  }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', run);
  else run();
})();

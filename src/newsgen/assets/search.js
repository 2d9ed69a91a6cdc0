/* newsgen search: client-side Chinese full-text search that works from disk (file://) and http.
 *
 * Index files are classic scripts that register themselves (newsgenSearch.m/a/s/z, written by
 * newsgen/index/files.py; shards and packs deflated, inflated by DecompressionStream), so
 * nothing here needs fetch, XHR, modules, workers or wasm.
 * A query is split at spaces into requirements; each must occur in an article as typed
 * (letters lower-cased). A requirement's runs of letters/digits are looked up as character
 * bigrams (a one-character run as a prefix scan; a stop bigram, in a quarter of the archive or
 * more, only when the run has no other), only in the shards those terms hash to;
 * the postings are expanded into a small lunr index (lunr.Index.load) that ranks with lunr's
 * own scoring; requirements longer than one bigram are then verified against the text in each
 * shown result's text (its document's pack), so a result always contains what was typed.
 * A requirement that is a whole district or year of the archive (上街区, 2024, 2024年) is a fact
 * word: an article answers it by its district or year (search/filters/, loaded only then) as
 * well as by its text; those whose text holds every fact word rank first, as they always did.
 *
 * API: window.newsgen.search(query, {limit, district, year, paper, from, to, sort})
 * → Promise<[{url, title, score, date}]> (url relative to the site root, best first; date
 * "2024-7-4" with unknown parts empty, as the site dates the article; from/to:
 * "2024-07", a range of months; sort: "relevance" (default), "newest" or "oldest").
 */
(function () {
  'use strict';
  var win = window, doc = document;
  var self = doc.currentScript && doc.currentScript.src;
  var BASE = self ? self.slice(0, self.lastIndexOf('/') + 1) : 'search/';
  var NS = (win.newsgenSearch = win.newsgenSearch || {});
  var manifest = null, shardText = {}, shardTerms = {}, postingCache = new Map(), frags = {};
  var loads = {}, filters = {}, stop = new Set(), packs = {}, inflating = {};
  var WORD = /[\p{L}\p{N}]/u, GAP = '\u00b7';
  var DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var VALUE = new Int8Array(128);
  for (var i = 0; i < 64; i++) VALUE[DIGITS.charCodeAt(i)] = i;

  NS.m = function (m) { manifest = m; };
  NS.a = function (field, runs) { filters[field] = runs; };
  // A shard (newsgen/index/files.py, shard_file): its entries, deflated; once the script
  // has run, inflating[id] says when they are in.
  NS.s = function (id, size, text) {
    inflating[id] = inflate(size, text, 'utf-8').then(function (entries) { shardText[id] = entries; });
  };
  // A pack of documents (newsgen/index/files.py, pack_file): their records as JSON in UTF-16LE,
  // deflated; once the script has run, packs[first] says when its records are in.
  NS.z = function (first, size, text) {
    packs[first] = inflate(size, text, 'utf-16le').then(function (json) { addRecords(first, JSON.parse(json)); });
  };
  // A deflated data file's payload (files.py, deflated): `size` bytes of zlib, 15 bits to a
  // character from U+3400, inflated by the browser's own DecompressionStream, then decoded.
  function inflate(size, text, encoding) {
    var bytes = new Uint8Array(size), acc = 0, bits = 0, o = 0;
    for (var k = 0; k < text.length && o < size; k++) {
      acc = (acc << 15) | (text.charCodeAt(k) - 0x3400);
      bits += 15;
      while (bits >= 8 && o < size) { bits -= 8; bytes[o++] = (acc >>> bits) & 255; }
      acc &= (1 << bits) - 1;
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
    return new Response(stream).arrayBuffer().then(function (buf) { return new TextDecoder(encoding).decode(buf); });
  }
  // A shard, and its group's tail file (newsgen/index/tail.py) when the index has a tail:
  // the newest documents' postings, which follow the shard's.
  function loadShard(id) {
    var tail = tailOf(id), names = tail ? [id, tail] : [id];
    return Promise.all(names.map(function (name) { return load('s/' + name + '.js'); })).then(function () {
      return Promise.all(names.map(function (name) { return inflating[name]; }));
    });
  }
  function tailOf(id) {
    var t = manifest.tail;
    return t ? 't' + (Number(id.slice(0, id.indexOf('-'))) % t.files) : null;
  }
  // Pack k of the documents, inflated and its records added.
  function loadPack(k) {
    return load('d/' + k + '.js').then(function () { return packs[k * manifest.pack]; });
  }
  // A pack's records (newsgen/index/documents.py, record): [url, title, text, labels, date,
  // district, paper, headline], empty values at the end left off.
  function addRecords(first, recs) {
    recs.forEach(function (a, i) {
      var u = a[0], text = a[2] || '', labels = a[3] || '';
      frags[first + i] = {
        u: u.indexOf('/') < 0 ? 'a/' + u + '.html' : u, t: a[1], b: text,
        x: labels && text ? labels + '\n' + text : labels || text,
        d: dateLabel(a[4] || ''), ymd: a[4] || '', r: a[5] || '', p: a[6] || '', h: a[7]
      };
    });
  }
  // "2024-7-4" (unknown parts empty) → "2024年7月4日".
  function dateLabel(code) {
    if (!code) return '';
    var parts = code.split('-'), units = ['年', '月', '日'], out = '';
    for (var k = 0; k < 3; k++) if (parts[k]) out += parts[k] + units[k];
    return out;
  }

  function load(path) {
    if (loads[path]) return loads[path];
    return (loads[path] = new Promise(function (resolve, reject) {
      var s = doc.createElement('script');
      s.src = BASE + path;
      s.onload = function () { s.remove(); resolve(); };
      s.onerror = function () {
        s.remove();
        delete loads[path];
        reject(new LoadError(path));
      };
      doc.head.appendChild(s);
    }));
  }

  // A search file that did not load: the reader is told, in Chinese, what is missing and what
  // to do (the files come from a build; a page opened outside its site folder finds none).
  function LoadError(path) {
    this.name = 'LoadError';
    this.path = path;
    this.message = '找不到搜索文件 search/' + path + '。搜索索引可能缺失或不完整：' +
      '请重新生成网站（newsgen build），并从生成的网站文件夹中打开本页（或通过网站地址访问）。';
  }
  LoadError.prototype = Object.create(Error.prototype);

  var ready = null;
  function whenReady() {
    if (!ready) {
      ready = load('manifest.js').then(function () {
        if (!manifest) throw new Error('newsgen search: no manifest');
        if (!win.lunr) throw new Error('newsgen search: lunr.js is not loaded');
        if (!lunr.Pipeline.registeredFunctions[manifest.pipeline[0]]) {
          // The index's search pipeline: terms are made in full before lunr sees them.
          var identity = function (token) { return token; };
          lunr.Pipeline.registerFunction(identity, manifest.pipeline[0]);
        }
        stop = new Set(manifest.stop ? manifest.stop.split(' ') : []);
        // Each group's number of shards: one digit a group (newsgen/index/manifest.py, subshard_code).
        if (typeof manifest.sub === 'string') {
          manifest.sub = Array.from(manifest.sub, function (c) { return VALUE[c.charCodeAt(0)]; });
        }
        return manifest;
      });
      ready.catch(function () { ready = null; });
    }
    return ready;
  }

  // --- text: the same rules as newsgen/index/chars.py -------------------------------------
  var normCache = new Map();
  function normChar(c) {
    var r = normCache.get(c);
    if (r === undefined) {
      r = c < '\x80' ? c.toLowerCase() : c.normalize('NFKC').toLowerCase();
      normCache.set(c, r);
    }
    return r;
  }
  // Normalised text plus, for each of its code units, the offset of the source character.
  function normalizeMapped(text) {
    var out = [], map = [], at = 0;
    for (var ch of text) {
      var n = normChar(ch);
      out.push(n);
      for (var k = 0; k < n.length; k++) map.push(at);
      at += ch.length;
    }
    map.push(at);
    return { s: out.join(''), map: map };
  }
  function normalize(text) { return normalizeMapped(text).s; }
  // Runs of word characters (as arrays of code points), and X·Y for runs split by one mark.
  function runsOf(s) {
    var runs = [], gaps = [], cur = [], cps = Array.from(s), ended = -2;
    for (var k = 0; k < cps.length; k++) {
      if (WORD.test(cps[k])) {
        if (!cur.length && ended === k - 1 && !/\s/.test(cps[k - 1])) {
          var prev = runs[runs.length - 1];
          gaps.push(prev[prev.length - 1] + GAP + cps[k]);
        }
        cur.push(cps[k]);
      } else if (cur.length) { runs.push(cur); cur = []; ended = k; }
    }
    if (cur.length) runs.push(cur);
    runs.gaps = gaps;
    return runs;
  }
  function fnv(s) {
    var h = 0x811c9dc5;
    for (var k = 0; k < s.length; k++) { h ^= s.charCodeAt(k); h = Math.imul(h, 0x01000193); }
    return h >>> 0;
  }
  function groupOf(ch) { return fnv(ch) % manifest.groups; }
  // Shard k of group g is named "g-k" (newsgen/index/shards.py, shard_name).
  function shardOf(term) {
    var cps = Array.from(term), g = groupOf(cps[0]);
    return g + '-' + (fnv(cps[0] + (cps[1] || '')) % manifest.sub[g]);
  }
  function groupShards(g) {
    var out = [];
    for (var k = 0; k < manifest.sub[g]; k++) out.push(g + '-' + k);
    return out;
  }

  // Each document's year, district, paper and date (search/filters/<field>.js, one file a
  // field: at 100,000 articles the dates are 1.1 MB, the years 0.1 MB), each loaded when a
  // filter, an order by date or the years' histogram first needs it.
  var filterArrays = {}, ARRAY = { years: 'year', districts: 'district', papers: 'paper', dates: 'date' };
  function whenFilters(fields) {
    return Promise.all(fields.map(function (field) {
      return filterArrays[ARRAY[field]] ? null : load('filters/' + field + '.js').then(function () {
        var runs = filters[field] || [], out = new Int32Array(manifest.n), at = 0;
        for (var k = 0; k < runs.length; k += 2) { out.fill(runs[k], at, at + runs[k + 1]); at += runs[k + 1]; }
        filterArrays[ARRAY[field]] = out;
      });
    })).then(function () { return filterArrays; });
  }
  // The filter files the options need (ignoreYear: all but the year's).
  function fieldsOf(opts, ignoreYear) {
    var out = [];
    function given(k) { return opts[k] !== undefined && opts[k] !== null && opts[k] !== ''; }
    if (given('year') && !ignoreYear) out.push('years');
    if (given('district')) out.push('districts');
    if (given('paper')) out.push('papers');
    if (given('from') || given('to') || sortOf(opts)) out.push('dates');
    return out;
  }

  // --- shards and postings ---------------------------------------------------------------
  // A shard's terms → their lists: its own, and its terms found only in its tail file (with
  // no list of their own here: '').
  function termsOf(id) {
    var m = shardTerms[id];
    if (!m) {
      m = shardTerms[id] = entriesOf(id);
      var tail = tailOf(id);
      if (tail) tailTerms(tail).forEach(function (_, term) {
        if (!m.has(term) && shardOf(term) === id) m.set(term, '');
      });
    }
    return m;
  }
  function entriesOf(name) {
    var m = new Map(), text = shardText[name];
    if (text) text.split('|').forEach(function (e) {
      var sp = e.indexOf(' ');
      m.set(e.slice(0, sp), e.slice(sp + 1));
    });
    return m;
  }
  // A tail file's terms → their lists, read once however many shards' groups it holds.
  var tailEntries = {};
  function tailTerms(name) {
    return (tailEntries[name] = tailEntries[name] || entriesOf(name));
  }
  function tailList(term) {
    var tail = manifest.tail && tailOf(shardOf(term));
    return tail ? tailTerms(tail).get(term) || '' : '';
  }
  // A posting list (newsgen/index/codec.py): blocks joined by ".", each after the first opening
  // with the previous block's last document in manifest.width digits; a block is the Rice
  // parameter k, then six bits a character: per document, the gap (minus one) as Rice code,
  // a bit "tf > 1", then tf - 2 as exp-Golomb.
  function decodeList(s, from, to, first) {
    var out = { docs: [], tfs: [] }, prev = first - 1, w = manifest.width;
    while (from < to) {
      var dot = s.indexOf('.', from);
      if (dot < 0 || dot > to) dot = to;
      decodeBlock(s, from, dot, prev, out);
      if (dot >= to) break;
      prev = 0;
      for (var i = dot + 1; i <= dot + w; i++) prev = prev * 64 + VALUE[s.charCodeAt(i)];
      from = dot + 1 + w;
    }
    return out;
  }
  function decodeBlock(s, from, to, prev, out) {
    var docs = out.docs, tfs = out.tfs;
    var k = VALUE[s.charCodeAt(from)], scale = Math.pow(2, k), at = from + 1, word = 0, left = 0;
    function bit() {
      if (!left) {
        if (at >= to) return -1;
        word = VALUE[s.charCodeAt(at++)];
        left = 6;
      }
      return (word >> --left) & 1;
    }
    for (;;) {
      var q = 0, b, low = 0, i;
      while ((b = bit()) === 1) q++;
      if (b < 0) break;  // padding: an unfinished unary code
      for (i = 0; i < k; i++) low = low * 2 + bit();
      prev += 1 + q * scale + low;
      docs.push(prev);
      if (bit() === 1) {
        var zeros = 0, v = 1;
        while (bit() === 0) zeros++;
        for (i = 0; i < zeros; i++) v = v * 2 + bit();
        tfs.push(v + 1);
      } else tfs.push(1);
    }
  }
  // A term's lists in its shard, then in its tail file (whose lists count from the tail's
  // first document).
  function postings(term) {
    var p = postingCache.get(term);
    if (!p) {
      p = entryLists(termsOf(shardOf(term)).get(term), 0);
      var t = tailList(term);
      if (t) {
        var q = entryLists(t, manifest.tail.from);
        ['body', 'title'].forEach(function (f) {
          p[f] = { docs: p[f].docs.concat(q[f].docs), tfs: p[f].tfs.concat(q[f].tfs) };
        });
      }
      postingCache.set(term, p);
    }
    return p;
  }
  function entryLists(s, first) {
    var comma = s.indexOf(',');
    return comma < 0
      ? { body: decodeList(s, 0, s.length, first), title: { docs: [], tfs: [] } }
      : { body: decodeList(s, 0, comma, first), title: decodeList(s, comma + 1, s.length, first) };
  }
  function hasTerm(term) { return termsOf(shardOf(term)).has(term); }

  // --- queries ---------------------------------------------------------------------------
  function parse(query) {
    var reqs = [];
    normalize(String(query || '')).split(/\s+/).forEach(function (part) {
      var runs = part ? runsOf(part) : [];
      if (!runs.length) return;
      var exact = runs.length === 1 && runs[0].length <= 2 && runs[0].join('') === part;
      reqs.push({ text: part, runs: runs, gaps: runs.gaps, exact: exact, fact: factOf(part) });
    });
    return reqs;
  }
  // A query word that names one of the archive's districts or years ("2024", "2024年") is a fact
  // word: an article may answer it by its district or year as well as by its text (issue 24).
  // The whole word must be the name: "上街区招商" is text only.
  function factOf(part) {
    var d = manifest.districts.map(normalize).indexOf(part);
    if (d >= 0) return { field: 'districts', value: d };
    var y = /^(\d{4})年?$/.exec(part), at = y ? manifest.years.indexOf(Number(y[1])) : -1;
    return at >= 0 ? { field: 'years', value: at } : null;
  }
  function hasFact(n, fact) { return filterArrays[ARRAY[fact.field]][n] === fact.value; }

  // Bigram positions of a run in the order they are worth loading: ends first, then halves.
  function byPriority(run) {
    var n = run.length - 1, order = [], seen = {}, queue = [[0, n - 1]];
    function add(k) { if (k >= 0 && k < n && !seen[k]) { seen[k] = 1; order.push(k); } }
    add(0); add(n - 1);
    while (queue.length) {
      var iv = queue.shift();
      if (iv[1] - iv[0] < 2) continue;
      var mid = (iv[0] + iv[1]) >> 1;
      add(mid); queue.push([iv[0], mid], [mid, iv[1]]);
    }
    for (var k = 0; k < n; k++) add(k);
    return order.map(function (k) { return run[k] + run[k + 1]; });
  }

  // Which terms to look up, within the cap on shards one query may load.
  function plan(reqs) {
    var shards = new Set(), required = [], prefixes = [], optional = [], lists = [], owner = [];
    var of = reqs.map(function () { return []; });  // the terms each requirement holds
    reqs.forEach(function (r, j) {
      // A one-character run beside a longer one is left to verification; alone it is a
      // prefix scan over its character's group of shards.
      var alone = !r.gaps.length && r.runs.every(function (run) { return run.length === 1; });
      r.gaps.forEach(function (g) { lists.push([g]); owner.push(j); });
      r.runs.forEach(function (run) {
        if (run.length === 1 && !alone) return;
        if (run.length === 1) {
          groupShards(groupOf(run[0])).forEach(function (name) { shards.add(name); });
          if (prefixes.indexOf(run[0]) < 0) prefixes.push(run[0]);
        } else {
          // Stop bigrams (in a quarter of the archive or more) only when the run has no other.
          var order = byPriority(run), rare = order.filter(function (t) { return !stop.has(t); });
          lists.push(rare.length ? rare : order);
          owner.push(j);
        }
      });
    });
    function take(term, j) {
      if (required.indexOf(term) < 0) required.push(term);
      if (of[owner[j]].indexOf(term) < 0) of[owner[j]].push(term);
      shards.add(shardOf(term));
    }
    lists.forEach(function (l, j) { take(l[0], j); });
    var next = lists.map(function () { return 1; }), added = true;
    while (added) {
      added = false;
      lists.forEach(function (l, j) {
        while (next[j] < l.length) {
          var t = l[next[j]++], s = shardOf(t);
          if (shards.has(s) || shards.size < manifest.cap) { take(t, j); added = true; break; }
        }
      });
    }
    // Adjacent parts: the bigram across the space ranks "A B" written together first.
    for (var k = 0; k + 1 < reqs.length; k++) {
      var a = Array.from(reqs[k].text), b = Array.from(reqs[k + 1].text);
      var x = a[a.length - 1], y = b[0];
      if (WORD.test(x) && WORD.test(y)) {
        var s = shardOf(x + y);
        if (shards.has(s) || shards.size < manifest.cap) { shards.add(s); optional.push(x + y); }
      }
    }
    return { shards: Array.from(shards).sort(), order: Array.from(shards),
      required: required, prefixes: prefixes, optional: optional, of: of };
  }

  // The part of a plan in its first `count` shards, in the order it took them.
  function partOf(p, count) {
    var kept = new Set(p.order.slice(0, count));
    function inside(t) { return kept.has(shardOf(t)); }
    return { shards: Array.from(kept).sort(), order: p.order.slice(0, count), required: p.required.filter(inside),
      prefixes: [], optional: p.optional.filter(inside), of: p.of.map(function (l) { return l.filter(inside); }) };
  }
  // A long query (a headline: up to manifest.cap shards, 16 of ~50 kB at 100,000 articles) is
  // answered from the first shards of its plan, taken one more at a time, once they leave at
  // most VERIFY candidates of which at most one holds the query (checked in their packs: the
  // result needs its pack anyway). The whole plan's candidates are among theirs (it asks more
  // terms of them) and its results are exactly those holding the query, so it would give that
  // one article or none, with the same count; only the article's score, from fewer terms,
  // differs. Two or more that hold it are ranked by the whole plan (its shards are loaded once:
  // a part's are the whole plan's first). Twenty headlines of the 10,000-article benchmark
  // archive, in the plan's order: one candidate left after 11 of their shards on average, four
  // after 7. Six, not four: a pack (~24 kB) costs less than a shard (35–100 kB), and when the
  // whole plan leaves a few candidates (its terms capped) they are checked at once; simulated on
  // 30 headlines at 100,000 articles, the 90th percentile of shard and pack bytes went from 963
  // to 594 kB, the median from 327 to 331 kB.
  var VERIFY = 6;
  function narrow(p, state) {
    var by = { order: narrowOrder(p), required: p.required, optional: p.optional, of: p.of };
    function step(count) {
      if (count >= p.order.length) return Promise.resolve(p);
      var q = partOf(by, count);
      return Promise.all(q.shards.map(loadShard)).then(function () {
        if (q.required.some(function (t) { return !hasTerm(t); })) return q;  // nor has the whole plan
        var docs = null;
        q.required.forEach(function (t) { docs = docs ? intersect(docs, docsOf(t)) : docsOf(t); });
        if (!docs.length) return q;
        if (docs.length > VERIFY) return step(count + 1);
        var wanted = new Set(docs.map(function (n) { return Math.floor(n / manifest.pack); }));
        return Promise.all(Array.from(wanted, loadPack)).then(function () {
          var held = docs.filter(function (n) { return contains(frags[n], state.reqs, n); });
          if (held.length > 1) return p;
          q.only = held;
          return q;
        });
      });
    }
    return step(Math.min(2, p.order.length));
  }

  // The order a long query's shards are narrowed with: first those of its terms holding a digit
  // or a Latin letter (an issue number, an amount, a code: they name one thing, where a
  // headline's words recur across the articles of a story or a column), then the plan's own.
  // Sixty headlines of the 10,000-article benchmark archive (a seed headline and its number):
  // four candidates left after 3.5 shards on average instead of 7.7 (142 kB of shards, tail
  // files and the packs checked, instead of 327 kB). A year's bigrams are common in a real
  // archive, but the commonest ("20", "02") are stop bigrams, outside the plan.
  var NAMING = /[0-9a-z]/;
  function narrowOrder(p) {
    var named = new Set();
    p.required.forEach(function (t) { if (NAMING.test(t)) named.add(shardOf(t)); });
    return p.order.filter(function (s) { return named.has(s); })
      .concat(p.order.filter(function (s) { return !named.has(s); }));
  }

  // Words of the index inside the query (found in shards already loaded for its bigrams).
  function words(reqs, p) {
    var loaded = new Set(p.shards), out = [];
    reqs.forEach(function (r) {
      r.runs.forEach(function (run) {
        for (var a = 0; a + 2 < run.length; a++) {
          if (!loaded.has(shardOf(run[a] + run[a + 1]))) continue;
          for (var b = a + 3; b <= run.length && b - a <= 12; b++) {
            var w = run.slice(a, b).join('');
            if (hasTerm(w) && out.indexOf(w) < 0) out.push(w);
          }
        }
      });
    });
    return out;
  }

  // Documents of a term in either field, ascending.
  function docsOf(term) {
    var p = postings(term);
    if (!p.all) {
      var a = p.body.docs, b = p.title.docs, out = [], i = 0, j = 0;
      while (i < a.length || j < b.length) {
        if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
        else if (i >= a.length || b[j] < a[i]) out.push(b[j++]);
        else { out.push(a[i++]); j++; }
      }
      p.all = out;
    }
    return p.all;
  }
  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) i++; else if (a[i] > b[j]) j++; else { out.push(a[i]); i++; j++; }
    }
    return out;
  }

  // lunr's weight of each posting of a term, per field: BM25 with b = 0, computed exactly as
  // lunr.py's builder computes it (from the term frequency and the number of documents holding
  // the term in the whole archive, counted once per field as lunr does), rounded the same way.
  function weights(term) {
    var p = postings(term);
    if (!p.w) {
      var n = manifest.n, k1 = manifest.k1, b = manifest.b, df = p.body.docs.length + p.title.docs.length;
      var idf = Math.log(1 + Math.abs((n - df + 0.5) / (df + 0.5)));
      p.w = {};
      manifest.fields.forEach(function (field, f) {
        var list = p[field], boost = manifest.boost[f], w = (p.w[field] = new Float64Array(list.docs.length));
        for (var k = 0; k < list.docs.length; k++) {
          var tf = list.tfs[k], score = idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * 1) + tf);
          score *= boost;
          w[k] = Number(score.toFixed(3));
        }
      });
    }
    return p.w;
  }

  // The query's terms and their postings for the documents in `keep` as a serialised lunr
  // index. Every document of `keep` satisfies the required clauses; lunr scores a document from
  // its own field vectors alone, so leaving other documents out changes neither whether a kept
  // document matches nor its score.
  function miniIndex(terms, keep) {
    var fields = manifest.fields, vectors = new Map(), inverted = [];
    terms.forEach(function (term, index) {
      var p = postings(term), w = weights(term), entry = { _index: index };
      fields.forEach(function (field) {
        var list = p[field], refs = (entry[field] = {});
        for (var k = 0; k < list.docs.length; k++) {
          if (!keep.has(list.docs[k])) continue;
          var ref = String(list.docs[k]), key = field + '/' + ref, v = vectors.get(key);
          refs[ref] = {};
          if (!v) vectors.set(key, (v = []));
          v.push(index, w[field][k]);
        }
      });
      inverted.push([term, entry]);
    });
    var fieldVectors = [];
    vectors.forEach(function (v, key) { fieldVectors.push([key, v]); });
    return lunr.Index.load({ version: lunr.version, fields: fields, fieldVectors: fieldVectors,
      invertedIndex: inverted, pipeline: manifest.pipeline });
  }

  // Rank the next `size` candidates (taken in order of the sum of their weights, which is lunr's
  // score times a constant) with lunr, and append them to state.ranked in lunr's order.
  var CHUNK = 200;
  function rankMore(state, size) {
    var q = state.lunr, chunk = state.docs.slice(state.next, state.next + size);
    state.next += chunk.length;
    var hits = miniIndex(q.terms, new Set(chunk)).query(function (query) {
      q.required.forEach(function (t) {
        query.term(t, { presence: lunr.Query.presence.REQUIRED, usePipeline: false });
      });
      q.prefixes.forEach(function (c) {
        query.term(c, { presence: lunr.Query.presence.REQUIRED, usePipeline: false,
          wildcard: lunr.Query.wildcard.TRAILING });
      });
      q.optional.forEach(function (t) { query.term(t, { usePipeline: false }); });
    });
    var dates = state.dates, dir = state.sort, tier = state.tier;
    var got = hits.map(function (h) { return { n: Number(h.ref), score: h.score }; });
    if (tier) {
      // Admitted by their facts alone, some hold none of the query's terms: lunr leaves them out.
      var found = new Set(got.map(function (c) { return c.n; }));
      chunk.forEach(function (n) { if (!found.has(n)) got.push({ n: n, score: 0 }); });
    }
    got.sort(function (x, y) {
      return (dir ? dir * (dates[x.n] - dates[y.n]) : 0) || (tier ? tier[x.n] - tier[y.n] : 0) ||
        y.score - x.score || x.n - y.n;
    }).forEach(function (c) { state.ranked.push(c); });
  }

  // -2: no filter; -3: a value no article has; else the value's index in the manifest.
  function filterIndex(list, value) {
    if (value === undefined || value === null || value === '') return -2;
    var at = list.indexOf(list === manifest.years ? Number(value) : String(value));
    return at < 0 ? -3 : at;
  }
  // "2024-07" → 202407; "" → null.
  function monthOf(value) {
    var m = /^(\d{4})-(\d{1,2})$/.exec(String(value || ''));
    return m ? Number(m[1]) * 100 + Number(m[2]) : null;
  }
  // What the options ask of each candidate: f(doc, ignoreYear) → kept? (null: nothing asked).
  function filterOf(opts, f) {
    var yi = filterIndex(manifest.years, opts.year), di = filterIndex(manifest.districts, opts.district);
    var pi = filterIndex(manifest.papers || [], opts.paper), lo = monthOf(opts.from), hi = monthOf(opts.to);
    if (yi === -2 && di === -2 && pi === -2 && lo === null && hi === null) return null;
    return function (d, ignoreYear) {
      if (!ignoreYear && yi !== -2 && f.year[d] !== yi) return false;
      if (di !== -2 && f.district[d] !== di) return false;
      if (pi !== -2 && f.paper[d] !== pi) return false;
      if (lo !== null || hi !== null) {
        var ym = Math.floor(f.date[d] / 100);
        if (ym < 100000 || ym % 100 === 0) return false;  // year or month unknown
        if ((lo !== null && ym < lo) || (hi !== null && ym > hi)) return false;
      }
      return true;
    };
  }
  function sortOf(opts) { return opts.sort === 'newest' ? -1 : opts.sort === 'oldest' ? 1 : 0; }


  // The terms of the requirements that are not fact words, in the plan's order.
  function textTermsOf(reqs, p) {
    return p.required.filter(function (t) {
      return reqs.some(function (r, j) { return !r.fact && p.of[j].indexOf(t) >= 0; });
    });
  }
  // The candidates once fact words count: a fact word is answered by the documents holding its
  // terms (its text, verified as any word's) and by those with its fact. state.tier ranks after
  // the others (1) the documents not holding every fact word's terms: a reader who typed 上街区
  // sees the articles that say it first, as before, then those that are only filed under it.
  function withFacts(state, reqs, p, docs) {
    var n = manifest.n, inText = new Uint8Array(n), count = 0, tier = new Uint8Array(n);
    reqs.forEach(function (r, j) {
      if (!r.fact) return;
      count++;
      var text = null, mark = new Uint8Array(n), own = [], values = filterArrays[ARRAY[r.fact.field]];
      p.of[j].forEach(function (t) {
        var list = hasTerm(t) ? docsOf(t) : [];
        text = text ? intersect(text, list) : list;
      });
      (text || []).forEach(function (d) { mark[d] = 1; inText[d]++; });
      for (var d = 0; d < n; d++) if (mark[d] || values[d] === r.fact.value) own.push(d);
      docs = docs ? intersect(docs, own) : own;
    });
    for (var d = 0; d < n; d++) tier[d] = inText[d] < count ? 1 : 0;
    state.tier = tier;
    return docs;
  }

  // Find every candidate (documents holding all required terms, within the filters) and order
  // them; lunr ranks them a chunk at a time, as far as results are asked for (see fill).
  // (whole: the whole plan, never a part of it, as lunr.py's ranking of the same terms in tests)
  function run(query, opts, whole) {
    var t0 = performance.now(), timing = {}, state;
    return whenReady().then(function () {
      var reqs = parse(query);
      state = { query: String(query || ''), reqs: reqs, docs: [], next: 0, ranked: [], pos: 0,
        out: [], rejected: 0, verify: reqs.some(function (r) { return !r.exact; }), timing: timing };
      api.last = state;
      if (!reqs.length) return state;
      var facts = reqs.filter(function (r) { return r.fact; }), all = plan(reqs);
      var chosen = whole || facts.length || all.prefixes.length ? Promise.resolve(all) : narrow(all, state);
      return chosen.then(function (p) { return candidates(p); });
    });

    function candidates(p) {
      var reqs = state.reqs, facts = reqs.filter(function (r) { return r.fact; });
      var loading = p.shards.map(loadShard);
      // The facts' files only when the query names a district or a year (first-query bytes).
      if (facts.length) loading.push(whenFilters(facts.map(function (r) { return r.fact.field; })));
      return Promise.all(loading).then(function () {
        timing.shards = performance.now() - t0;
        timing.files = p.shards.length;
        // A fact word's terms are asked of no article (one with the fact may lack them): they
        // rank as optional terms. Without fact words these are all the plan's terms.
        var required = facts.length ? textTermsOf(reqs, p) : p.required;
        var factTerms = p.required.filter(function (t) { return required.indexOf(t) < 0; });
        if (required.some(function (t) { return !hasTerm(t); })) return state;  // no article has it
        var terms = [], seen = new Set(), docs = null;
        function add(t) { if (!seen.has(t)) { seen.add(t); terms.push(t); } }
        required.forEach(function (t) {
          add(t);
          docs = docs ? intersect(docs, docsOf(t)) : docsOf(t);
        });
        p.prefixes.forEach(function (c) {  // any term that begins with the character
          var union = new Set();
          groupShards(groupOf(c)).forEach(function (name) { termsOf(name).forEach(function (_, t) {
            if (!t.startsWith(c)) return;
            add(t);
            docsOf(t).forEach(function (d) { union.add(d); });
          }); });
          var sorted = Array.from(union).sort(function (x, y) { return x - y; });
          docs = docs ? intersect(docs, sorted) : sorted;
        });
        if (p.only) docs = p.only.slice();  // a part's candidates, checked (narrow)
        if (facts.length) docs = withFacts(state, reqs, p, docs);
        // (a copy: rank sorts it, and a one-term query's list is the term's cached list)
        state.matched = docs || [];
        if (!fieldsOf(opts).length) return rank(state.matched.slice());
        return whenFilters(fieldsOf(opts)).then(function (f) {
          var keep = filterOf(opts, f);
          state.dates = sortOf(opts) ? f.date : null;
          state.sort = sortOf(opts);
          return rank(keep ? state.matched.filter(function (d) { return keep(d, false); }) : state.matched.slice());
        });

        // Order the candidates (within the filters) by the sum of their weights.
        function rank(docs) {
          var optional = [];
          p.optional.concat(factTerms, words(reqs, p)).forEach(function (t) {
            if (!seen.has(t) && hasTerm(t)) { add(t); optional.push(t); }
          });
          terms.sort();
          var sum = new Float64Array(manifest.n), inside = new Uint8Array(manifest.n);
          docs.forEach(function (d) { inside[d] = 1; });
          terms.forEach(function (t) {
            var ps = postings(t), w = weights(t);
            manifest.fields.forEach(function (field) {
              var list = ps[field].docs, wf = w[field];
              for (var k = 0; k < list.length; k++) if (inside[list[k]]) sum[list[k]] += wf[k];
            });
          });
          var dates = state.dates, dir = state.sort, tier = state.tier;
          state.docs = docs.sort(function (x, y) {
            return (dir ? dir * (dates[x] - dates[y]) : 0) || (tier ? tier[x] - tier[y] : 0) ||
              sum[y] - sum[x] || x - y;
          });
          state.lunr = { terms: terms, required: required, prefixes: p.prefixes, optional: optional,
            facts: facts.map(function (r) { return r.text; }) };
          timing.candidates = docs.length;
          timing.ranked = performance.now() - t0;
          return state;
        }
      });
    }
  }

  function headOf(f) { return f.h === undefined ? f.t : f.h; }
  function searchable(f) {
    if (f._n === undefined) f._n = normalize(headOf(f)) + '\n' + normalize(f.x || '');
    return f._n;
  }
  // Whether document n (fragment f) answers every requirement: its text holds it, or, for a
  // fact word, the document has the fact.
  function contains(f, reqs, n) {
    var text = searchable(f);
    return reqs.every(function (r) { return text.indexOf(r.text) >= 0 || (r.fact && hasFact(n, r.fact)); });
  }

  // Load fragments for the next candidates until `count` results (verified when needed) are in.
  function fill(state, count) {
    var need = count - state.out.length;
    if (need <= 0) return Promise.resolve(state);
    if (state.pos + need > state.ranked.length && state.next < state.docs.length) {
      rankMore(state, Math.max(CHUNK, 2 * need));
    }
    if (state.pos >= state.ranked.length) return Promise.resolve(state);
    var batch = state.ranked.slice(state.pos, state.pos + need);
    state.pos += batch.length;
    var wanted = new Set(batch.map(function (c) { return Math.floor(c.n / manifest.pack); }));
    return Promise.all(Array.from(wanted, loadPack)).then(function () {
      batch.forEach(function (c) {
        var f = frags[c.n];
        if (state.verify && !contains(f, state.reqs, c.n)) { state.rejected++; return; }
        state.out.push({ n: c.n, score: c.score, f: f });
      });
      return fill(state, count);
    });
  }
  function total(state) { return state.docs.length - state.rejected; }
  function totalExact(state) { return !state.verify || state.pos >= state.docs.length; }
  function hasMore(state) { return state.pos < state.docs.length; }

  var api = (win.newsgen = win.newsgen || {});
  api.search = function (query, opts) {
    opts = opts || {};
    var limit = opts.limit === undefined ? 20 : opts.limit;
    var t0 = performance.now();
    // (opts._whole: the whole plan, never a part: for tests to compare the two)
    return run(query, opts, opts._whole).then(function (state) { return fill(state, limit); }).then(function (state) {
      state.timing.total = performance.now() - t0;
      return state.out.slice(0, limit).map(function (h) {
        return { url: h.f.u, title: h.f.t, score: h.score, date: h.f.ymd };
      });
    });
  };

  // For tests and tools: every candidate ranked by lunr, the clauses it was asked, the weights.
  api._rankAll = function (query, opts) {
    return run(query, opts || {}, true).then(function (state) {
      if (state.lunr) rankMore(state, state.docs.length);
      return { clauses: state.lunr || null, ranked: state.ranked, candidates: state.docs.length };
    });
  };
  api._weights = function (term) {
    var w = weights(term), p = postings(term);
    return { title: [p.title.docs, Array.from(w.title)], body: [p.body.docs, Array.from(w.body)] };
  };

  // --- the search page ---------------------------------------------------------------------
  var PAGE = 10;

  // Text with every occurrence of the requirements wrapped in <mark>.
  function highlight(el, text, reqs) {
    var m = normalizeMapped(text), marks = [];
    reqs.forEach(function (r) {
      for (var at = m.s.indexOf(r.text); at >= 0; at = m.s.indexOf(r.text, at + 1)) {
        marks.push([m.map[at], m.map[at + r.text.length]]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = 0;
    marks.forEach(function (span) {
      if (span[1] <= pos) return;
      var start = Math.max(span[0], pos);
      if (start > pos) el.appendChild(doc.createTextNode(text.slice(pos, start)));
      var mark = doc.createElement('mark');
      mark.textContent = text.slice(start, span[1]);
      el.appendChild(mark);
      pos = span[1];
    });
    if (pos < text.length) el.appendChild(doc.createTextNode(text.slice(pos)));
  }

  // Cut from the article's own text (its blocks), never from its labels (byline, dateline).
  function snippet(f, reqs) {
    var text = (f.b || f.x || '').replace(/\s*\n\s*/g, ' '), m = normalizeMapped(text), first = -1;
    reqs.forEach(function (r) {
      var at = m.s.indexOf(r.text);
      if (at >= 0 && (first < 0 || m.map[at] < first)) first = m.map[at];
    });
    var start = first < 0 ? 0 : Math.max(0, first - 30), end = Math.min(text.length, start + 120);
    if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start])) start--;
    if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end])) end++;
    return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '');
  }

  // What the status line says of a failure: a missing file in the reader's words, anything
  // else as a search error with its message.
  function readable(err) {
    return err instanceof LoadError ? '搜索暂时无法使用。' + err.message : '搜索出错：' + (err && err.message);
  }

  function initPage() {
    var form = doc.getElementById('search-form');
    if (!form) return;
    // One search box on the search page: the page's own (with its filters), not the header's.
    var headerForm = doc.querySelector('.site-header .search-form');
    if (headerForm && headerForm !== form) headerForm.hidden = true;
    var input = form.elements.q, district = form.elements.district, year = form.elements.year;
    // The filters and the order, as the form names them and the address keeps them.
    var FIELDS = ['district', 'year', 'paper', 'from', 'to', 'sort'];
    var years = doc.getElementById('search-years');
    var status = doc.getElementById('search-status'), list = doc.getElementById('search-results');
    var more = doc.getElementById('search-more'), current = null, serial = 0;
    var baseTitle = doc.title;

    function params() {
      var u = new URLSearchParams(win.location.search), out = { q: u.get('q') || '' };
      FIELDS.forEach(function (k) { out[k] = u.get(k) || ''; });
      return out;
    }
    function control(k) { return form.elements[k]; }
    function wanted(q) {
      var out = { q: q };
      FIELDS.forEach(function (k) { out[k] = control(k) ? control(k).value : ''; });
      return out;
    }
    // The filters in force, in words, for the status line.
    function scopeOf(want) {
      var sel = control('sort');
      return [want.district, want.year ? want.year + '年' : '', want.paper,
        want.from || want.to ? (want.from || '…') + ' 至 ' + (want.to || '…') : '',
        want.sort && sel ? sel.options[sel.selectedIndex].textContent : ''].filter(Boolean).join(' · ');
    }
    function say(text) { status.textContent = text; }
    function fillOptions(select, values, label) {
      values.forEach(function (v) {
        var o = doc.createElement('option');
        o.value = String(v);
        o.textContent = label(v);
        select.appendChild(o);
      });
    }

    // Why an article that never says a word is listed: the word names its district or year.
    function factNote(reqs) {
      return reqs.filter(function (r) { return r.fact; }).map(function (r) {
        return '“' + r.text + '”也按' + (r.fact.field === 'districts' ? '地区' : '年份') + '匹配。';
      }).join('');
    }
    function render(state, from) {
      for (var k = from; k < state.out.length; k++) {
        var h = state.out[k], f = h.f, li = doc.createElement('li'), a = doc.createElement('a');
        li.className = 'search-result';
        // The query rides along in the fragment: the article page marks it (search/mark.js).
        a.href = f.u + '#q=' + encodeURIComponent(state.query.trim());
        a.className = 'search-result-title';
        highlight(a, f.t, state.reqs);
        var heading = doc.createElement('h2');
        heading.appendChild(a);
        li.appendChild(heading);
        var meta = doc.createElement('p');
        meta.className = 'search-result-meta';
        [f.d || '日期不详', f.r || ''].forEach(function (v, i) {
          if (!v) return;
          var span = doc.createElement('span');
          span.className = i ? 'search-result-district' : 'search-result-date';
          span.textContent = v;
          meta.appendChild(span);
        });
        li.appendChild(meta);
        var p = doc.createElement('p');
        p.className = 'search-result-snippet';
        highlight(p, snippet(f, state.reqs), state.reqs);
        li.appendChild(p);
        list.appendChild(li);
      }
      var n = total(state), scope = scopeOf(state.want || {});
      var where = scope ? '（' + scope + '）' : '';
      if (!state.out.length) {
        say('没有找到包含“' + state.query.trim() + '”的文章' + where + '。请检查用字，减少关键词' +
          (scope ? '，或取消筛选条件' : '') + '。');
        list.setAttribute('data-state', 'empty');
      } else {
        say((totalExact(state) ? '找到 ' : '找到约 ') + n + ' 篇文章' + where + '，显示前 ' + state.out.length + ' 篇。' +
          factNote(state.reqs));
        list.setAttribute('data-state', 'results');
      }
      more.hidden = !hasMore(state);
    }

    function search(push) {
      var q = input.value.trim(), token = ++serial;
      var want = wanted(q);
      if (push) {
        var u = new URLSearchParams();
        if (q) u.set('q', q);
        FIELDS.forEach(function (k) { if (want[k]) u.set(k, want[k]); });
        var qs = u.toString();
        try { win.history.pushState(want, '', qs ? '?' + qs : win.location.pathname); }
        catch (e) { win.location.search = qs; return; }
      }
      list.textContent = '';
      more.hidden = true;
      years.hidden = true;
      list.removeAttribute('data-state');
      if (!q) { say('输入关键词开始搜索。'); doc.title = baseTitle; return; }
      doc.title = q + ' - ' + baseTitle;
      say('正在搜索…');
      run(q, want).then(function (state) {
        if (token !== serial) return null;
        current = state;
        state.want = want;
        return fill(state, PAGE);
      }).then(function (state) {
        if (!state || token !== serial) return null;
        render(state, 0);
        return histogram(state, token);
      }).catch(function (err) {
        if (token === serial) say(readable(err));
      });
    }

    function restore() {
      var p = params();
      input.value = p.q;
      FIELDS.forEach(function (k) { if (control(k)) control(k).value = p[k]; });
      var header = doc.querySelectorAll('input[name="q"]');
      for (var k = 0; k < header.length; k++) if (header[k] !== input && !header[k].value) header[k].value = p.q;
      search(false);
    }

    form.addEventListener('submit', function (e) { e.preventDefault(); search(true); });
    FIELDS.forEach(function (k) {
      if (control(k)) control(k).addEventListener('change', function () { if (input.value.trim()) search(true); });
    });

    // Matches by year (within the other filters), each a link that filters by it. It needs
    // every document's year (search/filters/years.js): drawn at once when that is loaded, else
    // offered as a button, so a first query never waits for it.
    function histogram(state, token) {
      years.textContent = '';
      years.removeAttribute('data-state');
      if (!state.matched || !state.matched.length || manifest.years.length < 2) return null;
      var fields = ['years'].concat(fieldsOf(state.want, true));
      if (!fields.every(function (k) { return filterArrays[ARRAY[k]]; })) {
        var ask = doc.createElement('button');
        ask.type = 'button';
        ask.className = 'search-years-ask';
        ask.textContent = '按年份统计结果';
        ask.addEventListener('click', function () { draw(state, token, fields); });
        years.appendChild(ask);
        years.hidden = false;
        years.setAttribute('data-state', 'offered');
        return null;
      }
      return draw(state, token, fields);
    }
    function draw(state, token, fields) {
      return whenFilters(fields).then(function (f) {
        if (token !== serial) return;
        var keep = filterOf(state.want, f), counts = {}, top = 0;
        state.matched.forEach(function (d) {
          if (keep && !keep(d, true)) return;
          var y = f.year[d];
          counts[y] = (counts[y] || 0) + 1;
        });
        years.textContent = '';
        Object.keys(counts).forEach(function (k) { if (k >= 0) top = Math.max(top, counts[k]); });
        manifest.years.slice().reverse().forEach(function (y) {  // oldest first, as a timeline
          var c = counts[manifest.years.indexOf(y)] || 0;
          if (!c) return;
          var u = new URLSearchParams(win.location.search);
          u.set('q', state.query.trim());
          u.set('year', String(y));
          var a = doc.createElement('a'), bar = doc.createElement('span');
          a.href = '?' + u.toString();
          a.className = 'search-year' + (String(y) === state.want.year ? ' is-current' : '');
          if (String(y) === state.want.year) a.setAttribute('aria-current', 'true');
          bar.className = 'search-year-bar';
          bar.style.height = Math.max(2, Math.round(40 * c / top)) + 'px';
          a.appendChild(bar);
          a.appendChild(doc.createTextNode(y + '年 ' + c));
          a.addEventListener('click', function (e) {
            e.preventDefault();
            year.value = String(y);
            search(true);
          });
          years.appendChild(a);
        });
        years.hidden = !years.children.length;
        years.setAttribute('data-state', 'drawn');
      });
    }
    win.addEventListener('popstate', restore);
    more.addEventListener('click', function () {
      if (!current) return;
      var from = current.out.length, state = current;
      fill(state, from + PAGE).then(function () {
        if (state !== current) return;
        render(state, from);
        var next = list.children[from] && list.children[from].querySelector('a');
        if (next) next.focus();
      });
    });
    // Keyboard: ↓ from the box into the results, ↑/↓ between them, Esc back to the box.
    doc.addEventListener('keydown', function (e) {
      var links = Array.prototype.slice.call(list.querySelectorAll('a.search-result-title'));
      var at = links.indexOf(doc.activeElement);
      if (e.key === 'ArrowDown' && (doc.activeElement === input || at >= 0) && links.length) {
        e.preventDefault();
        links[Math.min(at + 1, links.length - 1)].focus();
      } else if (e.key === 'ArrowUp' && at >= 0) {
        e.preventDefault();
        if (at === 0) input.focus(); else links[at - 1].focus();
      } else if (e.key === 'Escape' && at >= 0) {
        input.focus();
      }
    });

    whenReady().then(function (m) {
      // The page lists the site's districts and years; fill them in if it did not.
      if (district.options.length <= 1) fillOptions(district, m.districts, function (v) { return v; });
      if (year.options.length <= 1) fillOptions(year, m.years, function (v) { return v + '年'; });
      var paper = control('paper');
      if (paper && (m.papers || []).length) {
        if (paper.options.length <= 1) fillOptions(paper, m.papers, function (v) { return v; });
        doc.getElementById('search-paper-label').hidden = false;
      }
      restore();
    }).catch(function (err) { say(readable(err)); });
  }

  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', initPage);
  else initPage();
})();

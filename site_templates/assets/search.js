// The search page, on the site's own index (search-index/, written by generator/search/).
// A result is a record page that contains every term of the query, after the normalising the
// index was built with (full- and half-width forms, Traditional characters, brackets, spaces):
// all such pages and no others, and the count is the true count. Titles and 文号 that match
// come first, then the rest, newest first. The query and filters are in the page's address
// (?q=…&类别=…), which follows what is typed, so a search can be shared.
(function () {
  "use strict";
  var script = document.currentScript.src;
  var root = document.querySelector(".portal-search");
  if (!root) { return; }
  var INDEX = new URL("../search-index/", script);
  var PAGE_SIZE = 10;
  var FILTER_NAMES = ["类别", "辖区", "年度", "行业领域", "状态"];
  var HEAD = "\n";  // key prefix of the title-and-文号 n-grams (no line of text holds it)

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  var form = element("form", { role: "search", "class": "portal-search-form" });
  var label = element("label", { "for": "portal-search-input" }, "搜索关键词");
  var input = element("input", { id: "portal-search-input", type: "search", name: "q", autocomplete: "off",
                                 enterkeyhint: "search", placeholder: "例如 坍塌、麒麟区、安委办〔2021〕4号" });
  var submit = element("button", { type: "submit" }, "搜索");
  form.append(label, input, submit);
  var filterBox = element("details", { "class": "portal-search-filters" });
  filterBox.append(element("summary", {}, "按类别、辖区、年度、行业领域和状态筛选"));
  var status = element("p", { "class": "portal-search-status", role: "status", "aria-live": "polite" });
  var list = element("ol", { "class": "portal-search-results" });
  var more = element("button", { type: "button", "class": "portal-search-more", hidden: "" }, "显示更多结果");
  root.replaceChildren(form, filterBox, status, list, more);

  // ---- Fetching the index ----
  var cache = {};
  function fetched(path, kind) {
    if (!cache[path]) {
      cache[path] = fetch(new URL(path, INDEX)).then(function (response) {
        if (!response.ok) { throw new Error(path + ": " + response.status); }
        return kind === "json" ? response.json() : response.arrayBuffer().then(unpacked);
      });
      cache[path].catch(function () { delete cache[path]; });  // a failed fetch is tried again next time
    }
    return cache[path];
  }
  // The .bin files are gzip-compressed; a host that sent them with Content-Encoding: gzip
  // has unpacked them already (no gzip magic left).
  function unpacked(buffer) {
    var bytes = new Uint8Array(buffer);
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) { return bytes; }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  var table = null;
  // The characters the table may fold: the Han blocks it covers and the brackets.
  var FOLDABLE = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\[\]()【】〖〗〘〙﹝﹞]/g;
  function info() {
    return fetched("index.json", "json").then(function (index) {
      if (!table) {
        table = {};
        var from = Array.from(index.traditional), to = Array.from(index.simplified);
        from.forEach(function (c, i) { table[c] = to[i]; });
        "[(【〖〘﹝".split("").forEach(function (c) { table[c] = "〔"; });
        "])】〗〙﹞".split("").forEach(function (c) { table[c] = "〕"; });
        index.largeFiles = {};
        (index.large || []).forEach(function (key, n) { index.largeFiles[key] = n; });
      }
      return index;
    });
  }

  // As generator/search/normalise.py: NFKC, lower case, no spaces, Simplified, 〔〕.
  function normalise(text) {
    return text.normalize("NFKC").toLowerCase().replace(/\s+/g, "").replace(FOLDABLE, function (c) { return table[c] || c; });
  }
  function terms(query) {
    var seen = {};
    return query.normalize("NFKC").split(/\s+/).map(normalise).filter(function (term) {
      if (!term || seen[term]) { return false; }
      seen[term] = true;
      return true;
    });
  }

  function shardOf(key, shards) {
    var value = 0x811c9dc5;  // FNV-1a, 32-bit, of the UTF-8 bytes
    new TextEncoder().encode(key).forEach(function (byte) { value = Math.imul(value ^ byte, 0x01000193) >>> 0; });
    return value % shards;
  }
  function Reader(bytes) { this.bytes = bytes; this.at = 0; }
  Reader.prototype.next = function () {
    var value = 0, shift = 0, byte;
    do { byte = this.bytes[this.at++]; value += (byte & 0x7f) * Math.pow(2, shift); shift += 7; } while (byte & 0x80);
    return value;
  };
  // The payload stored under `key`, or null: entries are [key length][key][payload length][payload].
  function entry(key) {
    return info().then(function (index) {
      var large = index.largeFiles[key];
      return fetched(large !== undefined ? "h/" + large + ".bin" : "g/" + shardOf(key, index.shards) + ".bin", "bin");
    }).then(function (bytes) {
      var wanted = new TextEncoder().encode(key);
      var reader = new Reader(bytes);
      while (reader.at < bytes.length) {
        var length = reader.next(), start = reader.at;
        reader.at += length;
        var size = reader.next();
        if (length === wanted.length && wanted.every(function (b, i) { return bytes[start + i] === b; })) {
          return bytes.subarray(reader.at, reader.at + size);
        }
        reader.at += size;
      }
      return null;
    });
  }
  function pagesOf(payload) {
    var out = [];
    if (!payload) { return out; }
    var reader = new Reader(payload), count = reader.next(), page = -1;
    for (var i = 0; i < count; i++) { page += reader.next() + 1; out.push(page); }
    return out;
  }
  // A 3-gram's pages and, for the i-th, its positions flat[start[i]] … flat[start[i + 1] - 1].
  function positionsOf(payload) {
    var list = { pages: [], start: [0], flat: [] };
    if (!payload) { return list; }
    var reader = new Reader(payload), count = reader.next(), page = -1;
    for (var i = 0; i < count; i++) {
      page += reader.next() + 1;
      list.pages.push(page);
      var n = reader.next(), at = -1;
      for (var j = 0; j < n; j++) { at += reader.next() + 1; list.flat.push(at); }
      list.start.push(list.flat.length);
    }
    return list;
  }
  function heads() {
    return fetched("heads.bin", "bin").then(function (bytes) {
      var reader = new Reader(bytes), out = [];
      while (reader.at < bytes.length) { out.push(reader.next()); }
      return out;
    });
  }

  // The pages containing `term`, and those where it is in the title or 文号.
  function match(term) {
    var chars = Array.from(term);
    if (chars.length <= 2) {
      return Promise.all([entry(term), entry(HEAD + term)]).then(function (found) {
        return { pages: pagesOf(found[0]), head: new Set(pagesOf(found[1])) };
      });
    }
    var offsets = [];
    for (var o = 0; o + 3 <= chars.length; o += 3) { offsets.push(o); }
    if (offsets[offsets.length - 1] !== chars.length - 3) { offsets.push(chars.length - 3); }
    return Promise.all(offsets.map(function (offset) {
      return entry(chars.slice(offset, offset + 3).join(""));
    }).concat([heads()])).then(function (found) {
      var headLengths = found.pop();
      var lists = found.map(positionsOf);
      var pages = [], head = new Set();
      // Every list is in page order and each page's positions ascend: one pass with a
      // pointer per list, no sets (a common phrase is in thousands of pages).
      var pageAt = lists.map(function () { return 0; });
      var first = lists[0];
      for (var i = 0; i < first.pages.length; i++) {
        var page = first.pages[i], spans = [];
        for (var k = 1; k < lists.length; k++) {
          var list = lists[k];
          while (pageAt[k] < list.pages.length && list.pages[pageAt[k]] < page) { pageAt[k]++; }
          if (list.pages[pageAt[k]] !== page) { break; }
          spans.push([list.start[pageAt[k]], list.start[pageAt[k] + 1]]);
        }
        if (spans.length !== lists.length - 1) { continue; }
        var hit = -1;
        for (var s = first.start[i]; s < first.start[i + 1] && hit < 0; s++) {
          var p = first.flat[s], all = true;
          for (k = 1; k < lists.length && all; k++) {
            var want = p + offsets[k], span = spans[k - 1], flat = lists[k].flat;
            while (span[0] < span[1] && flat[span[0]] < want) { span[0]++; }
            all = span[0] < span[1] && flat[span[0]] === want;
          }
          if (all) { hit = p; }
        }
        if (hit < 0) { continue; }
        pages.push(page);
        if (hit + chars.length <= headLengths[page]) { head.add(page); }
      }
      return { pages: pages, head: head };
    });
  }

  // ---- Filters ----
  var facets = null;
  function facetSets() {
    facets = facets || fetched("facets.json", "json").then(function (raw) {
      var out = {};
      Object.keys(raw).forEach(function (name) {
        out[name] = {};
        Object.keys(raw[name]).forEach(function (value) {
          var page = -1;
          out[name][value] = new Set(raw[name][value].map(function (gap) { page += gap + 1; return page; }));
        });
      });
      return out;
    });
    return facets;
  }
  function chosenFilters() {
    var chosen = {};
    filterBox.querySelectorAll("input:checked").forEach(function (box) {
      (chosen[box.name] = chosen[box.name] || []).push(box.value);
    });
    return chosen;
  }
  var labels = {};
  function showFilters(sets) {
    var body = element("div", { "class": "portal-search-filter-groups" });
    FILTER_NAMES.filter(function (name) { return sets[name] && Object.keys(sets[name]).length; }).forEach(function (name, group) {
      var values = Object.keys(sets[name]);
      values.sort(name === "年度" ? function (a, b) { return b.localeCompare(a); }
                                  : function (a, b) { return sets[name][b].size - sets[name][a].size || a.localeCompare(b); });
      var fieldset = element("fieldset");
      fieldset.append(element("legend", {}, name));
      values.forEach(function (value, index) {
        var id = "portal-filter-" + group + "-" + index;
        var row = element("div");
        var box = element("input", { type: "checkbox", id: id, name: name, value: value });
        var text = element("label", { "for": id }, value);
        labels[name + "\u0000" + value] = text;
        row.append(box, text);
        fieldset.append(row);
      });
      body.append(fieldset);
    });
    filterBox.append(body);
  }
  // How many of the results each value holds; a value none hold is hidden, except in a
  // filter with a value ticked (its other values widen the search).
  function showCounts(sets, pages) {
    var ticked = chosenFilters();
    Object.keys(labels).forEach(function (key) {
      var parts = key.split("\u0000");
      var set = sets[parts[0]][parts[1]];
      var count = pages.filter(function (page) { return set.has(page); }).length;
      labels[key].textContent = parts[1] + "（" + count + "）";
      labels[key].parentNode.hidden = count === 0 && !ticked[parts[0]];
    });
  }
  var filtersShown = null;
  function loadFilters() {
    filtersShown = filtersShown || facetSets().then(function (sets) { showFilters(sets); return sets; });
    return filtersShown;
  }

  // ---- Searching ----
  var results = [], shown = 0, latest = 0, needles = [];

  function everyPage() {
    return info().then(function (index) {
      var all = [];
      for (var i = 0; i < index.pages; i++) { all.push(i); }
      return { pages: all, head: new Set() };
    });
  }

  function search() {
    var query = input.value.trim();
    var chosen = chosenFilters();
    var mine = ++latest;
    remember(query, chosen);
    if (!query && !Object.keys(chosen).length) {
      results = []; list.replaceChildren(); more.hidden = true; status.textContent = "";
      return Promise.resolve();
    }
    status.textContent = "正在搜索…";
    return info().then(function () {
      needles = terms(query);
      var matched = needles.length ? Promise.all(needles.map(match)) : everyPage().then(function (all) { return [all]; });
      var filtered = Object.keys(chosen).length || filterBox.open ? loadFilters() : Promise.resolve(null);
      return Promise.all([matched, filtered]);
    }).then(function (found) {
      if (mine !== latest) { return; }
      var matches = found[0], sets = found[1];
      var pages = matches[0].pages;
      matches.slice(1).forEach(function (other) {
        var keep = new Set(other.pages);
        pages = pages.filter(function (page) { return keep.has(page); });
      });
      var head = new Set(pages.filter(function (page) { return matches.some(function (m) { return m.head.has(page); }); }));
      if (sets) {
        Object.keys(chosen).forEach(function (name) {
          pages = pages.filter(function (page) {
            return chosen[name].some(function (value) { return sets[name] && sets[name][value] && sets[name][value].has(page); });
          });
        });
        showCounts(sets, pages);
      }
      // Title and 文号 matches first; otherwise pages are numbered newest first.
      results = pages.filter(function (page) { return head.has(page); })
        .concat(pages.filter(function (page) { return !head.has(page); }));
      shown = 0;
      list.replaceChildren();
      // The count is announced once the first results are on the page.
      return showMore(mine).then(function () {
        if (mine !== latest) { return; }
        status.textContent = results.length ? "找到 " + results.length + " 条结果"
          : "没有找到" + (query ? "包含“" + query + "”" : "符合条件") + "的结果";
      });
    }).catch(function () {
      if (mine === latest) { status.textContent = "搜索暂时无法使用，请稍后重试，或使用分类索引。"; }
    });
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    shown += batch.length;
    return Promise.all(batch.map(function (page) { return fetched("p/" + page + ".json", "json"); })).then(function (pages) {
      if (mine !== latest) { return; }
      pages.forEach(function (page) { list.append(resultItem(page)); });
      more.hidden = shown >= results.length;
    });
  }

  function resultItem(page) {
    var item = element("li");
    // A site's own page is relative to its root (this page is at search/); a roll-up's results
    // are its members' pages, at their own https addresses.
    var href = /^https?:\/\//.test(page.url) ? page.url : "../" + page.url;
    var link = element("a", { href: href, "class": "portal-search-result" });
    link.append(highlighted(page.title));
    var about = element("p", { "class": "portal-search-about" },
                        [page.kind, page.number, page.date].filter(Boolean).join(" · "));
    item.append(link, about, snippet(page));
    return item;
  }

  // The first sentence of the body that holds a term; else the field (name：value) that does;
  // else the table cell. The title is the link already.
  function snippet(page) {
    var paragraph = element("p");
    var named = page.labels || {}, cells = new Set(page.cells || []);
    var candidates = [];
    page.blocks.forEach(function (text, index) {
      var folded = index === 0 ? "" : normalise(text);
      if (index === 0 || !needles.some(function (term) { return folded.indexOf(term) >= 0; })) { return; }
      var field = Object.prototype.hasOwnProperty.call(named, String(index)) ? named[String(index)] : null;
      candidates.push({ text: text, field: field, rank: !cells.has(index) ? 0 : field !== null ? 1 : 2, index: index });
    });
    candidates.sort(function (a, b) { return a.rank - b.rank || a.index - b.index; });
    var best = candidates[0];
    if (!best) { return paragraph; }
    if (best.rank === 1) {
      paragraph.append(document.createTextNode(best.field + "："));
      paragraph.append(highlighted(best.text));
    } else {
      paragraph.append(highlighted(sentence(best.text)));
    }
    return paragraph;
  }
  function sentence(text) {
    var parts = text.match(/[^。！？；]+[。！？；]?/g) || [text];
    var hit = parts.filter(function (part) {
      return needles.some(function (term) { return normalise(part).indexOf(term) >= 0; });
    })[0] || parts[0];
    if (Array.from(hit).length <= 120) { return hit; }
    var chars = Array.from(hit), norm = mapped(hit), at = -1;
    needles.forEach(function (term) {
      var i = positions(norm.text, Array.from(term))[0];
      if (at < 0 && i !== undefined) { at = norm.from[i]; }
    });
    var start = Math.max(0, at - 40);
    return (start > 0 ? "…" : "") + chars.slice(start, start + 120).join("") + (start + 120 < chars.length ? "…" : "");
  }
  // The normalised text, and for each of its characters the original character it came from.
  function mapped(text) {
    var chars = Array.from(text), out = [], from = [];
    chars.forEach(function (c, i) {
      Array.from(normalise(c)).forEach(function (n) { out.push(n); from.push(i); });
    });
    return { text: out, from: from, chars: chars };
  }
  // Where the characters `term` start in the characters `haystack`.
  function positions(haystack, term) {
    var found = [];
    for (var i = 0; i + term.length <= haystack.length; i++) {
      var same = true;
      for (var j = 0; j < term.length && same; j++) { same = haystack[i + j] === term[j]; }
      if (same) { found.push(i); }
    }
    return found;
  }
  // Text with each match of a term marked; built as text nodes and <mark>, never as markup.
  function highlighted(text) {
    var fragment = document.createDocumentFragment();
    var norm = mapped(text), marked = new Array(norm.chars.length).fill(false);
    needles.forEach(function (term) {
      var length = Array.from(term).length;
      positions(norm.text, Array.from(term)).forEach(function (i) {
        for (var k = norm.from[i]; k <= norm.from[i + length - 1]; k++) { marked[k] = true; }
      });
    });
    var run = "", inMark = false;
    function flush() {
      if (!run) { return; }
      fragment.append(inMark ? element("mark", {}, run) : document.createTextNode(run));
      run = "";
    }
    norm.chars.forEach(function (c, i) {
      if (marked[i] !== inMark) { flush(); inMark = marked[i]; }
      run += c;
    });
    flush();
    return fragment;
  }

  // ---- The address follows the search ----
  function remember(query, chosen) {
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    FILTER_NAMES.forEach(function (name) { (chosen[name] || []).forEach(function (value) { params.append(name, value); }); });
    var url = new URL(window.location.href);
    url.search = params.toString();
    window.history.replaceState(null, "", url);
  }

  var typing = 0;
  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(typing); search(); });
  input.addEventListener("input", function () { clearTimeout(typing); typing = setTimeout(search, 250); });
  more.addEventListener("click", function () { showMore(latest); });
  filterBox.addEventListener("change", function () { search(); });
  filterBox.addEventListener("toggle", function () {
    if (!filterBox.open) { return; }
    loadFilters().then(function () { return search(); })
      .catch(function () { filterBox.append(element("p", {}, "筛选条件暂时无法加载。")); });
  });

  // The index's small head file is fetched as the page opens: the first query need not wait for it.
  info().catch(function () {});

  // Opened with ?q=…&类别=…: the filters named there are ticked before the first search.
  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  var wanted = FILTER_NAMES.filter(function (name) { return params.getAll(name).length; });
  var ready = wanted.length ? loadFilters().then(function () {
    filterBox.open = true;
    wanted.forEach(function (name) {
      params.getAll(name).forEach(function (value) {
        filterBox.querySelectorAll("input[name='" + name + "']").forEach(function (box) {
          if (box.value === value) { box.checked = true; }
        });
      });
    });
  }) : Promise.resolve();
  ready.then(function () { if (input.value.trim() || wanted.length) { search(); } });
})();

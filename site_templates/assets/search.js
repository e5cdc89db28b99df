// The search page, on Pagefind's own search API (pagefind/pagefind.js) rather than its
// ready-made search box: that box's script and styles are 134 KB, and it fetches every filter
// of every bundle before the first result, so a first search on a large site cost more than
// the 300 KB a reader on a phone should pay. Here the filters load only when opened.
// A large site's index comes in several bundles (pagefind/, pagefind-2/, …): the first lists
// the others in portal-bundles.json and they are merged into one result list.
(function () {
  "use strict";
  var script = document.currentScript.src;
  var root = document.querySelector(".portal-search");
  if (!root) { return; }
  var PAGE_SIZE = 10;
  // Shown in this order; values of 年度 newest first, the others by count.
  var FILTER_NAMES = ["类别", "辖区", "年度", "行业领域", "状态"];

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  var form = element("form", { role: "search", "class": "portal-search-form" });
  var label = element("label", { "for": "portal-search-input" }, "搜索关键词");
  var input = element("input", { id: "portal-search-input", type: "search", name: "q", autocomplete: "off",
                                 placeholder: "例如 坍塌、麒麟区、安委办〔2021〕4号" });
  var submit = element("button", { type: "submit" }, "搜索");
  form.append(label, input, submit);
  var filterBox = element("details", { "class": "portal-search-filters" });
  filterBox.append(element("summary", {}, "按类别、辖区、年度、行业领域和状态筛选"));
  var status = element("p", { "class": "portal-search-status", role: "status", "aria-live": "polite" });
  var list = element("ol", { "class": "portal-search-results" });
  var more = element("button", { type: "button", "class": "portal-search-more", hidden: "" }, "显示更多结果");
  var everywhere = element("button", { type: "button", "class": "portal-search-everywhere", hidden: "" }, "在全文中搜索");
  root.replaceChildren(form, filterBox, status, list, more, everywhere);

  var pagefind = null;
  var ready = null;
  var results = [];
  var shown = 0;
  var latest = 0;  // a slower earlier search must not overwrite a later one's results

  function load() {
    if (!ready) {
      var bundles = fetch(new URL("../pagefind/portal-bundles.json", script))
        .then(function (response) { return response.ok ? response.json() : []; })
        .catch(function () { return []; });
      ready = Promise.all([import(new URL("../pagefind/pagefind.js", script).href), bundles])
        .then(function (loaded) {
          pagefind = loaded[0];
          var others = Array.isArray(loaded[1]) ? loaded[1] : [];
          // Searching in the page itself spares the reader the worker script (12 KB
          // compressed); a search over these indexes takes milliseconds either way.
          return pagefind.options({ noWorker: true }).then(function () {
            return Promise.all(others.map(function (name) {
              return pagefind.mergeIndex(new URL("../" + name + "/", script).pathname);
            }));
          });
        });
    }
    return ready;
  }

  // Values ticked within one filter widen the search (any of them); filters narrow it.
  function chosenFilters() {
    var chosen = {};
    filterBox.querySelectorAll("input:checked").forEach(function (box) {
      (chosen[box.name] = chosen[box.name] || { any: [] }).any.push(box.value);
    });
    return chosen;
  }

  // A 文号 such as 安委办〔2021〕4号 is looked up in data/doc-numbers/ first: one small file
  // (generator/render/doc_numbers.py, same normalising and hash) where a full-text search
  // would fetch an index shard for each of its words from each bundle.
  var BRACKETS = { "[": "〔", "(": "〔", "【": "〔", "〖": "〔", "]": "〕", ")": "〕", "】": "〕", "〗": "〕" };
  var DOC_NUMBER = /^[^〔〕]{1,30}〔\d{4}〕\d{1,6}号$/;
  function normalise(text) {
    return text.normalize("NFKC").replace(/\s+/g, "").replace(/[\[(【〖\])】〗]/g, function (c) { return BRACKETS[c]; });
  }
  function shardOf(key, shards) {
    var value = 0x811c9dc5;  // FNV-1a, 32-bit
    new TextEncoder().encode(key).forEach(function (byte) { value = Math.imul(value ^ byte, 0x01000193) >>> 0; });
    return value % shards;
  }
  var numbers = null;
  function lookUp(key) {
    var folder = new URL("../data/doc-numbers/", script);
    numbers = numbers || fetch(new URL("index.json", folder)).then(function (response) { return response.json(); });
    return numbers.then(function (index) {
      return fetch(new URL(shardOf(key, index.shards) + ".json", folder)).then(function (response) { return response.json(); });
    }).then(function (found) { return found[key] || []; }).catch(function () { return []; });
  }

  function showNumbered(hits, query) {
    results = []; shown = 0; more.hidden = true;
    list.replaceChildren.apply(list, hits.map(function (hit) {
      var item = element("li");
      item.append(element("a", { href: new URL("../" + hit.url, script).href, "class": "portal-search-result" }, hit.title),
                  element("p", {}, hit.kind + " · " + hit.number));
      return item;
    }));
    status.textContent = "按文号找到 " + hits.length + " 条结果";
    everywhere.textContent = "在全文中搜索“" + query + "”";
    everywhere.hidden = false;
  }

  function search(fullText) {
    var query = input.value.trim();
    var filters = chosenFilters();
    var mine = ++latest;
    var url = new URL(window.location.href);
    if (query) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
    window.history.replaceState(null, "", url);
    everywhere.hidden = true;
    if (!query && !Object.keys(filters).length) {
      results = []; list.replaceChildren(); more.hidden = true; status.textContent = "";
      showCounts(totals);
      return Promise.resolve();
    }
    status.textContent = "正在搜索…";
    var key = normalise(query);
    var numbered = fullText !== true && !Object.keys(filters).length && DOC_NUMBER.test(key) ? lookUp(key)
      : Promise.resolve([]);
    return numbered.then(function (hits) {
      if (mine !== latest) { return; }
      if (hits.length) { showNumbered(hits, query); return; }
      // A number typed as 麒安办（2025） 61号 is searched for in its standard form.
      return searchText(DOC_NUMBER.test(key) ? key : query, filters, mine);
    });
  }

  function searchText(query, filters, mine) {
    return load()
      .then(function () { return pagefind.search(query || null, { filters: filters }); })
      .then(function (response) {
        if (mine !== latest) { return; }
        results = response ? response.results : [];
        if (response && response.filters && Object.keys(response.filters).length) { showCounts(response.filters); }
        shown = 0;
        list.replaceChildren();
        status.textContent = results.length ? "找到 " + results.length + " 条结果"
          : "没有找到" + (query ? "与“" + query + "”" : "") + "相符的结果";
        return showMore(mine);
      })
      .catch(function () {
        if (mine === latest) { status.textContent = "搜索暂时无法使用，请稍后重试，或使用分类索引。"; }
      });
  }

  function showMore(mine) {
    var batch = results.slice(shown, shown + PAGE_SIZE);
    shown += batch.length;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
      if (mine !== latest) { return; }
      pages.forEach(function (page) { list.append(resultItem(page)); });
      more.hidden = shown >= results.length;
    });
  }

  function resultItem(page) {
    var item = element("li");
    var link = element("a", { href: page.url, "class": "portal-search-result" }, (page.meta && page.meta.title) || page.url);
    item.append(link, excerpt(page.excerpt || ""));
    return item;
  }

  // Pagefind's excerpt is escaped page text with <mark> around the matches. Parsed inert and
  // copied as text and marks only, so nothing else in it could ever become markup.
  function excerpt(html) {
    var inert = element("template");
    inert.innerHTML = html;
    var paragraph = element("p");
    inert.content.childNodes.forEach(function (node) {
      paragraph.append(node.nodeName === "MARK" ? element("mark", {}, node.textContent)
                                                : document.createTextNode(node.textContent));
    });
    return paragraph;
  }

  // Each value's label, to show how many results it would have for the words searched.
  var labels = {};
  var totals = {};

  // A value none of the results hold is hidden (a province lists hundreds of 辖区), but not in
  // a filter with a value ticked: its other values widen the search.
  function showCounts(counts) {
    var ticked = chosenFilters();
    Object.keys(labels).forEach(function (key) {
      var parts = key.split("\u0000");
      var count = (counts[parts[0]] && counts[parts[0]][parts[1]]) || 0;
      labels[key].textContent = parts[1] + "（" + count + "）";
      labels[key].parentNode.hidden = count === 0 && !ticked[parts[0]];
    });
  }

  function showFilters(counts) {
    totals = counts;
    var body = element("div", { "class": "portal-search-filter-groups" });
    FILTER_NAMES.filter(function (name) { return counts[name]; }).forEach(function (name, groupIndex) {
      var values = Object.keys(counts[name]);
      values.sort(name === "年度" ? function (a, b) { return b.localeCompare(a); }
                                  : function (a, b) { return counts[name][b] - counts[name][a]; });
      var fieldset = element("fieldset");
      fieldset.append(element("legend", {}, name));
      values.forEach(function (value, index) {
        // Unique on the page (a label ticks the box its id names); values may hold spaces, ids may not.
        var id = "portal-filter-" + groupIndex + "-" + index;
        var box = element("input", { type: "checkbox", id: id, name: name, value: value });
        var text = element("label", { "for": id }, value + "（" + counts[name][value] + "）");
        labels[name + "\u0000" + value] = text;
        var row = element("div");
        row.append(box, text);
        fieldset.append(row);
      });
      body.append(fieldset);
    });
    filterBox.append(body);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  more.addEventListener("click", function () { showMore(latest); });
  everywhere.addEventListener("click", function () { search(true); });
  filterBox.addEventListener("change", search);
  filterBox.addEventListener("toggle", function () {
    if (!filterBox.open || filterBox.dataset.loaded) { return; }
    filterBox.dataset.loaded = "1";
    load().then(function () { return pagefind.filters(); }).then(showFilters)
      .then(function () { if (input.value.trim()) { search(); } })  // counts for the words searched
      .catch(function () { filterBox.append(element("p", {}, "筛选条件暂时无法加载。")); });
  });

  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { input.value = query; search(); }
})();

// Long tables: a filter box above, and headers that sort on click (numbers as numbers).
// Progressive: without scripts the table is the same static table.
// A deadline table is paged (100 rows a page); its filter searches every row, from the open
// data file the page links to, fetched only once the reader starts typing.
(function () {
  var SHOW_AT_MOST = 300;
  function statusCell(row) {
    if (row.status !== "overdue") { return row.status_zh; }
    var strong = document.createElement("strong");
    strong.textContent = "⚠ " + row.status_zh;
    return strong;
  }
  // Per data file: the first header of the table it fills, and a row's cells in column order.
  var SOURCES = {
    "data/deadlines.json": { first: "事故", cells: function (row) {
      return [[row.title, row.url], statusCell(row), row.days_overdue || "", row.due, row.window_opens, row.closure_date,
              row.jurisdiction];
    } },
    "data/hazards.json": { first: "隐患", cells: function (row) {
      if (row.status === "closed") { return null; }  // the table lists hazards not yet closed
      return [[row.list_id + " " + row.id + "：" + row.description, row.url], statusCell(row), row.days_overdue || "",
              row.deadline || "", row.level, row.sector, row.town];
    } }
  };
  function sourceOf(table) {
    var header = table.tHead && table.tHead.rows[0].cells[0];
    for (var name in SOURCES) {
      var link = document.querySelector(".md-typeset a[href$='" + name + "']");
      if (link && header && header.textContent.trim() === SOURCES[name].first) {
        var url = new URL(link.getAttribute("href"), window.location.href);
        return { url: url, root: new URL(url.href.slice(0, -name.length)), cells: SOURCES[name].cells };
      }
    }
    return null;
  }
  function rowFor(cells, root) {
    var tr = document.createElement("tr");
    cells.forEach(function (value) {
      var td = document.createElement("td");
      if (Array.isArray(value)) {  // [text, site-relative URL]
        var a = document.createElement("a");
        a.textContent = value[0];
        a.href = new URL(value[1], root).href;
        td.appendChild(a);
      } else if (value instanceof Node) {
        td.appendChild(value);
      } else {
        td.textContent = String(value);
      }
      tr.appendChild(td);
    });
    return tr;
  }
  function cellValue(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }
  function compare(a, b) {
    var number = /^-?[\d,]+(\.\d+)?$/;  // 1,234.5 but not a date such as 2025-08-31
    if (number.test(a) && number.test(b)) { return parseFloat(a.replace(/,/g, "")) - parseFloat(b.replace(/,/g, "")); }
    if (a === "" || b === "") { return a === "" ? 1 : -1; }
    return a.localeCompare(b, "zh-CN");
  }
  function enhance(table) {
    var body = table.tBodies[0];
    if (!body || body.rows.length < 6 || table.dataset.enhanced) { return; }
    table.dataset.enhanced = "1";
    var input = document.createElement("input");
    input.type = "search";
    input.className = "portal-table-filter";
    input.placeholder = "筛选本表（输入任意文字）";
    input.setAttribute("aria-label", "筛选本表");
    var status = document.createElement("span");
    status.className = "portal-table-count";
    status.setAttribute("aria-live", "polite");
    var holder = table.closest(".md-typeset__scrollwrap") || table;
    holder.parentNode.insertBefore(input, holder);
    holder.parentNode.insertBefore(status, holder);
    var source = sourceOf(table), pageRows = Array.prototype.slice.call(body.rows), allRows = null, latest = 0;
    if (source) { input.placeholder = "筛选全部数据（不限本页，输入任意文字）"; }
    function matches(text, words) { return words.every(function (w) { return text.indexOf(w) >= 0; }); }
    function filterPage(words) {
      var shown = 0;
      pageRows.forEach(function (row) {
        var match = matches(row.textContent.toLowerCase(), words);
        row.hidden = !match;
        shown += match ? 1 : 0;
      });
      status.textContent = words.length ? "显示 " + shown + " / " + pageRows.length + " 行" : "";
    }
    function loadAll() {
      if (!allRows) {
        allRows = fetch(source.url).then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        }).then(function (data) {
          return data.rows.map(function (row) { return source.cells(row); }).filter(Boolean).map(function (cells) {
            var text = cells.map(function (c) { return Array.isArray(c) ? c[0] : (c instanceof Node ? c.textContent : c); });
            return { cells: cells, text: text.join(" ").toLowerCase() };
          });
        });
      }
      return allRows;
    }
    function filterAll(words) {
      var mine = ++latest;
      status.textContent = "正在载入全部数据…";
      loadAll().then(function (rows) {
        if (mine !== latest) { return; }
        var found = rows.filter(function (row) { return matches(row.text, words); });
        body.replaceChildren.apply(body, found.slice(0, SHOW_AT_MOST).map(function (row) { return rowFor(row.cells, source.root); }));
        status.textContent = "全部 " + rows.length + " 行中有 " + found.length + " 行符合" +
          (found.length > SHOW_AT_MOST ? "，显示前 " + SHOW_AT_MOST + " 行，请输入更多文字缩小范围" : "");
      }).catch(function () {
        if (mine !== latest) { return; }
        source = null;  // fall back to this page's rows
        body.replaceChildren.apply(body, pageRows);
        filterPage(words);
        status.textContent = "无法载入全部数据，仅筛选本页。" + status.textContent;
      });
    }
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      if (!source) { filterPage(words); return; }
      if (!words.length) {
        latest++;
        pageRows.forEach(function (row) { row.hidden = false; });
        body.replaceChildren.apply(body, pageRows);
        status.textContent = "";
        return;
      }
      filterAll(words);
    });
    Array.prototype.forEach.call(table.tHead ? table.tHead.rows[0].cells : [], function (th, index) {
      th.setAttribute("role", "columnheader");
      th.setAttribute("aria-sort", "none");
      th.tabIndex = 0;
      th.style.cursor = "pointer";
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(th.parentNode.cells, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var order = compare(cellValue(a, index), cellValue(b, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); } });
    });
  }
  function focusable() {
    // A table wider than the screen scrolls in its own box: keyboard users must be able to reach it.
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"), function (box) {
      if (!box.hasAttribute("tabindex")) { box.tabIndex = 0; box.setAttribute("role", "region"); box.setAttribute("aria-label", "表格"); }
    });
  }
  // A date, 文号, credit code, ID-like or number cell breaks nowhere: "2026-11-22" must not end a line at a hyphen.
  var UNBREAKABLE = /^(\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日|[\u4e00-\u9fa5]{1,12}[〔\[(（]\d{4}[〕\])）]\d+号|[0-9A-Z]{18}|[0-9A-Z*-]{6,24}|[\d.,%]+( ?[\u4e00-\u9fa5]{1,2})?|—)$/;
  function nowrap(table) {
    Array.prototype.forEach.call(table.querySelectorAll("td, th"), function (cell) {
      if (UNBREAKABLE.test(cell.textContent.trim())) { cell.classList.add("portal-nowrap"); }
    });
  }
  // The same for a date in running text: "截至 2026-11-22" keeps the date on one line.
  function nowrapDates(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var found = [];
    while (walker.nextNode()) { if (/\d{4}-\d{2}-\d{2}/.test(walker.currentNode.nodeValue)) { found.push(walker.currentNode); } }
    found.forEach(function (node) {
      if (node.parentNode.closest("td, th, code, .portal-nowrap")) { return; }
      var parts = node.nodeValue.split(/(\d{4}-\d{2}-\d{2})/);
      var fragment = document.createDocumentFragment();
      parts.forEach(function (part, i) {
        if (i % 2) { var span = document.createElement("span"); span.className = "portal-nowrap"; span.textContent = part; fragment.appendChild(span); }
        else if (part) { fragment.appendChild(document.createTextNode(part)); }
      });
      node.parentNode.replaceChild(fragment, node);
    });
  }
  function run() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset p, .md-typeset li"), nowrapDates);
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table"), function (table) { nowrap(table); enhance(table); });
    focusable();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
  // The theme wraps tables in their scrolling box from its own script; catch those too.
  window.addEventListener("load", focusable);
  new MutationObserver(focusable).observe(document.body, { childList: true, subtree: true });
})();

// Long tables: a filter box above, and headers that sort on click (numbers as numbers).
// Progressive: without scripts the table is the same static table.
(function () {
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
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = row.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        row.hidden = !match;
        shown += match ? 1 : 0;
      });
      status.textContent = words.length ? "显示 " + shown + " / " + body.rows.length + " 行" : "";
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
  function run() { Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table"), enhance); focusable(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
  // The theme wraps tables in their scrolling box from its own script; catch those too.
  window.addEventListener("load", focusable);
  new MutationObserver(focusable).observe(document.body, { childList: true, subtree: true });
})();

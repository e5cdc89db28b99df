// 大字 (large text) for older readers: a button above each page's content enlarges all text
// (the theme sizes everything in rem) and the choice is remembered on this device.
// Progressive: without scripts the button stays hidden and the page is unchanged.
(function () {
  var KEY = "portal-large-text";
  var root = document.documentElement;
  function remembered() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function apply(large, button) {
    root.classList.toggle("portal-large-text", large);
    if (button) {
      button.setAttribute("aria-pressed", large ? "true" : "false");
      button.textContent = large ? "标准字号" : "大字";
    }
  }
  apply(remembered(), null);
  window.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-portal-text-size]");
    if (!button) { return; }
    button.hidden = false;
    apply(remembered(), button);
    button.addEventListener("click", function () {
      var large = !root.classList.contains("portal-large-text");
      try { window.localStorage.setItem(KEY, large ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
      apply(large, button);
    });
  });
})();

// Start Pagefind's search box on the search page; a query in ?q= is run at once.
// A large site's index comes in several bundles (pagefind/, pagefind-2/, …): the first
// lists the others in portal-bundles.json and the search box merges them.
(function () {
  var script = document.currentScript.src;
  function start(others) {
    var merge = others.map(function (name) {
      return { bundlePath: new URL("../" + name + "/", script).pathname };
    });
    var ui = new PagefindUI({ element: ".portal-search", showSubResults: false, showImages: false,
                              resetStyles: false, mergeIndex: merge });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { ui.triggerSearch(query); }
  }
  window.addEventListener("DOMContentLoaded", function () {
    fetch(new URL("../pagefind/portal-bundles.json", script))
      .then(function (response) { return response.ok ? response.json() : []; })
      .catch(function () { return []; })
      .then(function (others) { start(Array.isArray(others) ? others : []); });
  });
})();

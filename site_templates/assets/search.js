// Start Pagefind's search box on the search page; a query in ?q= is run at once.
window.addEventListener("DOMContentLoaded", function () {
  var ui = new PagefindUI({ element: ".portal-search", showSubResults: false, showImages: false, resetStyles: false });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { ui.triggerSearch(query); }
});

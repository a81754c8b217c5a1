// Opens the explanation of a matrix cell: by click, or by the URL's #fragment (links work
// from a file:// page and from other reports). Nothing is fetched.
(function () {
  "use strict";
  function reveal(id, flash) {
    var target = document.getElementById(id);
    if (!target) { return; }
    var panel = target.closest("details.explanation");
    if (panel) {
      panel.open = true;
      if (flash) {
        panel.classList.remove("flash");
        void panel.offsetWidth;  // restart the animation
        panel.classList.add("flash");
      }
    }
    target.scrollIntoView({block: "start"});
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-opens]");
    if (!link) { return; }
    event.preventDefault();
    var id = link.getAttribute("data-opens");
    if (window.location.hash !== "#" + id) { history.replaceState(null, "", "#" + id); }
    reveal(id, true);
  });
  document.addEventListener("toggle", function (event) {
    var panel = event.target;
    if (!panel.matches || !panel.matches("details.explanation")) { return; }
    document.querySelectorAll('a[data-opens="' + panel.id + '"]').forEach(function (link) {
      link.setAttribute("aria-expanded", panel.open ? "true" : "false");
    });
  }, true);
  var only = document.getElementById("only-problems");
  if (only) {
    only.addEventListener("change", function () {
      document.querySelector("table.matrix").classList.toggle("only-problems", only.checked);
    });
  }
  function fromHash() {
    if (window.location.hash.length > 1) { reveal(decodeURIComponent(window.location.hash.slice(1)), false); }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
}());

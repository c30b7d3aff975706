// On a small screen the main menu folds behind one button, so the page itself comes first.
// Without JavaScript the button stays hidden and the menu stays open.
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var nav = document.querySelector(".main-nav");
  if (!button || !nav) { return; }
  nav.classList.add("foldable");
  button.classList.add("ready");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  });
})();

// Kiosk mode (shared workstation): back to the first question after a while without a touch,
// so nothing one person typed is left for the next. The thank-you page goes back in any case.
(function () {
  "use strict";
  var root = document.getElementById("kiosk");
  if (!root) { return; }
  var seconds = parseInt(root.getAttribute("data-kiosk-idle"), 10) || 60;
  var home = root.getAttribute("data-kiosk-home");
  var always = root.getAttribute("data-kiosk-always") === "true";
  var touched = false;
  var timer = null;

  function startOver() { window.location.replace(home); }

  function expire() {
    if (always || touched || window.scrollY > 0) {
      startOver();
    } else {
      arm();
    }
  }

  function arm() {
    window.clearTimeout(timer);
    timer = window.setTimeout(expire, seconds * 1000);
  }

  ["input", "change"].forEach(function (name) {
    document.addEventListener(name, function () { touched = true; arm(); }, true);
  });
  ["keydown", "pointerdown", "touchstart", "scroll", "wheel"].forEach(function (name) {
    document.addEventListener(name, arm, { capture: true, passive: true });
  });
  // A page brought back by the Back button is never shown with someone's answers.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { startOver(); }
  });
  var forms = document.querySelectorAll("form");
  for (var i = 0; i < forms.length; i += 1) { forms[i].reset(); }
  arm();
})();

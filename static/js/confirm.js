// Ask before an irreversible action: forms with data-confirm="question" need a yes first.
// Without JavaScript the form still works; the page around it already says what will happen.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();

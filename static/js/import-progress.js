// The import progress page: polls the job's status and moves the bar, then reloads the page
// for the result. Without JavaScript, the page refreshes itself (<noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || !window.fetch) {
    return;
  }
  var bar = document.getElementById("import-bar");
  var status = document.getElementById("import-status");
  var locale = (document.documentElement.lang || "fr") + "-CA";

  function number(value) {
    return Number(value).toLocaleString(locale);
  }

  function show(job) {
    if (job.total) {
      bar.max = job.total;
    }
    bar.value = job.processed;
    status.textContent = job.stage === "writing" || job.stage === "queued"
      ? box.getAttribute("data-msg-" + job.stage)
      : box.getAttribute("data-msg-checking")
          .replace("{done}", number(job.processed))
          .replace("{total}", number(job.total));
  }

  function poll() {
    fetch(box.getAttribute("data-status-url"), {credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (job) {
        if (job.finished) {
          window.location.reload();
          return;
        }
        show(job);
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);  // a network hiccup: try again, a little later
      });
  }

  window.setTimeout(poll, 1000);
})();

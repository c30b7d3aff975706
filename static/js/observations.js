// Field observations that survive bad Wi-Fi.
//
// Every observation first goes into this browser's queue (IndexedDB) with its own UUID, then to
// the server's sync endpoint, which stores each UUID once and says which ones it holds. The queue
// is sent on page load, when the connection returns, every minute while something waits, and on
// "Send now". Without JavaScript (or without IndexedDB) the form simply posts.
(function () {
  "use strict";

  var form = document.getElementById("observation-form");
  if (!form || !window.indexedDB || !window.fetch || !window.Promise || !window.FormData) {
    return;
  }
  var messages = form.dataset;
  var userId = messages.user;
  var text = form.elements.text;
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var csrfToken = tokenMeta ? tokenMeta.content : "";
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  var BATCH = 20;
  var RETRY_EVERY_MS = 60000;
  var PREVIEW_DELAY_MS = 700;

  function byId(id) { return document.getElementById(id); }

  function format(message, values) {
    return message.replace(/\{(\w+)\}/g, function (_all, key) { return values[key]; });
  }

  // --- The queue: one IndexedDB store of observations, keyed by UUID ---------------------------

  var database = new Promise(function (resolve, reject) {
    var request = indexedDB.open("echo-observations", 1);
    request.onupgradeneeded = function () {
      request.result.createObjectStore("queue", { keyPath: "uuid" });
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });

  function withStore(mode, action) {
    return database.then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction("queue", mode);
        var request = action(transaction.objectStore("queue"));
        transaction.oncomplete = function () { resolve(request.result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function allItems() { return withStore("readonly", function (s) { return s.getAll(); }); }
  function putItem(item) { return withStore("readwrite", function (s) { return s.put(item); }); }
  function deleteItem(uuid) { return withStore("readwrite", function (s) { return s.delete(uuid); }); }

  function newUuid() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();  // secure contexts only (HTTPS, localhost)
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;  // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80;  // RFC 4122 variant
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  function collect() {
    var data = new FormData(form);
    return {
      uuid: newUuid(),
      user: userId,  // a shared workstation: each queued item is sent only by its own author
      state: "waiting",
      location: data.get("location") || "",
      text: data.get("text") || "",
      affected_role: data.get("affected_role") || "",
      priority: data.get("priority") || "",
      themes: data.getAll("themes"),
      themes_reviewed: data.get("themes_reviewed") || "",
      observed_at: new Date().toISOString()
    };
  }

  function payload(item) {
    return {
      uuid: item.uuid, location: item.location, text: item.text,
      affected_role: item.affected_role, priority: item.priority, themes: item.themes,
      themes_reviewed: item.themes_reviewed, observed_at: item.observed_at
    };
  }

  // --- Sending ----------------------------------------------------------------------------

  function request(url, body) {
    return fetch(url, {
      method: body === undefined ? "GET" : "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
        "X-CSRFToken": csrfToken },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (json) {
        return { status: response.status, body: json };
      });
    });
  }

  function refreshToken() {
    return request(messages.tokenUrl).then(function (answer) {
      if (answer.body && answer.body.csrf_token) {
        csrfToken = answer.body.csrf_token;
        if (form.elements.csrf_token) { form.elements.csrf_token.value = csrfToken; }
      }
    });
  }

  // A page kept offline for hours may hold an expired token: get a fresh one and try once more.
  function post(url, body) {
    return request(url, body).then(function (answer) {
      if (answer.status === 400 && answer.body && answer.body.error === "csrf") {
        return refreshToken().then(function () { return request(url, body); });
      }
      return answer;
    });
  }

  function sendBatch(batch, outcome) {
    return post(messages.syncUrl, { items: batch.map(payload) }).then(function (answer) {
      if (answer.status === 401) {
        outcome.problem = "signed_out";
        return false;
      }
      if (!answer.body || !Array.isArray(answer.body.results)) {
        outcome.problem = "failed";  // a captive portal, a proxy page, a server error
        return false;
      }
      return Promise.all(answer.body.results.map(function (result) {
        outcome.results[result.uuid] = result;
        if (result.status === "stored") {
          return deleteItem(result.uuid);
        }
        var item = batch.filter(function (i) { return i.uuid === result.uuid; })[0];
        if (!item) {
          return null;
        }
        item.state = "rejected";
        item.errors = result.errors || {};
        return putItem(item);
      })).then(function () { return true; });
    });
  }

  function sendQueue() {
    var outcome = { results: {}, problem: null };
    return allItems().then(function (items) {
      var waiting = items.filter(function (i) { return i.user === userId && i.state === "waiting"; });
      var chain = Promise.resolve(true);
      for (var start = 0; start < waiting.length; start += BATCH) {
        chain = chain.then(sendNext(waiting.slice(start, start + BATCH), outcome));
      }
      return chain;
    }).catch(function () {
      outcome.problem = outcome.problem || "failed";  // offline: fetch itself failed
    }).then(function () {
      return render().then(function () { return outcome; });
    });
  }

  function sendNext(batch, outcome) {
    return function (goOn) { return goOn ? sendBatch(batch, outcome) : false; };
  }

  // One sync at a time in this page, and (where the browser can) across its tabs.
  var running = null;
  function sync() {
    if (!running) {
      var task = navigator.locks
        ? navigator.locks.request("echo-observation-sync", sendQueue)
        : sendQueue();
      running = task.then(function (outcome) { running = null; return outcome; },
        function () { running = null; return { results: {}, problem: "failed" }; });
    }
    return running;
  }

  // --- What the page shows ------------------------------------------------------------------

  function element(tag, content, className) {
    var node = document.createElement(tag);
    if (content) { node.textContent = content; }
    if (className) { node.className = className; }
    return node;
  }

  function button(label, action) {
    var node = element("button", label);
    node.type = "button";
    node.addEventListener("click", action);
    return node;
  }

  function reasons(errors) {
    return Object.keys(errors || {}).map(function (k) { return errors[k].join(" "); }).join(" ");
  }

  function render() {
    return allItems().then(function (items) {
      var mine = items.filter(function (i) { return i.user === userId; });
      var waiting = mine.filter(function (i) { return i.state === "waiting"; });
      var rejected = mine.filter(function (i) { return i.state === "rejected"; });
      var others = items.length - mine.length;
      byId("queue").hidden = !(waiting.length || rejected.length || others);
      byId("queue-count").textContent = waiting.length
        ? format(messages.msgWaiting, { n: numbers.format(waiting.length) }) : "";
      byId("queue-note").textContent = others
        ? format(messages.msgOtherUser, { n: numbers.format(others) }) : "";
      byId("send-now").hidden = !waiting.length;
      var list = byId("rejected");
      list.textContent = "";
      rejected.forEach(function (item) {
        var entry = element("li");
        entry.append(element("strong", messages.msgRejected), " ",
          element("q", item.text.slice(0, 80)), " ", element("span", reasons(item.errors)), " ",
          button(messages.msgRestore, function () { restore(item); }),
          button(messages.msgDiscard, function () { deleteItem(item.uuid).then(render); }));
        list.append(entry);
      });
    });
  }

  function announce(message) {
    var node = byId("sent");
    node.textContent = message;
    node.hidden = !message;
  }

  function clearErrors() {
    form.querySelectorAll(".js-error").forEach(function (node) { node.remove(); });
    form.querySelectorAll(".has-error").forEach(function (node) {
      node.classList.remove("has-error");
    });
  }

  // Each reason next to its field; returns those that have no field on screen.
  function showErrors(errors) {
    var first = null;
    var elsewhere = [];
    Object.keys(errors || {}).forEach(function (name) {
      var target = byId(name);
      var box = target && target.closest(".field");
      if (!box) {
        elsewhere.push(errors[name].join(" "));
        return;
      }
      var error = element("p", errors[name].join(" "), "error js-error");
      error.id = name + "-error";
      box.classList.add("has-error");
      box.append(error);
      target.setAttribute("aria-describedby", ((target.getAttribute("aria-describedby") || "") +
        " " + error.id).trim());
      first = first || target;
    });
    if (first) { (first.matches("fieldset") ? first.querySelector("input") : first).focus(); }
    return elsewhere.join(" ");
  }

  // Back into the form: an observation the server refused, to correct and send again.
  function restore(item) {
    clearErrors();
    form.elements.location.value = item.location;
    text.value = item.text;
    form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (box) {
      if (box.name === "affected_role") { box.checked = box.value === item.affected_role; }
      if (box.name === "priority") { box.checked = box.value === item.priority; }
      if (box.name === "themes") { box.checked = item.themes.indexOf(box.value) !== -1; }
    });
    form.elements.themes_reviewed.value = item.themes_reviewed;
    updateCount();
    return deleteItem(item.uuid).then(render).then(function () {
      announce(messages.msgFix);
      var elsewhere = showErrors(item.errors);
      if (elsewhere) { announce(messages.msgFix + " " + elsewhere); }
    });
  }

  function resetForm() {
    var location = form.elements.location.value;  // the next round is usually on the same unit
    form.reset();
    form.elements.location.value = location;
    form.elements.client_uuid.value = newUuid();
    form.elements.themes_reviewed.value = "";
    touched = {};
    lastPreview = null;
    updateCount();
  }

  function onSubmit(event) {
    event.preventDefault();
    clearErrors();
    announce("");
    if (!form.checkValidity()) {
      form.reportValidity();
      return;
    }
    var item = collect();
    putItem(item).then(function () {
      resetForm();
      return sync();
    }).then(function (outcome) {
      var result = outcome.results[item.uuid];
      if (result && result.status === "stored") {
        announce(messages.msgSent);
      } else if (result) {
        item.errors = result.errors;
        restore(item);
      } else {
        announce(outcome.problem === "signed_out" ? messages.msgSignedOut : messages.msgKept);
      }
    });
  }

  // --- Theme chips, suggested as the text is typed --------------------------------------------

  var touched = {};  // chips the observer set by hand: suggestions leave them alone
  var lastPreview = null;
  var previewTimer = null;
  var previewAbort = null;

  function preview() {
    var draft = text.value.trim();
    if (draft === lastPreview) {
      form.elements.themes_reviewed.value = "1";
      return;
    }
    if (previewAbort) { previewAbort.abort(); }
    previewAbort = window.AbortController ? new AbortController() : null;
    fetch(messages.themesUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
        "X-CSRFToken": csrfToken },
      body: JSON.stringify({ text: draft }),
      signal: previewAbort ? previewAbort.signal : undefined
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (body) {
      if (!body || !Array.isArray(body.themes) || text.value.trim() !== draft) { return; }
      var found = body.themes.map(function (theme) { return theme.code; });
      form.querySelectorAll('input[name="themes"]').forEach(function (box) {
        if (!touched[box.value]) { box.checked = found.indexOf(box.value) !== -1; }
      });
      form.elements.themes_reviewed.value = "1";
      lastPreview = draft;
      var hint = byId("themes-hint");
      if (hint) { hint.textContent = messages.msgLiveHint; }
    }).catch(function () {
      // Offline: the server finds the themes when the observation arrives.
    });
  }

  var counter = element("p", "", "hint counter");
  counter.id = "text-count";
  text.after(counter);
  function updateCount() {
    counter.textContent = format(messages.msgCount, {
      n: numbers.format(text.value.length), max: numbers.format(text.maxLength)
    });
  }

  text.addEventListener("input", function () {
    updateCount();
    form.elements.themes_reviewed.value = "";  // until the chips match the text again
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, PREVIEW_DELAY_MS);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "themes") { touched[event.target.value] = true; }
  });
  updateCount();

  // --- Connection ---------------------------------------------------------------------------

  function showConnection() { byId("connection").hidden = navigator.onLine; }

  window.addEventListener("online", function () { showConnection(); sync(); });
  window.addEventListener("offline", showConnection);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { sync(); }
  });

  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(messages.swUrl, { scope: messages.swScope })
      .catch(function () { /* the page still works online */ });
  }

  // Take over the form only once the queue is known to work.
  database.then(function () {
    form.addEventListener("submit", onSubmit);
    byId("send-now").addEventListener("click", function () {
      sync().then(function (outcome) {
        if (outcome.problem) {
          announce(outcome.problem === "signed_out" ? messages.msgSignedOut : messages.msgFailed);
        }
      });
    });
    showConnection();
    sync();
    // navigator.onLine says little on hospital Wi-Fi: keep trying while something waits.
    setInterval(sync, RETRY_EVERY_MS);
  }).catch(function () { /* no IndexedDB (some private modes): the form posts as usual */ });
})();

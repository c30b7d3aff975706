// Field observations that survive bad Wi-Fi.
//
// Every observation first goes into this browser's queue (IndexedDB) with its own UUID, then to
// the server's sync endpoint, which stores each UUID once and says which ones it holds. The queue
// is sent on page load, when the connection returns, every minute while something waits, and on
// "Send now". Without JavaScript (or without IndexedDB) the form simply posts.
//
// The page says the queue's true state at all times, right under the button: what waits (and why
// the last try failed), what the server refused and why, and what was sent when (a log of the
// last 12 hours, kept in the browser with the server's redacted words, never the draft).
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
  var SENT_LOG_MS = 12 * 3600 * 1000;
  // Times are shown in Québec, whatever the device's own zone.
  var clock = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { hour: "numeric", minute: "2-digit", timeZone: "America/Toronto" });

  function timeOf(iso) { return clock.format(new Date(iso)); }

  function byId(id) { return document.getElementById(id); }

  function format(message, values) {
    return message.replace(/\{(\w+)\}/g, function (_all, key) { return values[key]; });
  }

  // --- The queue and the sent log: two IndexedDB stores, keyed by UUID ------------------------

  var database = new Promise(function (resolve, reject) {
    var request = indexedDB.open("echo-observations", 2);
    request.onupgradeneeded = function () {
      var names = request.result.objectStoreNames;
      if (!names.contains("queue")) { request.result.createObjectStore("queue", { keyPath: "uuid" }); }
      if (!names.contains("sent")) { request.result.createObjectStore("sent", { keyPath: "uuid" }); }
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });

  function withStore(mode, action, name) {
    return database.then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(name || "queue", mode);
        var request = action(transaction.objectStore(name || "queue"));
        transaction.oncomplete = function () { resolve(request.result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  function allItems() { return withStore("readonly", function (s) { return s.getAll(); }); }
  function putItem(item) { return withStore("readwrite", function (s) { return s.put(item); }); }
  function deleteItem(uuid) { return withStore("readwrite", function (s) { return s.delete(uuid); }); }

  function allSent() { return withStore("readonly", function (s) { return s.getAll(); }, "sent"); }
  function logSent(entry) {
    return withStore("readwrite", function (s) { return s.put(entry); }, "sent");
  }
  function forgetSent(uuid) {
    return withStore("readwrite", function (s) { return s.delete(uuid); }, "sent");
  }

  // Out of the queue, into the log: the server holds it now.
  function markSent(item, result) {
    return logSent({
      uuid: item.uuid, user: item.user, written_at: item.observed_at,
      sent_at: new Date().toISOString(), ref: result.ref || "", excerpt: result.excerpt || ""
    }).then(function () { return deleteItem(item.uuid); });
  }

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
        outcome.problem = "server";  // a captive portal, a proxy page, a server error
        outcome.status = answer.status;
        return false;
      }
      return Promise.all(answer.body.results.map(function (result) {
        outcome.results[result.uuid] = result;
        var item = batch.filter(function (i) { return i.uuid === result.uuid; })[0];
        if (!item) {
          return null;
        }
        if (result.status === "stored") {
          outcome.sent.push(item.uuid);
          return markSent(item, result);
        }
        item.state = "rejected";
        item.errors = result.errors || {};
        item.tried_at = new Date().toISOString();
        return putItem(item);
      })).then(function () { return true; });
    }, function () {
      outcome.problem = "offline";  // fetch itself failed: no network
      return false;
    });
  }

  // What waits keeps the reason its last try failed, so the page says it after a reload too.
  function noteProblem(outcome) {
    return allItems().then(function (items) {
      var now = new Date().toISOString();
      return Promise.all(items.filter(function (i) {
        return i.user === userId && i.state === "waiting";
      }).map(function (item) {
        item.tried_at = now;
        item.problem = outcome.problem;
        item.status = outcome.status || null;
        return putItem(item);
      }));
    });
  }

  function sendQueue() {
    var outcome = { results: {}, problem: null, status: null, sent: [] };
    return allItems().then(function (items) {
      var waiting = items.filter(function (i) { return i.user === userId && i.state === "waiting"; });
      var chain = Promise.resolve(true);
      for (var start = 0; start < waiting.length; start += BATCH) {
        chain = chain.then(sendNext(waiting.slice(start, start + BATCH), outcome));
      }
      return chain;
    }).catch(function () {
      outcome.problem = outcome.problem || "offline";
    }).then(function () {
      return outcome.problem ? noteProblem(outcome) : null;
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
        function () { running = null; return { results: {}, problem: "offline", sent: [] }; });
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

  function problemText(item) {
    var reason = item.problem === "signed_out" ? messages.msgReasonSignedOut
      : item.problem === "server" ? format(messages.msgReasonServer, { status: item.status || "?" })
        : messages.msgReasonOffline;
    return format(messages.msgLastTry, { time: timeOf(item.tried_at), reason: reason });
  }

  function render() {
    return Promise.all([allItems(), allSent()]).then(function (stores) {
      var items = stores[0];
      var mine = items.filter(function (i) { return i.user === userId; });
      var waiting = mine.filter(function (i) { return i.state === "waiting"; });
      var rejected = mine.filter(function (i) { return i.state === "rejected"; });
      var others = items.length - mine.length;
      byId("queue").hidden = false;
      byId("queue-count").textContent = waiting.length
        ? format(messages.msgWaiting, { n: numbers.format(waiting.length) })
        : messages.msgNothingWaiting;
      byId("queue-note").textContent = others
        ? format(messages.msgOtherUser, { n: numbers.format(others) }) : "";
      var failed = waiting.filter(function (i) { return i.tried_at && i.problem; })
        .sort(function (a, b) { return a.tried_at < b.tried_at ? 1 : -1; })[0];
      byId("queue-problem").textContent = failed ? problemText(failed) : "";
      byId("queue-problem").hidden = !failed;
      byId("send-now").hidden = !waiting.length;
      var list = byId("rejected");
      list.textContent = "";
      rejected.forEach(function (item) {
        var entry = element("li");
        entry.append(element("strong", item.tried_at
          ? format(messages.msgRejectedAt, { time: timeOf(item.tried_at) }) : messages.msgRejected),
        " ", element("q", item.text.slice(0, 80)), " ", element("span", reasons(item.errors)), " ",
        button(messages.msgRestore, function () { restore(item); }),
        button(messages.msgDiscard, function () { deleteItem(item.uuid).then(render); }));
        list.append(entry);
      });
      return renderSent(stores[1]);
    });
  }

  // The last 12 hours of what this person sent from here, newest first; older entries go.
  function renderSent(entries) {
    var since = Date.now() - SENT_LOG_MS;
    var old = entries.filter(function (e) { return Date.parse(e.sent_at) < since; });
    var shown = entries.filter(function (e) {
      return e.user === userId && Date.parse(e.sent_at) >= since;
    }).sort(function (a, b) { return a.sent_at < b.sent_at ? 1 : -1; });
    var list = byId("sent-list");
    list.textContent = "";
    shown.forEach(function (entry) {
      var line = element("li");
      line.append(element("span", format(messages.msgSentEntry, {
        written: timeOf(entry.written_at), sent: timeOf(entry.sent_at)
      }), "meta"), " ", element("q", entry.excerpt));
      list.append(line);
    });
    byId("sent-log").hidden = !shown.length;
    return Promise.all(old.map(function (e) { return forgetSent(e.uuid); }));
  }

  // Said right under the button; after a tap on it, focus moves there too (and the screen
  // reader reads it); a background sending only speaks through the live region.
  function announce(message, kind, focus) {
    var node = byId("sent");
    node.textContent = message;
    node.className = "outcome" + (message ? " outcome-" + (kind || "info") : "");
    if (message && focus) {
      node.focus({ preventScroll: true });
      node.scrollIntoView({ block: "nearest" });
    }
  }

  function sentMessage(count) {
    return count > 1 ? format(messages.msgSentMany, { n: numbers.format(count) }) : messages.msgSent;
  }

  // A sending nobody tapped for (the connection returned, the minute passed): say what it sent.
  function syncAndReport() {
    return sync().then(function (outcome) {
      if (outcome.sent && outcome.sent.length) {
        announce(sentMessage(outcome.sent.length), "success", false);
      }
      return outcome;
    });
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
      error.setAttribute("role", "alert");
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
      var elsewhere = showErrors(item.errors);
      // The first field at fault has the focus when there is one; else the message takes it.
      announce(elsewhere ? messages.msgFix + " " + elsewhere : messages.msgFix, "error",
        !form.querySelector(".js-error"));
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
    announce(messages.msgSending, "info", false);
    putItem(item).then(function () {
      resetForm();
      return sync();
    }).then(function (outcome) {
      // A sending already under way when the button was tapped did not carry this one.
      return outcome.results[item.uuid] || outcome.problem ? outcome : sync();
    }).then(function (outcome) {
      var result = outcome.results[item.uuid];
      if (result && result.status === "stored") {
        announce(sentMessage(outcome.sent.length), "success", true);
      } else if (result) {
        item.errors = result.errors;
        restore(item);
      } else {
        announce(outcome.problem === "signed_out" ? messages.msgSignedOut : messages.msgKept,
          "info", true);
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

  window.addEventListener("online", function () { showConnection(); syncAndReport(); });
  window.addEventListener("offline", showConnection);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { syncAndReport(); }
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
          announce(outcome.problem === "signed_out" ? messages.msgSignedOut : messages.msgFailed,
            "error", true);
        } else if (outcome.sent.length) {
          announce(sentMessage(outcome.sent.length), "success", true);
        }
      });
    });
    showConnection();
    render();
    syncAndReport();
    // navigator.onLine says little on hospital Wi-Fi: keep trying while something waits.
    setInterval(syncAndReport, RETRY_EVERY_MS);
  }).catch(function () { /* no IndexedDB (some private modes): the form posts as usual */ });
})();

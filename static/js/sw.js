// Écho's service worker, served as /observations/sw.js so that its scope is /observations/.
//
// It keeps the observation form and its assets so the form opens without the network:
// the page network-first (a slow network falls back to the copy after a few seconds), the assets
// from the cache while a fresh copy is fetched. It never touches anything but GET: observations
// themselves wait in the page's IndexedDB queue, never here.
"use strict";

var CACHE = "echo-observations-v2";
var PAGE = new URL("new", self.registration.scope).href;
var ASSETS = ["../static/css/echo.css", "../static/js/observations.js", "../static/favicon.svg"]
  .map(function (path) { return new URL(path, self.location).href; });
var NETWORK_TIMEOUT_MS = 4000;

// Only the form itself is kept: not a redirect to the sign-in page, not an error, not a page
// carrying a one-time message (the server marks the pages it is safe to keep).
function keepable(response) {
  return Boolean(response && response.ok && !response.redirected &&
    response.headers.get("X-Echo-Offline") === "cache");
}

function keepPage(cache, response) {
  return keepable(response) ? cache.put(PAGE, response.clone()) : Promise.resolve();
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all([
      cache.addAll(ASSETS).catch(function () {}),
      fetch(PAGE, { credentials: "same-origin" })
        .then(function (response) { return keepPage(cache, response); })
        .catch(function () {})
    ]);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf("echo-observations") === 0 && key !== CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return;  // what is sent goes to the network, and is never cached
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && url.origin + url.pathname === PAGE) {
    event.respondWith(pageNetworkFirst(request));
  } else if (ASSETS.indexOf(url.origin + url.pathname) !== -1) {
    event.respondWith(assetFromCache(event, request));
  }
});

function timeout(ms) {
  return new Promise(function (_resolve, reject) {
    setTimeout(function () { reject(new Error("timeout")); }, ms);
  });
}

function pageNetworkFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    var network = fetch(request).then(function (response) {
      return keepPage(cache, response).then(function () { return response; });
    });
    return Promise.race([network, timeout(NETWORK_TIMEOUT_MS)]).catch(function () {
      return cache.match(PAGE).then(function (copy) {
        // No copy yet: keep waiting for the network, or say plainly that it is missing.
        return copy || network.catch(offline);
      });
    });
  });
}

function assetFromCache(event, request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreSearch: true }).then(function (copy) {
      var network = fetch(request).then(function (response) {
        if (response.ok) {
          return cache.put(request, response.clone()).then(function () { return response; });
        }
        return response;
      });
      if (copy) {
        event.waitUntil(network.catch(function () {}));
        return copy;
      }
      return network;
    });
  });
}

function offline() {
  return new Response(
    "<!doctype html><meta charset=\"utf-8\"><meta name=\"viewport\" " +
    "content=\"width=device-width, initial-scale=1\"><title>Écho</title>" +
    "<p lang=\"fr\">Hors ligne. Ouvrez cette page une première fois avec une connexion : " +
    "elle fonctionnera ensuite sans réseau.</p>" +
    "<p lang=\"en\">Offline. Open this page once with a connection: it then works without " +
    "the network.</p>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
  );
}

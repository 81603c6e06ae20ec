// Offline reading: registered only when a trainee turns it on (the offline page), because
// anything kept on a shared phone can be found. It keeps pages that hold no personal data:
// for a signed-in trainee it stores the guest copy of a page (fetched without cookies), never
// the page they saw. Quiz answers sent with no signal wait here and are sent once when the
// connection returns. Sign-out, the quick exit and "Remove everything" delete it all.
"use strict";
var PAGES = "academy-pages";
var QUEUE = "academy-queue";
var SCOPE = self.registration.scope;
// Pages worth reading offline, relative to the scope: catalogue, course, lesson, quiz, safety.
var KEEP = /^(|c\/[^/]+|m\/[^/]+|m\/[^/]+\/q|safety|offline)$/;
var QUIZ = /^m\/[^/]+\/q$/;
// The stylesheet and lesson images are named by their content, so a kept copy never goes stale.
var STYLESHEET = /\/academy-[0-9a-f]+\.css$/;
var ASSET = /^(academy-[0-9a-f]+\.css|media\/[0-9a-f]+\.[a-z0-9]+)$/;
// A guest copy older than this is fetched again when a signed-in trainee reads the page.
var REFRESH_MS = 3600 * 1000;
var flushing = null;
// Set once this worker was told to forget: nothing it still has under way may write again.
var forgotten = false;

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.url.indexOf(SCOPE) !== 0) return;
  var path = new URL(request.url).pathname.slice(new URL(SCOPE).pathname.length);
  if (path === "sw.js") return;
  if (request.method === "POST" && QUIZ.test(path)) {
    event.respondWith(sendOrKeep(request));
  } else if (request.method === "POST" && path === "sign-out") {
    // Its answer is a redirect, whose headers a worker cannot read: forget first.
    event.respondWith(forget().then(function () { return fetch(request); }));
  } else if (request.method !== "GET") {
    event.respondWith(fetch(request).then(honour));
  } else if (path.indexOf("offline/answers/") === 0) {
    event.respondWith(sendNow(path.slice("offline/answers/".length)));
  } else if (KEEP.test(path)) {
    event.respondWith(page(event, request, keyOf(request.url)));
  } else if (ASSET.test(path)) {
    event.respondWith(asset(request));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data === "forget" || data.type === "forget") {
    event.waitUntil(forget());
  } else if (data.type === "save") {
    forgotten = false;  // turned on again (a worker told to forget may be brought back)
    event.waitUntil(save(data.urls, data.language, data.saver, event.source));
  } else if (data.type === "flush") {
    event.waitUntil(flush().then(function () { tell(event.source, {type: "changed"}); }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "academy-answers") event.waitUntil(flush());
});

// The address without its query: "?in=fr" on the catalogue is the same page to keep.
function keyOf(url) {
  var parsed = new URL(url);
  return parsed.origin + parsed.pathname;
}

// Network first, so an online trainee always reads the current version; the kept copy when not.
function page(event, request, key) {
  return fetch(request).then(function (response) {
    if (response.ok) event.waitUntil(keep(key, response.clone()));
    event.waitUntil(flush());
    return honour(response);
  }, function () {
    return openCache(PAGES).then(function (cache) {
      return cache.match(key).then(function (kept) {
        return kept || cache.match(SCOPE + "offline").then(function (fallback) {
          return fallback || Response.error();
        });
      });
    });
  });
}

// A guest's page is kept as it came; a signed-in trainee's page holds personal data, so its
// guest copy is fetched instead, in the same language and data-saver setting.
function keep(key, response) {
  if (!isPersonal(response)) {
    return openCache(PAGES).then(function (cache) { return cache.put(key, response); });
  }
  return openCache(PAGES).then(function (cache) {
    return cache.match(key).then(function (kept) {
      if (kept && Date.now() - Date.parse(kept.headers.get("Date")) < REFRESH_MS) return;
      return response.text().then(function (html) {
        return storeGuestCopy(cache, key, languageOf(html), html.indexOf("image-off") >= 0);
      });
    });
  });
}

function isPersonal(response) {
  return /no-store/.test(response.headers.get("Cache-Control") || "");
}

function languageOf(html) {
  var found = /<html lang="([^"]+)"/.exec(html);
  return found ? found[1] : "";
}

// The page as a guest sees it: no cookie goes with the request, so nothing personal comes back.
function storeGuestCopy(cache, key, language, saver) {
  var headers = {};
  if (language) headers["Accept-Language"] = language;
  if (saver) headers["Save-Data"] = "on";
  return fetch(key, {credentials: "omit", headers: headers}).then(function (response) {
    if (!response.ok || isPersonal(response)) return 0;
    return response.clone().text().then(function (html) {
      return cache.put(key, response).then(function () {
        return keepAssets(cache, html, key).then(function (more) { return html.length + more; });
      });
    });
  });
}

// The stylesheet and images a kept page uses (none in data-saver mode: the page has no <img>).
function keepAssets(cache, html, page) {
  var found = html.match(/(href|src)="[^"]*\/(academy-[0-9a-f]+\.css|media\/[0-9a-f]+\.[a-z0-9]+)"/g) || [];
  return Promise.all(found.map(function (attribute) {
    // Lesson images are written relative to their page.
    var url = new URL(attribute.replace(/^(href|src)="|"$/g, "").replace(/&amp;/g, "&"), page).href;
    return cache.match(url).then(function (kept) {
      if (kept) return 0;
      return fetch(url, {credentials: "omit"}).then(function (response) {
        if (!response.ok) return 0;
        return response.clone().blob().then(function (blob) {
          return putAsset(cache, url, response).then(function () { return blob.size; });
        });
      }, function () { return 0; });
    });
  })).then(function (sizes) {
    return sizes.reduce(function (a, b) { return a + b; }, 0);
  });
}

function asset(request) {
  return openCache(PAGES).then(function (cache) {
    return cache.match(request.url).then(function (kept) {
      return kept || fetch(request).then(function (response) {
        if (response.ok) putAsset(cache, request.url, response.clone());
        return response;
      }, function () {
        // A page kept before a new stylesheet came still looks right with the new one.
        return cache.keys().then(function (requests) {
          var other = requests.filter(function (r) { return STYLESHEET.test(r.url); })[0];
          return STYLESHEET.test(request.url) && other ? cache.match(other) : Response.error();
        });
      });
    });
  });
}

// A new stylesheet replaces the one before it (each release names a new one).
function putAsset(cache, url, response) {
  var old = STYLESHEET.test(url) ? cache.keys().then(function (requests) {
    return Promise.all(requests.filter(function (r) { return STYLESHEET.test(r.url); })
      .map(function (r) { return cache.delete(r); }));
  }) : Promise.resolve();
  return old.then(function () { return cache.put(url, response); });
}

// "Save this course": every page it names, as a guest sees it, then how many bytes it took.
function save(urls, language, saver, client) {
  return openCache(PAGES).then(function (cache) {
    var done = 0;
    return Promise.all(urls.map(function (url) {
      var key = keyOf(new URL(url, SCOPE).href);
      return storeGuestCopy(cache, key, language, saver).then(function (bytes) {
        done += 1;
        tell(client, {type: "progress", done: done, total: urls.length});
        return bytes;
      }, function () { return -1; });
    }));
  }).then(function (sizes) {
    var failed = sizes.some(function (size) { return size <= 0; });
    tell(client, {type: failed ? "save-failed" : "saved"});
  });
}

// A response that tells the browser to clear this site's data (sign-out, account deletion)
// clears this worker's copies and queue too, and ends offline reading.
function honour(response) {
  if (response.headers.get("Clear-Site-Data")) {
    return forget().then(function () { return response; });
  }
  return response;
}

function forget() {
  forgotten = true;
  return caches.keys().then(function (names) {
    return Promise.all(names.map(function (name) { return caches.delete(name); }));
  }).then(function () {
    return self.registration.unregister();
  });
}

// A quiz sent with no signal: the answers wait on the phone, and the trainee is shown that.
// Answers from a trainee's own form (with its one-time ticket) are sent by themselves when the
// connection returns; the ticket ties them to that trainee, whoever uses the phone by then.
// Answers from a kept guest copy carry no ticket: they are held until someone opens them.
function sendOrKeep(request) {
  var copy = request.clone();
  return fetch(request).then(function (response) {
    // Taken: stored (a redirect to the result), or marked for a guest.
    if (response.type === "opaqueredirect" || response.ok) clearAnswered(request.url);
    return response;
  }, function () {
    return copy.text().then(function (body) {
      var ticketed = new URLSearchParams(body).get("ticket");
      var item = {id: String(Date.now()) + Math.random().toString(36).slice(2, 8),
                  url: keyOf(copy.url), body: body, state: ticketed ? "waiting" : "held",
                  at: Date.now()};
      return put(item).then(function () {
        if (ticketed && self.registration.sync) {
          self.registration.sync.register("academy-answers").catch(function () {});
        }
        return Response.redirect(SCOPE + "offline#waiting", 303);
      });
    });
  });
}

// Once the quiz's answers have been taken, those kept for it can go.
function clearAnswered(url) {
  return items().then(function (all) {
    return Promise.all(all.filter(function (item) {
      return item.url === keyOf(url) && item.state !== "sent";
    }).map(remove));
  }).catch(function () {});
}

function flush() {
  if (flushing) return flushing;
  flushing = items().then(function (all) {
    var waiting = all.filter(function (item) { return item.state === "waiting"; });
    return waiting.reduce(function (previous, item) {
      return previous.then(function () { return send(item); });
    }, Promise.resolve());
  }).catch(function () {}).then(function () { flushing = null; });
  return flushing;
}

// With the answers' own ticket, which the server takes instead of the security token a kept
// form has outlived: stored once, for the trainee the ticket names, and only while that trainee
// is signed in. The header says it is sent in the background: the server then renders nothing
// and sets no cookie, so a form open on the screen keeps its token. Nothing it answers is kept.
function send(item) {
  return fetch(item.url, {method: "POST", body: new URLSearchParams(item.body),
                          credentials: "include", headers: {"Academy-Background": "1"}})
    .then(function (response) {
      if (busy(response)) return;  // still waiting, with its ticket: the next try sends it once
      if (response.status === 204) {
        return put({id: item.id, url: item.url, state: "sent", at: item.at,
                    result: response.headers.get("Academy-Result")});
      }
      // Refused (signed out meanwhile, or someone else signed in): held for its trainee to open.
      item.state = "needs-you";
      return put(item);
    });
}

function withFreshToken(item) {
  return fetch(item.url, {credentials: "include", cache: "no-store"}).then(function (form) {
    if (busy(form)) throw new Error("try later");
    return form.text();
  }).then(function (html) {
    var body = new URLSearchParams(item.body);
    body.set("csrf_token", field(html, "csrf_token"));
    return body;
  });
}

// "Open it to send it": the answers go now, and whatever the server answers is shown, not kept.
// Ticketed answers go with a fresh token (the server asks their trainee to sign in if needed);
// answers without a ticket go without one, so the server gives the quiz back filled in, to be
// checked and sent by whoever is using the phone now.
function sendNow(id) {
  return items().then(function (all) {
    var item = all.filter(function (one) { return one.id === id && one.body; })[0];
    if (!item) return Response.redirect(SCOPE + "offline", 303);
    var body = new URLSearchParams(item.body);
    body.delete("csrf_token");
    var ready = body.get("ticket") ? withFreshToken(item) : Promise.resolve(body);
    return ready.then(function (fresh) {
      return fetch(item.url, {method: "POST", body: fresh, credentials: "include",
                              redirect: "manual"});
    }).then(function (response) {
      if (response.type !== "opaqueredirect") return response;
      return remove(item).then(function () { return response; });
    });
  }).catch(offlinePage);
}

function offlinePage() {
  return caches.match(SCOPE + "offline", {cacheName: PAGES}).then(function (page) {
    return page || Response.error();
  });
}

// The server could not take it now (too many tries, a database refusing writes): try later.
function busy(response) {
  return response.status === 429 || response.status >= 500;
}

function field(html, name) {
  var found = new RegExp('name="' + name + '" value="([^"]*)"').exec(html);
  return found ? found[1].replace(/&amp;/g, "&") : "";
}

function items() {
  return openCache(QUEUE).then(function (cache) {
    return cache.keys().then(function (requests) {
      var notes = requests.filter(function (r) { return /\/offline\/queue\//.test(r.url); });
      return Promise.all(notes.map(function (r) {
        return cache.match(r).then(function (response) { return response.json(); });
      }));
    });
  });
}

function put(item) {
  return openCache(QUEUE).then(function (cache) {
    return cache.put(SCOPE + "offline/queue/" + item.id, new Response(JSON.stringify(item),
      {headers: {"Content-Type": "application/json"}}));
  });
}

function remove(item) {
  return openCache(QUEUE).then(function (cache) {
    return cache.delete(SCOPE + "offline/queue/" + item.id);
  });
}

// Every write goes through here, so that a send or a save under way when the trainee left (or
// removed everything) cannot bring the copies back.
function openCache(name) {
  return forgotten ? Promise.reject(new Error("forgotten")) : caches.open(name);
}

function tell(client, message) {
  if (client && client.postMessage) client.postMessage(message);
}

// The offline reading page: turn it on or off, save a course, list what the phone keeps and the
// quiz answers waiting to be sent. Every word shown comes from the page (translated there).
(function () {
  var root = document.getElementById("offline");
  if (!root) return;
  var PAGES = "academy-pages";
  var QUEUE = "academy-queue";
  var scope = root.getAttribute("data-scope");
  var worker = navigator.serviceWorker;
  function $(id) { return document.getElementById(id); }
  function text(name, values) {
    var template = root.getAttribute("data-" + name) || "";
    return template.replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
  }
  // NodeList.forEach is missing from older Android browsers.
  function each(selector, callback) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), callback);
  }
  function kb(bytes) { return Math.max(1, Math.round(bytes / 1024)); }
  function show(id, on) { $(id).hidden = !on; }

  if (!worker || !window.caches || !window.isSecureContext) {
    root.hidden = false;
    show("unsupported", true);
    show("controls", false);
    return;
  }
  root.hidden = false;
  // Shown in place of a page that is not kept: say so.
  if (location.pathname !== scope + "offline") show("missing", true);

  function registration() {
    return worker.getRegistration(scope);
  }
  function titleOf(html) {
    var found = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html);
    var holder = document.createElement("div");
    holder.innerHTML = found ? found[1] : "";
    return holder.textContent;
  }
  function kept() {
    return caches.open(PAGES).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.map(function (request) {
          return cache.match(request).then(function (response) {
            return response.clone().blob().then(function (blob) {
              var page = /text\/html/.test(response.headers.get("Content-Type") || "");
              var entry = {url: request.url, size: blob.size, page: page, title: ""};
              if (!page) return entry;
              return response.text().then(function (html) {
                entry.title = titleOf(html);
                return entry;
              });
            });
          });
        }));
      });
    });
  }
  function answers() {
    return caches.open(QUEUE).then(function (cache) {
      return cache.keys().then(function (requests) {
        var notes = requests.filter(function (r) { return /\/offline\/queue\//.test(r.url); });
        return Promise.all(notes.map(function (r) {
          return cache.match(r).then(function (response) { return response.json(); });
        }));
      });
    });
  }
  // A "sent" note is shown while this page is open, then forgotten: the phone keeps no list of
  // the quizzes taken.
  var sentShown = [];
  function seeSentOnce(notes) {
    var seen = sentShown.map(function (n) { return n.id; });
    var fresh = notes.filter(function (n) { return n.state === "sent" && seen.indexOf(n.id) < 0; });
    if (fresh.length) caches.open(QUEUE).then(function (cache) {
      fresh.forEach(function (n) { cache.delete(location.origin + scope + "offline/queue/" + n.id); });
    });
    sentShown = sentShown.concat(fresh);
    return notes.filter(function (n) { return n.state !== "sent"; }).concat(sentShown);
  }
  function item(list, words, href, linkWords) {
    var li = document.createElement("li");
    li.textContent = words + " ";
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = linkWords;
      li.appendChild(a);
    }
    list.appendChild(li);
  }

  function render() {
    return registration().then(function (reg) {
      show("turn-on", !reg);
      show("off-state", !reg);
      show("on-state", !!reg);
      show("courses", !!reg);
      if (!reg) {
        show("kept", false);
        show("waiting", false);
        return;
      }
      return Promise.all([kept(), answers()]).then(function (found) {
        var entries = found[0], notes = seeSentOnce(found[1]);
        var byUrl = {};
        entries.forEach(function (e) { byUrl[e.url] = e; });
        var list = $("kept-list");
        list.textContent = "";
        var total = 0;
        entries.forEach(function (e) {
          total += e.size;
          if (e.page && e.title) item(list, "", e.url, e.title);
        });
        $("kept-total").textContent = text("total", {size: kb(total)});
        show("kept", entries.length > 0);
        each("[data-urls]", function (course) {
          var urls = course.getAttribute("data-urls").split(" ");
          var missing = urls.filter(function (u) { return !byUrl[new URL(u, location.href).href]; });
          var state = course.querySelector(".state");
          if (!course.saving) state.textContent = missing.length ? "" : text("saved", {});
          course.querySelector("button").hidden = !missing.length;
        });
        var waiting = $("waiting-list");
        waiting.textContent = "";
        notes.forEach(function (note) {
          var quiz = byUrl[note.url];
          var title = quiz && quiz.title ? quiz.title : text("quiz", {});
          var answer = scope + "offline/answers/" + note.id;
          if (note.state === "waiting") item(waiting, text("waiting", {title: title}));
          if (note.state === "sent") item(waiting, text("sent", {title: title}), note.result, text("see-result", {}));
          if (note.state === "needs-you" || note.state === "held") item(waiting, text("needs-you", {title: title}), answer, text("open", {}));
        });
        show("waiting", notes.length > 0);
        show("held-note", notes.some(function (n) { return n.state === "held"; }));
        if (notes.some(function (n) { return n.state === "waiting"; })) flushSoon();
      });
    });
  }

  var timer = null;
  // Try to send waiting answers now and then while this page is open; the worker sends once.
  function flushSoon() {
    if (timer) return;
    timer = setTimeout(function () { timer = null; flush(); }, 20000);
  }
  function flush() {
    if (worker.controller) worker.controller.postMessage({type: "flush"});
  }
  function turnOn() {
    return worker.register(scope + "sw.js", {scope: scope}).then(function () {
      return worker.ready;
    }).then(function (reg) {
      reg.active.postMessage({type: "save", urls: root.getAttribute("data-basics").split(" "),
                              language: document.documentElement.lang, saver: root.hasAttribute("data-saver")});
      return render();
    });
  }
  function removeEverything() {
    // The worker first, so that nothing it has under way writes again.
    if (worker.controller) worker.controller.postMessage("forget");
    return caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) { return caches.delete(name); }));
    }).then(registration).then(function (reg) {
      return reg && reg.unregister();
    }).then(render);
  }
  function saveCourse(course) {
    return worker.ready.then(function (reg) {
      course.saving = true;
      course.querySelector(".state").textContent = text("saving", {});
      reg.active.postMessage({type: "save", urls: course.getAttribute("data-urls").split(" "),
                              language: document.documentElement.lang, saver: root.hasAttribute("data-saver")});
    });
  }

  worker.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "saved" || data.type === "save-failed" || data.type === "changed") {
      each("[data-urls]", function (course) {
        if (!course.saving) return;
        course.saving = false;
        if (data.type === "save-failed") course.querySelector(".state").textContent = text("save-failed", {});
      });
      render();
    }
  });
  $("turn-on").addEventListener("click", turnOn);
  $("remove-all").addEventListener("click", removeEverything);
  each("[data-urls] button", function (button) {
    button.addEventListener("click", function () { saveCourse(button.parentNode); });
  });
  window.addEventListener("online", flush);
  render().then(flush);
})();

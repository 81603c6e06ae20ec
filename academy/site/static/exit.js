// Quick exit, with JavaScript: blank the page at once, tell the server to forget the visit,
// and leave with location.replace so Back does not come here. Shift pressed three times within
// two seconds does the same (as GOV.UK's "Exit this page"). Without JavaScript the link itself
// goes to /exit, which does the same on the server.
(function () {
  var link = document.querySelector("a.exit");
  if (!link) return;
  var target = link.getAttribute("data-exit-url");
  function leave(event) {
    if (event) event.preventDefault();
    document.title = "";
    document.body.innerHTML = "";
    try { sessionStorage.setItem("left", "1"); } catch (e) {}
    if (navigator.sendBeacon) navigator.sendBeacon(link.href + "?js");
    // Offline reading's copies go too, even with no signal, and from a page its worker does
    // not control: deleted from here (for at most half a second) before leaving.
    var forgetting = forgetOffline(), go = function () { window.location.replace(target); };
    if (forgetting) Promise.race([forgetting, new Promise(function (done) { setTimeout(done, 500); })]).then(go, go);
    else go();
  }
  // Where there is nothing to delete with (no service workers, no caches, no promises), the
  // first call that fails ends it: null, and the exit goes at once.
  function forgetOffline() {
    var worker = navigator.serviceWorker;
    try {
      // The worker first, so that nothing it has under way writes again.
      if (worker.controller) worker.controller.postMessage("forget");
      return Promise.all([
        caches.keys().then(function (all) { return Promise.all(all.map(function (name) { return caches.delete(name); })); }),
        worker.getRegistrations().then(function (all) { return Promise.all(all.map(function (r) { return r.unregister(); })); })
      ]);
    } catch (e) {
      return null;
    }
  }
  link.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift" || event.repeat) return;
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
  // Coming back with Back (from the browser's page cache) shows nothing.
  window.addEventListener("pageshow", function () {
    var left = false;
    try { left = sessionStorage.getItem("left") === "1"; } catch (e) {}
    if (left) leave();
  });
})();

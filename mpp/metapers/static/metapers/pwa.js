// Registers Metapers' service worker (offline copies of visited pages, installable app).
// Nothing on the page depends on it: without JavaScript the page works the same, online.
(function () {
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  var url = script.getAttribute("data-sw");
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(url).catch(function () { /* no worker: online only */ });
  });
})();

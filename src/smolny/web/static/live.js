/* Live sitting pages (the delegate's and the chair's): follow the sitting's server-sent
   events and let htmx re-fetch the page's parts (each listens for "sitting-changed" and
   answers 204 when unchanged). Refusals (403, 409, 422) are shown like any answer. */
(function () {
  "use strict";
  if (window.smolnyLive) { window.smolnyLive.close(); }
  var root = document.querySelector("[data-sitting-events]");
  if (!root || !window.EventSource) { return; }
  // A page loaded whole runs this before htmx, which is deferred: start once it is there.
  if (!window.htmx) { document.addEventListener("DOMContentLoaded", follow); } else { follow(); }
  function follow() {
    if (!window.htmx) { return; }
    var url = root.getAttribute("data-sitting-events");
    var source = new EventSource(url);
    var opened = false;
    function refresh() { window.htmx.trigger(document.body, "sitting-changed"); }
    function close() {
      source.close();
      document.body.removeEventListener("htmx:beforeSwap", onSwap);
      window.smolnyLive = null;
    }
    function onSwap(event) {
      var detail = event.detail;
      if (detail.target === document.body) { close(); return; }  // a boosted page replaces this one
      var status = detail.xhr.status;
      if ((status === 403 || status === 404 || status === 409 || status === 422) &&
          detail.elt.closest && detail.elt.closest("[data-journey]")) {
        detail.shouldSwap = true;
        detail.isError = false;
      }
    }
    source.addEventListener("change", refresh);
    source.addEventListener("open", function () {
      if (opened) { refresh(); }  // back after a break: catch up
      opened = true;
      root.setAttribute("data-live", "on");
    });
    source.addEventListener("error", function () { root.setAttribute("data-live", "reconnecting"); });
    document.body.addEventListener("htmx:beforeSwap", onSwap);
    window.addEventListener("pagehide", close);
    window.smolnyLive = { close: close };
  }
})();

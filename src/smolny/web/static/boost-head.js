// A boosted link or form swaps only the body: bring along the stylesheets and scripts the
// new page's head names, so that a page reached inside the site looks and works as one
// opened directly.
document.addEventListener("htmx:beforeSwap", function (event) {
  var detail = event.detail;
  var boosted = detail.boosted || (detail.requestConfig && detail.requestConfig.boosted);
  if (!boosted || !detail.xhr || typeof detail.xhr.responseText !== "string") return;
  var head = new DOMParser().parseFromString(detail.xhr.responseText, "text/html").head;
  if (!head) return;
  head.querySelectorAll('link[rel="stylesheet"][href]').forEach(function (link) {
    var href = link.getAttribute("href");
    if (!document.head.querySelector('link[rel="stylesheet"][href="' + href + '"]')) {
      var copy = document.createElement("link");
      copy.rel = "stylesheet";
      copy.href = href;
      document.head.appendChild(copy);
    }
  });
  head.querySelectorAll("script[src]").forEach(function (script) {
    var src = script.getAttribute("src");
    if (!document.head.querySelector('script[src="' + src + '"]')) {
      var copy = document.createElement("script");
      copy.src = src;
      if (script.defer) copy.defer = true;
      document.head.appendChild(copy);
    }
  });
});

// The ad editor's live preview: after a pause in typing, the text is checked on the server
// and the preview replaced. Without JavaScript the "Check" button does the same with a page.
(function () {
  "use strict";
  var form = document.getElementById("ad-editor");
  var preview = document.getElementById("ad-preview");
  if (!form || !preview || !window.fetch) {
    return;
  }
  var text = form.querySelector("textarea[name=text]");
  var timer = null;
  var latest = 0;

  function refresh() {
    var mine = ++latest;
    fetch(form.getAttribute("data-preview"), {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "X-Fragment": "preview" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.ok || response.status === 422) {
        return response.text();
      }
      return null;
    }).then(function (html) {
      // An older answer arriving after a newer one is dropped.
      if (html !== null && mine === latest) {
        preview.innerHTML = html;
      }
    }).catch(function () {
      // Offline or refused: the Check button still works.
    });
  }

  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();

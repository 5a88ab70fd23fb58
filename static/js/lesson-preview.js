// Live preview of a lesson body while the trainer types: the server renders the Markdown
// through the same sanitiser as the learner's page and returns HTML that is safe to place.
// Without script the Preview button does the same on request.
(function () {
  "use strict";
  var form = document.getElementById("lesson-form");
  var box = document.getElementById("live-preview-box");
  var target = document.getElementById("live-preview");
  if (!form || !box || !target) return;
  var body = form.querySelector("textarea[name=body]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  if (!body || !token || !window.fetch) return;
  var timer = null;
  var sent = 0;

  function refresh() {
    var number = ++sent;
    var data = new FormData();
    data.append("body", body.value);
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value },
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        // Only the answer to the latest request is shown.
        if (html === null || number !== sent) return;
        target.innerHTML = html;
        box.hidden = false;
      })
      .catch(function () {});
  }

  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  if (body.value) refresh();
})();

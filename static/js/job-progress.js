// Polls a background job's status and updates its progress bar until the job finishes.
(function () {
  "use strict";
  var section = document.getElementById("job");
  if (!section || section.dataset.finished === "true") {
    return;
  }
  var url = section.dataset.statusUrl;
  var bar = document.getElementById("job-progress");
  var statusText = document.getElementById("job-status");
  var count = document.getElementById("job-count");
  var total = document.getElementById("job-total");
  var download = document.getElementById("job-download");
  var link = document.getElementById("job-download-link");
  var error = document.getElementById("job-error");

  function update(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + "%";
    statusText.textContent = state.status_label;
    count.textContent = state.progress;
    total.textContent = state.total;
    if (state.download_url) {
      link.href = state.download_url;
      download.hidden = false;
    }
    if (state.error) {
      error.hidden = false;
    }
    return state.finished;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (state) {
        if (!update(state)) {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 500);
})();

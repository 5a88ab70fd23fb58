// Shows the time left on a timed quiz and submits the answers just before the deadline.
// The server decides what counts: answers arriving after the deadline are ignored there.
(function () {
  "use strict";
  var box = document.getElementById("countdown");
  var form = document.getElementById("attempt-form");
  if (!box || !form) return;
  var value = document.getElementById("countdown-value");
  // Warnings read out by screen readers when five minutes and one minute are left (the
  // visible timer is not a live region: a reading every second would drown everything else).
  var warning = document.getElementById("countdown-warning");
  var warnings = warning
    ? [[60, warning.dataset.oneMinute], [300, warning.dataset.fiveMinutes]]
    : [];
  var endsAt = Date.now() + Number(box.dataset.secondsLeft) * 1000;
  var submitted = false;

  function format(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function submitNow() {
    if (submitted) return;
    submitted = true;
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "action";
    action.value = "submit";
    form.appendChild(action);
    form.submit();
  }

  // Only a threshold crossed while the page is open is announced, each once; when a tick
  // crosses two at once, the more urgent one.
  var startedWith = Math.round((endsAt - Date.now()) / 1000);
  warnings = warnings.filter(function (w) { return w[0] < startedWith; });

  function warn(left) {
    for (var i = 0; i < warnings.length; i++) {
      if (left <= warnings[i][0]) {
        warning.textContent = warnings[i][1];
        warnings = warnings.slice(0, i);
        return;
      }
    }
  }

  function tick() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    value.textContent = format(left);
    if (left <= 60) box.classList.add("countdown-urgent");
    warn(left);
    if (left <= 2) {
      submitNow();
      return;
    }
    window.setTimeout(tick, 500);
  }

  form.addEventListener("submit", function () { submitted = true; });
  tick();
})();

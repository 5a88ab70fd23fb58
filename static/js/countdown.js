// Shows the time left on a timed quiz and submits the answers just before the deadline.
// The server decides what counts: answers arriving after the deadline are ignored there.
(function () {
  "use strict";
  var box = document.getElementById("countdown");
  var form = document.getElementById("attempt-form");
  if (!box || !form) return;
  var value = document.getElementById("countdown-value");
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

  function tick() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    value.textContent = format(left);
    if (left <= 60) box.classList.add("countdown-urgent");
    if (left <= 2) {
      submitNow();
      return;
    }
    window.setTimeout(tick, 500);
  }

  form.addEventListener("submit", function () { submitted = true; });
  tick();
})();

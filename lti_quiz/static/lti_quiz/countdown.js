// The time left of a timed attempt. The server gives the deadline and its own clock (epoch
// seconds), so a device whose clock is off still counts down to the deadline the server enforces.
// At zero the quiz form is posted as it stands (the server accepts it within a short grace); a
// screen reader hears the time left at five minutes and one minute, and when the time is up, not
// every second.
(function () {
  "use strict";

  var box = document.getElementById("countdown");
  // The quiz form, or the summary's confirmation (which submits the saved answers).
  var form = document.getElementById("quiz-form") || document.getElementById("confirm-form");
  if (!box || !form) {
    return;
  }
  var deadlineMs = Number(box.dataset.deadline) * 1000;
  var skewMs = Number(box.dataset.now) * 1000 - Date.now(); // the server's clock minus ours
  var shown = document.getElementById("countdown-time");
  var announce = document.getElementById("countdown-announce");
  var marks = [
    {seconds: 300, say: box.dataset.sayFive},
    {seconds: 60, say: box.dataset.sayOne}
  ];
  var submitted = false;

  function secondsLeft() {
    return Math.max(0, Math.ceil((deadlineMs - (Date.now() + skewMs)) / 1000));
  }

  function format(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = (h && m < 10 ? "0" : "") + m;
    return (h ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
  }

  function submit() {
    if (submitted) {
      return;
    }
    submitted = true;
    announce.textContent = box.dataset.sayUp;
    // submit(), not requestSubmit(): no validation bubble and no confirmation step stops a
    // submit the deadline makes; unanswered questions are posted as unanswered.
    HTMLFormElement.prototype.submit.call(form);
  }

  // Only a mark crossed while the page is open is announced, not one already behind on load.
  var start = secondsLeft();
  marks.forEach(function (mark) { mark.done = start <= mark.seconds; });

  function tick() {
    var left = secondsLeft();
    shown.textContent = format(left);
    if (left <= 0) {
      submit();
      return;
    }
    marks.forEach(function (mark) {
      if (!mark.done && left <= mark.seconds) {
        mark.done = true;
        announce.textContent = mark.say;
      }
    });
    setTimeout(tick, 250);
  }

  tick();
})();

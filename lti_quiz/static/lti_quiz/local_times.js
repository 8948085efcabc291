// Shows every <time datetime> in the reader's own time zone, with the zone's name. The server
// writes times in the zone the launch named (a custom `timezone` parameter), or, when the launch
// named none (LTI has no time zone claim), in UTC labelled "UTC". Only the browser knows the
// reader's zone: this rewrites the text with Intl.DateTimeFormat in the page's language and keeps
// the server's text in the title. Without the script, the labelled server text stays.
// A page whose launch named a zone (<html data-time-zone>) is shown in that zone, not the
// browser's: the person's LMS profile is a better guess than a shared or travelling computer.
(function () {
  "use strict";
  var root = document.documentElement;

  function formatter() {
    // Components, not dateStyle/timeStyle: those two cannot be combined with timeZoneName.
    var options = {
      year: "numeric", month: "short", day: "numeric",
      hour: "numeric", minute: "2-digit", timeZoneName: "short",
    };
    if (root.dataset.timeZone) options.timeZone = root.dataset.timeZone;
    try {
      return new Intl.DateTimeFormat(root.lang || undefined, options);
    } catch (error) {
      return null; // an old browser, or a zone it does not know: keep the server's text
    }
  }

  function relabel(scope) {
    var format = formatter();
    if (!format) return;
    var times = (scope || document).querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var element = times[i];
      var value = element.getAttribute("datetime");
      // A date alone ("2026-12-05") names a day, not an instant: it has no zone to show.
      if (element.dataset.localTime || value.indexOf("T") < 0) continue;
      var moment = new Date(value);
      if (isNaN(moment.getTime())) continue;
      if (!element.title) element.title = element.textContent.trim();
      element.textContent = format.format(moment);
      element.dataset.localTime = "shown";
    }
  }

  window.ltiQuizLocalTimes = relabel; // for pages that add times after loading
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { relabel(document); });
  } else {
    relabel(document);
  }
})();

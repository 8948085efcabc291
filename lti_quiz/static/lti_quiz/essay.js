// Essays on the quiz page: a word count under each essay that follows the typing, counted as the
// server counts (quiz/kinds/essay.py: words lie between spaces and em or en dashes). The count
// itself is not a live region (it would speak at every key); only going over the maximum and
// back is announced, politely. Without this script the count shows what was saved.
(function () {
  "use strict";

  var SEPARATORS = /[\s\u0000-\u001f\u007f-\u009f\u2013\u2014]+/;

  function words(text) {
    return text.split(SEPARATORS).filter(function (word) { return word !== ""; }).length;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  function follow(area) {
    var count = document.getElementById(area.id + "-words");
    var alert = document.getElementById(area.id + "-alert");
    if (!count || !alert) {
      return;
    }
    var now = count.querySelector(".words-now");
    var low = Number(area.dataset.minWords || 0);
    var high = Number(area.dataset.maxWords || 0);
    var state = null;

    function limitState(n) {
      if (high && n > high) {
        return "over";
      }
      if (low && n > 0 && n < low) {
        return "under";
      }
      return "within";
    }

    function update(announce) {
      var n = words(area.value);
      now.textContent = fill(n === 1 ? count.dataset.sayOne : count.dataset.sayOther, { count: n });
      var problem = count.querySelector(".limits-problem");
      if (problem) {
        problem.remove(); // the server's note on the saved text; the count now says it live
      }
      var next = limitState(n);
      count.classList.toggle("is-over", next !== "within");
      // Only going over the maximum, and coming back under it, is said: falling short of
      // the minimum is simply where every essay starts.
      if (announce && state !== null && next !== state && (next === "over" || state === "over")) {
        var key = next === "over" ? "sayOver" : next === "under" ? "sayUnder" : "sayWithin";
        alert.textContent = fill(count.dataset[key], { low: low, high: high });
      }
      state = next;
    }

    area.addEventListener("input", function () { update(true); });
    state = limitState(words(area.value));
    count.classList.toggle("is-over", state !== "within");
  }

  Array.prototype.forEach.call(document.querySelectorAll("textarea.essay-text"), follow);
})();

// Progress and navigation on the quiz page: the answered count and the question panel follow
// the learner's answers and flags as they change, each flag checkbox becomes a toggle button,
// and a panel link moves focus to its question. Without this script the page works as the
// server drew it: checkboxes for flags, the count and panel as of the last page load.
(function () {
  "use strict";

  var form = document.getElementById("quiz-form");
  var panel = document.getElementById("question-panel");
  var count = document.getElementById("answered-count");
  if (!form || !panel || !count) {
    return;
  }
  var words = panel.dataset;
  // One question per page: the panel's buttons post the page; the server marks the current one.
  var paged = !!panel.querySelector("button.panel-item");

  function fieldsets() {
    return Array.prototype.slice.call(form.querySelectorAll("fieldset[data-slot]"));
  }

  function itemOf(slot) {
    return Array.prototype.slice
      .call(panel.querySelectorAll(".panel-item"))
      .filter(function (item) { return item.dataset.slot === slot; })[0] || null;
  }

  // Like the server's display.is_answered: a choice ticked, a text or any part given.
  function answered(fieldset) {
    if (fieldset.dataset.answer === "choices") {
      return !!fieldset.querySelector("input[name^='q-']:checked");
    }
    return Array.prototype.slice
      .call(fieldset.querySelectorAll("input[name^='q-'], textarea[name^='q-'], select[name^='q-']"))
      .some(function (field) {
        if (field.type === "checkbox" || field.type === "radio") {
          return field.checked;
        }
        return field.value.trim() !== "";
      });
  }

  function describe(item) {
    var state = item.querySelector(".panel-state");
    var parts = [
      state.dataset.question,
      item.classList.contains("is-answered") ? words.wordAnswered : words.wordUnanswered,
    ];
    if (item.classList.contains("is-flagged")) {
      parts.push(words.wordFlagged);
    }
    state.textContent = parts.join(", ");
  }

  function updateCount() {
    var answeredCount = panel.querySelectorAll(".panel-item.is-answered").length;
    var text = count.dataset.template.replace("%(answered)s", String(answeredCount));
    // A live region speaks on every change: only when the number itself changes.
    if (count.textContent !== text) {
      count.textContent = text;
    }
  }

  function refresh(fieldset) {
    var item = itemOf(fieldset.dataset.slot);
    if (!item) {
      return;
    }
    var flag = fieldset.querySelector(".flag-input");
    item.classList.toggle("is-answered", answered(fieldset));
    item.classList.toggle("is-flagged", !!(flag && flag.checked));
    describe(item);
    updateCount();
  }

  function markCurrent(slot) {
    panel.querySelectorAll(".panel-item").forEach(function (item) {
      if (item.dataset.slot === slot) {
        item.setAttribute("aria-current", "true");
      } else {
        item.removeAttribute("aria-current");
      }
    });
  }

  function enhanceFlag(fieldset) {
    var input = fieldset.querySelector(".flag-input");
    var label = input && input.closest("label");
    if (!label) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "flag-toggle";
    var mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = "⚑ ";
    button.appendChild(mark);
    button.appendChild(document.createTextNode(label.textContent.trim()));
    button.setAttribute("aria-pressed", input.checked ? "true" : "false");
    button.addEventListener("click", function () {
      input.checked = !input.checked;
      // The checkbox stays in the form (hidden), so a page post carries the flag as well.
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    input.addEventListener("change", function () {
      button.setAttribute("aria-pressed", input.checked ? "true" : "false");
    });
    label.style.display = "none";
    label.parentNode.insertBefore(button, label.nextSibling);
  }

  function focusQuestion(fieldset) {
    fieldset.focus();
    if (!paged) {
      markCurrent(fieldset.dataset.slot);
    }
  }

  fieldsets().forEach(function (fieldset) {
    enhanceFlag(fieldset);
    refresh(fieldset); // answers this browser kept and autosave.js put back
  });

  form.addEventListener("input", function (event) {
    var fieldset = event.target.closest("fieldset[data-slot]");
    if (fieldset) {
      refresh(fieldset);
    }
  });
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[data-slot]");
    if (fieldset) {
      refresh(fieldset);
    }
  });

  if (!paged) {
    form.addEventListener("focusin", function (event) {
      var fieldset = event.target.closest("fieldset[data-slot]");
      if (fieldset) {
        markCurrent(fieldset.dataset.slot);
      }
    });
    panel.addEventListener("click", function (event) {
      var link = event.target.closest("a.panel-item");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (target) {
        event.preventDefault();
        focusQuestion(target);
      }
    });
  }

  // Arrived from the summary or the panel (…#question-3): focus there, so the next Tab is
  // inside the question.
  var hash = window.location.hash.slice(1);
  var arrived = hash && document.getElementById(hash);
  if (arrived && arrived.matches("fieldset[data-slot]")) {
    focusQuestion(arrived);
  }
})();

// Saved as you go: the quiz form's answers and flags are stored on the server about a second after each
// change, and when the page is hidden or left. What the server has not confirmed yet is kept in
// this browser (localStorage, by attempt id), so an expired launch or a lost connection never
// loses typed answers: the next quiz page of the same attempt puts them back and saves them.
// Without this script the form submits as it always did; the posted form is what is scored.
(function () {
  "use strict";

  var form = document.getElementById("quiz-form");
  if (!form || !form.dataset.saveUrl || !window.fetch || !window.JSON) {
    return;
  }
  var DEBOUNCE_MS = 1000;
  var status = document.getElementById("autosave-status");
  var attemptId = Number(form.dataset.attempt);
  var storageKey = "lti-quiz:unsaved-answers:attempt-" + attemptId;
  var flagsKey = "lti-quiz:unsaved-flags:attempt-" + attemptId;
  var lastSavedAt = form.dataset.savedAt ? new Date(form.dataset.savedAt) : null;
  var unsaved = {}; // slot -> answer changed here and not yet confirmed by the server
  var unsavedFlags = {}; // slot -> flag, likewise
  var timer = null;
  var sending = false;
  var stopped = false; // the server will not take more (expired launch, submitted attempt)

  function fieldsets() {
    return Array.prototype.slice.call(form.querySelectorAll("fieldset[data-slot]"));
  }

  function fieldsetOf(slot) {
    return fieldsets().filter(function (f) { return f.dataset.slot === slot; })[0] || null;
  }

  // The three shapes of an answer (the fieldset's data-answer): "text" is the field named
  // q-<slot>-text, "parts" the fields q-<slot>-part-<name> as {name: value}, "choices" the
  // ticked q-<slot> boxes as a list of keys.
  function fieldsOf(fieldset) {
    return Array.prototype.slice.call(
      fieldset.querySelectorAll("input[name^='q-'], textarea[name^='q-'], select[name^='q-']")
    );
  }

  function partName(field) {
    var at = field.name.indexOf("-part-");
    return at === -1 ? null : field.name.slice(at + 6);
  }

  function answerOf(fieldset) {
    var shape = fieldset.dataset.answer;
    var fields = fieldsOf(fieldset);
    if (shape === "text") {
      return fields.length ? fields[0].value : "";
    }
    if (shape === "parts") {
      var parts = {};
      fields.forEach(function (field) {
        var name = partName(field);
        if (name === null) {
          return;
        }
        // Boxes and buttons in a part (a gap's choices): the ticked keys, space-separated.
        if (field.type === "checkbox" || field.type === "radio") {
          parts[name] = parts[name] || "";
          if (field.checked) {
            parts[name] = parts[name] ? parts[name] + " " + field.value : field.value;
          }
          return;
        }
        parts[name] = field.value;
      });
      return parts;
    }
    return fields
      .filter(function (input) { return input.checked; })
      .map(function (input) { return input.value; });
  }

  function putAnswer(fieldset, answer) {
    var shape = fieldset.dataset.answer;
    var fields = fieldsOf(fieldset);
    if (shape === "text") {
      if (typeof answer === "string" && fields.length) {
        fields[0].value = answer;
      }
      return;
    }
    if (shape === "parts") {
      if (answer && typeof answer === "object" && !Array.isArray(answer)) {
        fields.forEach(function (field) {
          var name = partName(field);
          if (name === null || typeof answer[name] !== "string") {
            return;
          }
          if (field.type === "checkbox" || field.type === "radio") {
            field.checked = answer[name].split(" ").indexOf(field.value) !== -1;
          } else {
            field.value = answer[name];
          }
        });
      }
      return;
    }
    if (!Array.isArray(answer)) {
      return;
    }
    fields.forEach(function (input) {
      input.checked = answer.indexOf(input.value) !== -1;
    });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function pending() {
    return Object.keys(unsaved).length + Object.keys(unsavedFlags).length;
  }

  function remember() {
    try {
      [[storageKey, unsaved], [flagsKey, unsavedFlags]].forEach(function (pair) {
        if (Object.keys(pair[1]).length) {
          localStorage.setItem(pair[0], JSON.stringify(pair[1]));
        } else {
          localStorage.removeItem(pair[0]);
        }
      });
    } catch (error) {
      // Storage full or switched off: the server copy is all there is.
    }
  }

  function recalled(key) {
    try {
      var stored = JSON.parse(localStorage.getItem(key) || "{}");
      return stored && typeof stored === "object" ? stored : {};
    } catch (error) {
      return {};
    }
  }

  // The words come from the page, translated there (data-say-* on the status line); English only
  // when a page gives none.
  var WORDS = {
    saving: "Saving…",
    saved: "Saved",
    notSaved: "Not saved: %(message)s",
    refused: "The answers could not be saved.",
    offline: "Not saved yet: the connection failed. Your answers are kept in this browser and " +
      "saved when the connection is back.",
    expiredSaved: "Your launch has expired: your answers up to %(time)s are saved; open the " +
      "activity again from your course to continue.",
    expiredKept: "Your launch has expired: your answers are kept in this browser; open the " +
      "activity again from your course to continue.",
    laterKept: "Your later changes are kept in this browser and saved when you come back."
  };

  function words(name, values) {
    var key = "say" + name.charAt(0).toUpperCase() + name.slice(1);
    var text = (status && status.dataset[key]) || WORDS[name];
    Object.keys(values || {}).forEach(function (field) {
      text = text.split("%(" + field + ")s").join(values[field]);
    });
    return text;
  }

  function say(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  function clock(date) {
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(date.getHours()) + ":" + two(date.getMinutes());
  }

  function expired() {
    stopped = true;
    var text = lastSavedAt
      ? words("expiredSaved", { time: clock(lastSavedAt) })
      : words("expiredKept");
    var kept = lastSavedAt && pending() ? " " + words("laterKept") : "";
    say("expired", text + kept);
  }

  function refused(body) {
    var message = body && body.error ? body.error : words("refused");
    say("problem", words("notSaved", { message: message }));
  }

  function request(payload, keepalive) {
    return fetch(form.dataset.saveUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload),
      credentials: "same-origin",
      keepalive: keepalive,
    });
  }

  function save(keepalive) {
    clearTimeout(timer);
    timer = null;
    if (stopped || !pending()) {
      return;
    }
    if (sending && !keepalive) {
      return; // the reply of the one on its way sends the rest
    }
    var answers = JSON.parse(JSON.stringify(unsaved));
    var flags = JSON.parse(JSON.stringify(unsavedFlags));
    sending = true;
    request({ attempt: attemptId, answers: answers, flags: flags }, keepalive)
      .then(function (response) {
        return response.json().then(
          function (body) { return { status: response.status, body: body }; },
          function () { return { status: response.status, body: null }; }
        );
      })
      .then(function (reply) {
        sending = false;
        if (reply.status === 200) {
          lastSavedAt = new Date(reply.body.saved_at);
          Object.keys(answers).forEach(function (slot) {
            if (same(unsaved[slot], answers[slot])) {
              delete unsaved[slot];
            }
          });
          Object.keys(flags).forEach(function (slot) {
            if (unsavedFlags[slot] === flags[slot]) {
              delete unsavedFlags[slot];
            }
          });
          remember();
          if (pending()) {
            schedule();
          } else {
            say("saved", words("saved"));
          }
        } else if (reply.status === 410) {
          expired();
        } else if (reply.status === 409 || reply.status === 404) {
          // Submitted (or gone) elsewhere: nothing here can be saved into it any more.
          stopped = true;
          unsaved = {};
          unsavedFlags = {};
          remember();
          refused(reply.body);
        } else {
          refused(reply.body);
        }
      })
      .catch(function () {
        sending = false;
        say(
          "problem",
          words("offline")
        );
      });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () { save(false); }, DEBOUNCE_MS);
  }

  function changed(event) {
    var fieldset = event.target.closest("fieldset[data-slot]");
    if (!fieldset || stopped) {
      return;
    }
    if (event.target.classList.contains("flag-input")) {
      if (event.type !== "change") {
        return;
      }
      unsavedFlags[fieldset.dataset.slot] = event.target.checked;
    } else if (event.target.name && event.target.name.indexOf("q-") === 0) {
      unsaved[fieldset.dataset.slot] = answerOf(fieldset);
    } else {
      return;
    }
    remember();
    say("saving", words("saving"));
    schedule();
  }

  function leaving() {
    if (!stopped) {
      save(true);
    }
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    // The form itself carries every answer now; a save racing it would only be refused.
    clearTimeout(timer);
    stopped = true;
  });
  window.addEventListener("pagehide", leaving);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      leaving();
    }
  });
  window.addEventListener("online", function () { save(false); });

  // Answers this browser kept for this attempt (an expired launch, a lost connection): back
  // into the form, and to the server.
  var kept = recalled(storageKey);
  Object.keys(kept).forEach(function (slot) {
    var fieldset = fieldsetOf(slot);
    if (fieldset) {
      putAnswer(fieldset, kept[slot]);
      unsaved[slot] = answerOf(fieldset);
    }
  });
  var keptFlags = recalled(flagsKey);
  Object.keys(keptFlags).forEach(function (slot) {
    var fieldset = fieldsetOf(slot);
    var input = fieldset && fieldset.querySelector(".flag-input");
    if (input && typeof keptFlags[slot] === "boolean") {
      input.checked = keptFlags[slot];
      unsavedFlags[slot] = keptFlags[slot];
    }
  });
  remember();
  if (pending()) {
    say("saving", words("saving"));
    save(false);
  }
})();

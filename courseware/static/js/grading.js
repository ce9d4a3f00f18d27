// Grading page enhancements: live total, one-click comment bank, continuous draft save.
// Without this script the page still works through plain form posts.
(function () {
  "use strict";

  var form = document.getElementById("grading-form");
  if (!form || !window.fetch || !window.JSON) {
    return;
  }

  var SAVE_DELAY_MS = 1500;
  var RETRY_DELAY_MS = 10000;
  var autosaveUrl = form.getAttribute("data-autosave-url");
  var bankUrl = form.getAttribute("data-bank-url");
  var status = document.getElementById("save-status");
  var totalOutput = document.getElementById("live-total");
  var revisionInput = form.querySelector("input[name='revision']");
  var timer = null;
  var saving = false;
  var dirty = false;
  var stopped = false;
  var submitPending = false;
  var pendingSubmitter = null;

  function say(text, kind) {
    if (!status) {
      return;
    }
    status.textContent = text;
    status.className = "save-status" + (kind ? " save-status--" + kind : "");
  }

  function message(name) {
    return form.getAttribute("data-msg-" + name) || "";
  }

  // The page's zone, named as the server names it, so this time agrees with every other on the page.
  function savedLabel(iso, fallback) {
    var template = message("saved");
    var when = new Date(iso);
    var root = document.documentElement;
    if (!template || isNaN(when.getTime())) {
      return fallback;
    }
    var time = when.toLocaleTimeString(root.lang || undefined,
      { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
        timeZone: root.getAttribute("data-timezone") || undefined });
    return template.replace("{time}", (time + " " + (root.getAttribute("data-zone") || "")).trim());
  }

  function levelInputs() {
    return form.querySelectorAll("input[type='radio'][data-criterion]");
  }

  function updateTotal() {
    var total = 0;
    var inputs = levelInputs();
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked && inputs[i].value !== "") {
        total += parseInt(inputs[i].value, 10);
      }
    }
    if (totalOutput) {
      totalOutput.textContent = String(total);
    }
  }

  function collect() {
    var levels = {};
    var comments = {};
    var inputs = levelInputs();
    for (var i = 0; i < inputs.length; i++) {
      var id = inputs[i].getAttribute("data-criterion");
      if (!(id in levels)) {
        levels[id] = null;
      }
      if (inputs[i].checked && inputs[i].value !== "") {
        levels[id] = parseInt(inputs[i].value, 10);
      }
    }
    var areas = form.querySelectorAll("textarea[data-comment-for]");
    var overall = "";
    for (var j = 0; j < areas.length; j++) {
      var target = areas[j].getAttribute("data-comment-for");
      if (target === "overall") {
        overall = areas[j].value;
      } else {
        comments[target] = areas[j].value;
      }
    }
    return {
      revision: parseInt(revisionInput.value, 10),
      levels: levels,
      comments: comments,
      overall_comment: overall
    };
  }

  function showFieldErrors(errors) {
    var slots = form.querySelectorAll("[data-error-for]");
    for (var i = 0; i < slots.length; i++) {
      var field = slots[i].getAttribute("data-error-for");
      slots[i].textContent = errors && errors[field] ? errors[field] : "";
    }
  }

  function post(url, payload) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json"
      },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(
        function (body) { return { status: response.status, body: body }; },
        function () { return { status: response.status, body: {} }; }
      );
    });
  }

  function save() {
    timer = null;
    if (stopped || !dirty) {
      return;
    }
    if (saving) {
      schedule(SAVE_DELAY_MS);
      return;
    }
    saving = true;
    dirty = false;
    say(message("saving"), "");
    post(autosaveUrl, collect()).then(function (result) {
      saving = false;
      handleSaved(result);
      resumeSubmit();
    }, function () {
      saving = false;
      dirty = true;
      say(message("offline"), "error");
      schedule(RETRY_DELAY_MS);
      resumeSubmit();
    });
  }

  function handleSaved(result) {
    var body = result.body || {};
    if (result.status === 200 && body.ok) {
      revisionInput.value = String(body.revision);
      showFieldErrors({});
      if (!dirty) {
        say(savedLabel(body.saved_at, body.saved_label), "saved");
      }
      return;
    }
    if (result.status === 409 || result.status === 403) {
      // Another trainer saved, or the grade was decided elsewhere: stop, keep the text.
      stopped = true;
      say(body.message || message("failed"), "error");
      return;
    }
    if (result.status === 422) {
      showFieldErrors(body.errors);
      say(body.message || message("failed"), "error");
      return;
    }
    dirty = true;
    say(body.message || message("failed"), "error");
    schedule(RETRY_DELAY_MS);
  }

  function resumeSubmit() {
    if (!submitPending) {
      return;
    }
    var submitter = pendingSubmitter;
    submitPending = false;
    pendingSubmitter = null;
    if (form.requestSubmit) {
      form.requestSubmit(submitter || undefined);
    } else {
      form.submit();
    }
  }

  function schedule(delay) {
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(save, delay);
  }

  function changed() {
    dirty = true;
    if (!stopped) {
      say(message("unsaved"), "");
      schedule(SAVE_DELAY_MS);
    }
  }

  function appendText(area, text) {
    var current = area.value;
    var separator = current && !/\s$/.test(current) ? "\n" : "";
    area.value = current + separator + text;
    if (window.kamCounters) { window.kamCounters.update(area); }
    area.focus();
    changed();
  }

  function bankButton(entryId, target, text) {
    var button = document.createElement("button");
    button.type = "submit";
    button.name = "bank_insert";
    button.value = String(entryId);
    button.className = "bank-entry";
    button.setAttribute("data-bank-target", target);
    button.setAttribute("data-bank-text", text);
    button.textContent = text;
    return button;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) {
      return;
    }
    if (button.name === "bank_insert") {
      var area = form.querySelector(
        "textarea[data-comment-for='" + button.getAttribute("data-bank-target") + "']"
      );
      if (area) {
        event.preventDefault();
        appendText(area, button.getAttribute("data-bank-text"));
      }
    } else if (button.name === "bank_add" && bankUrl) {
      var target = button.value;
      var source = form.querySelector("textarea[data-comment-for='" + target + "']");
      if (!source || !source.value.trim()) {
        return;
      }
      event.preventDefault();
      post(bankUrl, { target: target, text: source.value }).then(function (result) {
        var body = result.body || {};
        if (result.status === 200 && body.ok) {
          var list = form.querySelector("[data-bank-list='" + target + "']");
          if (list && body.created) {
            var item = document.createElement("li");
            item.appendChild(bankButton(body.id, target, body.text));
            list.appendChild(item);
            list.hidden = false;
          }
          say(body.message, "saved");
        } else {
          say(body.message || message("failed"), "error");
        }
      }, function () {
        say(message("offline"), "error");
      });
    }
  });

  form.addEventListener("input", function (event) {
    if (event.target.matches("textarea[data-comment-for]")) {
      changed();
    }
  });

  form.addEventListener("change", function (event) {
    if (event.target.matches("input[type='radio'][data-criterion]")) {
      updateTotal();
      changed();
    }
  });

  form.addEventListener("submit", function (event) {
    if (saving) {
      // Let the save in flight finish first, or the post would carry a revision it just
      // made stale and the trainer would be told of a conflict with themselves.
      event.preventDefault();
      submitPending = true;
      pendingSubmitter = event.submitter || null;
      return;
    }
    // The form post carries everything; a pending autosave would only race it.
    if (timer) {
      clearTimeout(timer);
    }
    dirty = false;
    stopped = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty || saving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  updateTotal();
})();

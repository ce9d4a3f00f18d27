// The workshop editor, enhanced: running weight sum, live results and autosave.
// Without this script every action still works through plain form posts.
(function () {
  "use strict";

  var form = document.getElementById("workshop-form");
  if (!form || !window.fetch || !window.FormData) { return; }

  var AUTOSAVE_DELAY_MS = 3000;
  var RETRY_DELAY_MS = 10000;
  var statusLine = document.getElementById("save-status");
  var weightSum = document.getElementById("weight-sum");
  var timer = null;
  var inFlight = null;
  var dirty = false;
  var leaving = false;
  var stopped = false;  // after a conflict or an ended session, only a manual save continues
  // Keys of the results and coverage this page shows, as the last save named them: the
  // server leaves out the HTML of either when it has not changed.
  var shown = { results: "", coverage: "" };

  function text(name, values) {
    var template = form.getAttribute("data-text-" + name) || "";
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return values && key in values ? values[key] : match;
    });
  }

  function setStatus(message) { if (statusLine) { statusLine.textContent = message; } }

  function weightFields() {
    return form.querySelectorAll("input[name^='criteria-'][name$='-weight']");
  }

  function updateWeightSum() {
    var total = 0;
    weightFields().forEach(function (input) {
      var value = input.value.trim();
      if (/^-?\d+$/.test(value)) { total += parseInt(value, 10); }
    });
    weightSum.textContent = text("weights", { sum: total });
    weightSum.classList.toggle("is-off", total !== 100);
  }

  function showMeasure(select) {
    var fieldset = select.closest("fieldset.criterion");
    fieldset.querySelectorAll("[data-measure]").forEach(function (part) {
      part.hidden = part.getAttribute("data-measure") !== select.value;
    });
  }

  function showComparison(select) {
    var fieldset = select.closest("fieldset.criterion");
    fieldset.querySelectorAll("[data-comparison]").forEach(function (mark) {
      mark.textContent = select.value === "lower" ? "≤" : "≥";
    });
  }

  function fieldsToSend() {
    var data = new FormData(form);
    data.delete("action");
    return data;
  }

  // The same fields as one JSON object of strings.
  function draftToSend() {
    var draft = {};
    fieldsToSend().forEach(function (value, name) {
      draft[name] = value;
    });
    draft.results_key = shown.results;
    draft.coverage_key = shown.coverage;
    return JSON.stringify(draft);
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (element) {
      var messages = errors[element.getAttribute("data-error-for")];
      // Chinese sentences end in full-width marks and follow each other without a space.
      element.textContent = messages ? messages.join(/^zh/.test(document.documentElement.lang) ? "" : " ") : "";
      element.hidden = !messages;
    });
  }

  var FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";

  function replace(id, html, key) {
    var current = document.getElementById(id);
    if (!current || !html) { return; }
    shown[id] = key || "";
    // A keyboard user reading the results must not be thrown back to the top of the page.
    var focused = Array.prototype.indexOf.call(current.querySelectorAll(FOCUSABLE),
                                               document.activeElement);
    current.outerHTML = html;
    var again = focused >= 0 && document.getElementById(id).querySelectorAll(FOCUSABLE)[focused];
    if (again) { again.focus({ preventScroll: true }); }
  }

  // The page's language, not the browser's, picks the clock: a Chinese page reads 21:25, never 09:25 PM.
  // The page's zone, not the browser's, picks the hour, named as the server names it, so the
  // autosave never says another day than the rest of the page.
  function localClock(timestamp) {
    var time = new Date(timestamp);
    var root = document.documentElement;
    if (isNaN(time)) { return ""; }
    var text = time.toLocaleTimeString(root.lang || undefined,
      { hour: "2-digit", minute: "2-digit", hourCycle: "h23",
        timeZone: root.getAttribute("data-timezone") || undefined });
    return (text + " " + (root.getAttribute("data-zone") || "")).trim();
  }

  function save() {
    timer = null;
    if (stopped || leaving) { return Promise.resolve(); }
    dirty = false;
    setStatus(text("saving"));
    inFlight = fetch(form.getAttribute("data-autosave-url"), {
      method: "POST", body: draftToSend(), credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { code: response.status, body: body }; });
    }).then(function (reply) {
      var body = reply.body;
      if (body.status === "saved") {
        form.elements.revision.value = body.revision;
        setStatus(text("saved", { time: localClock(body.saved_at) }));
        showErrors(body.errors || {});
        replace("results", body.results_html, body.results_key);
        replace("coverage", body.coverage_html, body.coverage_key);
        return;
      }
      dirty = true;
      if (body.status === "too_large") {
        // Saving resumes with the next change, once the texts are shorter.
        setStatus(body.message || "");
        return;
      }
      stopped = true;
      setStatus(body.message || "");
      if (body.status === "signed_out" && body.sign_in_url) {
        var link = document.createElement("a");
        link.href = body.sign_in_url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = " ↗";
        statusLine.appendChild(link);
        // Once signed in again (in the other tab), saving can carry on from here.
        window.addEventListener("focus", function retry() {
          window.removeEventListener("focus", retry);
          stopped = false;
          schedule(0);
        });
      }
    }).catch(function () {
      dirty = true;
      setStatus(text("offline"));
      schedule(RETRY_DELAY_MS);
    }).then(function () { inFlight = null; });
    return inFlight;
  }

  function schedule(delay) {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, delay);
  }

  function changed(event) {
    var target = event.target;
    if (!target.name) { return; }
    dirty = true;
    if (/-weight$/.test(target.name)) { updateWeightSum(); }
    if (/-kind$/.test(target.name)) { showMeasure(target); }
    if (/-direction$/.test(target.name)) { showComparison(target); }
    if (!stopped) {
      setStatus(text("unsaved"));
      schedule(AUTOSAVE_DELAY_MS);
    }
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  form.addEventListener("submit", function (event) {
    if (timer) { clearTimeout(timer); timer = null; }
    if (inFlight) {
      // Wait for the autosave, so the post carries the revision it produced.
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () { form.requestSubmit(submitter); });
      return;
    }
    leaving = true;
  });

  window.addEventListener("pagehide", function () {
    if (dirty && !leaving && !stopped && navigator.sendBeacon) {
      navigator.sendBeacon(form.getAttribute("data-autosave-url"), fieldsToSend());
    }
  });

  // The page says when the draft was saved in UTC; the trainee's own clock reads better.
  var savedAt = statusLine && statusLine.querySelector("time[datetime]");
  if (savedAt) { setStatus(text("saved", { time: localClock(savedAt.getAttribute("datetime")) })); }
  updateWeightSum();
})();

// The workshop editor, enhanced: the numbers checked as typed, live results and autosave
// that never goes backwards. Without this script every action still works through plain
// form posts.
//
// What is typed and not yet acknowledged by the server is also kept in this browser
// (localStorage, under the trainee and the draft), so a reload, a language switch or a
// closed tab cannot lose it. Each tab names itself (`editor`, kept in sessionStorage, so a
// reload is the same tab) and counts its changes (`seq`): the server tells a late save of
// this tab from another window's, and only the second is a conflict.
(function () {
  "use strict";

  var form = document.getElementById("workshop-form");
  if (!form || !window.fetch || !window.FormData || !window.JSON) { return; }

  var AUTOSAVE_DELAY_MS = 3000;
  var RETRY_DELAY_MS = 10000;
  var LEAVE_WAIT_MS = 3000;  // longest a click waits for the save before the page goes
  var KEPT_DAYS = 14;
  var statusLine = document.getElementById("save-status");
  var weightSum = document.getElementById("weight-sum");
  var offer = document.getElementById("draft-offer");
  var conflict = document.getElementById("draft-conflict");
  var draftKey = form.getAttribute("data-draft-key");
  var rules = JSON.parse(form.getAttribute("data-number-rules") || "{}");
  var numberMessages = JSON.parse(form.getAttribute("data-number-messages") || "{}");
  var timer = null;
  var inFlight = null;
  var dirty = false;
  var leaving = false;
  var stopped = false;  // after a conflict or an ended session, only a choice or a manual save continues
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

  // ---- Numbers: the rules of courseware/workshop/numbers.py, character for character. ----

  var FULL_WIDTH = "０１２３４５６７８９．，－＋％";
  var HALF_WIDTH = "0123456789.,-+%";
  var SPACES = /[ \t\r\n\u00a0\u3000]/g;
  var THOUSANDS = /^[-+]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]*)?$/;
  var DECIMAL_COMMA = /^[-+]?[0-9]*,[0-9]+$/;
  var PLAIN = /^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;

  // {value, code}: a usable value and no code, no value for a blank field, or the code of
  // why the typed text is not usable.
  function readNumber(raw, rule) {
    var typed = raw.replace(/[０-９．，－＋％]/g, function (mark) {
      return HALF_WIDTH.charAt(FULL_WIDTH.indexOf(mark));
    }).replace(SPACES, "");
    if (!typed) { return { value: null, code: null }; }
    if (typed.charAt(typed.length - 1) === "%") { typed = typed.slice(0, -1); }
    if (THOUSANDS.test(typed)) {
      typed = typed.replace(/,/g, "");
    } else if (DECIMAL_COMMA.test(typed)) {
      return { value: null, code: "decimal_comma" };
    }
    if (!PLAIN.test(typed)) { return { value: null, code: "not_a_number" }; }
    var value = Number(typed);
    if (!isFinite(value)) { return { value: null, code: "not_a_number" }; }
    if (rule.whole && !Number.isInteger(value)) { return { value: null, code: "not_a_whole_number" }; }
    if ((rule.low !== null && value < rule.low) || (rule.high !== null && value > rule.high)) {
      return { value: null, code: rule.code };
    }
    return { value: value, code: null };
  }
  window.kamReadNumber = readNumber;  // the browser tests compare it with the server's

  function ruleOf(input) {
    var name = input.getAttribute("data-number");
    if (name === "cutoff") {
      name = form.elements.namedItem("cutoff-kind").value === "score" ? "cutoff_score" : "cutoff_count";
    }
    return rules[name];
  }

  // Show at once what the server would say of a typed number; the next save confirms it.
  function checkNumber(input) {
    var rule = ruleOf(input);
    if (!rule) { return; }
    var read = readNumber(input.value, rule);
    var element = form.querySelector("[data-error-for='" + input.name + "']");
    if (!element) { return; }
    element.textContent = read.code ? (numberMessages[read.code] || "") : "";
    element.hidden = !read.code;
    if (read.code) { input.setAttribute("aria-invalid", "true"); } else { input.removeAttribute("aria-invalid"); }
  }

  function updateWeightSum() {
    var total = 0;
    form.querySelectorAll("input[data-number='weight']").forEach(function (input) {
      var read = readNumber(input.value, rules.weight);
      if (read.value !== null) { total += read.value; }
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

  // What a change of one control means for the rest of the page.
  function follow(element) {
    var name = element.name;
    if (window.kamCounters) { window.kamCounters.update(element); }
    if (/^criteria-\d+-kind$/.test(name)) { showMeasure(element); }
    if (/^criteria-\d+-direction$/.test(name)) { showComparison(element); }
    if (name === "cutoff-kind") { checkNumber(form.elements.namedItem("cutoff-value")); }
    if (element.hasAttribute("data-number")) { checkNumber(element); }
    if (element.getAttribute("data-number") === "weight") { updateWeightSum(); }
  }

  // ---- The tab's name, its count of changes, and what it keeps in this browser. ----

  function tabStore(name, value) {
    try {
      if (value === undefined) { return window.sessionStorage.getItem(name); }
      window.sessionStorage.setItem(name, value);
    } catch (error) { /* storage refused (private mode, full): the server's copy remains */ }
    return null;
  }

  var editor = tabStore("kam-editor");
  if (!editor) {
    editor = Math.random().toString(36).slice(2) + Date.now().toString(36);
    tabStore("kam-editor", editor);
  }
  var seq = 0;

  function nextSeq() {
    seq = Math.max(Date.now(), seq + 1);
    return seq;
  }

  function readKept() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(draftKey) || "null");
      return kept && typeof kept.fields === "object" ? kept : null;
    } catch (error) { return null; }
  }

  function writeKept(kept) {
    try {
      if (kept) { window.localStorage.setItem(draftKey, JSON.stringify(kept)); } else { window.localStorage.removeItem(draftKey); }
    } catch (error) { /* as above */ }
  }

  function currentFields() {
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (!/^(action|base_version|revision|editor|seq)$/.test(name)) { fields[name] = value; }
    });
    return fields;
  }

  function sameAsPage(fields) {
    var page = currentFields();
    return Object.keys(fields).every(function (name) { return !(name in page) || page[name] === fields[name]; });
  }

  function keepTyped() {
    writeKept({ editor: editor, seq: seq, revision: form.elements.revision.value,
                fields: currentFields(), at: Date.now() });
  }

  function putBack(fields) {
    Object.keys(fields).forEach(function (name) {
      var element = form.elements.namedItem(name);
      if (element && "value" in element && element.type !== "hidden") {
        element.value = fields[name];
        follow(element);
      }
    });
    updateWeightSum();
  }

  // ---- Saving. ----

  function fieldsToSend() {
    form.elements.editor.value = editor;
    form.elements.seq.value = String(seq);
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

  function localDate(timestamp) {
    var time = new Date(timestamp);
    return isNaN(time) ? "" : time.toLocaleString(document.documentElement.lang || undefined,
      { dateStyle: "medium", timeStyle: "short", hourCycle: "h23" });
  }

  function saved(body) {
    form.elements.revision.value = body.revision;
    setStatus(text("saved", { time: localClock(body.saved_at) }));
    var kept = readKept();
    // Kept until a save holds the latest change: a change typed meanwhile stays kept.
    if (kept && kept.editor === editor && Number(body.seq) >= kept.seq) { writeKept(null); }
    if (body.errors) { showErrors(body.errors); }
    replace("results", body.results_html, body.results_key);
    replace("coverage", body.coverage_html, body.coverage_key);
    updateKeyCount();
  }

  // The summary bar's count of key accounts, as the results just drawn list them.
  function updateKeyCount() {
    var results = document.getElementById("results");
    var count = document.getElementById("key-count");
    if (!results || !count || !results.hasAttribute("data-key-count")) { return; }
    count.textContent = text("key-count", { count: results.getAttribute("data-key-count") });
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
      if (body.status === "saved") { saved(body); return; }
      dirty = true;
      if (body.status === "too_large") {
        // Saving resumes with the next change, once the texts are shorter.
        setStatus(body.message || "");
        return;
      }
      if (body.status === "not_stored") {
        // The server could not write it: what is typed stays here and in this browser.
        setStatus(body.message || "");
        schedule(RETRY_DELAY_MS);
        return;
      }
      stopped = true;
      setStatus(body.message || "");
      if (body.status === "conflict" && body.other) { showConflict(body.other); }
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
    if (!target.name || target.form !== form) { return; }
    dirty = true;
    nextSeq();
    keepTyped();
    follow(target);
    if (!stopped) {
      setStatus(text("unsaved"));
      schedule(AUTOSAVE_DELAY_MS);
    }
  }

  // ---- A real conflict: both versions side by side, and the trainee keeps one. ----

  function labelOf(name) {
    var element = form.elements.namedItem(name);
    if (!element || !element.id) { return name; }
    var label = form.querySelector("label[for='" + element.id + "']");
    var group = element.closest("fieldset.criterion, fieldset.kpi, fieldset.cutoff");
    var legend = group && group.querySelector("legend");
    var words = label ? label.textContent.trim() : name;
    return legend ? legend.textContent.trim() + " · " + words : words;
  }

  function shownValue(name, value) {
    var element = form.elements.namedItem(name);
    if (element && element.tagName === "SELECT") {
      var option = Array.prototype.find.call(element.options, function (item) { return item.value === value; });
      if (option) { return option.textContent; }
    }
    return value;
  }

  function cell(row, content) {
    var td = document.createElement("td");
    td.textContent = content;
    row.appendChild(td);
  }

  function showConflict(other) {
    var mine = currentFields();
    var names = Object.keys(mine).concat(Object.keys(other.fields).filter(function (name) { return !(name in mine); }));
    var differing = names.filter(function (name) { return (mine[name] || "") !== (other.fields[name] || ""); });
    conflict.textContent = "";
    var intro = document.createElement("p");
    intro.textContent = text("conflict");
    conflict.appendChild(intro);
    var table = document.createElement("table");
    var head = table.createTHead().insertRow();
    [text("conflict-field"), text("conflict-other"), text("conflict-mine")].forEach(function (title) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = title;
      head.appendChild(th);
    });
    var body = table.createTBody();
    differing.forEach(function (name) {
      var row = body.insertRow();
      cell(row, labelOf(name));
      cell(row, shownValue(name, other.fields[name] || ""));
      cell(row, shownValue(name, mine[name] || ""));
    });
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    wrap.appendChild(table);
    conflict.appendChild(wrap);
    var actions = document.createElement("p");
    actions.className = "actions";
    var keepMine = button(text("conflict-keep-mine"), "button primary", function () {
      form.elements.revision.value = other.revision;
      conflict.hidden = true;
      stopped = false;
      dirty = true;
      save();
    });
    var keepOther = button(text("conflict-keep-other"), "button", function () {
      writeKept(null);
      leaving = true;
      window.location.reload();
    });
    actions.appendChild(keepMine);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(keepOther);
    conflict.appendChild(actions);
    conflict.hidden = false;
    conflict.scrollIntoView({ block: "start" });
  }

  function button(label, className, action) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = label;
    element.addEventListener("click", action);
    return element;
  }

  // ---- Leaving the page: what is typed goes first. ----

  function settled() {
    if (timer) { clearTimeout(timer); timer = null; }
    var pending = dirty && !stopped ? save() : inFlight;
    if (!pending) { return null; }
    return Promise.race([pending, new Promise(function (resolve) { setTimeout(resolve, LEAVE_WAIT_MS); })]);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey || link.target || link.hasAttribute("download") ||
        link.getAttribute("href").charAt(0) === "#" || link.origin !== window.location.origin) { return; }
    var waiting = settled();
    if (!waiting) { return; }
    event.preventDefault();
    waiting.then(function () { leaving = true; window.location.assign(link.href); });
  });

  document.addEventListener("submit", function (event) {
    var other = event.target;
    if (other === form || event.defaultPrevented) { return; }
    var waiting = settled();
    if (!waiting) { return; }
    event.preventDefault();
    waiting.then(function () { leaving = true; other.submit(); });
  });

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  var submitConfirmed = false;
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.value === "submit" && !submitConfirmed) {
      // Submitting freezes the version: one question first, as for any step with no undo.
      if (!window.confirm(text("confirm-submit"))) { event.preventDefault(); return; }
      submitConfirmed = true;
    }
    if (timer) { clearTimeout(timer); timer = null; }
    if (inFlight) {
      // Wait for the autosave, so the post carries the revision it produced.
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () { form.requestSubmit(submitter); });
      return;
    }
    fieldsToSend();
    leaving = true;
  });

  window.addEventListener("pagehide", function () {
    if (dirty && !leaving && !stopped && navigator.sendBeacon) {
      navigator.sendBeacon(form.getAttribute("data-autosave-url"), fieldsToSend());
    }
  });

  // ---- Opening the page: give back what this browser kept and the server lacks. ----

  function offerKept(kept) {
    offer.textContent = "";
    var line = document.createElement("p");
    line.textContent = text("offer", { time: localDate(kept.at) });
    offer.appendChild(line);
    var actions = document.createElement("p");
    actions.className = "actions";
    actions.appendChild(button(text("offer-keep"), "button primary", function () {
      offer.hidden = true;
      restore(kept);
    }));
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(button(text("offer-drop"), "button", function () {
      offer.hidden = true;
      writeKept(null);
    }));
    offer.appendChild(actions);
    offer.hidden = false;
  }

  function restore(kept) {
    putBack(kept.fields);
    dirty = true;
    nextSeq();
    keepTyped();
    setStatus(text("restored"));
    save();
  }

  var kept = readKept();
  if (kept && (Date.now() - kept.at > KEPT_DAYS * 86400000 ||
               (kept.editor === form.getAttribute("data-draft-editor") &&
                kept.seq <= Number(form.getAttribute("data-draft-seq"))) ||
               sameAsPage(kept.fields))) {
    writeKept(null);  // the server has it, or it is too old to be what anyone wants back
    kept = null;
  }
  if (kept && kept.editor === editor) {
    // This tab typed it moments ago (a reload, a language switch): it comes straight back.
    seq = kept.seq;
    putBack(kept.fields);
    dirty = true;
    setStatus(text("restored"));
    save();
  } else if (kept) {
    offerKept(kept);
  }
  form.elements.editor.value = editor;

  // The page says when the draft was saved in UTC; the trainee's own clock reads better.
  var savedAt = statusLine && statusLine.querySelector("time[datetime]");
  if (savedAt && !dirty) { setStatus(text("saved", { time: localClock(savedAt.getAttribute("datetime")) })); }
  updateWeightSum();
})();

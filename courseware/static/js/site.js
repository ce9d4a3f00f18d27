// Switching language keeps the reader's place: the page in the other language opens at the
// same element (a question, a criterion, a heading), not at the top.
(function () {
  "use strict";
  var KEY = "kam-place";

  // The address without its language: /en/quiz/attempt/3 and /zh/quiz/attempt/3 are one page.
  function samePage(path) { return path.replace(/^\/[a-z]{2}(?=\/)/, ""); }

  function store(value) {
    try {
      if (value) { window.sessionStorage.setItem(KEY, value); } else { window.sessionStorage.removeItem(KEY); }
    } catch (error) { /* storage refused: the page opens at the top */ }
  }

  // The first element with an id at or below the top of the window, and how far below.
  function placeMark() {
    var marks = document.querySelectorAll("main [id]");
    for (var i = 0; i < marks.length; i += 1) {
      // A sticky bar is at the top wherever the reader is: it marks no place.
      if (marks[i].closest("[data-no-place]")) { continue; }
      var top = marks[i].getBoundingClientRect().top;
      if (top >= 0 && marks[i].offsetParent !== null) { return { id: marks[i].id, top: top }; }
    }
    return null;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.lang-switch");
    if (!link || window.scrollY === 0) { return; }
    var mark = placeMark();
    if (mark) { store(JSON.stringify({ page: samePage(window.location.pathname), id: mark.id, top: mark.top })); }
  }, true);

  var place = null;
  try { place = JSON.parse(window.sessionStorage.getItem(KEY) || "null"); } catch (error) { place = null; }
  store(null);
  function restore() {
    if (place && place.page === samePage(window.location.pathname)) {
      var target = document.getElementById(place.id);
      if (target) { window.scrollTo(0, window.scrollY + target.getBoundingClientRect().top - place.top); }
    }
  }
  // After the page's own scripts have run (deferred scripts run before DOMContentLoaded): one
  // of them may first open the part of the page that holds the place (a workshop section).
  if (document.readyState === "loading" || document.readyState === "interactive") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();

// A print button (the handout's) is shown only where this script runs, so without JavaScript
// there is no button that does nothing.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i += 1) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();

// Character counters: a field with data-limit has its count in the element "<id>-count", told
// as the person types, in the page's language, warning from 90% of the limit. Nothing is cut
// off: the server says what is too long. Scripts that set a value call kamCounters.update.
window.kamCounters = (function () {
  "use strict";
  var NEAR = 0.9;
  var texts = document.body.dataset;

  function fill(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (match, key) { return String(values[key]); });
  }

  function update(field) {
    if (!field || !field.id || !field.hasAttribute("data-limit")) { return; }
    var counter = document.getElementById(field.id + "-count");
    if (!counter) { return; }
    var limit = Number(field.getAttribute("data-limit"));
    // Characters as the server counts them (code points): an emoji is one, not two.
    var count = Array.from(field.value).length;
    var state = count > limit ? "over" : (count >= limit * NEAR ? "near" : "ok");
    var template = { over: texts.textCountOver, near: texts.textCountNear, ok: texts.textCount }[state];
    var message = fill(template, { count: count, limit: limit, over: count - limit });
    if (counter.textContent !== message) { counter.textContent = message; }
    counter.classList.toggle("is-near", state === "near");
    counter.classList.toggle("is-over", state === "over");
    if (counter.hasAttribute("data-count-near-only")) { counter.hidden = state === "ok"; }
  }

  function updateAll(root) {
    var fields = (root || document).querySelectorAll("[data-limit]");
    for (var i = 0; i < fields.length; i += 1) { update(fields[i]); }
  }

  document.addEventListener("input", function (event) { update(event.target); });
  updateAll(document);
  return { update: update, updateAll: updateAll };
})();

// The workshop on a phone, one section at a time. The editor is one long form (about 10,000 px
// on a phone); below 48rem it becomes five steps (case, criteria, results, justification,
// KPIs) with the section list above and "previous / next" below each, while the summary bar
// (weights, key accounts chosen, saved state) stays in view. From 48rem up the page stays
// whole and the list jumps down it: there the criteria, the results they produce and the KPIs
// are read as one sheet, a weight changed shows at once in the ranking further down, and
// scrolling costs a mouse or a trackpad little. Without this script the form is one page and
// the list is a set of jumps.
//
// Only `hidden` changes: every field stays in the one form, so autosave, kept work, the
// conflict panel and a plain post send every section whichever is shown.
(function () {
  "use strict";

  var form = document.getElementById("workshop-form");
  var nav = form && form.querySelector(".step-nav");
  if (!nav || !window.matchMedia) { return; }

  var KEY = "kam-workshop-step:" + window.location.pathname.replace(/^\/[a-z]{2}(?=\/)/, "");
  var narrow = window.matchMedia("(max-width: 47.99rem)");
  var sections = Array.prototype.slice.call(document.querySelectorAll("[data-step]"));
  var ids = sections.map(function (section) { return section.id; });
  var pagers = document.querySelectorAll("[data-step-pager]");
  var current = ids[0];

  function stepOf(element) {
    var section = element && element.closest ? element.closest("[data-step]") : null;
    return section ? section.id : null;
  }

  function remember(id) {
    try { window.sessionStorage.setItem(KEY, id); } catch (error) { /* storage refused */ }
  }

  function remembered() {
    try { return window.sessionStorage.getItem(KEY); } catch (error) { return null; }
  }

  // A section with a field the server or the number rules refused says so in the list.
  function markProblems() {
    sections.forEach(function (section) {
      var link = nav.querySelector("[data-step-link='" + section.id + "']");
      if (!link) { return; }
      var problem = section.querySelector("[aria-invalid='true']") !== null;
      var note = link.querySelector(".step-problem");
      link.classList.toggle("has-problem", problem);
      if (problem && !note) {
        note = document.createElement("span");
        note.className = "visually-hidden step-problem";
        note.textContent = " " + nav.getAttribute("data-text-problem");
        link.appendChild(note);
      } else if (!problem && note) {
        link.removeChild(note);
      }
    });
  }

  function apply() {
    var stepped = narrow.matches;
    form.classList.toggle("is-stepped", stepped);
    sections.forEach(function (section) { section.hidden = stepped && section.id !== current; });
    for (var i = 0; i < pagers.length; i += 1) { pagers[i].hidden = !stepped; }
    nav.querySelectorAll("[data-step-link]").forEach(function (link) {
      if (stepped && link.getAttribute("data-step-link") === current) {
        link.setAttribute("aria-current", "step");
      } else {
        link.removeAttribute("aria-current");
      }
    });
    markProblems();
  }

  function show(id, moveFocus) {
    if (ids.indexOf(id) < 0) { return; }
    current = id;
    remember(id);
    apply();
    // The address names the section, so a reload or a shared link opens it again.
    if (window.history && window.history.replaceState) {
      window.history.replaceState(window.history.state, "", "#" + id);
    }
    if (moveFocus) {
      var heading = document.getElementById(id).querySelector("h2");
      // The heading takes focus, so a screen reader says where the trainee now is.
      if (heading) { heading.focus({ preventScroll: true }); }
      nav.scrollIntoView({ block: "start" });
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-step-link]");
    if (!link || !form.contains(link)) { return; }
    var id = link.getAttribute("data-step-link");
    remember(id);
    if (!narrow.matches) { current = id; return; }  // a jump down the whole page, as without script
    event.preventDefault();
    show(id, true);
  });

  // A field changed in the shown section may clear or raise its problem.
  form.addEventListener("change", markProblems);
  form.addEventListener("focusout", markProblems);

  // Which section opens: the one the address names (the server's redirect after adding a
  // row names the row), the first with a problem after a refused submission, else the one
  // this tab last had open (a reload or a language switch), else the first.
  var hashTarget = null;
  try {
    hashTarget = window.location.hash && document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
  } catch (error) { hashTarget = null; }
  var start = stepOf(hashTarget);
  if (!start && document.querySelector(".error-summary, .flash-warning")) {
    start = stepOf(form.querySelector("[aria-invalid='true']"));
  }
  if (!start && ids.indexOf(remembered()) >= 0) { start = remembered(); }
  current = start || ids[0];
  remember(current);
  apply();
  if (narrow.matches && !hashTarget && current !== ids[0]) { nav.scrollIntoView({ block: "start" }); }

  var onChange = function () { apply(); };
  if (narrow.addEventListener) { narrow.addEventListener("change", onChange); } else { narrow.addListener(onChange); }
})();

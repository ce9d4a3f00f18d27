// The quiz form, enhanced: each answer is saved the moment it is chosen, the page shows how
// many questions are answered, and the header's language link keeps the answers.
// Without this script every action still works through plain form posts ("Save answers",
// "Submit answers", "Continue in ...").
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) {
    return;
  }

  // The header's language link would leave the quiz page; on the quiz form it presses the
  // form's own "continue in" button instead, which saves every answer and opens the same
  // attempt in the other language.
  var link = document.querySelector("a.lang-switch");
  var switchButton = form.querySelector("[data-quiz-switch]");
  if (link && switchButton) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      switchButton.click();
    });
  }

  var url = form.getAttribute("data-answers-url");
  if (!url || !window.fetch || !window.JSON) {
    return;
  }

  var FIRST_RETRY_MS = 1000;
  var keptKey = form.getAttribute("data-kept-key");
  var seq = 0;  // the page's count of changes: its clock in ms, never going back
  var seqs = {};  // question id -> the change its answer on the page comes from
  var LONGEST_RETRY_MS = 30000;
  var countLine = document.getElementById("quiz-answered");
  var statusLine = document.getElementById("quiz-save-status");
  // Question id -> how many times it changed; an entry stays until its latest state is saved.
  var changes = {};
  var queue = [];  // question ids waiting to be saved, oldest change first
  var sending = false;
  var retryTimer = null;
  var retryDelay = 0;
  var failing = false;  // the last save did not reach the server, or was not taken
  var leaving = false;  // the form is being posted: it carries every answer itself
  var stopped = false;  // submitted elsewhere or the page is out of date: saving cannot help

  function text(name, values) {
    var template = form.getAttribute("data-text-" + name) || "";
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return values && key in values ? values[key] : match;
    });
  }

  function setStatus(message, isError) {
    if (!statusLine) { return; }
    statusLine.textContent = message;
    statusLine.classList.toggle("is-error", Boolean(isError));
  }

  // "answer:<question>" for a choice question's inputs, "answer:<question>:<item>" for a
  // matching question's selects (courseware/quiz/forms.py).
  function fieldParts(element) {
    var parts = (element.name || "").split(":");
    return parts[0] === "answer" && (parts.length === 2 || parts.length === 3) ? parts : null;
  }

  function answerOf(questionId) {
    var choices = [];
    var pairs = null;
    Array.prototype.forEach.call(form.elements, function (element) {
      var parts = fieldParts(element);
      if (!parts || parts[1] !== questionId) { return; }
      if (element.tagName === "SELECT") {
        pairs = pairs || {};
        if (element.value) { pairs[parts[2]] = element.value; }
      } else if (element.checked) {
        choices.push(element.value);
      }
    });
    return pairs || choices;
  }

  function send(questionId) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: true, headers: { "Accept": "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ token: form.elements.namedItem("token").value,
                             question: questionId, answer: answerOf(questionId),
                             seq: String(seqs[questionId] || 0) })
    });
  }

  // Answers chosen and not yet acknowledged are also kept in this browser, so that a reload
  // or a closed tab cannot lose them: {question id: {answer, seq}}.
  function readKept() {
    try { return JSON.parse(window.localStorage.getItem(keptKey) || "{}") || {}; } catch (error) { return {}; }
  }

  function writeKept(kept) {
    try {
      if (Object.keys(kept).length) { window.localStorage.setItem(keptKey, JSON.stringify(kept)); } else { window.localStorage.removeItem(keptKey); }
    } catch (error) { /* storage refused: the server's copy remains */ }
  }

  function keep(questionId) {
    var kept = readKept();
    kept[questionId] = { answer: answerOf(questionId), seq: seqs[questionId] };
    writeKept(kept);
  }

  function forget(questionId, change) {
    var kept = readKept();
    if (kept[questionId] && kept[questionId].seq <= change) {
      delete kept[questionId];
      writeKept(kept);
    }
  }

  function putBack(questionId, answer) {
    Array.prototype.forEach.call(form.elements, function (element) {
      var parts = fieldParts(element);
      if (!parts || parts[1] !== questionId) { return; }
      if (element.tagName === "SELECT") {
        element.value = (answer && !Array.isArray(answer) && answer[parts[2]]) || "";
      } else {
        element.checked = Array.isArray(answer) && answer.indexOf(element.value) >= 0;
      }
    });
  }

  function retryLater(message) {
    failing = true;
    setStatus(message, true);
    retryDelay = Math.min(LONGEST_RETRY_MS, retryDelay ? retryDelay * 2 : FIRST_RETRY_MS);
    retryTimer = setTimeout(function () { retryTimer = null; next(); }, retryDelay);
  }

  function saved(questionId, change, changeSeq) {
    forget(questionId, changeSeq);
    if (changes[questionId] === change) {
      delete changes[questionId];
      queue.shift();
    }
  }

  function showSubmitted(body) {
    stopped = true;
    setStatus(body.message || "", true);
    if (body.review_url && statusLine) {
      var review = document.createElement("a");
      review.href = body.review_url;
      review.textContent = text("review");
      statusLine.appendChild(document.createTextNode(" "));
      statusLine.appendChild(review);
    }
  }

  // One save at a time, so two saves of a question cannot land out of order; each sends the
  // question as the page shows it when the save starts.
  function next() {
    if (sending || retryTimer || stopped || leaving) { return; }
    if (!queue.length) {
      failing = false;
      setStatus(text("saved"));
      return;
    }
    var questionId = queue[0];
    var change = changes[questionId];
    var changeSeq = seqs[questionId] || 0;
    sending = true;
    setStatus(text("saving"));
    send(questionId).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        // Sent to the sign-in page (the session ended), or a page from something in between.
        return { signedOut: response.redirected, retry: true };
      }
      return response.json().then(function (body) {
        return { code: response.status, body: body };
      });
    }).then(function (reply) {
      sending = false;
      if (leaving) { return; }
      var body = reply.body || {};
      if (body.status === "saved") {
        saved(questionId, change, changeSeq);
        retryDelay = 0;
        if (countLine && typeof body.answered === "number") {
          countLine.textContent = text("answered", { answered: body.answered, total: body.total });
        }
        next();
      } else if (body.status === "submitted") {
        showSubmitted(body);
      } else if (body.status === "not_stored") {
        retryLater(body.message || text("offline"));
      } else if (reply.retry || reply.code >= 500 || reply.code === 429) {
        retryLater(reply.signedOut ? text("signed-out") : text("offline"));
      } else if (body.status === "invalid") {
        // This answer cannot be taken as it is; it stays on the page, and the others save.
        saved(questionId, change, changeSeq);
        failing = true;
        setStatus(body.message || "", true);
        if (queue.length) { next(); }
      } else {
        stopped = true;
        setStatus(body.message || "", true);
      }
    }).catch(function () {
      sending = false;
      if (!leaving) { retryLater(text("offline")); }
    });
  }

  function changed(event) {
    var parts = fieldParts(event.target);
    if (!parts || stopped) { return; }
    var questionId = parts[1];
    seq = Math.max(Date.now(), seq + 1);
    seqs[questionId] = seq;
    keep(questionId);
    note(questionId);
  }

  function note(questionId) {
    if (!(questionId in changes)) { queue.push(questionId); }
    changes[questionId] = (changes[questionId] || 0) + 1;
    next();
  }

  form.addEventListener("change", changed);

  form.addEventListener("submit", function () {
    form.elements.namedItem("seq").value = String(Math.max(Date.now(), seq + 1));
    leaving = true;
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
  });

  window.addEventListener("online", function () {
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    retryDelay = 0;
    next();
  });

  // Leaving by a link while answers wait: send them anyway (keepalive outlives the page).
  window.addEventListener("pagehide", function () {
    if (leaving || stopped) { return; }
    queue.forEach(function (questionId) { send(questionId).catch(function () {}); });
  });

  // Only answers that could not be saved are at risk; ask before leaving them behind.
  window.addEventListener("beforeunload", function (event) {
    if (failing && queue.length && !leaving && !stopped) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Opening the page: answers this browser kept and the server may lack come back, and are
  // saved; the server keeps whichever change came last.
  var kept = readKept();
  var restored = false;
  Object.keys(kept).forEach(function (questionId) {
    var entry = kept[questionId];
    if (!entry || typeof entry.seq !== "number") { return; }
    if (JSON.stringify(answerOf(questionId)) !== JSON.stringify(entry.answer)) {
      putBack(questionId, entry.answer);
      restored = true;
    }
    seq = Math.max(seq, entry.seq);
    seqs[questionId] = entry.seq;
    note(questionId);
  });
  if (restored) { setStatus(text("restored")); }
})();

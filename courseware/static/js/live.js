// The live session's screens: the phone, the projector and the trainer's panel.
// The server holds the state; each screen polls a small JSON endpoint with the ETag of what
// it shows and is answered 304 while nothing changed. A phone keeps an answer it could not
// send in localStorage and sends it again, with the same id, until the server acknowledges
// it: the server stores each id once.
(function () {
  "use strict";
  var root = document.getElementById("live");
  if (!root || !window.fetch || !window.JSON) {
    return;
  }
  var mode = root.getAttribute("data-mode");
  var pageLang = root.getAttribute("data-lang") || "en";
  var labels = JSON.parse(root.getAttribute("data-labels") || "{}");
  var stateUrl = root.getAttribute("data-state-url");
  var POLL_MS = mode === "phone" ? 1500 : 1000;
  var etag = null;
  var state = null;
  var lastAnnounced = "";

  function fill(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (_m, name) {
      return values[name] === undefined ? "" : values[name];
    });
  }

  function textIn(texts, lang) {
    if (!texts) {
      return "";
    }
    return texts[lang] || texts[lang === "en" ? "zh" : "en"] || "";
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text !== undefined && text !== null) {
      node.textContent = text;
    }
    return node;
  }

  // A live region speaks when its text changes: set it only when there is news.
  function announce(message) {
    var region = document.getElementById("announce");
    if (region && message && message !== lastAnnounced) {
      lastAnnounced = message;
      region.textContent = message;
    }
  }

  function langsShown() {
    if (mode !== "projector" || !state) {
      return [pageLang];
    }
    return state.projector_lang === "both" ? ["en", "zh"] : [state.projector_lang];
  }

  // The projector words its results in the language of the column they stand in.
  function labelsFor(lang) {
    var own = mode === "projector" && root.getAttribute("data-labels-" + (lang || (state && state.projector_lang)));
    return own ? JSON.parse(own) : labels;
  }

  // Results, as a table every screen shows the same way -------------------------------
  function optionName(question, optionId, lang) {
    for (var i = 0; i < question.options.length; i++) {
      if (question.options[i].id === optionId) {
        return textIn(question.options[i].text, lang);
      }
    }
    return optionId;
  }

  function correctIds(question) {
    return question.options.filter(function (option) { return option.correct; })
      .map(function (option) { return option.id; });
  }

  function bar(value, max) {
    var outer = el("span", { "class": "live-bar", "aria-hidden": "true" });
    var inner = el("span", { "class": "live-bar-fill" });
    inner.style.width = (max > 0 ? Math.round(100 * value / max) : 0) + "%";
    outer.appendChild(inner);
    return outer;
  }

  function resultsTable(question, lang, words, hideUrl) {
    var res = question.results;
    var wrap = el("div", { "class": "results" });
    var table = el("table", { "class": "results-table" });
    var caption = el("caption", null, words.results + " · " + fill(words.answers, { count: res.respondents }));
    table.appendChild(caption);
    var head = el("tr");
    var body = el("tbody");
    var correct = question.revealed ? correctIds(question) : [];
    function row(cells) {
      var tr = el("tr");
      cells.forEach(function (cell, index) {
        var td = el(index === 0 ? "th" : "td", index === 0 ? { scope: "row" } : null);
        if (cell && cell.nodeType) {
          td.appendChild(cell);
        } else {
          td.textContent = cell;
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
      return tr;
    }
    function heads(names) {
      names.forEach(function (name) { head.appendChild(el("th", { scope: "col" }, name)); });
    }
    if (question.kind === "single" || question.kind === "multiple") {
      heads([words.option, words.count]);
      var most = Math.max.apply(null, res.options.map(function (o) { return o.count; }).concat([0]));
      res.options.forEach(function (option) {
        var name = el("span", null, optionName(question, option.id, lang));
        if (correct.indexOf(option.id) >= 0) {
          name.appendChild(el("strong", { "class": "correct-mark" }, " ✓ " + words.correct));
        }
        var count = el("span", null, String(option.count));
        count.appendChild(bar(option.count, most));
        var tr = row([name, count]);
        if (correct.indexOf(option.id) >= 0) {
          tr.className = "is-correct";
        }
      });
    } else if (question.kind === "text") {
      heads(hideUrl ? [words.answer, words.count, ""] : [words.answer, words.count]);
      res.groups.forEach(function (group) {
        var cells = [group.text, String(group.count)];
        if (hideUrl) {
          var button = el("button", { type: "button", "class": "button small" }, words.hide);
          button.addEventListener("click", function () {
            button.disabled = true;
            fetch(hideUrl, {
              method: "POST", credentials: "same-origin",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ answer_ids: group.answer_ids, hidden: true })
            }).then(poll, function () { button.disabled = false; });
          });
          cells.push(button);
        }
        row(cells);
      });
    } else if (question.kind === "points") {
      heads([words.option, words.mean, words.spread, words.range]);
      res.options.forEach(function (option) {
        var mean = el("span", null, String(option.mean));
        mean.appendChild(bar(option.mean, 100));
        row([optionName(question, option.id, lang), mean, String(option.spread),
             option.low + "–" + option.high]);
      });
    } else if (question.kind === "ranking") {
      heads([words.option, words.mean_rank]);
      res.options.forEach(function (option) {
        row([optionName(question, option.id, lang), String(option.mean_rank)]);
      });
    }
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    table.appendChild(body);
    if (res.respondents === 0) {
      wrap.appendChild(el("p", null, words.no_answers));
    } else {
      wrap.appendChild(table);
    }
    if (question.kind === "ranking" && res.respondents > 0) {
      wrap.appendChild(el("p", { "class": "agreement" }, res.agreement === null ? words.no_agreement
        : fill(words.agreement, { w: res.agreement })));
    }
    var explanation = question.revealed && textIn(question.explanation, lang);
    if (explanation) {
      var block = el("div", { "class": "explanation" });
      block.appendChild(el("h2", null, words.explanation));
      block.appendChild(el("p", null, explanation));
      wrap.appendChild(block);
    }
    return wrap;
  }

  // The projector and the panel -----------------------------------------------------------
  function renderStage() {
    var stage = document.getElementById("stage-body");
    var answered = document.getElementById("answered");
    var words = labelsFor();
    var question = state.question;
    stage.textContent = "";
    if (state.ended) {
      stage.appendChild(el("h1", { "class": "q-prompt" }, words.ended));
      announce(words.ended);
      return;
    }
    if (!question) {
      stage.appendChild(el("h1", { "class": "q-prompt" }, words.waiting));
      if (answered) {
        answered.textContent = "";
      }
      return;
    }
    if (answered) {
      answered.textContent = fill(words.answers, { count: question.results.respondents });
    }
    var hideUrl = mode === "panel" && question.kind === "text" ? root.getAttribute("data-hide-url") : null;
    if (mode === "panel") {
      stage.appendChild(resultsTable(question, pageLang, words, hideUrl));
      return;
    }
    var langs = langsShown();
    var columns = el("div", { "class": "columns columns-" + langs.length });
    langs.forEach(function (lang) {
      var column = el("div", { "class": "column", lang: lang === "zh" ? "zh-Hans" : "en" });
      column.appendChild(el(lang === langs[0] ? "h1" : "p", { "class": "q-prompt" },
        question.number + ". " + textIn(question.prompt, lang)));
      if (question.revealed) {
        column.appendChild(resultsTable(question, lang, labelsFor(lang), null));
      } else if (question.options.length) {
        var list = el("ul", { "class": "q-options" });
        question.options.forEach(function (option) {
          list.appendChild(el("li", null, textIn(option.text, lang)));
        });
        column.appendChild(list);
      }
      columns.appendChild(column);
    });
    stage.appendChild(columns);
    if (question.revealed) {
      announce(fill(words.revealed, { number: question.number }));
    } else if (question.state === "open") {
      announce(fill(words.opened, { number: question.number }));
    } else {
      announce(words.closed);
    }
  }

  // The phone -----------------------------------------------------------------------------
  var answerUrl = root.getAttribute("data-answer-url");
  var storeKey = root.getAttribute("data-store-key");
  var shownKey = null; // question id and state the form was drawn for
  var sending = false;

  function pending() {
    try {
      return JSON.parse(window.localStorage.getItem(storeKey) || "null");
    } catch (e) {
      return null;
    }
  }

  function keep(send) {
    try {
      if (send) {
        window.localStorage.setItem(storeKey, JSON.stringify(send));
      } else {
        window.localStorage.removeItem(storeKey);
      }
    } catch (e) { /* private mode: the answer is still sent now */ }
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function note(message, kind) {
    var box = document.getElementById("q-note");
    box.textContent = message;
    box.className = "q-note" + (kind ? " q-note-" + kind : "");
    announce(message);
  }

  function sendPending() {
    var send = pending();
    if (!send || sending) {
      return;
    }
    sending = true;
    fetch(answerUrl, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(send)
    }).then(function (response) {
      return response.json().then(function (data) {
        sending = false;
        var now = pending();
        if (now && now.client_id === send.client_id) {
          keep(null);
        }
        if (response.ok) {
          note(labels.saved, "ok");
          if (state && state.question && state.question.id === send.question_id) {
            state.mine = { client_id: send.client_id, answer: send.answer };
            updateSendButton();
          }
        } else {
          note(fill(labels.refused, { reason: data.message || "" }), "error");
        }
        poll();
      });
    }).catch(function () {
      // Offline or the reply was lost: the same id goes again when the connection is back.
      sending = false;
      note(labels.queued, "queued");
    });
  }

  function readAnswer(question) {
    var body = document.getElementById("q-body");
    if (question.kind === "single" || question.kind === "multiple") {
      return Array.prototype.filter.call(body.querySelectorAll("input"), function (input) {
        return input.checked;
      }).map(function (input) { return input.value; });
    }
    if (question.kind === "text") {
      return body.querySelector("textarea").value;
    }
    if (question.kind === "points") {
      var points = {};
      Array.prototype.forEach.call(body.querySelectorAll("input"), function (input) {
        points[input.name] = input.value === "" ? 0 : parseInt(input.value, 10);
      });
      return points;
    }
    return Array.prototype.map.call(body.querySelectorAll("li[data-option]"), function (item) {
      return item.getAttribute("data-option");
    });
  }

  function pointsTotal() {
    var total = 0;
    Array.prototype.forEach.call(document.querySelectorAll("#q-body input[type=number]"), function (input) {
      total += parseInt(input.value || "0", 10) || 0;
    });
    var out = document.getElementById("points-total");
    if (out) {
      out.textContent = fill(labels.total, { sum: total });
    }
  }

  function updateSendButton() {
    var button = document.getElementById("send");
    if (button) {
      button.textContent = state.mine ? labels.change : labels.send;
    }
  }

  function drawForm(question, mine, open) {
    var body = document.getElementById("q-body");
    body.textContent = "";
    var answer = mine ? mine.answer : null;
    var form = el("form", { "class": "answer-form", novalidate: "" });
    var fieldset = el("fieldset", { "class": "answer-fields" });
    fieldset.appendChild(el("legend", { "class": "visually-hidden" }, labels.your_answer));
    if (!open) {
      fieldset.disabled = true;
    }
    var name = "q" + question.id;
    if (question.kind === "single" || question.kind === "multiple") {
      question.options.forEach(function (option, index) {
        var id = name + "-" + index;
        var label = el("label", { "class": "choice", "for": id });
        var input = el("input", { type: question.kind === "single" ? "radio" : "checkbox", name: name, id: id, value: option.id });
        input.checked = !!answer && answer.indexOf(option.id) >= 0;
        label.appendChild(input);
        label.appendChild(el("span", null, textIn(option.text, pageLang)));
        if (option.correct) {
          label.className += " is-correct";
          label.appendChild(el("strong", { "class": "correct-mark" }, " ✓ " + labels.correct));
        }
        fieldset.appendChild(label);
      });
    } else if (question.kind === "text") {
      var area = el("textarea", { id: name, name: name, rows: "3", maxlength: "500", "aria-labelledby": "q-heading" });
      area.value = typeof answer === "string" ? answer : "";
      fieldset.appendChild(area);
    } else if (question.kind === "points") {
      question.options.forEach(function (option, index) {
        var id = name + "-" + index;
        var line = el("p", { "class": "points-line" });
        line.appendChild(el("label", { "for": id }, textIn(option.text, pageLang)));
        var input = el("input", { type: "number", id: id, name: option.id, min: "0", max: "100", step: "1", inputmode: "numeric" });
        input.value = answer && answer[option.id] !== undefined ? answer[option.id] : "";
        input.addEventListener("input", pointsTotal);
        line.appendChild(input);
        fieldset.appendChild(line);
      });
      fieldset.appendChild(el("p", { id: "points-total", "class": "points-total", "aria-live": "polite" }));
    } else if (question.kind === "ranking") {
      var order = answer || question.options.map(function (option) { return option.id; });
      var list = el("ol", { "class": "ranking" });
      order.forEach(function (optionId) {
        var item = el("li", { "data-option": optionId });
        item.appendChild(el("span", { "class": "rank-name" }, optionName(question, optionId, pageLang)));
        [["up", -1], ["down", 1]].forEach(function (pair) {
          var move = el("button", { type: "button", "class": "button small", "aria-label": labels[pair[0]] + ": " + optionName(question, optionId, pageLang) }, pair[1] < 0 ? "↑" : "↓");
          move.addEventListener("click", function () {
            var sibling = pair[1] < 0 ? item.previousElementSibling : item.nextElementSibling;
            if (sibling) {
              list.insertBefore(pair[1] < 0 ? item : sibling, pair[1] < 0 ? sibling : item);
              move.focus();
            }
          });
          item.appendChild(move);
        });
        list.appendChild(item);
      });
      fieldset.appendChild(list);
    }
    form.appendChild(fieldset);
    if (open) {
      var button = el("button", { type: "submit", id: "send", "class": "button primary" });
      form.appendChild(button);
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        keep({ question_id: question.id, client_id: newId(), answer: readAnswer(question) });
        note(labels.sending, "");
        sendPending();
      });
    }
    body.appendChild(form);
    updateSendButton();
    if (question.kind === "points") {
      pointsTotal();
    }
  }

  function renderPhone() {
    var heading = document.getElementById("q-heading");
    var resultsBox = document.getElementById("q-results");
    var question = state.question;
    if (state.ended || !question) {
      heading.textContent = state.ended ? labels.ended : labels.waiting;
      document.getElementById("q-body").textContent = "";
      resultsBox.hidden = true;
      shownKey = null;
      announce(heading.textContent);
      return;
    }
    var key = question.id + ":" + question.state + ":" + question.revealed;
    var open = question.state === "open";
    heading.textContent = question.number + ". " + textIn(question.prompt, pageLang);
    if (key !== shownKey) {
      // Redrawn only when the question or its state changes, so a choice not yet sent stays.
      shownKey = key;
      drawForm(question, state.mine, open);
      var waiting = pending();
      if (waiting && waiting.question_id === question.id) {
        note(labels.queued, "queued");
      } else if (!open && !question.revealed) {
        note(labels.closed, "");
      } else if (state.mine && open) {
        note(labels.saved, "ok");
      } else {
        document.getElementById("q-note").textContent = "";
      }
      if (question.revealed) {
        announce(fill(labels.revealed, { number: question.number }));
      } else if (open) {
        announce(fill(labels.opened, { number: question.number }));
      }
    }
    resultsBox.textContent = "";
    resultsBox.hidden = !question.revealed;
    if (question.revealed) {
      resultsBox.appendChild(resultsTable(question, pageLang, labels, null));
    }
  }

  // Polling -------------------------------------------------------------------------------
  var timer = null;

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(poll, POLL_MS);
  }

  function poll() {
    var headers = {};
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(stateUrl, { credentials: "same-origin", cache: "no-store", headers: headers })
      .then(function (response) {
        if (response.status === 304) {
          return null;
        }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (data) {
          state = data;
          if (mode === "phone") {
            renderPhone();
          } else {
            renderStage();
          }
        }
        if (mode === "phone") {
          sendPending();
        }
        if (!state || !state.ended) {
          schedule();
        }
      })
      .catch(function () {
        schedule(); // offline or asleep: the next poll brings the screen up to date
      });
  }

  if (mode === "phone") {
    window.addEventListener("online", function () { sendPending(); poll(); });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) {
        poll();
      }
    });
  }
  poll();
}());

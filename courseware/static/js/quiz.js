// The header's language link would leave the quiz page and drop the answers not yet
// saved; on the quiz form it presses the form's own "continue in" button instead, which
// saves the answers and opens the same attempt in the other language.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  var link = document.querySelector("a.lang-switch");
  if (!form || !link) {
    return;
  }
  var button = form.querySelector("[data-quiz-switch]");
  link.addEventListener("click", function (event) {
    event.preventDefault();
    button.click();
  });
})();

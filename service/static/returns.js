// Returned forms: keyboard speed for data entry. Progressive enhancement: every screen works without it.
(function () {
  "use strict";

  var CODE_KEY = /^[0-9-]$/;
  var CODE_PAUSE_MS = 800;

  // Typing an option's code chooses it: "3" ticks option 3, "-" then "1" ticks "Not answered" (-1).
  function setUpAnswerKeys(group) {
    var typed = "";
    var timer = null;
    function find(code) { return group.querySelector('input[value="' + code + '"]'); }
    group.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.altKey || event.metaKey || !CODE_KEY.test(event.key)) { return; }
      event.preventDefault();
      clearTimeout(timer);
      timer = setTimeout(function () { typed = ""; }, CODE_PAUSE_MS);
      typed += event.key;
      var input = find(typed);
      if (!input && typed.length > 1) { typed = event.key; input = find(typed); }
      if (!input) { return; }
      input.checked = input.type === "radio" ? true : !input.checked;
      input.focus();
      input.dispatchEvent(new Event("change", { bubbles: true }));
      if (input.type === "checkbox") { typed = ""; }
    });
  }

  // Insert the illegible marker where the cursor is, replacing any selected text.
  function insertMarker(field, marker) {
    var start = field.selectionStart, end = field.selectionEnd;
    var before = field.value.slice(0, start);
    var text = (before && !/\s$/.test(before) ? " " : "") + marker;
    field.setRangeText(text, start, end, "end");
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setUpKeyingForm(form) {
    var marker = form.getAttribute("data-illegible-marker") || "[illegible]";
    form.querySelectorAll("[data-answer-keys]").forEach(setUpAnswerKeys);
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.key === "Enter") {
        var inTextArea = target.tagName === "TEXTAREA";
        var isChoice = target.type === "radio" || target.type === "checkbox";
        if ((inTextArea && (event.ctrlKey || event.metaKey)) || (isChoice && !event.shiftKey)) {
          event.preventDefault();
          form.requestSubmit();
        }
      } else if ((event.key === "i" || event.key === "I") && event.ctrlKey && target.matches("[data-verbatim]")) {
        event.preventDefault();
        insertMarker(target, marker);
      }
    });
    // A button beside each written answer for those using a mouse; the keyboard has Ctrl+I.
    form.querySelectorAll("[data-verbatim]").forEach(function (field) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary button--small illegible-button";
      button.tabIndex = -1;  // keep Tab for moving between questions
      button.textContent = "Insert " + marker;
      button.setAttribute("aria-label", "Insert " + marker + " in the answer above");
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the cursor
      button.addEventListener("click", function () { insertMarker(field, marker); field.focus(); });
      field.insertAdjacentElement("afterend", button);
    });
  }

  // Scan screens: the scanner types into the reference field, so it always has focus, after a wrong scan too
  // (the message is beside the field and said aloud by a live region); the next scan is never lost.
  function focusScanField() {
    var form = document.querySelector("[data-scan-form]");
    if (!form || document.querySelector("[data-error-summary]")) { return; }
    var field = form.querySelector('input[type="text"]');
    if (field) { field.focus(); }
    var announcer = document.getElementById("scan-announcer");
    var message = announcer && announcer.getAttribute("data-scan-announce");
    // Set after load: a live region announces changes, not what the page arrived with.
    if (message) { setTimeout(function () { announcer.textContent = message; }, 150); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-keying-form]").forEach(setUpKeyingForm);
    focusScanField();
  });
})();

// Progressive enhancement only: every screen works without this file.
(function () {
  "use strict";

  // Radios that reveal a follow-up question (for example "which language?").
  function setUpConditionalRadios() {
    document.querySelectorAll("[data-reveal-for]").forEach(function (panel) {
      var radio = document.getElementById(panel.getAttribute("data-reveal-for"));
      var group = document.querySelectorAll('input[type="radio"][name="' + radio.name + '"]');
      function sync() { panel.hidden = !radio.checked; }
      group.forEach(function (r) { r.addEventListener("change", sync); });
      sync();
    });
  }

  // Character counts that say how many characters are left.
  function setUpCharacterCounts() {
    document.querySelectorAll(".character-count[data-maxlength]").forEach(function (group) {
      var max = parseInt(group.getAttribute("data-maxlength"), 10);
      var field = group.querySelector("textarea");
      var message = group.querySelector(".character-count__message");
      if (!field || !message) { return; }
      function update() {
        var left = max - field.value.length;
        message.textContent = left >= 0
          ? "You have " + left + " character" + (left === 1 ? "" : "s") + " remaining"
          : "You have " + (-left) + " character" + (left === -1 ? "" : "s") + " too many";
        message.classList.toggle("character-count__message--over", left < 0);
      }
      field.addEventListener("input", update);
      update();
    });
  }

  // Warnings that belong to one consultation (for example "closed: will be marked late").
  function setUpConsultationWarnings() {
    var select = document.getElementById("consultation_id");
    if (!select) { return; }
    function sync() {
      document.querySelectorAll("[data-closed-warning-for]").forEach(function (warning) {
        warning.hidden = warning.getAttribute("data-closed-warning-for") !== select.value;
      });
    }
    select.addEventListener("change", sync);
  }

  // Move focus to the error summary so screen-reader and keyboard users hear the problems first.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }

  // A table wider than the screen scrolls inside its container: make that container reachable by keyboard
  // (a named region in the tab order) only while it does scroll, so narrow screens cost no extra Tab.
  function setUpScrollingTables() {
    var containers = document.querySelectorAll(".table-container");
    function sync() {
      containers.forEach(function (box) {
        if (box.scrollWidth > box.clientWidth) {
          var caption = box.querySelector("caption");
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", (caption ? caption.textContent.trim() + ": " : "") + "table, scrolls sideways");
        } else {
          box.removeAttribute("tabindex");
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
        }
      });
    }
    window.addEventListener("resize", sync);
    window.addEventListener("load", sync);
    // Late layout (styles, fonts, rows added by a progress poll) can make a table scroll after the page
    // loaded: watch each container and its table, so the region is focusable whenever it scrolls.
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(sync);
      containers.forEach(function (box) {
        observer.observe(box);
        if (box.firstElementChild) { observer.observe(box.firstElementChild); }
      });
    }
    sync();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpScrollingTables();
    setUpConditionalRadios();
    setUpCharacterCounts();
    setUpConsultationWarnings();
    focusErrorSummary();
  });
})();

// A print batch being built: follow its progress until it is ready, then show the page again.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-batch-progress]");
    if (!box) { return; }
    var bar = document.getElementById("batch-progress");
    var text = document.getElementById("batch-progress-text");
    function poll() {
      fetch(box.getAttribute("data-batch-progress"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          bar.max = state.total || 1;
          bar.value = state.done;
          text.textContent = state.done + " of " + state.total + " packs written";
          if (state.status === "building") { setTimeout(poll, 1000); } else { window.location.reload(); }
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 1000);
  });
})();


// A scan being read: follow its progress until it is read, then show the page again.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-scan-progress]");
    if (!box) { return; }
    var bar = document.getElementById("scan-progress");
    var text = document.getElementById("scan-progress-text");
    function poll() {
      fetch(box.getAttribute("data-scan-progress"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          bar.max = state.total || 1;
          bar.value = state.done;
          text.textContent = state.done + " of " + state.total + " pages read";
          if (state.status === "queued" || state.status === "reading") { setTimeout(poll, 1000); } else { window.location.reload(); }
        })
        .catch(function () { setTimeout(poll, 5000); });
    }
    setTimeout(poll, 1000);
  });
})();

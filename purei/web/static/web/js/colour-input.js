// Keep a colour picker and its text value in step (purei/web/widgets.py, ColourInput).
// Without this script both are still sent, and the server takes whichever changed.
(function () {
  "use strict";
  var HEX = /^#[0-9a-fA-F]{6}$/;

  function wire(box) {
    var picker = box.querySelector("[data-colour-picker]");
    var text = box.querySelector("input[type=text]");
    if (!picker || !text) {
      return;
    }
    picker.addEventListener("input", function () {
      text.value = picker.value;
    });
    text.addEventListener("input", function () {
      var value = text.value.trim();
      if (HEX.test(value)) {
        picker.value = value.toLowerCase();
      }
    });
  }

  document.querySelectorAll("[data-colour-input]").forEach(wire);
})();

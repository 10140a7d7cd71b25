// Focus after an htmx swap (WCAG 2.4.3). htmx already keeps focus on a control whose id
// is in the new content (a search box, a select) and honours `autofocus` in it (the
// finder's next question). When neither applies and the focused element was swapped
// away — a filter link, "Next page", a cart's "Remove" — focus would fall to <body> and
// a keyboard or screen-reader user would start again at the top of the page. Instead it
// goes to the new content's element marked `data-swap-focus` (the result count, a
// confirmation), else its first heading, else the swapped region itself.
(function () {
  "use strict";
  var focusWasInside = false;

  function swapTarget(event) {
    return event.detail && (event.detail.target || event.detail.elt);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = swapTarget(event);
    var active = document.activeElement;
    focusWasInside = Boolean(
      target && active && active !== document.body && target.contains(active)
    );
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!focusWasInside) {
      return;
    }
    focusWasInside = false;
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) {
      return; // htmx kept or moved it (same id, autofocus)
    }
    var target = swapTarget(event);
    if (!target || !target.isConnected) {
      // An outerHTML swap replaced the target: find its successor by id.
      target = target && target.id ? document.getElementById(target.id) : null;
    }
    if (!target) {
      return;
    }
    var next =
      target.querySelector("[data-swap-focus]") ||
      target.querySelector("h1, h2, h3") ||
      target;
    if (!next.hasAttribute("tabindex") && !next.matches("a[href], button, input, select, textarea")) {
      next.setAttribute("tabindex", "-1");
    }
    next.focus({ preventScroll: false });
  });
})();

// Checkout sends the form for new prices on each change (hx-trigger="change"), one
// request at a time: a change made while a request is on its way waits for it
// (hx-sync="closest form:queue last") instead of cancelling it, which left
// htmx:sendAbort errors in the console. The answer to the older request is then out
// of date — it would undo the newer choice before the newer request reads the form —
// so it is not swapped in; the queued request, sent next, brings the current prices.
(function () {
  "use strict";
  var lastChange = 0;

  document.addEventListener("change", function (event) {
    if (event.target.closest && event.target.closest(".checkout-form")) {
      lastChange = performance.now();
    }
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.target.closest && event.target.closest(".checkout-form")) {
      event.detail.requestConfig.purei_sentAt = performance.now();
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var config = event.detail.requestConfig;
    if (config && config.purei_sentAt !== undefined && lastChange > config.purei_sentAt) {
      event.detail.shouldSwap = false;
    }
  });
})();

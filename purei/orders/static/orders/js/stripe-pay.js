// Stripe's Payment Element on the order page: the card goes to Stripe, which
// confirms the PaymentIntent and sends the customer back here; the order is marked
// paid by Stripe's signed webhook (payment_intent.succeeded), not by this page.
(function () {
  "use strict";
  var form = document.getElementById("stripe-payment");
  if (!form || typeof window.Stripe !== "function") {
    return;
  }
  // A connected account's payment (Stripe Connect direct charge) is confirmed
  // on that account: Stripe.js acts for it with the platform's key.
  var stripe = form.dataset.account
    ? window.Stripe(form.dataset.key, { stripeAccount: form.dataset.account })
    : window.Stripe(form.dataset.key);
  var elements = stripe.elements({ clientSecret: form.dataset.secret });
  elements.create("payment").mount("#stripe-element");
  var message = document.getElementById("stripe-message");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    stripe
      .confirmPayment({ elements: elements, confirmParams: { return_url: form.dataset.return } })
      .then(function (result) {
        if (result.error) {
          message.textContent = result.error.message;
          message.hidden = false;
          button.disabled = false;
        }
      });
  });
})();

"""Stripe, through PaymentIntents: ``start`` creates one and hands its client secret
to the browser, which confirms the card with Stripe.js; Stripe then tells us the
outcome by webhook (``purei.settlement.views.webhooks.stripe_webhook``).

Offered only when ``STRIPE_SECRET_KEY`` is set (docs/payments.md).
``STRIPE_API_BASE`` points the client elsewhere (stripe-mock, or the tests' local
fake server); empty means Stripe's own API.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from .base import (
    PLATFORM_ACCOUNT,
    Gateway,
    GatewayAccount,
    RefundResult,
    StartRequest,
    StartResult,
)

if TYPE_CHECKING:
    from purei.payments.models import Payment

logger = logging.getLogger(__name__)

CURRENCY = "nzd"


def stripe_client(account: GatewayAccount = PLATFORM_ACCOUNT) -> stripe.StripeClient:
    """A client for ``account``: a cluster's own secret key, or the platform's
    (settings read at call time) — acting for a connected account when
    ``account.stripe_account`` is set (Connect direct charges, ADR 0021)."""
    api_base = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        api_key=account.stripe_secret_key or settings.STRIPE_SECRET_KEY,
        stripe_account=account.stripe_account or None,
        base_addresses={"api": api_base} if api_base else None,
        # Safe to retry: every call that creates something has an idempotency key.
        max_network_retries=2,
    )


class StripeGateway(Gateway):
    name = "stripe"

    @property
    def label(self) -> str:
        return _("Card (Stripe)")

    def start(self, payment: Payment, request: StartRequest) -> StartResult:
        account = request.account
        client = stripe_client(account)
        params: dict[str, object] = {
            "amount": payment.amount_cents,
            "currency": CURRENCY,
            "automatic_payment_methods": {"enabled": True},
            "description": f"Order {request.reference}",
            "receipt_email": request.email,
            "metadata": {
                "order_number": request.reference,
                "payment_id": str(payment.pk),
            },
        }
        if account.stripe_account and account.application_fee_cents > 0:
            # Direct charge on the connected account: the platform's fee.
            params["application_fee_amount"] = min(
                account.application_fee_cents, payment.amount_cents
            )
        try:
            intent = client.v1.payment_intents.create(
                params,  # type: ignore[arg-type]  # a TypedDict built in steps
                {"idempotency_key": f"purei-payment-{payment.pk}"},
            )
        except stripe.StripeError as error:
            logger.warning("stripe: PaymentIntent of payment %s: %s", payment.pk, error)
            return StartResult(
                status="failed",
                reference="",
                message=_("Card payments are not available just now. Try again soon."),
            )
        return StartResult(
            status="pending",
            reference=intent.id,
            message=_("Enter your card details to pay."),
            client_secret=intent.client_secret,
        )

    def refund(
        self,
        payment: Payment,
        amount_cents: int,
        reason: str,
        *,
        idempotency_key: str = "",
        reference: str = "",
        account: GatewayAccount = PLATFORM_ACCOUNT,
    ) -> RefundResult:
        client = stripe_client(account)
        try:
            refund = client.v1.refunds.create(
                {
                    "payment_intent": payment.reference,
                    "amount": amount_cents,
                    "metadata": {
                        "order_number": reference,
                        "payment_id": str(payment.pk),
                        "reason": reason[:500],
                    },
                },
                {"idempotency_key": idempotency_key or None},
            )
        except stripe.StripeError as error:
            logger.warning("stripe: refund of payment %s: %s", payment.pk, error)
            message = getattr(error, "user_message", None) or _(
                "Stripe did not accept the refund."
            )
            return RefundResult(ok=False, reference="", message=str(message))
        if refund.status in {"failed", "canceled"}:
            return RefundResult(
                ok=False,
                reference=refund.id,
                message=_("Stripe could not make the refund (%(status)s).")
                % {"status": refund.status},
            )
        return RefundResult(ok=True, reference=refund.id, message=_("Refunded."))

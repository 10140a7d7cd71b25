"""Gateways' webhooks: verify, then hand the event to ``stripe_event_process``,
which records it once and settles what it says in one transaction. The path stays
``/payments/stripe/webhook/`` (the address registered in Stripe's dashboard)."""

from __future__ import annotations

import json
import logging

import stripe
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from purei.settlement.services import stripe_event_process

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe cannot send a CSRF token: the signature authenticates it.
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's events. 400 unless the ``Stripe-Signature`` header verifies with
    ``STRIPE_WEBHOOK_SECRET`` within Stripe's 5-minute tolerance; 200 otherwise,
    also for a repeat delivery and for events Pūrei does not handle."""
    try:
        stripe.Webhook.construct_event(
            request.body,
            request.headers.get("Stripe-Signature"),
            settings.STRIPE_WEBHOOK_SECRET,
        )
        payload = json.loads(request.body)
    except (ValueError, stripe.SignatureVerificationError) as error:
        logger.warning("stripe webhook refused: %s", error)
        return HttpResponseBadRequest("invalid signature or payload")
    if not isinstance(payload, dict) or "id" not in payload:
        return HttpResponseBadRequest("not an event")
    stripe_event_process(payload=payload)
    return HttpResponse("ok", content_type="text/plain")

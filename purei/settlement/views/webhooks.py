"""Gateways' webhooks: verify, then hand the event to ``stripe_event_process``,
which records it once and settles what it says in one transaction.

Two routes (docs/payments.md "Each cluster's own accounts"):

- ``/payments/stripe/webhook/`` — the platform's: verified with
  ``STRIPE_WEBHOOK_SECRET`` (or ``STRIPE_CONNECT_WEBHOOK_SECRET``); its events
  touch the platform's payments, or those of the connected account the event
  names (``account``);
- ``/payments/stripe/webhook/<cluster slug>/`` — a cluster with its own Stripe
  keys: verified with that cluster's own signing secret, and its events touch
  only that cluster's payments. A cluster without its own keys is verified as on
  the platform's route.
"""

from __future__ import annotations

import json
import logging

import stripe
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from purei.clusters.money_accounts import (
    WebhookRoute,
    cluster_webhook_route,
    platform_webhook_route,
)
from purei.settlement.services import stripe_event_process

logger = logging.getLogger(__name__)


def _verified(request: HttpRequest, route: WebhookRoute) -> bool:
    header = request.headers.get("Stripe-Signature") or ""
    for secret in route.secrets:
        try:
            stripe.Webhook.construct_event(request.body, header, secret)
        except stripe.SignatureVerificationError:
            continue
        except ValueError:
            return False
        return True
    return False


def _handle(request: HttpRequest, route: WebhookRoute) -> HttpResponse:
    """400 unless the ``Stripe-Signature`` header verifies with one of the
    route's secrets within Stripe's 5-minute tolerance; 200 otherwise, also for
    a repeat delivery and for events Pūrei does not handle. Never logs a secret
    or the signature."""
    if not _verified(request, route):
        logger.warning("stripe webhook refused: no secret of the route verifies it")
        return HttpResponseBadRequest("invalid signature or payload")
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest("invalid signature or payload")
    if not isinstance(payload, dict) or "id" not in payload:
        return HttpResponseBadRequest("not an event")
    stripe_event_process(payload=payload, route_key=route.key)
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt  # Stripe cannot send a CSRF token: the signature authenticates it.
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's events to the platform's endpoint."""
    return _handle(request, platform_webhook_route())


@csrf_exempt  # Stripe cannot send a CSRF token: the signature authenticates it.
@require_POST
def stripe_cluster_webhook(request: HttpRequest, slug: str) -> HttpResponse:
    """Stripe's events to a cluster's own endpoint (404 for no such cluster)."""
    return _handle(request, cluster_webhook_route(slug=slug))

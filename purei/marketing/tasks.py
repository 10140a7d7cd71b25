"""Marketing's background work (Django tasks, ``purei worker``): take ids, check the
state still holds, send. Safe to run twice: a confirmation link is for the newest
request only, a campaign's recipients are recorded and claimed once each
(``purei.marketing.sending``), a notification is claimed before it is sent.

- ``newsletter_confirmation_send``: the double opt-in link.
- ``campaign_recipients_prepare`` → ``campaign_batch_send``: a campaign, in
  batches of ``NEWSLETTER_BATCH_SIZE``; each batch enqueues the next, and a retry
  is enqueued for when it is due (with a backend that can defer a task; otherwise
  ``purei campaigns_resume``, from cron, picks it up).
- ``notify_confirmation_send`` and ``back_in_stock_notify`` (``purei
  notify_back_in_stock``, from cron): "tell me when it's back".
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from purei.catalogue.models import Variant
from purei.core.links import absolute_url
from purei.core.mail import send_templated_email
from purei.marketing.models import NotifyRequest, Subscriber, SubscriptionEvent
from purei.marketing.sending import (
    SEND_ERRORS,
    back_in_stock_batch,
    campaign_batch_deliver,
    campaign_recipients_prepare,
    notify_claim,
    notify_failed,
)
from purei.marketing.tokens import confirm_token_make, notify_token_make

logger = logging.getLogger(__name__)
NOTIFY_BATCH = 100


@task
def newsletter_confirmation_send(*, subscriber_id: int, event_id: int) -> int:
    """Email the confirmation link of a request to subscribe (1 if sent)."""
    subscriber = (
        Subscriber.objects.select_related("cluster").filter(pk=subscriber_id).first()
    )
    if subscriber is None or subscriber.status != Subscriber.Status.PENDING:
        return 0
    latest = (
        SubscriptionEvent.objects.filter(
            subscriber=subscriber, kind=SubscriptionEvent.Kind.REQUESTED
        )
        .order_by("-at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != event_id:
        return 0
    token = confirm_token_make(subscriber_id=subscriber.pk, event_id=event_id)
    with translation.override(subscriber.language):
        path = reverse(
            "marketing:newsletter-confirm",
            kwargs={"slug": subscriber.cluster.slug, "token": token},
        )
    send_templated_email(
        to=subscriber.email,
        template_prefix="marketing/newsletter/email/confirm",
        cluster=subscriber.cluster,
        context={"cluster": subscriber.cluster, "url": absolute_url(path)},
        language=subscriber.language,
    )
    return 1


@task
def campaign_recipients_prepare_task(*, campaign_id: int) -> int:
    """Record a queued campaign's recipients, then start sending it."""
    total = campaign_recipients_prepare(campaign_id=campaign_id)
    campaign_batch_send.enqueue(campaign_id=campaign_id)
    return total


@task
def campaign_batch_send(*, campaign_id: int) -> int:
    """Send one batch of a campaign, then enqueue the next (or the next retry).
    Returns how many were sent."""
    outcome = campaign_batch_deliver(
        campaign_id=campaign_id, batch_size=int(settings.NEWSLETTER_BATCH_SIZE)
    )
    if outcome.finished:
        return outcome.sent
    if outcome.more_due:
        campaign_batch_send.enqueue(campaign_id=campaign_id)
    elif outcome.retry_at is not None:
        if campaign_batch_send.get_backend().supports_defer:
            campaign_batch_send.using(run_after=outcome.retry_at).enqueue(
                campaign_id=campaign_id
            )
        else:
            logger.info(
                "campaign %s: retries due at %s (purei campaigns_resume sends them)",
                campaign_id,
                outcome.retry_at,
            )
    return outcome.sent


def _notify_context(request: NotifyRequest, variant: Variant) -> dict[str, object]:
    product = variant.product
    with translation.override(request.language):
        path = reverse(
            "catalogue:public-product",
            kwargs={
                "slug": request.cluster.slug,
                "member_slug": product.member.slug,
                "product_slug": product.slug,
            },
        )
    return {
        "cluster": request.cluster,
        "product": product,
        "variant": variant,
        "url": absolute_url(path),
    }


@task
def notify_confirmation_send(*, request_id: int) -> int:
    """Email the confirmation link of an anonymous "tell me when it's back"."""
    request = (
        NotifyRequest.objects.select_related("cluster").filter(pk=request_id).first()
    )
    if request is None or request.status != NotifyRequest.Status.PENDING:
        return 0
    variant = (
        Variant.objects.select_related("product__member")
        .filter(pk=request.target_id)
        .first()
    )
    if variant is None:
        return 0
    with translation.override(request.language):
        path = reverse(
            "marketing:notify-confirm",
            kwargs={
                "slug": request.cluster.slug,
                "token": notify_token_make(request_id=request.pk),
            },
        )
    send_templated_email(
        to=request.email,
        template_prefix="marketing/notify/email/confirm",
        cluster=request.cluster,
        context={
            **_notify_context(request, variant),
            "confirm_url": absolute_url(path),
        },
        language=request.language,
    )
    return 1


@task
def back_in_stock_notify() -> int:
    """Email everyone waiting for a variant that has stock again, once each.
    Returns how many were emailed."""
    sent = 0
    while batch := back_in_stock_batch(limit=NOTIFY_BATCH):
        variants = {
            variant.pk: variant
            for variant in Variant.objects.select_related("product__member").filter(
                pk__in=[request.target_id for request in batch]
            )
        }
        progressed = False
        for request in batch:
            if not notify_claim(request):
                continue
            progressed = True
            try:
                send_templated_email(
                    to=request.email,
                    template_prefix="marketing/notify/email/back_in_stock",
                    cluster=request.cluster,
                    context=_notify_context(request, variants[request.target_id]),
                    language=request.language,
                )
            except SEND_ERRORS as exc:
                logger.warning(
                    "notify request %s: sending failed (%s)", request.pk, exc
                )
                notify_failed(request)
                continue
            sent += 1
        if not progressed:
            break
    return sent

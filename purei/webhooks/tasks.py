"""Webhooks' background work (Django tasks, ``purei worker``). Safe to run twice:
a delivery is claimed before it is sent (``purei.webhooks.sending``)."""

from __future__ import annotations

import logging

from django.tasks import task

from .sending import delivery_attempt

logger = logging.getLogger(__name__)


@task
def webhook_deliver(*, delivery_id: int) -> str:
    """Try one delivery; when it must be tried again, enqueue that try for later
    (with a backend that can defer a task; otherwise ``purei webhooks_resume``,
    from cron, picks it up). Returns the delivery's state, or "skipped"."""
    delivery = delivery_attempt(delivery_id)
    if delivery is None:
        return "skipped"
    if delivery.state == delivery.State.PENDING and delivery.next_attempt_at:
        if webhook_deliver.get_backend().supports_defer:
            webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(
                delivery_id=delivery_id
            )
        else:
            logger.info(
                "webhook delivery %s: next try at %s (purei webhooks_resume)",
                delivery_id,
                delivery.next_attempt_at,
            )
    return str(delivery.state)

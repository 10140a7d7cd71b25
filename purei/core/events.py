"""Domain events: what happened, told to whoever listens above, as plain values.

A service in any app calls ``emit(name, cluster_id=…, member_id=…, payload=…)``
inside its transaction; the event goes out on ``domain_event`` only **after the
transaction commits** (``transaction.on_commit``), so a rolled-back change tells
nobody. The apps that emit never import who listens: ``purei.webhooks`` connects
its receiver in its ``AppConfig.ready`` (the one signal crossing apps, ADR 0020).

Audience: ``member_id`` set → the event is about that member business's part
(its own endpoints hear it); ``member_id`` None → about the cluster as a whole
(the cluster's endpoints hear it). A service that has both emits twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

logger = logging.getLogger(__name__)

EVENT_NAMES = (
    "order.paid",
    "order.cancelled",
    "order.refunded",
    "fulfilment.changed",
    "stock.low",
    "product.changed",
    "payout.made",
    "quote.requested",
    "quote.accepted",
)

# Sent with ``sender=<event name>`` and ``event=<DomainEvent>``.
domain_event = Signal()


@dataclass(frozen=True)
class DomainEvent:
    name: str
    cluster_id: int | None
    member_id: int | None
    payload: Mapping[str, Any]
    created: dt.datetime = field(default_factory=timezone.now)


def _send(event: DomainEvent) -> None:
    for receiver, result in domain_event.send_robust(sender=event.name, event=event):
        if isinstance(result, Exception):
            logger.error(
                "event %s: receiver %r failed", event.name, receiver, exc_info=result
            )


def emit(
    name: str,
    *,
    cluster_id: int | None,
    member_id: int | None = None,
    payload: Mapping[str, Any],
) -> None:
    """Tell listeners ``name`` happened, once the current transaction commits."""
    if name not in EVENT_NAMES:
        raise ValueError(f"unknown event {name!r}")
    event = DomainEvent(
        name=name, cluster_id=cluster_id, member_id=member_id, payload=dict(payload)
    )
    transaction.on_commit(partial(_send, event))

"""The receiver of ``purei.core.events.domain_event`` (connected in
``WebhooksConfig.ready``): the apps below tell what happened without importing
webhooks."""

from __future__ import annotations

from typing import Any

from purei.core.events import DomainEvent

from .services import event_record


def event_received(sender: str, *, event: DomainEvent, **kwargs: Any) -> None:
    event_record(event)

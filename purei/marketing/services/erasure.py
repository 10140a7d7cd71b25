"""A closed account leaves marketing (docs/privacy.md): each newsletter
subscription is ended (an ``unsubscribed`` consent event, as any unsubscribe)
and its address replaced, the consent record's dates and wording kept without
it; back-in-stock requests are deleted; reviews stay, signed "A verified buyer"
once the account's name is erased (``Review.author_name``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from purei.marketing.models import (
    CampaignRecipient,
    NotifyRequest,
    Review,
    Subscriber,
    SubscriptionEvent,
)

from .newsletter import OPEN, _event

CLOSED_SOURCE = "account closed"


@dataclass(frozen=True)
class MarketingErased:
    subscriptions: int
    notify_requests: int
    reviews_kept: int


@transaction.atomic
def marketing_person_erase(*, user_id: int, email: str) -> MarketingErased:
    """End and anonymise the subscriptions of account ``user_id`` (or of its
    ``email``), delete its notify requests. Called by
    ``privacy.services.account_close``."""
    email = email.strip().lower()
    subscribers = list(
        Subscriber.objects.select_for_update()
        .filter(Q(user_id=user_id) | Q(email=email))
        .order_by("pk")
    )
    for subscriber in subscribers:
        if subscriber.status in OPEN:
            left = _event(
                subscriber, SubscriptionEvent.Kind.UNSUBSCRIBED, source=CLOSED_SOURCE
            )
            subscriber.status = Subscriber.Status.UNSUBSCRIBED
            subscriber.left_at = left.at
        subscriber.email = f"closed-{subscriber.pk}@closed.invalid"
        subscriber.user = None
        subscriber.save(
            update_fields=["status", "left_at", "email", "user", "updated_at"]
        )
        CampaignRecipient.objects.filter(subscriber=subscriber).update(
            email=subscriber.email
        )
    notify, _by_kind = NotifyRequest.objects.filter(
        Q(user_id=user_id) | Q(email=email)
    ).delete()
    return MarketingErased(
        subscriptions=len(subscribers),
        notify_requests=notify,
        reviews_kept=Review.objects.filter(author_id=user_id).count(),
    )

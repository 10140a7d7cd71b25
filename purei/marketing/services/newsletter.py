"""A cluster's newsletter list: asking to subscribe, confirming from the emailed
link (double opt-in), unsubscribing in one click, and addresses marked bounced or
as complaints — by the cluster's admins, or by a signed webhook.

Every step of an address's consent is a ``SubscriptionEvent`` with its time, its
source and the words the person was shown (Unsolicited Electronic Messages Act
2007 s9(3): the sender must be able to prove consent; docs/marketing.md "Stories
and newsletters"). Nothing is sent to an address that has not confirmed, or that
has unsubscribed, bounced or complained since.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.clusters.models import Cluster, Region
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import ValidationFailed
from purei.marketing.errors import MarketingErrorCode, link_invalid
from purei.marketing.models import NotifyRequest, Subscriber, SubscriptionEvent
from purei.marketing.tasks import newsletter_confirmation_send
from purei.marketing.tokens import (
    TokenInvalid,
    confirm_token_read,
    unsubscribe_token_read,
)

from ._common import _add, _require_admin, _text

WHAT = gettext_lazy("newsletter")
# What an admin or a provider's webhook may mark an address as.
MARKS = {
    Subscriber.Status.BOUNCED: SubscriptionEvent.Kind.BOUNCED,
    Subscriber.Status.COMPLAINED: SubscriptionEvent.Kind.COMPLAINED,
    Subscriber.Status.UNSUBSCRIBED: SubscriptionEvent.Kind.UNSUBSCRIBED,
}
# Statuses in which an address may still get mail (once confirmed) or a
# confirmation link.
OPEN = (Subscriber.Status.PENDING, Subscriber.Status.SUBSCRIBED)


def consent_wording(cluster: Cluster) -> str:
    """What the subscribe form says, recorded with each request."""
    return _(
        "Yes, email me the newsletter of %(cluster)s: its stories, market days and "
        "offers. I can unsubscribe at any time, from the link in every email."
    ) % {"cluster": cluster.name}


def confirm_wording(cluster: Cluster) -> str:
    """What the confirmation page says beside its button."""
    return _("Confirm that you want the newsletter of %(cluster)s at this address.") % {
        "cluster": cluster.name
    }


@dataclass(frozen=True)
class SubscriptionInput:
    """A request to subscribe as typed: the address, the reader's language (en or
    mi), optionally a region code (ISO 3166-2:NZ, for news of the region), where it
    came from and the words the person was shown."""

    email: str
    source: str
    wording: str
    language: str = "en"
    region: str = ""


def email_normalised(value: str) -> str:
    return _text(value).lower()


def _email_checked(value: str, errors: dict[str, list[str]]) -> str:
    email = email_normalised(value)
    if not email:
        _add(errors, "email", _("Give your email address."))
        return ""
    try:
        validate_email(email)
    except ValidationError:
        _add(
            errors,
            "email",
            _("Give an email address like name@example.nz."),
        )
    return email


def _event(
    subscriber: Subscriber,
    kind: str,
    *,
    source: str,
    wording: str = "",
    campaign_id: int | None = None,
) -> SubscriptionEvent:
    return SubscriptionEvent.objects.create(
        subscriber=subscriber,
        kind=kind,
        at=timezone.now(),
        source=source[:200],
        wording=wording,
        campaign_id=campaign_id,
    )


@dataclass(frozen=True)
class SubscriptionRequested:
    """What became of a request: ``emailed`` is true when a confirmation link was
    sent (the page says the same either way, so nobody learns who subscribed)."""

    subscriber: Subscriber
    emailed: bool


@transaction.atomic
def subscription_request(
    *, actor: Actor, cluster: Cluster, details: SubscriptionInput
) -> SubscriptionRequested:
    """Ask to subscribe: the address waits for its confirmation link (emailed once
    this commits). An address already subscribed is left as it is and sent
    nothing; one unsubscribed, bounced or complained before may ask again."""
    errors: dict[str, list[str]] = {}
    email = _email_checked(details.email, errors)
    languages = {code for code, _name in settings.LANGUAGES}
    language = details.language if details.language in languages else "en"
    region = None
    if details.region:
        region = Region.objects.filter(code=details.region).first()
        if region is None:
            _add(errors, "region", _("Choose a region from the list."))
    if not _text(details.wording):
        _add(errors, "wording", _("Record what the person was shown."))
    if errors:
        raise ValidationFailed(MarketingErrorCode.INVALID_SUBSCRIPTION, errors)
    now = timezone.now()
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        cluster=cluster,
        email=email,
        defaults={"requested_at": now, "language": language, "region": region},
    )
    if not created and subscriber.is_subscribed:
        return SubscriptionRequested(subscriber=subscriber, emailed=False)
    user = actor.user if actor.is_authenticated else None
    subscriber.status = Subscriber.Status.PENDING
    subscriber.requested_at = now
    subscriber.language = language
    subscriber.region = region
    if user is not None and user.email.lower() == email:
        subscriber.user = user
    subscriber.save()
    event = _event(
        subscriber,
        SubscriptionEvent.Kind.REQUESTED,
        source=details.source,
        wording=details.wording,
    )
    transaction.on_commit(
        partial(
            newsletter_confirmation_send.enqueue,
            subscriber_id=subscriber.pk,
            event_id=event.pk,
        )
    )
    return SubscriptionRequested(subscriber=subscriber, emailed=True)


@transaction.atomic
def subscription_confirm(
    *, cluster: Cluster, token: str, source: str, wording: str
) -> Subscriber:
    """Confirm an address from its emailed link: from now on it gets the
    newsletter. Only the newest request's link works; confirming twice is fine."""
    try:
        data = confirm_token_read(token)
    except TokenInvalid:
        raise link_invalid() from None
    subscriber = (
        Subscriber.objects.select_for_update()
        .filter(pk=data.subscriber_id, cluster=cluster)
        .first()
    )
    if subscriber is None:
        raise link_invalid()
    latest = (
        SubscriptionEvent.objects.filter(
            subscriber=subscriber, kind=SubscriptionEvent.Kind.REQUESTED
        )
        .order_by("-at", "-pk")
        .first()
    )
    if latest is None or latest.pk != data.event_id:
        raise link_invalid()
    if subscriber.is_subscribed:
        return subscriber
    if subscriber.status != Subscriber.Status.PENDING:
        raise link_invalid()
    confirmed = _event(
        subscriber, SubscriptionEvent.Kind.CONFIRMED, source=source, wording=wording
    )
    subscriber.status = Subscriber.Status.SUBSCRIBED
    subscriber.confirmed_at = confirmed.at
    subscriber.left_at = None
    subscriber.consent_source = f"{latest.source}; {source}"[:200]
    subscriber.consent_wording = f"{latest.wording}\n{wording}".strip()
    subscriber.save()
    return subscriber


@transaction.atomic
def subscription_unsubscribe(
    *, cluster: Cluster, token: str, source: str
) -> Subscriber:
    """Unsubscribe the address of an unsubscribe link, at once (UEMA s11; s9(2)
    allows up to 5 working days, we take none). Safe to repeat."""
    try:
        data = unsubscribe_token_read(token)
    except TokenInvalid:
        raise link_invalid() from None
    subscriber = (
        Subscriber.objects.select_for_update()
        .filter(pk=data.subscriber_id, cluster=cluster)
        .first()
    )
    if subscriber is None:
        raise link_invalid()
    if subscriber.status not in OPEN:
        return subscriber
    left = _event(
        subscriber,
        SubscriptionEvent.Kind.UNSUBSCRIBED,
        source=source,
        campaign_id=data.campaign_id,
    )
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.left_at = left.at
    subscriber.save(update_fields=["status", "left_at", "updated_at"])
    return subscriber


@transaction.atomic
def subscriber_mark(
    *, actor: Actor, cluster: Cluster, email: str, status: str, note: str = ""
) -> Subscriber:
    """A cluster admin marks an address of its list bounced, as a complaint, or
    unsubscribed (what a mail provider or the person told them); audited."""
    _require_admin(actor, cluster, str(WHAT))
    errors: dict[str, list[str]] = {}
    address = _email_checked(email, errors)
    if status not in MARKS:
        _add(errors, "status", _("Choose what happened to the address."))
    if len(_text(note)) > 200:
        _add(errors, "note", _("Keep the note to 200 characters."))
    if errors:
        raise ValidationFailed(MarketingErrorCode.INVALID_SUBSCRIPTION, errors)
    subscriber = (
        Subscriber.objects.select_for_update()
        .filter(cluster=cluster, email=address)
        .first()
    )
    if subscriber is None:
        raise ValidationFailed(
            MarketingErrorCode.UNKNOWN_ADDRESS,
            {"email": [_("No one on this cluster's list has this address.")]},
        )
    before = {"status": subscriber.status}
    who = actor.user.email if actor.user is not None else "?"
    source = f"admin: {who}" + (f" ({_text(note)})" if _text(note) else "")
    event = _event(subscriber, MARKS[Subscriber.Status(status)], source=source)
    subscriber.status = status
    subscriber.left_at = event.at
    subscriber.save(update_fields=["status", "left_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="newsletter.address_marked",
        target=subscriber,
        cluster_id=cluster.pk,
        before=before,
        after={"status": status, "note": _text(note)},
    )
    return subscriber


def address_undeliverable(*, email: str, status: str, source: str) -> int:
    """A provider says ``email`` bounced for good, or its owner complained: every
    cluster's list stops sending to it, and its waiting notifications are
    cancelled. Returns how many subscriptions changed; safe to repeat."""
    if status not in (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED):
        raise ValueError(status)
    address = email_normalised(email)
    changed = 0
    system = Actor.system()
    with transaction.atomic():
        for subscriber in Subscriber.objects.select_for_update().filter(
            email=address, status__in=OPEN
        ):
            event = _event(subscriber, MARKS[Subscriber.Status(status)], source=source)
            before = {"status": subscriber.status}
            subscriber.status = status
            subscriber.left_at = event.at
            subscriber.save(update_fields=["status", "left_at", "updated_at"])
            audit_record(
                actor=system,
                verb="newsletter.address_marked",
                target=subscriber,
                cluster_id=subscriber.cluster_id,
                before=before,
                after={"status": status, "source": source[:200]},
            )
            changed += 1
        NotifyRequest.objects.filter(
            email=address,
            status__in=(NotifyRequest.Status.PENDING, NotifyRequest.Status.WAITING),
        ).update(status=NotifyRequest.Status.CANCELLED, updated_at=timezone.now())
    return changed


EXPORT_HEADER = (
    "email",
    "status",
    "language",
    "region",
    "asked_at",
    "confirmed_at",
    "left_at",
    "consent_source",
    "consent_wording",
)


def subscribers_export(*, actor: Actor, cluster: Cluster) -> Iterator[list[object]]:
    """The cluster's list as CSV rows (header first), for its admins only; the
    export itself is audited (it discloses personal information: IPP 11)."""
    _require_admin(actor, cluster, str(WHAT))
    with transaction.atomic():
        count = Subscriber.objects.filter(cluster=cluster).count()
        audit_record(
            actor=actor,
            verb="newsletter.subscribers_exported",
            target=cluster,
            cluster_id=cluster.pk,
            after={"rows": count},
        )

    def rows() -> Iterator[list[object]]:
        yield list(EXPORT_HEADER)
        subscribers = (
            Subscriber.objects.filter(cluster=cluster)
            .select_related("region")
            .order_by("email", "pk")
        )
        for subscriber in subscribers.iterator(chunk_size=500):
            yield [
                subscriber.email,
                subscriber.status,
                subscriber.language,
                subscriber.region.code if subscriber.region else "",
                subscriber.requested_at.isoformat(),
                subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
                subscriber.left_at.isoformat() if subscriber.left_at else "",
                subscriber.consent_source,
                subscriber.consent_wording,
            ]

    return rows()

"""'Tell me when it's back': a shopper asks to be emailed when a sold-out variant
has stock again (and, with sales windows, when a window opens: the same request,
another ``kind``).

A logged-in shopper asking for their own account's address waits at once; any
other address is confirmed from an emailed link first (double opt-in, as the
newsletter), so nobody can sign a stranger up. The email goes once
(``back_in_stock_notify``, run by ``purei notify_back_in_stock`` from cron: the
catalogue, below marketing, never calls up to it — docs/marketing.md)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import DomainError, ValidationFailed
from purei.marketing.errors import MarketingErrorCode
from purei.marketing.models import NotifyRequest
from purei.marketing.tasks import notify_confirmation_send
from purei.marketing.tokens import TokenInvalid, notify_token_read

from ._common import _text
from .newsletter import _email_checked

OPEN = (NotifyRequest.Status.PENDING, NotifyRequest.Status.WAITING)


def notify_wording(variant: Variant) -> str:
    """What the "Notify me" form says, recorded with each request."""
    return _(
        "Email me once when %(product)s is back in stock. That is the only email "
        "this sends."
    ) % {"product": variant.product.title_en}


@dataclass(frozen=True)
class NotifyInput:
    email: str
    source: str
    wording: str
    language: str = "en"


@transaction.atomic
def notify_request_create(
    *, actor: Actor, cluster: Cluster, variant: Variant, details: NotifyInput
) -> NotifyRequest:
    """Ask to be told when ``variant`` (public in ``cluster``, sold out) is back.
    Asking again for the same address and variant changes nothing."""
    errors: dict[str, list[str]] = {}
    email = _email_checked(details.email, errors)
    if errors:
        raise ValidationFailed(MarketingErrorCode.INVALID_NOTIFY, errors)
    if variant.in_stock:
        raise DomainError(
            MarketingErrorCode.INVALID_NOTIFY,
            _("It is in stock now: add it to your cart."),
            field="variant",
        )
    languages = {code for code, _name in settings.LANGUAGES}
    language = details.language if details.language in languages else "en"
    existing = (
        NotifyRequest.objects.select_for_update()
        .filter(
            kind=NotifyRequest.Kind.BACK_IN_STOCK,
            target_id=variant.pk,
            email=email,
            status__in=OPEN,
        )
        .first()
    )
    if existing is not None:
        return existing
    user = actor.user if actor.is_authenticated else None
    own = user is not None and user.email.lower() == email
    now = timezone.now()
    request = NotifyRequest.objects.create(
        cluster=cluster,
        kind=NotifyRequest.Kind.BACK_IN_STOCK,
        target_id=variant.pk,
        email=email,
        user=user if own else None,
        language=language,
        status=NotifyRequest.Status.WAITING if own else NotifyRequest.Status.PENDING,
        confirmed_at=now if own else None,
        source=_text(details.source)[:200],
        wording=details.wording,
    )
    if not own:
        transaction.on_commit(
            partial(notify_confirmation_send.enqueue, request_id=request.pk)
        )
    return request


@transaction.atomic
def notify_request_confirm(*, cluster: Cluster, token: str) -> NotifyRequest:
    """Confirm an emailed "tell me when it's back" (safe to repeat)."""
    invalid = DomainError(
        MarketingErrorCode.LINK_INVALID,
        _("This link doesn't work any more: ask again from the product's page."),
    )
    try:
        request_id = notify_token_read(token)
    except TokenInvalid:
        raise invalid from None
    request = (
        NotifyRequest.objects.select_for_update()
        .filter(pk=request_id, cluster=cluster)
        .first()
    )
    if request is None or request.status not in OPEN:
        raise invalid
    if request.status == NotifyRequest.Status.PENDING:
        request.status = NotifyRequest.Status.WAITING
        request.confirmed_at = timezone.now()
        request.save(update_fields=["status", "confirmed_at", "updated_at"])
    return request

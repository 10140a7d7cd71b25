""" "Tell me when the window opens" (issue 14): the notify-me button of a product
whose sales window has not opened yet. The same ``NotifyRequest`` as "back in
stock", of kind ``window_opens`` with the window's id as its target; a logged-in
shopper's own address waits at once, any other is confirmed from an emailed link
first. ``window_opens_notify`` (``purei notify_windows_open``, from cron) emails
each once when the window has opened (orders, below marketing, never call up)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import DomainError, ValidationFailed
from purei.marketing.errors import MarketingErrorCode
from purei.marketing.models import NotifyRequest
from purei.orders.models import SalesWindow

from ._common import _text
from .newsletter import _email_checked
from .notify import OPEN, NotifyInput


def window_notify_wording(window: SalesWindow) -> str:
    return _(
        "Email me once when orders open for %(window)s. That is the only email "
        "this sends."
    ) % {"window": window.name_en}


@transaction.atomic
def window_notify_request_create(
    *, actor: Actor, cluster: Cluster, window: SalesWindow, details: NotifyInput
) -> NotifyRequest:
    """Ask to be told when ``window`` (of ``cluster``, not open yet) opens.
    Asking again for the same address changes nothing."""
    from purei.marketing.window_tasks import window_notify_confirmation_send

    errors: dict[str, list[str]] = {}
    email = _email_checked(details.email, errors)
    if errors:
        raise ValidationFailed(MarketingErrorCode.INVALID_NOTIFY, errors)
    if window.cluster_id != cluster.pk or timezone.now() >= window.opens_at:
        raise DomainError(
            MarketingErrorCode.INVALID_NOTIFY,
            _("This window is open already (or over): order from its products."),
            field="window",
        )
    languages = {code for code, _name in settings.LANGUAGES}
    language = details.language if details.language in languages else "en"
    existing = (
        NotifyRequest.objects.select_for_update()
        .filter(
            kind=NotifyRequest.Kind.WINDOW_OPENS,
            target_id=window.pk,
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
        kind=NotifyRequest.Kind.WINDOW_OPENS,
        target_id=window.pk,
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
            partial(window_notify_confirmation_send.enqueue, request_id=request.pk)
        )
    return request


def window_opens_due(
    *, limit: int, now: dt.datetime | None = None
) -> list[NotifyRequest]:
    """Waiting "window opens" requests whose window has opened and not closed."""
    now = now or timezone.now()
    opened = SalesWindow.objects.filter(
        is_active=True, opens_at__lte=now, closes_at__gt=now
    ).values("pk")
    return list(
        NotifyRequest.objects.filter(
            kind=NotifyRequest.Kind.WINDOW_OPENS,
            status=NotifyRequest.Status.WAITING,
            target_id__in=opened,
        )
        .select_related("cluster")
        .order_by("pk")[:limit]
    )

"""The "window opens" emails (``services/window_notify.py``): the confirmation
of an anonymous request, and the one email when the window opens
(``window_opens_notify``, run by ``purei notify_windows_open`` from cron)."""

from __future__ import annotations

import logging

from django.tasks import task
from django.urls import reverse
from django.utils import translation

from purei.core.links import absolute_url
from purei.core.mail import send_templated_email
from purei.marketing.models import NotifyRequest
from purei.marketing.sending import SEND_ERRORS, notify_claim, notify_failed
from purei.marketing.services.window_notify import window_opens_due
from purei.marketing.tasks import NOTIFY_BATCH
from purei.marketing.tokens import notify_token_make
from purei.orders.models import SalesWindow
from purei.orders.windows import closes_label, opens_label

logger = logging.getLogger(__name__)


def _context(request: NotifyRequest, window: SalesWindow) -> dict[str, object]:
    with translation.override(request.language):
        path = reverse(
            "marketing:window",
            kwargs={"slug": request.cluster.slug, "pk": window.pk},
        )
        return {
            "cluster": request.cluster,
            "window": window,
            "opens": opens_label(window),
            "closes": closes_label(window),
            "url": absolute_url(path),
        }


@task
def window_notify_confirmation_send(*, request_id: int) -> int:
    """Email the confirmation link of an anonymous "tell me when it opens"."""
    request = (
        NotifyRequest.objects.select_related("cluster").filter(pk=request_id).first()
    )
    if request is None or request.status != NotifyRequest.Status.PENDING:
        return 0
    window = SalesWindow.objects.filter(pk=request.target_id).first()
    if window is None:
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
        template_prefix="marketing/notify/email/window_confirm",
        cluster=request.cluster,
        context={**_context(request, window), "confirm_url": absolute_url(path)},
        language=request.language,
    )
    return 1


@task
def window_opens_notify() -> int:
    """Email everyone waiting for a window that has opened, once each."""
    sent = 0
    while batch := window_opens_due(limit=NOTIFY_BATCH):
        windows = SalesWindow.objects.in_bulk([r.target_id for r in batch])
        progressed = False
        for request in batch:
            if not notify_claim(request):
                continue
            progressed = True
            try:
                send_templated_email(
                    to=request.email,
                    template_prefix="marketing/notify/email/window_opens",
                    cluster=request.cluster,
                    context=_context(request, windows[request.target_id]),
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

"""A cluster's calendar of upcoming sales windows and pickup events, a window's
page (with schema.org ``Event``), the ``.ics`` feed, and the "tell me when it
opens" form (issue 14; the windows themselves are orders', ADR 0016)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.errors import DomainError
from purei.core.ratelimit import rate_limit_request
from purei.marketing.events import events_calendar, pickup_event, window_event
from purei.marketing.forms import WindowNotifyForm
from purei.marketing.models import NotifyRequest
from purei.marketing.schema import json_ld
from purei.marketing.services.notify import NotifyInput
from purei.marketing.services.window_notify import (
    window_notify_request_create,
    window_notify_wording,
)
from purei.marketing.views.notify import _back
from purei.orders.pickup import event_window_label
from purei.orders.window_selectors import (
    public_window_get,
    public_windows,
    upcoming_pickup_events,
    window_view,
)


@require_GET
def calendar_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    now = timezone.now()
    windows = list(public_windows(cluster, now))
    events = list(upcoming_pickup_events(cluster, now))
    page = request.build_absolute_uri(request.path)
    data = [
        window_event(
            w,
            request.build_absolute_uri(
                reverse("marketing:window", kwargs={"slug": slug, "pk": w.pk})
            ),
            cluster,
        )
        for w in windows
    ] + [pickup_event(e, page, cluster) for e in events if e.sales_window_id is None]
    return render(
        request,
        "marketing/windows/calendar.html",
        {
            "cluster": cluster,
            "windows": [window_view(w, now) for w in windows],
            "events": [
                (e, event_window_label(e)) for e in events if e.sales_window_id is None
            ],
            "json_ld": json_ld({"@context": "https://schema.org", "@graph": data})
            if data
            else "",
        },
    )


@require_GET
def window_view_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    window = public_window_get(cluster, pk)
    view = window_view(window)
    user = getattr(request, "user", None)
    return render(
        request,
        "marketing/windows/window.html",
        {
            "cluster": cluster,
            "view": view,
            "items": list(window.items.all()),
            "json_ld": json_ld(
                window_event(window, request.build_absolute_uri(request.path), cluster)
            ),
            "email": user.email if user is not None and user.is_authenticated else "",
        },
    )


@require_GET
def events_ics_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    now = timezone.now()
    body = events_calendar(
        cluster,
        list(public_windows(cluster, now)),
        list(upcoming_pickup_events(cluster, now)),
        calendar_url=request.build_absolute_uri(
            reverse("marketing:calendar", kwargs={"slug": slug})
        ),
        window_url=lambda w: request.build_absolute_uri(
            reverse("marketing:window", kwargs={"slug": slug, "pk": w.pk})
        ),
        now=now,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}-events.ics"'
    return response


@require_POST
def window_notify_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    back = _back(request, reverse("marketing:calendar", kwargs={"slug": slug}))
    form = WindowNotifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give an email address like name@example.nz."))
        return redirect(back)
    window = public_window_get(cluster, form.cleaned_data["window"])
    rate_limit_request(request, "notify_request", email=form.cleaned_data["email"])
    try:
        created = window_notify_request_create(
            actor=actor,
            cluster=cluster,
            window=window,
            details=NotifyInput(
                email=form.cleaned_data["email"],
                language=get_language() or "en",
                source=f"web: {back}",
                wording=window_notify_wording(window),
            ),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if created.status == NotifyRequest.Status.WAITING:
        messages.success(
            request,
            _("Done: we'll email you once when orders open for %(window)s.")
            % {"window": window.name},
        )
    else:
        messages.success(
            request,
            _(
                "Check your inbox: confirm from the link we sent, and we'll email "
                "you once when orders open for %(window)s."
            )
            % {"window": window.name},
        )
    return redirect(back)

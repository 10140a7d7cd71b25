""" "Tell me when it's back": the "Notify me" form of a sold-out product (drawn on
the product page by ``{% notify_me %}``, ``marketing/_notify_me.html``) posts here;
an emailed link confirms an anonymous request (a "window opens" one too: its
page then says "when orders open for <window>")."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.errors import DomainError
from purei.core.ratelimit import rate_limit_request
from purei.marketing.forms import NotifyForm
from purei.marketing.models import NotifyRequest
from purei.marketing.selectors import notify_window_for, variant_get_for_notify
from purei.marketing.services import (
    NotifyInput,
    notify_request_confirm,
    notify_request_create,
)
from purei.marketing.services.notify import notify_wording


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def notify_request_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    form = NotifyForm(request.POST)
    back = _back(
        request, reverse("catalogue:cluster-home", kwargs={"slug": cluster.slug})
    )
    if not form.is_valid():
        messages.error(request, _("Give an email address like name@example.nz."))
        return redirect(back)
    variant = variant_get_for_notify(
        cluster=cluster, variant_id=form.cleaned_data["variant"]
    )
    rate_limit_request(request, "notify_request", email=form.cleaned_data["email"])
    try:
        created = notify_request_create(
            actor=actor,
            cluster=cluster,
            variant=variant,
            details=NotifyInput(
                email=form.cleaned_data["email"],
                language=get_language() or "en",
                source=f"web: {back}",
                wording=notify_wording(variant),
            ),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    if created.status == NotifyRequest.Status.WAITING:
        messages.success(request, _("Done: we'll email you once when it's back."))
    else:
        messages.success(
            request,
            _(
                "Check your inbox: confirm from the link we sent, and we'll email "
                "you once when it's back."
            ),
        )
    return redirect(back)


@require_http_methods(["GET", "POST"])
def notify_confirm_view(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    if request.method == "GET":
        window = notify_window_for(cluster=cluster, token=token)
        return render(
            request,
            "marketing/notify/confirm.html",
            {"cluster": cluster, "window": window},
        )
    try:
        confirmed = notify_request_confirm(cluster=cluster, token=token)
    except DomainError as exc:
        return render(
            request,
            "marketing/newsletter/link_invalid.html",
            {"cluster": cluster, "message": exc.message},
            status=400,
        )
    window = notify_window_for(cluster=cluster, request=confirmed)
    return render(
        request,
        "marketing/notify/confirmed.html",
        {
            "cluster": cluster,
            "window": window,
            "window_path": f"windows/{window.pk}/" if window else "",
        },
    )

"""The newsletter: subscribing (``/c/<slug>/newsletter/``), confirming from the
emailed link, unsubscribing (a page, and the one-click ``POST`` of RFC 8058 that
mail providers send without a CSRF token — the signed token is the authority),
the bounce and complaint webhook, and a cluster admin's screens under
``/manage/clusters/<slug>/newsletter/``."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Iterator

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.models import Cluster
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.csv_safe import csv_writer
from purei.core.downloads import private_stream
from purei.core.errors import DomainError, NotPermitted
from purei.core.forms import form_add_domain_error
from purei.core.ratelimit import rate_limit_request
from purei.marketing.forms import CampaignForm, MarkAddressForm, SubscribeForm
from purei.marketing.mailing import campaign_message, sender_address
from purei.marketing.models import Campaign, Subscriber
from purei.marketing.selectors import (
    campaign_get_for_admin,
    campaign_list_for_admin,
    campaign_progress,
    campaign_segment_subscribers,
    story_choices_for_campaign,
    subscriber_counts,
    subscriber_for_confirm_token,
    subscriber_for_unsubscribe_token,
)
from purei.marketing.services import (
    SubscriptionInput,
    address_undeliverable,
    campaign_create,
    campaign_delete,
    campaign_send,
    confirm_wording,
    consent_wording,
    subscriber_mark,
    subscribers_export,
    subscription_confirm,
    subscription_request,
    subscription_unsubscribe,
)
from purei.web.shell import cluster_manage_context

logger = logging.getLogger(__name__)

ONE_CLICK_SOURCE = "one-click unsubscribe (RFC 8058 List-Unsubscribe-Post)"
WEBHOOK_TOLERANCE = 300  # seconds


# --- Subscribing ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def subscribe_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    wording = consent_wording(cluster)
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = SubscribeForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            rate_limit_request(
                request, "newsletter_subscribe", email=form.cleaned_data["email"]
            )
            try:
                subscription_request(
                    actor=actor,
                    cluster=cluster,
                    details=SubscriptionInput(
                        email=form.cleaned_data["email"],
                        region=form.cleaned_data["region"],
                        language=get_language() or "en",
                        source=f"web: {request.path}",
                        wording=wording,
                    ),
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                return redirect("marketing:newsletter-sent", slug=cluster.slug)
        status = 422
    return render(
        request,
        "marketing/newsletter/subscribe.html",
        {"cluster": cluster, "form": form, "wording": wording},
        status=status,
    )


@require_GET
def subscribe_sent_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    return render(request, "marketing/newsletter/sent.html", {"cluster": cluster})


@require_http_methods(["GET", "POST"])
def confirm_view(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """GET shows a button (a link scanner opening the link confirms nothing);
    its POST confirms."""
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    wording = confirm_wording(cluster)
    try:
        if request.method == "POST":
            subscriber = subscription_confirm(
                cluster=cluster,
                token=token,
                source="confirmation link emailed to the address",
                wording=wording,
            )
            return render(
                request,
                "marketing/newsletter/confirmed.html",
                {"cluster": cluster, "subscriber": subscriber},
            )
        subscriber = subscriber_for_confirm_token(cluster=cluster, token=token)
    except DomainError as exc:
        return render(
            request,
            "marketing/newsletter/link_invalid.html",
            {"cluster": cluster, "message": exc.message},
            status=400,
        )
    return render(
        request,
        "marketing/newsletter/confirm.html",
        {"cluster": cluster, "subscriber": subscriber, "wording": wording},
    )


@csrf_exempt  # Mail providers POST here with no cookie or CSRF token (RFC 8058):
# the signed token in the address is the authority, and unsubscribing is all it can do.
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """GET: a page with an "Unsubscribe" button. POST: unsubscribe at once — the
    button, or a mail provider's one-click ``List-Unsubscribe=One-Click``."""
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    try:
        if request.method == "POST":
            one_click = request.POST.get("List-Unsubscribe") == "One-Click"
            subscriber = subscription_unsubscribe(
                cluster=cluster,
                token=token,
                source=ONE_CLICK_SOURCE if one_click else "unsubscribe page",
            )
            return render(
                request,
                "marketing/newsletter/unsubscribed.html",
                {"cluster": cluster, "subscriber": subscriber},
            )
        subscriber = subscriber_for_unsubscribe_token(cluster=cluster, token=token)
    except DomainError as exc:
        return render(
            request,
            "marketing/newsletter/link_invalid.html",
            {"cluster": cluster, "message": exc.message},
            status=400,
        )
    return render(
        request,
        "marketing/newsletter/unsubscribe.html",
        {"cluster": cluster, "subscriber": subscriber},
    )


# --- Bounces and complaints from a mail provider -------------------------------------


def _signature_ok(request: HttpRequest, secret: str) -> bool:
    """``X-Purei-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``,
    within five minutes (as Stripe signs its webhooks)."""
    parts = dict(
        item.split("=", 1)
        for item in request.headers.get("X-Purei-Signature", "").split(",")
        if "=" in item
    )
    try:
        sent_at = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs(time.time() - sent_at) > WEBHOOK_TOLERANCE:
        return False
    expected = hmac.new(
        secret.encode(), f"{sent_at}.".encode() + request.body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


WEBHOOK_EVENTS = {
    "bounce": Subscriber.Status.BOUNCED,
    "complaint": Subscriber.Status.COMPLAINED,
}


@csrf_exempt  # A mail provider sends no CSRF token: the signature authenticates it.
@require_POST
def bounce_webhook_view(request: HttpRequest) -> HttpResponse:
    """``{"event": "bounce" | "complaint", "email": "…"}``, signed with
    ``NEWSLETTER_WEBHOOK_SECRET``: the address stops getting mail in every cluster
    (docs/marketing.md "Bounces and complaints"). 404 while no secret is set, 400
    for a bad signature or body, 200 otherwise (also for a repeat)."""
    secret = str(settings.NEWSLETTER_WEBHOOK_SECRET)
    if not secret:
        raise Http404
    if not _signature_ok(request, secret):
        logger.warning("newsletter webhook refused: bad signature")
        return HttpResponseBadRequest("invalid signature")
    try:
        payload = json.loads(request.body)
        status = WEBHOOK_EVENTS[str(payload["event"])]
        email = str(payload["email"])
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("expected {event: bounce|complaint, email}")
    changed = address_undeliverable(
        email=email, status=status, source=f"webhook: {payload['event']}"
    )
    return HttpResponse(f"ok {changed}", content_type="text/plain")


# --- A cluster admin's screens ------------------------------------------------------


def _admin_only(request: HttpRequest, cluster: Cluster) -> None:
    """Platform staff may look at a cluster's newsletter, never act on it."""
    if not actor_from(request).is_cluster_admin(cluster.pk):
        raise PermissionDenied(_("Only the cluster's admins send its newsletter."))


def _newsletter_page(
    request: HttpRequest,
    cluster: Cluster,
    *,
    mark_form: MarkAddressForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = actor_from(request)
    counts = subscriber_counts(actor=actor, cluster=cluster)
    campaigns = campaign_list_for_admin(actor=actor, cluster=cluster)
    page = Paginator(campaigns, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "marketing/newsletter/manage.html",
        cluster_manage_context(
            cluster,
            "newsletter",
            counts=[
                (value, label, counts.get(value, 0))
                for value, label in Subscriber.Status.choices
            ],
            subscribed=counts.get(Subscriber.Status.SUBSCRIBED, 0),
            page=page,
            mark_form=mark_form or MarkAddressForm(),
            can_write=actor.is_cluster_admin(cluster.pk),
            webhook_on=bool(settings.NEWSLETTER_WEBHOOK_SECRET),
        ),
        status=status,
    )


@login_required
@require_GET
def manage_newsletter_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_for_admin(actor=actor_from(request), slug=slug)
    return _newsletter_page(request, cluster)


@login_required
@require_POST
def manage_address_mark_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    _admin_only(request, cluster)
    form = MarkAddressForm(request.POST)
    if form.is_valid():
        try:
            subscriber = subscriber_mark(
                actor=actor,
                cluster=cluster,
                email=form.cleaned_data["email"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(email)s is marked “%(status)s”: nothing more is sent to it.")
                % {
                    "email": subscriber.email,
                    "status": subscriber.get_status_display(),
                },
            )
            return redirect("marketing:manage-newsletter", slug=cluster.slug)
    return _newsletter_page(request, cluster, mark_form=form, status=422)


@login_required
@require_GET
def manage_subscribers_csv_view(
    request: HttpRequest, slug: str
) -> StreamingHttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    try:
        rows = subscribers_export(actor=actor, cluster=cluster)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc

    class Line:
        """A file-like sink that hands back what the CSV writer wrote."""

        text = ""

        def write(self, value: str) -> int:
            self.text += value
            return len(value)

    def lines() -> Iterator[str]:
        line = Line()
        writer = csv_writer(line)
        for row in rows:
            writer.writerow(row)
            yield line.text
            line.text = ""

    name = f"subscribers-{cluster.slug}-{timezone.localdate().isoformat()}.csv"
    return private_stream(lines(), "text/csv; charset=utf-8", name)


@login_required
@require_http_methods(["GET", "POST"])
def manage_campaign_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    _admin_only(request, cluster)
    stories = story_choices_for_campaign(actor=actor, cluster=cluster)
    initial: dict[str, object] = {"reply_to": getattr(actor.user, "email", "")}
    if story_id := request.GET.get("story"):
        chosen = next((s for s in stories if str(s.pk) == story_id), None)
        if chosen is not None:
            initial.update(story=chosen.pk, subject=chosen.title)
    form = CampaignForm(request.POST or None, stories=stories, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = campaign_create(
                    actor=actor, cluster=cluster, details=form.campaign_input()
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                return redirect(
                    "marketing:manage-campaign", slug=cluster.slug, pk=campaign.pk
                )
        status = 422
    return render(
        request,
        "marketing/newsletter/campaign_form.html",
        cluster_manage_context(cluster, "newsletter", form=form, stories=stories),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_campaign_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    campaign = campaign_get_for_admin(actor=actor, cluster=cluster, campaign_id=pk)
    if request.method == "POST":
        _admin_only(request, cluster)
        action = request.POST.get("action", "")
        try:
            if action == "send":
                campaign_send(actor=actor, campaign=campaign)
                messages.success(
                    request,
                    _("Sending: the emails go out in batches in the background."),
                )
            elif action == "delete":
                campaign_delete(actor=actor, campaign=campaign)
                messages.success(request, _("Draft deleted."))
                return redirect("marketing:manage-newsletter", slug=cluster.slug)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("marketing:manage-campaign", slug=cluster.slug, pk=campaign.pk)
    is_draft = campaign.status == Campaign.Status.DRAFT
    audience = campaign_segment_subscribers(campaign).count() if is_draft else None
    # The email as a subscriber would get it; the example address's unsubscribe
    # link is for no one.
    example = Subscriber(pk=0, cluster=cluster, email="subscriber@example.nz")
    message = campaign_message(campaign, example)
    preview = {"subject": message.subject, "body": message.body}
    return render(
        request,
        "marketing/newsletter/campaign.html",
        cluster_manage_context(
            cluster,
            "newsletter",
            campaign=campaign,
            progress=campaign_progress(campaign),
            audience=audience,
            sender=sender_address(cluster),
            preview=preview,
            can_write=actor.is_cluster_admin(cluster.pk),
        ),
    )

"""A cluster's queues: ``/manage/clusters/<slug>/listings/`` for its curators and
admins (platform staff read), ``/manage/clusters/<slug>/cultural-review/`` for its
kaitiaki. Anyone else gets a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from purei.catalogue.models import Listing
from purei.catalogue.selectors import (
    cluster_get_for_curator,
    cluster_get_for_kaitiaki,
    listing_get_for_curator,
    listing_get_for_kaitiaki,
    listing_queue_for_cluster,
    listing_queue_for_kaitiaki,
)
from purei.catalogue.services import (
    listing_approve,
    listing_cultural_review,
    listing_decline,
)
from purei.core.actor import actor_from
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.web.shell import cluster_manage_context


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


@login_required
@require_http_methods(["GET", "POST"])
def listing_queue_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Pending listings: approve, or decline with a reason."""
    actor = actor_from(request)
    cluster = cluster_get_for_curator(actor=actor, slug=slug)
    can_decide = cluster.pk in actor.curator_cluster_ids
    errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied(_("Only this cluster's curators decide."))
        listing = listing_get_for_curator(
            actor=actor, cluster=cluster, listing_id=_int(request.POST.get("listing"))
        )
        action = request.POST.get("action")
        try:
            if action == "approve":
                listing_approve(
                    actor=actor,
                    listing=listing,
                    note=request.POST.get("reason", ""),
                )
                messages.success(
                    request, _("%(title)s is listed.") % {"title": listing.product}
                )
                return redirect("catalogue:listing-queue", slug=cluster.slug)
            if action == "decline":
                listing_decline(
                    actor=actor,
                    listing=listing,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(
                    request, _("%(title)s is declined.") % {"title": listing.product}
                )
                return redirect("catalogue:listing-queue", slug=cluster.slug)
            messages.error(request, _("Nothing was changed."))
            return redirect("catalogue:listing-queue", slug=cluster.slug)
        except ValidationFailed as exc:
            errors[listing.pk] = exc.message
            status = 422
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("catalogue:listing-queue", slug=cluster.slug)
    shown = request.GET.get("status", Listing.Status.PENDING)
    if shown not in Listing.Status.values:
        shown = Listing.Status.PENDING
    listings = listing_queue_for_cluster(actor=actor, cluster=cluster, status=shown)
    return render(
        request,
        "catalogue/manage/listing_queue.html",
        cluster_manage_context(
            cluster,
            "listings",
            listings=[(listing, errors.get(listing.pk)) for listing in listings],
            shown=shown,
            statuses=Listing.Status.choices,
            can_decide=can_decide,
            can_change_rules=actor.is_platform_staff
            or actor.is_cluster_admin(cluster.pk),
            error_count=len(errors),
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cultural_review_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Works carrying cultural designs, waiting for the kaitiaki."""
    actor = actor_from(request)
    cluster = cluster_get_for_kaitiaki(actor=actor, slug=slug)
    errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        listing = listing_get_for_kaitiaki(
            actor=actor, cluster=cluster, listing_id=_int(request.POST.get("listing"))
        )
        action = request.POST.get("action")
        if action not in {"approve", "decline"}:
            messages.error(request, _("Nothing was changed."))
            return redirect("catalogue:cultural-review", slug=cluster.slug)
        try:
            listing_cultural_review(
                actor=actor,
                listing=listing,
                approve=action == "approve",
                note=request.POST.get("note", ""),
            )
        except ValidationFailed as exc:
            errors[listing.pk] = exc.message
            status = 422
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("catalogue:cultural-review", slug=cluster.slug)
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect("catalogue:cultural-review", slug=cluster.slug)
    listings = listing_queue_for_kaitiaki(actor=actor, cluster=cluster)
    return render(
        request,
        "catalogue/manage/cultural_review.html",
        {
            "cluster": cluster,
            "listings": [(listing, errors.get(listing.pk)) for listing in listings],
            "error_count": len(errors),
        },
        status=status,
    )

"""The promotions' manage screens.

- ``/manage/clusters/<slug>/promotions/``: the cluster's promotions and its
  members' own; its admins add and change the cluster's (paid by the cluster),
  and pause or resume any; platform staff read them.
- ``/manage/members/<slug>/promotions/``: a member's own promotions (paid by it,
  for its own goods), in the clusters it sells in; its team adds, changes,
  pauses and resumes them; platform staff read them.

Everything works without JavaScript. The forms carry text; the services check it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.models import Cluster
from purei.core.actor import Actor, actor_from
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.core.money import format_nzd
from purei.members.models import Member
from purei.members.selectors import (
    member_clusters_approved,
    member_get_for_team,
    member_team_for,
)
from purei.web.shell import cluster_manage_context, member_manage_context

from .forms import PromotionForm, promotion_initial
from .models import Promotion
from .selectors import (
    promotion_get_for_cluster,
    promotion_get_for_member,
    promotion_list_for_cluster,
    promotion_list_for_member,
    scope_choices_for_cluster,
    scope_choices_for_member,
    uses_of_promotion,
)
from .services import (
    PromotionInput,
    local_day,
    promotion_create,
    promotion_pause,
    promotion_resume,
    promotion_update,
)

# --- What a promotion is, in words --------------------------------------------------


def offer_text(promotion: Promotion) -> str:
    if promotion.kind == Promotion.Kind.PERCENT:
        percent = (Decimal(promotion.percent_bp or 0) / 100).normalize()
        return _("%(percent)s %% off") % {"percent": f"{percent:f}"}
    if promotion.kind == Promotion.Kind.FIXED:
        return _("%(amount)s off") % {"amount": format_nzd(promotion.amount_cents)}
    if promotion.kind == Promotion.Kind.BUY_X_GET_Y:
        return _("Buy %(buy)s, get %(get)s free") % {
            "buy": promotion.buy_quantity,
            "get": promotion.get_quantity,
        }
    return _("Free delivery")


def scope_text(promotion: Promotion) -> str:
    parts = []
    members = [m.name for m in promotion.members.all()]
    if members and promotion.member_id is None:
        parts.append(", ".join(members))
    categories = [c.name for c in promotion.categories.all()]
    if categories:
        parts.append(", ".join(categories))
    products = [p.title for p in promotion.products.all()]
    if products:
        parts.append(", ".join(products))
    if parts:
        return "; ".join(parts)
    if promotion.member_id is not None:
        return _("All of %(member)s's goods") % {"member": promotion.member}
    return _("Everything in the cluster")


def limits_text(promotion: Promotion) -> list[str]:
    limits = []
    starts = local_day(promotion.starts_at)
    ends = local_day(promotion.ends_at, end=True)
    if starts and ends:
        limits.append(
            _("%(start)s to %(end)s")
            % {"start": date_format(starts, "j M Y"), "end": date_format(ends, "j M Y")}
        )
    elif starts:
        limits.append(_("From %(day)s") % {"day": date_format(starts, "j M Y")})
    elif ends:
        limits.append(_("Until %(day)s") % {"day": date_format(ends, "j M Y")})
    if promotion.min_spend_cents:
        limits.append(
            _("Spend %(amount)s or more")
            % {"amount": format_nzd(promotion.min_spend_cents)}
        )
    if promotion.max_uses is not None:
        limits.append(
            _("%(used)s of %(max)s uses")
            % {"used": promotion.uses, "max": promotion.max_uses}
        )
    if promotion.max_uses_per_customer is not None:
        limits.append(_("%(n)s per customer") % {"n": promotion.max_uses_per_customer})
    if promotion.first_order_only:
        limits.append(_("First order only"))
    limits.append(
        _("Combines with others") if promotion.stackable else _("Not combined")
    )
    return limits


def status_text(promotion: Promotion) -> str:
    now = timezone.now()
    if not promotion.active:
        return _("Paused")
    if promotion.ends_at is not None and promotion.ends_at <= now:
        return _("Ended")
    if promotion.starts_at is not None and promotion.starts_at > now:
        return _("Scheduled")
    if promotion.max_uses is not None and promotion.uses >= promotion.max_uses:
        return _("Used up")
    return _("Running")


def _row(promotion: Promotion) -> dict[str, Any]:
    return {
        "promotion": promotion,
        "offer": offer_text(promotion),
        "scope": scope_text(promotion),
        "limits": limits_text(promotion),
        "status": status_text(promotion),
        "payer": promotion.member.name
        if promotion.member is not None
        else promotion.cluster.name,
    }


# --- The cluster's screens --------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def cluster_promotions_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    rows = [_row(p) for p in promotion_list_for_cluster(actor=actor, cluster=cluster)]
    context = cluster_manage_context(
        cluster, "promotions", rows=rows, can_manage=actor.is_cluster_admin(cluster.pk)
    )
    return render(request, "promotions/manage/cluster_promotions.html", context)


def _save(
    request: HttpRequest,
    actor: Actor,
    form: PromotionForm,
    *,
    cluster: Cluster,
    promotion: Promotion | None,
    member: Member | None = None,
) -> Promotion | None:
    details: PromotionInput = form.service_data()
    try:
        if promotion is None:
            saved = promotion_create(
                actor=actor, cluster=cluster, details=details, member=member
            )
            messages.success(request, _("%(name)s is added.") % {"name": saved.name})
        else:
            saved = promotion_update(actor=actor, promotion=promotion, details=details)
            messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
    except ValidationFailed as exc:
        for name in list(form.errors):
            if name in exc.errors:
                del form.errors[name]
        form_add_domain_error(form, exc)
        return None
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    return saved


def _cluster_form_page(
    request: HttpRequest, actor: Actor, cluster: Cluster, promotion: Promotion | None
) -> HttpResponse:
    can_manage = actor.is_cluster_admin(cluster.pk) and (
        promotion is None or promotion.member_id is None
    )
    choices = scope_choices_for_cluster(cluster)
    initial = promotion_initial(promotion) if promotion else {}
    form = PromotionForm(initial=initial, **choices)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(
                _("Only the cluster's admins change its promotions.")
            )
        form = PromotionForm(request.POST, **choices)
        form.is_valid()
        saved = _save(request, actor, form, cluster=cluster, promotion=promotion)
        if saved is not None:
            return redirect("promotions:cluster-promotions", slug=cluster.slug)
        status = 422
    context = cluster_manage_context(
        cluster,
        "promotions",
        form=form,
        promotion=promotion,
        row=_row(promotion) if promotion else None,
        uses=uses_of_promotion(promotion) if promotion else None,
        can_manage=can_manage,
        can_pause=actor.is_cluster_admin(cluster.pk),
        pause_url="promotions:cluster-promotion-pause",
        resume_url="promotions:cluster-promotion-resume",
        owner_slug=cluster.slug,
        list_url="promotions:cluster-promotions",
    )
    return render(
        request, "promotions/manage/promotion_form.html", context, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def cluster_promotion_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    if not actor.is_cluster_admin(cluster.pk):
        raise PermissionDenied(_("Only the cluster's admins add promotions."))
    return _cluster_form_page(request, actor, cluster, None)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_promotion_update_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    promotion = promotion_get_for_cluster(actor=actor, cluster=cluster, promotion_id=pk)
    return _cluster_form_page(request, actor, cluster, promotion)


def _pause_or_resume(
    request: HttpRequest, actor: Actor, promotion: Promotion, *, resume: bool
) -> None:
    try:
        if resume:
            promotion_resume(actor=actor, promotion=promotion)
            messages.success(request, _("%(name)s runs again.") % {"name": promotion})
        else:
            promotion_pause(actor=actor, promotion=promotion)
            messages.success(request, _("%(name)s is paused.") % {"name": promotion})
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc


@login_required
@require_POST
def cluster_promotion_pause_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    promotion = promotion_get_for_cluster(actor=actor, cluster=cluster, promotion_id=pk)
    _pause_or_resume(request, actor, promotion, resume=False)
    return redirect("promotions:cluster-promotions", slug=cluster.slug)


@login_required
@require_POST
def cluster_promotion_resume_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    promotion = promotion_get_for_cluster(actor=actor, cluster=cluster, promotion_id=pk)
    _pause_or_resume(request, actor, promotion, resume=True)
    return redirect("promotions:cluster-promotions", slug=cluster.slug)


# --- A member's screens -----------------------------------------------------------


def _member_context(actor: Actor, member: Member, **more: Any) -> dict[str, Any]:
    return member_manage_context(
        member=member,
        section="promotions",
        team=member_team_for(actor=actor, member=member),
        **more,
    )


@login_required
@require_http_methods(["GET"])
def member_promotions_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    rows = [_row(p) for p in promotion_list_for_member(actor=actor, member=member)]
    context = _member_context(
        actor, member, rows=rows, can_manage=actor.is_member_team(member.pk)
    )
    return render(request, "promotions/manage/member_promotions.html", context)


def _member_form_page(
    request: HttpRequest, actor: Actor, member: Member, promotion: Promotion | None
) -> HttpResponse:
    can_manage = actor.is_member_team(member.pk)
    clusters = member_clusters_approved(actor=actor, member=member)
    choices: dict[str, Any] = {
        **scope_choices_for_member(member),
        "clusters": clusters if promotion is None else None,
    }
    initial = promotion_initial(promotion) if promotion else {}
    form = PromotionForm(initial=initial, **choices)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(
                _("Only the business's team changes its promotions.")
            )
        form = PromotionForm(request.POST, **choices)
        form.is_valid()
        cluster = promotion.cluster if promotion else _chosen(request, clusters)
        if cluster is None:
            form.add_error("cluster", _("Choose a cluster your business sells in."))
        else:
            saved = _save(
                request,
                actor,
                form,
                cluster=cluster,
                promotion=promotion,
                member=member,
            )
            if saved is not None:
                return redirect("promotions:member-promotions", slug=member.slug)
        status = 422
    context = _member_context(
        actor,
        member,
        form=form,
        promotion=promotion,
        row=_row(promotion) if promotion else None,
        uses=uses_of_promotion(promotion) if promotion else None,
        can_manage=can_manage,
        can_pause=can_manage,
        pause_url="promotions:member-promotion-pause",
        resume_url="promotions:member-promotion-resume",
        owner_slug=member.slug,
        list_url="promotions:member-promotions",
    )
    return render(
        request, "promotions/manage/promotion_form.html", context, status=status
    )


def _chosen(request: HttpRequest, clusters: list[Cluster]) -> Cluster | None:
    wanted = str(request.POST.get("cluster", ""))
    return next((c for c in clusters if str(c.pk) == wanted), None)


@login_required
@require_http_methods(["GET", "POST"])
def member_promotion_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    if not actor.is_member_team(member.pk):
        raise PermissionDenied(_("Only the business's team adds promotions."))
    return _member_form_page(request, actor, member, None)


@login_required
@require_http_methods(["GET", "POST"])
def member_promotion_update_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    promotion = promotion_get_for_member(actor=actor, member=member, promotion_id=pk)
    return _member_form_page(request, actor, member, promotion)


def _member_promotion(request: HttpRequest, slug: str, pk: int) -> Promotion:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    if not actor.is_member_team(member.pk):
        raise PermissionDenied(_("Only the business's team changes its promotions."))
    promotion = promotion_get_for_member(actor=actor, member=member, promotion_id=pk)
    if promotion.member_id != member.pk:
        raise Http404
    return promotion


@login_required
@require_POST
def member_promotion_pause_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    promotion = _member_promotion(request, slug, pk)
    _pause_or_resume(request, actor_from(request), promotion, resume=False)
    return redirect("promotions:member-promotions", slug=slug)


@login_required
@require_POST
def member_promotion_resume_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    promotion = _member_promotion(request, slug, pk)
    _pause_or_resume(request, actor_from(request), promotion, resume=True)
    return redirect("promotions:member-promotions", slug=slug)

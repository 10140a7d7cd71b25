"""A cluster admin's screens of its members, under ``/manage/clusters/<slug>/``:
the overview (how many businesses are in each state), the memberships (approve,
decline, suspend, reinstate; invite businesses by email) and one membership (the
decisions, and the member's own commission rate).

They live in ``members`` because they read and change memberships (``members`` sits
above ``clusters``; docs/architecture.md). Only the cluster's admins and platform
staff get in; anyone else logged in gets 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.accounts.models import MEMBER_BUSINESS, Invitation
from purei.accounts.selectors import invitation_list_for
from purei.accounts.services import invitation_create
from purei.clusters.manage_forms import BusinessInviteForm
from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.models import Cluster
from purei.core.actor import Actor, actor_from
from purei.core.errors import DomainError, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.members.commission import membership_commission_update
from purei.members.forms import DecisionForm, MemberCommissionForm
from purei.members.membership_selectors import (
    membership_counts_for_cluster,
    membership_get_for_admin,
    membership_list_for_cluster,
    membership_status_errors,
)
from purei.members.memberships import (
    ADMIN_MOVES,
    Move,
    membership_approve,
    membership_decline,
    membership_reinstate,
    membership_suspend,
    moves_from,
)
from purei.members.models import Membership
from purei.web.shell import cluster_manage_context

PAGE_SIZE = 50

DECISIONS: dict[str, Callable[..., Membership]] = {
    Move.APPROVE: membership_approve,
    Move.DECLINE: membership_decline,
    Move.SUSPEND: membership_suspend,
    Move.REINSTATE: membership_reinstate,
}


def _admin_cluster(request: HttpRequest, slug: str) -> tuple[Actor, Cluster]:
    actor = actor_from(request)
    return actor, cluster_get_for_admin(actor=actor, slug=slug)


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


# --- Overview -----------------------------------------------------------------------


@login_required
@require_GET
def overview_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, cluster = _admin_cluster(request, slug)
    counts = membership_counts_for_cluster(actor=actor, cluster=cluster)
    members_url = reverse("members:cluster-members", kwargs={"slug": cluster.slug})
    statuses = [
        {
            "status": value,
            "label": label,
            "count": counts.get(value, 0),
            "url": f"{members_url}?status={value}",
        }
        for value, label in Membership.Status.choices
    ]
    return render(
        request,
        "members/cluster_admin/overview.html",
        cluster_manage_context(
            cluster,
            "overview",
            statuses=statuses,
            waiting=counts.get(Membership.Status.APPLIED, 0),
        ),
    )


# --- Members ------------------------------------------------------------------------


def _invite_business(
    request: HttpRequest, actor: Actor, cluster: Cluster, form: BusinessInviteForm
) -> bool:
    """Email an invitation for a business to join; True when it went out."""
    if not form.is_valid():
        return False
    try:
        invitation = invitation_create(
            actor=actor,
            email=form.cleaned_data["email"],
            role=MEMBER_BUSINESS,
            cluster=cluster,
            message=form.cleaned_data["message"],
        )
    except DomainError as exc:
        form_add_domain_error(form, exc)
        return False
    messages.success(
        request,
        _(
            "Invitation emailed to %(email)s. Their business joins as soon as they "
            "accept it."
        )
        % {"email": invitation.email},
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def members_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The cluster's memberships; admins also invite businesses here (POST
    ``action=invite``). Revoking an invitation posts to the people screen
    (``clusters:manage-people``), which comes back here."""
    actor, cluster = _admin_cluster(request, slug)
    here = reverse("members:cluster-members", kwargs={"slug": cluster.slug})
    invite_form = BusinessInviteForm(prefix="business")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "invite":
            invite_form = BusinessInviteForm(request.POST, prefix="business")
            if _invite_business(request, actor, cluster, invite_form):
                return redirect(here)
        else:
            messages.error(request, _("Choose what to do."))
            return redirect(here)
    status = request.GET.get("status", "").strip()
    status_errors = membership_status_errors(status)
    if status_errors:
        status = ""
    memberships = membership_list_for_cluster(
        actor=actor, cluster=cluster, status=status or None
    )
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [
        {
            "membership": membership,
            "moves": [
                move for move in moves_from(membership.status) if move in ADMIN_MOVES
            ],
            "credentials": [
                {"credential": credential, "verified": credential.is_verified_on(today)}
                for credential in membership.member.credentials.all()
            ],
        }
        for membership in page.object_list
    ]
    business_invitations = list(
        invitation_list_for(actor=actor, cluster=cluster, kind="business").filter(
            status=Invitation.Status.PENDING
        )[:PAGE_SIZE]
    )
    return render(
        request,
        "members/cluster_admin/members.html",
        cluster_manage_context(
            cluster,
            "members",
            page=page,
            rows=rows,
            status=status,
            status_error=status_errors.get("status", [""])[0],
            statuses=Membership.Status.choices,
            here=request.get_full_path(),
            invite_form=invite_form,
            business_invitations=business_invitations,
        ),
        status=400 if status_errors or invite_form.errors else 200,
    )


def _safe_next(request: HttpRequest, cluster: Cluster, default: str) -> str:
    """Back to the members list (with its filter) when the form came from there."""
    members_url = reverse("members:cluster-members", kwargs={"slug": cluster.slug})
    next_url = request.POST.get("next", "")
    if next_url.startswith(members_url) and "//" not in next_url:
        return next_url
    return default


def _decision_message(move: str, membership: Membership) -> str:
    names = {"member": membership.member.name, "cluster": membership.cluster.name}
    if move == Move.APPROVE:
        return _("%(member)s is now a member of %(cluster)s; we emailed them.") % names
    if move == Move.DECLINE:
        return _("Declined. We emailed the reason to %(member)s.") % names
    if move == Move.SUSPEND:
        return _("%(member)s is suspended; we emailed them the reason.") % names
    return _("%(member)s is a member of %(cluster)s again; we emailed them.") % names


@login_required
@require_http_methods(["GET", "POST"])
def membership_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One membership: the business, its application, and the decisions to make."""
    actor, cluster = _admin_cluster(request, slug)
    membership = membership_get_for_admin(actor=actor, membership_id=pk)
    if membership.cluster_id != cluster.pk:
        raise Http404
    here = reverse(
        "members:cluster-membership", kwargs={"slug": cluster.slug, "pk": membership.pk}
    )
    moves = [move for move in moves_from(membership.status) if move in ADMIN_MOVES]
    forms = {move.value: DecisionForm(prefix=move.value) for move in moves}
    commission_form = MemberCommissionForm(
        prefix="commission",
        initial={
            "commission_rate": ""
            if membership.commission_rate is None
            else membership.commission_rate
        },
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "commission":
            commission_form = MemberCommissionForm(request.POST, prefix="commission")
            if _set_commission(request, actor, membership, commission_form):
                return redirect(here)
        elif action in DECISIONS:
            form = DecisionForm(request.POST, prefix=action)
            forms[action] = form
            if form.is_valid():
                try:
                    DECISIONS[action](
                        actor=actor,
                        membership=membership,
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationFailed as exc:
                    form_add_domain_error(form, exc)
                except DomainError as exc:
                    messages.error(request, exc.message)
                    return redirect(_safe_next(request, cluster, here))
                else:
                    messages.success(request, _decision_message(action, membership))
                    return redirect(_safe_next(request, cluster, here))
        else:
            messages.error(request, _("Choose what to do with this membership."))
            return redirect(here)
    today = timezone.localdate()
    credentials = [
        {"credential": credential, "verified": credential.is_verified_on(today)}
        for credential in membership.member.credentials.all()
    ]
    return render(
        request,
        "members/cluster_admin/membership.html",
        cluster_manage_context(
            cluster,
            "members",
            membership=membership,
            credentials=credentials,
            forms=forms,
            commission_form=commission_form,
        ),
        status=400 if request.method == "POST" else 200,
    )


def _set_commission(
    request: HttpRequest,
    actor: Actor,
    membership: Membership,
    form: MemberCommissionForm,
) -> bool:
    """Change the member's own commission rate; True when it was saved."""
    if not form.is_valid():
        return False
    try:
        membership = membership_commission_update(
            actor=actor,
            membership=membership,
            rate=form.cleaned_data["commission_rate"],
        )
    except ValidationFailed as exc:
        form_add_domain_error(form, exc)
        return False
    names = {"member": membership.member.name}
    if membership.commission_rate is None:
        message = _("%(member)s now pays the cluster's commission rate.") % names
    else:
        message = _("%(member)s now pays %(rate)s%% commission.") % {
            **names,
            "rate": membership.commission_rate,
        }
    messages.success(request, message)
    return True

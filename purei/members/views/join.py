"""Joining a cluster from its page: ``/c/<slug>/join/``.

Anyone can read what joining means; a logged-in owner chooses one of their
businesses and applies; the result page says whether it waits for approval.

A cluster's admins may invite a business by email: the link leads here as
``?invitation=<token>`` (after logging in or signing up as the invited address), and
the business chosen joins approved at once. The token is checked on each request;
one that can't be used is explained, and the page offers an ordinary application.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from purei.accounts.errors import InvitationUnusable
from purei.accounts.models import Invitation
from purei.accounts.selectors import invitation_get_for_business
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.core.ratelimit import rate_limit_request
from purei.members.forms import JoinForm
from purei.members.membership_selectors import (
    member_list_owned_by,
    membership_get_for_team,
    membership_list_for_actor,
)
from purei.members.memberships import (
    ALLOWED_MOVES,
    Move,
    membership_apply,
    membership_leave,
)

# Where a person without a business registers one (the members app's page).
MEMBER_NEW_PATH = "/manage/members/new/"
SIGNUP_PATH = "/accounts/signup/"


def _invitation_token(request: HttpRequest) -> str:
    """The invitation carried by the page (``?invitation=``) or its form."""
    source = request.POST if request.method == "POST" else request.GET
    return (source.get("invitation") or "").strip()


@require_http_methods(["GET", "POST"])
def join_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    token = _invitation_token(request)
    here = request.path + (f"?{urlencode({'invitation': token})}" if token else "")
    context: dict[str, Any] = {
        "cluster": cluster,
        "signup_path": SIGNUP_PATH,
        "member_new_path": MEMBER_NEW_PATH,
        "here": here,
    }
    if not actor.is_authenticated:
        if request.method == "POST":
            login = reverse("accounts:login")
            return redirect(f"{login}?{urlencode({'next': here})}")
        return render(request, "members/join/join.html", context)
    if request.method == "POST":
        rate_limit_request(request, "membership_application", account=request.user.pk)

    # An invitation for a business to join: checked on every request (the POST
    # again in membership_apply, with the row locked). One that can't be used is
    # explained, and the page falls back to an ordinary application.
    invitation: Invitation | None = None
    invitation_error = ""
    if token:
        try:
            invitation = invitation_get_for_business(
                actor=actor, token=token, cluster=cluster
            )
        except InvitationUnusable as exc:
            invitation_error = exc.message

    owned = member_list_owned_by(actor=actor)
    existing = {
        membership.member_id: membership
        for membership in membership_list_for_actor(actor=actor, cluster=cluster)
    }
    can_apply = [
        member
        for member in owned
        if member.pk not in existing
        or existing[member.pk].status in ALLOWED_MOVES[Move.APPLY][0]
    ]
    form = JoinForm(request.POST or None, members=can_apply)
    refused = bool(request.method == "POST" and invitation_error)
    if request.method == "POST" and not refused and can_apply and form.is_valid():
        member = next(m for m in can_apply if m.slug == form.cleaned_data["member"])
        try:
            membership = membership_apply(
                actor=actor,
                member=member,
                cluster=cluster,
                message=form.cleaned_data["message"],
                invitation_token=token if invitation is not None else None,
            )
        except InvitationUnusable as exc:  # used or revoked since the page was shown
            invitation, invitation_error, refused = None, exc.message, True
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            if invitation is not None:
                messages.success(
                    request,
                    _(
                        "Kia ora! %(member)s is now a member of %(cluster)s, "
                        "on the cluster's invitation."
                    )
                    % {"member": membership.member.name, "cluster": cluster.name},
                )
            return redirect(
                "members:join-status", slug=cluster.slug, member=member.slug
            )
    context.update(
        {
            "form": form,
            "can_apply": can_apply,
            "memberships": list(existing.values()),
            "owns_any": bool(owned),
            "works_for_others": bool(actor.member_ids - actor.owned_member_ids),
            "invitation": invitation,
            "invitation_token": token if invitation is not None else "",
            "invitation_error": invitation_error,
            # Back here after registering a business: with the invitation, if good.
            "back_here": here if invitation is not None else request.path,
        }
    )
    failed = request.method == "POST" and (refused or bool(form.errors))
    return render(
        request,
        "members/join/join.html",
        context,
        status=400 if failed else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def join_status_view(request: HttpRequest, slug: str, member: str) -> HttpResponse:
    """Where an application stands; its owner may withdraw it or leave."""
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    membership = membership_get_for_team(
        actor=actor, cluster=cluster, member_slug=member
    )
    if request.method == "POST" and request.POST.get("action") == "leave":
        try:
            membership_leave(actor=actor, membership=membership)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(member)s has left %(cluster)s.")
                % {"member": membership.member.name, "cluster": cluster.name},
            )
        return redirect("members:join-status", slug=cluster.slug, member=member)
    can_leave = actor.is_member_owner(membership.member_id) and (
        membership.status in ALLOWED_MOVES[Move.LEAVE][0]
    )
    return render(
        request,
        "members/join/status.html",
        {"cluster": cluster, "membership": membership, "can_leave": can_leave},
    )

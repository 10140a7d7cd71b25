"""Joining a cluster from its page: ``/c/<slug>/join/``.

Anyone can read what joining means; a logged-in owner chooses one of their
businesses and applies; the result page says whether it waits for approval.
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

from purei.clusters.manage_forms import JoinForm
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.members.memberships import (
    ALLOWED_MOVES,
    Move,
    member_list_owned_by,
    membership_apply,
    membership_get_for_team,
    membership_leave,
    membership_list_for_actor,
)

# Where a person without a business registers one (the members app's page).
MEMBER_NEW_PATH = "/manage/members/new/"
SIGNUP_PATH = "/accounts/signup/"


@require_http_methods(["GET", "POST"])
def join_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    context: dict[str, Any] = {
        "cluster": cluster,
        "signup_path": SIGNUP_PATH,
        "member_new_path": MEMBER_NEW_PATH,
    }
    if not actor.is_authenticated:
        if request.method == "POST":
            login = reverse("accounts:login")
            return redirect(f"{login}?{urlencode({'next': request.path})}")
        return render(request, "clusters/join/join.html", context)

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
    if request.method == "POST" and can_apply and form.is_valid():
        member = next(m for m in can_apply if m.slug == form.cleaned_data["member"])
        try:
            membership_apply(
                actor=actor,
                member=member,
                cluster=cluster,
                message=form.cleaned_data["message"],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            return redirect(
                "clusters:join-status", slug=cluster.slug, member=member.slug
            )
    context.update(
        {
            "form": form,
            "can_apply": can_apply,
            "memberships": list(existing.values()),
            "owns_any": bool(owned),
            "works_for_others": bool(actor.member_ids - actor.owned_member_ids),
        }
    )
    return render(
        request,
        "clusters/join/join.html",
        context,
        status=400 if request.method == "POST" and form.errors else 200,
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
        return redirect("clusters:join-status", slug=cluster.slug, member=member)
    can_leave = actor.is_member_owner(membership.member_id) and (
        membership.status in ALLOWED_MOVES[Move.LEAVE][0]
    )
    return render(
        request,
        "clusters/join/status.html",
        {"cluster": cluster, "membership": membership, "can_leave": can_leave},
    )

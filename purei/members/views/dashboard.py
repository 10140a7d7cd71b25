"""``/manage/`` (``members:dashboard``): what each person can manage, in one place.

Clusters they run or curate, businesses they own or work for and where those
businesses are members, and — for platform staff — the application review queue.
It lives in ``members`` because it reads members and clusters (``members`` sits
above ``clusters``; docs/architecture.md).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from purei.clusters.manage_selectors import cluster_list_managed_by
from purei.core.actor import actor_from
from purei.members.membership_selectors import (
    member_list_for_team,
    membership_list_for_actor,
)


@login_required
@require_GET
def manage_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    return render(
        request,
        "members/dashboard.html",
        {
            "clusters": cluster_list_managed_by(actor=actor),
            "members": member_list_for_team(actor=actor),
            "memberships": list(membership_list_for_actor(actor=actor)),
            "member_new_path": reverse("members:create"),
            "is_platform_staff": actor.is_platform_staff,
        },
    )

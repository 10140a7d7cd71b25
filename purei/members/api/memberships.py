"""Memberships over JSON (browser session for now).

- ``POST /clusters/{slug}/memberships``: an owner applies for their business.
- ``GET /clusters/{slug}/memberships``: the cluster's admins list them (``?status=``).
- ``POST /memberships/{id}/approve|decline|suspend|reinstate``: the cluster's admins
  decide (``{"reason": …}``, required to decline and suspend); ``…/leave``: the
  business's owner leaves.

401 when anonymous; 404 for a cluster or membership the actor may not see; 403 for
one they may see but not change (e.g. a business's owner approving itself).
"""

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema, QuerySchema
from purei.core.pagination import Paginated
from purei.core.ratelimit import rate_limit_request
from purei.members.membership_selectors import (
    member_get_for_team,
    membership_get_for,
    membership_list_for_cluster,
)
from purei.members.memberships import (
    MAX_MESSAGE_LENGTH,
    MAX_REASON_LENGTH,
    membership_apply,
    membership_approve,
    membership_decline,
    membership_leave,
    membership_reinstate,
    membership_suspend,
)
from purei.members.models import Membership

router = Router(tags=["memberships"])


class MembershipApplyIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    member: str = Field(max_length=64, description="The business's web address name.")
    message: str = Field("", max_length=MAX_MESSAGE_LENGTH)


class MembershipOut(Schema):
    id: int
    member: str
    member_name: str
    cluster: str
    status: str
    applied_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    reason: str
    left_at: datetime | None
    in_trade: bool

    @staticmethod
    def resolve_member(obj: Membership) -> str:
        return obj.member.slug

    @staticmethod
    def resolve_member_name(obj: Membership) -> str:
        return obj.member.name

    @staticmethod
    def resolve_cluster(obj: Membership) -> str:
        return obj.cluster.slug

    @staticmethod
    def resolve_decided_by(obj: Membership) -> str | None:
        return obj.decided_by.email if obj.decided_by else None

    @staticmethod
    def resolve_in_trade(obj: Membership) -> bool:
        return obj.member.in_trade


class MembershipFilter(QuerySchema):
    status: str | None = Field(
        None, description="applied, approved, declined, suspended or left"
    )


class MembershipReasonIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=MAX_REASON_LENGTH)


class RequiredReasonIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        max_length=MAX_REASON_LENGTH, description="Emailed to the business."
    )


@router.post(
    "/clusters/{slug}/memberships",
    response={201: MembershipOut},
    auth=django_auth,
    url_name="membership-apply",
    summary="Apply for a business to join a cluster (its owner)",
)
def membership_apply_api(
    request: HttpRequest, slug: str, payload: MembershipApplyIn
) -> Status[Membership]:
    actor = actor_from(request)
    rate_limit_request(request, "membership_application", account=request.user.pk)
    cluster = cluster_get_live(actor=actor, slug=slug)
    member = member_get_for_team(actor=actor, slug=payload.member)
    membership = membership_apply(
        actor=actor, member=member, cluster=cluster, message=payload.message
    )
    return Status(201, membership)


@router.get(
    "/clusters/{slug}/memberships",
    response=list[MembershipOut],
    auth=django_auth,
    url_name="membership-list",
    summary="List a cluster's memberships (its admins)",
)
@paginate(Paginated)
def membership_list_api(
    request: HttpRequest, slug: str, filters: Query[MembershipFilter]
) -> QuerySet[Membership]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return membership_list_for_cluster(
        actor=actor, cluster=cluster, status=filters.status or None
    )


@router.post(
    "/memberships/{membership_id}/approve",
    response=MembershipOut,
    auth=django_auth,
    url_name="membership-approve",
    summary="Approve an application (the cluster's admins)",
)
def membership_approve_api(
    request: HttpRequest, membership_id: int, payload: MembershipReasonIn | None = None
) -> Membership:
    actor = actor_from(request)
    membership = membership_get_for(actor=actor, membership_id=membership_id)
    return membership_approve(
        actor=actor, membership=membership, reason=payload.reason if payload else ""
    )


@router.post(
    "/memberships/{membership_id}/decline",
    response=MembershipOut,
    auth=django_auth,
    url_name="membership-decline",
    summary="Decline an application with a reason (the cluster's admins)",
)
def membership_decline_api(
    request: HttpRequest, membership_id: int, payload: RequiredReasonIn
) -> Membership:
    actor = actor_from(request)
    membership = membership_get_for(actor=actor, membership_id=membership_id)
    return membership_decline(actor=actor, membership=membership, reason=payload.reason)


@router.post(
    "/memberships/{membership_id}/suspend",
    response=MembershipOut,
    auth=django_auth,
    url_name="membership-suspend",
    summary="Suspend a member with a reason (the cluster's admins)",
)
def membership_suspend_api(
    request: HttpRequest, membership_id: int, payload: RequiredReasonIn
) -> Membership:
    actor = actor_from(request)
    membership = membership_get_for(actor=actor, membership_id=membership_id)
    return membership_suspend(actor=actor, membership=membership, reason=payload.reason)


@router.post(
    "/memberships/{membership_id}/reinstate",
    response=MembershipOut,
    auth=django_auth,
    url_name="membership-reinstate",
    summary="Reinstate a suspended member (the cluster's admins)",
)
def membership_reinstate_api(
    request: HttpRequest, membership_id: int, payload: MembershipReasonIn | None = None
) -> Membership:
    actor = actor_from(request)
    membership = membership_get_for(actor=actor, membership_id=membership_id)
    return membership_reinstate(
        actor=actor, membership=membership, reason=payload.reason if payload else ""
    )


@router.post(
    "/memberships/{membership_id}/leave",
    response=MembershipOut,
    auth=django_auth,
    url_name="membership-leave",
    summary="Leave a cluster or withdraw an application (the business's owner)",
)
def membership_leave_api(request: HttpRequest, membership_id: int) -> Membership:
    actor = actor_from(request)
    membership = membership_get_for(actor=actor, membership_id=membership_id)
    return membership_leave(actor=actor, membership=membership)

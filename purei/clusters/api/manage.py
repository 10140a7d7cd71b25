"""Memberships, brand and audit log over JSON (browser session for now).

- ``POST /clusters/{slug}/memberships``: an owner applies for their business.
- ``GET /clusters/{slug}/memberships``: the cluster's admins list them (``?status=``).
- ``POST /memberships/{id}/approve|decline|suspend|reinstate``: the cluster's admins
  decide (``{"reason": …}``, required to decline and suspend); ``…/leave``: the
  business's owner leaves.
- ``PATCH /clusters/{slug}/brand``: the cluster's admins change its brand and its
  money settings (who sells, the lead organisation's GST details, commission, the
  price split); colours too low in contrast or a wrong GST number are a 422
  naming the field.
- ``GET /clusters/{slug}/audit``: the cluster's admins read its audit log.

401 when anonymous; 404 for a cluster or membership the actor may not see; 403 for
one they may see but not change (e.g. a business's owner approving itself).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth
from pydantic import ConfigDict, StrictBool

from purei.clusters.brand import cluster_brand_update
from purei.clusters.manage_selectors import (
    audit_list_for_cluster,
    cluster_get_for_admin,
)
from purei.clusters.models import Cluster
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.models import AuditEntry
from purei.core.ratelimit import rate_limit_request
from purei.members.memberships import (
    MAX_MESSAGE_LENGTH,
    MAX_REASON_LENGTH,
    member_get_for_team,
    membership_apply,
    membership_approve,
    membership_decline,
    membership_get_for,
    membership_leave,
    membership_list_for_cluster,
    membership_reinstate,
    membership_suspend,
)
from purei.members.models import Membership

router = Router(tags=["memberships and cluster brand"])


class MembershipApplyIn(Schema):
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


class MembershipFilter(Schema):
    status: str | None = Field(
        None, description="applied, approved, declined, suspended or left"
    )


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field("", max_length=MAX_REASON_LENGTH)


class RequiredReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        max_length=MAX_REASON_LENGTH, description="Emailed to the business."
    )


class BrandIn(Schema):
    """Only the fields sent change. Images are uploaded on the web screen."""

    model_config = ConfigDict(extra="forbid")

    name_en: str | None = Field(None, max_length=120)
    name_mi: str | None = Field(None, max_length=120)
    tagline: str | None = Field(None, max_length=200)
    story: str | None = Field(None, max_length=10_000)
    hero_alt: str | None = Field(None, max_length=200)
    colour_primary: str | None = Field(
        None, max_length=7, description="#rrggbb; white text must be readable on it."
    )
    colour_accent: str | None = Field(
        None, max_length=7, description="#rrggbb; readable on white and the page."
    )
    commission_rate: Decimal | None = Field(None, description="0 to 100, 2 decimals.")
    join_requires_approval: StrictBool | None = None
    domain: str | None = Field(
        None, max_length=253, description="Own domain; empty string for none."
    )
    selling_model: Literal["agent", "reseller"] | None = Field(
        None,
        description=(
            "agent: each member is the supplier and the cluster collects as its "
            "agent; reseller: the lead organisation buys and sells on."
        ),
    )
    lead_org_gst_registered: StrictBool | None = None
    lead_org_gst_number: str | None = Field(
        None,
        max_length=16,
        description="IRD number; required while the lead organisation is registered.",
    )
    lead_org_address: str | None = Field(None, max_length=300)
    show_price_split: StrictBool | None = Field(
        None, description="Shoppers see where their money goes."
    )


class BrandOut(Schema):
    slug: str
    name_en: str
    name_mi: str
    tagline: str
    story: str
    logo: str | None
    hero_image: str | None
    hero_alt: str
    colour_primary: str
    colour_accent: str
    commission_rate: Decimal
    join_requires_approval: bool
    domain: str | None
    selling_model: str
    lead_org_name: str
    lead_org_gst_registered: bool
    lead_org_gst_number: str
    lead_org_address: str
    show_price_split: bool
    updated_at: datetime

    @staticmethod
    def resolve_logo(obj: Cluster) -> str | None:
        return obj.logo.url if obj.logo else None

    @staticmethod
    def resolve_hero_image(obj: Cluster) -> str | None:
        return obj.hero_image.url if obj.hero_image else None


class AuditEntryOut(Schema):
    id: int
    created_at: datetime
    actor: str | None
    verb: str
    target_type: str
    target_id: str
    target: str
    member: str | None
    before: dict[str, Any]
    after: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: AuditEntry) -> str | None:
        return obj.actor_email or None

    @staticmethod
    def resolve_target(obj: AuditEntry) -> str:
        return obj.target_repr

    @staticmethod
    def resolve_member(obj: AuditEntry) -> str | None:
        return obj.member.slug if obj.member else None


# --- Memberships --------------------------------------------------------------------


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
@paginate(LimitOffsetPagination)
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
    request: HttpRequest, membership_id: int, payload: ReasonIn | None = None
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
    request: HttpRequest, membership_id: int, payload: ReasonIn | None = None
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


# --- Brand and audit ----------------------------------------------------------------


@router.patch(
    "/clusters/{slug}/brand",
    response=BrandOut,
    auth=django_auth,
    url_name="cluster-brand-update",
    summary="Change a cluster's brand (its admins)",
)
def cluster_brand_update_api(
    request: HttpRequest, slug: str, payload: BrandIn
) -> Cluster:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    data = payload.model_dump(exclude_unset=True)
    if "commission_rate" in data and data["commission_rate"] is not None:
        data["commission_rate"] = str(data["commission_rate"])
    return cluster_brand_update(actor=actor, cluster=cluster, data=data)


@router.get(
    "/clusters/{slug}/audit",
    response=list[AuditEntryOut],
    auth=django_auth,
    url_name="cluster-audit",
    summary="Read a cluster's audit log, newest first (its admins)",
)
@paginate(LimitOffsetPagination)
def cluster_audit_api(request: HttpRequest, slug: str) -> QuerySet[AuditEntry]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return audit_list_for_cluster(actor=actor, cluster=cluster)

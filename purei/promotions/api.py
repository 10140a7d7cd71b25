"""Promotions over JSON (browser session for now; docs/money.md "Promotions").

- ``GET|POST /clusters/{slug}/promotions``: a cluster's promotions (its own and
  its members'), listed for its admins and platform staff; its admins add the
  cluster's own (paid by the cluster).
- ``GET|PUT /clusters/{slug}/promotions/{id}``, ``POST …/pause``, ``…/resume``:
  one of them; its admins change the cluster's own and pause or resume any.
- ``GET|POST /members/{slug}/promotions``, ``GET|PUT …/{id}``, ``…/pause``,
  ``…/resume``: a member's own (paid by it, for its own goods), for its team
  (platform staff read).

Checkout takes a code as ``promo_code`` (``POST /clusters/{slug}/checkout``).
401 anonymous; 404 for a cluster, business or promotion outside the actor's scope;
403 for one they may see but not change; 422 naming each field at fault.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema
from purei.core.errors import ValidationFailed
from purei.core.money import format_cents
from purei.core.pagination import Mapped, Paginated
from purei.members.selectors import member_get_for_team

from .errors import PromotionErrorCode
from .models import Promotion
from .selectors import (
    promotion_get_for_cluster,
    promotion_get_for_member,
    promotion_list_for_cluster,
    promotion_list_for_member,
)
from .services import (
    PromotionInput,
    local_day,
    promotion_create,
    promotion_pause,
    promotion_resume,
    promotion_update,
)

router = Router(tags=["promotions"])

Kind = Literal["percent", "fixed", "free_delivery", "buy_x_get_y"]


class PromotionIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=120, description="Shoppers see it.")
    kind: Kind
    percent_bp: int | None = Field(
        None, ge=1, le=10_000, description="percent: basis points (1000 = 10 %)."
    )
    amount_cents: int | None = Field(
        None, ge=1, description="fixed: cents off the goods it is for."
    )
    buy_quantity: int | None = Field(None, ge=1, le=99, description="buy_x_get_y.")
    get_quantity: int | None = Field(None, ge=1, le=99, description="buy_x_get_y.")
    code: str = Field(
        "",
        max_length=32,
        description="Empty: automatic. Unique in the cluster, whatever its case.",
    )
    members: list[int] = Field(
        default_factory=list,
        description="Member ids (the cluster's own only); empty: every member.",
    )
    categories: list[int] = Field(
        default_factory=list, description="Category ids (with those below them)."
    )
    products: list[int] = Field(default_factory=list, description="Product ids.")
    starts_on: dt.date | None = Field(None, description="New Zealand day, from 00:00.")
    ends_on: dt.date | None = Field(None, description="New Zealand day, to its end.")
    min_spend_cents: int = Field(0, ge=0, description="On the goods it is for.")
    max_uses: int | None = Field(None, ge=1)
    max_uses_per_customer: int | None = Field(None, ge=1)
    first_order_only: bool = False
    stackable: bool = False


class MemberPromotionIn(PromotionIn):
    cluster: str = Field(
        "", description="POST: the slug of a cluster the business sells in."
    )


class PromotionOut(Schema):
    id: int
    cluster: str = Field(description="The cluster's slug.")
    member: str | None = Field(description="A member's own: the business's slug.")
    name: str
    kind: str
    percent_bp: int | None
    amount_cents: int | None
    buy_quantity: int | None
    get_quantity: int | None
    code: str | None = Field(description="null: automatic.")
    members: list[int]
    categories: list[int]
    products: list[int]
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    min_spend_cents: int
    max_uses: int | None
    uses: int
    max_uses_per_customer: int | None
    first_order_only: bool
    stackable: bool
    paid_by: str = Field(description="cluster or member: who pays the discount.")
    active: bool


def promotion_out(promotion: Promotion) -> PromotionOut:
    return PromotionOut(
        id=promotion.pk,
        cluster=promotion.cluster.slug,
        member=promotion.member.slug if promotion.member else None,
        name=promotion.name,
        kind=promotion.kind,
        percent_bp=promotion.percent_bp,
        amount_cents=promotion.amount_cents,
        buy_quantity=promotion.buy_quantity,
        get_quantity=promotion.get_quantity,
        code=promotion.code,
        members=sorted(m.pk for m in promotion.members.all()),
        categories=sorted(c.pk for c in promotion.categories.all()),
        products=sorted(p.pk for p in promotion.products.all()),
        starts_at=promotion.starts_at,
        ends_at=promotion.ends_at,
        starts_on=local_day(promotion.starts_at),
        ends_on=local_day(promotion.ends_at, end=True),
        min_spend_cents=promotion.min_spend_cents,
        max_uses=promotion.max_uses,
        uses=promotion.uses,
        max_uses_per_customer=promotion.max_uses_per_customer,
        first_order_only=promotion.first_order_only,
        stackable=promotion.stackable,
        paid_by=promotion.paid_by,
        active=promotion.active,
    )


def _details(payload: PromotionIn) -> PromotionInput:
    def text(value: int | None) -> str:
        return "" if value is None else str(value)

    return PromotionInput(
        name=payload.name,
        kind=payload.kind,
        percent=(
            f"{(Decimal(payload.percent_bp) / 100).normalize():f}"
            if payload.percent_bp
            else ""
        ),
        amount=format_cents(payload.amount_cents) if payload.amount_cents else "",
        buy_quantity=text(payload.buy_quantity),
        get_quantity=text(payload.get_quantity),
        code=payload.code,
        members=payload.members,
        categories=payload.categories,
        products=payload.products,
        starts_on=payload.starts_on or "",
        ends_on=payload.ends_on or "",
        min_spend=format_cents(payload.min_spend_cents)
        if payload.min_spend_cents
        else "",
        max_uses=text(payload.max_uses),
        max_uses_per_customer=text(payload.max_uses_per_customer),
        first_order_only=payload.first_order_only,
        stackable=payload.stackable,
    )


# --- A cluster's ------------------------------------------------------------------


@router.get(
    "/clusters/{slug}/promotions",
    response=list[PromotionOut],
    auth=django_auth,
    summary="List a cluster's promotions (its admins)",
)
@paginate(Paginated)
def cluster_promotion_list_api(
    request: HttpRequest, slug: str
) -> Mapped[Promotion, PromotionOut]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    found = promotion_list_for_cluster(actor=actor, cluster=cluster)
    return Mapped(found, promotion_out)


@router.post(
    "/clusters/{slug}/promotions",
    response={201: PromotionOut},
    auth=django_auth,
    summary="Add one of the cluster's promotions, paid by the cluster (its admins)",
)
def cluster_promotion_create_api(
    request: HttpRequest, slug: str, payload: PromotionIn
) -> Status[PromotionOut]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    made = promotion_create(actor=actor, cluster=cluster, details=_details(payload))
    return Status(201, promotion_out(_of_cluster(request, slug, made.pk)))


def _of_cluster(request: HttpRequest, slug: str, promotion_id: int) -> Promotion:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return promotion_get_for_cluster(
        actor=actor, cluster=cluster, promotion_id=promotion_id
    )


@router.get(
    "/clusters/{slug}/promotions/{promotion_id}",
    response=PromotionOut,
    auth=django_auth,
    summary="One of a cluster's promotions (its admins)",
)
def cluster_promotion_get_api(
    request: HttpRequest, slug: str, promotion_id: int
) -> PromotionOut:
    return promotion_out(_of_cluster(request, slug, promotion_id))


@router.put(
    "/clusters/{slug}/promotions/{promotion_id}",
    response=PromotionOut,
    auth=django_auth,
    summary="Change one of the cluster's own promotions (its admins)",
)
def cluster_promotion_update_api(
    request: HttpRequest, slug: str, promotion_id: int, payload: PromotionIn
) -> PromotionOut:
    promotion = _of_cluster(request, slug, promotion_id)
    promotion_update(
        actor=actor_from(request), promotion=promotion, details=_details(payload)
    )
    return promotion_out(_of_cluster(request, slug, promotion_id))


@router.post(
    "/clusters/{slug}/promotions/{promotion_id}/pause",
    response=PromotionOut,
    auth=django_auth,
    summary="Pause a promotion of the cluster, a member's too (its admins)",
)
def cluster_promotion_pause_api(
    request: HttpRequest, slug: str, promotion_id: int
) -> PromotionOut:
    promotion = _of_cluster(request, slug, promotion_id)
    promotion_pause(actor=actor_from(request), promotion=promotion)
    return promotion_out(_of_cluster(request, slug, promotion_id))


@router.post(
    "/clusters/{slug}/promotions/{promotion_id}/resume",
    response=PromotionOut,
    auth=django_auth,
    summary="Resume a paused promotion of the cluster (its admins)",
)
def cluster_promotion_resume_api(
    request: HttpRequest, slug: str, promotion_id: int
) -> PromotionOut:
    promotion = _of_cluster(request, slug, promotion_id)
    promotion_resume(actor=actor_from(request), promotion=promotion)
    return promotion_out(_of_cluster(request, slug, promotion_id))


# --- A member's own ----------------------------------------------------------------


@router.get(
    "/members/{slug}/promotions",
    response=list[PromotionOut],
    auth=django_auth,
    summary="List a business's own promotions (its team)",
)
@paginate(Paginated)
def member_promotion_list_api(
    request: HttpRequest, slug: str
) -> Mapped[Promotion, PromotionOut]:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    found = promotion_list_for_member(actor=actor, member=member)
    return Mapped(found, promotion_out)


@router.post(
    "/members/{slug}/promotions",
    response={201: PromotionOut},
    auth=django_auth,
    summary="Add a promotion of the business's own goods, paid by it (its team)",
)
def member_promotion_create_api(
    request: HttpRequest, slug: str, payload: MemberPromotionIn
) -> Status[PromotionOut]:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    try:
        cluster = cluster_get_live(actor=actor, slug=payload.cluster)
    except Http404:
        raise ValidationFailed(
            PromotionErrorCode.INVALID,
            {"cluster": [_("Choose a cluster your business sells in.")]},
        ) from None
    made = promotion_create(
        actor=actor,
        cluster=cluster,
        details=_details(payload),
        member=member,
    )
    return Status(201, promotion_out(_of_member(request, slug, made.pk)))


def _of_member(request: HttpRequest, slug: str, promotion_id: int) -> Promotion:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    return promotion_get_for_member(
        actor=actor, member=member, promotion_id=promotion_id
    )


@router.get(
    "/members/{slug}/promotions/{promotion_id}",
    response=PromotionOut,
    auth=django_auth,
    summary="One of a business's own promotions (its team)",
)
def member_promotion_get_api(
    request: HttpRequest, slug: str, promotion_id: int
) -> PromotionOut:
    return promotion_out(_of_member(request, slug, promotion_id))


@router.put(
    "/members/{slug}/promotions/{promotion_id}",
    response=PromotionOut,
    auth=django_auth,
    summary="Change one of the business's own promotions (its team)",
)
def member_promotion_update_api(
    request: HttpRequest, slug: str, promotion_id: int, payload: PromotionIn
) -> PromotionOut:
    promotion = _of_member(request, slug, promotion_id)
    promotion_update(
        actor=actor_from(request), promotion=promotion, details=_details(payload)
    )
    return promotion_out(_of_member(request, slug, promotion_id))


@router.post(
    "/members/{slug}/promotions/{promotion_id}/pause",
    response=PromotionOut,
    auth=django_auth,
    summary="Pause one of the business's own promotions (its team)",
)
def member_promotion_pause_api(
    request: HttpRequest, slug: str, promotion_id: int
) -> PromotionOut:
    promotion = _of_member(request, slug, promotion_id)
    promotion_pause(actor=actor_from(request), promotion=promotion)
    return promotion_out(_of_member(request, slug, promotion_id))


@router.post(
    "/members/{slug}/promotions/{promotion_id}/resume",
    response=PromotionOut,
    auth=django_auth,
    summary="Resume one of the business's own promotions (its team)",
)
def member_promotion_resume_api(
    request: HttpRequest, slug: str, promotion_id: int
) -> PromotionOut:
    promotion = _of_member(request, slug, promotion_id)
    promotion_resume(actor=actor_from(request), promotion=promotion)
    return promotion_out(_of_member(request, slug, promotion_id))

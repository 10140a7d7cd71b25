"""A cluster's brand and audit log over JSON (browser session for now). The
memberships API is in ``purei.members.api.memberships``.

- ``PATCH /clusters/{slug}/brand``: the cluster's admins change its brand and its
  money settings (who sells, the lead organisation's GST details, commission, the
  price split); colours too low in contrast or a wrong GST number are a 422
  naming the field.
- ``GET /clusters/{slug}/audit``: the cluster's admins read its audit log.

401 when anonymous; 404 for a cluster the actor may not see.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import ConfigDict, StrictBool

from purei.clusters.brand import BrandChanges, cluster_brand_update
from purei.clusters.manage_selectors import (
    audit_list_for_cluster,
    cluster_get_for_admin,
)
from purei.clusters.models import Cluster
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema
from purei.core.models import AuditEntry
from purei.core.pagination import Paginated

router = Router(tags=["cluster brand"])


class BrandIn(InputSchema):
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
    commission_rate: Decimal | None = Field(
        None, ge=0, le=100, description="0 to 100, 2 decimals."
    )
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
    au_gst_number: str | None = Field(
        None,
        max_length=20,
        description=(
            "Australian GST registration: an ABN (11 digits) or an ARN (12 digits); "
            "empty string for none."
        ),
    )
    au_gst_registered_on: date | None = Field(
        None, description="The date the Australian GST registration took effect."
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
    au_gst_number: str
    au_gst_registered_on: date | None
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
    return cluster_brand_update(
        actor=actor, cluster=cluster, changes=BrandChanges(**data)
    )


@router.get(
    "/clusters/{slug}/audit",
    response=list[AuditEntryOut],
    auth=django_auth,
    url_name="cluster-audit",
    summary="Read a cluster's audit log, newest first (its admins)",
)
@paginate(Paginated)
def cluster_audit_api(request: HttpRequest, slug: str) -> QuerySet[AuditEntry]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return audit_list_for_cluster(actor=actor, cluster=cluster)

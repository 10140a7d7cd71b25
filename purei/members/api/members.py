"""Member businesses over JSON.

Public: a live cluster's approved members and one member's page. Team: the full
profile (the bank account masked) for its owners and staff; owners change it.
Logged in: add a business. Session authentication for now (API keys come later):
401 when anonymous, 404 outside scope, 403 when the actor may see but not change.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import ConfigDict, StrictBool

from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema, QuerySchema
from purei.core.text import MAX_QUERY_LENGTH
from purei.members.models import Credential, Member, MemberPhoto
from purei.members.selectors import (
    member_get_for_team,
    member_get_public,
    member_list_public,
    member_role_of,
)
from purei.members.services import MemberDetails, member_create, member_update
from purei.members.story import MAX_STORY_LENGTH

router = Router(tags=["members"])


# --- Schemas -------------------------------------------------------------------------


class MemberRegionOut(Schema):
    code: str = Field(description="ISO 3166-2:NZ code, e.g. NZ-MBH.")
    name_en: str
    name_mi: str = Field(description="Te reo Māori name; empty when there is none.")


class MemberCredentialOut(Schema):
    kind: str = Field(description="toi_iho, liquor_licence, food_act, …")
    kind_label: str
    name: str = Field(description="What it is, for kind “other”.")
    issuer: str
    number: str
    expires_on: datetime.date | None


class PhotoOut(Schema):
    url: str
    alt_text: str
    width: int | None
    height: int | None


class MemberSummaryOut(Schema):
    slug: str
    name: str = Field(description="The trading name, else the legal name.")
    legal_name: str
    town: str
    region: MemberRegionOut | None
    in_trade: bool = Field(description="It sells in trade (Fair Trading Act).")
    logo_url: str | None
    verified_credentials: list[MemberCredentialOut] = Field(
        description="Verified by a cluster admin and not expired today."
    )
    url: str = Field(description="The member's page in this cluster.")


class MemberPublicOut(MemberSummaryOut):
    trading_name: str
    story_html: str = Field(description="The story as sanitised HTML.")
    latitude: Decimal | None
    longitude: Decimal | None
    contact_name: str
    email: str
    phone: str
    website: str
    photos: list[PhotoOut]


class MemberTeamOut(Schema):
    slug: str
    name: str
    legal_name: str
    trading_name: str
    nzbn: str
    gst_registered: bool
    gst_number: str
    in_trade: bool
    story: str = Field(description="Markdown, as the member wrote it.")
    story_html: str
    region: MemberRegionOut | None
    town: str
    latitude: Decimal | None
    longitude: Decimal | None
    contact_name: str
    email: str
    phone: str
    website: str
    logo_url: str | None
    bank_account_masked: str = Field(
        description="Only the last four digits of the account number are shown."
    )
    bank_account_name: str
    role: str | None = Field(description="Your role: owner or staff.")


class MemberIn(InputSchema):
    """A member's profile fields. On PATCH, only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    legal_name: str = Field(max_length=160)
    trading_name: str = Field("", max_length=160)
    nzbn: str = Field("", max_length=20, description="13 digits starting with 94.")
    gst_registered: StrictBool = False
    gst_number: str = Field(
        "", max_length=16, description="IRD number, 123-456-789; if GST registered."
    )
    in_trade: StrictBool = False
    story: str = Field("", max_length=MAX_STORY_LENGTH, description="Markdown.")
    region: str | None = Field(None, description="ISO 3166-2:NZ code, e.g. NZ-MBH.")
    town: str = Field("", max_length=80)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    contact_name: str = Field("", max_length=150)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=32)
    website: str = Field("", max_length=200)
    bank_account: str = Field(
        "",
        max_length=32,
        description="NZ account, bank-branch-account-suffix; empty removes it.",
    )
    bank_account_name: str = Field("", max_length=120)


class MemberPatchIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    legal_name: str | None = Field(None, max_length=160)
    trading_name: str | None = Field(None, max_length=160)
    nzbn: str | None = Field(None, max_length=20)
    gst_registered: StrictBool | None = None
    gst_number: str | None = Field(None, max_length=16)
    in_trade: StrictBool | None = None
    story: str | None = Field(None, max_length=MAX_STORY_LENGTH)
    region: str | None = None
    town: str | None = Field(None, max_length=80)
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    contact_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=32)
    website: str | None = Field(None, max_length=200)
    bank_account: str | None = Field(None, max_length=32)
    bank_account_name: str | None = Field(None, max_length=120)


class MemberFilters(QuerySchema):
    q: str | None = Field(
        None,
        max_length=MAX_QUERY_LENGTH,
        description=(
            "Words to find in names, stories, towns and regions; case and macrons "
            "are ignored."
        ),
    )


# --- Building the output ------------------------------------------------------------


def _region(member: Member) -> MemberRegionOut | None:
    region = member.region
    if region is None:
        return None
    return MemberRegionOut(
        code=region.code, name_en=region.name_en, name_mi=region.name_mi
    )


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _logo_url(request: HttpRequest, member: Member) -> str | None:
    return _absolute(request, member.logo.url) if member.logo else None


def _credential(credential: Credential) -> MemberCredentialOut:
    return MemberCredentialOut(
        kind=credential.kind,
        kind_label=str(credential.get_kind_display()),
        name=credential.name,
        issuer=credential.issuer,
        number=credential.number,
        expires_on=credential.expires_on,
    )


def _summary_fields(
    request: HttpRequest, member: Member, cluster_slug: str
) -> dict[str, Any]:
    path = reverse(
        "catalogue:maker",
        kwargs={"slug": cluster_slug, "member_slug": member.slug},
    )
    credentials: list[Credential] = getattr(member, "verified_credentials", [])
    return {
        "slug": member.slug,
        "name": member.name,
        "legal_name": member.legal_name,
        "town": member.town,
        "region": _region(member),
        "in_trade": member.in_trade,
        "logo_url": _logo_url(request, member),
        "verified_credentials": [_credential(c) for c in credentials],
        "url": _absolute(request, path),
    }


def _photo(request: HttpRequest, photo: MemberPhoto) -> PhotoOut:
    return PhotoOut(
        url=_absolute(request, photo.image.url),
        alt_text=photo.alt_text,
        width=photo.width,
        height=photo.height,
    )


def member_team_out(request: HttpRequest, member: Member) -> MemberTeamOut:
    actor = actor_from(request)
    return MemberTeamOut(
        slug=member.slug,
        name=member.name,
        legal_name=member.legal_name,
        trading_name=member.trading_name,
        nzbn=member.nzbn,
        gst_registered=member.gst_registered,
        gst_number=member.gst_number,
        in_trade=member.in_trade,
        story=member.story,
        story_html=member.story_html,
        region=_region(member),
        town=member.town,
        latitude=member.latitude,
        longitude=member.longitude,
        contact_name=member.contact_name,
        email=member.email,
        phone=member.phone,
        website=member.website,
        logo_url=_logo_url(request, member),
        bank_account_masked=member.bank_account_masked,
        bank_account_name=member.bank_account_name,
        role=member_role_of(actor=actor, member=member),
    )


# --- Endpoints ------------------------------------------------------------------------


@router.get(
    "/clusters/{slug}/members",
    response=list[MemberSummaryOut],
    summary="List a cluster's members",
)
def member_list_api(
    request: HttpRequest, slug: str, filters: Query[MemberFilters]
) -> list[MemberSummaryOut]:
    """The approved members of a live cluster, by region (north to south), then by
    name. 404 if the cluster is not live."""
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    listing = member_list_public(actor=actor, cluster=cluster, q=filters.q)
    return [
        MemberSummaryOut(**_summary_fields(request, member, cluster.slug))
        for member in listing.members
    ]


@router.get(
    "/clusters/{slug}/members/{member_slug}",
    response=MemberPublicOut,
    summary="Get a member's public page",
)
def member_public_api(
    request: HttpRequest, slug: str, member_slug: str
) -> MemberPublicOut:
    """One approved member of a live cluster: story, place, contact, photos and
    verified credentials. 404 if it is not an approved member there."""
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    member = member_get_public(actor=actor, cluster=cluster, slug=member_slug)
    return MemberPublicOut(
        **_summary_fields(request, member, cluster.slug),
        trading_name=member.trading_name,
        story_html=member.story_html,
        latitude=member.latitude,
        longitude=member.longitude,
        contact_name=member.contact_name,
        email=member.email,
        phone=member.phone,
        website=member.website,
        photos=[_photo(request, photo) for photo in member.photos.all()],
    )


@router.post(
    "/members",
    response={201: MemberTeamOut},
    auth=django_auth,
    summary="Add a business",
)
def member_create_api(request: HttpRequest, payload: MemberIn) -> Status[MemberTeamOut]:
    """Add a member business; you become its owner. 422 names each field at fault
    (bad NZBN, GST number, bank account …)."""
    actor = actor_from(request)
    member = member_create(actor=actor, details=MemberDetails(**payload.model_dump()))
    return Status(201, member_team_out(request, member))


@router.get(
    "/members/{slug}",
    response=MemberTeamOut,
    auth=django_auth,
    summary="Get your business's profile",
)
def member_team_api(request: HttpRequest, slug: str) -> MemberTeamOut:
    """The full profile, for the business's owners and staff (and platform staff).
    404 for anyone else."""
    member = member_get_for_team(actor=actor_from(request), slug=slug)
    return member_team_out(request, member)


@router.patch(
    "/members/{slug}",
    response=MemberTeamOut,
    auth=django_auth,
    summary="Change your business's profile",
)
def member_update_api(
    request: HttpRequest, slug: str, payload: MemberPatchIn
) -> MemberTeamOut:
    """Change the fields sent (owners only: 403 for staff). An empty
    ``bank_account`` removes it. 422 names each field at fault."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    details = MemberDetails(**payload.model_dump(exclude_unset=True))
    updated = member_update(actor=actor, member=member, details=details)
    return member_team_out(request, updated)

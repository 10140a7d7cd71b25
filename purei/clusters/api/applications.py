"""Cluster applications over JSON: anyone submits; platform staff review and decide.

Staff endpoints use the browser session for now (API keys come later): 401 when
anonymous, 403 for anyone but platform staff.
"""

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import ConfigDict, StrictBool

from purei.clusters.application_selectors import (
    application_get_for_review,
    application_list_for_review,
)
from purei.clusters.models import ClusterApplication, ClusterType, LeadOrganisationKind
from purei.clusters.services import (
    MAX_EXPECTED_MEMBERS,
    MIN_EXPECTED_MEMBERS,
    ApplicationInput,
    application_approve,
    application_decline,
    application_submit,
)
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema, QuerySchema
from purei.core.pagination import Paginated
from purei.core.ratelimit import rate_limit_request

router = Router(tags=["cluster applications"])


class FinderAnswersIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    shared_place: StrictBool | None = Field(
        None, description="Do the members share a place (a region)?"
    )
    shared_specialisation: StrictBool | None = Field(
        None, description="Do they share a specialisation?"
    )


class ApplicationIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    contact_name: str = Field(min_length=1, max_length=150)
    contact_email: str = Field(
        min_length=3, max_length=254, description="The decision goes here."
    )
    contact_phone: str = Field("", max_length=32)
    lead_org_kind: LeadOrganisationKind
    lead_org_name: str = Field(min_length=1, max_length=160)
    proposed_name_en: str = Field(min_length=1, max_length=120)
    proposed_name_mi: str = Field("", max_length=120)
    cluster_type: ClusterType
    regions: list[Annotated[str, Field(max_length=8)]] = Field(
        default_factory=list,
        description='ISO 3166-2:NZ codes, e.g. ["NZ-WKO"].',
        max_length=17,
    )
    specialisation: str = Field("", max_length=160)
    expected_members: int = Field(ge=MIN_EXPECTED_MEMBERS, le=MAX_EXPECTED_MEMBERS)
    about: str = Field("", max_length=10_000)
    finder_answers: FinderAnswersIn | None = None


class ApplicationCreatedOut(Schema):
    id: int
    status: str


class ApplicationOut(Schema):
    id: int
    status: str
    contact_name: str
    contact_email: str
    contact_phone: str
    lead_org_kind: str
    lead_org_name: str
    proposed_name_en: str
    proposed_name_mi: str
    cluster_type: str
    regions: list[str]
    specialisation: str
    expected_members: int
    about: str
    finder_answers: dict[str, bool]
    created_at: datetime
    decided_at: datetime | None
    decline_reason: str
    cluster_slug: str | None

    @staticmethod
    def resolve_regions(obj: ClusterApplication) -> list[str]:
        return [region.code for region in obj.regions.all()]

    @staticmethod
    def resolve_cluster_slug(obj: ClusterApplication) -> str | None:
        return obj.cluster.slug if obj.cluster else None


class ApplicationFilter(QuerySchema):
    status: str | None = Field(
        None, description="pending, approved or declined (default: all, pending first)"
    )


class ApproveIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    slug: str | None = Field(
        None,
        max_length=64,
        description="Web address name; default: made from the proposed English name.",
    )


class ApprovedOut(Schema):
    slug: str
    url: str


class DeclineIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=10_000, description="Emailed to the applicant.")


@router.post(
    "/applications",
    response={201: ApplicationCreatedOut},
    url_name="application-submit",
    summary="Apply to form a cluster",
)
def application_submit_api(
    request: HttpRequest, payload: ApplicationIn
) -> Status[ClusterApplication]:
    rate_limit_request(request, "cluster_application", email=payload.contact_email)
    data: dict[str, Any] = payload.model_dump()
    data["finder_answers"] = {
        key: value
        for key, value in (data.get("finder_answers") or {}).items()
        if value is not None
    }
    application = application_submit(
        actor=actor_from(request),
        details=ApplicationInput(**data),
        language=get_language(),
    )
    return Status(201, application)


@router.get(
    "/applications",
    response=list[ApplicationOut],
    auth=django_auth,
    url_name="application-list",
    summary="List applications (platform staff)",
)
@paginate(Paginated)
def application_list_api(
    request: HttpRequest, filters: Query[ApplicationFilter]
) -> Any:
    return application_list_for_review(
        actor=actor_from(request), status=filters.status or None
    )


@router.get(
    "/applications/{application_id}",
    response=ApplicationOut,
    auth=django_auth,
    url_name="application-detail",
    summary="Get one application (platform staff)",
)
def application_get_api(
    request: HttpRequest, application_id: int
) -> ClusterApplication:
    return application_get_for_review(
        actor=actor_from(request), application_id=application_id
    )


@router.post(
    "/applications/{application_id}/approve",
    response=ApprovedOut,
    auth=django_auth,
    url_name="application-approve",
    summary="Approve: create the cluster and invite its admin (platform staff)",
)
def application_approve_api(
    request: HttpRequest, application_id: int, payload: ApproveIn | None = None
) -> dict[str, str]:
    actor = actor_from(request)
    application = application_get_for_review(actor=actor, application_id=application_id)
    cluster = application_approve(
        actor=actor,
        application=application,
        slug=(payload.slug if payload else None) or None,
    )
    path = reverse("catalogue:cluster-home", kwargs={"slug": cluster.slug})
    return {"slug": cluster.slug, "url": request.build_absolute_uri(path)}


@router.post(
    "/applications/{application_id}/decline",
    response=ApplicationOut,
    auth=django_auth,
    url_name="application-decline",
    summary="Decline with a reason, emailed to the applicant (platform staff)",
)
def application_decline_api(
    request: HttpRequest, application_id: int, payload: DeclineIn
) -> ClusterApplication:
    actor = actor_from(request)
    application = application_get_for_review(actor=actor, application_id=application_id)
    return application_decline(
        actor=actor, application=application, reason=payload.reason
    )

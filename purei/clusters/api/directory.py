"""The public directory over JSON: live clusters, filtered like the /clusters/ page."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from purei.clusters.models import Cluster, ClusterType
from purei.clusters.regions import REGION_CODE_OR_BLANK_PATTERN
from purei.clusters.selectors import cluster_get_live, cluster_list_live
from purei.core.actor import actor_from
from purei.core.api_inputs import QuerySchema
from purei.core.text import MAX_QUERY_LENGTH

router = Router(tags=["cluster directory"])


class LeadOrganisationOut(Schema):
    kind: str = Field(description="Stable code of the kind of organisation.")
    kind_label: str = Field(description="The kind, in the request's language.")
    name: str


class RegionOut(Schema):
    code: str = Field(description="ISO 3166-2:NZ code, e.g. NZ-MBH.")
    name_en: str
    name_mi: str = Field(description="Te reo Māori name; empty when there is none.")


class ClusterOut(Schema):
    slug: str
    name_en: str
    name_mi: str = Field(description="Te reo Māori name; empty when there is none.")
    type: ClusterType
    lead_organisation: LeadOrganisationOut
    regions: list[RegionOut] = Field(
        description="Empty for a Virtual cluster spread over the whole country."
    )
    specialisation: str
    tagline: str
    story: str = Field(description="Plain text; paragraphs separated by blank lines.")
    url: str = Field(description="The cluster's home page.")


class DirectoryFilters(QuerySchema):
    type: ClusterType | None = Field(None, description="Only clusters of this type.")
    region: str | None = Field(
        None,
        pattern=REGION_CODE_OR_BLANK_PATTERN,
        description="Only clusters in this region (ISO 3166-2:NZ code, NZ-MBH).",
    )
    q: str | None = Field(
        None,
        max_length=MAX_QUERY_LENGTH,
        description=(
            "Words to find in names, specialisation, tagline and lead organisation; "
            "case and macrons are ignored (kumara finds kūmara)."
        ),
    )


def cluster_out(request: HttpRequest, cluster: Cluster) -> ClusterOut:
    return ClusterOut(
        slug=cluster.slug,
        name_en=cluster.name_en,
        name_mi=cluster.name_mi,
        type=ClusterType(cluster.type),
        lead_organisation=LeadOrganisationOut(
            kind=cluster.lead_org_kind,
            kind_label=str(cluster.get_lead_org_kind_display()),
            name=cluster.lead_org_name,
        ),
        regions=[
            RegionOut(code=r.code, name_en=r.name_en, name_mi=r.name_mi)
            for r in cluster.regions.all()
        ],
        specialisation=cluster.specialisation,
        tagline=cluster.tagline,
        story=cluster.story,
        url=request.build_absolute_uri(
            reverse("catalogue:cluster-home", args=[cluster.slug])
        ),
    )


@router.get(
    "/clusters",
    response=list[ClusterOut],
    operation_id="cluster_list_api",
    url_name="cluster-list",
    summary="List live clusters",
)
def cluster_list_api(
    request: HttpRequest, filters: Query[DirectoryFilters]
) -> list[ClusterOut]:
    """Live clusters, by English name. An unknown type or region is a 422."""
    clusters = cluster_list_live(
        actor=actor_from(request),
        type=filters.type,
        region=filters.region,
        q=filters.q,
    )
    return [cluster_out(request, cluster) for cluster in clusters]


@router.get(
    "/clusters/{slug}",
    response=ClusterOut,
    operation_id="cluster_get_api",
    url_name="cluster-detail",
    summary="Get one live cluster",
)
def cluster_get_api(request: HttpRequest, slug: str) -> ClusterOut:
    """One live cluster; 404 when there is none at this slug or it is not live."""
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    return cluster_out(request, cluster)

"""A cluster's listing rules over JSON, for its admins (and platform staff).

- ``GET /clusters/{slug}/listing-rules``: whether curators approve each product
  first (``listings_need_approval``) and whether works carrying cultural designs
  wait for the cluster's kaitiaki (``cultural_review``).
- ``PATCH /clusters/{slug}/listing-rules``: change them; only the fields sent
  change, each ``true`` or ``false`` (anything else is a 422 naming the field).
  Audited as ``cluster.listing_rules_updated``.

401 when anonymous; 404 for a cluster the actor does not run.
"""

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import django_auth
from pydantic import ConfigDict, StrictBool

from purei.clusters.listing_rules import ListingRules, cluster_listing_rules_update
from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.models import Cluster
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema

router = Router(tags=["memberships and cluster brand"])

APPROVAL = (
    "true: a curator approves each product before it shows in the shop; false: "
    "products are listed as soon as their member makes them live."
)
CULTURAL = (
    "true: works that carry cultural designs also wait for the cluster's "
    "kaitiaki; false: they are listed like any other product."
)


class ListingRulesIn(InputSchema):
    """Only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    listings_need_approval: StrictBool | None = Field(None, description=APPROVAL)
    cultural_review: StrictBool | None = Field(None, description=CULTURAL)


class ListingRulesOut(Schema):
    slug: str
    listings_need_approval: bool = Field(description=APPROVAL)
    cultural_review: bool = Field(description=CULTURAL)


@router.get(
    "/clusters/{slug}/listing-rules",
    response=ListingRulesOut,
    auth=django_auth,
    url_name="cluster-listing-rules",
    summary="Read how a cluster's products are listed (its admins)",
)
def cluster_listing_rules_api(request: HttpRequest, slug: str) -> Cluster:
    return cluster_get_for_admin(actor=actor_from(request), slug=slug)


@router.patch(
    "/clusters/{slug}/listing-rules",
    response=ListingRulesOut,
    auth=django_auth,
    url_name="cluster-listing-rules-update",
    summary="Change how a cluster's products are listed (its admins)",
)
def cluster_listing_rules_update_api(
    request: HttpRequest, slug: str, payload: ListingRulesIn
) -> Cluster:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return cluster_listing_rules_update(
        actor=actor,
        cluster=cluster,
        rules=ListingRules(
            listings_need_approval=payload.listings_need_approval,
            cultural_review=payload.cultural_review,
        ),
    )

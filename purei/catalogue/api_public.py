"""The public catalogue API: a cluster's products (the shop's filters), search across
every live cluster, and one product's detail. Anyone may read it; it shows only public
products (``search_products`` / ``product_get_public``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.paths import product_path
from purei.catalogue.search import (
    MAX_FILTER_LENGTH,
    PRICE_BAND_KEYS,
    FacetValue,
    ProductFilters,
    SearchResults,
    attribute_filters,
    search_products,
)
from purei.catalogue.selectors import product_get_public
from purei.clusters.regions import REGION_CODE_OR_BLANK_PATTERN
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.api_inputs import QuerySchema
from purei.core.errors import ValidationFailed
from purei.core.money import format_cents
from purei.members.models import Credential

router = Router(tags=["public catalogue"])

# The filters' values, stated in the document (empty: no filter).
PRICE_BAND_PATTERN = "^(" + "|".join(PRICE_BAND_KEYS) + ")?$"
CREDENTIAL_KIND_PATTERN = "^(" + "|".join(Credential.Kind.values) + ")?$"

MAX_QUERY_LENGTH = 200


class ProductQuery(QuerySchema):
    q: str = Field("", max_length=MAX_QUERY_LENGTH)
    category: str | None = Field(None, max_length=MAX_FILTER_LENGTH)
    member: str | None = Field(None, max_length=MAX_FILTER_LENGTH)
    region: str | None = Field(None, pattern=REGION_CODE_OR_BLANK_PATTERN)
    price_band: str | None = Field(None, pattern=PRICE_BAND_PATTERN)
    in_stock: bool = False
    credential: str | None = Field(None, pattern=CREDENTIAL_KIND_PATTERN)
    sort: Literal["relevance", "newest", "price_asc", "price_desc"] = "relevance"
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(24, ge=1, le=100)


class ClusterRefOut(Schema):
    slug: str
    name: str


class HitOut(Schema):
    slug: str
    member_slug: str
    member_name: str
    title_html: str
    snippet_html: str
    price_cents: int | None
    currency: str = "NZD"
    in_stock: bool
    clusters: list[ClusterRefOut]
    url: str | None


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class AttributeFacetOut(Schema):
    key: str
    label: str
    param: str = Field(description="The query parameter that filters by it.")
    values: list[FacetValueOut]


class FacetsOut(Schema):
    category: list[FacetValueOut]
    member: list[FacetValueOut]
    region: list[FacetValueOut]
    price_band: list[FacetValueOut]
    credential: list[FacetValueOut]
    in_stock: int
    attributes: list[AttributeFacetOut]


class PagingOut(Schema):
    page: int
    per_page: int
    total: int
    num_pages: int


class ResultsOut(Schema):
    query: str
    sort: str
    near_misses: bool
    # With near misses: the words searched for instead ("avocado" for "avacado").
    corrected_query: str = ""
    results: list[HitOut]
    facets: FacetsOut
    paging: PagingOut


class PublicVariantOut(Schema):
    id: int = Field(
        description="The variant's id: what the cart takes as `variant` "
        "(POST /clusters/{slug}/cart/lines)."
    )
    sku: str
    name: str
    options: dict[str, str]
    price_cents: int
    price: str = Field(description="The same price as text, e.g. “24.50”.")
    currency: str
    gst_included: bool
    stock_policy: str
    in_stock: bool
    availability: str = Field(
        description="The stock state: in_stock, sold_out or made_to_order."
    )
    lead_time_days: int | None
    cold_chain: str = Field(description="none, chilled, frozen or perishable.")
    harvested_on: dt.date | None = Field(description="When this batch was harvested.")
    best_before: dt.date | None


class ImageOut(Schema):
    url: str
    alt: str
    width: int | None
    height: int | None


class PublicCredentialOut(Schema):
    kind: str
    name: str
    issuer: str


class ProductDetailOut(Schema):
    slug: str
    url: str
    title_en: str
    title_mi: str
    description_en: str
    description_mi: str
    category: str
    member_slug: str
    member_name: str
    maker: str
    iwi_affiliation: str
    origin_region: str | None
    piece_story: str
    restricted_r18: bool
    attributes: dict[str, object]
    images: list[ImageOut]
    variants: list[PublicVariantOut]
    credentials: list[PublicCredentialOut]


def _filters(request: HttpRequest, params: ProductQuery) -> ProductFilters:
    """The filters of ``params``, plus key attributes given as ``attr_<key>=<value>``
    (e.g. ``attr_vintage=2021``), as on the shop page."""
    errors: dict[str, list[str]] = {}
    if params.price_band and params.price_band not in PRICE_BAND_KEYS:
        errors["price_band"] = [
            _("Unknown price band; use one of: %(values)s")
            % {"values": ", ".join(PRICE_BAND_KEYS)}
        ]
    if params.credential and params.credential not in Credential.Kind.values:
        errors["credential"] = [
            _("Unknown credential kind; use one of: %(values)s")
            % {"values": ", ".join(Credential.Kind.values)}
        ]
    if errors:
        raise ValidationFailed(CatalogueErrorCode.INVALID_FILTER, errors)
    return ProductFilters(
        category=params.category or None,
        member=params.member or None,
        region=params.region or None,
        price_band=params.price_band or None,
        in_stock=params.in_stock,
        credential=params.credential or None,
        attributes=attribute_filters(request.GET),
    )


def _facet(values: tuple[FacetValue, ...]) -> list[FacetValueOut]:
    return [
        FacetValueOut(value=v.value, label=v.label, count=v.count, selected=v.selected)
        for v in values
    ]


def _out(results: SearchResults, cluster_slug: str | None) -> ResultsOut:
    hits = []
    for hit in results.hits:
        slug = cluster_slug or (hit.clusters[0].slug if hit.clusters else None)
        hits.append(
            HitOut(
                slug=hit.slug,
                member_slug=hit.member_slug,
                member_name=hit.member_name,
                title_html=str(hit.title_html),
                snippet_html=str(hit.snippet_html),
                price_cents=hit.price_cents,
                in_stock=hit.in_stock,
                clusters=[
                    ClusterRefOut(slug=ref.slug, name=ref.name) for ref in hit.clusters
                ],
                url=product_path(slug, hit.member_slug, hit.slug) if slug else None,
            )
        )
    facets = results.facets
    return ResultsOut(
        query=results.query,
        sort=results.sort,
        near_misses=results.near_misses,
        corrected_query=results.corrected_query,
        results=hits,
        facets=FacetsOut(
            category=_facet(facets.category),
            member=_facet(facets.member),
            region=_facet(facets.region),
            price_band=_facet(facets.price_band),
            credential=_facet(facets.credential),
            in_stock=facets.in_stock,
            attributes=[
                AttributeFacetOut(
                    key=attribute.key,
                    label=attribute.label,
                    param=attribute.param,
                    values=_facet(attribute.values),
                )
                for attribute in facets.attributes
            ],
        ),
        paging=PagingOut(
            page=results.page,
            per_page=results.per_page,
            total=results.total,
            num_pages=results.num_pages,
        ),
    )


@router.get(
    "/clusters/{slug}/products",
    response=ResultsOut,
    summary="A cluster's public products, with the shop's filters and facets",
    description=(
        "Key attributes filter as on the shop page: `attr_<key>=<value>`, e.g. "
        "`attr_vintage=2021&attr_varietal=Pinot Noir`; `facets.attributes` lists "
        "the keys, their parameter and values with counts."
    ),
)
def cluster_products(
    request: HttpRequest, slug: str, params: Query[ProductQuery]
) -> ResultsOut:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    results = search_products(
        query=params.q,
        cluster=cluster,
        filters=_filters(request, params),
        sort=params.sort,
        page=params.page,
        per_page=params.per_page,
    )
    return _out(results, cluster.slug)


@router.get(
    "/search",
    response=ResultsOut,
    summary="Search the public products of every live cluster",
    description=(
        "Key attributes filter as `attr_<key>=<value>`, e.g. `attr_umf=UMF 10+`."
    ),
)
def search(request: HttpRequest, params: Query[ProductQuery]) -> ResultsOut:
    results = search_products(
        query=params.q,
        filters=_filters(request, params),
        sort=params.sort,
        page=params.page,
        per_page=params.per_page,
    )
    return _out(results, None)


def _availability(in_stock: bool, policy: str) -> str:
    if policy == "made_to_order":
        return "made_to_order"
    return "in_stock" if in_stock else "sold_out"


@router.get(
    "/clusters/{slug}/products/{member_slug}/{product_slug}",
    response=ProductDetailOut,
    summary="One public product of a cluster",
)
def product_detail(
    request: HttpRequest, slug: str, member_slug: str, product_slug: str
) -> ProductDetailOut:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    product = product_get_public(
        cluster=cluster, member_slug=member_slug, product_slug=product_slug
    )
    member = product.member
    return ProductDetailOut(
        slug=product.slug,
        url=product_path(cluster.slug, member.slug, product.slug),
        title_en=product.title_en,
        title_mi=product.title_mi,
        description_en=product.description_en,
        description_mi=product.description_mi,
        category=product.category.slug,
        member_slug=member.slug,
        member_name=member.name,
        maker=product.maker,
        iwi_affiliation=product.iwi_affiliation,
        origin_region=product.origin_region.code if product.origin_region else None,
        piece_story=product.piece_story,
        restricted_r18=product.is_restricted,
        attributes=dict(product.attributes or {}),
        images=[
            ImageOut(
                url=request.build_absolute_uri(image.image.url),
                alt=image.alt_text,
                width=image.width,
                height=image.height,
            )
            for image in product.images.all()
        ],
        variants=[
            PublicVariantOut(
                id=variant.pk,
                sku=variant.sku,
                name=variant.name,
                options={str(k): str(v) for k, v in (variant.options or {}).items()},
                price_cents=variant.price_cents,
                price=format_cents(variant.price_cents),
                currency=variant.currency,
                gst_included=member.gst_registered,
                stock_policy=variant.stock_policy,
                in_stock=variant.in_stock,
                availability=_availability(variant.in_stock, variant.stock_policy),
                lead_time_days=variant.lead_time_days,
                cold_chain=variant.cold_chain,
                harvested_on=variant.harvested_on,
                best_before=variant.best_before,
            )
            for variant in product.variants.all()
        ],
        credentials=[
            PublicCredentialOut(
                kind=credential.kind, name=credential.name, issuer=credential.issuer
            )
            for credential in product.credentials.all()
            if credential.is_verified
        ],
    )

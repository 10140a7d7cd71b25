"""The public storefront: a cluster's shop, a product page and search across clusters.

Product pages live at ``/c/<slug>/p/<member>/<product>/`` (short, and apart from the
member pages under ``/c/<slug>/members/``); ``?region=<ISO 3166-2:NZ code>`` asks
for the cost of delivery there (ADR 0014). Every page runs a fixed number of SQL
queries whatever the page size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import conditional_escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from purei.catalogue.grouping import group_same_products
from purei.catalogue.models import Product, ProductImage, Variant
from purei.catalogue.page_cache import page_cached, shows_stock
from purei.catalogue.paths import product_path
from purei.catalogue.search import (
    SORT_LABELS,
    SORTS,
    CategorySuggestion,
    ProductFilters,
    SearchHit,
    SearchResults,
    Sort,
    search_products,
    search_suggestions,
)
from purei.catalogue.selectors import (
    FeaturedProduct,
    product_get_public,
    product_list_featured,
    product_page_static,
)
from purei.clusters.models import Cluster, SellingModel
from purei.clusters.rules import TYPE_EXPLANATIONS
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.db_router import replica_reads_view
from purei.core.money import format_cents, format_nzd
from purei.members.selectors import member_list_public
from purei.search.cache import (
    cached_fragment,
    cached_many,
    cached_results,
    remember_many,
)

PER_PAGE = 24
MAX_QUERY_LENGTH = 200
# Cards in the first row load eagerly; the rest lazily.
EAGER_CARDS = 4
# How wide a card's photo is in the shop's and search's grid (2 columns on a phone,
# 3, then 4 from 75rem), for the browser to choose the size it downloads.
PRODUCT_CARD_SIZES = (
    "(max-width: 40rem) calc(50vw - 1.25rem), (max-width: 75rem) calc(33vw - 1.4rem), "
    "17rem"
)
MEMBER_STRIP_COUNT = 8
MAX_REGION_CODE = 8  # "NZ-" and up to five letters (ISO 3166-2:NZ)


def stock_text(variant: Variant) -> str:
    if variant.stock_policy == Variant.StockPolicy.MADE_TO_ORDER:
        days = variant.lead_time_days or 0
        if days:
            return _("Made to order — ships in %(days)s days") % {"days": days}
        return _("Made to order")
    if variant.in_stock:
        return _("In stock")
    return _("Sold out")


def _availability(variant: Variant) -> str:
    if variant.stock_policy == Variant.StockPolicy.MADE_TO_ORDER:
        return "https://schema.org/MadeToOrder"
    if variant.in_stock:
        return "https://schema.org/InStock"
    return "https://schema.org/OutOfStock"


@dataclass(frozen=True)
class Card:
    """One product card: the search hit, its price text, first photo and link."""

    hit: SearchHit
    price: str
    image: ProductImage | None
    url: str
    lazy: bool
    restricted: bool
    gst_registered: bool
    prices_differ: bool = False  # "from" before the lowest price
    was: str = ""  # the "was" price of the lowest-priced option, while higher


def _query(request: HttpRequest) -> str:
    return str(request.GET.get("q", "")).strip()[:MAX_QUERY_LENGTH]


def _sort(request: HttpRequest) -> Sort:
    value = str(request.GET.get("sort", ""))
    for sort in SORTS:
        if sort == value:
            return sort
    return "relevance"


def _page(request: HttpRequest) -> int:
    try:
        return max(1, min(int(str(request.GET.get("page", "1"))), 10_000))
    except ValueError:
        return 1


def _first_images(product_ids: list[int]) -> dict[int, ProductImage]:
    """The first photo of each product (one query)."""
    found: dict[int, ProductImage] = {}
    if not product_ids:
        return found
    for image in ProductImage.objects.filter(product_id__in=product_ids).order_by(
        "product_id", "position", "pk"
    ):
        found.setdefault(image.product_id, image)
    return found


@dataclass(frozen=True)
class _CardFacts:
    restricted: bool  # R18, itself or by its category
    gst_registered: bool  # its member
    prices_differ: bool  # its variants are not all one price
    was_cents: int | None = None  # the was price of its lowest-priced options
    lowest_cents: int | None = None


def _card_facts(product_ids: list[int]) -> dict[int, _CardFacts]:
    """What each card needs beyond the search hit (one query)."""
    if not product_ids:
        return {}
    rows = (
        Product.objects.filter(pk__in=product_ids)
        .annotate(
            prices=Count("variants__price_cents", distinct=True),
            was=Max(
                "variants__compare_at_cents",
                filter=Q(variants__price_cents=F("lowest_price_cents")),
            ),
        )
        .values_list(
            "pk",
            "restricted_r18",
            "category__restricted_r18",
            "member__gst_registered",
            "prices",
            "was",
            "lowest_price_cents",
        )
    )
    return {
        pk: _CardFacts(own or category, gst, prices > 1, was, lowest)
        for pk, own, category, gst, prices, was, lowest in rows
    }


def _cards(results: SearchResults, cluster: Cluster | None) -> list[Card]:
    images = _first_images(results.product_ids)
    facts = _card_facts(results.product_ids)
    cards = []
    for index, hit in enumerate(results.hits):
        slug = (
            cluster.slug if cluster else (hit.clusters[0].slug if hit.clusters else "")
        )
        fact = facts.get(hit.product_id, _CardFacts(False, True, False))
        restricted, gst_registered = fact.restricted, fact.gst_registered
        # Sold by a GST-registered (or not) lead organisation in a reseller
        # cluster: its registration decides, not the maker's.
        if cluster is not None and cluster.selling_model == SellingModel.RESELLER:
            gst_registered = cluster.lead_org_gst_registered
        elif cluster is None and hit.clusters:
            charges = hit.clusters[0].lead_org_charges_gst
            gst_registered = gst_registered if charges is None else charges
        cards.append(
            Card(
                hit=hit,
                price=format_nzd(hit.price_cents),
                image=images.get(hit.product_id),
                url=product_path(slug, hit.member_slug, hit.slug) if slug else "",
                lazy=index >= EAGER_CARDS,
                restricted=restricted,
                gst_registered=gst_registered,
                prices_differ=fact.prices_differ,
                was=_card_was(fact, hit.price_cents),
            )
        )
    return cards


def _card_was(fact: _CardFacts, price_cents: int | None) -> str:
    """The card's was price: that of the options at the price the card shows,
    while it is higher."""
    if (
        fact.was_cents is None
        or price_cents is None
        or fact.lowest_cents != price_cents
        or fact.was_cents <= price_cents
    ):
        return ""
    return format_nzd(fact.was_cents)


def _cards_html(
    request: HttpRequest,
    results: SearchResults,
    cluster: Cluster | None,
    *,
    show_clusters: bool,
) -> list[SafeString]:
    """Each card of the page, rendered: from the cache where the same product
    was shown the same way since the catalogue last changed (another page, sort
    or filter), else rendered now (two queries for the photos and facts)."""

    def key(index: int, hit: SearchHit) -> object:
        return (
            "card",
            hit.product_id,
            cluster.slug if cluster else "",
            show_clusters,
            index >= EAGER_CARDS,
            str(hit.title_html),
            str(hit.snippet_html),
        )

    wanted = [key(index, hit) for index, hit in enumerate(results.hits)]
    found = cached_many(wanted)
    missing = [i for i, k in enumerate(wanted) if k not in found]
    if missing:
        template = get_template("catalogue/public/_card.html")
        cards = _cards(results, cluster)
        # Without the request: a card uses nothing the context processors give,
        # and they cost more than the card itself (24 times a page; the engines
        # comparison, tests/bench/test_engines.py::test_a_card_needs_no_request).
        fresh = {
            wanted[i]: template.render(
                {
                    "card": cards[i],
                    "show_clusters": show_clusters,
                    "card_sizes": PRODUCT_CARD_SIZES,
                }
            )
            for i in missing
        }
        remember_many(fresh)
        found.update(fresh)
    return [mark_safe(found[k]) for k in wanted]  # noqa: S308 - our templates


def _slots(
    results: SearchResults, cluster: Cluster | None, cards_html: list[SafeString]
) -> list[dict[str, Any]]:
    """The page's results in order: a card each, except the same product from
    several makers (``purei.catalogue.grouping``), shown once with each maker's
    price. No query: everything comes from the search hits."""
    hits = results.hits
    slugs = [
        cluster.slug if cluster else (hit.clusters[0].slug if hit.clusters else "")
        for hit in hits
    ]
    slots: list[dict[str, Any]] = []
    for slot in group_same_products(hits, slugs):
        if not slot.is_group:
            slots.append({"card_html": cards_html[slot.indexes[0]]})
            continue
        first = hits[slot.indexes[0]]
        slots.append(
            {
                "group": {
                    "title": strip_tags(str(first.title_html)),
                    "cluster": None if cluster else (first.clusters or (None,))[0],
                    "offers": [
                        {
                            "maker": hits[i].member_name,
                            "price": format_nzd(hits[i].price_cents)
                            if hits[i].price_cents is not None
                            else "",
                            "in_stock": hits[i].in_stock,
                            "url": product_path(
                                slugs[i], hits[i].member_slug, hits[i].slug
                            )
                            if slugs[i]
                            else "",
                        }
                        for i in slot.indexes
                    ],
                }
            }
        )
    return slots


def _link(base: str, params: dict[str, str]) -> str:
    query = urlencode(params)
    return f"{base}?{query}" if query else base


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    selected: bool
    url: str


def _facet_groups(
    base: str, q: str, sort: Sort, results: SearchResults
) -> list[dict[str, Any]]:
    """Each facet as links that toggle its value (the page resets to 1)."""
    params = results.filters.to_params()
    if q:
        params["q"] = q
    if sort != "relevance":
        params["sort"] = sort

    def links(name: str, values: Any) -> list[FacetLink]:
        out = []
        for value in values:
            toggled = dict(params)
            if value.selected:
                toggled.pop(name, None)
            else:
                toggled[name] = value.value
            out.append(
                FacetLink(
                    value.label, value.count, value.selected, _link(base, toggled)
                )
            )
        return out

    facets = results.facets
    groups: list[dict[str, Any]] = [
        {
            "key": "category",
            "title": _("Category"),
            "links": links("category", facets.category),
        },
        {"key": "member", "title": _("Maker"), "links": links("member", facets.member)},
        {
            "key": "region",
            "title": _("Region of origin"),
            "links": links("region", facets.region),
        },
        {
            "key": "price",
            "title": _("Price"),
            "links": links("price", facets.price_band),
        },
        {
            "key": "credential",
            "title": _("Verified credential"),
            "links": links("credential", facets.credential),
        },
    ]
    groups.extend(
        {
            "key": attribute.param,
            "title": attribute.label,
            "links": links(attribute.param, attribute.values),
        }
        for attribute in facets.attributes
    )
    stock = dict(params)
    if results.filters.in_stock:
        stock.pop("in_stock", None)
    else:
        stock["in_stock"] = "1"
    groups.append(
        {
            "key": "in_stock",
            "title": _("Availability"),
            "links": [
                FacetLink(
                    _("In stock"),
                    facets.in_stock,
                    results.filters.in_stock,
                    _link(base, stock),
                )
            ],
        }
    )
    return [group for group in groups if group["links"]]


def _paging(base: str, q: str, sort: Sort, results: SearchResults) -> dict[str, str]:
    params = results.filters.to_params()
    if q:
        params["q"] = q
    if sort != "relevance":
        params["sort"] = sort
    pages: dict[str, str] = {}
    if results.has_previous:
        pages["previous"] = _link(base, {**params, "page": str(results.page - 1)})
    if results.has_next:
        pages["next"] = _link(base, {**params, "page": str(results.page + 1)})
    return pages


def _results_context(
    request: HttpRequest,
    base: str,
    cluster: Cluster | None,
    *,
    show_clusters: bool = False,
) -> dict[str, Any]:
    q = _query(request)
    sort = _sort(request)
    filters = ProductFilters.from_params(request.GET)
    results = search_products(
        query=q,
        cluster=cluster,
        filters=filters,
        sort=sort,
        page=_page(request),
        per_page=PER_PAGE,
    )
    groups = _facet_groups(base, q, sort, results)
    cards_html = _cards_html(request, results, cluster, show_clusters=show_clusters)
    empty: dict[str, Any] = {}
    if results.total == 0:
        empty = _empty_state(base, q, cluster, results)
    return {
        **empty,
        "q": q,
        "sort": sort,
        "sorts": [(key, SORT_LABELS[key]) for key in SORTS],
        "results": results,
        "cards_html": cards_html,
        "slots": _slots(results, cluster, cards_html),
        "facet_groups": groups,
        "chips": [
            {"group": group["title"], "label": link.label, "url": link.url}
            for group in groups
            for link in group["links"]
            if link.selected
        ],
        "paging": _paging(base, q, sort, results),
        "filter_params": filters.to_params(),
        "filtered": bool(filters.to_params() or q),
        "base": base,
        "max_query_length": MAX_QUERY_LENGTH,
    }


def _empty_state(
    base: str, q: str, cluster: Cluster | None, results: SearchResults
) -> dict[str, Any]:
    """What a search that found nothing offers instead: its words corrected ("Did
    you mean …?", without the filters that left nothing, when that finds
    products), the categories whose names match its words and the most stocked
    ones (as the category facet's links), and the whole shop."""
    did_you_mean: dict[str, Any] | None = None
    suggested = results.suggested_query
    if suggested and suggested != q:
        found = search_products(query=suggested, cluster=cluster, per_page=1)
        if found.total:
            did_you_mean = {
                "query": suggested,
                "url": _link(base, {"q": suggested}),
                "count": found.total,
            }
    suggestions = search_suggestions(query=q, cluster=cluster)

    def links(items: tuple[CategorySuggestion, ...]) -> list[FacetLink]:
        return [
            FacetLink(
                item.name, item.count, False, _link(base, {"category": item.slug})
            )
            for item in items
        ]

    return {
        "did_you_mean": did_you_mean,
        "matching_categories": links(suggestions.categories),
        "popular_categories": links(suggestions.popular),
    }


def _results_html(
    request: HttpRequest, base: str, cluster: Cluster | None, *, show_clusters: bool
) -> str:
    """The results fragment (form, count, facets, cards, paging): cached by the
    catalogue version (``purei.search.cache``), else searched and rendered."""

    def fresh() -> str:
        context = _results_context(request, base, cluster, show_clusters=show_clusters)
        context["show_clusters"] = show_clusters
        return render_to_string("catalogue/public/_results.html", context, request)

    # Rendered from our own templates (escaped there), cached as text.
    return mark_safe(cached_results(request, fresh))  # noqa: S308


def _render_results(
    request: HttpRequest, context: dict[str, Any], page: str
) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        response = HttpResponse(context["results_html"])
    else:
        response = render(request, page, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@replica_reads_view
@page_cached
def shop_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    base = reverse("catalogue:shop", kwargs={"slug": cluster.slug})
    context = {
        "cluster": cluster,
        "q": _query(request),
        "results_html": _results_html(request, base, cluster, show_clusters=False),
    }
    return _render_results(request, context, "catalogue/public/shop.html")


@require_GET
@replica_reads_view
@page_cached
def search_view(request: HttpRequest) -> HttpResponse:
    base = reverse("catalogue:search")
    context = {
        "q": _query(request),
        "results_html": _results_html(request, base, None, show_clusters=True),
    }
    return _render_results(request, context, "catalogue/public/search.html")


def featured_cards(cluster: Cluster) -> list[dict[str, Any]]:
    """What the cluster home shows of each featured product (the selection is
    ``product_list_featured``'s)."""
    return [
        {
            "product": card.product,
            "image": card.image,
            "price": format_nzd(card.lowest_price_cents),
            "prices_differ": card.prices_differ,
            "url": product_path(
                cluster.slug, card.product.member.slug, card.product.slug
            ),
            "lazy": index >= EAGER_CARDS,
        }
        for index, card in enumerate(product_list_featured(cluster=cluster))
    ]


def _json_ld(data: dict[str, Any]) -> SafeString:
    """JSON for a ``<script type="application/ld+json">``: ``<``, ``>`` and ``&``
    escaped so nothing in it can close the script element."""
    text = (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return mark_safe(text)  # noqa: S308 - JSON with markup characters escaped


def _offer(product: Product, variant: Variant, url: str) -> dict[str, Any]:
    """One variant's schema.org ``Offer``. A "was" price above the price goes in
    as Google's merchant listings ask: a ``priceSpecification`` holding the price
    and the was price as a ``UnitPriceSpecification`` of ``priceType``
    ``StrikethroughPrice``."""
    price = format_cents(variant.price_cents)
    offer: dict[str, Any] = {
        "@type": "Offer",
        "sku": variant.sku,
        "name": variant.name or product.title_en,
        "price": price,
        "priceCurrency": "NZD",
        "availability": _availability(variant),
        "url": url,
    }
    if variant.is_reduced and variant.compare_at_cents is not None:
        offer["priceSpecification"] = [
            {
                "@type": "UnitPriceSpecification",
                "price": price,
                "priceCurrency": "NZD",
            },
            {
                "@type": "UnitPriceSpecification",
                "priceType": "https://schema.org/StrikethroughPrice",
                "price": format_cents(variant.compare_at_cents),
                "priceCurrency": "NZD",
            },
        ]
    return offer


def _product_json_ld(
    product: Product, variants: list[Variant], image_urls: list[str], url: str
) -> SafeString:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.title_en,
        "description": product.description_en,
        "url": url,
        "category": product.category.name_en,
        "brand": {"@type": "Brand", "name": product.member.name},
        "offers": [_offer(product, variant, url) for variant in variants],
    }
    if image_urls:
        data["image"] = image_urls
    if product.maker:
        data["creator"] = {"@type": "Person", "name": product.maker}
    return _json_ld(data)


def _delivery_region(request: HttpRequest) -> str:
    """The region code the shopper asked delivery to (``?region=NZ-WGN``), as
    typed but bounded; the delivery estimate ignores a code it does not know."""
    return str(request.GET.get("region", "")).strip().upper()[:MAX_REGION_CODE]


def _related_cards(cluster: Cluster, related: list[FeaturedProduct]) -> list[Card]:
    """The shared product card (``_card.html``) for each related product."""
    cards = []
    for item in related:
        product, member = item.product, item.product.member
        gst_registered = member.gst_registered
        if cluster.selling_model == SellingModel.RESELLER:
            gst_registered = cluster.lead_org_gst_registered
        hit = SearchHit(
            product_id=product.pk,
            slug=product.slug,
            member_slug=member.slug,
            member_name=member.name,
            score=0.0,
            title_html=conditional_escape(product.title),
            snippet_html=SafeString(""),
            price_cents=item.lowest_price_cents,
            in_stock=True,
            clusters=(),
        )
        cards.append(
            Card(
                hit=hit,
                price=format_nzd(item.lowest_price_cents),
                image=item.image,
                url=product_path(cluster.slug, member.slug, product.slug),
                lazy=True,
                restricted=product.is_restricted,
                gst_registered=gst_registered,
                prices_differ=item.prices_differ,
            )
        )
    return cards


# The product page's static parts (``_product_static.html``), in page order.
STATIC_PARTS = ("gallery", "heading", "credentials", "about", "provenance", "related")


def _product_static(
    request: HttpRequest, cluster: Cluster, product: Product
) -> dict[str, Any]:
    """The product page's static parts, rendered, with its photos' share URLs
    and the first photo's text: from the cache while the catalogue version is
    the same (every change to the product, its options, photos, listings,
    maker, credentials, and to what is related to it, raises it), else read
    (``product_page_static``: three queries) and rendered. Nothing live is in
    them: prices and stock, the cart, the CSRF token, sales windows, delivery and
    reviews are the page's own."""

    def fresh() -> dict[str, Any]:
        found = product_page_static(cluster=cluster, product=product)
        images = found.images
        context = {
            "cluster": cluster,
            "product": product,
            "member": product.member,
            "images": images,
            "credentials": found.credentials,
            "licences": found.licences,
            "related_maker": _related_cards(cluster, found.related.same_maker),
            "related_category": _related_cards(cluster, found.related.same_category),
        }
        parts: dict[str, Any] = {
            name: render_to_string(
                f"catalogue/public/_product_static.html#{name}", context, request
            )
            for name in STATIC_PARTS
        }
        parts["image_urls"] = [
            request.build_absolute_uri(image.share_url) for image in images
        ]
        parts["first_alt"] = images[0].alt_text if images else ""
        return parts

    # The host: links differ on the cluster's own domain (cluster_path), and
    # the photos' share URLs are absolute.
    found = cached_fragment(
        ("product-static", cluster.pk, product.pk, request.get_host()), fresh
    )
    # Rendered from our own templates (escaped there), cached as text.
    return {
        **found,
        **{name: mark_safe(found[name]) for name in STATIC_PARTS},  # noqa: S308
    }


@require_GET
@replica_reads_view
@page_cached
def product_view(
    request: HttpRequest, slug: str, member_slug: str, product_slug: str
) -> HttpResponse:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    product = product_get_public(
        cluster=cluster,
        member_slug=member_slug,
        product_slug=product_slug,
        with_details=False,
    )
    member = product.member
    # Live: the options' prices and stock (read on every request).
    variants = list(product.variants.all())
    shows_stock(request, variants)
    static = _product_static(request, cluster, product)
    url = request.build_absolute_uri(
        product_path(cluster.slug, member.slug, product.slug)
    )
    rows = [
        {
            "variant": variant,
            "price": format_nzd(variant.price_cents),
            "was": format_nzd(variant.compare_at_cents) if variant.is_reduced else "",
            "stock": stock_text(variant),
            "fresh": variant.cold_chain_mark
            or variant.harvested_on
            or variant.best_before,
        }
        for variant in variants
    ]
    # The buy box's price: the lowest of what can be bought now ("from" it
    # when the options differ in price), else of every option.
    buyable = [variant for variant in variants if variant.in_stock] or variants
    prices = {variant.price_cents for variant in buyable}
    # "Was" beside the buy box's price: the highest was price of the options at
    # that price, while it is above it.
    was = [
        v.compare_at_cents
        for v in buyable
        if v.is_reduced and v.compare_at_cents and v.price_cents == min(prices)
    ]
    image_urls = static["image_urls"]
    context = {
        "any_fresh": any(row["fresh"] for row in rows),
        "buy_price": format_nzd(min(prices)) if prices else "",
        "buy_prices_differ": len(prices) > 1,
        "buy_was": format_nzd(max(was)) if was else "",
        "buy_stock": stock_text(buyable[0]) if buyable else "",
        "delivery_region": _delivery_region(request),
        "cluster": cluster,
        "product": product,
        "member": member,
        "static": static,
        "variants": rows,
        "canonical_url": url,
        "og_image": image_urls[0] if image_urls else "",
        "json_ld": _product_json_ld(product, variants, image_urls, url),
    }
    return render(request, "catalogue/public/product.html", context)


# --- The cluster's home: its storefront ---------------------------------------------


def _cluster_storefront(request: HttpRequest, cluster: Cluster) -> str:
    """The cluster home's featured products and strip of members, rendered: from
    the cache while the catalogue version is the same (every product, listing,
    membership or member change raises it), else read from the shelf and the
    members (six queries) and rendered."""

    def fresh() -> str:
        members = member_list_public(cluster=cluster)
        context = {
            "cluster": cluster,
            "featured": featured_cards(cluster),
            "member_strip": members.members[:MEMBER_STRIP_COUNT],
            "member_count": members.count,
        }
        return render_to_string(
            "catalogue/public/_cluster_storefront.html", context, request
        )

    # The host: links differ on the cluster's own domain (cluster_path).
    return cached_fragment(
        ("cluster-storefront", cluster.pk, request.get_host()), fresh
    )


@require_GET
@replica_reads_view
@page_cached
def cluster_home_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    context = {
        "cluster": cluster,
        "regions": list(cluster.regions.all()),
        "type_explanation": TYPE_EXPLANATIONS.get(cluster.type, ""),
        # Rendered from our own templates (escaped there), cached as text.
        "storefront": mark_safe(_cluster_storefront(request, cluster)),  # noqa: S308
    }
    return render(request, "clusters/directory/home.html", context)

"""Reviews in pages other apps own, each one tag of ours, so the catalogue and
orders (below marketing) never import it (docs/marketing.md "Reviews"):

- ``{% product_json_ld json_ld cluster product %}``: the catalogue's ``Product``
  JSON-LD with ``aggregateRating`` and ``review`` added when the product has
  approved reviews in the cluster (nothing invented: no reviews, no rating);
- ``{% product_reviews cluster product %}``: the product page's Reviews section;
- ``{% review_links order fulfilment lines %}``: "Review" links on the shopper's
  order page for the items of a part that was delivered or collected.

The first two share one query per page (``product_rating``, cached on the
product for the request); the third reads no database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from purei.clusters.models import Cluster
from purei.marketing.review_selectors import RECEIVED, ProductRating, product_rating
from purei.marketing.schema import json_ld as as_json_ld

register = template.Library()

_CACHE = "_marketing_rating"
# How many reviews the JSON-LD carries (the page shows more).
IN_JSON_LD = 5


def rating_of(cluster: Cluster, product: Any) -> ProductRating:
    """The product's rating in ``cluster``, read once per product object."""
    cached = getattr(product, _CACHE, None)
    if isinstance(cached, ProductRating):
        return cached
    rating = product_rating(cluster=cluster, product_id=product.pk)
    setattr(product, _CACHE, rating)
    return rating


def rating_json_ld(rating: ProductRating) -> dict[str, Any]:
    """schema.org ``aggregateRating`` and ``review`` for a product's JSON-LD
    (empty when there are no approved reviews)."""
    if not rating.count or rating.average is None:
        return {}
    return {
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": rating.average_text,
            "reviewCount": rating.count,
            "bestRating": 5,
            "worstRating": 1,
        },
        "review": [
            {
                "@type": "Review",
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": review.stars,
                    "bestRating": 5,
                    "worstRating": 1,
                },
                "author": {"@type": "Person", "name": review.author_name},
                "datePublished": review.published_at.date().isoformat()
                if review.published_at
                else "",
                "reviewBody": review.body,
            }
            for review in rating.reviews[:IN_JSON_LD]
        ],
    }


@register.simple_tag
def product_json_ld(json_ld: Any, cluster: Cluster, product: Any) -> SafeString:
    """The catalogue's ``Product`` (the text of its JSON-LD script) with the
    ratings added."""
    extra = rating_json_ld(rating_of(cluster, product))
    if not extra:
        return SafeString(str(json_ld))
    data = json.loads(str(json_ld))
    data.update(extra)
    return as_json_ld(data)


@register.simple_tag(takes_context=True)
def product_reviews(
    context: template.Context, cluster: Cluster, product: Any
) -> SafeString:
    """The Reviews section of a product page: the average, the count and the
    newest reviews with the maker's replies."""
    request = context.get("request")
    return SafeString(
        render_to_string(
            "marketing/reviews/_product_reviews.html",
            {
                "cluster": cluster,
                "product": product,
                "rating": rating_of(cluster, product),
            },
            request=request,
        )
    )


def _line(entry: Any) -> Any:
    return entry.get("line") if isinstance(entry, dict) else entry


@register.simple_tag(takes_context=True)
def review_links(
    context: template.Context, order: Any, fulfilment: Any, lines: Iterable[Any]
) -> SafeString:
    """Links to review each product of a received part, for its buyer only."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if (
        user is None
        or not user.is_authenticated
        or order.customer_id != user.pk
        or fulfilment.status not in RECEIVED
    ):
        return SafeString("")
    cluster = context.get("cluster")
    slug = getattr(cluster, "slug", "") if cluster is not None else ""
    if not slug:
        return SafeString("")
    seen: set[int] = set()
    links = []
    for entry in lines or []:
        line = _line(entry)
        product_id = getattr(line, "product_id", None)
        if product_id is None or product_id in seen or line.live_quantity < 1:
            continue
        seen.add(product_id)
        links.append(
            {
                "title": line.title,
                "url": reverse(
                    "marketing:review-write",
                    kwargs={"slug": slug, "product_id": product_id},
                ),
            }
        )
    if not links:
        return SafeString("")
    return SafeString(
        render_to_string(
            "marketing/reviews/_review_links.html",
            {"links": links, "fulfilment": fulfilment},
            request=request,
        )
    )

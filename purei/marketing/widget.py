"""The embeddable widget: a member's public products in one cluster, to show on the
member's own website (docs/marketing.md "Embedding your products").

Three ways, each reading ``showcase``:

- an ``<iframe>`` of ``/c/<slug>/members/<member>/embed/`` (a small page any site
  may frame: it has its own ``frame-ancestors``, and no script at all);
- a ``<div data-purei-products="…/embed.json">`` and our ``widget.js``, which
  builds the list from the JSON with DOM methods (no ``innerHTML``, no ``eval``,
  no inline script or style: it runs under a strict Content-Security-Policy that
  allows our host for scripts, connections and images);
- plain HTML made here for the member to paste (no script, no frame: a snapshot
  of today's products, to paste again when they change).

Only public data: the member must be approved in the live cluster
(``member_get_public``), and its products public there by the catalogue's rule
(``public_listings``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext as _

from purei.catalogue.models import ProductImage
from purei.catalogue.selectors import public_listings
from purei.clusters.models import Cluster
from purei.core.money import format_nzd
from purei.core.renditions import rendition_fallback, rendition_url
from purei.members.models import Member

from .addresses import ClusterSite, maker_rest, product_rest

DEFAULT_COUNT = 6
MAX_COUNT = 24
# The width a product's picture is shown at in the widget (CSS pixels); the
# narrowest rendition at least twice as wide is sent (sharp on dense screens).
PICTURE_WIDTH = 240
WIDGET_SCRIPT = "marketing/found/widget.js"


def count_from(value: object) -> int:
    """How many products to show, from a ``?count=`` parameter (1 to 24)."""
    try:
        return max(1, min(int(str(value)), MAX_COUNT))
    except ValueError:
        return DEFAULT_COUNT


@dataclass(frozen=True)
class ShowcasePicture:
    url: str
    alt: str
    width: int | None
    height: int | None


@dataclass(frozen=True)
class ShowcaseItem:
    """A product as the widget shows it."""

    title: str
    url: str  # absolute
    price: str  # "$24.50", or "" when it has no price
    prices_differ: bool  # "from" before the price
    in_stock: bool
    picture: ShowcasePicture | None

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "url": self.url,
            "price": self.price,
            "from": self.prices_differ,
            "in_stock": self.in_stock,
            "image": None
            if self.picture is None
            else {
                "src": self.picture.url,
                "alt": self.picture.alt,
                "width": self.picture.width,
                "height": self.picture.height,
            },
        }


def _picture(image: ProductImage | None, origin: str) -> ShowcasePicture | None:
    if image is None:
        return None
    rendition = rendition_fallback(list(image.renditions or []), PICTURE_WIDTH * 2)
    width: int | None
    height: int | None
    if rendition is not None:
        url, width, height = (
            rendition_url(rendition["jpeg"]),
            rendition["w"],
            rendition["h"],
        )
    else:
        url, width, height = image.image.url, image.width, image.height
    if not url.startswith(("https://", "http://")):
        url = f"{origin}{url}"
    return ShowcasePicture(url, image.alt_text, width, height)


def showcase(
    *, cluster: Cluster, member: Member, site: ClusterSite, count: int = DEFAULT_COUNT
) -> list[ShowcaseItem]:
    """The member's newest ``count`` products public in ``cluster`` (two
    queries: the listings with their products and number of prices, and their
    first photos). The member must already be known to be approved there."""
    listings = list(
        public_listings(cluster)
        .filter(product__member_id=member.pk)
        .select_related("product")
        .annotate(prices=Count("product__variants__price_cents", distinct=True))
        .order_by("-product__created_at", "-product_id")[:count]
    )
    ids = [listing.product_id for listing in listings]
    images: dict[int, ProductImage] = {}
    if ids:
        for image in ProductImage.objects.filter(product_id__in=ids).order_by(
            "product_id", "position", "pk"
        ):
            images.setdefault(image.product_id, image)
    items = []
    for listing in listings:
        product = listing.product
        items.append(
            ShowcaseItem(
                title=product.title,
                url=site.url(product_rest(member.slug, product.slug)),
                price=format_nzd(product.lowest_price_cents),
                prices_differ=listing.prices > 1,  # annotated
                in_stock=product.in_stock,
                picture=_picture(images.get(product.pk), site.origin),
            )
        )
    return items


@dataclass(frozen=True)
class Embed:
    """What every form of the widget shows: the member, the cluster, the link to
    all of the member's products, and the products."""

    cluster: Cluster
    member: Member
    cluster_url: str  # the cluster's home (absolute)
    maker_url: str  # the member's page in the cluster (absolute)
    items: list[ShowcaseItem]

    @property
    def more_text(self) -> str:
        return _("See all products from %(name)s at %(cluster)s") % {
            "name": self.member.name,
            "cluster": self.cluster.name,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "cluster": {"name": self.cluster.name, "url": self.cluster_url},
            "member": {"name": self.member.name, "url": self.maker_url},
            "products": [item.as_json() for item in self.items],
            "more": {"text": self.more_text, "url": self.maker_url},
            "labels": {"new_tab": _("(opens in a new tab)"), "from": _("from")},
        }


def embed_for(
    *, cluster: Cluster, member: Member, site: ClusterSite, count: int = DEFAULT_COUNT
) -> Embed:
    return Embed(
        cluster=cluster,
        member=member,
        cluster_url=site.url(),
        maker_url=site.url(maker_rest(member.slug)),
        items=showcase(cluster=cluster, member=member, site=site, count=count),
    )


def widget_script_url(origin: str) -> str:
    """Where a member's page loads ``widget.js`` from: its unhashed name, which
    stays the same from one release to the next (a pasted snippet keeps working)."""
    static = str(settings.STATIC_URL)
    base = static if static.startswith(("https://", "http://")) else f"{origin}{static}"
    return f"{base}{WIDGET_SCRIPT}"

"""schema.org JSON-LD for search engines: the cluster as an ``Organization`` on its
home, and a member as a ``LocalBusiness`` on its maker page when it says where it
is (a town, a region or coordinates; otherwise an ``Organization``). The product
page's ``Product`` is the catalogue's own.

Only what the page itself shows publicly. The JSON is escaped for a
``<script type="application/ld+json">`` element (``json_ld``): ``<``, ``>`` and
``&`` (and the JavaScript line separators) become ``\\u`` escapes, so no text in
it can close the element, as ``json_script`` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from purei.clusters.models import Cluster, Region
from purei.core.renditions import Picture, rendition_up_to, rendition_url
from purei.members.models import Member

from .addresses import ClusterSite, maker_rest

CONTEXT = "https://schema.org"
DESCRIPTION_WORDS = 60
_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def json_ld(data: dict[str, Any]) -> SafeString:
    """``data`` as the text of a ``<script type="application/ld+json">``."""
    text = json.dumps(data, ensure_ascii=False).translate(_ESCAPES)
    return mark_safe(text)  # noqa: S308 - JSON with every markup character escaped


def _absolute(origin: str, url: str) -> str:
    return url if url.startswith(("https://", "http://")) else f"{origin}{url}"


def picture_url(picture: Picture | None, origin: str) -> str:
    """The absolute address of a picture's share-sized JPEG (else the original)."""
    if picture is None:
        return ""
    rendition = rendition_up_to(picture.renditions)
    url = rendition_url(rendition["jpeg"]) if rendition else picture.image.url
    return _absolute(origin, url)


def _summary(text: str) -> str:
    return Truncator(" ".join(strip_tags(text).split())).words(DESCRIPTION_WORDS)


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def organization_id(site: ClusterSite) -> str:
    return f"{site.url()}#organization"


def cluster_organization(
    cluster: Cluster,
    site: ClusterSite,
    *,
    regions: Iterable[Region] = (),
    same_as: Iterable[str] = (),
) -> dict[str, Any]:
    """The cluster as a schema.org ``Organization``: its names, home, story,
    logo, regions and its other addresses (``same_as``: its own domain's home
    when the page is on Pūrei's host, and the other way round)."""
    return _without_empty(
        {
            "@context": CONTEXT,
            "@type": "Organization",
            "@id": organization_id(site),
            "name": cluster.name_en,
            "alternateName": cluster.name_mi
            if cluster.name_mi and cluster.name_mi != cluster.name_en
            else "",
            "url": site.url(),
            "description": cluster.tagline or _summary(cluster.story),
            "logo": picture_url(cluster.logo_picture, site.origin),
            "image": picture_url(cluster.hero_picture, site.origin),
            "areaServed": [
                {"@type": "AdministrativeArea", "name": region.name_en}
                for region in regions
            ],
            "sameAs": list(same_as),
        }
    )


def has_place(member: Member) -> bool:
    """Whether the member says where it is (a town, a region or coordinates)."""
    coordinates = member.latitude is not None and member.longitude is not None
    return bool(member.town or member.region_id or coordinates)


def member_business(
    member: Member, cluster: Cluster, site: ClusterSite
) -> dict[str, Any]:
    """The member as a schema.org ``LocalBusiness`` with its address (town and
    region, New Zealand) and coordinates when it has a place; else as an
    ``Organization``. It is a member of the cluster's ``Organization``."""
    url = site.url(maker_rest(member.slug))
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "LocalBusiness" if has_place(member) else "Organization",
        "@id": f"{url}#business",
        "name": member.name,
        "legalName": member.legal_name if member.legal_name != member.name else "",
        "url": url,
        "description": _summary(member.story_html or member.story),
        "logo": picture_url(member.logo_picture, site.origin),
        "telephone": member.phone,
        "email": member.email,
        "sameAs": [member.website] if member.website else [],
        "memberOf": {
            "@type": "Organization",
            "@id": organization_id(site),
            "name": cluster.name_en,
            "url": site.url(),
        },
    }
    if has_place(member):
        region = member.region
        data["image"] = data["logo"]
        data["address"] = _without_empty(
            {
                "@type": "PostalAddress",
                "addressLocality": member.town,
                "addressRegion": region.name_en if region else "",
                "addressCountry": "NZ",
            }
        )
        if member.latitude is not None and member.longitude is not None:
            data["geo"] = {
                "@type": "GeoCoordinates",
                # Degrees, as the page's map has them (not money: a float is fine).
                "latitude": float(member.latitude),
                "longitude": float(member.longitude),
            }
    return _without_empty(data)

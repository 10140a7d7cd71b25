"""``{% picture image sizes="…" lazy=True css_class="…" alt="…" priority=True %}``:
a stored picture as a ``<picture>`` with a WebP ``<source>`` and a JPEG ``<img>``
fallback. Every ``<img>`` on Pūrei's pages comes from here.

``image`` is any object with ``renditions`` (see ``purei.core.renditions``),
``image`` (the original file), ``width``, ``height`` and ``alt_text``: a product's
or a member's photo, or the ``Picture`` of a logo or a hero
(``cluster.logo_picture``, ``cluster.hero_picture``, ``member.logo_picture``).
``alt`` replaces its description (``alt=""`` for a logo beside the name it shows).
The ``<img>`` carries the width and height of its fallback rendition, so the page
keeps the space for it before it loads; ``loading="lazy"`` only when ``lazy`` is
true (pictures below the fold), ``fetchpriority="high"`` when ``priority`` is
(the one picture that is the page's largest paint, e.g. a cluster's hero). Without
renditions (rows made before them, until ``purei images_render``) it is an ``<img>``
of the original with its own size as its one ``srcset`` candidate.

Nothing here opens or stats a file: URLs come from stored names and ``MEDIA_URL``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from purei.core.renditions import (
    FALLBACK_WIDTH,
    rendition_fallback,
    rendition_url,
    srcset,
)

register = template.Library()

DEFAULT_SIZES = "100vw"


def _loading(lazy: bool) -> SafeString | str:
    return format_html(' loading="{}"', "lazy") if lazy else ""


def _class(css_class: str) -> SafeString | str:
    return format_html(' class="{}"', css_class) if css_class else ""


def _attributes(lazy: bool, priority: bool, css_class: str) -> SafeString:
    loading = format_html(' loading="{}"', "lazy") if lazy and not priority else ""
    fetch = format_html(' fetchpriority="{}"', "high") if priority else ""
    return format_html(
        '{}{} decoding="async"{}',
        loading,
        fetch,
        format_html(' class="{}"', css_class) if css_class else "",
    )


def _plain(image: Any, sizes: str, alt: str, attributes: SafeString) -> SafeString:
    url = image.image.url
    width, height = getattr(image, "width", None), getattr(image, "height", None)
    size: SafeString | str = ""
    if width and height:
        size = format_html(
            ' srcset="{} {}w" sizes="{}" width="{}" height="{}"',
            url,
            width,
            sizes,
            width,
            height,
        )
    return format_html('<img src="{}"{} alt="{}"{}>', url, size, alt, attributes)


@register.simple_tag
def picture(
    image: Any,
    sizes: str = DEFAULT_SIZES,
    lazy: bool = False,
    css_class: str = "",
    fallback_width: int = FALLBACK_WIDTH,
    alt: str | None = None,
    priority: bool = False,
) -> SafeString:
    if not image:
        return SafeString("")
    sizes = sizes or DEFAULT_SIZES
    alt_text = image.alt_text if alt is None else alt
    attributes = _attributes(bool(lazy), bool(priority), css_class)
    renditions = list(getattr(image, "renditions", None) or [])
    fallback = rendition_fallback(renditions, fallback_width)
    if fallback is None:
        return _plain(image, sizes, alt_text, attributes)
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"'
        "{}></picture>",
        srcset(renditions, "webp"),
        sizes,
        rendition_url(fallback["jpeg"]),
        srcset(renditions, "jpeg"),
        sizes,
        fallback["w"],
        fallback["h"],
        alt_text,
        attributes,
    )

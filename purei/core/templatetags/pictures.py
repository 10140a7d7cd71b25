"""``{% picture image sizes="…" lazy=True css_class="…" %}``: a stored photo as a
``<picture>`` with a WebP ``<source>`` and a JPEG ``<img>`` fallback.

``image`` is any object with ``renditions`` (see ``purei.core.renditions``),
``image`` (the original file), ``width``, ``height`` and ``alt_text``: a product's
photo today, a member's photo later. The ``<img>`` carries the width and height of
its fallback rendition, so the page keeps the space for it before it loads, and
``loading="lazy"`` only when ``lazy`` is true (photos below the fold). Without
renditions (rows made before them) it is a plain ``<img>`` of the original.

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


def _plain(image: Any, lazy: bool, css_class: str) -> SafeString:
    size: SafeString | str = ""
    if getattr(image, "width", None) and getattr(image, "height", None):
        size = format_html(' width="{}" height="{}"', image.width, image.height)
    return format_html(
        '<img src="{}"{} alt="{}"{} decoding="async"{}>',
        image.image.url,
        size,
        image.alt_text,
        _loading(lazy),
        _class(css_class),
    )


@register.simple_tag
def picture(
    image: Any,
    sizes: str = DEFAULT_SIZES,
    lazy: bool = False,
    css_class: str = "",
    fallback_width: int = FALLBACK_WIDTH,
) -> SafeString:
    if not image:
        return SafeString("")
    renditions = list(getattr(image, "renditions", None) or [])
    fallback = rendition_fallback(renditions, fallback_width)
    if fallback is None:
        return _plain(image, bool(lazy), css_class)
    sizes = sizes or DEFAULT_SIZES
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"'
        '{} decoding="async"{}></picture>',
        srcset(renditions, "webp"),
        sizes,
        rendition_url(fallback["jpeg"]),
        srcset(renditions, "jpeg"),
        sizes,
        fallback["w"],
        fallback["h"],
        image.alt_text,
        _loading(bool(lazy)),
        _class(css_class),
    )

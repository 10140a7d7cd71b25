"""A cluster's brand colours, checked with WCAG 2.x contrast (relative luminance,
1:1 to 21:1): white text must be readable on the brand colour (buttons, the
header) and the accent must be readable as text on white and on the page
background. The brand reaches the cluster's pages through ``/c/<slug>/brand.css``
(custom properties, no inline styles: the Content-Security-Policy forbids them).
"""

from __future__ import annotations

import math
import re

from django.utils.translation import gettext as _

from .models import Cluster

# --- Contrast (WCAG 2.x) -----------------------------------------------------------

WHITE = "#ffffff"
PAGE_BACKGROUND = "#f7f5f0"  # --color-bg in purei.css
DEFAULT_BRAND = "#0b5d4b"  # --color-brand in purei.css
FOCUS_RING = "#1d4ed8"  # --color-focus in purei.css
FOCUS_RING_ON_BRAND = WHITE  # --color-focus-on-brand in purei.css
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.x AA, normal-size text
MIN_FOCUS_CONTRAST = 3.0  # WCAG 2.x 1.4.11, user-interface components
HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def parse_hex(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` → (r, g, b); ValueError for anything else."""
    colour = colour.strip().lower()
    if not HEX_COLOUR.match(colour):
        raise ValueError(colour)
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``: 0 (black) to 1 (white)."""
    r, g, b = parse_hex(colour)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def ratio_label(ratio: float) -> str:
    """A ratio as people read it ("4.4"), rounded down so a failing ratio never
    reads as passing."""
    return f"{math.floor(ratio * 10) / 10:.1f}"


def focus_pairs(primary: str = "") -> list[tuple[str, str, str, float]]:
    """Where the focus ring can sit on a cluster's pages, as (where, ring,
    background, contrast): on the page background and on white cards (the
    design system's blue ring), and on the header in the brand colour (a ring in
    the brand's contrast colour). Each must reach ``MIN_FOCUS_CONTRAST``; with a
    brand colour that passes ``brand_errors`` the header's reaches 4.5:1."""
    brand = primary.strip().lower() if primary and HEX_COLOUR.match(primary) else ""
    brand = brand or DEFAULT_BRAND
    pairs = [
        ("page", FOCUS_RING, PAGE_BACKGROUND),
        ("card", FOCUS_RING, WHITE),
        ("header", FOCUS_RING_ON_BRAND, brand),
    ]
    return [(w, ring, bg, contrast_ratio(ring, bg)) for w, ring, bg in pairs]


def _numbers(colour: str, ratio: float, background: str = "") -> dict[str, str]:
    return {
        "colour": colour,
        "ratio": ratio_label(ratio),
        "minimum": f"{MIN_TEXT_CONTRAST:.1f}",
        "background": background,
    }


def colour_format_errors(colour: str) -> list[str]:
    if colour and not HEX_COLOUR.match(colour):
        return [
            _(
                "Give a colour as # followed by six hexadecimal digits, e.g. "
                "#0b5d4b (you gave “%(value)s”)."
            )
            % {"value": colour}
        ]
    return []


def brand_errors(primary: str, accent: str) -> dict[str, list[str]]:
    """Field → messages for brand colours that are malformed or too low in contrast.

    Empty colours are fine: the design system's own colours are used. The
    messages name the measured ratio and the minimum.
    """
    errors: dict[str, list[str]] = {}
    primary, accent = primary.strip().lower(), accent.strip().lower()
    for field, colour in (("colour_primary", primary), ("colour_accent", accent)):
        if format_errors := colour_format_errors(colour):
            errors[field] = format_errors
    if primary and "colour_primary" not in errors:
        ratio = contrast_ratio(primary, WHITE)
        link_ratio = contrast_ratio(primary, PAGE_BACKGROUND)
        if ratio < MIN_TEXT_CONTRAST:
            errors["colour_primary"] = [
                _(
                    "White text on %(colour)s has a contrast of %(ratio)s:1; it "
                    "needs at least %(minimum)s:1 — choose a darker colour."
                )
                % _numbers(primary, ratio)
            ]
        elif link_ratio < MIN_TEXT_CONTRAST:
            # Links are drawn in the brand colour on the page background.
            errors["colour_primary"] = [
                _(
                    "Links in %(colour)s on the page background (%(background)s) "
                    "have a contrast of %(ratio)s:1; they need at least "
                    "%(minimum)s:1 — choose a darker colour."
                )
                % _numbers(primary, link_ratio, PAGE_BACKGROUND)
            ]
    if accent and "colour_accent" not in errors:
        messages = []
        ratio = contrast_ratio(accent, WHITE)
        if ratio < MIN_TEXT_CONTRAST:
            messages.append(
                _(
                    "Text in %(colour)s on white (%(background)s) has a contrast "
                    "of %(ratio)s:1; it needs at least %(minimum)s:1 — choose a "
                    "darker colour."
                )
                % _numbers(accent, ratio, WHITE)
            )
        ratio = contrast_ratio(accent, PAGE_BACKGROUND)
        if ratio < MIN_TEXT_CONTRAST:
            messages.append(
                _(
                    "Text in %(colour)s on the page background (%(background)s) "
                    "has a contrast of %(ratio)s:1; it needs at least "
                    "%(minimum)s:1 — choose a darker colour."
                )
                % _numbers(accent, ratio, PAGE_BACKGROUND)
            )
        if messages:
            errors["colour_accent"] = messages
    return errors


def brand_css(cluster: Cluster) -> str:
    """The cluster's colours as the design system's custom properties."""
    lines = []
    if cluster.colour_primary and HEX_COLOUR.match(cluster.colour_primary):
        lines.append(f"  --color-brand: {cluster.colour_primary};")
        lines.append(f"  --color-brand-contrast: {WHITE};")
        lines.append(f"  --color-focus-on-brand: {FOCUS_RING_ON_BRAND};")
    if cluster.colour_accent and HEX_COLOUR.match(cluster.colour_accent):
        lines.append(f"  --color-accent: {cluster.colour_accent};")
        lines.append(f"  --color-accent-contrast: {WHITE};")
    body = "\n".join(lines)
    return (
        f"/* Brand of {cluster.slug}: checked for WCAG AA contrast. */\n"
        f":root {{\n{body}\n}}\n"
    )

"""A cluster's brand: colours that stay readable, images, names, its own domain.

Colours are checked with WCAG 2.x contrast (relative luminance, 1:1 to 21:1): white
text must be readable on the brand colour (buttons, the header) and the accent must
be readable as text on white and on the page background. The brand reaches the
cluster's pages through ``/c/<slug>/brand.css`` (custom properties, no inline
styles: the Content-Security-Policy forbids them).
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.csv_safe import (
    FORMULA_START_CODE,
    formula_start_message,
    starts_like_formula,
)
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.images import UploadRejected, picture_clean
from purei.core.validators import FormatError, ird_number_normalise
from purei.search.shelf import cluster_changed

from .models import Cluster, SellingModel
from .search import cluster_search_text_refresh

# --- Contrast (WCAG 2.x) -----------------------------------------------------------

WHITE = "#ffffff"
PAGE_BACKGROUND = "#f7f5f0"  # --color-bg in purei.css
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.x AA, normal-size text
HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")


class BrandErrorCode(StrEnum):
    INVALID_BRAND = "invalid_brand"
    # A name starts with =, +, - or @, which spreadsheets run as a formula.
    FORMULA_START = FORMULA_START_CODE
    LOW_CONTRAST = "low_contrast"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"


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


# --- Images ------------------------------------------------------------------------
# Checked and cleaned by the members app's picture rules (type from the content,
# size, dimensions; resized; metadata stripped).

LOGO_FIT, LOGO_MIN_SIDE = 800, 64
HERO_FIT, HERO_MIN_SIDE = 2400, 300


def _picture(
    upload: UploadedFile[bytes], *, fit: int, min_side: int
) -> tuple[ContentFile[bytes] | None, list[str]]:
    try:
        clean = picture_clean(upload, fit=fit, min_side=min_side)
    except UploadRejected as exc:
        return None, [exc.message]
    return clean.content, []


# --- Own domain ---------------------------------------------------------------------

HOSTNAME = re.compile(
    r"^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$"
)


def platform_hosts() -> frozenset[str]:
    """Host names Pūrei itself answers on: never a cluster's own domain."""
    site_host = (urlsplit(settings.SITE_URL).hostname or "").lower()
    return frozenset(
        {site_host, "localhost", "127.0.0.1", "::1", "[::1]", "testserver"} - {""}
    )


def domain_normalise(value: str) -> str:
    """Lower-case, without a trailing dot; an internationalised name in punycode."""
    value = value.strip().lower().rstrip(".")
    if value and not value.isascii():
        try:
            value = value.encode("idna").decode("ascii")
        except UnicodeError:
            return value
    return value


def domain_errors(domain: str, *, cluster: Cluster | None = None) -> list[str]:
    """What is wrong with ``domain`` (already normalised) as a cluster's own domain."""
    if not domain:
        return []
    if _is_ip(domain.strip("[]")):
        return [_("Give a domain name, not an IP address.")]
    if "/" in domain or ":" in domain:
        return [
            _(
                "Give only the host name, e.g. shop.marlboroughwine.nz — no https://, "
                "port or path."
            )
        ]
    if domain in platform_hosts() or domain.endswith(".localhost"):
        return [_("That is Pūrei's own address; give your cluster's own domain.")]
    if not HOSTNAME.match(domain):
        return [
            _(
                "“%(domain)s” is not a valid domain name; it looks like "
                "shop.marlboroughwine.nz."
            )
            % {"domain": domain}
        ]
    taken = Cluster.objects.filter(domain=domain)
    if cluster is not None and cluster.pk:
        taken = taken.exclude(pk=cluster.pk)
    if taken.exists():
        return [_("Another cluster already uses %(domain)s.") % {"domain": domain}]
    return []


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


# --- The brand service ------------------------------------------------------------

BRAND_TEXT_FIELDS = {
    "name_en": 120,
    "name_mi": 120,
    "tagline": 200,
    "story": 10_000,
    "hero_alt": 200,
}
BRAND_FIELDS = (
    "name_en",
    "name_mi",
    "tagline",
    "story",
    "logo",
    "hero_image",
    "hero_alt",
    "colour_primary",
    "colour_accent",
    "commission_rate",
    "join_requires_approval",
    "domain",
)
# Who sells and what the shop says about money (issue 6): changed by the same
# service, audited apart as ``cluster.money_updated``.
MONEY_FIELDS = (
    "selling_model",
    "lead_org_gst_registered",
    "lead_org_gst_number",
    "lead_org_address",
    "show_price_split",
)
LEAD_ORG_ADDRESS_MAX = 300
COMMISSION_STEP = Decimal("0.01")


def require_cluster_admin(actor: Actor, cluster: Cluster) -> None:
    """Platform staff, or an admin of this very cluster; NotPermitted otherwise."""
    if actor.is_platform_staff or actor.is_cluster_admin(cluster.pk):
        return
    raise NotPermitted(
        BrandErrorCode.NOT_CLUSTER_ADMIN,
        _("Only this cluster's admins can do this."),
    )


def _commission_from(value: Any) -> tuple[Decimal | None, list[str]]:
    message = _(
        "Give the commission as a percentage from 0 to 100 with at most two "
        "decimal places, e.g. 12.5."
    )
    if isinstance(value, bool) or value is None or value == "":
        return None, [message]
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None, [message]
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        return None, [message]
    if number != number.quantize(COMMISSION_STEP):
        return None, [message]
    return number.quantize(COMMISSION_STEP), []


def commission_from(value: Any) -> tuple[Decimal | None, list[str]]:
    """A commission rate as typed or sent: (the rate to two decimals, []) or
    (None, [message]) when it is not a percentage from 0 to 100."""
    return _commission_from(value)


def _add(errors: dict[str, list[str]], field: str, messages: list[str]) -> None:
    if messages:
        errors.setdefault(field, []).extend(messages)


def _apply_money(
    cluster: Cluster, data: Mapping[str, Any], errors: dict[str, list[str]]
) -> None:
    """Set the money settings present in ``data`` on ``cluster``, adding the
    messages for any at fault to ``errors``."""
    if "selling_model" in data:
        value = str(data["selling_model"] or "")
        if value in SellingModel.values:
            cluster.selling_model = value
        else:
            _add(
                errors,
                "selling_model",
                [
                    _(
                        "Choose who sells: each member as supplier, or the lead "
                        "organisation."
                    )
                ],
            )
    for field in ("lead_org_gst_registered", "show_price_split"):
        if field in data:
            value = data[field]
            if isinstance(value, bool):
                setattr(cluster, field, value)
            else:
                _add(errors, field, [_("Choose yes or no.")])
    if "lead_org_address" in data:
        address = " ".join(str(data["lead_org_address"] or "").split())
        if len(address) > LEAD_ORG_ADDRESS_MAX:
            _add(
                errors,
                "lead_org_address",
                [
                    _("Keep it to %(max)s characters (it has %(length)s).")
                    % {"max": LEAD_ORG_ADDRESS_MAX, "length": len(address)}
                ],
            )
        cluster.lead_org_address = address
    if "lead_org_gst_number" in data:
        raw = str(data["lead_org_gst_number"] or "").strip()
        if not raw:
            cluster.lead_org_gst_number = ""
        else:
            try:
                cluster.lead_org_gst_number = ird_number_normalise(raw)
            except FormatError as exc:
                _add(errors, "lead_org_gst_number", [exc.message])
    if "lead_org_gst_registered" in data or "lead_org_gst_number" in data:
        if not cluster.lead_org_gst_registered:
            cluster.lead_org_gst_number = ""  # not registered: no GST number
        elif not cluster.lead_org_gst_number and "lead_org_gst_number" not in errors:
            _add(
                errors,
                "lead_org_gst_number",
                [
                    _(
                        "Give the lead organisation's GST number (the IRD number it "
                        "is registered under), or untick “registered for GST”."
                    )
                ],
            )


@transaction.atomic
def cluster_brand_update(
    *, actor: Actor, cluster: Cluster, data: Mapping[str, Any]
) -> Cluster:
    """Change a cluster's brand: only the keys present in ``data`` change.

    Keys: the names, ``tagline``, ``story``, ``hero_alt`` (text); ``logo`` and
    ``hero_image`` (uploaded files; ``logo_clear`` / ``hero_clear`` True removes
    them); ``colour_primary``, ``colour_accent`` (``#rrggbb`` or empty);
    ``commission_rate`` (0 to 100, two decimals); ``join_requires_approval`` (bool);
    ``domain`` (a host name, or empty for none). The money settings too:
    ``selling_model`` ("agent" or "reseller"), ``lead_org_gst_registered`` and
    ``show_price_split`` (bool), ``lead_org_gst_number`` (an IRD number, stored as
    its digits; required while the lead organisation is registered, dropped when
    it is not) and ``lead_org_address``. Raises ValidationFailed naming every
    field at fault (contrast failures name the measured ratio); nothing changes
    then. Records an audit row with the before/after values: the brand as
    ``cluster.brand_updated``, the money settings as ``cluster.money_updated``.
    """
    require_cluster_admin(actor, cluster)
    locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
    before = _brand_snapshot(locked)
    money_before = snapshot(locked, list(MONEY_FIELDS))
    errors: dict[str, list[str]] = {}
    _apply_money(locked, data, errors)

    for field, max_length in BRAND_TEXT_FIELDS.items():
        if field not in data:
            continue
        value = str(data[field] or "").strip()
        if len(value) > max_length:
            _add(
                errors,
                field,
                [
                    _("Keep it to %(max)s characters (it has %(length)s).")
                    % {"max": max_length, "length": len(value)}
                ],
            )
        if field in ("name_en", "name_mi") and starts_like_formula(value):
            _add(errors, field, [formula_start_message()])
            continue
        setattr(locked, field, value)
    if "name_en" in data and not locked.name_en:
        _add(errors, "name_en", [_("Give the cluster a name in English.")])

    for field in ("colour_primary", "colour_accent"):
        if field in data:
            setattr(locked, field, str(data[field] or "").strip().lower())
    if "colour_primary" in data or "colour_accent" in data:
        for field, messages in brand_errors(
            locked.colour_primary, locked.colour_accent
        ).items():
            if field in data:
                _add(errors, field, messages)

    if "commission_rate" in data:
        rate, messages = _commission_from(data["commission_rate"])
        _add(errors, "commission_rate", messages)
        if rate is not None:
            locked.commission_rate = rate

    if "join_requires_approval" in data:
        value = data["join_requires_approval"]
        if isinstance(value, bool):
            locked.join_requires_approval = value
        else:
            _add(errors, "join_requires_approval", [_("Choose yes or no.")])

    if "domain" in data:
        domain = domain_normalise(str(data["domain"] or ""))
        _add(errors, "domain", domain_errors(domain, cluster=locked))
        locked.domain = domain or None

    images: dict[str, ContentFile[bytes] | None] = {}
    for field, clear_key, fit, min_side in (
        ("logo", "logo_clear", LOGO_FIT, LOGO_MIN_SIDE),
        ("hero_image", "hero_clear", HERO_FIT, HERO_MIN_SIDE),
    ):
        upload = data.get(field)
        if upload:
            cleaned, messages = _picture(upload, fit=fit, min_side=min_side)
            _add(errors, field, messages)
            images[field] = cleaned
        elif data.get(clear_key):
            images[field] = None
    will_have_hero = (
        images["hero_image"] is not None
        if "hero_image" in images
        else bool(locked.hero_image)
    )
    if will_have_hero and not locked.hero_alt and "hero_image" not in errors:
        _add(
            errors,
            "hero_alt",
            [_("Describe the hero image for people who can't see it.")],
        )

    if errors:
        ordered = _ordered(errors)
        formula = next(iter(ordered.values()))[0] == formula_start_message()
        code = BrandErrorCode.FORMULA_START if formula else BrandErrorCode.INVALID_BRAND
        raise ValidationFailed(code, ordered)

    for field, content in images.items():
        file_field = getattr(locked, field)
        if content is None:
            file_field.name = ""
        else:
            file_field.save(content.name or "image", content, save=False)
    cluster_search_text_refresh(locked)
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:  # somebody took the domain a moment ago
        raise ValidationFailed(
            BrandErrorCode.INVALID_BRAND,
            {"domain": domain_errors(locked.domain or "", cluster=locked)},
        ) from None
    # The shop names the cluster and who charges GST (cached by catalogue version).
    cluster_changed(cluster_id=locked.pk, live=locked.status == Cluster.Status.LIVE)
    after = _brand_snapshot(locked)
    if before != after:
        audit_record(
            actor=actor,
            verb="cluster.brand_updated",
            target=locked,
            cluster_id=locked.pk,
            before=before,
            after=after,
        )
    money_after = snapshot(locked, list(MONEY_FIELDS))
    if money_before != money_after:
        audit_record(
            actor=actor,
            verb="cluster.money_updated",
            target=locked,
            cluster_id=locked.pk,
            before=money_before,
            after=money_after,
        )
    return locked


def _brand_snapshot(cluster: Cluster) -> dict[str, Any]:
    # Files by their stored name: ``snapshot`` cannot read an empty FieldFile's url.
    files = {
        "logo": cluster.logo.name or "",
        "hero_image": cluster.hero_image.name or "",
    }
    plain = snapshot(cluster, [name for name in BRAND_FIELDS if name not in files])
    return {name: files.get(name, plain.get(name)) for name in BRAND_FIELDS}


def _ordered(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    rank = {name: index for index, name in enumerate((*BRAND_FIELDS, *MONEY_FIELDS))}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


def brand_css(cluster: Cluster) -> str:
    """The cluster's colours as the design system's custom properties."""
    lines = []
    if cluster.colour_primary and HEX_COLOUR.match(cluster.colour_primary):
        lines.append(f"  --color-brand: {cluster.colour_primary};")
        lines.append(f"  --color-brand-contrast: {WHITE};")
    if cluster.colour_accent and HEX_COLOUR.match(cluster.colour_accent):
        lines.append(f"  --color-accent: {cluster.colour_accent};")
        lines.append(f"  --color-accent-contrast: {WHITE};")
    body = "\n".join(lines)
    return (
        f"/* Brand of {cluster.slug}: checked for WCAG AA contrast. */\n"
        f":root {{\n{body}\n}}\n"
    )

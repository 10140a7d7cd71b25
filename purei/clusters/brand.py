"""A cluster's brand: names, story, images, colours that stay readable, its own
domain, and (changed by the same service) its money settings.

The rules of each part live beside it: colours and their contrast in
``brand_colours``, the own domain in ``brand_domains``, the money settings in
``brand_money``. ``cluster_brand_update`` checks them all at once and names every
field at fault.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal
from enum import StrEnum
from typing import Any

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
from purei.core.inputs import UNSET, Unset
from purei.core.renditions import renditions_refresh
from purei.search.shelf import cluster_changed

from .brand_colours import brand_errors
from .brand_domains import domain_errors, domain_normalise
from .brand_money import MONEY_FIELDS, commission_from, money_apply
from .models import Cluster
from .search import cluster_search_text_refresh


class BrandErrorCode(StrEnum):
    INVALID_BRAND = "invalid_brand"
    # A name starts with =, +, - or @, which spreadsheets run as a formula.
    FORMULA_START = FORMULA_START_CODE
    LOW_CONTRAST = "low_contrast"
    NOT_CLUSTER_ADMIN = "not_cluster_admin"


@dataclass(frozen=True)
class BrandChanges:
    """What to change in a cluster's brand and money settings: only the fields
    sent (not ``UNSET``) change, as a PATCH does. Text is taken as typed; None is
    a field sent empty (null), refused where a value is needed.

    The names, ``tagline``, ``story``, ``hero_alt``; ``colour_primary``,
    ``colour_accent`` (``#rrggbb`` or empty); ``commission_rate`` (0 to 100, two
    decimals); ``join_requires_approval`` (yes or no); ``domain`` (a host name, or
    empty for none). The money settings: ``selling_model`` ("agent" or
    "reseller"), ``lead_org_gst_registered`` and ``show_price_split`` (yes or no),
    ``lead_org_gst_number`` (an IRD number, stored as its digits; required while
    the lead organisation is registered, dropped when it is not) and
    ``lead_org_address``; ``au_gst_number`` (an ABN or a 12-digit ARN, stored as
    its digits, empty for none) and ``au_gst_registered_on`` (the date the
    Australian GST registration took effect: needed with a number). Images are
    uploads: ``logo`` and ``hero_image`` replace the current one; ``logo_clear``
    / ``hero_clear`` remove it.
    """

    name_en: str | Unset | None = UNSET
    name_mi: str | Unset | None = UNSET
    tagline: str | Unset | None = UNSET
    story: str | Unset | None = UNSET
    hero_alt: str | Unset | None = UNSET
    colour_primary: str | Unset | None = UNSET
    colour_accent: str | Unset | None = UNSET
    commission_rate: str | Decimal | int | Unset | None = UNSET
    join_requires_approval: bool | Unset | None = UNSET
    domain: str | Unset | None = UNSET
    selling_model: str | Unset | None = UNSET
    lead_org_gst_registered: bool | Unset | None = UNSET
    lead_org_gst_number: str | Unset | None = UNSET
    lead_org_address: str | Unset | None = UNSET
    show_price_split: bool | Unset | None = UNSET
    au_gst_number: str | Unset | None = UNSET
    au_gst_registered_on: dt.date | str | Unset | None = UNSET
    logo: UploadedFile[bytes] | None = None
    logo_clear: bool = False
    hero_image: UploadedFile[bytes] | None = None
    hero_clear: bool = False

    @property
    def sent(self) -> frozenset[str]:
        """The names of the fields sent (the images and their clear flags aside)."""
        return frozenset(
            f.name for f in fields(self) if getattr(self, f.name) is not UNSET
        ) - {"logo", "logo_clear", "hero_image", "hero_clear"}


# --- Images ------------------------------------------------------------------------
# Checked and cleaned by the members app's picture rules (type from the content,
# size, dimensions; resized; metadata stripped).

LOGO_FIT, LOGO_MIN_SIDE = 800, 64
HERO_FIT, HERO_MIN_SIDE = 2400, 300
# Each picture field and the field keeping its renditions (pages get those).
RENDITIONS_OF = {"logo": "logo_renditions", "hero_image": "hero_renditions"}


def _picture(
    upload: UploadedFile[bytes], *, fit: int, min_side: int
) -> tuple[ContentFile[bytes] | None, list[str]]:
    try:
        clean = picture_clean(upload, fit=fit, min_side=min_side)
    except UploadRejected as exc:
        return None, [exc.message]
    return clean.content, []


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


def require_cluster_admin(actor: Actor, cluster: Cluster) -> None:
    """Platform staff, or an admin of this very cluster; NotPermitted otherwise."""
    if actor.is_platform_staff or actor.is_cluster_admin(cluster.pk):
        return
    raise NotPermitted(
        BrandErrorCode.NOT_CLUSTER_ADMIN,
        _("Only this cluster's admins can do this."),
    )


def _add(errors: dict[str, list[str]], field: str, messages: list[str]) -> None:
    if messages:
        errors.setdefault(field, []).extend(messages)


@transaction.atomic
def cluster_brand_update(
    *, actor: Actor, cluster: Cluster, changes: BrandChanges
) -> Cluster:
    """Change a cluster's brand: only the fields sent in ``changes`` change (see
    ``BrandChanges``).

    Raises ValidationFailed naming every field at fault (contrast failures name
    the measured ratio); nothing changes then. Records an audit row with the
    before/after values: the brand as ``cluster.brand_updated``, the money
    settings as ``cluster.money_updated``.
    """
    require_cluster_admin(actor, cluster)
    locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
    before = _brand_snapshot(locked)
    money_before = snapshot(locked, list(MONEY_FIELDS))
    errors: dict[str, list[str]] = {}
    sent = changes.sent
    au_before = (locked.au_gst_number, locked.au_gst_registered_on)
    money_apply(locked, changes, errors)
    if (
        locked.au_gst_number,
        locked.au_gst_registered_on,
    ) != au_before and not actor.is_cluster_admin(locked.pk):
        # The cluster's own tax registration: its admins record it; platform
        # staff see it (read-only).
        raise NotPermitted(
            BrandErrorCode.NOT_CLUSTER_ADMIN,
            _("Only this cluster's admins record its Australian GST registration."),
        )

    for field, max_length in BRAND_TEXT_FIELDS.items():
        if field not in sent:
            continue
        value = str(getattr(changes, field) or "").strip()
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
    if "name_en" in sent and not locked.name_en:
        _add(errors, "name_en", [_("Give the cluster a name in English.")])

    for field in ("colour_primary", "colour_accent"):
        if field in sent:
            setattr(locked, field, str(getattr(changes, field) or "").strip().lower())
    if "colour_primary" in sent or "colour_accent" in sent:
        for field, messages in brand_errors(
            locked.colour_primary, locked.colour_accent
        ).items():
            if field in sent:
                _add(errors, field, messages)

    if "commission_rate" in sent:
        rate, messages = commission_from(changes.commission_rate)
        _add(errors, "commission_rate", messages)
        if rate is not None:
            locked.commission_rate = rate

    if "join_requires_approval" in sent:
        approval = changes.join_requires_approval
        if isinstance(approval, bool):
            locked.join_requires_approval = approval
        else:
            _add(errors, "join_requires_approval", [_("Choose yes or no.")])

    if "domain" in sent:
        domain = domain_normalise(str(changes.domain or ""))
        _add(errors, "domain", domain_errors(domain, cluster=locked))
        locked.domain = domain or None

    images: dict[str, ContentFile[bytes] | None] = {}
    for field, upload, clear, fit, min_side in (
        ("logo", changes.logo, changes.logo_clear, LOGO_FIT, LOGO_MIN_SIDE),
        (
            "hero_image",
            changes.hero_image,
            changes.hero_clear,
            HERO_FIT,
            HERO_MIN_SIDE,
        ),
    ):
        if upload:
            cleaned, messages = _picture(upload, fit=fit, min_side=min_side)
            _add(errors, field, messages)
            images[field] = cleaned
        elif clear:
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
        renditions = RENDITIONS_OF[field]
        setattr(
            locked,
            renditions,
            renditions_refresh(file_field.name or "", getattr(locked, renditions)),
        )
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
    cluster_changed(
        cluster_id=locked.pk,
        live=locked.status == Cluster.Status.LIVE,
        names=(locked.name_en, locked.name_mi),
    )
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


def cluster_pictures_render(*, missing_only: bool = False) -> int:
    """Make the renditions of clusters' logos and heroes (only those without any
    with ``missing_only``); return how many pictures were rendered."""
    rendered = 0
    for cluster in Cluster.objects.exclude(logo="", hero_image="").order_by("pk"):
        changed = []
        for field, renditions in RENDITIONS_OF.items():
            name = getattr(cluster, field).name or ""
            old = getattr(cluster, renditions) or []
            if not name or (missing_only and old):
                continue
            made = renditions_refresh(name, old)
            if made:
                setattr(cluster, renditions, made)
                changed.append(renditions)
                rendered += 1
        if changed:
            cluster.save(update_fields=changed)
    return rendered


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

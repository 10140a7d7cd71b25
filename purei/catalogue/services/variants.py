"""Variants (SKU, options, price in cents, stock) and stock changes, one at a time or
many in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.events import stock_low_if_crossed
from purei.catalogue.models import Product, Variant
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import ValidationFailed
from purei.core.inputs import UNSET, Unset, fields_sent
from purei.core.money import PriceInvalid, format_cents, parse_price_cents
from purei.members.models import Member

from ._common import _add, _ordered, _text, index_on_commit, require_team

MAX_STOCK = 1_000_000
VARIANT_FIELDS = (
    "sku",
    "name",
    "options",
    "price_cents",
    "compare_at_cents",
    "stock_policy",
    "stock",
    "lead_time_days",
    "weight_grams",
    "length_mm",
    "width_mm",
    "height_mm",
    "cold_chain",
    "harvested_on",
    "best_before",
    "freight_on_quote",
)
NUMBER_FIELDS = ("weight_grams", "length_mm", "width_mm", "height_mm")

PRICE_MESSAGES = {
    "empty": gettext_lazy("Give a price, like 24.50."),
    "not_a_price": gettext_lazy("Give the price in dollars and cents, like 24.50."),
    "negative": gettext_lazy("A price can't be negative."),
    "too_many_decimals": gettext_lazy(
        "A price has at most two decimal places, like 24.50."
    ),
    "too_large": gettext_lazy("That price is too large: check it."),
}


@dataclass(frozen=True)
class VariantInput:
    """What ``variant_create`` and ``variant_update`` are given. A field left
    ``UNSET`` is not changed (on ``variant_create``, ``sku`` and ``price`` are
    required); values are checked as typed, numbers may come as text."""

    sku: str | Unset | None = UNSET
    name: str | Unset | None = UNSET
    options: Mapping[str, str] | Unset | None = UNSET  # e.g. {"size": "750 ml"}
    price: str | Unset | None = UNSET  # text like "24.50", NZD, GST-inclusive
    # The "was" price, as text like the price; blank or None for none. Shown
    # struck through only while it is above the price.
    was_price: str | Unset | None = UNSET
    stock_policy: str | Unset | None = UNSET  # a ``Variant.StockPolicy`` value
    stock: int | str | Unset | None = UNSET
    lead_time_days: int | str | Unset | None = UNSET
    weight_grams: int | str | Unset | None = UNSET
    length_mm: int | str | Unset | None = UNSET
    width_mm: int | str | Unset | None = UNSET
    height_mm: int | str | Unset | None = UNSET
    cold_chain: str | Unset | None = UNSET  # a ``Variant.ColdChain`` value
    # A date, or text like "2026-03-02" (ISO 8601); blank or None for none.
    harvested_on: datetime.date | str | Unset | None = UNSET
    best_before: datetime.date | str | Unset | None = UNSET
    # Delivery quoted per order (docs/orders.md "Freight on quote"); text like
    # "yes" / "no" is accepted too (the spreadsheets).
    freight_on_quote: bool | str | Unset | None = UNSET


# A new stock count by SKU, as typed (a whole number, or text holding one).
StockChanges = Mapping[str, int | str | None]


def _whole(
    value: Any,
    field: str,
    errors: dict[str, list[str]],
    *,
    allow_blank: bool = True,
    maximum: int = MAX_STOCK,
) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if not allow_blank:
            _add(errors, field, _("Give a number."))
        return None
    if isinstance(value, bool | float):
        _add(errors, field, _("Give a whole number."))
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        _add(errors, field, _("Give a whole number."))
        return None
    if number < 0:
        _add(errors, field, _("It can't be less than zero."))
        return None
    if number > maximum:
        _add(errors, field, _("At most %(max)s.") % {"max": maximum})
        return None
    return number


def variant_date(
    value: Any, field: str, errors: dict[str, list[str]]
) -> datetime.date | None:
    """A harvest or best-before date: a ``date``, or ISO text like 2026-03-02;
    None when blank. Also used by the spreadsheet importer."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        _add(errors, field, _("Give a date, like 2026-03-02."))
        return None
    if isinstance(value, datetime.date):
        day = value
    else:
        try:
            day = datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            _add(errors, field, _("Give a date, like 2026-03-02."))
            return None
    if not 2000 <= day.year <= 2100:
        _add(errors, field, _("Check the year."))
        return None
    return day


FLAG_TRUE = frozenset({"1", "true", "yes", "y", "on"})
FLAG_FALSE = frozenset({"", "0", "false", "no", "n", "off"})


def variant_flag(value: Any, field: str, errors: dict[str, list[str]]) -> bool | None:
    """A yes/no setting: a bool, or text like "yes", "no", "true", "1" (blank is
    no); None after adding an error. Also used by the spreadsheet importer."""
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text in FLAG_TRUE:
        return True
    if text in FLAG_FALSE:
        return False
    _add(errors, field, _("Give yes or no."))
    return None


def variant_cold_chain_check(variant: Variant, errors: dict[str, list[str]]) -> None:
    """The rule between the dates: best before is not before the harvest."""
    if (
        variant.harvested_on
        and variant.best_before
        and variant.best_before < variant.harvested_on
        and "best_before" not in errors
    ):
        _add(
            errors,
            "best_before",
            _("The best-before date can't be before the harvest date."),
        )


def _apply(
    variant: Variant,
    data: Mapping[str, Any],  # the fields of a VariantInput that were given
    errors: dict[str, list[str]],
) -> None:
    creating = variant.pk is None
    if "sku" in data or creating:
        sku = _text(data.get("sku"))
        if not sku:
            _add(errors, "sku", _("Give the variant a SKU (your stock code)."))
        elif len(sku) > 64:
            _add(errors, "sku", _("Keep the SKU to 64 characters."))
        elif (
            Variant.objects.filter(member_id=variant.member_id, sku=sku)
            .exclude(pk=variant.pk)
            .exists()
        ):
            _add(
                errors,
                "sku",
                _("Another of your products already uses the SKU “%(sku)s”.")
                % {"sku": sku},
            )
        variant.sku = sku
    if "name" in data:
        variant.name = _text(data.get("name"))[:120]
    if "options" in data:
        options = data.get("options") or {}
        if not isinstance(options, Mapping):
            _add(errors, "options", _("Give the options as name and value."))
        else:
            variant.options = {
                _text(k)[:40]: _text(v)[:80] for k, v in options.items() if _text(k)
            }
    if "price" in data or creating:
        try:
            variant.price_cents = parse_price_cents(data.get("price", "") or "")
        except PriceInvalid as exc:
            _add(
                errors,
                "price",
                str(PRICE_MESSAGES.get(str(exc), PRICE_MESSAGES["empty"])),
            )
    if "was_price" in data:
        text = _text(data.get("was_price"))
        if not text:
            variant.compare_at_cents = None
        else:
            try:
                variant.compare_at_cents = parse_price_cents(text)
            except PriceInvalid as exc:
                _add(
                    errors,
                    "was_price",
                    str(PRICE_MESSAGES.get(str(exc), PRICE_MESSAGES["not_a_price"])),
                )
    if "stock_policy" in data:
        policy = _text(data.get("stock_policy"))
        if policy not in Variant.StockPolicy.values:
            _add(errors, "stock_policy", _("Choose how stock is kept."))
        else:
            variant.stock_policy = policy
    if "stock" in data:
        stock = _whole(data.get("stock"), "stock", errors)
        variant.stock = stock or 0
    if "lead_time_days" in data:
        variant.lead_time_days = _whole(
            data.get("lead_time_days"), "lead_time_days", errors, maximum=365
        )
    for name in NUMBER_FIELDS:
        if name in data:
            setattr(variant, name, _whole(data.get(name), name, errors))
    if "cold_chain" in data:
        cold = _text(data.get("cold_chain")) or Variant.ColdChain.NONE
        if cold not in Variant.ColdChain.values:
            _add(
                errors,
                "cold_chain",
                _("Choose none, chilled, frozen or perishable."),
            )
        else:
            variant.cold_chain = cold
    for name in ("harvested_on", "best_before"):
        if name in data:
            setattr(variant, name, variant_date(data.get(name), name, errors))
    if "freight_on_quote" in data:
        freight = variant_flag(data.get("freight_on_quote"), "freight_on_quote", errors)
        if freight is not None:
            variant.freight_on_quote = freight
    variant_cold_chain_check(variant, errors)
    if (
        variant.stock_policy == Variant.StockPolicy.MADE_TO_ORDER
        and not variant.lead_time_days
        and "lead_time_days" not in errors
    ):
        _add(
            errors,
            "lead_time_days",
            _("Say how many days it takes to make, for made-to-order items."),
        )


def _variant_snapshot(variant: Variant) -> dict[str, Any]:
    data = snapshot(variant, VARIANT_FIELDS)
    data["options"] = variant.options
    return data


def _save(variant: Variant) -> None:
    try:
        with transaction.atomic():
            variant.save()
    except IntegrityError as exc:
        raise ValidationFailed(
            CatalogueErrorCode.DUPLICATE_SKU,
            {"sku": [_("Another of your products already uses this SKU.")]},
        ) from exc


@transaction.atomic
def variant_create(*, actor: Actor, product: Product, details: VariantInput) -> Variant:
    """Add a variant. ``details.price`` is text like ``"24.50"`` (GST-inclusive)."""
    require_team(actor, product.member)
    data = fields_sent(details)
    variant = Variant(product=product, member_id=product.member_id)
    errors: dict[str, list[str]] = {}
    _apply(variant, data, errors)
    if errors:
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_VARIANT,
            _ordered(errors, ("sku", "price", "stock_policy", "stock")),
        )
    last = Variant.objects.filter(product=product).aggregate(last=Max("position"))
    variant.position = 0 if last["last"] is None else last["last"] + 1
    _save(variant)
    audit_record(
        actor=actor,
        verb="variant.created",
        target=variant,
        member_id=product.member_id,
        after=_variant_snapshot(variant),
    )
    index_on_commit(product.pk)
    return variant


@transaction.atomic
def variant_update(*, actor: Actor, variant: Variant, details: VariantInput) -> Variant:
    """Change the given fields of a variant (the others stay as they are)."""
    require_team(actor, variant.product.member)
    data = fields_sent(details)
    variant = Variant.objects.select_for_update().get(pk=variant.pk)
    before = _variant_snapshot(variant)
    errors: dict[str, list[str]] = {}
    _apply(variant, data, errors)
    if errors:
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_VARIANT,
            _ordered(errors, ("sku", "price", "stock_policy", "stock")),
        )
    _save(variant)
    audit_record(
        actor=actor,
        verb="variant.updated",
        target=variant,
        member_id=variant.member_id,
        before=before,
        after=_variant_snapshot(variant),
    )
    index_on_commit(variant.product_id)
    return variant


@transaction.atomic
def variant_delete(*, actor: Actor, variant: Variant) -> None:
    """Remove a variant; a live product keeps at least one."""
    require_team(actor, variant.product.member)
    product = Product.objects.select_for_update().get(pk=variant.product_id)
    others = Variant.objects.filter(product=product).exclude(pk=variant.pk)
    if product.status == Product.Status.LIVE and not others.exists():
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_VARIANT,
            {
                "variant": [
                    _(
                        "A live product needs at least one variant: add another "
                        "first, or move the product back to draft."
                    )
                ]
            },
        )
    audit_record(
        actor=actor,
        verb="variant.deleted",
        target=variant,
        member_id=variant.member_id,
        before=_variant_snapshot(variant),
    )
    variant.delete()
    index_on_commit(product.pk)


@transaction.atomic
def stock_set(*, actor: Actor, variant: Variant, stock: int | str | None) -> Variant:
    """Set one tracked variant's stock count."""
    return stock_bulk_update(
        actor=actor, member=variant.product.member, changes={variant.sku: stock}
    )[0]


@transaction.atomic
def stock_bulk_update(
    *, actor: Actor, member: Member, changes: StockChanges
) -> list[Variant]:
    """Set the stock of many variants by SKU in one transaction.

    Every row is checked first; any bad row (unknown SKU, not a whole number, a
    variant whose stock is not counted) means nothing changes, and every problem is
    reported under ``stock.<sku>``.
    """
    require_team(actor, member)
    variants = {
        v.sku: v
        for v in Variant.objects.select_for_update()
        .filter(member=member, sku__in=list(changes))
        .order_by("pk")
    }
    errors: dict[str, list[str]] = {}
    wanted: dict[str, int] = {}
    for sku, value in changes.items():
        field = f"stock.{sku}"
        variant = variants.get(sku)
        if variant is None:
            _add(
                errors,
                field,
                _("No variant of yours has the SKU “%(sku)s”.") % {"sku": sku},
            )
            continue
        if variant.stock_policy != Variant.StockPolicy.TRACKED:
            _add(
                errors,
                field,
                _("The stock of “%(sku)s” is not counted (%(policy)s).")
                % {"sku": sku, "policy": variant.get_stock_policy_display()},
            )
            continue
        number = _whole(value, field, errors, allow_blank=False)
        if number is not None:
            wanted[sku] = number
    if errors:
        raise ValidationFailed(CatalogueErrorCode.INVALID_STOCK, errors)
    changed = []
    for sku, number in wanted.items():
        variant = variants[sku]
        if variant.stock == number:
            changed.append(variant)
            continue
        before = {"stock": variant.stock}
        variant.stock = number
        variant.save(update_fields=["stock", "updated_at"])
        audit_record(
            actor=actor,
            verb="variant.stock_set",
            target=variant,
            member_id=member.pk,
            before=before,
            after={"stock": number},
        )
        stock_low_if_crossed(variant, before["stock"])
        index_on_commit(variant.product_id)
        changed.append(variant)
    return changed


def price_text(variant: Variant) -> str:
    """The variant's price as the text a form shows (``"24.50"``)."""
    return format_cents(variant.price_cents)


def was_price_text(variant: Variant) -> str:
    """The variant's was price as a form shows it; empty for none."""
    cents = variant.compare_at_cents
    return "" if cents is None else format_cents(cents)

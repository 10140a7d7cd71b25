"""A variant's trade pricing (docs/trade.md "Trade prices"): its trade price
(NZD, excluding GST), minimum order, pack size, quantity breaks and AUD/USD price
lists, set by the member's team, one variant or a page of them at a time.

The rules live in ``trade_terms_clean`` (no queries), which the services and the
spreadsheet importer both apply; the services lock, check scope, write and audit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.models import TradePrice, Variant
from purei.catalogue.trade_selectors import (
    FOREIGN_CURRENCIES,
    NZD,
    TradeTerms,
    trade_terms_of,
)
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import ValidationFailed
from purei.core.inputs import UNSET, Unset, fields_sent
from purei.core.money import PriceInvalid, format_cents, parse_price_cents
from purei.members.models import Member

from ._common import _add, _ordered, _text, require_team
from .variants import PRICE_MESSAGES

MAX_QUANTITY = 1_000_000
MAX_BREAKS = 10
FIELD_ORDER = (
    "trade_price",
    "min_order_quantity",
    "pack_size",
    "breaks",
    "currency_prices",
    *(f"currency_prices.{c}" for c in FOREIGN_CURRENCIES),
)


@dataclass(frozen=True)
class PriceBreak:
    """A quantity break as typed: from ``min_quantity`` units, ``price`` each
    (text in dollars and cents, like ``"17.00"``, excluding GST)."""

    min_quantity: int | str | None
    price: str | None


@dataclass(frozen=True)
class CurrencyPrices:
    """A price list in AUD or USD: its unit price and its own breaks (text)."""

    price: str | None
    breaks: Sequence[PriceBreak] = ()


@dataclass(frozen=True)
class TradePricingInput:
    """What ``variant_trade_pricing_set`` is given. A field left ``UNSET`` keeps
    what the variant has; every field given replaces it whole:

    - ``trade_price``: NZD, excluding GST, text like ``"18.50"``; ``None`` or ``""``
      is no trade price (the variant is not offered to trade);
    - ``min_order_quantity``, ``pack_size``: whole numbers (blank: 1);
    - ``breaks``: the NZD quantity breaks (``()`` removes them);
    - ``currency_prices``: by currency (``"AUD"``, ``"USD"``), that currency's list;
      ``None`` for a currency removes its list; a currency not named keeps its list.
    """

    trade_price: str | Unset | None = UNSET
    min_order_quantity: int | str | Unset | None = UNSET
    pack_size: int | str | Unset | None = UNSET
    breaks: Sequence[PriceBreak] | Unset = UNSET
    currency_prices: Mapping[str, CurrencyPrices | None] | Unset = UNSET


def breaks_parse(text: str) -> tuple[PriceBreak, ...] | None:
    """``"12:18.50; 48:17.00"`` (``;`` or new lines between breaks, ``:`` or ``=``
    between quantity and price) as breaks, still text; None if it cannot be split."""
    found = []
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        quantity, sep, price = part.replace("=", ":").partition(":")
        if not sep:
            return None
        found.append(PriceBreak(quantity.strip(), price.strip()))
    return tuple(found)


def _price(value: Any) -> tuple[int | None, str | None]:
    """Cents from typed text, or a problem (a price must be more than zero)."""
    try:
        cents = parse_price_cents(value if isinstance(value, str) else str(value))
    except PriceInvalid as exc:
        return None, str(PRICE_MESSAGES.get(str(exc), PRICE_MESSAGES["not_a_price"]))
    if cents <= 0:
        return None, _("A trade price must be more than zero.")
    return cents, None


def _count(value: Any) -> tuple[int | None, str | None]:
    """A whole number of units, at least 1 (blank is 1)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1, None
    if isinstance(value, bool | float):
        return None, _("Give a whole number.")
    try:
        number = int(str(value).strip())
    except ValueError:
        return None, _("Give a whole number.")
    if number < 1:
        return None, _("It must be at least 1.")
    if number > MAX_QUANTITY:
        return None, _("At most %(max)s.") % {"max": MAX_QUANTITY}
    return number, None


def _breaks(
    given: Sequence[PriceBreak], label: str, problems: list[str]
) -> list[tuple[int, int]]:
    steps: list[tuple[int, int]] = []
    if len(given) > MAX_BREAKS:
        problems.append(_("At most %(max)s quantity breaks.") % {"max": MAX_BREAKS})
        return steps
    for n, step in enumerate(given, start=1):
        where = _("%(list)s break %(n)s") % {"list": label, "n": n}
        quantity, problem = _count(step.min_quantity)
        if problem is None and (
            quantity is None or quantity < 2 or not _text(step.min_quantity)
        ):
            problem = _("a break starts at a quantity of 2 or more.")
        cents, price_problem = _price(step.price if step.price is not None else "")
        for message in (problem, price_problem):
            if message:
                problems.append(f"{where}: {message}")
        if quantity is not None and cents is not None and not problem:
            steps.append((quantity, cents))
    return steps


def _list_problems(
    steps: Sequence[tuple[int, int]], pack_size: int, label: str
) -> list[str]:
    """Quantities strictly rising, whole packs; unit prices never rising."""
    problems = []
    for (q1, c1), (q2, c2) in pairwise(steps):
        if q2 <= q1:
            problems.append(
                _("%(list)s: break quantities must rise (%(q2)s after %(q1)s).")
                % {"list": label, "q1": q1, "q2": q2}
            )
        elif c2 > c1:
            problems.append(
                _(
                    "%(list)s: the unit price at %(q2)s (%(c2)s) is more than at "
                    "%(q1)s (%(c1)s): a larger order never costs more per unit."
                )
                % {
                    "list": label,
                    "q1": q1,
                    "q2": q2,
                    "c1": format_cents(c1),
                    "c2": format_cents(c2),
                }
            )
    for quantity, _cents in steps[1:]:
        if quantity % pack_size:
            problems.append(
                _("%(list)s: the break at %(q)s is not whole packs of %(pack)s.")
                % {"list": label, "q": quantity, "pack": pack_size}
            )
    return problems


def trade_terms_clean(
    current: TradeTerms,
    details: TradePricingInput,
    errors: dict[str, list[str]],
) -> TradeTerms:
    """The terms after ``details`` is applied to ``current``; every problem is
    added to ``errors`` under the field at fault (``trade_price``,
    ``min_order_quantity``, ``pack_size``, ``breaks``, ``currency_prices.AUD``…)."""
    data = fields_sent(details)
    price = current.price_cents
    if "trade_price" in data:
        text = _text(data["trade_price"])
        price, problem = _price(text) if text else (None, None)
        if problem:
            _add(errors, "trade_price", problem)
    quantities = {}
    for name in ("min_order_quantity", "pack_size"):
        quantities[name] = getattr(current, name)
        if name in data:
            number, problem = _count(data[name])
            if problem:
                _add(errors, name, problem)
            else:
                quantities[name] = number or 1
    moq, pack = quantities["min_order_quantity"], quantities["pack_size"]
    if "min_order_quantity" not in errors and "pack_size" not in errors and moq % pack:
        _add(
            errors,
            "min_order_quantity",
            _(
                "The minimum order must be whole packs: a multiple of the pack "
                "size, %(pack)s (e.g. %(pack)s or %(two)s)."
            )
            % {"pack": pack, "two": pack * 2},
        )

    lists: dict[str, list[tuple[int, int]]] = {
        c: list(steps) for c, steps in current.lists.items() if c != NZD
    }
    nzd_breaks = list(current.breaks)
    if "breaks" in data:
        problems: list[str] = []
        nzd_breaks = _breaks(list(data["breaks"] or ()), "NZD", problems)
        for message in problems:
            _add(errors, "breaks", message)
    if "currency_prices" in data:
        for currency, given in (data["currency_prices"] or {}).items():
            key = f"currency_prices.{currency}"
            if currency not in FOREIGN_CURRENCIES:
                _add(
                    errors,
                    "currency_prices",
                    _(
                        "“%(currency)s”: price lists are in AUD or USD (the NZD "
                        "price is the trade price)."
                    )
                    % {"currency": currency},
                )
                continue
            if given is None or (not _text(given.price) and not given.breaks):
                lists.pop(currency, None)
                continue
            problems = []
            cents, problem = _price(_text(given.price))
            if problem:
                problems.append(
                    _("%(list)s price: %(problem)s")
                    % {"list": currency, "problem": problem}
                )
            steps = _breaks(list(given.breaks), currency, problems)
            for message in problems:
                _add(errors, key, message)
            if cents is not None:
                lists[currency] = [(1, cents), *steps]

    if price is None:
        if nzd_breaks or lists:
            # Name the field being changed: the price cleared, or a list added.
            at_fault = (
                "trade_price"
                if "trade_price" in data
                else ("breaks" if nzd_breaks else f"currency_prices.{min(lists)}")
            )
            _add(
                errors,
                at_fault,
                _(
                    "Quantity breaks and AUD/USD prices need an NZD trade price: "
                    "give one, or remove them."
                ),
            )
    else:
        lists[NZD] = [(1, price), *nzd_breaks]
    for currency, steps in lists.items():
        key = "breaks" if currency == NZD else f"currency_prices.{currency}"
        if key in errors:
            continue
        for message in _list_problems(steps, pack, currency):
            _add(errors, key, message)
    return TradeTerms(
        price_cents=price,
        min_order_quantity=moq,
        pack_size=pack,
        lists={c: tuple(steps) for c, steps in sorted(lists.items())},
    )


def _refuse(errors: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed(
        CatalogueErrorCode.INVALID_TRADE_PRICING, _ordered(errors, FIELD_ORDER)
    )


def _store(
    actor: Actor, variant: Variant, before: TradeTerms, after: TradeTerms
) -> bool:
    """Write ``after`` over ``variant``'s terms (rows replaced); audit it. False
    when nothing changes."""
    if after == before:
        return False
    variant.trade_price_cents = after.price_cents
    variant.min_order_quantity = after.min_order_quantity
    variant.pack_size = after.pack_size
    variant.save(
        update_fields=[
            "trade_price_cents",
            "min_order_quantity",
            "pack_size",
            "updated_at",
        ]
    )
    TradePrice.objects.filter(variant=variant).delete()
    TradePrice.objects.bulk_create(after.rows(variant.pk))
    audit_record(
        actor=actor,
        verb="variant.trade_pricing_set",
        target=variant,
        member_id=variant.member_id,
        before=before.snapshot(),
        after=after.snapshot(),
    )
    return True


@transaction.atomic
def variant_trade_pricing_set(
    *, actor: Actor, variant: Variant, details: TradePricingInput
) -> Variant:
    """Set the given parts of ``variant``'s trade pricing (the member's owners and
    staff). Any problem: nothing changes, and each is named by its field."""
    require_team(actor, variant.product.member)
    variant = Variant.objects.select_for_update().get(pk=variant.pk)
    before = trade_terms_of(variant, list(TradePrice.objects.filter(variant=variant)))
    errors: dict[str, list[str]] = {}
    after = trade_terms_clean(before, details, errors)
    if errors:
        raise _refuse(errors)
    _store(actor, variant, before, after)
    return variant


# The changes of a page of variants, by SKU.
TradeChanges = Mapping[str, TradePricingInput]


@transaction.atomic
def trade_pricing_bulk_update(
    *, actor: Actor, member: Member, changes: TradeChanges
) -> list[Variant]:
    """Set the trade pricing of many variants (by SKU) in one transaction.

    Every row is checked first; any problem means nothing changes, and each is
    reported under ``<field>.<sku>`` (``trade_price.MH-500``). Only variants whose
    terms change are written and audited."""
    require_team(actor, member)
    variants = {
        v.sku: v
        for v in Variant.objects.select_for_update()
        .filter(member=member, sku__in=list(changes))
        .order_by("pk")
    }
    rows: dict[int, list[TradePrice]] = {}
    for row in TradePrice.objects.filter(variant__in=list(variants.values())):
        rows.setdefault(row.variant_id, []).append(row)
    errors: dict[str, list[str]] = {}
    planned: list[tuple[Variant, TradeTerms, TradeTerms]] = []
    for sku, details in changes.items():
        variant = variants.get(sku)
        if variant is None:
            _add(
                errors,
                f"trade_price.{sku}",
                _("No variant of yours has the SKU “%(sku)s”.") % {"sku": sku},
            )
            continue
        before = trade_terms_of(variant, rows.get(variant.pk, []))
        found: dict[str, list[str]] = {}
        after = trade_terms_clean(before, details, found)
        for name, messages in _ordered(found, FIELD_ORDER).items():
            for message in messages:
                _add(errors, f"{name}.{sku}", message)
        planned.append((variant, before, after))
    if errors:
        raise ValidationFailed(CatalogueErrorCode.INVALID_TRADE_PRICING, errors)
    for variant, before, after in planned:
        _store(actor, variant, before, after)
    return [variant for variant, _before, _after in planned]

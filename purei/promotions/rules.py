"""The arithmetic of promotions: which apply to a basket, and what each takes off
each line and each part's delivery (docs/money.md "Promotions", ADR 0015).

``discounts_for`` is a pure function of plain values: the basket's lines and
each part's shipping as checkout priced them, the shopper, the code typed, the
time, and the cluster's promotions (``Terms``, read by
``purei.promotions.selectors.checkout_terms``). It reads no database and knows
nothing of orders. Money is integer cents; a percentage is basis points.

**Which promotions.** A promotion counts when it is active, within its dates, has
lines in its scope, its minimum spend is met on those lines (at their prices before
any promotion), it has uses left in total and for this customer, and — when it is
for a first order only — this is the shopper's first order in the cluster. The
automatic ones that count are combined: all the stackable ones together, or one
that does not stack alone, whichever takes more off. A code the shopper types
joins them when it stacks with them; when it cannot be combined, it stands alone
if it takes off at least as much, and is refused ("can't be combined with …")
otherwise. A refused code says why: not known, not active, not yet, expired, for
other goods, minimum spend, used up, already used by this customer, first order
only, not combinable.

**What each takes off**, applied in this order, each on what is left of the
lines after the ones before (so no line ever goes below zero):

1. *buy X get Y*: of the units in scope, sorted dearest first, the cheapest Y of
   every X + Y are free (a line's discount is its free units' prices);
2. *a percentage*: that share of the lines in scope, half up to the cent;
3. *an amount*: that much, at most what the lines in scope still cost;
4. *free delivery*: the whole delivery charge of each part that has a line in
   scope.

A percentage or an amount is split across the lines in scope — and so across the
members — in proportion to what each still costs, by the **largest remainder**
(``purei.core.split``): each line gets the floor of its exact share, and the cents
left over go one each to the largest remainders, the earlier line first on a tie.
Every discount records who pays it: the cluster, or the member the promotion
belongs to (a member's promotion only ever discounts its own goods).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from purei.core.money import format_nzd
from purei.core.split import largest_remainder

PERCENT = "percent"
FIXED = "fixed"
FREE_DELIVERY = "free_delivery"
BUY_X_GET_Y = "buy_x_get_y"
CLUSTER = "cluster"
MEMBER = "member"
# The order promotions are applied in (then by id).
KIND_ORDER = {BUY_X_GET_Y: 0, PERCENT: 1, FIXED: 2, FREE_DELIVERY: 3}
BASIS_POINTS = 10_000


def normalise_code(code: str) -> str:
    """A code as stored and compared: no spaces around it, in capitals."""
    return code.strip().upper()


@dataclass(frozen=True)
class LineIn:
    """One line of the basket, as checkout priced it."""

    key: int  # the caller's own key for the line
    member_id: int
    product_id: int
    category_id: int | None
    unit_price_cents: int
    quantity: int

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.quantity


@dataclass(frozen=True)
class ShippingIn:
    """One member's part's delivery charge, as checkout priced it (0 for a
    pickup, or before the address is known)."""

    member_id: int
    cents: int


@dataclass(frozen=True)
class Shopper:
    user_id: int | None = None
    email: str = ""
    # No earlier order in the cluster (by account or email) that was not
    # cancelled; None when not known yet (treated as a first order until it is).
    first_order: bool | None = None


@dataclass(frozen=True)
class Terms:
    """One promotion as plain values, with how often it has been used."""

    id: int
    name: str
    kind: str
    paid_by: str = CLUSTER
    member_id: int | None = None  # the paying member of a member's promotion
    code: str | None = None
    percent_bp: int | None = None
    amount_cents: int | None = None
    buy_quantity: int | None = None
    get_quantity: int | None = None
    members: frozenset[int] = frozenset()
    # The categories named, with every category below them.
    categories: frozenset[int] = frozenset()
    products: frozenset[int] = frozenset()
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    min_spend_cents: int = 0
    max_uses: int | None = None
    uses: int = 0
    max_uses_per_customer: int | None = None
    customer_uses: int = 0  # this shopper's uses so far
    first_order_only: bool = False
    stackable: bool = False
    active: bool = True

    def covers(self, line: LineIn) -> bool:
        """Whether ``line`` is in scope: every dimension the promotion names
        (members, categories, products) must match one of its values."""
        if self.member_id is not None and line.member_id != self.member_id:
            return False
        if self.members and line.member_id not in self.members:
            return False
        if self.categories and line.category_id not in self.categories:
            return False
        return not (self.products and line.product_id not in self.products)

    @property
    def label(self) -> str:
        """What it is, in a few words ("10 % off", "$5.00 off", …)."""
        return describe(self)


def describe(terms: Terms) -> str:
    if terms.kind == PERCENT:
        percent = Decimal(terms.percent_bp or 0) / 100
        return _("%(percent)s %% off") % {"percent": f"{percent.normalize():f}"}
    if terms.kind == FIXED:
        return _("%(amount)s off") % {"amount": format_nzd(terms.amount_cents or 0)}
    if terms.kind == BUY_X_GET_Y:
        return _("Buy %(buy)s, get %(get)s free") % {
            "buy": terms.buy_quantity,
            "get": terms.get_quantity,
        }
    return _("Free delivery")


@dataclass(frozen=True)
class LineDiscount:
    key: int
    cents: int
    cluster_cents: int  # of ``cents``, what the cluster pays


@dataclass(frozen=True)
class ShippingDiscount:
    member_id: int
    cents: int
    cluster_cents: int


@dataclass(frozen=True)
class Applied:
    """One promotion applied, and what it took off."""

    promotion_id: int
    name: str
    label: str
    code: str | None
    kind: str
    paid_by: str
    member_id: int | None
    goods_cents: int
    shipping_cents: int

    @property
    def discount_cents(self) -> int:
        return self.goods_cents + self.shipping_cents

    @property
    def cluster_cents(self) -> int:
        return self.discount_cents if self.paid_by == CLUSTER else 0


@dataclass(frozen=True)
class Discounts:
    """What the promotions take off a basket."""

    lines: tuple[LineDiscount, ...] = ()
    shipping: tuple[ShippingDiscount, ...] = ()
    applied: tuple[Applied, ...] = ()
    code: str = ""  # the code as applied ("" when none is)
    refused: str = ""  # why the code typed was refused ("" when it was not)
    # Automatic promotions set aside for the code (it does not combine).
    replaced: tuple[str, ...] = field(default=())

    def line(self, key: int) -> LineDiscount:
        for line in self.lines:
            if line.key == key:
                return line
        return LineDiscount(key, 0, 0)

    def shipping_of(self, member_id: int) -> ShippingDiscount:
        for part in self.shipping:
            if part.member_id == member_id:
                return part
        return ShippingDiscount(member_id, 0, 0)

    @property
    def goods_cents(self) -> int:
        return sum(line.cents for line in self.lines)

    @property
    def shipping_cents(self) -> int:
        return sum(part.cents for part in self.shipping)

    @property
    def total_cents(self) -> int:
        return self.goods_cents + self.shipping_cents

    @property
    def cluster_cents(self) -> int:
        return sum(line.cluster_cents for line in self.lines) + sum(
            part.cluster_cents for part in self.shipping
        )


NONE = Discounts()


# --- Whether a promotion counts ------------------------------------------------------


def _day(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def refusal(
    terms: Terms, lines: Sequence[LineIn], shopper: Shopper, now: dt.datetime
) -> str:
    """Why ``terms`` does not count for this basket ("" when it does)."""
    name = terms.code or terms.name
    what = {"code": name}
    if not terms.active:
        return _("The code %(code)s is not available.") % what
    if terms.starts_at is not None and now < terms.starts_at:
        return _("The code %(code)s starts on %(day)s.") % {
            **what,
            "day": _day(terms.starts_at),
        }
    if terms.ends_at is not None and now >= terms.ends_at:
        return _("The code %(code)s expired on %(day)s.") % {
            **what,
            "day": _day(terms.ends_at),
        }
    covered = [line for line in lines if terms.covers(line)]
    if not covered:
        return _("The code %(code)s is for other goods than these.") % what
    spend = sum(line.total_cents for line in covered)
    if spend < terms.min_spend_cents:
        return _(
            "The code %(code)s needs a minimum spend of %(amount)s on the goods it "
            "is for."
        ) % {**what, "amount": format_nzd(terms.min_spend_cents)}
    if terms.max_uses is not None and terms.uses >= terms.max_uses:
        return _("The code %(code)s has been used up.") % what
    if (
        terms.max_uses_per_customer is not None
        and terms.customer_uses >= terms.max_uses_per_customer
    ):
        return _("You have already used the code %(code)s.") % what
    if terms.first_order_only and shopper.first_order is False:
        return _("The code %(code)s is for a first order only.") % what
    return ""


# --- What a set of promotions takes off --------------------------------------------


def _half_up(numerator: int, denominator: int) -> int:
    value = Decimal(numerator) / Decimal(denominator)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class _Ledger:
    """What is left of each line and part as promotions are applied."""

    lines: Sequence[LineIn]
    shipping: Sequence[ShippingIn]

    def __post_init__(self) -> None:
        self.left = {line.key: line.total_cents for line in self.lines}
        self.ship_left = {part.member_id: part.cents for part in self.shipping}
        self.off: dict[int, int] = dict.fromkeys(self.left, 0)
        self.off_cluster: dict[int, int] = dict.fromkeys(self.left, 0)
        self.ship_off: dict[int, int] = dict.fromkeys(self.ship_left, 0)
        self.ship_off_cluster: dict[int, int] = dict.fromkeys(self.ship_left, 0)

    def take(self, key: int, cents: int, cluster: bool) -> None:
        self.left[key] -= cents
        self.off[key] += cents
        if cluster:
            self.off_cluster[key] += cents

    def take_shipping(self, member_id: int, cents: int, cluster: bool) -> None:
        self.ship_left[member_id] -= cents
        self.ship_off[member_id] += cents
        if cluster:
            self.ship_off_cluster[member_id] += cents


def _buy_x_get_y(terms: Terms, covered: Sequence[LineIn]) -> dict[int, int]:
    units = sorted(
        (
            (line.unit_price_cents, index, line.key)
            for index, line in enumerate(covered)
            for _unit in range(line.quantity)
        ),
        key=lambda unit: (-unit[0], unit[1]),
    )
    size = (terms.buy_quantity or 0) + (terms.get_quantity or 0)
    if size <= 0:
        return {}
    free = (len(units) // size) * (terms.get_quantity or 0)
    off: dict[int, int] = {}
    for price, _index, key in units[len(units) - free :] if free else ():
        off[key] = off.get(key, 0) + price
    return off


def _apply(terms: Terms, books: _Ledger) -> Applied:
    covered = [
        line for line in books.lines if terms.covers(line) and books.left[line.key]
    ]
    cluster = terms.paid_by == CLUSTER
    goods = shipping = 0
    if terms.kind == BUY_X_GET_Y:
        for key, cents in _buy_x_get_y(terms, covered).items():
            cents = min(cents, books.left[key])
            books.take(key, cents, cluster)
            goods += cents
    elif terms.kind in (PERCENT, FIXED):
        base = sum(books.left[line.key] for line in covered)
        if terms.kind == PERCENT:
            off = _half_up(base * (terms.percent_bp or 0), BASIS_POINTS)
        else:
            off = terms.amount_cents or 0
        off = min(off, base)
        shares = largest_remainder(off, [books.left[line.key] for line in covered])
        for line, cents in zip(covered, shares, strict=True):
            books.take(line.key, cents, cluster)
        goods = off
    elif terms.kind == FREE_DELIVERY:
        parts = {line.member_id for line in books.lines if terms.covers(line)}
        for member_id in sorted(parts):
            cents = books.ship_left.get(member_id, 0)
            if cents:
                books.take_shipping(member_id, cents, cluster)
                shipping += cents
    return Applied(
        promotion_id=terms.id,
        name=terms.name,
        label=terms.label,
        code=terms.code,
        kind=terms.kind,
        paid_by=terms.paid_by,
        member_id=terms.member_id,
        goods_cents=goods,
        shipping_cents=shipping,
    )


def apply_all(
    chosen: Iterable[Terms], lines: Sequence[LineIn], shipping: Sequence[ShippingIn]
) -> Discounts:
    """What ``chosen`` take off together, each on what the ones before left."""
    books = _Ledger(lines, shipping)
    ordered = sorted(chosen, key=lambda t: (KIND_ORDER.get(t.kind, 9), t.id))
    applied = tuple(_apply(terms, books) for terms in ordered)
    return Discounts(
        lines=tuple(
            LineDiscount(line.key, books.off[line.key], books.off_cluster[line.key])
            for line in lines
            if books.off[line.key]
        ),
        shipping=tuple(
            ShippingDiscount(
                part.member_id,
                books.ship_off[part.member_id],
                books.ship_off_cluster[part.member_id],
            )
            for part in shipping
            if books.ship_off[part.member_id]
        ),
        applied=applied,
    )


# --- The whole of it -----------------------------------------------------------------


def discounts_for(
    *,
    promotions: Sequence[Terms],
    lines: Sequence[LineIn],
    shipping: Sequence[ShippingIn] = (),
    shopper: Shopper | None = None,
    code: str = "",
    now: dt.datetime,
) -> Discounts:
    """The discounts on a basket (see the module): per line and per part's
    delivery, which promotions apply and why a code typed was refused."""
    shopper = shopper or Shopper()
    code = normalise_code(code)
    typed: Terms | None = None
    if code:
        typed = next((t for t in promotions if t.code == code), None)
    automatic = [
        t for t in promotions if t.code is None and not refusal(t, lines, shopper, now)
    ]
    refused = ""
    if code and typed is None:
        refused = _("%(code)s is not a promo code of this shop.") % {"code": code}
    elif typed is not None:
        refused = refusal(typed, lines, shopper, now)
    code_counts = typed is not None and not refused
    options: list[list[Terms]] = []
    stacking = [t for t in automatic if t.stackable]
    if code_counts and typed is not None and typed.stackable:
        stacking.append(typed)
    if stacking:
        options.append(stacking)
    options += [[t] for t in automatic if not t.stackable]
    if code_counts and typed is not None and not typed.stackable:
        options.append([typed])
    if not options:
        return Discounts(refused=refused)
    priced = [(apply_all(option, lines, shipping), option) for option in options]

    def rank(pair: tuple[Discounts, list[Terms]]) -> tuple[int, int, int, int]:
        found, option = pair
        has_code = int(typed is not None and typed in option)
        return (
            found.total_cents,
            has_code,
            int(all(t.stackable for t in option)),
            -min(t.id for t in option),
        )

    best, chosen = max(priced, key=rank)
    applied_code = ""
    replaced: tuple[str, ...] = ()
    if code_counts and typed is not None:
        if typed in chosen:
            applied_code = code
            replaced = tuple(t.name for t in automatic if t not in chosen)
        else:
            refused = _(
                "The code %(code)s can't be combined with %(promotions)s, which "
                "takes more off."
            ) % {"code": code, "promotions": ", ".join(t.name for t in chosen)}
    return Discounts(
        lines=best.lines,
        shipping=best.shipping,
        applied=best.applied,
        code=applied_code,
        refused=refused,
        replaced=replaced,
    )

"""Checkout: price a cart for an address and a delivery or pickup choice per
member (``checkout_quote``), then place the order (``order_place``).

**Stock is held at checkout** (docs/orders.md): placing an order takes the stock
at once, in the same transaction, with a conditional ``UPDATE … SET stock = stock -
n WHERE stock >= n`` per tracked variant, so two shoppers can never both get the
last jar. An unpaid order keeps its stock until ``hold_until`` (30 minutes for a
card, 3 days for a bank transfer); then ``purei orders_release_expired`` (run every
minute) cancels it and puts the stock back, and a shopper refused stock that an
expired hold still keeps gets it at once (``orders_release_expired_holding``, run
by the refused checkout or cart change, not by every checkout). Holding rather
than taking stock on payment means a shopper who is told "order placed" never
learns at payment time that it sold out meanwhile — which matters for bank
transfers, paid days later.

**Who sells** (domain-nz.md §1.5): in a cluster's agent model (the default) each
member is the supplier of its part and charges GST only when registered; in the
reseller model the lead organisation is the supplier of every part, and GST on
every line and shipping charge follows its registration (``supplier_for``,
``supplier_gst_registered``). The supplier is snapshotted onto each fulfilment.

**The shopper chooses** delivery or pickup for each member's part: nothing is
chosen for them, except a part's only way when it has exactly one (a member that
only delivers, or only collects at one fair). A part left unchosen is refused by
``order_place`` with an error naming it (``choice.<member id>``).

**Australian consumers** (docs/trade.md "Australian GST on sales to consumers
(LVIG)"): an order delivered to Australia is zero-rated for NZ GST; when the
cluster is registered for Australian GST, each part worth A$1,000 or less carries
Australian GST (``purei.orders.au_gst``), shown in its prices as soon as the
address is known, unless a GST-registered business gives its ABN. The order
records the AU GST and why it was charged or not.

Placing an order is one transaction: the order, its fulfilments and lines, the
stock and the emptied cart all happen, or none does. The same checkout submitted
twice (same idempotency key) gives the same order.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Literal, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.accounts.models import User
from purei.catalogue.events import stock_low_after_sale
from purei.catalogue.indexing import product_facts_changed_on_commit
from purei.catalogue.models import Variant
from purei.clusters.au_gst import au_gst_registered, aud_rate_for
from purei.clusters.models import Cluster, Region, SellingModel
from purei.core.errors import ValidationFailed
from purei.core.validators import FormatError, abn_normalise
from purei.members.models import Member
from purei.orders.au_gst import (
    AuTerms,
    au_gst_in,
    au_gst_on_share,
    nzd_to_aud_cents,
    part_reason,
    with_au_gst,
)
from purei.orders.delivery_days import (
    DeliveryDay,
    delivery_days,
    window_delivery_days,
)
from purei.orders.errors import OrderErrorCode
from purei.orders.events import order_event
from purei.orders.freight import (
    freight_delivery_problem,
    freight_problem,
    freight_reason,
)
from purei.orders.hub import HubCharge
from purei.orders.models import (
    SHARE_CONTACT_WORDING,
    AuGst,
    Cart,
    CartLine,
    FreightQuote,
    Fulfilment,
    Order,
    OrderLine,
    PickupEvent,
    Zone,
)
from purei.orders.money import gst_in, without_gst
from purei.orders.pickup import open_pickup_events, pickup_code
from purei.orders.services.cart import CartGroup, CartItem, CartSummary, cart_summary
from purei.orders.services.freight import freight_quotes_expire, freight_quotes_request
from purei.orders.services.window_sales import window_sales_release, window_sales_take
from purei.orders.shipping import (
    ResolvedPolicy,
    chilled_shipping_cents,
    policies_for,
    shipping_cents,
    zone_for,
)
from purei.orders.windows import OPEN, WindowTerms
from purei.promotions.rules import NONE as NO_DISCOUNTS
from purei.promotions.rules import Discounts, Shopper

# "freight_quote": delivery to be quoted (docs/orders.md "Freight on quote"); the
# part is placed as a delivery with a ``FreightQuote`` (``services/freight.py``).
Method = Literal["delivery", "pickup_premises", "pickup_event", "freight_quote"]
METHODS: tuple[Method, ...] = (
    "delivery",
    "pickup_premises",
    "pickup_event",
    "freight_quote",
)
NZ_ZONES = {Zone.NORTH_ISLAND, Zone.SOUTH_ISLAND, Zone.CHATHAM_ISLANDS}
ORDER_NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
POSTCODE_NZ = re.compile(r"^\d{4}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def hold_for(payment_method: str) -> datetime.timedelta:
    """How long an unpaid order keeps its stock."""
    minutes = settings.ORDER_HOLD_MINUTES
    return datetime.timedelta(minutes=minutes.get(payment_method, minutes["default"]))


# --- What the shopper chose -------------------------------------------------------


@dataclass(frozen=True)
class Address:
    country: str = "NZ"  # ISO 3166-1 alpha-2
    line1: str = ""
    line2: str = ""
    suburb: str = ""
    town: str = ""
    postcode: str = ""
    region: str = ""  # ISO 3166-2:NZ code, for New Zealand
    state: str = ""  # elsewhere
    rural: bool = False  # a New Zealand rural delivery (RD) address


@dataclass(frozen=True)
class Choice:
    method: Method = "delivery"
    event_id: int | None = None
    # For delivery from a member that sets delivery days: the day it is to
    # arrive, one of the part's ``days`` (a date, or ISO text like 2026-03-03).
    delivery_day: datetime.date | str | None = None


def _choice_missing(member_name: str) -> str:
    """What the shopper is told when a part has more than one way and none was
    chosen."""
    return _("Choose delivery or pickup for the items from %(member)s.") % {
        "member": member_name
    }


@dataclass(frozen=True)
class CheckoutDetails:
    email: str
    name: str
    payment_method: str
    idempotency_key: str
    phone: str = ""
    address: Address | None = None
    choices: Mapping[int, Choice] = field(default_factory=dict)  # by member id
    age_confirmed: bool = False
    # Delivered to Australia: a business buyer's ABN, and its statement that it
    # is registered for GST and buying for business use (then no AU GST).
    buyer_abn: str = ""
    business_use: bool = False
    # "One parcel from the hub": every part goes to the cluster's hub and on
    # as one parcel for one charge (``purei.orders.services.hub_checkout``).
    hub: bool = False
    # A promo code (ADR 0015); blank: the automatic promotions only.
    promo_code: str = ""
    # The shopper agrees to hear from the order's other makers (IPP 3A).
    share_contact: bool = False


# --- The price of it all ----------------------------------------------------------


@dataclass(frozen=True)
class LineQuote:
    item: CartItem
    unit_price_cents: int  # after zero-rating an export (and with any AU GST)
    total_cents: int  # what the shopper pays: unit x quantity less the discount
    gst_cents: int  # the GST in ``total_cents``
    au_gst_cents: int = 0  # Australian GST contained in ``total_cents``
    # What promotions take off it, and of that what the cluster pays (ADR 0015).
    discount_cents: int = 0
    discount_cluster_cents: int = 0


@dataclass(frozen=True)
class Supplier:
    """Who supplies the customer in law (domain-nz.md §1.5), as snapshotted onto
    each fulfilment: the member (agent model) or the lead organisation
    (reseller model)."""

    name: str
    gst_registered: bool
    gst_number: str
    is_lead_org: bool


def supplier_for(cluster: Cluster, member: Member) -> Supplier:
    """The supplier of ``member``'s goods sold through ``cluster``."""
    if cluster.selling_model == SellingModel.RESELLER:
        registered = cluster.lead_org_gst_registered
        return Supplier(
            name=cluster.lead_org_name,
            gst_registered=registered,
            gst_number=cluster.lead_org_gst_number if registered else "",
            is_lead_org=True,
        )
    return Supplier(
        name=member.trading_name or member.legal_name,
        gst_registered=member.gst_registered,
        gst_number=member.gst_number if member.gst_registered else "",
        is_lead_org=False,
    )


def supplier_gst_registered(cluster: Cluster, member_gst_registered: bool) -> bool:
    """Whether GST is charged on a member's goods sold through ``cluster``: the
    lead organisation's registration in the reseller model, else the member's."""
    if cluster.selling_model == SellingModel.RESELLER:
        return cluster.lead_org_gst_registered
    return member_gst_registered


@dataclass(frozen=True)
class PartQuote:
    """One member's part: its lines, the ways to get them, and the totals for the
    chosen way.

    ``choice`` is what the shopper chose, or the part's only way (``options``)
    when it has exactly one; None while the shopper has still to choose — nothing
    else is ever chosen for them."""

    group: CartGroup
    lines: tuple[LineQuote, ...]
    choice: Choice | None
    can_deliver: bool  # to the given address (False when none is given yet)
    pickup_premises: bool
    pickup_address: str
    events: tuple[PickupEvent, ...]
    shipping_cents: int
    shipping_gst_cents: int
    problem: str = ""
    # Whether the supplier of this part charges GST (see ``supplier_gst_registered``).
    gst_registered: bool = False
    # Whether the member delivers at all (its own rates or its cluster's).
    ships: bool = False
    # Delivery days: the days this part can arrive (empty when the member sets
    # none, or before the address is known), the one chosen, and what is wrong
    # with the choice of day ("" when nothing is).
    days: tuple[DeliveryDay, ...] = ()
    day: DeliveryDay | None = None
    day_error: str = ""
    # Delivered to Australia: the AU GST on the shipping (contained in
    # ``shipping_cents``), why the part carries AU GST or not (an ``AuGst``), and
    # the customs value of its goods in AUD cents. Blank and None otherwise.
    shipping_au_gst_cents: int = 0
    au_gst_reason: str = ""
    customs_value_aud_cents: int | None = None
    # Delivery is quoted for this part ("Request a freight quote" replaces
    # delivery): why ("goods" or "weight"), or "" when it is priced by the rates.
    freight: str = ""
    # Free delivery (ADR 0015): the charge a promotion took off
    # (``shipping_cents`` is after it), and of that what the cluster pays.
    shipping_discount_cents: int = 0
    shipping_discount_cluster_cents: int = 0

    @property
    def discount_cents(self) -> int:
        """What promotions take off this part: its goods and its delivery."""
        return (
            sum(line.discount_cents for line in self.lines)
            + self.shipping_discount_cents
        )

    @property
    def au_gst_cents(self) -> int:
        return (
            sum(line.au_gst_cents for line in self.lines) + self.shipping_au_gst_cents
        )

    @property
    def chilled(self) -> bool:
        """Chilled or frozen goods: chilled courier, no weekend in transit."""
        return self.group.needs_cold

    @property
    def goods_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)

    @property
    def gst_cents(self) -> int:
        return sum(line.gst_cents for line in self.lines) + self.shipping_gst_cents

    @property
    def total_cents(self) -> int:
        return self.goods_cents + self.shipping_cents

    @property
    def options(self) -> tuple[Choice, ...]:
        """The ways to get this part: delivery (if the member delivers at all;
        the address decides where), pickup at its premises, each open pickup event
        it takes part in. A member offering none of them is shown delivery (and
        told it does not deliver once the address is known)."""
        return _options(
            ships=self.ships,
            premises=self.pickup_premises,
            events=self.events,
            freight=bool(self.freight),
        )

    @property
    def event(self) -> PickupEvent | None:
        if self.choice is None:
            return None
        for event in self.events:
            if event.pk == self.choice.event_id:
                return event
        return None


@dataclass(frozen=True)
class Quote:
    parts: tuple[PartQuote, ...]
    zone: Zone | None
    zero_rated: bool
    restricted_r18: bool
    # Delivered to Australia: what decided Australian GST (None otherwise).
    au: AuTerms | None = None
    # One parcel from the hub: its charge and shares (None otherwise), or why
    # hub delivery can't take this order (``purei.orders.services.hub_checkout``).
    hub: HubCharge | None = None
    hub_problem: str = ""
    # The promotions that apply, what they take off, and why a code typed was
    # refused (``purei.orders.services.promotions``; ADR 0015).
    promotions: Discounts = NO_DISCOUNTS
    # The address's New Zealand region (None: no address, or none found).
    region: Region | None = None

    @property
    def discount_cents(self) -> int:
        return sum(part.discount_cents for part in self.parts)

    @property
    def au_gst_cents(self) -> int:
        return sum(part.au_gst_cents for part in self.parts)

    @property
    def au_gst_reason(self) -> str:
        """Why the order carries Australian GST or not: charged when any part
        does, else the first part's reason; blank when not delivered to
        Australia."""
        reasons = [part.au_gst_reason for part in self.parts if part.au_gst_reason]
        if AuGst.CHARGED in reasons:
            return AuGst.CHARGED
        return reasons[0] if reasons else ""

    @property
    def au_over_limit(self) -> bool:
        """Some part is worth over A$1,000: Australia taxes it at the border."""
        return any(part.au_gst_reason == AuGst.OVER_LIMIT for part in self.parts)

    @property
    def goods_cents(self) -> int:
        return sum(part.goods_cents for part in self.parts)

    @property
    def shipping_cents(self) -> int:
        return sum(part.shipping_cents for part in self.parts)

    @property
    def gst_cents(self) -> int:
        return sum(part.gst_cents for part in self.parts)

    @property
    def total_cents(self) -> int:
        return self.goods_cents + self.shipping_cents

    @property
    def needs_address(self) -> bool:
        return any(
            part.choice is not None
            and part.choice.method in ("delivery", "freight_quote")
            for part in self.parts
        )

    @property
    def problems(self) -> list[str]:
        return [part.problem for part in self.parts if part.problem]

    @property
    def freight_quote_requested(self) -> bool:
        """Some part's delivery is to be quoted: no payment until it is."""
        return any(
            part.choice is not None and part.choice.method == "freight_quote"
            for part in self.parts
        )


def _zone(address: Address | None) -> tuple[Zone | None, Region | None]:
    if address is None:
        return None, None
    region = None
    if address.country == "NZ" and address.region:
        region = Region.objects.filter(code=address.region).first()
    return zone_for(address.country, region), region


def _options(
    *,
    ships: bool,
    premises: bool,
    events: tuple[PickupEvent, ...],
    freight: bool = False,
) -> tuple[Choice, ...]:
    ways = [Choice("freight_quote")] if freight else []
    if ships and not freight:
        ways.append(Choice("delivery"))
    if premises:
        ways.append(Choice("pickup_premises"))
    ways.extend(Choice("pickup_event", event.pk) for event in events)
    return tuple(ways) or (Choice("delivery"),)


def _only_way(options: tuple[Choice, ...]) -> Choice | None:
    """A part's way when it has exactly one; else None: the shopper chooses."""
    return options[0] if len(options) == 1 else None


def _as_date(value: datetime.date | str | None) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _day_chosen(
    group: CartGroup,
    days: tuple[DeliveryDay, ...],
    wanted: datetime.date | str | None,
    window: WindowTerms | None = None,
) -> tuple[DeliveryDay | None, str]:
    """The delivery day chosen among ``days``, or what to tell the shopper."""
    if wanted is None or (isinstance(wanted, str) and not wanted.strip()):
        return None, _("Choose a delivery day for the items from %(member)s.") % {
            "member": group.member_name
        }
    day = _as_date(wanted)
    for offered in days:
        if offered.arrival == day:
            return offered, ""
    if window is not None and window.delivery_from is not None:
        return None, _(
            "Orders for %(window)s are delivered %(range)s: choose one of "
            "%(days)s for the items from %(member)s."
        ) % {
            "window": window.window_name,
            "range": _window_range(window),
            "days": ", ".join(offered.arrival.isoformat() for offered in days),
            "member": group.member_name,
        }
    return None, _("%(member)s can't deliver on that day: choose one of %(days)s.") % {
        "member": group.member_name,
        "days": ", ".join(offered.arrival.isoformat() for offered in days),
    }


def _delivery_days(
    group: CartGroup,
    policy: ResolvedPolicy,
    zone: Zone,
    now: datetime.datetime,
) -> tuple[tuple[DeliveryDay, ...], str]:
    """The part's delivery days to ``zone`` (none asked abroad, or when the
    member sets no dispatch days and the goods need no chilling), or a problem."""
    if zone not in NZ_ZONES:
        return (), ""
    cold = group.needs_cold
    tier = policy.chilled_for(zone) if cold else None
    if not policy.dispatch_weekdays:
        if cold:
            return (), _(
                "%(member)s has not set its delivery days, so it can't send "
                "chilled or frozen goods yet."
            ) % {"member": group.member_name}
        return (), ""
    days = delivery_days(
        weekdays=policy.dispatch_weekdays,
        cutoff=policy.dispatch_cutoff,
        transit_days=tier.transit_days if tier else policy.transit_days,
        cold=cold,
        now=now,
    )
    if not days:
        return (), _(
            "%(member)s has no delivery day to this address in the next two weeks."
        ) % {"member": group.member_name}
    return days, ""


def _window_range(window: WindowTerms) -> str:
    first, last = window.delivery_from, window.delivery_until
    if first is None:
        return ""
    if last in (None, first):
        return _("on %(day)s") % {"day": first.isoformat()}
    return _("from %(first)s to %(last)s") % {
        "first": first.isoformat(),
        "last": last.isoformat(),
    }


def _window_days(
    group: CartGroup,
    policy: ResolvedPolicy,
    zone: Zone,
    now: datetime.datetime,
    window: WindowTerms,
) -> tuple[tuple[DeliveryDay, ...], str]:
    """A sales window's part delivered: only on the window's delivery days
    (ADR 0016), those the member's dispatch days reach; or a problem."""
    cold = group.needs_cold
    if cold and not policy.dispatch_weekdays:
        return (), _(
            "%(member)s has not set its delivery days, so it can't send "
            "chilled or frozen goods yet."
        ) % {"member": group.member_name}
    tier = policy.chilled_for(zone) if cold else None
    first = window.delivery_from
    last = window.delivery_until or first
    if first is None or last is None:
        return (), ""
    days = window_delivery_days(
        first=first,
        last=last,
        weekdays=policy.dispatch_weekdays,
        cutoff=policy.dispatch_cutoff,
        transit_days=tier.transit_days if tier else policy.transit_days,
        cold=cold,
        now=now,
    )
    if not days:
        return (), _(
            "Orders for %(window)s are delivered %(range)s, and %(member)s "
            "can't deliver then: choose one of its pickup points, if it has any."
        ) % {
            "window": window.window_name,
            "range": _window_range(window),
            "member": group.member_name,
        }
    return days, ""


def _part(
    group: CartGroup,
    *,
    policy: ResolvedPolicy,
    events: tuple[PickupEvent, ...],
    zone: Zone | None,
    rural: bool,
    zero_rated: bool,
    chosen: Choice | None,
    registered: bool,
    now: datetime.datetime,
    au: AuTerms | None = None,
    window: WindowTerms | None = None,
    window_problem: str = "",
) -> PartQuote:
    taxed = registered and not zero_rated
    ships = policy.ships
    premises = policy.pickup_at_premises
    if window is not None and window.restricts_ways:
        # A sales window's goods go by its own pickup points or its delivery.
        events = tuple(e for e in events if e.sales_window_id == window.window_id)
        ships = ships and window.delivers
        premises = False
    lines = []
    for item in group.items:
        unit = item.unit_price_cents
        if zero_rated and registered:
            unit = without_gst(unit)
        total = unit * item.quantity
        lines.append(LineQuote(item, unit, total, gst_in(total) if taxed else 0))
    goods = sum(line.total_cents for line in lines)
    delivery: int | None = None
    if zone is not None and group.needs_cold:
        # Chilled or frozen goods: the whole parcel goes chilled (frozen too).
        delivery = chilled_shipping_cents(policy, zone=zone, rural=rural)
    elif zone is not None:
        delivery = shipping_cents(
            policy,
            zone=zone,
            rural=rural,
            weight_grams=group.weight_grams,
            goods_cents=goods,
        )
    freight = freight_reason(group, policy, zone=zone, delivery=delivery)
    choice = chosen or _only_way(
        _options(ships=ships, premises=premises, events=events, freight=bool(freight))
    )
    problem = window_problem
    shipping = 0
    days: tuple[DeliveryDay, ...] = ()
    day: DeliveryDay | None = None
    day_error = ""
    # No choice (yet): no shipping and no problem here; ``order_place`` refuses
    # the order, naming the part, until the shopper chooses.
    if problem:
        pass
    elif (
        window is not None
        and window.restricts_ways
        and choice is not None
        and choice.method in ("delivery", "freight_quote")
        and not window.delivers
    ):
        problem = _(
            "The items from %(member)s in %(window)s are collected at its pickup "
            "points: choose one."
        ) % {"member": group.member_name, "window": window.window_name}
    elif choice is not None and choice.method == "freight_quote":
        problem = freight_problem(group, zone=zone, reason=freight)
    elif choice is not None and choice.method == "delivery" and freight:
        problem = freight_delivery_problem(group)
    elif choice is not None and choice.method == "delivery":
        if zone is not None and delivery is None and group.needs_cold:
            problem = _(
                "%(member)s has no chilled courier to this address, so it can't "
                "deliver its chilled or frozen goods here. Choose pickup if it is "
                "offered, or remove them."
            ) % {"member": group.member_name}
        elif zone is not None and delivery is None:
            problem = _("%(member)s does not deliver to this address.") % {
                "member": group.member_name
            }
        elif delivery is not None and zone is not None:
            shipping = delivery
            if zero_rated and registered:
                shipping = without_gst(shipping)
            if window is not None and window.delivers:
                days, problem = _window_days(group, policy, zone, now, window)
            else:
                days, problem = _delivery_days(group, policy, zone, now)
            if days and window is not None and len(days) == 1:
                # A window delivering on one day: that day, unless another is asked.
                wanted = choice.delivery_day or days[0].arrival
                day, day_error = _day_chosen(group, days, wanted, window=window)
            elif days:
                day, day_error = _day_chosen(
                    group, days, choice.delivery_day, window=window
                )
    elif choice is not None and choice.method == "pickup_premises" and not premises:
        problem = _("%(member)s does not offer pickup.") % {"member": group.member_name}
    elif (
        choice is not None
        and choice.method == "pickup_event"
        and not any(event.pk == choice.event_id for event in events)
    ):
        problem = _("Choose a pickup event %(member)s takes part in.") % {
            "member": group.member_name
        }
    shipping_gst = gst_in(shipping) if taxed else 0
    shipping_au = 0
    reason = ""
    customs: int | None = None
    if au is not None and choice is not None and choice.method == "delivery":
        lines, shipping_au, reason, customs = _with_au_gst(lines, shipping, au)
        shipping += shipping_au
    return PartQuote(
        group=group,
        lines=tuple(lines),
        choice=choice,
        can_deliver=delivery is not None,
        pickup_premises=premises,
        pickup_address=policy.pickup_address,
        events=events,
        shipping_cents=shipping,
        shipping_gst_cents=shipping_gst,
        problem=problem,
        gst_registered=registered,
        ships=ships,
        days=days,
        day=day,
        day_error=day_error,
        shipping_au_gst_cents=shipping_au,
        au_gst_reason=reason,
        customs_value_aud_cents=customs,
        freight=freight,
    )


class _PartWindow(TypedDict):
    window: WindowTerms | None
    window_problem: str


def _part_window(group: CartGroup) -> _PartWindow:
    """The open sales window a member's part is ordered for (ADR 0016), and
    what is wrong when its items are in two windows with their own ways."""
    windows = {
        item.window.window_id: item.window
        for item in group.items
        if item.window is not None and item.window.state == OPEN
    }
    if not windows:
        return {"window": None, "window_problem": ""}
    restricting = [w for w in windows.values() if w.restricts_ways]
    if len(restricting) > 1:
        return {
            "window": restricting[0],
            "window_problem": _(
                "The items from %(member)s are in %(windows)s, collected or "
                "delivered apart: order them separately."
            )
            % {
                "member": group.member_name,
                "windows": ", ".join(w.window_name for w in restricting),
            },
        }
    chosen = restricting[0] if restricting else next(iter(windows.values()))
    return {"window": chosen, "window_problem": ""}


def _with_au_gst(
    lines: list[LineQuote], shipping: int, au: AuTerms
) -> tuple[list[LineQuote], int, str, int]:
    """A part delivered to Australia: its lines with any Australian GST, the AU
    GST on its shipping, why, and the customs value of its goods in AUD cents
    (goods only, as priced without NZ GST: transport is not part of it)."""
    goods = sum(line.total_cents for line in lines)
    customs = nzd_to_aud_cents(goods, au.rate.rate)
    taxable = [line for line in lines if not line.item.alcohol_or_tobacco]
    reason = part_reason(
        au, customs_value_aud_cents=customs, any_taxable_line=bool(taxable)
    )
    if reason != AuGst.CHARGED:
        return lines, 0, reason, customs
    taxed: list[LineQuote] = []
    for line in lines:
        if line.item.alcohol_or_tobacco:
            taxed.append(line)
            continue
        unit = with_au_gst(line.unit_price_cents)
        total = unit * line.item.quantity
        taxed.append(LineQuote(line.item, unit, total, 0, au_gst_in(total)))
    taxed_goods = sum(line.total_cents for line in taxable)
    return taxed, au_gst_on_share(shipping, taxed_goods, goods), reason, customs


def au_business_buyer(abn: str, business_use: bool) -> bool:
    """Whether a buyer in Australia gave a valid ABN and stated it is registered
    for GST and buying for business use (then no Australian GST is charged)."""
    if not business_use or not abn.strip():
        return False
    try:
        abn_normalise(abn)
    except FormatError:
        return False
    return True


def checkout_quote(
    *,
    cluster: Cluster,
    summary: CartSummary,
    address: Address | None = None,
    choices: Mapping[int, Choice] | None = None,
    now: datetime.datetime | None = None,
    au_business: bool = False,
    hub: bool = False,
    policies: Mapping[int, ResolvedPolicy] | None = None,
    promo_code: str = "",
    shopper: Shopper | None = None,
) -> Quote:
    """Price ``summary`` for ``address`` (None: not given yet) and the choices, in a
    fixed number of queries whatever the number of members.

    ``au_business``: a buyer in Australia gave its ABN and stated it is
    registered for GST and buying for business use (``au_business_buyer``).
    ``hub``: one parcel from the cluster's hub instead of the choices
    (``purei.orders.services.hub_checkout.hub_quote``). The cluster's promotions
    then take off what they give, with ``promo_code``'s (the automatic ones
    alone when it is blank), for ``shopper`` (``services.promotions``).
    ``policies``: the members' shipping (``policies_for``) when the caller has
    read it already (the product page's delivery estimate)."""
    now = now or timezone.now()
    choices = choices or {}
    zone, region = _zone(address)
    zero_rated = zone is not None and zone not in NZ_ZONES
    au = None
    if zone == Zone.AUSTRALIA:
        au = AuTerms(
            registered=au_gst_registered(cluster, timezone.localdate(now)),
            business=au_business,
            rate=aud_rate_for(cluster),
        )
    member_ids = [group.member_id for group in summary.groups]
    if policies is None:
        policies = policies_for(cluster, member_ids)
    events = open_pickup_events(cluster, member_ids, now)
    rural = bool(address and address.rural and zone in NZ_ZONES)
    parts = tuple(
        _part(
            group,
            policy=policies[group.member_id],
            events=tuple(events.get(group.member_id, ())),
            zone=zone,
            rural=rural,
            zero_rated=zero_rated,
            chosen=choices.get(group.member_id),
            registered=supplier_gst_registered(cluster, group.gst_registered),
            now=now,
            au=au,
            **_part_window(group),
        )
        for group in summary.groups
    )
    quote = Quote(
        parts=parts,
        zone=zone,
        zero_rated=zero_rated,
        restricted_r18=summary.restricted_r18,
        au=au,
        region=region,
    )
    if hub:
        from purei.orders.services.hub_checkout import hub_quote

        quote = hub_quote(quote, cluster=cluster, summary=summary, rural=rural)
    from purei.orders.services.promotions import quote_with_promotions

    return quote_with_promotions(
        quote, cluster=cluster, code=promo_code, shopper=shopper, now=now
    )


# --- Checking what the shopper typed -------------------------------------------------


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _clean_address(address: Address | None, errors: dict[str, list[str]]) -> Address:
    if address is None:
        _add(errors, "address", _("Give the address to deliver to."))
        return Address()
    country = address.country.strip().upper()
    cleaned = Address(
        country=country,
        line1=address.line1.strip()[:200],
        line2=address.line2.strip()[:200],
        suburb=address.suburb.strip()[:100],
        town=address.town.strip()[:100],
        postcode=address.postcode.strip()[:10],
        region=address.region.strip().upper(),
        state=address.state.strip()[:100],
        rural=address.rural and country == "NZ",
    )
    if not COUNTRY.match(country):
        _add(errors, "country", _("Choose a country."))
    if not cleaned.line1:
        _add(errors, "line1", _("Give the street address."))
    if not cleaned.town:
        _add(errors, "town", _("Give the town or city."))
    if country == "NZ":
        if not POSTCODE_NZ.match(cleaned.postcode):
            _add(
                errors, "postcode", _("A New Zealand postcode has 4 digits, e.g. 0110.")
            )
        if (
            not cleaned.region
            or not Region.objects.filter(code=cleaned.region).exists()
        ):
            _add(errors, "region", _("Choose the region."))
    elif country == "AU":
        if not POSTCODE_NZ.match(cleaned.postcode):
            _add(errors, "postcode", _("An Australian postcode has 4 digits."))
        if not cleaned.state:
            _add(errors, "state", _("Give the state or territory."))
    return cleaned


def _clean_details(
    details: CheckoutDetails,
    summary: CartSummary,
    errors: dict[str, list[str]],
    cluster_id: int,
) -> CheckoutDetails:
    email = details.email.strip()
    try:
        validate_email(email)
    except ValidationError:
        _add(errors, "email", _("Give an email address like name@example.nz."))
    name = details.name.strip()
    if not name:
        _add(errors, "name", _("Give your name."))
    elif len(name) > 150:
        _add(errors, "name", _("Keep the name to 150 characters."))
    phone = details.phone.strip()
    if len(phone) > 32:
        _add(errors, "phone", _("Keep the phone number to 32 characters."))
    if not IDEMPOTENCY_KEY.match(details.idempotency_key):
        # Said to a program (the API); the checkout page says its own words.
        _add(
            errors,
            "idempotency_key",
            _("idempotency_key must be 16 to 64 characters: letters, digits, _ or -."),
        )
    from purei.clusters.money_accounts import cluster_gateway_account
    from purei.payments.gateways import StripeGateway, available_gateways

    offered = available_gateways()
    if details.payment_method == StripeGateway.name:
        # Cards may go to the cluster's own Stripe account (ADR 0021).
        offered = available_gateways(cluster_gateway_account(cluster_id=cluster_id))
    if details.payment_method not in {g.name for g in offered}:
        _add(errors, "payment_method", _("Choose how to pay."))
    if summary.restricted_r18 and not details.age_confirmed:
        _add(
            errors,
            "age_confirmed",
            _("Some items are R18: confirm you are 18 or over to buy them."),
        )
    buyer_abn, business_use = _clean_business_buyer(details, errors)
    promo_code = details.promo_code.strip()
    if len(promo_code) > 32:
        _add(errors, "promo_code", _("A promo code has at most 32 characters."))
    return CheckoutDetails(
        email=email,
        name=name,
        phone=phone,
        payment_method=details.payment_method,
        idempotency_key=details.idempotency_key,
        address=details.address,
        choices=details.choices,
        age_confirmed=details.age_confirmed,
        buyer_abn=buyer_abn,
        business_use=business_use,
        hub=details.hub,
        promo_code=promo_code[:32],
        share_contact=details.share_contact,
    )


def _clean_business_buyer(
    details: CheckoutDetails, errors: dict[str, list[str]]
) -> tuple[str, bool]:
    """A business buyer in Australia: a valid ABN with the statement, both or
    neither. Ignored (dropped) for any other country."""
    country = (details.address.country if details.address else "").strip().upper()
    raw = details.buyer_abn.strip()
    if country != "AU" or (not raw and not details.business_use):
        return "", False
    if not raw:
        _add(
            errors,
            "buyer_abn",
            _(
                "Give the business's ABN, or untick the statement to buy as a "
                "consumer (with Australian GST where it applies)."
            ),
        )
        return "", False
    try:
        abn = abn_normalise(raw)
    except FormatError as exc:
        _add(errors, "buyer_abn", exc.message)
        return "", False
    if not details.business_use:
        _add(
            errors,
            "business_use",
            _(
                "Confirm the business is registered for GST and buying for business "
                "use, or leave the ABN empty."
            ),
        )
        return "", False
    return abn, True


# --- Placing the order ------------------------------------------------------------


def _order_number() -> str:
    return "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(8))


def _same_order(existing: Order, details: CheckoutDetails, user: User | None) -> Order:
    """The order an earlier submission of this checkout made — if it is this
    shopper's; anyone else's key is refused."""
    mine = (
        existing.customer_id == user.pk
        if user is not None and user.is_authenticated
        else existing.customer_id is None
        and existing.email.lower() == details.email.strip().lower()
    )
    if not mine:
        used = _("This idempotency_key was used by another checkout: send a new one.")
        raise ValidationFailed(
            OrderErrorCode.INVALID_CHECKOUT, {"idempotency_key": [used]}
        )
    return existing


def _create_order(
    *,
    cluster: Cluster,
    user: User | None,
    details: CheckoutDetails,
    address: Address | None,
    region: Region | None,
    quote: Quote,
    now: datetime.datetime,
) -> Order:
    for _attempt in range(5):
        number = _order_number()
        if not Order.objects.filter(number=number).exists():
            break
    delivery = address if quote.needs_address and address is not None else Address()
    au_delivered = quote.au is not None and quote.needs_address
    order = Order(
        number=number,
        cluster=cluster,
        customer=user if user is not None and user.is_authenticated else None,
        email=details.email,
        name=details.name,
        phone=details.phone,
        country=delivery.country or "NZ",
        address_line1=delivery.line1,
        address_line2=delivery.line2,
        suburb=delivery.suburb,
        town=delivery.town,
        postcode=delivery.postcode,
        region=region if quote.needs_address else None,
        state=delivery.state,
        rural_delivery=delivery.rural if quote.needs_address else False,
        zone=(quote.zone or "") if quote.needs_address else "",
        zero_rated=quote.zero_rated and quote.needs_address,
        selling_model=cluster.selling_model,
        age_confirmed_at=now if quote.restricted_r18 else None,
        share_contact_consent=details.share_contact,
        share_contact_wording=str(SHARE_CONTACT_WORDING)
        if details.share_contact
        else "",
        share_contact_at=now if details.share_contact else None,
        goods_cents=quote.goods_cents,
        shipping_cents=quote.shipping_cents,
        gst_cents=quote.gst_cents,
        total_cents=quote.total_cents,
        promo_code=quote.promotions.code,
        discount_cents=quote.discount_cents,
        au_gst_cents=quote.au_gst_cents,
        au_gst_reason=quote.au_gst_reason if quote.needs_address else "",
        buyer_abn=details.buyer_abn if au_delivered else "",
        aud_rate=quote.au.rate.rate if au_delivered and quote.au else None,
        aud_rate_source=quote.au.rate.source[:160] if au_delivered and quote.au else "",
        payment_method=details.payment_method,
        payment_reference="",
        hold_until=now + hold_for(details.payment_method),
        idempotency_key=details.idempotency_key,
    )
    order.payment_reference = order.number
    order.save()
    return order


def _reserve_stock(quote: Quote) -> None:
    """Take the stock of every tracked variant, or none (the transaction rolls
    back): in variant order, so two checkouts never wait on each other in a
    circle. One conditional UPDATE per variant holds its row only for what is left
    of this short transaction; a variant made to order or always available is
    only read (its row is never locked, so shoppers of one popular item do not
    queue behind each other)."""
    wanted: dict[int, tuple[int, CartItem]] = {}
    for part in quote.parts:
        for line in part.lines:
            wanted[line.item.variant_id] = (line.item.quantity, line.item)
    taken: dict[int, int] = {}
    for variant_id in sorted(wanted):
        quantity, item = wanted[variant_id]
        if Variant.objects.filter(
            pk=variant_id,
            stock_policy=Variant.StockPolicy.TRACKED,
            stock__gte=quantity,
        ).update(stock=F("stock") - quantity):
            taken[variant_id] = quantity
            continue
        policy = (
            Variant.objects.filter(pk=variant_id)
            .values_list("stock_policy", flat=True)
            .first()
        )
        if policy is None or policy == Variant.StockPolicy.TRACKED:
            name = (
                f"{item.title} ({item.variant_name})"
                if item.variant_name
                else item.title
            )
            raise ValidationFailed(
                OrderErrorCode.SOLD_OUT,
                {
                    "cart": [
                        _(
                            "Sorry, %(item)s sold out while you were checking out. "
                            "Your cart shows what is left."
                        )
                        % {"item": name}
                    ]
                },
            )
    if not taken:
        return  # nothing counted changed: no stock facts to refresh, none ran low
    # The shop shows what is in stock: tell it once the order is in.
    product_facts_changed_on_commit(wanted[v][1].product_id for v in taken)
    stock_low_after_sale(taken)


def _create_fulfilments(order: Order, quote: Quote, members: dict[int, Member]) -> None:
    lines: list[OrderLine] = []
    for part in quote.parts:
        member = members[part.group.member_id]
        if part.choice is None:  # refused by ``_place`` before anything is written
            raise ValueError("every part needs a choice")
        # A freight quote is a delivery whose charge is still to be quoted.
        method = (
            "delivery"
            if part.choice.method == "freight_quote"
            else (part.choice.method)
        )
        supplier = supplier_for(order.cluster, member)
        fulfilment = Fulfilment.objects.create(
            order=order,
            member=member,
            supplier_name=supplier.name,
            gst_registered=supplier.gst_registered,
            gst_number=supplier.gst_number,
            method=method,
            pickup_event=part.event if method == "pickup_event" else None,
            pickup_code=pickup_code() if method != "delivery" else "",
            goods_cents=part.goods_cents,
            shipping_cents=part.shipping_cents,
            gst_cents=part.gst_cents,
            total_cents=part.total_cents,
            shipping_discount_cents=part.shipping_discount_cents,
            shipping_discount_cluster_cents=part.shipping_discount_cluster_cents,
            au_gst_cents=part.au_gst_cents,
            au_gst_reason=part.au_gst_reason,
            customs_value_aud_cents=part.customs_value_aud_cents,
            weight_grams=part.group.weight_grams,
            check_id=any(line.item.restricted_r18 for line in part.lines),
            chilled=part.chilled,
            via_hub=quote.hub is not None,
            delivery_on=part.day.arrival if method == "delivery" and part.day else None,
            dispatch_on=part.day.dispatch
            if method == "delivery" and part.day
            else None,
        )
        lines.extend(
            OrderLine(
                order=order,
                fulfilment=fulfilment,
                variant_id=line.item.variant_id,
                product_id=line.item.product_id,
                title=line.item.title,
                variant_name=line.item.variant_name,
                sku=line.item.sku,
                unit_price_cents=line.unit_price_cents,
                quantity=line.item.quantity,
                total_cents=line.total_cents,
                gst_cents=line.gst_cents,
                au_gst_cents=line.au_gst_cents,
                discount_cents=line.discount_cents,
                discount_cluster_cents=line.discount_cluster_cents,
                weight_grams=line.item.weight_grams,
                restricted_r18=line.item.restricted_r18,
                alcohol_or_tobacco=line.item.alcohol_or_tobacco,
                cold_chain=line.item.cold_chain,
                harvested_on=line.item.harvested_on,
                best_before=line.item.best_before,
                window_item_id=(
                    line.item.window.item_id
                    if line.item.window is not None and line.item.window.state == OPEN
                    else None
                ),
            )
            for line in part.lines
        )
    OrderLine.objects.bulk_create(lines)


def _empty_cart(cart: Cart) -> None:
    cart.lines.all().delete()


def _notify(order: Order) -> None:
    from purei.orders.tasks import order_placed_notify

    transaction.on_commit(partial(order_placed_notify.enqueue, order_id=order.pk))


@dataclass(frozen=True)
class Placement:
    """What ``order_place_or_find`` did: ``new`` is False when the checkout's
    idempotency key had placed ``order`` before (then the cart was not touched
    now)."""

    order: Order
    new: bool


def order_place(
    *,
    cart: Cart,
    details: CheckoutDetails,
    user: User | None = None,
    now: datetime.datetime | None = None,
) -> Order:
    """Turn the cart into an order awaiting payment, holding its stock.

    Raises ``ValidationFailed`` naming each field at fault, or with code
    ``sold_out`` when stock ran out meanwhile (then nothing at all has changed).
    The same idempotency key again answers with the order it placed.
    """
    return order_place_or_find(cart=cart, details=details, user=user, now=now).order


def order_place_or_find(
    *,
    cart: Cart,
    details: CheckoutDetails,
    user: User | None = None,
    now: datetime.datetime | None = None,
) -> Placement:
    """``order_place``, saying whether the order was placed now (its cart then
    emptied, no payment yet) or found by its idempotency key."""
    now = now or timezone.now()
    existing = Order.objects.filter(idempotency_key=details.idempotency_key).first()
    if existing is not None and details.idempotency_key:
        return Placement(_same_order(existing, details, user), new=False)
    try:
        try:
            order = _place(cart=cart, details=details, user=user, now=now)
        except ValidationFailed:
            # Unpaid orders whose hold ran out still count against stock (and
            # sales windows' caps) until they are released, which
            # ``purei orders_release_expired`` does every minute, not each
            # checkout (ADR 0004). A refused checkout releases those holding
            # its products now (in their own transaction: nothing else is
            # locked), then tries once more; none there, the refusal stands.
            if not orders_release_expired_holding(
                product_ids=_cart_product_ids(cart), now=now
            ):
                raise
            order = _place(cart=cart, details=details, user=user, now=now)
        return Placement(order, new=True)
    except IntegrityError:
        # The same checkout, submitted twice at once: the other one made it.
        existing = Order.objects.filter(idempotency_key=details.idempotency_key).first()
        if existing is None:
            raise
        return Placement(_same_order(existing, details, user), new=False)


ADDRESS_FIELDS = ("country", "region", "postcode", "line1", "town")


def _quote_for_order(
    *,
    cart: Cart,
    summary: CartSummary,
    details: CheckoutDetails,
    shopper: Shopper,
    errors: dict[str, list[str]],
    now: datetime.datetime,
) -> tuple[Address | None, Quote]:
    """The order's quote, and its delivery address when a part is delivered
    (None otherwise: an address typed for a collected order is not checked,
    nor kept). Quoted once when the shopper chose a way for every part (the
    checkout form and the API send one each), without the hub: the choices
    then say whether the address counts. Otherwise (a part's only way left to
    the quote, or the hub's one parcel) quoted without the address first to
    learn whether it is needed, then again with it."""

    def quote_with(address: Address | None) -> Quote:
        return checkout_quote(
            cluster=cart.cluster,
            summary=summary,
            address=address,
            choices=details.choices,
            now=now,
            au_business=(
                address is not None and details.business_use and bool(details.buyer_abn)
            ),
            hub=details.hub,
            promo_code=details.promo_code,
            shopper=shopper,
        )

    def cleaned() -> Address | None:
        address = _clean_address(details.address, errors)
        return None if any(name in errors for name in ADDRESS_FIELDS) else address

    chosen = [details.choices.get(group.member_id) for group in summary.groups]
    if not details.hub and all(choice is not None for choice in chosen):
        if not any(
            choice is not None and choice.method in ("delivery", "freight_quote")
            for choice in chosen
        ):
            return None, quote_with(None)
        address = cleaned()
        # An address at fault is refused with the other errors, quoted without.
        return address, quote_with(address)
    first = quote_with(None)
    if not first.needs_address:
        return None, first
    address = cleaned()
    # An address at fault is refused with the other errors, quoted without.
    return address, first if address is None else quote_with(address)


@transaction.atomic
def _place(
    *, cart: Cart, details: CheckoutDetails, user: User | None, now: datetime.datetime
) -> Order:
    Cart.objects.select_for_update().filter(pk=cart.pk).first()
    summary = cart_summary(cart, now=now)
    errors: dict[str, list[str]] = {}
    if summary.is_empty:
        raise ValidationFailed(
            OrderErrorCode.CART_EMPTY, {"cart": [_("Your cart is empty.")]}
        )
    for problem in summary.problems:
        _add(errors, "cart", problem)
    details = _clean_details(details, summary, errors, cart.cluster_id)
    from purei.orders.services.promotions import shopper_facts

    shopper = shopper_facts(user, details.email)
    address, quote = _quote_for_order(
        cart=cart,
        summary=summary,
        details=details,
        shopper=shopper,
        errors=errors,
        now=now,
    )
    region = quote.region if address is not None else None
    if quote.hub_problem:
        _add(errors, "hub", quote.hub_problem)
    if quote.promotions.refused:
        _add(errors, "promo_code", quote.promotions.refused)
    elif quote.discount_cents and quote.total_cents == 0:
        # Nothing left to pay: an order is always paid for (ADR 0015).
        _add(
            errors,
            "promo_code",
            _("Promotions can't make a whole order free: add something to it."),
        )
    for part in quote.parts:
        if part.choice is None:
            _add(
                errors,
                f"choice.{part.group.member_id}",
                _choice_missing(part.group.member_name),
            )
        elif part.problem:
            _add(errors, f"choice.{part.group.member_id}", part.problem)
        elif part.day_error:
            _add(errors, f"choice.{part.group.member_id}.delivery_day", part.day_error)
    if errors:
        raise ValidationFailed(OrderErrorCode.INVALID_CHECKOUT, errors)
    members = {
        member.pk: member
        for member in Member.objects.filter(
            pk__in=[p.group.member_id for p in quote.parts]
        )
    }
    order = _create_order(
        cluster=cart.cluster,
        user=user,
        details=details,
        address=address,
        region=region,
        quote=quote,
        now=now,
    )
    _reserve_stock(quote)
    _create_fulfilments(order, quote, members)
    window_sales_take(
        order=order,
        items=[line.item for part in quote.parts for line in part.lines],
        now=now,
    )
    if quote.promotions.applied:
        from purei.promotions.services import promotion_uses_record

        promotion_uses_record(
            order_id=order.pk, applied=quote.promotions.applied, shopper=shopper
        )
    if quote.freight_quote_requested:
        freight_quotes_request(order=order, quote=quote, now=now)
    if quote.hub is not None:
        from purei.orders.services.hub import hub_parcel_open

        hub_parcel_open(
            order=order,
            point=quote.hub.label,
            charge_cents=quote.hub.charge_cents,
            split_rule=quote.hub.split_rule,
        )
    _empty_cart(cart)
    _notify(order)
    return order


# --- Unpaid orders whose hold ran out -------------------------------------------------


def order_release_expired(*, now: datetime.datetime | None = None) -> int:
    """Cancel unpaid orders whose hold has run out and put their stock back,
    and lapse freight requests not answered or paid in time. Returns how many
    orders. Safe to run from several processes at once. Run periodically
    (``purei orders_release_expired``, every minute); a checkout does not run it
    (``orders_release_expired_holding`` frees at once what a refused shopper
    needs)."""
    now = now or timezone.now()
    freight_quotes_expire(now=now)
    released = 0
    while True:
        with transaction.atomic():
            batch = list(
                Order.objects.select_for_update(skip_locked=True)
                .filter(status=Order.Status.AWAITING_PAYMENT, hold_until__lt=now)
                .order_by("hold_until")[:100]
            )
            for order in batch:
                _cancel_and_restock(order, now)
            released += len(batch)
        if len(batch) < 100:
            return released


def _cart_product_ids(cart: Cart) -> list[int]:
    return list(
        CartLine.objects.filter(cart=cart).values_list("variant__product_id", flat=True)
    )


def orders_release_expired_holding(
    *, product_ids: Iterable[int], now: datetime.datetime | None = None
) -> int:
    """Release, as ``order_release_expired`` does, only the unpaid orders whose
    hold ran out and that hold some of ``product_ids`` (any variant): what a
    shopper refused for stock (or a sales window's cap) needs at once, not
    waiting for the periodic sweep. One query when there are none. Safe to run
    from several processes at once (locked rows are skipped: another process is
    releasing them). Returns how many orders it cancelled."""
    now = now or timezone.now()
    wanted = sorted(set(product_ids))
    if not wanted:
        return 0
    holding = OrderLine.objects.filter(product_id__in=wanted).values("order_id")
    released = 0
    while True:
        with transaction.atomic():
            batch = list(
                Order.objects.select_for_update(skip_locked=True)
                .filter(
                    status=Order.Status.AWAITING_PAYMENT,
                    hold_until__lt=now,
                    pk__in=holding,
                )
                .order_by("hold_until")[:100]
            )
            for order in batch:
                _cancel_and_restock(order, now)
            if batch:
                # A freight request of such an order lapsed with it (as
                # ``freight_quotes_expire`` marks it).
                FreightQuote.objects.filter(
                    order__in=batch,
                    status__in=(
                        FreightQuote.Status.REQUESTED,
                        FreightQuote.Status.QUOTED,
                    ),
                ).update(
                    status=FreightQuote.Status.EXPIRED, closed_at=now, updated_at=now
                )
            released += len(batch)
        if len(batch) < 100:
            return released


def _cancel_and_restock(order: Order, now: datetime.datetime) -> None:
    lines = list(OrderLine.objects.filter(order=order).order_by("variant_id"))
    for line in lines:
        back = line.quantity - line.cancelled_quantity
        if line.variant_id and back:
            Variant.objects.filter(
                pk=line.variant_id, stock_policy=Variant.StockPolicy.TRACKED
            ).update(stock=F("stock") + back)
    window_sales_release(
        {line.pk: line.quantity - line.cancelled_quantity for line in lines}, lines
    )
    product_facts_changed_on_commit(
        line.product_id for line in lines if line.product_id
    )
    Fulfilment.objects.filter(order=order).exclude(
        status=Fulfilment.Status.CANCELLED
    ).update(status=Fulfilment.Status.CANCELLED, cancelled_at=now)
    order.status = Order.Status.CANCELLED
    order.cancelled_at = now
    order.hold_until = None
    order.save(update_fields=["status", "cancelled_at", "hold_until", "updated_at"])
    order_event("order.cancelled", order, extra={"reason": "hold_expired"})
    if order.discount_cents:
        # Never paid: the promotions it used are given back.
        from purei.promotions.services import promotion_uses_release

        promotion_uses_release(order_id=order.pk, now=now)

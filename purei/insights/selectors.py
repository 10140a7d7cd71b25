"""The dashboards' figures, read from orders and the ledger (docs/insights.md).

Every figure is summed in SQL (GROUP BY), so a dashboard costs the same dozen
queries whatever the number of orders or periods: a sale's period is found in
SQL by comparing its time with the periods' first moments (``_bucket``), never
row by row in Python.

What the figures are:

* **sales** — the goods of orders paid (or, for trade orders on account,
  invoiced), at what customers paid for them: each line's total, GST-inclusive,
  after promotions, less items cancelled; dated when the order was placed
  (New Zealand time). Delivery charges, goodwill refunds and unpaid or cancelled
  orders are not sales. The ledger's report shows the money collected.
* **commission** and **fees** — the ledger's own postings (never worked out
  again here): the commission and commission GST accounts, and each member's
  share of the gateway fees, per part of an order, dated when they were booked.
* **payouts made** — the ledger's payouts, dated when they were made.

Reads are scoped by the cluster or member handed in; who may see which is the
views' and the API's to check (``dashboard_cluster_get_for``,
``dashboard_member_get_for``), which answer 404 outside the actor's scope.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Expression,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from purei.catalogue.models import Category, Variant
from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.models import Cluster, Region
from purei.core.actor import Actor
from purei.core.countries import country_name
from purei.ledger.models import Account, Payout, Posting
from purei.members.models import Member, Membership
from purei.members.selectors import member_get_for_team
from purei.orders.models import Order, OrderLine

from .channels import SHOWN, Channel, channel_of
from .models import BenchmarkOptIn, WholesalePrice
from .ranges import DateRange, Period

# Medians are shown only when at least this many members opted in.
BENCHMARK_MINIMUM = 5
TOP_PRODUCTS = 10


# --- Who may see what ---------------------------------------------------------


def dashboard_cluster_get_for(*, actor: Actor, slug: str) -> Cluster:
    """The cluster whose dashboard ``actor`` may see: its admins and platform
    staff; ``Http404`` for everyone else."""
    return cluster_get_for_admin(actor=actor, slug=slug)


def dashboard_member_get_for(*, actor: Actor, slug: str) -> Member:
    """The member business whose dashboard ``actor`` may see: its owners and
    staff, and platform staff; ``Http404`` for everyone else (a cluster's admins
    included: a member's own figures are its own)."""
    return member_get_for_team(actor=actor, slug=slug)


def member_clusters(member: Member) -> list[Cluster]:
    """The clusters the member is approved in, by name."""
    return list(
        Cluster.objects.filter(
            memberships__member=member,
            memberships__status=Membership.Status.APPROVED,
        )
        .distinct()
        .order_by("name_en", "pk")
    )


# --- The figures' shapes --------------------------------------------------------


@dataclass
class PeriodFigures:
    period: Period
    sales_cents: int = 0
    orders: int = 0
    units: int = 0
    payouts_cents: int = 0
    promotion_sales_cents: int = 0
    promotion_discount_cents: int = 0

    @property
    def average_order_cents(self) -> int:
        return _ratio(self.sales_cents, self.orders)


@dataclass(frozen=True)
class Slice:
    """One member's, category's, channel's or market's part of the sales."""

    key: str
    label: str
    sales_cents: int
    orders: int | None  # None: not counted (categories: an order spans several)
    share_permille: int  # of the range's sales, in tenths of a percent


@dataclass(frozen=True)
class ProductFigures:
    product_id: int | None
    title: str
    units: int
    sales_cents: int


@dataclass
class Dashboard:
    range: DateRange
    periods: list[PeriodFigures] = field(default_factory=list)
    sales_cents: int = 0
    orders: int = 0
    units: int = 0
    customers: int = 0
    repeat_customers: int = 0
    payouts_cents: int = 0
    promotion_sales_cents: int = 0  # sales of goods a promotion took money off
    promotion_discount_cents: int = 0  # what the promotions took off them
    by_member: list[Slice] = field(default_factory=list)
    by_category: list[Slice] = field(default_factory=list)
    by_channel: list[Slice] = field(default_factory=list)
    by_region: list[Slice] = field(default_factory=list)
    by_country: list[Slice] = field(default_factory=list)
    top_products: list[ProductFigures] = field(default_factory=list)
    category_sales: dict[int | None, int] = field(default_factory=dict)

    @property
    def average_order_cents(self) -> int:
        return _ratio(self.sales_cents, self.orders)

    @property
    def repeat_permille(self) -> int:
        return _ratio(1000 * self.repeat_customers, self.customers)


def _ratio(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up (0 when nothing to divide)."""
    if denominator <= 0:
        return 0
    whole, rest = divmod(numerator, denominator)
    return whole + (1 if 2 * rest >= denominator else 0)


# --- Reading the sales ------------------------------------------------------------

SOLD = (
    Q(order__paid_at__isnull=False) | Q(order__status=Order.Status.ON_ACCOUNT)
) & ~Q(order__status=Order.Status.CANCELLED)
UNITS = Sum(F("quantity") - F("cancelled_quantity"))
SALES = Sum("total_cents")
ORDERS = Count("order_id", distinct=True)


class _Bucket(Expression):
    """The index of the period a time falls in, found in SQL by a binary search
    over the periods' first moments: a nested ``CASE`` of about seven
    comparisons a row for two years of weeks, built as one string (Django's
    ``Case``/``When`` cost more to compile than the query costs to run). Rows
    outside the range are filtered out before."""

    def __init__(self, source: Any, bounds: list[dt.datetime]) -> None:
        super().__init__(output_field=IntegerField())
        self.source = source
        self.bounds = bounds

    def get_source_expressions(self) -> list[Any]:
        return [self.source]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.source,) = exprs

    def as_sql(  # type: ignore[override]  # the stubs' params are a tuple; a list is what Django passes on
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        column, column_params = compiler.compile(self.source)
        adapt = connection.ops.adapt_datetimefield_value

        def search(low: int, high: int) -> tuple[str, list[Any]]:
            # the index among periods low..high-1 (bounds[i] starts period i)
            if high - low <= 1:
                return str(low), []
            middle = (low + high) // 2
            left, left_params = search(low, middle)
            right, right_params = search(middle, high)
            return (
                f"CASE WHEN {column} < %s THEN {left} ELSE {right} END",
                [
                    *column_params,
                    adapt(self.bounds[middle]),
                    *left_params,
                    *right_params,
                ],
            )

        return search(0, max(len(self.bounds) - 1, 1))


def _bucket(path: str, bounds: list[dt.datetime]) -> _Bucket:
    return _Bucket(F(path), bounds)


def sold_lines(
    rng: DateRange, *, cluster: Cluster | None = None, member: Member | None = None
) -> QuerySet[OrderLine]:
    """The order lines sold in ``rng`` in ``cluster`` and/or by ``member``."""
    lines = OrderLine.objects.filter(
        SOLD, order__created_at__gte=rng.since, order__created_at__lt=rng.until
    )
    if cluster is not None:
        lines = lines.filter(order__cluster_id=cluster.pk)
    if member is not None:
        lines = lines.filter(fulfilment__member_id=member.pk)
    return lines


def _slices(rows: dict[str, tuple[str, int, int | None]], total: int) -> list[Slice]:
    """Slices from ``key -> (label, sales, orders)``, largest first."""
    out = [
        Slice(key, label, sales, orders, _ratio(1000 * sales, total))
        for key, (label, sales, orders) in rows.items()
    ]
    out.sort(key=lambda s: (-s.sales_cents, s.label.casefold()))
    return out


def _by_period(
    rng: DateRange, lines: QuerySet[OrderLine], payouts: QuerySet[Payout]
) -> list[PeriodFigures]:
    periods = [PeriodFigures(period=p) for p in rng.periods]
    bounds = rng.bounds()
    rows = (
        lines.annotate(bucket=_bucket("order__created_at", bounds))
        .values("bucket")
        .annotate(
            sales=SALES,
            orders=ORDERS,
            units=UNITS,
            promo_sales=Sum("total_cents", filter=Q(discount_cents__gt=0)),
            promo_off=Sum("discount_cents"),
        )
        .order_by()
    )
    for row in rows:
        if 0 <= row["bucket"] < len(periods):
            figures = periods[row["bucket"]]
            figures.sales_cents = int(row["sales"] or 0)
            figures.orders = int(row["orders"] or 0)
            figures.units = int(row["units"] or 0)
            figures.promotion_sales_cents = int(row["promo_sales"] or 0)
            figures.promotion_discount_cents = int(row["promo_off"] or 0)
    paid = (
        payouts.filter(created_at__gte=rng.since, created_at__lt=rng.until)
        .annotate(bucket=_bucket("created_at", bounds))
        .values("bucket")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    for paid_row in paid:
        if 0 <= paid_row["bucket"] < len(periods):
            periods[paid_row["bucket"]].payouts_cents = int(paid_row["total"] or 0)
    return periods


def _customers(lines: QuerySet[OrderLine]) -> tuple[int, int]:
    """How many customers bought (by email, whatever its case), and how many of
    them more than once: one query, no address read into Python."""
    orders = Order.objects.filter(pk__in=lines.values("order_id"))
    counts = (
        orders.annotate(who=Lower("email"))
        .values("who")
        .annotate(n=Count("pk"))
        .order_by()
        .aggregate(customers=Count("who"), repeat=Count("who", filter=Q(n__gt=1)))
    )
    return int(counts["customers"] or 0), int(counts["repeat"] or 0)


def _channels_and_markets(
    lines: QuerySet[OrderLine], total: int
) -> tuple[list[Slice], list[Slice], list[Slice]]:
    """Sales by channel, by New Zealand region (of the delivery address; picked
    up without one: "No delivery address") and by country, from one query. An
    order whose parts went through two channels (one delivered, one picked up)
    counts once in each, and so twice in its region's and country's orders."""
    rows = (
        lines.values(
            "order__channel",
            "fulfilment__method",
            "order__country",
            "order__region_id",
            "window_item_id",
        )
        .annotate(sales=SALES, orders=ORDERS)
        .order_by()
    )
    regions = Region.objects.in_bulk()
    by_channel: dict[Channel, list[int]] = {}
    by_region: dict[str, tuple[str, int, int | None]] = {}
    by_country: dict[str, tuple[str, int, int | None]] = {}
    for row in rows:
        sales, orders = int(row["sales"] or 0), int(row["orders"] or 0)
        channel = channel_of(
            order_channel=row["order__channel"],
            method=row["fulfilment__method"],
            country=row["order__country"],
            window_id=row["window_item_id"],
        )
        got = by_channel.setdefault(channel, [0, 0])
        got[0] += sales
        got[1] += orders
        country = row["order__country"] or "NZ"
        label, s, o = by_country.get(country, (country_name(country), 0, 0))
        by_country[country] = (label, s + sales, (o or 0) + orders)
        if country != "NZ":
            continue
        region = regions.get(row["order__region_id"] or 0)
        key = region.code if region else "none"
        name = region.name_en if region else _("No delivery address (picked up)")
        label, s, o = by_region.get(key, (name, 0, 0))
        by_region[key] = (label, s + sales, (o or 0) + orders)
    shown = [c for c in SHOWN if c in by_channel]
    shown += [c for c in by_channel if c not in SHOWN]
    channels = [
        Slice(
            c.value,
            str(c.label),
            by_channel[c][0],
            by_channel[c][1],
            _ratio(1000 * by_channel[c][0], total),
        )
        for c in shown
    ]
    return channels, _slices(by_region, total), _slices(by_country, total)


def _products(
    lines: QuerySet[OrderLine],
) -> tuple[list[ProductFigures], dict[int | None, int]]:
    """The best-selling products, and the sales by category (id), from one
    query grouped by product (as many rows as products sold)."""
    rows = (
        lines.values("product_id", "product__category_id")
        .annotate(sales=SALES, units=UNITS, title=Max("title"))
        .order_by("-sales", "product_id")
    )
    products: list[ProductFigures] = []
    by_category: dict[int | None, int] = defaultdict(int)
    for r in rows:
        sales = int(r["sales"] or 0)
        by_category[r["product__category_id"]] += sales
        if len(products) < TOP_PRODUCTS:
            products.append(
                ProductFigures(
                    product_id=r["product_id"],
                    title=r["title"] or "",
                    units=int(r["units"] or 0),
                    sales_cents=sales,
                )
            )
    return products, dict(by_category)


def _fill(
    rng: DateRange, lines: QuerySet[OrderLine], payouts: QuerySet[Payout]
) -> Dashboard:
    """What both dashboards show: by period, totals, customers, channels,
    markets, promotions and top products."""
    board = Dashboard(range=rng)
    board.periods = _by_period(rng, lines, payouts)
    # Each order falls in one period, so the periods add up to the range.
    for name in (
        "sales_cents",
        "orders",
        "units",
        "promotion_sales_cents",
        "promotion_discount_cents",
    ):
        setattr(board, name, sum(getattr(p, name) for p in board.periods))
    board.payouts_cents = sum(p.payouts_cents for p in board.periods)
    board.customers, board.repeat_customers = _customers(lines)
    board.by_channel, board.by_region, board.by_country = _channels_and_markets(
        lines, board.sales_cents
    )
    board.top_products, board.category_sales = _products(lines)
    return board


def cluster_dashboard(cluster: Cluster, rng: DateRange) -> Dashboard:
    """The cluster's dashboard for its admins: everything, and by member and by
    category too."""
    lines = sold_lines(rng, cluster=cluster)
    board = _fill(rng, lines, Payout.objects.filter(cluster_id=cluster.pk))
    rows = list(
        lines.values("fulfilment__member_id")
        .annotate(sales=SALES, orders=ORDERS)
        .order_by()
    )
    members = Member.objects.in_bulk([r["fulfilment__member_id"] for r in rows])
    board.by_member = _slices(
        {
            str(r["fulfilment__member_id"]): (
                members[r["fulfilment__member_id"]].name,
                int(r["sales"] or 0),
                int(r["orders"] or 0),
            )
            for r in rows
        },
        board.sales_cents,
    )
    categories = Category.objects.in_bulk(
        [pk for pk in board.category_sales if pk is not None]
    )
    by_category: dict[str, tuple[str, int, int | None]] = {}
    for pk, sales in board.category_sales.items():
        category = categories.get(pk or 0)
        key = category.slug if category else "none"
        label = category.name_en if category else _("Uncategorised")
        by_category[key] = (label, sales, None)
    board.by_category = _slices(by_category, board.sales_cents)
    return board


def member_dashboard(member: Member, rng: DateRange) -> Dashboard:
    """The member's own dashboard: its sales in every cluster it sells in, its
    top products, its customers' regions and countries (no customer named) and
    its payouts."""
    lines = sold_lines(rng, member=member)
    return _fill(rng, lines, Payout.objects.filter(member_id=member.pk))


# --- Margin kept by selling direct ------------------------------------------------


@dataclass
class MarginRow:
    """One period of a member's retail sales of the variants it gave a
    wholesale price, in cents excluding GST."""

    period: Period
    units: int = 0
    revenue_cents: int = 0  # what customers paid for them, less GST
    commission_cents: int = 0  # the ledger's commission and its GST, their share
    fees_cents: int = 0  # the ledger's gateway fees (the member's share), theirs
    wholesale_cents: int = 0  # the same units at the wholesale prices
    unpriced_revenue_cents: int = 0  # retail sales of variants without a price

    @property
    def kept_cents(self) -> int:
        return self.revenue_cents - self.commission_cents - self.fees_cents

    @property
    def gain_cents(self) -> int:
        """What selling direct kept over selling wholesale (negative: less)."""
        return self.kept_cents - self.wholesale_cents


@dataclass
class Margin:
    rows: list[MarginRow]
    priced_variants: int

    @property
    def totals(self) -> MarginRow:
        total = MarginRow(
            period=Period(self.rows[0].period.start, self.rows[-1].period.end)
        )
        for row in self.rows:
            for name in (
                "units",
                "revenue_cents",
                "commission_cents",
                "fees_cents",
                "wholesale_cents",
                "unpriced_revenue_cents",
            ):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


def _share(amount: int, part: int, whole: int) -> int:
    """``amount`` x ``part`` / ``whole``, rounded half up (0 when no whole)."""
    return _ratio(amount * part, whole) if whole > 0 else 0


def member_margin(member: Member, rng: DateRange) -> Margin:
    """Per period: the member's retail revenue (less GST) of the variants it
    priced wholesale, less the ledger's commission (with its GST) and the
    member's share of the gateway fees on them, against those units at the
    wholesale prices.

    The ledger books commission and fees per part of an order; a period's are
    shared between the priced variants and the rest in proportion to their
    revenue (so a member who priced every variant sees the ledger's figures
    whole). Three queries."""
    bounds = rng.bounds()
    prices = dict(
        WholesalePrice.objects.filter(member_id=member.pk).values_list(
            "variant_id", "price_cents"
        )
    )
    rows = [MarginRow(period=p) for p in rng.periods]
    retail = sold_lines(rng, member=member).filter(order__channel=Order.Channel.RETAIL)
    all_revenue = [0] * len(rows)
    for row in (
        retail.annotate(bucket=_bucket("order__created_at", bounds))
        .values("bucket", "variant_id")
        .annotate(units=UNITS, revenue=Sum(F("total_cents") - F("gst_cents")))
        .order_by()
    ):
        index = row["bucket"]
        if not 0 <= index < len(rows):
            continue
        revenue, units = int(row["revenue"] or 0), int(row["units"] or 0)
        all_revenue[index] += revenue
        price = prices.get(row["variant_id"] or 0)
        if price is None:
            rows[index].unpriced_revenue_cents += revenue
            continue
        rows[index].units += units
        rows[index].revenue_cents += revenue
        rows[index].wholesale_cents += units * price
    kinds = Account.Kind
    ledger: dict[int, dict[str, int]] = defaultdict(lambda: {"c": 0, "f": 0})
    for posted in (
        Posting.objects.filter(
            Q(account__kind__in=(kinds.COMMISSION, kinds.COMMISSION_GST))
            | Q(account__kind=kinds.GATEWAY_FEES, amount_cents__lt=0),
            fulfilment__member_id=member.pk,
            fulfilment__order__channel=Order.Channel.RETAIL,
            journal__occurred_at__gte=rng.since,
            journal__occurred_at__lt=rng.until,
        )
        .annotate(bucket=_bucket("journal__occurred_at", bounds))
        .values("bucket", "account__kind")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    ):
        key = "f" if posted["account__kind"] == kinds.GATEWAY_FEES else "c"
        ledger[posted["bucket"]][key] -= int(posted["total"] or 0)
    for index, margin_row in enumerate(rows):
        booked = ledger.get(index, {"c": 0, "f": 0})
        margin_row.commission_cents = _share(
            booked["c"], margin_row.revenue_cents, all_revenue[index]
        )
        margin_row.fees_cents = _share(
            booked["f"], margin_row.revenue_cents, all_revenue[index]
        )
    return Margin(rows=rows, priced_variants=len(prices))


def wholesale_price_list_for_member(member: Member) -> list[tuple[Variant, int | None]]:
    """The member's variants (by product and name) with their wholesale price
    (None: not given)."""
    variants = (
        Variant.objects.filter(member_id=member.pk)
        .select_related("product")
        .order_by("product__title_en", "name", "sku", "pk")
    )
    prices = dict(
        WholesalePrice.objects.filter(member_id=member.pk).values_list(
            "variant_id", "price_cents"
        )
    )
    return [(variant, prices.get(variant.pk)) for variant in variants]


# --- Anonymised benchmarking -------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    """A member's figures beside the median of the members of ``cluster`` who
    opted in; the medians only when at least ``BENCHMARK_MINIMUM`` did and the
    member is one of them (``shown``). No other member is ever named."""

    cluster: Cluster
    opted_in: bool
    members_opted_in: int
    shown: bool
    sales_cents: int = 0
    orders: int = 0
    average_order_cents: int = 0
    median_sales_cents: int = 0
    median_orders: int = 0
    median_average_order_cents: int = 0


def _median(values: list[int]) -> int:
    """The median, half up to a whole number (cents, orders)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return _ratio(ordered[middle - 1] + ordered[middle], 2)


def member_benchmarks(member: Member, rng: DateRange) -> list[Benchmark]:
    """One benchmark per cluster the member is approved in: two queries, plus one
    per cluster where the medians are shown."""
    clusters = member_clusters(member)
    opted: dict[int, set[int]] = defaultdict(set)
    for cluster_id, member_id in BenchmarkOptIn.objects.filter(
        cluster__in=clusters,
        member__memberships__cluster_id=F("cluster_id"),
        member__memberships__status=Membership.Status.APPROVED,
    ).values_list("cluster_id", "member_id"):
        opted[cluster_id].add(member_id)
    out = []
    for cluster in clusters:
        members = opted.get(cluster.pk, set())
        opted_in = member.pk in members
        if not opted_in or len(members) < BENCHMARK_MINIMUM:
            out.append(Benchmark(cluster, opted_in, len(members), shown=False))
            continue
        figures: dict[int, tuple[int, int]] = dict.fromkeys(members, (0, 0))
        for row in (
            sold_lines(rng, cluster=cluster)
            .filter(fulfilment__member_id__in=members)
            .values("fulfilment__member_id")
            .annotate(sales=SALES, orders=ORDERS)
            .order_by()
        ):
            figures[row["fulfilment__member_id"]] = (
                int(row["sales"] or 0),
                int(row["orders"] or 0),
            )
        sales, orders = figures[member.pk]
        out.append(
            Benchmark(
                cluster,
                opted_in,
                len(members),
                shown=True,
                sales_cents=sales,
                orders=orders,
                average_order_cents=_ratio(sales, orders),
                median_sales_cents=_median([s for s, _o in figures.values()]),
                median_orders=_median([o for _s, o in figures.values()]),
                median_average_order_cents=_median(
                    [_ratio(s, o) for s, o in figures.values()]
                ),
            )
        )
    return out


def benchmark_opt_in_get(member: Member, cluster: Cluster) -> BenchmarkOptIn | None:
    return BenchmarkOptIn.objects.filter(member=member, cluster=cluster).first()


def as_dict(board: Dashboard) -> dict[str, Any]:
    """The dashboard as plain values (the API's answer)."""
    return {
        "from": board.range.start,
        "to": board.range.end,
        "by": board.range.by,
        "sales_cents": board.sales_cents,
        "orders": board.orders,
        "units": board.units,
        "average_order_cents": board.average_order_cents,
        "customers": board.customers,
        "repeat_customers": board.repeat_customers,
        "payouts_cents": board.payouts_cents,
        "promotion_sales_cents": board.promotion_sales_cents,
        "promotion_discount_cents": board.promotion_discount_cents,
        "periods": [
            {
                "start": p.period.start,
                "end": p.period.end,
                "sales_cents": p.sales_cents,
                "orders": p.orders,
                "units": p.units,
                "payouts_cents": p.payouts_cents,
            }
            for p in board.periods
        ],
        **{
            name: [
                {"key": s.key, "label": s.label, "sales_cents": s.sales_cents}
                | {"orders": s.orders}
                for s in getattr(board, name)
            ]
            for name in (
                "by_member",
                "by_category",
                "by_channel",
                "by_region",
                "by_country",
            )
        },
        "top_products": [
            {"title": p.title, "units": p.units, "sales_cents": p.sales_cents}
            for p in board.top_products
        ],
    }

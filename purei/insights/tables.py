"""A dashboard as tables and charts (the page, the CSV and the XLSX all use
these): each table's figures as integers (cents, counts, per mille)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from purei.core.money import format_nzd

from .charts import Chart, Column, Table, bar_chart, hbar_chart, show
from .selectors import Benchmark, Dashboard, Margin, Slice


def _period_table(board: Dashboard) -> Table:
    by = _("Week") if board.range.by == "week" else _("Month")
    table = Table(
        key="sales-by-period",
        title=_("Sales by %(by)s, %(range)s")
        % {"by": by.lower(), "range": board.range.label},
        columns=[
            Column(by),
            Column(_("Sales"), money=True),
            Column(_("Orders")),
            Column(_("Units")),
            Column(_("Average order"), money=True),
            Column(_("Payouts made"), money=True),
        ],
    )
    for p in board.periods:
        table.rows.append(
            [
                p.period.long_label,
                p.sales_cents,
                p.orders,
                p.units,
                p.average_order_cents,
                p.payouts_cents,
            ]
        )
    return table


def _slice_table(key: str, title: str, heading: str, slices: list[Slice]) -> Table:
    """A slice per row; an orders column unless the slices do not count them."""
    orders = all(s.orders is not None for s in slices)
    columns = [Column(heading), Column(_("Sales"), money=True)]
    if orders:
        columns.append(Column(_("Orders")))
    table = Table(
        key=key,
        title=title,
        columns=[*columns, Column(_("Share of sales"), permille=True)],
    )
    for s in slices:
        counted = [s.orders] if orders and s.orders is not None else []
        table.rows.append([s.label, s.sales_cents, *counted, s.share_permille])
    return table


def _describe_slices(what: str, slices: list[Slice]) -> str:
    if not slices:
        return _("No sales in these dates.")
    top = slices[0]
    return _(
        "Sales %(what)s, largest first: %(count)s in all; the largest is "
        "%(label)s with %(sales)s (%(share)s of sales)."
    ) % {
        "what": what,
        "count": len(slices),
        "label": top.label,
        "sales": format_nzd(top.sales_cents),
        "share": f"{top.share_permille // 10}.{top.share_permille % 10}\u00a0%",
    }


def summary_table(board: Dashboard) -> Table:
    table = Table(
        key="summary",
        title=_("Summary, %(range)s") % {"range": board.range.label},
        columns=[Column(_("Figure")), Column(_("Value"))],
    )
    money = Column("", money=True)
    permille = Column("", permille=True)
    for label, value in (
        (_("Sales"), show(board.sales_cents, money)),
        (_("Orders"), f"{board.orders:,}"),
        (_("Units sold"), f"{board.units:,}"),
        (_("Average order"), show(board.average_order_cents, money)),
        (_("Customers"), f"{board.customers:,}"),
        (_("Customers who bought more than once"), f"{board.repeat_customers:,}"),
        (_("Share of customers who came back"), show(board.repeat_permille, permille)),
        (_("Sold under a promotion"), show(board.promotion_sales_cents, money)),
        (_("Taken off by promotions"), show(board.promotion_discount_cents, money)),
        (_("Payouts made"), show(board.payouts_cents, money)),
    ):
        table.rows.append([label, value])
    return table


def period_chart(board: Dashboard) -> Chart:
    table = _period_table(board)
    best = max(board.periods, key=lambda p: p.sales_cents, default=None)
    desc = _("Bars of sales for each of %(count)s periods, %(total)s in all.") % {
        "count": len(board.periods),
        "total": format_nzd(board.sales_cents),
    }
    if best is not None and best.sales_cents:
        desc += " " + _("The best was %(period)s with %(sales)s.") % {
            "period": best.period.long_label,
            "sales": format_nzd(best.sales_cents),
        }
    labels = {p.period.long_label: p.period.label for p in board.periods}
    return bar_chart(
        table=table,
        series=[1],
        desc=desc,
        label=lambda row: labels.get(str(row[0]), str(row[0])),
    )


def slice_chart(
    key: str, title: str, heading: str, what: str, slices: list[Slice]
) -> Chart:
    table = _slice_table(key, title, heading, slices)
    return hbar_chart(table=table, column=1, desc=_describe_slices(what, slices))


def products_chart(board: Dashboard) -> Chart:
    table = Table(
        key="top-products",
        title=_("Top products by sales, %(range)s") % {"range": board.range.label},
        columns=[
            Column(_("Product")),
            Column(_("Units")),
            Column(_("Sales"), money=True),
        ],
    )
    for p in board.top_products:
        table.rows.append([p.title, p.units, p.sales_cents])
    if board.top_products:
        top = board.top_products[0]
        desc = _(
            "The %(count)s best-selling products; first, %(title)s with %(sales)s."
        ) % {
            "count": len(board.top_products),
            "title": top.title,
            "sales": format_nzd(top.sales_cents),
        }
    else:
        desc = _("No sales in these dates.")
    return hbar_chart(table=table, column=2, desc=desc)


def cluster_charts(board: Dashboard) -> list[Chart]:
    rng = board.range.label
    return [
        period_chart(board),
        slice_chart(
            "by-member",
            _("Sales by member, %(range)s") % {"range": rng},
            _("Member"),
            _("by member"),
            board.by_member,
        ),
        slice_chart(
            "by-category",
            _("Sales by category, %(range)s") % {"range": rng},
            _("Category"),
            _("by category"),
            board.by_category,
        ),
        slice_chart(
            "by-channel",
            _("Sales by channel, %(range)s") % {"range": rng},
            _("Channel"),
            _("by channel"),
            board.by_channel,
        ),
        slice_chart(
            "by-region",
            _("Sales by New Zealand region, %(range)s") % {"range": rng},
            _("Region"),
            _("by region"),
            board.by_region,
        ),
        slice_chart(
            "by-country",
            _("Sales by country, %(range)s") % {"range": rng},
            _("Country"),
            _("by country"),
            board.by_country,
        ),
        products_chart(board),
    ]


def member_charts(board: Dashboard) -> list[Chart]:
    rng = board.range.label
    return [
        period_chart(board),
        products_chart(board),
        slice_chart(
            "by-region",
            _("Where your customers are: New Zealand regions, %(range)s")
            % {"range": rng},
            _("Region"),
            _("by your customers' region"),
            board.by_region,
        ),
        slice_chart(
            "by-country",
            _("Where your customers are: countries, %(range)s") % {"range": rng},
            _("Country"),
            _("by your customers' country"),
            board.by_country,
        ),
        slice_chart(
            "by-channel",
            _("Your sales by channel, %(range)s") % {"range": rng},
            _("Channel"),
            _("by channel"),
            board.by_channel,
        ),
    ]


def margin_chart(margin: Margin, range_label: str) -> Chart:
    table = Table(
        key="margin-kept",
        title=_("Margin kept by selling direct, %(range)s") % {"range": range_label},
        columns=[
            Column(_("Period")),
            Column(_("Units")),
            Column(_("Retail revenue less GST"), money=True),
            Column(_("Commission and its GST"), money=True),
            Column(_("Fees"), money=True),
            Column(_("Kept selling direct"), money=True),
            Column(_("At wholesale"), money=True),
            Column(_("Difference"), money=True),
        ],
        note=_(
            "Only the variants you gave a wholesale price. Commission and fees are "
            "the ledger's, shared with your other retail sales in proportion to "
            "revenue."
        ),
    )
    for row in [*margin.rows, margin.totals]:
        table.rows.append(
            [
                row.period.long_label,
                row.units,
                row.revenue_cents,
                row.commission_cents,
                row.fees_cents,
                row.kept_cents,
                row.wholesale_cents,
                row.gain_cents,
            ]
        )
    table.rows[-1][0] = _("Total")
    total = margin.totals
    desc = _(
        "Pairs of bars per period: what you kept selling direct against what the "
        "same %(units)s units would have brought at wholesale. In all, %(kept)s "
        "against %(wholesale)s: %(gain)s."
    ) % {
        "units": f"{total.units:,}",
        "kept": format_nzd(total.kept_cents),
        "wholesale": format_nzd(total.wholesale_cents),
        "gain": format_nzd(total.gain_cents),
    }
    chart = bar_chart(
        table=Table(table.key, table.title, table.columns, table.rows[:-1]),
        series=[5, 6],
        desc=desc,
    )
    return Chart(chart.key, chart.title, chart.desc, chart.svg, table)


def benchmark_table(benchmark: Benchmark, range_label: str) -> Table:
    table = Table(
        key=f"benchmark-{benchmark.cluster.slug}",
        title=_("You and the median member of %(cluster)s, %(range)s")
        % {"cluster": benchmark.cluster.name, "range": range_label},
        columns=[Column(_("Figure")), Column(_("You")), Column(_("Median member"))],
        note=_(
            "The median of the %(count)s members who chose to be counted; "
            "no member is named."
        )
        % {"count": benchmark.members_opted_in},
    )
    table.rows = [
        [
            _("Sales"),
            format_nzd(benchmark.sales_cents),
            format_nzd(benchmark.median_sales_cents),
        ],
        [_("Orders"), f"{benchmark.orders:,}", f"{benchmark.median_orders:,}"],
        [
            _("Average order"),
            format_nzd(benchmark.average_order_cents),
            format_nzd(benchmark.median_average_order_cents),
        ],
    ]
    return table

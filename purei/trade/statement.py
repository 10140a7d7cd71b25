"""A trade buyer's statement of account (docs/trade.md "Statements"): its open
invoices — trade orders invoiced to it and not yet paid in full — each with its
invoice date, due date, total, what was paid and what is owed, in the order's
currency and in NZD (the receivable in the cluster's books), aged by days past
the due date: current (not yet due), 1-30, 31-60, 61-90 and over 90 days overdue.
Reads only; who may see one is the caller's check (``selectors``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purei.ledger.models import Account, Posting
from purei.orders.models import Order
from purei.trade.models import Currency, TradeAccount, TradeOrder, TradePayment

BUCKETS: tuple[str, ...] = ("current", "1_30", "31_60", "61_90", "90_plus")
BUCKET_LABELS = {
    "current": _("Current"),
    "1_30": _("1 to 30 days overdue"),
    "31_60": _("31 to 60 days overdue"),
    "61_90": _("61 to 90 days overdue"),
    "90_plus": _("Over 90 days overdue"),
}


def bucket_for(days_overdue: int) -> str:
    if days_overdue <= 0:
        return "current"
    if days_overdue <= 30:
        return "1_30"
    if days_overdue <= 60:
        return "31_60"
    if days_overdue <= 90:
        return "61_90"
    return "90_plus"


@dataclass(frozen=True)
class OpenInvoice:
    made: TradeOrder
    number: str
    invoice_date: dt.date
    due_on: dt.date
    currency: str
    total_cents: int  # in ``currency``
    paid_cents: int  # in ``currency``
    owed_cents: int  # in ``currency``
    owed_nzd_cents: int
    deposit_cents: int  # in ``currency``
    days_overdue: int
    bucket: str

    @property
    def bucket_label(self) -> str:
        return str(BUCKET_LABELS[self.bucket])


@dataclass
class Statement:
    account: TradeAccount
    as_of: dt.date
    invoices: list[OpenInvoice] = field(default_factory=list)

    @property
    def currency(self) -> str:
        return self.account.currency

    def _sum(self, key: str, bucket: str | None) -> int:
        return sum(
            getattr(inv, key)
            for inv in self.invoices
            if (bucket is None or inv.bucket == bucket)
            and (key == "owed_nzd_cents" or inv.currency == self.currency)
        )

    @property
    def aging(self) -> list[tuple[str, str, int, int]]:
        """(bucket, label, owed in the account's currency, owed in NZD) each."""
        return [
            (
                b,
                str(BUCKET_LABELS[b]),
                self._sum("owed_cents", b),
                self._sum("owed_nzd_cents", b),
            )
            for b in BUCKETS
        ]

    @property
    def total_cents(self) -> int:
        return self._sum("owed_cents", None)

    @property
    def total_nzd_cents(self) -> int:
        return self._sum("owed_nzd_cents", None)

    @property
    def overdue(self) -> list[OpenInvoice]:
        return [inv for inv in self.invoices if inv.days_overdue > 0]


def _receivables(order_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Posting.objects.filter(
            account__kind=Account.Kind.TRADE_RECEIVABLE, journal__order_id__in=order_ids
        )
        .values("journal__order_id")
        .annotate(total=Sum("amount_cents"))
    )
    return {int(r["journal__order_id"]): int(r["total"] or 0) for r in rows}


def open_trade_orders(
    accounts: Iterable[TradeAccount] | None = None,
) -> QuerySet[TradeOrder]:
    """Trade orders invoiced to their buyer and not yet paid in full."""
    made = TradeOrder.objects.filter(
        invoiced_at__isnull=False, paid_in_full_at__isnull=True
    ).exclude(order__status=Order.Status.CANCELLED)
    if accounts is not None:
        made = made.filter(account__in=list(accounts))
    return made.select_related("order", "account", "account__cluster").order_by(
        "due_on", "pk"
    )


def statement_for(account: TradeAccount, as_of: dt.date | None = None) -> Statement:
    """``account``'s statement as of the New Zealand day ``as_of`` (today)."""
    as_of = as_of or timezone.localdate()
    made_list = list(open_trade_orders([account]))
    owed_nzd = _receivables(m.order_id for m in made_list)
    paid = {
        row["trade_order_id"]: int(row["s"] or 0)
        for row in TradePayment.objects.filter(trade_order__in=made_list)
        .values("trade_order_id")
        .annotate(s=Sum("amount_cents"))
    }
    statement = Statement(account=account, as_of=as_of)
    for made in made_list:
        assert made.invoiced_at is not None  # noqa: S101  # filtered above
        total = (
            made.order.total_cents
            if made.currency == Currency.NZD
            else made.total_cents
        )
        paid_cents = paid.get(made.pk, 0)
        owed = max(total - paid_cents, 0)
        invoice_date = timezone.localdate(made.invoiced_at)
        due_on = made.due_on or invoice_date
        days = (as_of - due_on).days
        statement.invoices.append(
            OpenInvoice(
                made=made,
                number=made.order.number,
                invoice_date=invoice_date,
                due_on=due_on,
                currency=made.currency,
                total_cents=total,
                paid_cents=paid_cents,
                owed_cents=owed,
                owed_nzd_cents=owed_nzd.get(made.order_id, 0),
                deposit_cents=made.deposit_cents,
                days_overdue=max(days, 0),
                bucket=bucket_for(days),
            )
        )
    return statement

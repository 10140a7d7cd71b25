"""A member's payout statement: what each cent of a payout was, and its CSV.

Every member-payable posting a payout settles becomes one line, seen from the
member's side (positive: money to the member). A line is put in its section by
the leg it was booked against — each member leg is posted beside a counter leg
with the same fulfilment and description (``services/postings.py``) — so the
sections add up to the payout exactly:

* sales — what customers paid for the member's parts of orders
* commission — the cluster's commission and the GST on it (reseller model: the
  lead organisation's margin and the GST on the resale)
* fees — the member's share of payment gateway fees
* refunds — money given back to customers
* adjustments — an admin's credits and debits, and reversals
* group buys and levies — a member's share of a group buy or a levy set against
  its payout (docs/cooperation.md)
* brought forward — money booked before the previous run and dated in its
  period, not paid then (a negative balance that carried over, money held back
  for a part open to cancellation, or a member skipped for want of a bank
  account)
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.core.csv_safe import csv_writer
from purei.ledger.bankfile import dollars
from purei.ledger.models import Account, Journal, Payout, PayoutRun, Posting
from purei.members.models import Member

SECTIONS = {
    "sales": gettext_lazy("Sales"),
    "commission": gettext_lazy("Commission"),
    "fees": gettext_lazy("Payment fees"),
    "refunds": gettext_lazy("Refunds"),
    "adjustments": gettext_lazy("Adjustments"),
    "cooperation": gettext_lazy("Group buys and levies"),
    "brought_forward": gettext_lazy("Brought forward"),
}

_BY_COUNTER: dict[str, str] = {
    Account.Kind.COMMISSION: "commission",
    Account.Kind.COMMISSION_GST: "commission",
    Account.Kind.SALES_GST: "commission",
    Account.Kind.GATEWAY_FEES: "fees",
    Account.Kind.REFUNDS: "refunds",
    Account.Kind.ADJUSTMENTS: "adjustments",
    Account.Kind.GROUP_BUYS: "cooperation",
    Account.Kind.LEVIES: "cooperation",
    Account.Kind.MEMBER_RECEIVABLE: "cooperation",
}
_BY_JOURNAL: dict[str, str] = {
    Journal.Kind.CAPTURE: "sales",
    Journal.Kind.TRADE_INVOICE: "sales",
    Journal.Kind.REFUND: "refunds",
}


@dataclass(frozen=True)
class StatementLine:
    section: str
    date: date
    order_number: str
    description: str
    amount_cents: int


@dataclass
class Statement:
    payout: Payout
    member: Member
    period_start: datetime | None  # the previous run's "until" (None: the first)
    period_end: datetime
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        """Each section's total (every section, 0 when empty)."""
        sums = dict.fromkeys(SECTIONS, 0)
        for line in self.lines:
            sums[line.section] += line.amount_cents
        return sums

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    def section(self, name: str) -> list[StatementLine]:
        return [line for line in self.lines if line.section == name]


def statement_for_payout(payout: Payout) -> Statement:
    """The statement of ``payout``: its settled postings, by section."""
    previous = (
        PayoutRun.objects.filter(cluster_id=payout.cluster_id, pk__lt=payout.run_id)
        .order_by("-pk")
        .first()
    )
    period_start = previous.until if previous is not None else None
    cutoff = previous.created_at if previous is not None else None
    items = list(
        Posting.objects.filter(payout_item__payout=payout)
        .exclude(journal__payout=payout, journal__kind=Journal.Kind.PAYOUT)
        .select_related("journal__order")
        .order_by("journal__occurred_at", "pk")
    )
    counters: dict[tuple[int, int | None, str, int], str] = {
        (
            row["journal_id"],
            row["fulfilment_id"],
            row["description"],
            row["amount_cents"],
        ): (row["account__kind"])
        for row in Posting.objects.filter(journal_id__in={p.journal_id for p in items})
        .exclude(account__kind=Account.Kind.MEMBER_PAYABLE)
        .values(
            "journal_id",
            "fulfilment_id",
            "description",
            "amount_cents",
            "account__kind",
        )
    }
    statement = Statement(
        payout=payout,
        member=payout.member,
        period_start=period_start,
        period_end=payout.run.until,
    )
    for posting in items:
        journal = posting.journal
        if (
            period_start is not None
            and cutoff is not None
            and journal.occurred_at <= period_start
            and journal.created_at <= cutoff
        ):
            section = "brought_forward"
        else:
            counter = counters.get(
                (
                    posting.journal_id,
                    posting.fulfilment_id,
                    posting.description,
                    -posting.amount_cents,
                )
            )
            section = _BY_COUNTER.get(
                counter or "", _BY_JOURNAL.get(journal.kind, "adjustments")
            )
        statement.lines.append(
            StatementLine(
                section=section,
                date=timezone.localdate(journal.occurred_at),
                order_number=journal.order.number if journal.order else "",
                description=posting.description or journal.memo,
                amount_cents=-posting.amount_cents,
            )
        )
    return statement


def statement_csv(statement: Statement) -> str:
    """The statement as CSV: a header row, its lines section by section, each
    section's total, then the payout's total."""
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(
        [_("Section"), _("Date"), _("Order"), _("Description"), _("Amount")]
    )
    for name, label in SECTIONS.items():
        lines = statement.section(name)
        for line in lines:
            writer.writerow(
                [
                    str(label),
                    line.date.isoformat(),
                    line.order_number,
                    line.description,
                    dollars(line.amount_cents),
                ]
            )
        if lines:
            total = statement.totals[name]
            writer.writerow([str(label), "", "", _("Total"), dollars(total)])
    writer.writerow(
        [
            _("Payout"),
            timezone.localdate(statement.payout.created_at).isoformat(),
            statement.payout.number,
            _("Paid to %(account)s") % {"account": statement.payout.bank_account},
            dollars(statement.total_cents),
        ]
    )
    return out.getvalue()

"""After a load run (``make scale-demo``) or any day in production: are the books
sound and is every order whole? (docs/scaling.md "Verification")

Four checks, each a few queries, each listing what is wrong (empty when sound):

- **journals balance**: every journal's postings sum to zero and it has some
  (``ledger_unbalanced_journals``);
- **invoices gap-free**: every document series is numbered exactly 1…n
  (``invoice_sequence_gaps``);
- **orders complete**: no order is half-written. Each has lines, every line's part
  belongs to the order; an order marked paid has succeeded payments adding up to
  its total, a payment journal (a capture, or a trade payment) and an invoice for
  each live part with lines; a succeeded payment never sits on an order still
  awaiting payment;
- **stock**: for the variants in a snapshot taken before the run (``stock_snapshot``),
  the stock now is the stock then less what orders placed since hold (cancelled
  quantities and cancelled orders give theirs back).

``purei verify_books`` prints them; ``--snapshot FILE`` writes a snapshot first.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from purei.catalogue.models import Variant
from purei.ledger.models import Invoice, Journal
from purei.ledger.selectors import invoice_sequence_gaps, ledger_unbalanced_journals
from purei.orders.models import Fulfilment, Order, OrderLine
from purei.payments.models import Payment

SHOWN = 10  # problems listed per check; the count says how many in all


@dataclass
class Check:
    name: str
    checked: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self) -> str:
        verdict = "ok" if self.ok else f"FAILED ({len(self.problems):,} wrong)"
        shown = "".join(f"\n    - {p}" for p in self.problems[:SHOWN])
        return f"{self.name}: {verdict}, {self.checked:,} checked{shown}"


@dataclass
class Verification:
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "checks": [
                {"name": c.name, "checked": c.checked, "problems": c.problems}
                for c in self.checks
            ],
        }


def journals_balance() -> Check:
    wrong = ledger_unbalanced_journals()
    return Check(
        "journals balance",
        Journal.objects.count(),
        [f"journal {pk} does not sum to zero" for pk in wrong],
    )


def invoices_gap_free() -> Check:
    return Check(
        "invoices gap-free", Invoice.objects.count(), list(invoice_sequence_gaps())
    )


def orders_complete(since: dt.datetime | None = None) -> Check:
    """Every order (placed since ``since``) whole: see the module's docstring."""
    orders = Order.objects.all()
    if since is not None:
        orders = orders.filter(created_at__gte=since)
    problems: list[str] = []
    no_lines = orders.annotate(n=Count("lines")).filter(n=0)
    problems += [
        f"order {n} has no lines" for n in no_lines.values_list("number", flat=True)
    ]
    stray = OrderLine.objects.filter(order__in=orders).exclude(
        fulfilment__order_id=F("order_id")
    )
    problems += [
        f"order {n}: a line belongs to another order's part"
        for n in stray.values_list("order__number", flat=True).distinct()
    ]
    succeeded = Q(payments__status=Payment.Status.SUCCEEDED)
    paid = orders.filter(payment_state=Order.PaymentState.PAID).annotate(
        taken=Sum("payments__amount_cents", filter=succeeded)
    )
    for number, total, taken in paid.values_list("number", "total_cents", "taken"):
        if taken != total:
            problems.append(f"order {number}: paid {taken or 0} of {total} cents")
    # A retail payment is booked as a capture; a trade order's (on account or
    # by transfer) as a trade payment against its trade invoice.
    booked = (Journal.Kind.CAPTURE, Journal.Kind.TRADE_PAYMENT)
    captured = set(
        Journal.objects.filter(kind__in=booked, order__in=paid).values_list(
            "order_id", flat=True
        )
    )
    for pk, number in paid.values_list("pk", "number"):
        if pk not in captured:
            problems.append(f"order {number}: paid, but no payment journal")
    live_parts = (
        Fulfilment.objects.filter(order__in=paid)
        .exclude(status=Fulfilment.Status.CANCELLED)
        .filter(lines__isnull=False)
        .distinct()
    )
    invoiced = set(
        Invoice.objects.filter(fulfilment__in=live_parts).values_list(
            "fulfilment_id", flat=True
        )
    )
    for pk, number in live_parts.values_list("pk", "order__number"):
        if pk not in invoiced:
            problems.append(f"order {number}: part {pk} paid, but not invoiced")
    stranded = orders.filter(succeeded, status=Order.Status.AWAITING_PAYMENT)
    problems += [
        f"order {n}: a payment succeeded but the order awaits payment"
        for n in stranded.values_list("number", flat=True).distinct()
    ]
    return Check("orders complete", orders.count(), problems)


def stock_snapshot(path: Path, variant_ids: list[int] | None = None) -> int:
    """Write the counted stock of ``variant_ids`` (default: every counted variant)
    and the time, for :func:`stock_matches_sales` after a run. Returns how many."""
    variants = Variant.objects.filter(stock_policy=Variant.StockPolicy.TRACKED)
    if variant_ids is not None:
        variants = variants.filter(pk__in=variant_ids)
    stock = {str(pk): n for pk, n in variants.values_list("pk", "stock")}
    path.write_text(
        json.dumps({"taken_at": timezone.now().isoformat(), "stock": stock})
    )
    return len(stock)


def stock_matches_sales(path: Path) -> Check:
    """The stock now of each variant in the snapshot at ``path`` equals its stock
    then, less the quantities still held by orders placed since."""
    snapshot = json.loads(path.read_text())
    since = dt.datetime.fromisoformat(snapshot["taken_at"])
    before = {int(pk): int(n) for pk, n in snapshot["stock"].items()}
    held: dict[int, int] = defaultdict(int)
    sold = (
        OrderLine.objects.filter(variant_id__in=before, order__created_at__gte=since)
        .exclude(order__status=Order.Status.CANCELLED)
        .values("variant_id")
        .annotate(n=Sum(F("quantity") - F("cancelled_quantity")))
    )
    for row in sold:
        held[row["variant_id"]] = row["n"]
    now = dict(Variant.objects.filter(pk__in=before).values_list("pk", "stock"))
    problems = [
        f"variant {pk}: {before[pk]} before, {held[pk]} sold, {now.get(pk)} now"
        for pk in sorted(before)
        if now.get(pk) != before[pk] - held[pk]
    ]
    return Check("stock = initial - sales", len(before), problems)


def verify(
    *, since: dt.datetime | None = None, snapshot: Path | None = None
) -> Verification:
    checks = [journals_balance(), invoices_gap_free(), orders_complete(since)]
    if snapshot is not None:
        checks.append(stock_matches_sales(snapshot))
    return Verification(checks)

"""Commission invoices: the cluster's commission is the lead organisation's own
supply to the member, invoiced for what each payout settles (docs/money.md
"Invoices").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.ledger.commission import commission_rate, gst_on_cents, line_commission_cents
from purei.ledger.models import Invoice, InvoiceLine, Payout
from purei.ledger.services.invoice_issue import (
    Kind,
    Series,
    invoice_issue,
    is_reseller,
    lead_org,
    member_address,
)
from purei.orders.models import Fulfilment, OrderLine

if TYPE_CHECKING:
    from purei.members.models import Member


def _commission_from_postings(payout: Payout) -> dict[int, int] | None:
    """Commission by fulfilment on the journals whose member-payable postings
    ``payout`` settles: the credits to the cluster's COMMISSION account for this
    member's fulfilments (less any reversed by a refund in those journals). None
    when those journals hold no commission leg for a fulfilment."""
    from purei.ledger.models import Account, Posting

    settled = Posting.objects.filter(payout_item__payout=payout)
    journal_ids = set(settled.values_list("journal_id", flat=True))
    fulfilment_ids = set(
        settled.exclude(fulfilment__isnull=True).values_list("fulfilment_id", flat=True)
    )
    legs = (
        Posting.objects.filter(
            journal_id__in=journal_ids,
            account__kind=Account.Kind.COMMISSION,
            fulfilment_id__in=fulfilment_ids,
            fulfilment__member_id=payout.member_id,
        )
        .values("fulfilment_id")
        .annotate(total=Sum("amount_cents"))
    )
    found = {row["fulfilment_id"]: -int(row["total"]) for row in legs}
    return found or None


def _commission_from_orders(payout: Payout) -> dict[int, int]:
    """Commission by fulfilment worked out from the order lines of the
    fulfilments the payout's postings refer to (used when the books hold no
    commission legs), each fulfilment invoiced once."""
    from purei.ledger.models import Posting

    fulfilment_ids = set(
        Posting.objects.filter(payout_item__payout=payout)
        .exclude(fulfilment__isnull=True)
        .values_list("fulfilment_id", flat=True)
    )
    invoiced = set(
        InvoiceLine.objects.filter(
            invoice__kind=Kind.COMMISSION, fulfilment_id__in=fulfilment_ids
        ).values_list("fulfilment_id", flat=True)
    )
    rate = commission_rate(payout.cluster, payout.member_id)
    found: dict[int, int] = {}
    lines = OrderLine.objects.filter(
        fulfilment_id__in=fulfilment_ids - invoiced,
        fulfilment__member_id=payout.member_id,
    )
    for line in lines:
        found[line.fulfilment_id] = found.get(
            line.fulfilment_id, 0
        ) + line_commission_cents(
            line.total_cents, line.gst_cents + line.au_gst_cents, rate
        )
    return found


def _member_recipient_address(member: Member) -> str:
    return member_address(member)


@transaction.atomic
def commission_invoice_for_payout(payout: Payout) -> Invoice | None:
    """The lead organisation's invoice to the member for the commission on what
    ``payout`` settles: one line per fulfilment, GST at 15 % on each when the lead
    organisation is registered. None when there is no commission, and in a
    reseller cluster (its margin is no supply to the member). Safe to call again
    (returns the invoice issued before)."""
    existing = Invoice.objects.filter(payout=payout, kind=Kind.COMMISSION).first()
    if existing is not None:
        return existing
    payout = Payout.objects.select_related("cluster", "member", "member__region").get(
        pk=payout.pk
    )
    cluster, member = payout.cluster, payout.member
    if is_reseller(cluster):
        # The lead organisation buys from the member and keeps a margin: that is
        # not a supply of a service to the member, so there is nothing to invoice.
        return None
    by_fulfilment = _commission_from_postings(payout)
    if by_fulfilment is None:
        by_fulfilment = _commission_from_orders(payout)
    supplier = lead_org(cluster)
    numbers = dict(
        Fulfilment.objects.filter(pk__in=by_fulfilment).values_list(
            "pk", "order__number"
        )
    )
    lines: list[InvoiceLine] = []
    for fulfilment_id in sorted(by_fulfilment):
        commission = by_fulfilment[fulfilment_id]
        if commission <= 0:
            continue
        gst = gst_on_cents(commission) if supplier.gst_registered else 0
        lines.append(
            InvoiceLine(
                kind=InvoiceLine.Kind.COMMISSION,
                fulfilment_id=fulfilment_id,
                description=(
                    _("Commission on order %(number)s")
                    % {"number": numbers[fulfilment_id]}
                )[:300],
                quantity=1,
                unit_price_cents=commission + gst,
                total_cents=commission + gst,
                gst_cents=gst,
            )
        )
    if not lines:
        return None
    return invoice_issue(
        kind=Kind.COMMISSION,
        series=Series.COMMISSION,
        cluster=cluster,
        supplier=supplier,
        lines=lines,
        issued_at=timezone.now(),
        recipient_name=member.legal_name,
        recipient_address=_member_recipient_address(member),
        recipient_email=member.email,
        recipient_gst_number=member.gst_number if member.gst_registered else "",
        payout=payout,
    )

"""Booking sales and refunds (called by ``bookings`` inside the settlement
transaction that records the money moving; docs/money.md "Ledger").

A captured payment is one journal keyed ``capture:payment:<id>``; a refund one
keyed ``refund:<id>``: calling either twice books it once. Every leg about a
member's part of an order carries that fulfilment, so payouts can hold back money
for parts still open to cancellation, and statements can say what each cent was.

Australian GST collected at checkout (an order delivered to Australia, LVIG) is
money the cluster owes the ATO, not the member's: the capture books it to the
cluster's ``au_gst`` account out of the part's money, and a refund takes back
from that account the same share of what it gives back. Commission is on each
line's price without any GST (NZ or Australian).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster, SellingModel
from purei.clusters.money_accounts import (
    CONNECT_KEY_PREFIX,
    cluster_platform_fee_cents,
)
from purei.ledger.commission import commission_rate, gst_on_cents, line_commission_cents
from purei.ledger.fees import gateway_fee_cents
from purei.ledger.models import Account, Journal, Posting
from purei.ledger.services.journal import Leg, account_for, journal_post
from purei.ledger.split import largest_remainder
from purei.orders.models import Fulfilment, Order, OrderLine
from purei.orders.money import gst_in
from purei.payments.models import Payment, Refund

K = Account.Kind


def _percent(rate: Decimal) -> str:
    return f"{rate.normalize():f} %"


def _live_commission(lines: Sequence[OrderLine], rate: Decimal) -> int:
    """Commission on a part's lines as they are now (cancelled items excluded:
    cancelling re-totals a line)."""
    return sum(
        line_commission_cents(
            line.total_cents, line.gst_cents + line.au_gst_cents, rate
        )
        for line in lines
        if line.live_quantity > 0
    )


@dataclass
class _Books:
    """A cluster's accounts, each fetched (or made) once per journal."""

    cluster_id: int

    def __post_init__(self) -> None:
        self._cache: dict[tuple[str, int | None], Account] = {}

    def __call__(self, kind: str, member_id: int | None = None) -> Account:
        key = (str(kind), member_id)
        if key not in self._cache:
            self._cache[key] = account_for(self.cluster_id, kind, member_id)
        return self._cache[key]

    def preload(self, member_ids: Sequence[int]) -> None:
        """Fetch the cluster's own accounts and these members' in one query (a
        checkout's capture needs four or more); any still missing is made on
        first use."""
        accounts = Account.objects.filter(
            Q(member__isnull=True) | Q(member_id__in=member_ids),
            cluster_id=self.cluster_id,
            currency="NZD",
        )
        for account in accounts:
            self._cache.setdefault((str(account.kind), account.member_id), account)


def _lines_by_fulfilment(
    fulfilments: Sequence[Fulfilment],
) -> dict[int, list[OrderLine]]:
    lines: dict[int, list[OrderLine]] = {f.pk: [] for f in fulfilments}
    for line in OrderLine.objects.filter(fulfilment__in=fulfilments).order_by("pk"):
        lines[line.fulfilment_id].append(line)
    return lines


def _cluster_promotion(f: Fulfilment, lines: Sequence[OrderLine]) -> int:
    """What the cluster pays ``f``'s member for the promotions on the part as it
    is now: its share of the live lines' discounts and of the free delivery
    (docs/money.md "Promotions"; nothing once the part is cancelled)."""
    if f.status == Fulfilment.Status.CANCELLED:
        return 0
    return (
        sum(line.live_discount_cluster_cents for line in lines)
        + f.shipping_discount_cluster_cents
    )


def _promotion_text(number: str) -> str:
    return _("Order %(number)s: promotion paid by the cluster") % {"number": number}


def _paid_or_promoted(order: Order, part: Fulfilment) -> bool:
    """A live part the capture books: paid for, or promoted at the cluster's
    cost (its free delivery, or a line's discount)."""
    if part.status == Fulfilment.Status.CANCELLED:
        return False
    return (
        part.paid_cents > 0
        or part.shipping_discount_cluster_cents > 0
        or (
            bool(order.discount_cents)
            and any(line.discount_cluster_cents > 0 for line in part.lines.all())
        )
    )


def capture_post(
    payment: Payment, *, order: Order, parts: Sequence[Fulfilment]
) -> None:
    """Book a payment that paid its order: what each member is owed, the
    cluster's commission (and GST on it), what the cluster pays for its
    promotions, and the gateway's fee shared among the members in proportion to
    their parts (docs/money.md "Commission", "Promotions", "Fees"). ``order``:
    the payment's, with its cluster; ``parts``: all its parts in id order, with
    their members and lines (``order_parts_with_lines``), as they are once it is
    marked paid."""
    cluster = order.cluster
    fulfilments = [part for part in parts if _paid_or_promoted(order, part)]
    books = _Books(cluster.pk)
    books.preload([f.member_id for f in fulfilments])
    lines = {f.pk: list(f.lines.all()) for f in fulfilments}
    number = order.number
    legs: list[Leg] = [
        Leg(
            books(K.CLEARING),
            payment.amount_cents,
            description=_("Order %(number)s: payment") % {"number": number},
        )
    ]
    reseller = order.selling_model == SellingModel.RESELLER
    for f in fulfilments:
        legs += _capture_part_legs(cluster, books, f, lines[f.pk], number, reseller)
    fee = gateway_fee_cents(payment.gateway, payment.amount_cents)
    if fee:
        legs += [
            Leg(
                books(K.GATEWAY_FEES),
                fee,
                description=_("Order %(number)s: %(gateway)s fee")
                % {"number": number, "gateway": payment.gateway},
            ),
            Leg(books(K.CLEARING), -fee),
        ]
        shares = largest_remainder(fee, [f.paid_cents for f in fulfilments])
        for f, share in zip(fulfilments, shares, strict=True):
            text = _("Order %(number)s: payment fee") % {"number": number}
            legs += [
                Leg(books(K.MEMBER_PAYABLE, f.member_id), share, f.pk, text),
                Leg(books(K.GATEWAY_FEES), -share, f.pk, text),
            ]
    legs += _platform_fee_legs(books, payment, cluster.pk, number)
    journal_post(
        cluster_id=cluster.pk,
        kind=Journal.Kind.CAPTURE,
        key=f"capture:payment:{payment.pk}",
        memo=_("Order %(number)s paid") % {"number": number},
        occurred_at=payment.succeeded_at or timezone.now(),
        legs=legs,
        order=order,
        payment=payment,
    )


def _platform_fee_legs(
    books: _Books, payment: Payment, cluster_id: int, number: str
) -> list[Leg]:
    """Pūrei's platform fee on the order (ADR 0021): the cluster pays it out of
    its commission income (no member's share changes). Through a connected
    Stripe account Stripe has already taken it from the charge for Pūrei
    (application fee), so the money received is less by it and nothing stays
    owed. Kept when the order is refunded, as gateway fees are."""
    fee = cluster_platform_fee_cents(
        cluster_id=cluster_id, total_cents=payment.amount_cents
    )
    if fee <= 0:
        return []
    text = _("Order %(number)s: Pūrei platform fee") % {"number": number}
    legs = [
        Leg(books(K.COMMISSION), fee, description=text),
        Leg(books(K.PLATFORM_FEE), -fee, description=text),
    ]
    if payment.account.startswith(CONNECT_KEY_PREFIX):
        taken = _("Order %(number)s: platform fee taken by Stripe") % {"number": number}
        legs += [
            Leg(books(K.PLATFORM_FEE), fee, description=taken),
            Leg(books(K.CLEARING), -fee, description=taken),
        ]
    return legs


def _capture_part_legs(
    cluster: Cluster,
    books: _Books,
    f: Fulfilment,
    lines: Sequence[OrderLine],
    number: str,
    reseller: bool,
) -> list[Leg]:
    """One member's part of a capture (the fee aside)."""
    payable = books(K.MEMBER_PAYABLE, f.member_id)
    rate = commission_rate(cluster, f.member_id)
    commission = _live_commission(lines, rate)
    what = {"number": number, "rate": _percent(rate)}
    # Australian GST in what was paid: the cluster's to hand to the ATO.
    au_gst = min(f.au_gst_cents, f.paid_cents)
    hub_share = _hub_share(f, f.paid_cents - au_gst)
    legs = [
        Leg(
            payable,
            -(f.paid_cents - au_gst - hub_share),
            f.pk,
            _("Order %(number)s: sale") % {"number": number},
        )
    ]
    if hub_share:
        legs.append(
            Leg(
                payable,
                -hub_share,
                f.pk,
                _("Order %(number)s: share of the hub delivery") % {"number": number},
            )
        )
    if au_gst:
        legs.append(
            Leg(
                books(K.AU_GST),
                -au_gst,
                f.pk,
                _("Order %(number)s: Australian GST") % {"number": number},
            )
        )
    if reseller:
        # The cluster's promotions are made good to the member as in the agent
        # model; the GST figures below stay those of the sale (ADR 0015).
        legs += _promotion_legs(books, f, lines, number)
        # The lead organisation resells: it owes the GST on the sale and keeps
        # the margin; it claims back the GST a registered member charges it.
        text = _("Order %(number)s: GST on the resale") % {"number": number}
        legs += [
            Leg(payable, f.gst_cents, f.pk, text),
            Leg(books(K.SALES_GST), -f.gst_cents, f.pk, text),
        ]
        text = _("Order %(number)s: resale margin %(rate)s") % what
        legs += [
            Leg(payable, commission, f.pk, text),
            Leg(books(K.COMMISSION), -commission, f.pk, text),
        ]
        if f.member.gst_registered and cluster.lead_org_gst_registered:
            purchase = f.paid_cents - au_gst - f.gst_cents - commission
            input_gst = gst_on_cents(purchase)
            text = _("Order %(number)s: GST on our supply") % {"number": number}
            legs += [
                Leg(payable, -input_gst, f.pk, text),
                Leg(books(K.SALES_GST), input_gst, f.pk, text),
            ]
        return legs
    legs += _promotion_legs(books, f, lines, number)
    text = _("Order %(number)s: commission %(rate)s") % what
    legs += [
        Leg(payable, commission, f.pk, text),
        Leg(books(K.COMMISSION), -commission, f.pk, text),
    ]
    if cluster.lead_org_gst_registered:
        gst = gst_on_cents(commission)
        text = _("Order %(number)s: GST on commission") % {"number": number}
        legs += [
            Leg(payable, gst, f.pk, text),
            Leg(books(K.COMMISSION_GST), -gst, f.pk, text),
        ]
    return legs


def _promotion_legs(
    books: _Books, f: Fulfilment, lines: Sequence[OrderLine], number: str
) -> list[Leg]:
    """The cluster makes good to the member what its promotions took off the
    part: Dr promotions / Cr member payable (ADR 0015)."""
    cents = _cluster_promotion(f, lines)
    if not cents:
        return []
    text = _promotion_text(number)
    return [
        Leg(books(K.PROMOTIONS), cents, f.pk, text),
        Leg(books(K.MEMBER_PAYABLE, f.member_id), -cents, f.pk, text),
    ]


def _promotion_true_up(
    books: _Books, fulfilments: Sequence[Fulfilment], number: str
) -> list[Leg]:
    """Promotions follow the lines: for each part, what the cluster pays for its
    promotions now (the items and delivery still live), less what was booked.
    Cancelling discounted items takes back from the member what the cluster made
    good on them."""
    if not fulfilments:
        return []
    ids = [f.pk for f in fulfilments]
    booked = _posted(K.PROMOTIONS, ids)
    # Nothing was ever booked and no delivery was made free: only lines may hold
    # a cluster's discount (one query to know).
    if (
        not any(booked.values())
        and not any(f.shipping_discount_cluster_cents for f in fulfilments)
        and not OrderLine.objects.filter(
            fulfilment__in=fulfilments, discount_cluster_cents__gt=0
        ).exists()
    ):
        return []
    lines = _lines_by_fulfilment(fulfilments)
    legs: list[Leg] = []
    text = _promotion_text(number)
    for f in fulfilments:
        diff = _cluster_promotion(f, lines[f.pk]) - booked[f.pk]
        if diff:
            legs += [
                Leg(books(K.PROMOTIONS), diff, f.pk, text),
                Leg(books(K.MEMBER_PAYABLE, f.member_id), -diff, f.pk, text),
            ]
    return legs


def _hub_share(f: Fulfilment, sale_cents: int) -> int:
    """A part sent in the hub's one parcel: its share of the one delivery charge
    (its shipping), the member's shipping income like any part's own delivery
    (docs/money.md "Hub delivery"); booked on its own line so the statement
    shows it. 0 for any other part."""
    if not f.via_hub:
        return 0
    return max(0, min(f.shipping_cents, sale_cents))


# --- Refunds -----------------------------------------------------------------------


def _posted(kind: str, fulfilment_ids: Sequence[int]) -> dict[int, int]:
    """The sum of postings on the cluster's ``kind`` accounts per fulfilment."""
    rows = (
        Posting.objects.filter(account__kind=kind, fulfilment_id__in=fulfilment_ids)
        .values("fulfilment_id")
        .annotate(total=Sum("amount_cents"))
    )
    out = dict.fromkeys(fulfilment_ids, 0)
    for row in rows:
        out[int(row["fulfilment_id"])] = int(row["total"] or 0)
    return out


def refund_post(refund: Refund) -> None:
    """Book money given back to a customer (docs/money.md "Ledger": refunds)."""
    refund = Refund.objects.select_related("payment__order__cluster").get(pk=refund.pk)
    payment = refund.payment
    order = payment.order
    cluster = order.cluster
    books = _Books(cluster.pk)
    number = order.number
    key = f"refund:{refund.pk}"
    memo = _("Refund on order %(number)s: %(reason)s") % {
        "number": number,
        "reason": refund.reason,
    }
    text = _("Order %(number)s: refund") % {"number": number}
    fulfilments = list(
        Fulfilment.objects.filter(order=order)
        .filter(Q(paid_cents__gt=0) | Q(pk=refund.fulfilment_id or 0))
        .select_related("member")
        .order_by("pk")
    )
    if not fulfilments and not refund.automatic:
        # Paid parts unknown (the order was paid before its parts recorded what
        # they were paid): share by the parts' totals.
        fulfilments = list(
            Fulfilment.objects.filter(order=order)
            .select_related("member")
            .order_by("pk")
        )
    if refund.automatic or not fulfilments:
        # Money for an order that was cancelled or already paid: never a sale
        # (nor, for an order without parts, anyone's).
        journal_post(
            cluster_id=cluster.pk,
            kind=Journal.Kind.REFUND,
            key=key,
            memo=memo,
            occurred_at=refund.updated_at or timezone.now(),
            legs=[
                Leg(books(K.CLEARING), refund.amount_cents, description=text),
                Leg(books(K.REFUNDS), -refund.amount_cents, description=text),
            ],
            order=order,
            payment=payment,
            refund=refund,
        )
        return
    ids = [f.pk for f in fulfilments]
    # What is left of each part: paid, less what refunds gave back of it before.
    refunded = _posted(K.REFUNDS, ids)
    left = {f.pk: max(f.paid_cents + refunded[f.pk], 0) for f in fulfilments}
    if refund.fulfilment_id is not None:
        shares = {refund.fulfilment_id: refund.amount_cents}
    else:
        weights = [left[f.pk] for f in fulfilments]
        if sum(weights) == 0:
            weights = [f.paid_cents for f in fulfilments]
        if sum(weights) == 0:
            weights = [f.total_cents for f in fulfilments]
        split = largest_remainder(refund.amount_cents, weights)
        shares = {f.pk: s for f, s in zip(fulfilments, split, strict=True) if s}
    by_id = {f.pk: f for f in fulfilments}
    reseller = order.selling_model == SellingModel.RESELLER
    au_held = _posted(K.AU_GST, ids)  # credits: negative
    legs: list[Leg] = []
    for f_id, share in shares.items():
        f = by_id[f_id]
        payable = books(K.MEMBER_PAYABLE, f.member_id)
        au_back = _au_gst_back(share, left[f_id], -au_held[f_id])
        legs += [
            Leg(payable, share - au_back, f_id, text),
            Leg(books(K.REFUNDS), -share, f_id, text),
        ]
        if au_back:
            legs.append(
                Leg(
                    books(K.AU_GST),
                    au_back,
                    f_id,
                    _("Order %(number)s: Australian GST refunded") % {"number": number},
                )
            )
        if reseller and f.gst_cents > 0:
            legs += _reseller_refund_gst(cluster, books, f, share, number)
    legs += _commission_true_up(cluster, books, fulfilments, number, reseller)
    legs += _promotion_true_up(books, fulfilments, number)
    journal_post(
        cluster_id=cluster.pk,
        kind=Journal.Kind.REFUND,
        key=key,
        memo=memo,
        occurred_at=refund.updated_at or timezone.now(),
        legs=legs,
        order=order,
        payment=payment,
        refund=refund,
    )


def _au_gst_back(share: int, left: int, held: int) -> int:
    """The Australian GST in a refund of ``share`` from a part with ``left``
    still paid for, of which ``held`` is AU GST booked and not yet given back:
    the same proportion, half up, never more than is held (all of it when the
    refund takes everything left)."""
    if held <= 0 or share <= 0:
        return 0
    if left <= 0 or share >= left:
        return held
    return min(held, (2 * share * held + left) // (2 * left))


def _reseller_refund_gst(
    cluster: Cluster, books: _Books, f: Fulfilment, share: int, number: str
) -> list[Leg]:
    """Reseller model: the lead organisation's GST on what was given back comes
    off what it owes Inland Revenue (and off the member's deduction for it), and
    so does the GST it claimed on the member's supply."""
    payable = books(K.MEMBER_PAYABLE, f.member_id)
    output = gst_in(share)
    text = _("Order %(number)s: GST on the resale") % {"number": number}
    legs = [
        Leg(payable, -output, f.pk, text),
        Leg(books(K.SALES_GST), output, f.pk, text),
    ]
    if f.member.gst_registered and cluster.lead_org_gst_registered:
        input_gst = gst_on_cents(share - output)
        text = _("Order %(number)s: GST on our supply") % {"number": number}
        legs += [
            Leg(payable, input_gst, f.pk, text),
            Leg(books(K.SALES_GST), -input_gst, f.pk, text),
        ]
    return legs


def _commission_true_up(
    cluster: Cluster,
    books: _Books,
    fulfilments: Sequence[Fulfilment],
    number: str,
    reseller: bool,
) -> list[Leg]:
    """Commission follows the lines: for each part whose lines were cancelled
    since it was paid (its total fell below what was paid), the commission due on
    its live lines now, less what was charged; GST on commission likewise. A part
    whose lines are as they were (a goodwill refund) keeps its commission."""
    changed = [f for f in fulfilments if 0 < f.paid_cents != f.total_cents]
    if not changed:
        return []
    ids = [f.pk for f in changed]
    charged = _posted(K.COMMISSION, ids)
    charged_gst = _posted(K.COMMISSION_GST, ids)
    lines = _lines_by_fulfilment(changed)
    legs: list[Leg] = []
    for f in changed:
        payable = books(K.MEMBER_PAYABLE, f.member_id)
        rate = commission_rate(cluster, f.member_id)
        due = _live_commission(lines[f.pk], rate)
        diff = due + charged[f.pk]  # charged is a credit: negative
        what = {"number": number, "rate": _percent(rate)}
        text = (
            _("Order %(number)s: resale margin %(rate)s") % what
            if reseller
            else _("Order %(number)s: commission %(rate)s") % what
        )
        legs += [
            Leg(payable, diff, f.pk, text),
            Leg(books(K.COMMISSION), -diff, f.pk, text),
        ]
        if cluster.lead_org_gst_registered and not reseller:
            gst_diff = gst_on_cents(due) + charged_gst[f.pk]
            text = _("Order %(number)s: GST on commission") % {"number": number}
            legs += [
                Leg(payable, gst_diff, f.pk, text),
                Leg(books(K.COMMISSION_GST), -gst_diff, f.pk, text),
            ]
    return legs


def cancellation_post(fulfilment_id: int) -> None:
    """Lines of a paid part were cancelled with nothing left to give back (its
    money had all gone back already, as a goodwill refund): no refund books the
    change, so the commission follows the lines here (``_commission_true_up``).
    Booked once per state of the part: its key names the part's total now."""
    f = Fulfilment.objects.select_related("order__cluster", "member").get(
        pk=fulfilment_id
    )
    order = f.order
    cluster = order.cluster
    reseller = order.selling_model == SellingModel.RESELLER
    books = _Books(cluster.pk)
    legs = _commission_true_up(cluster, books, [f], order.number, reseller)
    promotion = _promotion_true_up(books, [f], order.number)
    legs += promotion
    if not any(leg.amount_cents for leg in legs):
        return
    key = f"cancel-commission:{f.pk}:{f.total_cents}"
    if promotion:
        # A free item cancelled leaves the total as it was: the state of the
        # cluster's promotion on the part tells this journal from earlier ones.
        live = _cluster_promotion(f, _lines_by_fulfilment([f])[f.pk])
        key += f":promotion:{live}"
    journal_post(
        cluster_id=cluster.pk,
        kind=Journal.Kind.COMMISSION,
        key=key,
        memo=_("Order %(number)s: commission on cancelled lines")
        % {"number": order.number},
        occurred_at=timezone.now(),
        legs=legs,
        order=order,
    )

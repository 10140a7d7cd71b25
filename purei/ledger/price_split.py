"""Where a shopper's money goes: the maker's share, the cluster's commission (and
the GST on it), GST, and the payment gateway's fee, in integer cents that add up
to the price exactly.

The figures follow the books (purei.ledger.commission, purei.ledger.fees):

- **GST** is the GST in the price: the supplier's, so the member's in the agent
  model and the lead organisation's in the reseller model (0 when that supplier
  is not registered, or on a zero-rated export).
- **Commission** is charged on the price less its GST, at the member's rate in
  the cluster (its own, else the cluster's), rounded half up per line.
- **GST on commission** (agent model, lead organisation registered): 15 % of
  the commission, once per member's part of an order. In the reseller model the
  commission is the lead organisation's resale margin: the GST on the whole sale
  is already in **GST**, so there is none on top.
- **Payment fee**: what the gateway keeps of the payment (members bear it).
- **Maker**: the rest, what the member is paid (shipping included, for an order).
- **Platform fee** (an order's, ADR 0021): what Pūrei keeps of the order, paid
  by the cluster out of its commission: shown as part of the commission, not
  added to the price.
- **Promotions** (an order's): what they took off (``discount_cents``), and of that
  what the cluster pays the makers (``cluster_discount_cents``, docs/money.md
  "Promotions"): the maker's share includes it, so the parts sum to the price
  with it taken away.

Example (worked by hand in tests/test_price_split.py): $45.00 from a registered
member, 7.5 % commission, registered lead organisation, paid through Stripe:
GST 45.00 x 3/23 = $5.87; commission 7.5 % of $39.13 = $2.93 (2.934…);
its GST 15 % of $2.93 = $0.44; fee 2.7 % of $45.00 + $0.30 = $1.52 (1.515 up);
maker $45.00 - 5.87 - 2.93 - 0.44 - 1.52 = $34.24.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from purei.clusters.models import SellingModel
from purei.clusters.money_accounts import cluster_platform_fee_cents
from purei.ledger.commission import (
    commission_rate,
    gst_on_cents,
    line_commission_cents,
)
from purei.ledger.fees import gateway_fee_cents

if TYPE_CHECKING:
    from purei.clusters.models import Cluster
    from purei.members.models import Member
    from purei.orders.models import Order


@dataclass(frozen=True)
class PriceSplit:
    """One price, split; the five parts, less what the cluster pays the makers
    for its promotions, sum to ``price_cents``."""

    maker_cents: int
    commission_cents: int
    commission_gst_cents: int
    gst_cents: int
    fee_cents: int
    # Promotions (an order's only): what they took off the price before it, and
    # the part of that the cluster pays the makers (in ``maker_cents``).
    discount_cents: int = 0
    cluster_discount_cents: int = 0
    # Pūrei's platform fee on an order (ADR 0021): part of the commission (the
    # cluster pays it out of that), so not added again to the price.
    platform_fee_cents: int = 0

    @property
    def price_cents(self) -> int:
        return (
            self.maker_cents
            + self.commission_cents
            + self.commission_gst_cents
            + self.gst_cents
            + self.fee_cents
            - self.cluster_discount_cents
        )

    @property
    def member_discount_cents(self) -> int:
        """What the makers themselves gave of the discount."""
        return self.discount_cents - self.cluster_discount_cents


def _commission_gst(cluster: Cluster, commission_cents: int) -> int:
    """GST the lead organisation adds to its commission (agent model only)."""
    if cluster.selling_model == SellingModel.AGENT and cluster.lead_org_gst_registered:
        return gst_on_cents(commission_cents)
    return 0


def price_split(
    *,
    cluster: Cluster,
    member: Member | int,
    price_cents: int,
    gst_cents: int,
    gateway: str = "stripe",
    rate: Decimal | None = None,
) -> PriceSplit:
    """Split one GST-inclusive price of ``member``'s goods sold in ``cluster``.

    ``gst_cents`` is the GST in the price (0 when the supplier is not registered).
    ``rate`` is the commission rate in per cent, looked up (one query) when not
    given. The fee is the gateway's on this price paid on its own.
    """
    if rate is None:
        rate = commission_rate(cluster, member)
    commission = line_commission_cents(price_cents, gst_cents, rate)
    commission_gst = _commission_gst(cluster, commission)
    fee = gateway_fee_cents(gateway, price_cents)
    return PriceSplit(
        maker_cents=price_cents - gst_cents - commission - commission_gst - fee,
        commission_cents=commission,
        commission_gst_cents=commission_gst,
        gst_cents=gst_cents,
        fee_cents=fee,
    )


def commission_rates(cluster: Cluster, member_ids: list[int]) -> dict[int, Decimal]:
    """The commission rate of each member in ``cluster`` (one query)."""
    from purei.members.models import Membership

    rates = {member_id: Decimal(cluster.commission_rate) for member_id in member_ids}
    overrides = Membership.objects.filter(
        cluster=cluster, member_id__in=member_ids, commission_rate__isnull=False
    ).values_list("member_id", "commission_rate")
    for member_id, value in overrides:
        if value is not None:
            rates[member_id] = Decimal(value)
    return rates


def order_price_split(
    order: Order, *, rates: Mapping[int, Decimal] | None = None
) -> PriceSplit:
    """Split what ``order`` costs as it stands (cancelled parts and lines left
    out), with the gateway the order is paid through (``order.payment_method``).

    Commission is summed per line, its GST per member's part; the fee is the
    gateway's on the whole payment. Uses the order's prefetched fulfilments and
    lines when there are any, and one query for the members' rates unless
    ``rates`` (member id → per cent) is given.
    """
    from purei.orders.models import Fulfilment

    cluster = order.cluster
    parts = [
        fulfilment
        for fulfilment in order.fulfilments.all()
        if fulfilment.status != Fulfilment.Status.CANCELLED
    ]
    if rates is None:
        rates = commission_rates(cluster, sorted({f.member_id for f in parts}))
    total = gst = commission = commission_gst = discount = from_cluster = 0
    for fulfilment in parts:
        rate = rates[fulfilment.member_id]
        lines = list(fulfilment.lines.all())
        part_commission = sum(
            line_commission_cents(
                line.total_cents, line.gst_cents + line.au_gst_cents, rate
            )
            for line in lines
        )
        discount += (
            sum(line.live_discount_cents for line in lines)
            + fulfilment.shipping_discount_cents
        )
        from_cluster += (
            sum(line.live_discount_cluster_cents for line in lines)
            + fulfilment.shipping_discount_cluster_cents
        )
        commission += part_commission
        commission_gst += _commission_gst(cluster, part_commission)
        gst += fulfilment.gst_cents + fulfilment.au_gst_cents  # NZ and AU GST
        total += fulfilment.total_cents
    fee = gateway_fee_cents(order.payment_method, total)
    return PriceSplit(
        maker_cents=total - gst - commission - commission_gst - fee + from_cluster,
        commission_cents=commission,
        commission_gst_cents=commission_gst,
        gst_cents=gst,
        fee_cents=fee,
        discount_cents=discount,
        cluster_discount_cents=from_cluster,
        platform_fee_cents=cluster_platform_fee_cents(
            cluster_id=cluster.pk, total_cents=total
        ),
    )

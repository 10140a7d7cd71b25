"""The demo's money: a few weeks of past orders in the seed clusters, paid, sent
and in part refunded, one payout run done and the rest due, so statements,
invoices and reports show something the moment the demo starts.

Everything goes through the real services (cart, checkout, payment, refund,
payout run), so the books are exactly what a live cluster would have. Only two
things are set by hand because a demo cannot wait for them: the dates (an order
"placed three weeks ago") and the fulfilments' progress (packed and sent, without
emailing anyone). Safe to run twice: the orders are keyed ``demo-money-…``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from purei.accounts.models import ClusterRole, User
from purei.catalogue.models import Variant
from purei.catalogue.selectors import public_listings
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.ledger.models import PayoutRun
from purei.orders.models import Fulfilment, Order, SalesWindowItem
from purei.orders.services.cart import cart_add, cart_get_or_create, cart_summary
from purei.orders.services.checkout import (
    Address,
    CheckoutDetails,
    Choice,
    checkout_quote,
    order_place,
)
from purei.payments.gateways import available_gateways
from purei.payments.models import Payment
from purei.search.shelf import cluster_changed
from purei.settlement.services import payment_succeeded, refund_create

DEMO_CUSTOMER = "shopper@purei.test"
KEY_PREFIX = "demo-money-"


@dataclass(frozen=True)
class ClusterMoney:
    """How a seed cluster is set up to sell, and how much demo trade it has."""

    slug: str
    commission: Decimal
    lead_gst_number: str = ""  # registered for GST when set
    lead_address: str = ""
    show_split: bool = False
    orders: int = 8


CLUSTER_MONEY: tuple[ClusterMoney, ...] = (
    ClusterMoney(
        "marlborough-wine",
        Decimal("7.50"),
        lead_gst_number="49-091-850",
        lead_address="1 Main Street, Blenheim 7201",
        show_split=True,
        orders=10,
    ),
    ClusterMoney("te-hiku-oysters", Decimal("5.00"), orders=8),
    ClusterMoney(
        "martinborough-fair",
        Decimal("6.00"),
        lead_gst_number="35-901-981",
        lead_address="Memorial Square, Martinborough 5711",
        show_split=True,
        orders=8,
    ),
)

# The orders' ages in days (oldest first); the run pays what was sent by RUN_AGE.
RUN_AGE_DAYS = 14


def _customer() -> User:
    """The demo's customer (a demo login, made by the cluster seed)."""
    user = User.objects.filter(email=DEMO_CUSTOMER).first()
    if user is None:
        user = User.objects.create_user(email=DEMO_CUSTOMER, full_name="Ana Shopper")
    return user


def _admin(cluster: Cluster) -> Actor:
    """Who acts for the cluster in its demo history: one of its admins, else
    platform staff."""
    role = (
        ClusterRole.objects.filter(cluster=cluster, role=ClusterRole.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if role is not None:
        return Actor(user=role.user)
    return Actor(user=User.objects.filter(is_staff=True).order_by("pk").first())


def _configure(cluster: Cluster, money: ClusterMoney) -> None:
    cluster.commission_rate = money.commission
    cluster.lead_org_gst_registered = bool(money.lead_gst_number)
    cluster.lead_org_gst_number = money.lead_gst_number.replace("-", "")
    cluster.lead_org_address = money.lead_address
    cluster.show_price_split = money.show_split
    cluster.save(
        update_fields=[
            "commission_rate",
            "lead_org_gst_registered",
            "lead_org_gst_number",
            "lead_org_address",
            "show_price_split",
            "updated_at",
        ]
    )
    # The shop names who charges GST (cached pages name the cluster).
    cluster_changed(cluster_id=cluster.pk, live=cluster.status == Cluster.Status.LIVE)


def _variants(cluster: Cluster) -> dict[int, list[int]]:
    """Variants of at most 5 kg that the demo's orders cannot sell out (made to
    order, unlimited, or with 20 or more in stock), by member; none of a product
    sold in a sales window (the history is the everyday shop's, and a
    window-only product refuses orders outside its window)."""
    rows = (
        Variant.objects.filter(
            product__in=public_listings().filter(cluster=cluster).values("product_id"),
            weight_grams__lte=5000,
        )
        .exclude(product__in=SalesWindowItem.objects.values("product_id"))
        .filter(
            Q(stock_policy=Variant.StockPolicy.MADE_TO_ORDER)
            | Q(stock_policy=Variant.StockPolicy.UNLIMITED)
            | Q(stock__gte=20)
        )
        .order_by("pk")
        .values_list("product__member_id", "pk")
    )
    by_member: dict[int, list[int]] = {}
    for member_id, variant_id in rows:
        by_member.setdefault(member_id, []).append(variant_id)
    return by_member


ADDRESSES = (
    Address(
        line1="12 Kōwhai Street",
        suburb="Grey Lynn",
        town="Auckland",
        postcode="1021",
        region="NZ-AUK",
    ),
    Address(line1="4 Rimu Road", town="Nelson", postcode="7010", region="NZ-NSN"),
    Address(
        line1="88 Cuba Street",
        suburb="Te Aro",
        town="Wellington",
        postcode="6011",
        region="NZ-WGN",
    ),
)


def _demo_choice(options: tuple[Choice, ...]) -> Choice:
    """The demo's shoppers collect at the fair, else from the maker, where they
    can; else it is delivered."""
    rank = {"pickup_event": 0, "pickup_premises": 1, "delivery": 2}
    return min(options, key=lambda option: rank[option.method])


def _place_paid(
    cluster: Cluster,
    customer: User,
    variants: dict[int, list[int]],
    rng: random.Random,
    key: str,
    when: dt.datetime,
) -> Order | None:
    members = rng.sample(sorted(variants), k=min(len(variants), rng.randint(1, 3)))
    cart = cart_get_or_create(cluster=cluster, user=customer, session_key=None)
    for member_id in members:
        cart_add(
            cart=cart,
            variant_id=rng.choice(variants[member_id]),
            quantity=rng.randint(1, 3),
        )
    address = rng.choice(ADDRESSES)
    quote = checkout_quote(cluster=cluster, summary=cart_summary(cart))
    choices = {part.group.member_id: _demo_choice(part.options) for part in quote.parts}
    # By test card where the demo offers it (it is in ``purei demo``), else by
    # bank transfer.
    offered = {gateway.name for gateway in available_gateways()}
    method = "test" if "test" in offered else "bank_transfer"
    order = order_place(
        cart=cart,
        details=CheckoutDetails(
            email=customer.email,
            name="Ana Shopper",
            payment_method=method,
            idempotency_key=key,
            phone="021 555 0199",
            address=address,
            choices=choices,
            age_confirmed=True,
        ),
        user=customer,
    )
    # Paid on the day it was placed: the card payment's outcome goes through
    # settlement (which books it and issues the invoices) dated then.
    payment = Payment.objects.create(
        order=order, gateway=method, amount_cents=order.total_cents
    )
    Order.objects.filter(pk=order.pk).update(created_at=when)
    # The makers have restocked since: the catalogue stays as its seed has it.
    for line in order.lines.exclude(variant=None):
        Variant.objects.filter(
            pk=line.variant_id or 0, stock_policy=Variant.StockPolicy.TRACKED
        ).update(stock=F("stock") + line.quantity)
    payment_succeeded(payment, succeeded_at=when, reference=f"ch_{key}")
    return order


def _send(order: Order, when: dt.datetime) -> None:
    """The members packed and sent (or handed over) their parts a day later."""
    sent = when + dt.timedelta(days=1)
    for fulfilment in order.fulfilments.exclude(status=Fulfilment.Status.CANCELLED):
        done = (
            Fulfilment.Status.COLLECTED
            if fulfilment.method != Fulfilment.Method.DELIVERY
            else Fulfilment.Status.DELIVERED
        )
        Fulfilment.objects.filter(pk=fulfilment.pk).update(
            status=done,
            carrier="NZ Post"
            if fulfilment.method == Fulfilment.Method.DELIVERY
            else "",
            packed_at=sent,
            dispatched_at=sent,
            completed_at=sent + dt.timedelta(days=2),
        )


def money_seed_load(now: dt.datetime | None = None) -> int:
    """Load the demo's money history; return how many orders it placed (0 when it
    is already there)."""
    if Order.objects.filter(idempotency_key__startswith=KEY_PREFIX).exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(20261129)  # noqa: S311 - demo data, not secrets
    customer = _customer()
    placed = 0
    with transaction.atomic():
        for money in CLUSTER_MONEY:
            cluster = Cluster.objects.filter(slug=money.slug).first()
            if cluster is None:
                continue
            _configure(cluster, money)
            variants = _variants(cluster)
            if not variants:
                continue
            orders = []
            for n in range(money.orders):
                # Spread over the last five weeks, oldest first.
                age = 35 - (n * 33) // max(money.orders - 1, 1)
                when = now - dt.timedelta(days=age, hours=rng.randint(0, 8))
                order = _place_paid(
                    cluster,
                    customer,
                    variants,
                    rng,
                    f"{KEY_PREFIX}{money.slug}-{n}",
                    when,
                )
                if order is None:
                    continue
                placed += 1
                orders.append((order, when))
                # The newest two are still being packed: their money is held.
                if n < money.orders - 2:
                    _send(order, when)
            admin = _admin(cluster)
            _refund_one(admin, orders)
            # A payout run two weeks ago paid what was sent by then; what came
            # after is due at the next run.
            from purei.ledger.services.payouts import payout_run

            if not PayoutRun.objects.filter(cluster=cluster).exists():
                payout_run(
                    actor=admin,
                    cluster=cluster,
                    until=now - dt.timedelta(days=RUN_AGE_DAYS),
                )
            # A refund after that run: the member's next payout nets it off.
            _refund_one(admin, orders[: len(orders) // 3], after_run=True)
    return placed


def _refund_one(
    admin: Actor, orders: list[tuple[Order, dt.datetime]], *, after_run: bool = False
) -> None:
    """A goodwill refund of a few dollars on one sent order (a bottle arrived
    chipped): by the cluster's admin, through the gateway that took the money."""
    if not orders:
        return
    order, _when = orders[0] if after_run else orders[len(orders) // 2]
    payment = Payment.objects.filter(
        order=order, status=Payment.Status.SUCCEEDED
    ).first()
    fulfilment = order.fulfilments.first()
    if payment is None or fulfilment is None:
        return
    if not admin.is_cluster_admin(order.cluster_id):
        return  # only a cluster's admins give goodwill refunds
    refund_create(
        actor=admin,
        payment=payment,
        amount_cents=min(500, fulfilment.paid_cents),
        reason="Arrived damaged: part refund" if after_run else "Late delivery",
        fulfilment=fulfilment,
    )

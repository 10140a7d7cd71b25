"""Factories of the orders app (style.md §5). Grouped by topic; add new groups below."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from purei.orders.models import PickupEvent, ShippingPolicy, ShippingRate, Zone

# --- Shipping and pickup ---------------------------------------------------------


class ShippingPolicyFactory(DjangoModelFactory[ShippingPolicy]):
    """A member's policy by default; pass ``member=None, cluster=…`` for a cluster's."""

    class Meta:
        model = ShippingPolicy

    member = factory.SubFactory("purei.members.tests.factories.MemberFactory")
    cluster = None
    rural_surcharge_cents = 575
    free_over_cents = None


class ShippingRateFactory(DjangoModelFactory[ShippingRate]):
    class Meta:
        model = ShippingRate

    policy = factory.SubFactory(ShippingPolicyFactory)
    zone = Zone.NORTH_ISLAND
    max_weight_grams = 1000
    price_cents = 850


def rate_table(policy: ShippingPolicy, rows: list[tuple[str, int | None, int]]) -> None:
    """Give ``policy`` these (zone, up to grams or None, cents) rates."""
    for zone, grams, cents in rows:
        ShippingRateFactory.create(
            policy=policy, zone=zone, max_weight_grams=grams, price_cents=cents
        )


NZ_TABLE: list[tuple[str, int | None, int]] = [
    (Zone.NORTH_ISLAND, 1000, 850),
    (Zone.NORTH_ISLAND, 5000, 1250),
    (Zone.NORTH_ISLAND, 25000, 2200),
    (Zone.SOUTH_ISLAND, 1000, 1150),
    (Zone.SOUTH_ISLAND, None, 2950),
    (Zone.CHATHAM_ISLANDS, 5000, 4500),
    (Zone.AUSTRALIA, 1000, 3500),
    (Zone.AUSTRALIA, 5000, 6000),
    (Zone.WORLD, 5000, 9500),
]


def _starts() -> dt.datetime:
    return dt.datetime(2030, 2, 1, 20, 0, tzinfo=dt.UTC)  # Sat 2 Feb 2030, 9 am NZDT


class PickupEventFactory(DjangoModelFactory[PickupEvent]):
    class Meta:
        model = PickupEvent
        skip_postgeneration_save = True

    cluster = factory.SubFactory("purei.clusters.tests.factories.ClusterFactory")
    name_en = factory.Sequence(lambda n: f"Market day {n}")
    venue = "The Square"
    collection_point = "Pūrei pickup tent"
    time_zone = "Pacific/Auckland"
    starts_at = factory.LazyFunction(_starts)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=7))
    order_cutoff = factory.LazyAttribute(lambda o: o.starts_at - dt.timedelta(hours=15))
    is_active = True

    @factory.post_generation
    def members(self, create: bool, extracted: list[object] | None, **kwargs: object):
        if create and extracted:
            self.members.set(extracted)


# --- Fulfilment: whole orders with lines, paid or not (orders: fulfilment) -------

from django.db.models import F  # noqa: E402  # this block's own imports
from django.utils import timezone  # noqa: E402

from purei.catalogue.models import Variant  # noqa: E402
from purei.clusters.models import Cluster, Region  # noqa: E402
from purei.members.models import Member  # noqa: E402
from purei.orders.models import Fulfilment, Order, OrderLine  # noqa: E402
from purei.orders.money import gst_in  # noqa: E402
from purei.payments.models import Payment  # noqa: E402


def variant_of(
    member: Member, *, sku: str, price_cents: int, **fields: object
) -> Variant:
    """A tracked variant of a new live product of ``member``."""
    from purei.catalogue.tests.factories import ProductFactory, VariantFactory

    product = ProductFactory.create(member=member, title_en=f"Product {sku}")
    return VariantFactory.create(
        product=product, sku=sku, price_cents=price_cents, **fields
    )


def order_with_parts(
    cluster: Cluster,
    parts: list[tuple[Member, list[tuple[Variant, int]]]],
    *,
    paid_with: str | None = "test",
    method: str = "delivery",
    shipping_cents: int = 500,
    pickup_event: PickupEvent | None = None,
    r18: bool = False,
    email: str = "customer@example.nz",
    name: str = "Aroha Customer",
    number: str | None = None,
    take_stock: bool = True,
) -> Order:
    """An order of ``cluster`` as checkout leaves it: one fulfilment per
    ``(member, [(variant, quantity), …])``, GST per line, shipping per part (none
    for pickup), the stock of tracked variants taken. ``paid_with`` "test" or
    "stripe": paid by card; "bank_transfer_paid": paid by transfer;
    "bank_transfer": a transfer still awaited; None: no payment yet."""
    now = timezone.now()
    seq = Order.objects.count() + 1
    order = Order.objects.create(
        number=number or f"FUL{seq:05d}",
        cluster=cluster,
        email=email,
        name=name,
        phone="021 123 4567",
        address_line1="12 Queen Street" if method == "delivery" else "",
        town="Auckland" if method == "delivery" else "",
        postcode="1021" if method == "delivery" else "",
        zone="north" if method == "delivery" else "",
        region=Region.objects.get(code="NZ-AUK") if method == "delivery" else None,
        payment_method=(paid_with or "test").removesuffix("_paid"),
        payment_reference="",
        idempotency_key=f"fulfilment-test-{seq:08d}-{now.timestamp():.0f}",
        hold_until=now + dt.timedelta(minutes=30),
        age_confirmed_at=now if r18 else None,
        selling_model=cluster.selling_model,  # as checkout records it
    )
    for member, lines in parts:
        ship = shipping_cents if method == "delivery" else 0
        fulfilment = Fulfilment.objects.create(
            order=order,
            member=member,
            supplier_name=member.trading_name,
            gst_registered=member.gst_registered,
            gst_number=member.gst_number,
            method=method,
            pickup_event=pickup_event if method == "pickup_event" else None,
            pickup_code="K7M2QX" if method != "delivery" else "",
            check_id=r18,
        )
        taxed = fulfilment.gst_registered
        made = []
        for variant, quantity in lines:
            total = variant.price_cents * quantity
            made.append(
                OrderLine(
                    order=order,
                    fulfilment=fulfilment,
                    variant=variant,
                    product=variant.product,
                    title=variant.product.title_en,
                    variant_name=variant.name,
                    sku=variant.sku,
                    unit_price_cents=variant.price_cents,
                    quantity=quantity,
                    total_cents=total,
                    gst_cents=gst_in(total) if taxed else 0,
                    restricted_r18=r18,
                )
            )
            if take_stock:
                Variant.objects.filter(
                    pk=variant.pk,
                    stock_policy=Variant.StockPolicy.TRACKED,
                ).update(stock=F("stock") - quantity)
        OrderLine.objects.bulk_create(made)
        fulfilment.goods_cents = sum(line.total_cents for line in made)
        fulfilment.shipping_cents = ship
        fulfilment.gst_cents = sum(line.gst_cents for line in made) + (
            gst_in(ship) if taxed else 0
        )
        fulfilment.total_cents = fulfilment.goods_cents + ship
        fulfilment.save()
    parts_ = list(order.fulfilments.all())
    order.goods_cents = sum(f.goods_cents for f in parts_)
    order.shipping_cents = sum(f.shipping_cents for f in parts_)
    order.gst_cents = sum(f.gst_cents for f in parts_)
    order.total_cents = order.goods_cents + order.shipping_cents
    order.payment_reference = order.number
    if paid_with is not None and paid_with != "bank_transfer":
        order.status = Order.Status.PAID
        order.payment_state = Order.PaymentState.PAID
        order.paid_at = now
        order.hold_until = None
        # as order_mark_paid records it
        Fulfilment.objects.filter(order=order).update(paid_cents=F("total_cents"))
    order.save()
    if paid_with is not None:
        paid = paid_with != "bank_transfer"
        Payment.objects.create(
            order=order,
            gateway=paid_with.removesuffix("_paid"),
            amount_cents=order.total_cents,
            status=Payment.Status.SUCCEEDED if paid else Payment.Status.PENDING,
            succeeded_at=now if paid else None,
            reference=f"test_ch_{order.number}" if paid else order.number,
        )
    return order


# --- Sales windows (ADR 0016) -------------------------------------------------------

from purei.orders.models import SalesWindow, SalesWindowItem  # noqa: E402


class SalesWindowFactory(DjangoModelFactory[SalesWindow]):
    """A window open now (since an hour ago, for two days) unless told."""

    class Meta:
        model = SalesWindow

    cluster = factory.SubFactory("purei.clusters.tests.factories.ClusterFactory")
    kind = SalesWindow.Kind.MARKET_DAY
    name_en = factory.Sequence(lambda n: f"Fair day {n}")
    time_zone = "Pacific/Auckland"
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    closes_at = factory.LazyAttribute(lambda o: o.opens_at + dt.timedelta(days=2))
    is_active = True


class SalesWindowItemFactory(DjangoModelFactory[SalesWindowItem]):
    class Meta:
        model = SalesWindowItem

    window = factory.SubFactory(SalesWindowFactory)
    product = factory.SubFactory("purei.catalogue.tests.factories.ProductFactory")
    member = factory.LazyAttribute(lambda o: o.product.member)
    cap = None
    per_customer_limit = None

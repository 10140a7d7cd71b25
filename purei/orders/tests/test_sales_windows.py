"""Sales windows (ADR 0016): caps, per-customer limits, before opening and after
the cutoff, their pickup points at checkout, restricted days, the admin services."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.tests.factories import MemberFactory
from purei.orders.errors import OrderErrorCode
from purei.orders.models import (
    Fulfilment,
    Order,
    OrderLine,
    SalesWindow,
    SalesWindowItem,
    ShippingPolicy,
    ShippingRate,
    Zone,
)
from purei.orders.services.cart import cart_add, cart_get_or_create, cart_summary
from purei.orders.services.checkout import (
    Address,
    CheckoutDetails,
    Choice,
    checkout_quote,
    order_place,
    order_release_expired,
)
from purei.orders.services.sales_windows import (
    SalesWindowInput,
    WindowItemRow,
    sales_window_create,
    sales_window_items_set,
    sales_window_pickups_set,
    sales_window_update,
)
from purei.orders.tests.factories import (
    PickupEventFactory,
    SalesWindowFactory,
    SalesWindowItemFactory,
)
from purei.orders.windows import opens_label, terms_for, window_state
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

AUCKLAND = Address(
    country="NZ",
    line1="12 Queen Street",
    town="Auckland",
    postcode="1021",
    region="NZ-AUK",
)


@pytest.fixture
def fair(db: Any) -> dict[str, Any]:
    """A cluster delivering to the North Island, a winery with a release open
    now (cap 10, at most 3 per customer) and a pickup point."""
    cluster = ClusterFactory.create(slug="marlborough-wine")
    policy = ShippingPolicy.objects.create(cluster=cluster)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=5000, price_cents=850
    )
    winery = MemberFactory.create(slug="winery", trading_name="Winery")
    product = public_product(cluster, member=winery, title_en="Pinot noir 2025")
    variant = Variant.objects.get(product=product)
    variant.price_cents, variant.stock = 3500, 100
    variant.save()
    window = SalesWindowFactory.create(
        cluster=cluster, kind=SalesWindow.Kind.RELEASE, name_en="Vintage release"
    )
    item = SalesWindowItemFactory.create(
        window=window, product=product, cap=10, per_customer_limit=3
    )
    gate = PickupEventFactory.create(
        cluster=cluster,
        sales_window=window,
        name_en="Fair day",
        starts_at=timezone.now() + dt.timedelta(days=3),
        order_cutoff=timezone.now() + dt.timedelta(days=2),
    )
    return {
        "cluster": cluster,
        "winery": winery,
        "product": product,
        "variant": variant,
        "window": window,
        "item": item,
        "gate": gate,
    }


def _cart(cluster: Any, variant: Variant, quantity: int, *, session: str = "") -> Any:
    cart = cart_get_or_create(
        cluster=cluster, user=None, session_key=session or uuid.uuid4().hex
    )
    cart_add(cart=cart, variant_id=variant.pk, quantity=quantity)
    return cart


def _details(fair: dict[str, Any], **overrides: Any) -> CheckoutDetails:
    values: dict[str, Any] = {
        "email": "aroha@example.nz",
        "name": "Aroha Te Wake",
        "payment_method": "bank_transfer",
        "idempotency_key": uuid.uuid4().hex,
        "address": AUCKLAND,
        "choices": {fair["winery"].pk: Choice("pickup_event", fair["gate"].pk)},
    }
    values.update(overrides)
    return CheckoutDetails(**values)


# --- When a window sells --------------------------------------------------------------


def test_a_window_is_upcoming_then_open_then_closed() -> None:
    # given
    opens = dt.datetime(2030, 2, 1, 20, 0, tzinfo=dt.UTC)  # Sat 2 Feb, 9 am NZDT
    window = SalesWindow(
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=1),
        time_zone="Pacific/Auckland",
    )
    # then
    assert window_state(window, opens - dt.timedelta(seconds=1)) == "upcoming"
    assert window_state(window, opens) == "open"
    assert window_state(window, opens + dt.timedelta(days=1)) == "closed"
    assert opens_label(window) == "Saturday 2 February, 9 am (NZDT)"


def test_opens_is_shown_in_the_windows_own_zone() -> None:
    opens = dt.datetime(2030, 2, 1, 20, 0, tzinfo=dt.UTC)
    window = SalesWindow(
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=1),
        time_zone="Pacific/Chatham",
    )
    assert opens_label(window) == "Saturday 2 February, 9:45 am (UTC+13:45)"


def test_a_window_only_product_cant_be_added_before_its_window_opens(fair) -> None:
    # given
    SalesWindow.objects.filter(pk=fair["window"].pk).update(
        opens_at=timezone.now() + dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=2),
    )
    cart = cart_get_or_create(cluster=fair["cluster"], user=None, session_key="s1")
    # when
    with pytest.raises(ValidationFailed) as refused:
        cart_add(cart=cart, variant_id=fair["variant"].pk, quantity=1)
    # then
    assert refused.value.code == OrderErrorCode.WINDOW_NOT_OPEN
    assert "orders open" in str(refused.value.errors["variant"][0])


def test_after_the_cutoff_a_cart_line_is_refused_at_checkout(fair) -> None:
    # given a cart filled while the window was open
    cart = _cart(fair["cluster"], fair["variant"], 2)
    later = fair["window"].closes_at + dt.timedelta(minutes=1)
    # when
    with pytest.raises(ValidationFailed) as refused:
        order_place(cart=cart, details=_details(fair), now=later)
    # then
    assert "closed" in refused.value.errors["cart"][0]
    assert not Order.objects.exists()
    fair["item"].refresh_from_db()
    assert fair["item"].sold == 0


def test_a_product_not_window_only_sells_as_usual_outside_its_window(fair) -> None:
    # given
    SalesWindowItem.objects.filter(pk=fair["item"].pk).update(window_only=False)
    SalesWindow.objects.filter(pk=fair["window"].pk).update(
        opens_at=timezone.now() + dt.timedelta(days=1),
        closes_at=timezone.now() + dt.timedelta(days=2),
    )
    cart = _cart(fair["cluster"], fair["variant"], 5)
    # when
    order = order_place(
        cart=cart,
        details=_details(fair, choices={fair["winery"].pk: Choice("delivery")}),
    )
    # then no cap taken, nothing recorded for the window
    fair["item"].refresh_from_db()
    assert fair["item"].sold == 0
    assert OrderLine.objects.get(order=order).window_item_id is None


def test_an_inactive_window_is_ignored() -> None:
    assert terms_for([], timezone.now()) is None


# --- Caps and limits at checkout ------------------------------------------------------


def test_an_order_for_a_window_takes_its_cap_and_records_the_window(fair) -> None:
    # given
    cart = _cart(fair["cluster"], fair["variant"], 3)
    # when
    order = order_place(cart=cart, details=_details(fair))
    # then
    fair["item"].refresh_from_db()
    assert fair["item"].sold == 3
    line = OrderLine.objects.get(order=order)
    assert line.window_item_id == fair["item"].pk
    part = Fulfilment.objects.get(order=order)
    assert part.method == "pickup_event"
    assert part.pickup_event_id == fair["gate"].pk


def test_the_cap_is_never_exceeded(fair) -> None:
    # given eight of ten sold
    SalesWindowItem.objects.filter(pk=fair["item"].pk).update(sold=8)
    cart = cart_get_or_create(cluster=fair["cluster"], user=None, session_key="x")
    # when adding three
    with pytest.raises(ValidationFailed) as refused:
        cart_add(cart=cart, variant_id=fair["variant"].pk, quantity=3)
    # then
    assert refused.value.code == OrderErrorCode.WINDOW_LIMIT
    assert "Only 2" in refused.value.errors["quantity"][0]


def test_the_cap_taken_meanwhile_refuses_the_order_and_changes_nothing(fair) -> None:
    # given a cart of three, then others buy nine of the ten
    cart = _cart(fair["cluster"], fair["variant"], 3)
    SalesWindowItem.objects.filter(pk=fair["item"].pk).update(sold=9)
    stock = Variant.objects.get(pk=fair["variant"].pk).stock
    # when
    with pytest.raises(ValidationFailed) as refused:
        order_place(cart=cart, details=_details(fair))
    # then
    assert "cart" in refused.value.errors
    assert not Order.objects.exists()
    assert Variant.objects.get(pk=fair["variant"].pk).stock == stock
    fair["item"].refresh_from_db()
    assert fair["item"].sold == 9


def test_the_per_customer_limit_counts_earlier_orders(fair) -> None:
    # given two bought already by this email
    order_place(cart=_cart(fair["cluster"], fair["variant"], 2), details=_details(fair))
    cart = _cart(fair["cluster"], fair["variant"], 2)
    # when two more
    with pytest.raises(ValidationFailed) as refused:
        order_place(cart=cart, details=_details(fair))
    # then
    assert refused.value.code == OrderErrorCode.WINDOW_LIMIT
    assert "at most 3" in refused.value.errors["cart"][0]
    assert "ordered 2 already" in refused.value.errors["cart"][0]
    fair["item"].refresh_from_db()
    assert fair["item"].sold == 2
    # and another customer still may
    order_place(cart=cart, details=_details(fair, email="mere@example.nz"))
    fair["item"].refresh_from_db()
    assert fair["item"].sold == 4


def test_the_per_customer_limit_applies_to_one_cart(fair) -> None:
    cart = cart_get_or_create(cluster=fair["cluster"], user=None, session_key="y")
    with pytest.raises(ValidationFailed) as refused:
        cart_add(cart=cart, variant_id=fair["variant"].pk, quantity=4)
    assert "at most 3" in refused.value.errors["quantity"][0]


def test_an_order_released_unpaid_gives_its_cap_back(fair) -> None:
    # given
    now = timezone.now()
    order_place(
        cart=_cart(fair["cluster"], fair["variant"], 3), details=_details(fair), now=now
    )
    # when its hold runs out
    order_release_expired(now=now + dt.timedelta(days=4))
    # then
    fair["item"].refresh_from_db()
    assert fair["item"].sold == 0


def test_a_windows_goods_are_collected_at_its_pickup_points(fair) -> None:
    # given an ordinary event the winery takes part in too
    PickupEventFactory.create(
        cluster=fair["cluster"],
        starts_at=timezone.now() + dt.timedelta(days=5),
        order_cutoff=timezone.now() + dt.timedelta(days=4),
    )
    cart = _cart(fair["cluster"], fair["variant"], 1)
    # when
    quote = checkout_quote(
        cluster=fair["cluster"], summary=cart_summary(cart), address=AUCKLAND
    )
    # then only the window's pickup point is offered: the one way, taken
    part = quote.parts[0]
    assert [c.event_id for c in part.options] == [fair["gate"].pk]
    assert part.choice == Choice("pickup_event", fair["gate"].pk)
    # and delivery is refused
    with pytest.raises(ValidationFailed) as refused:
        order_place(
            cart=cart,
            details=_details(fair, choices={fair["winery"].pk: Choice("delivery")}),
        )
    assert "pickup points" in refused.value.errors[f"choice.{fair['winery'].pk}"][0]


def test_a_window_with_delivery_days_delivers(fair) -> None:
    # given
    SalesWindow.objects.filter(pk=fair["window"].pk).update(
        delivery_from=timezone.localdate() + dt.timedelta(days=5)
    )
    cart = _cart(fair["cluster"], fair["variant"], 1)
    # when
    order = order_place(
        cart=cart,
        details=_details(fair, choices={fair["winery"].pk: Choice("delivery")}),
    )
    # then its one delivery day is the part's
    fulfilment = Fulfilment.objects.get(order=order)
    assert fulfilment.method == "delivery"
    assert fulfilment.delivery_on == timezone.localdate() + dt.timedelta(days=5)


def _delivering(fair: dict[str, Any], weekdays: list[int]) -> tuple[dt.date, dt.date]:
    """The window delivers from a Monday two weeks on to the Friday; the
    winery dispatches on ``weekdays`` (none: any day), a day in transit."""
    today = timezone.localdate()
    monday = today + dt.timedelta(days=14 - today.weekday())
    friday = monday + dt.timedelta(days=4)
    SalesWindow.objects.filter(pk=fair["window"].pk).update(
        delivery_from=monday, delivery_until=friday
    )
    ShippingPolicy.objects.create(
        member=fair["winery"], dispatch_weekdays=weekdays, transit_days=1
    )
    ShippingRate.objects.create(
        policy=ShippingPolicy.objects.get(member=fair["winery"]),
        zone=Zone.NORTH_ISLAND,
        max_weight_grams=5000,
        price_cents=850,
    )
    return monday, friday


def test_a_windows_delivery_days_are_offered_beyond_the_fortnight(fair) -> None:
    # given a window delivering Monday to Friday in two weeks' time; the
    # winery sends on Mondays and Wednesdays, arriving the next day
    monday, _friday = _delivering(fair, [0, 2])
    cart = _cart(fair["cluster"], fair["variant"], 1)
    # when
    quote = checkout_quote(
        cluster=fair["cluster"],
        summary=cart_summary(cart),
        address=AUCKLAND,
        choices={fair["winery"].pk: Choice("delivery")},
    )
    # then only the window's days its dispatch days reach
    assert [d.arrival for d in quote.parts[0].days] == [
        monday + dt.timedelta(days=1),
        monday + dt.timedelta(days=3),
    ]


def test_a_delivery_day_outside_the_windows_is_refused(fair) -> None:
    # given the window delivers Monday to Friday; the shopper asks for Saturday
    _monday, friday = _delivering(fair, [])
    saturday = friday + dt.timedelta(days=1)
    cart = _cart(fair["cluster"], fair["variant"], 1)
    # when
    with pytest.raises(ValidationFailed) as refused:
        order_place(
            cart=cart,
            details=_details(
                fair,
                choices={fair["winery"].pk: Choice("delivery", delivery_day=saturday)},
            ),
        )
    # then
    message = refused.value.errors[f"choice.{fair['winery'].pk}.delivery_day"][0]
    assert message.startswith("Orders for Vintage release are delivered from ")
    assert friday.isoformat() in message
    assert not Order.objects.exists()
    assert SalesWindowItem.objects.get(pk=fair["item"].pk).sold == 0


def test_a_delivery_day_within_the_windows_is_taken(fair) -> None:
    # given
    monday, _friday = _delivering(fair, [])
    wednesday = monday + dt.timedelta(days=2)
    cart = _cart(fair["cluster"], fair["variant"], 1)
    # when
    order = order_place(
        cart=cart,
        details=_details(
            fair,
            choices={fair["winery"].pk: Choice("delivery", delivery_day=wednesday)},
        ),
    )
    # then
    assert Fulfilment.objects.get(order=order).delivery_on == wednesday


def test_a_member_who_cant_reach_the_windows_days_is_refused(fair) -> None:
    # given the window delivers Monday to Friday; the winery sends on
    # Saturdays only, arriving Sunday
    _delivering(fair, [5])
    cart = _cart(fair["cluster"], fair["variant"], 1)
    # when
    with pytest.raises(ValidationFailed) as refused:
        order_place(
            cart=cart,
            details=_details(fair, choices={fair["winery"].pk: Choice("delivery")}),
        )
    # then
    message = refused.value.errors[f"choice.{fair['winery'].pk}"][0]
    assert "can't deliver then" in message
    assert not Order.objects.exists()


# --- The admins' services -------------------------------------------------------------


def _window_input(**overrides: Any) -> SalesWindowInput:
    values: dict[str, Any] = {
        "kind": "box",
        "name_en": "Christmas box",
        "time_zone": "Pacific/Auckland",
        "open_date": "2030-11-01",
        "open_time": "09:00",
        "close_date": "2030-12-15",
        "close_time": "18:00",
    }
    values.update(overrides)
    return SalesWindowInput(**values)


def test_an_admin_creates_a_window_in_its_zone(cluster_x_admin, cluster_x) -> None:
    # when
    window = sales_window_create(
        actor=cluster_x_admin, cluster=cluster_x, details=_window_input()
    )
    # then 9 am NZDT is 8 pm UTC the day before
    assert window.opens_at == dt.datetime(2030, 10, 31, 20, 0, tzinfo=dt.UTC)
    assert AuditEntry.objects.filter(verb="sales_window.created").exists()


def test_delivery_on_christmas_day_needs_an_exemption(
    cluster_x_admin, cluster_x
) -> None:
    # when
    with pytest.raises(ValidationFailed) as refused:
        sales_window_create(
            actor=cluster_x_admin,
            cluster=cluster_x,
            details=_window_input(
                delivery_from="2030-12-24", delivery_until="2030-12-26"
            ),
        )
    # then
    assert "Christmas Day" in refused.value.errors["restricted_day_exemption"][0]
    # and with one recorded it is allowed, and audited apart
    window = sales_window_create(
        actor=cluster_x_admin,
        cluster=cluster_x,
        details=_window_input(
            delivery_from="2030-12-24",
            delivery_until="2030-12-26",
            restricted_day_exemption="Council, ref 42",
        ),
    )
    assert window.restricted_day_exemption == "Council, ref 42"
    assert AuditEntry.objects.filter(
        verb="sales_window.restricted_day_exempted"
    ).exists()


def test_closing_before_opening_is_refused(cluster_x_admin, cluster_x) -> None:
    with pytest.raises(ValidationFailed) as refused:
        sales_window_create(
            actor=cluster_x_admin,
            cluster=cluster_x,
            details=_window_input(close_date="2030-10-01"),
        )
    assert "close_time" in refused.value.errors


@pytest.mark.parametrize(
    "actor_name",
    ["anonymous", "customer", "member_a_owner", "cluster_y_admin", "platform_staff"],
)
def test_only_the_clusters_admins_change_windows(request, actor_name, cluster_x):
    actor = request.getfixturevalue(actor_name)
    window = SalesWindowFactory.create(cluster=cluster_x)
    with pytest.raises(NotPermitted):
        sales_window_create(actor=actor, cluster=cluster_x, details=_window_input())
    with pytest.raises(NotPermitted):
        sales_window_update(actor=actor, window=window, details=_window_input())
    with pytest.raises(NotPermitted):
        sales_window_items_set(actor=actor, window=window, rows=[])
    with pytest.raises(NotPermitted):
        sales_window_pickups_set(actor=actor, window=window, event_ids=[])
    assert SalesWindow.objects.count() == 1


def test_items_are_products_of_approved_members(cluster_x_admin, cluster_x, member_a):
    # given
    window = SalesWindowFactory.create(cluster=cluster_x)
    ours = public_product(cluster_x, member=member_a)
    theirs = public_product(ClusterFactory.create())
    # when
    with pytest.raises(ValidationFailed):
        sales_window_items_set(
            actor=cluster_x_admin, window=window, rows=[WindowItemRow(theirs.pk)]
        )
    items = sales_window_items_set(
        actor=cluster_x_admin,
        window=window,
        rows=[WindowItemRow(ours.pk, cap=20, per_customer_limit=2)],
    )
    # then
    assert [(i.product_id, i.member_id, i.cap) for i in items] == [
        (ours.pk, member_a.pk, 20)
    ]


def test_a_cap_cant_go_below_whats_sold(cluster_x_admin, cluster_x, member_a) -> None:
    window = SalesWindowFactory.create(cluster=cluster_x)
    product = public_product(cluster_x, member=member_a)
    SalesWindowItemFactory.create(window=window, product=product, sold=5, cap=10)
    with pytest.raises(ValidationFailed):
        sales_window_items_set(
            actor=cluster_x_admin,
            window=window,
            rows=[WindowItemRow(product.pk, cap=4)],
        )
    with pytest.raises(ValidationFailed):
        sales_window_items_set(actor=cluster_x_admin, window=window, rows=[])


def test_pickup_points_are_the_clusters_events(cluster_x_admin, cluster_x) -> None:
    window = SalesWindowFactory.create(cluster=cluster_x)
    ours = PickupEventFactory.create(cluster=cluster_x)
    theirs = PickupEventFactory.create()
    with pytest.raises(ValidationFailed):
        sales_window_pickups_set(
            actor=cluster_x_admin, window=window, event_ids=[theirs.pk]
        )
    sales_window_pickups_set(actor=cluster_x_admin, window=window, event_ids=[ours.pk])
    assert list(window.pickup_points.all()) == [ours]


# --- Demo seed ------------------------------------------------------------------------


def test_the_seed_has_an_upcoming_fair_day_a_box_and_a_release() -> None:
    from purei.catalogue.seed import product_seed_load
    from purei.clusters.seed import seed_load
    from purei.members.seed import member_seed_load
    from purei.orders.seed import shipping_seed_load
    from purei.orders.seed_windows import sales_window_seed_load

    # given
    seed_load()
    member_seed_load()
    product_seed_load()
    now = timezone.now()
    shipping_seed_load(now=now)
    # when
    first = sales_window_seed_load(now=now)
    second = sales_window_seed_load(now=now)
    # then
    assert first > 0
    assert second == 0
    fair = SalesWindow.objects.get(name_en="Fair day pre-order and collect")
    assert window_state(fair, now) == "open"
    assert fair.pickup_points.count() == 1
    assert fair.items.exists()
    box = SalesWindow.objects.get(name_en="Christmas box")
    assert window_state(box, now) == "upcoming"
    assert box.items.values("member").distinct().count() == 5
    release = SalesWindow.objects.get(name_en="Vintage release")
    assert release.cluster.slug == "marlborough-wine"
    assert set(release.items.values_list("per_customer_limit", flat=True)) == {6}

"""Hub delivery: the split rule's arithmetic (largest remainder, the worked
example of docs/orders.md), checkout with one parcel from the hub, the cutoff,
members dropping their parts, the hub dispatching the one parcel, and who may
do each."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail

from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.ledger.tests.factories import cluster_admin, pay
from purei.orders.hub import PartBasis, drop_by, hub_shares
from purei.orders.models import (
    Consignment,
    Fulfilment,
    HubDelivery,
    Order,
    ShippingPolicy,
)
from purei.orders.money import gst_in
from purei.orders.services.cart import cart_summary
from purei.orders.services.checkout import checkout_quote, order_place
from purei.orders.services.fulfilment import (
    FulfilmentMoveRefused,
    fulfilment_advance,
    moves_for,
)
from purei.orders.services.hub import (
    HubRefused,
    hub_drop_mark,
    hub_parcel_dispatch,
    hub_settings_save,
)

from .hub_fixtures import (
    AUCKLAND,
    RD_MARTINBOROUGH,
    basket,
    details,
    fair,
    hub_settings,
)

__all__ = ["fair"]

pytestmark = pytest.mark.django_db
NZ = ZoneInfo("Pacific/Auckland")
S = Fulfilment.Status

# The worked example of docs/orders.md "Hub delivery": 1,200 g and $48.00 of
# olive oil, a 1,500 g $60.00 bowl, 900 g and $28.50 of jam; $12.50 up to 5 kg
# in the North Island plus $5.75 rural delivery = $18.25.
EXAMPLE = [PartBasis(1200, 4800), PartBasis(1500, 6000), PartBasis(900, 2850)]


# --- The split rule -------------------------------------------------------------


def test_the_worked_example_split_by_weight() -> None:
    # 1825 x 1200/3600 = 608.33, x 1500/3600 = 760.42, x 900/3600 = 456.25:
    # 608 + 760 + 456 = 1824, the cent left goes to the largest remainder (.42)
    assert hub_shares(1825, EXAMPLE, "weight") == [608, 761, 456]


def test_the_worked_example_split_by_value() -> None:
    # 1825 x 4800/13650 = 641.76, x 6000/13650 = 802.20, x 2850/13650 = 381.04
    assert hub_shares(1825, EXAMPLE, "value") == [642, 802, 381]


def test_the_worked_example_split_equally() -> None:
    # 608.33 each: the first part takes the cent left over (a tie: earlier first)
    assert hub_shares(1825, EXAMPLE, "equal") == [609, 608, 608]


@pytest.mark.parametrize("rule", ["weight", "value", "equal"])
@pytest.mark.parametrize("charge", [0, 1, 2, 999, 1825, 100_003])
def test_shares_always_add_up_to_the_charge(rule: str, charge: int) -> None:
    parts = [PartBasis(7, 333), PartBasis(0, 1), PartBasis(13, 0), PartBasis(5, 5)]
    shares = hub_shares(charge, parts, rule)
    assert sum(shares) == charge
    assert all(share >= 0 for share in shares)


def test_nothing_to_weigh_is_shared_equally() -> None:
    assert hub_shares(100, [PartBasis(0, 5), PartBasis(0, 7)], "weight") == [50, 50]


def test_the_docs_worked_example_is_the_one_tested() -> None:
    text = (Path(settings.BASE_DIR).parent / "docs" / "orders.md").read_text()
    for figure in ("$6.08", "$7.61", "$4.56", "$6.42", "$8.02", "$3.81", "$18.25"):
        assert figure in text, figure


# --- The cutoff ------------------------------------------------------------------


def test_a_weekly_cutoff_is_the_first_such_day_after_payment() -> None:
    hub = HubDelivery(cutoff_kind="weekly", cutoff_weekday=3, cutoff_time=dt.time(12))
    # Paid Thursday 3 December 2026 at 9:00: that same Thursday noon.
    paid = dt.datetime(2026, 12, 3, 9, 0, tzinfo=NZ)
    assert drop_by(hub, paid) == dt.datetime(2026, 12, 3, 12, 0, tzinfo=NZ)
    # Paid at 13:00 the same day: the next Thursday.
    later = dt.datetime(2026, 12, 3, 13, 0, tzinfo=NZ)
    assert drop_by(hub, later) == dt.datetime(2026, 12, 10, 12, 0, tzinfo=NZ)


def test_an_hours_cutoff_counts_from_payment() -> None:
    hub = HubDelivery(cutoff_kind="hours", cutoff_hours=48)
    paid = dt.datetime(2026, 12, 3, 9, 0, tzinfo=NZ)
    assert drop_by(hub, paid) == dt.datetime(2026, 12, 5, 9, 0, tzinfo=NZ)


# --- Settings --------------------------------------------------------------------


def test_settings_keep_the_hubs_rates_apart_from_the_clusters_default(
    fair: dict[str, Any],
) -> None:
    hub = fair["hub"]
    policy = ShippingPolicy.objects.get(hub=hub)
    assert policy.cluster_id is None
    assert policy.member_id is None
    assert policy.rural_surcharge_cents == 575
    assert sorted(policy.rates.values_list("zone", "price_cents")) == [
        ("north", 1250),
        ("north", 1900),
        ("south", 1650),
    ]
    assert not ShippingPolicy.objects.filter(cluster=fair["cluster"]).exists()
    assert AuditEntry.objects.filter(verb="hub_delivery.saved").count() == 1


def test_offering_hub_delivery_needs_a_hub_and_rates(fair: dict[str, Any]) -> None:
    # when
    with pytest.raises(ValidationFailed) as caught:
        hub_settings_save(
            actor=fair["admin"],
            cluster=fair["cluster"],
            details=hub_settings(
                hub_name="", cutoff_kind="hours", cutoff_hours="0", rates=()
            ),
        )
    # then
    assert set(caught.value.errors) == {"hub_name", "cutoff_hours", "rates"}
    fair["hub"].refresh_from_db()
    assert fair["hub"].hub_name == "The Fair depot"
    assert fair["hub"].cutoff_kind == "weekly"


def test_only_the_clusters_admins_change_its_hub(
    fair: dict[str, Any], cluster_y_admin: Actor, member_a_owner: Actor
) -> None:
    for actor in (cluster_y_admin, member_a_owner):
        with pytest.raises(NotPermitted):
            hub_settings_save(
                actor=actor,
                cluster=fair["cluster"],
                details=hub_settings(enabled=False),
            )
    fair["hub"].refresh_from_db()
    assert fair["hub"].enabled is True


# --- Checkout --------------------------------------------------------------------


def test_the_hub_quote_is_one_charge_shared_by_weight(fair: dict[str, Any]) -> None:
    # given
    summary = cart_summary(basket(fair))
    # when
    own = checkout_quote(
        cluster=fair["cluster"], summary=summary, address=RD_MARTINBOROUGH
    )
    hub = checkout_quote(
        cluster=fair["cluster"], summary=summary, address=RD_MARTINBOROUGH, hub=True
    )
    # then: three rural deliveries of $8.50 + $5.75, or one of $12.50 + $5.75
    assert own.shipping_cents == 3 * (850 + 575)
    assert hub.hub is not None
    assert hub.hub.charge_cents == 1825
    assert hub.hub.weight_grams == 3600
    shares = {part.group.member_name: part.shipping_cents for part in hub.parts}
    assert shares == {"Olive Grove": 608, "Clay Potter": 761, "Jam Maker": 456}
    assert hub.shipping_cents == 1825
    assert hub.goods_cents == own.goods_cents == 4800 + 6000 + 2850
    gst = {part.group.member_name: part.shipping_gst_cents for part in hub.parts}
    # GST on a share follows its supplier: the jam maker is not registered
    assert gst == {
        "Olive Grove": gst_in(608),
        "Clay Potter": gst_in(761),
        "Jam Maker": 0,
    }
    assert hub.hub_problem == ""


def test_placing_a_hub_order_records_each_share_and_one_parcel(
    fair: dict[str, Any],
) -> None:
    # when
    order = order_place(cart=basket(fair), details=details())
    # then
    order.refresh_from_db()
    assert order.shipping_cents == 1825
    assert order.total_cents == 13650 + 1825
    parts = list(order.fulfilments.order_by("pk"))
    assert {p.supplier_name: p.shipping_cents for p in parts} == {
        "Olive Grove": 608,
        "Clay Potter": 761,
        "Jam Maker": 456,
    }
    assert all(p.via_hub and p.method == "delivery" for p in parts)
    assert all(p.delivery_on is None for p in parts)
    parcel = Consignment.objects.get(order=order)
    assert parcel.kind == Consignment.Kind.HUB
    assert parcel.status == Consignment.Status.GATHERING
    assert parcel.charge_cents == 1825
    assert parcel.split_rule == "weight"
    assert "The Fair depot" in parcel.consolidation_point


def test_the_cluster_rule_decides_the_shares(fair: dict[str, Any]) -> None:
    # given
    hub_settings_save(
        actor=fair["admin"],
        cluster=fair["cluster"],
        details=hub_settings(split_rule="value"),
    )
    # when
    order = order_place(cart=basket(fair), details=details())
    # then
    shares = dict(order.fulfilments.values_list("supplier_name", "shipping_cents"))
    assert shares == {"Olive Grove": 642, "Clay Potter": 802, "Jam Maker": 381}


def test_a_hub_parcel_too_heavy_for_its_rates_is_refused(
    fair: dict[str, Any],
) -> None:
    # given: only the South Island has a limit the parcel fits in... in Auckland
    # the open tier applies; in Canterbury the 5 kg limit does not fit 3.6 kg x 2
    cart = basket(fair)
    from purei.orders.services.cart import cart_add

    cart_add(cart=cart, variant_id=fair["bowl"].pk, quantity=3)
    christchurch = AUCKLAND.__class__(
        country="NZ",
        line1="1 Cathedral Square",
        town="Christchurch",
        postcode="8011",
        region="NZ-CAN",
    )
    # when
    with pytest.raises(ValidationFailed) as caught:
        order_place(cart=cart, details=details(address=christchurch))
    # then
    assert "hub" in caught.value.errors
    assert Order.objects.exists() is False


def test_a_cluster_without_hub_delivery_refuses_a_hub_checkout(
    fair: dict[str, Any],
) -> None:
    # given
    hub_settings_save(
        actor=fair["admin"],
        cluster=fair["cluster"],
        details=hub_settings(enabled=False),
    )
    # when
    with pytest.raises(ValidationFailed) as caught:
        order_place(cart=basket(fair), details=details())
    # then
    assert caught.value.errors["hub"] == ["This shop doesn't offer hub delivery."]
    assert Order.objects.exists() is False


def test_without_the_hub_each_member_delivers_its_own(fair: dict[str, Any]) -> None:
    order = order_place(cart=basket(fair), details=details(hub=False))
    assert order.shipping_cents == 3 * (850 + 575)
    assert not order.fulfilments.filter(via_hub=True).exists()
    assert Consignment.objects.filter(order=order).exists() is False


# --- Dropping and dispatching -------------------------------------------------------


def _team(member: Any) -> Actor:
    from purei.accounts.models import MemberRole
    from purei.accounts.tests.factories import UserFactory

    user = UserFactory.create()
    MemberRole.objects.create(user=user, member=member, role=MemberRole.Role.OWNER)
    return Actor(user=user)


@pytest.fixture
def paid(fair: dict[str, Any]) -> Order:
    order = order_place(cart=basket(fair), details=details())
    pay(order)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    return order


def test_a_member_marks_its_part_dropped_at_the_hub(
    fair: dict[str, Any], paid: Order
) -> None:
    # given
    part = paid.fulfilments.get(member=fair["olives"])
    # when
    dropped = hub_drop_mark(actor=_team(fair["olives"]), fulfilment=part)
    # then
    assert dropped.hub_dropped_at is not None
    assert dropped.status == S.PACKED
    assert AuditEntry.objects.filter(verb="fulfilment.hub_dropped").count() == 1
    # it ships only in the hub's parcel
    assert S.SHIPPED not in moves_for(dropped)
    with pytest.raises(FulfilmentMoveRefused):
        fulfilment_advance(
            actor=_team(fair["olives"]), fulfilment=dropped, to=S.SHIPPED, carrier="X"
        )


def test_another_clusters_member_cannot_mark_a_drop(
    fair: dict[str, Any], paid: Order, member_a_owner: Actor, cluster_y_admin: Actor
) -> None:
    part = paid.fulfilments.get(member=fair["olives"])
    for actor in (member_a_owner, cluster_y_admin, fair["admin"]):
        with pytest.raises(NotPermitted):
            hub_drop_mark(actor=actor, fulfilment=part)
    part.refresh_from_db()
    assert part.hub_dropped_at is None
    assert part.status == S.NEW


def test_the_hub_waits_for_every_part_then_sends_one_parcel(
    fair: dict[str, Any], paid: Order, django_capture_on_commit_callbacks: Any
) -> None:
    # given: two of three parts at the hub
    for member in ("olives", "potter"):
        part = paid.fulfilments.get(member=fair[member])
        hub_drop_mark(actor=_team(fair[member]), fulfilment=part)
    # when
    with pytest.raises(HubRefused) as caught:
        hub_parcel_dispatch(
            actor=fair["admin"], order=paid, carrier="NZ Post", tracking_number="T1"
        )
    # then
    assert "Jam Maker" in caught.value.message
    assert not paid.fulfilments.filter(status=S.SHIPPED).exists()
    # when the last arrives
    part = paid.fulfilments.get(member=fair["jam_maker"])
    hub_drop_mark(actor=_team(fair["jam_maker"]), fulfilment=part)
    mail.outbox.clear()
    with pytest.raises(ValidationFailed):
        hub_parcel_dispatch(
            actor=fair["admin"], order=paid, carrier="NZ Post", tracking_number=""
        )
    with django_capture_on_commit_callbacks(execute=True):
        parcel = hub_parcel_dispatch(
            actor=fair["admin"],
            order=paid,
            carrier="NZ Post",
            tracking_number="NZP123456789",
        )
    # then
    assert parcel.status == Consignment.Status.LEFT
    assert (parcel.carrier, parcel.waybill) == ("NZ Post", "NZP123456789")
    parts = list(paid.fulfilments.all())
    assert {p.status for p in parts} == {S.SHIPPED}
    assert {p.tracking_number for p in parts} == {"NZP123456789"}
    assert len(mail.outbox) == 1
    assert "NZP123456789" in mail.outbox[0].body
    assert "Jam Maker" in mail.outbox[0].body
    with pytest.raises(HubRefused):
        hub_parcel_dispatch(
            actor=fair["admin"], order=paid, carrier="NZ Post", tracking_number="T2"
        )


def test_only_the_clusters_admins_dispatch_the_parcel(
    fair: dict[str, Any], paid: Order, cluster_y_admin: Actor
) -> None:
    for member in ("olives", "potter", "jam_maker"):
        part = paid.fulfilments.get(member=fair[member])
        hub_drop_mark(actor=_team(fair[member]), fulfilment=part)
    for actor in (cluster_y_admin, _team(fair["olives"]), cluster_admin_of_none()):
        with pytest.raises(NotPermitted):
            hub_parcel_dispatch(
                actor=actor, order=paid, carrier="NZ Post", tracking_number="T1"
            )
    assert Consignment.objects.get(order=paid).status == "gathering"


def cluster_admin_of_none() -> Actor:
    from purei.clusters.tests.factories import ClusterFactory

    return cluster_admin(ClusterFactory.create())


def test_an_unpaid_order_is_not_dropped(fair: dict[str, Any]) -> None:
    order = order_place(cart=basket(fair), details=details())
    part = order.fulfilments.get(member=fair["olives"])
    with pytest.raises(HubRefused):
        hub_drop_mark(actor=_team(fair["olives"]), fulfilment=part)


# --- The demo ------------------------------------------------------------------------


def test_the_fair_offers_hub_delivery_and_only_its_story_says_so() -> None:
    from purei.clusters.models import Cluster
    from purei.clusters.seed import SEED_CLUSTERS, seed_load
    from purei.members.seed import member_seed_load
    from purei.orders.hub import hub_for
    from purei.orders.seed import shipping_seed_load

    # given
    seed_load()
    member_seed_load()
    # when
    first = shipping_seed_load(now=dt.datetime(2026, 11, 29, tzinfo=dt.UTC))
    second = shipping_seed_load(now=dt.datetime(2026, 11, 29, tzinfo=dt.UTC))
    # then
    assert first > 0
    assert second == 0
    fair = Cluster.objects.get(slug="martinborough-fair")
    hub = hub_for(fair)
    assert hub is not None
    assert hub.label == (
        "The Stallholders' Association depot, Memorial Square, Martinborough 5711"
    )
    assert hub.cutoff_text == "the first Thursday, 12:00 pm, after the order is paid"
    assert HubDelivery.objects.filter(enabled=True).count() == 1
    for seed in SEED_CLUSTERS:
        says = "one parcel" in seed.story
        assert says == (seed.slug == "martinborough-fair"), seed.slug
    story = next(s.story for s in SEED_CLUSTERS if s.slug == "martinborough-fair")
    assert "by Thursday noon" in story


def test_the_emails_say_one_parcel_and_drop_at_the_hub(
    fair: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # when the order is placed and paid
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(cart=basket(fair), details=details())
    with django_capture_on_commit_callbacks(execute=True):
        pay(order)
    # then the shopper is told of one parcel, each member to drop its part
    to_shopper = [m for m in mail.outbox if m.to == ["aroha@example.nz"]]
    assert any(
        "it all comes to you as one parcel: $18.25" in m.body for m in to_shopper
    )
    to_members = [m for m in mail.outbox if "to fulfil" in m.body]
    assert len(to_members) == 3
    assert all("drop it at The Fair depot" in m.body for m in to_members)
    assert not any("Deliver to:" in m.body for m in to_members)

"""Shipping rules (zones, tiers, surcharges, free shipping, fallback) and the
services that change policies and rate tables."""

import pytest

from purei.clusters.models import Region
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import ShippingPolicy, ShippingRate, Zone
from purei.orders.services import (
    RateRow,
    ShippingPolicyInput,
    shipping_policy_save,
    shipping_rates_replace,
    shipping_settings_save,
)
from purei.orders.shipping import (
    PolicySource,
    RateTier,
    ResolvedPolicy,
    policies_for,
    shipping_cents,
    zone_for,
)
from purei.orders.tests.factories import NZ_TABLE, ShippingPolicyFactory, rate_table


def _policy(
    rows: list[tuple[str, int | None, int]] = NZ_TABLE,
    *,
    rural: int = 575,
    free_over: int | None = None,
) -> ResolvedPolicy:
    return ResolvedPolicy(
        member_id=1,
        source=PolicySource.MEMBER,
        policy_id=1,
        rural_surcharge_cents=rural,
        free_over_cents=free_over,
        tiers=tuple(RateTier(z, g, c) for z, g, c in rows),
    )


# --- Zones ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "region", "zone"),
    [
        ("NZ", "NZ-AUK", Zone.NORTH_ISLAND),
        ("NZ", "NZ-WGN", Zone.NORTH_ISLAND),
        ("nz", "NZ-CAN", Zone.SOUTH_ISLAND),
        ("NZ", "NZ-STL", Zone.SOUTH_ISLAND),
        ("NZ", "NZ-CIT", Zone.CHATHAM_ISLANDS),
        ("AU", None, Zone.AUSTRALIA),
        ("US", None, Zone.WORLD),
        ("GB", None, Zone.WORLD),
    ],
)
@pytest.mark.django_db
def test_zone_for_an_address(country, region, zone):
    found = Region.objects.get(code=region) if region else None
    assert zone_for(country, found) == zone


def test_zone_for_nz_without_region_is_unknown():
    assert zone_for("NZ", None) is None
    assert zone_for("", None) is None


# --- Tiers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grams", "cents"),
    [(0, 850), (1, 850), (1000, 850), (1001, 1250), (5000, 1250), (25000, 2200)],
)
def test_the_lightest_tier_that_fits_applies(grams, cents):
    price = shipping_cents(
        _policy(),
        zone=Zone.NORTH_ISLAND,
        rural=False,
        weight_grams=grams,
        goods_cents=1000,
    )
    assert price == cents


def test_over_every_tier_is_not_shipped():
    price = shipping_cents(
        _policy(),
        zone=Zone.NORTH_ISLAND,
        rural=False,
        weight_grams=25001,
        goods_cents=0,
    )
    assert price is None


def test_the_open_tier_takes_everything_heavier_whatever_the_row_order():
    # given: the open tier listed first
    policy = _policy([(Zone.SOUTH_ISLAND, None, 2950), (Zone.SOUTH_ISLAND, 1000, 1150)])
    # then
    assert (
        shipping_cents(
            policy, zone=Zone.SOUTH_ISLAND, rural=False, weight_grams=900, goods_cents=0
        )
        == 1150
    )
    assert (
        shipping_cents(
            policy,
            zone=Zone.SOUTH_ISLAND,
            rural=False,
            weight_grams=90_000,
            goods_cents=0,
        )
        == 2950
    )


def test_a_zone_without_rates_is_not_shipped():
    policy = _policy([(Zone.NORTH_ISLAND, None, 850)])
    assert (
        shipping_cents(
            policy, zone=Zone.AUSTRALIA, rural=False, weight_grams=10, goods_cents=0
        )
        is None
    )


def test_chatham_islands_and_australia_have_their_own_rates():
    policy = _policy()
    assert (
        shipping_cents(
            policy,
            zone=Zone.CHATHAM_ISLANDS,
            rural=False,
            weight_grams=10,
            goods_cents=0,
        )
        == 4500
    )
    assert (
        shipping_cents(
            policy, zone=Zone.AUSTRALIA, rural=False, weight_grams=2000, goods_cents=0
        )
        == 6000
    )


def test_negative_weight_is_a_programming_error():
    with pytest.raises(ValueError, match="negative"):
        shipping_cents(
            _policy(),
            zone=Zone.NORTH_ISLAND,
            rural=False,
            weight_grams=-1,
            goods_cents=0,
        )


# --- Rural surcharge and free shipping ------------------------------------------------


def test_rural_delivery_adds_the_surcharge_in_new_zealand():
    policy = _policy(rural=575)
    for zone, base in ((Zone.NORTH_ISLAND, 850), (Zone.SOUTH_ISLAND, 1150)):
        assert (
            shipping_cents(
                policy, zone=zone, rural=True, weight_grams=500, goods_cents=0
            )
            == base + 575
        )


def test_rural_flag_is_ignored_abroad():
    price = shipping_cents(
        _policy(rural=575),
        zone=Zone.AUSTRALIA,
        rural=True,
        weight_grams=500,
        goods_cents=0,
    )
    assert price == 3500


@pytest.mark.parametrize(
    ("goods", "rural", "cents"),
    [(9999, False, 850), (10000, False, 0), (25000, True, 0), (9999, True, 1425)],
)
def test_free_over_the_threshold_within_new_zealand(goods, rural, cents):
    policy = _policy(free_over=10000)
    price = shipping_cents(
        policy, zone=Zone.NORTH_ISLAND, rural=rural, weight_grams=500, goods_cents=goods
    )
    assert price == cents


def test_free_shipping_includes_the_chatham_islands():
    price = shipping_cents(
        _policy(free_over=10000),
        zone=Zone.CHATHAM_ISLANDS,
        rural=False,
        weight_grams=500,
        goods_cents=10000,
    )
    assert price == 0


@pytest.mark.parametrize("zone", [Zone.AUSTRALIA, Zone.WORLD])
def test_free_shipping_does_not_apply_abroad(zone):
    price = shipping_cents(
        _policy(free_over=10000),
        zone=zone,
        rural=False,
        weight_grams=500,
        goods_cents=1_000_000,
    )
    assert price is not None
    assert price > 0


def test_free_shipping_never_makes_an_unshippable_parcel_shippable():
    price = shipping_cents(
        _policy(free_over=100),
        zone=Zone.NORTH_ISLAND,
        rural=False,
        weight_grams=30_000,
        goods_cents=100_000,
    )
    assert price is None


# --- Whose policy applies -----------------------------------------------------------


@pytest.mark.django_db
def test_a_member_without_rates_falls_back_to_the_cluster(cluster_x, member_a):
    # given: the cluster has rates; member A has a policy (pickup) but no rates
    cluster_policy = ShippingPolicyFactory.create(
        member=None, cluster=cluster_x, rural_surcharge_cents=500
    )
    rate_table(cluster_policy, NZ_TABLE)
    ShippingPolicyFactory.create(
        member=member_a, pickup_at_premises=True, pickup_address="1 Vine Rd"
    )
    # when
    resolved = policies_for(cluster_x, [member_a.pk])[member_a.pk]
    # then
    assert resolved.source == PolicySource.CLUSTER
    assert resolved.policy_id == cluster_policy.pk
    assert resolved.rural_surcharge_cents == 500
    assert resolved.pickup_at_premises is True
    assert resolved.pickup_address == "1 Vine Rd"
    assert (
        shipping_cents(
            resolved, zone=Zone.NORTH_ISLAND, rural=True, weight_grams=1, goods_cents=0
        )
        == 1350
    )


@pytest.mark.django_db
def test_a_member_with_rates_uses_its_own(cluster_x, member_a):
    cluster_policy = ShippingPolicyFactory.create(member=None, cluster=cluster_x)
    rate_table(cluster_policy, NZ_TABLE)
    own = ShippingPolicyFactory.create(member=member_a, free_over_cents=5000)
    rate_table(own, [(Zone.NORTH_ISLAND, None, 700)])
    resolved = policies_for(cluster_x, [member_a.pk])[member_a.pk]
    assert resolved.source == PolicySource.MEMBER
    assert resolved.free_over_cents == 5000
    assert resolved.zones == {Zone.NORTH_ISLAND}
    assert (
        shipping_cents(
            resolved,
            zone=Zone.NORTH_ISLAND,
            rural=False,
            weight_grams=9000,
            goods_cents=1,
        )
        == 700
    )


@pytest.mark.django_db
def test_no_rates_anywhere_means_no_delivery(cluster_x, member_a):
    resolved = policies_for(cluster_x, [member_a.pk])[member_a.pk]
    assert resolved.source == PolicySource.NONE
    assert resolved.ships is False
    assert (
        shipping_cents(
            resolved, zone=Zone.NORTH_ISLAND, rural=False, weight_grams=1, goods_cents=0
        )
        is None
    )


@pytest.mark.django_db
def test_another_clusters_default_does_not_apply(cluster_x, cluster_y, member_a):
    other = ShippingPolicyFactory.create(member=None, cluster=cluster_y)
    rate_table(other, NZ_TABLE)
    assert policies_for(cluster_x, [member_a.pk])[member_a.pk].source == "none"


def _members_with_policies(cluster, count):
    ids = []
    for n in range(count):
        member = MemberFactory.create()
        MembershipFactory.create(member=member, cluster=cluster)
        policy = ShippingPolicyFactory.create(member=member)
        if n % 2:
            rate_table(policy, NZ_TABLE[:3])
        ids.append(member.pk)
    return ids


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 10])
def test_policies_for_takes_three_queries_whatever_the_members(
    count, cluster_x, django_assert_num_queries
):
    # given
    cluster_policy = ShippingPolicyFactory.create(member=None, cluster=cluster_x)
    rate_table(cluster_policy, NZ_TABLE)
    ids = _members_with_policies(cluster_x, count)
    # when
    with django_assert_num_queries(3):  # policies, rates, chilled rates
        resolved = policies_for(cluster_x, ids)
    # then
    assert set(resolved) == set(ids)
    sources = {r.source for r in resolved.values()}
    assert sources == {PolicySource.MEMBER, PolicySource.CLUSTER}


# --- Services: scope ------------------------------------------------------------------

POLICY = ShippingPolicyInput(rural_surcharge="5.75", free_over="150")


@pytest.mark.django_db
@pytest.mark.parametrize("actor_name", ["member_a_owner", "member_a_staff"])
def test_the_members_team_saves_its_policy(request, actor_name, member_a):
    actor = request.getfixturevalue(actor_name)
    policy = shipping_policy_save(actor=actor, member=member_a, details=POLICY)
    assert policy.rural_surcharge_cents == 575
    assert policy.free_over_cents == 15000
    entry = AuditEntry.objects.get(verb="shipping_policy.saved")
    assert entry.member_id == member_a.pk
    assert entry.after["free_over_cents"] == 15000


@pytest.mark.django_db
@pytest.mark.parametrize(
    "actor_name",
    ["anonymous", "customer", "cluster_x_admin", "cluster_y_admin", "platform_staff"],
)
def test_others_cannot_change_a_members_policy(request, actor_name, member_a):
    actor = request.getfixturevalue(actor_name)
    with pytest.raises(NotPermitted):
        shipping_policy_save(actor=actor, member=member_a, details=POLICY)
    assert not ShippingPolicy.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_cluster_admin_saves_the_default(cluster_x_admin, cluster_x):
    policy = shipping_policy_save(
        actor=cluster_x_admin, cluster=cluster_x, details=POLICY
    )
    assert policy.cluster_id == cluster_x.pk
    assert policy.member_id is None
    assert (
        AuditEntry.objects.get(verb="shipping_policy.saved").cluster_id == cluster_x.pk
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "actor_name",
    [
        "anonymous",
        "customer",
        "member_a_owner",
        "member_a_staff",
        "cluster_y_admin",
        "platform_staff",
    ],
)
def test_others_cannot_change_a_clusters_default(request, actor_name, cluster_x):
    actor = request.getfixturevalue(actor_name)
    with pytest.raises(NotPermitted):
        shipping_policy_save(actor=actor, cluster=cluster_x, details=POLICY)
    assert not ShippingPolicy.objects.exists()


@pytest.mark.django_db
def test_rates_of_a_cluster_are_refused_to_a_member(member_a_owner, cluster_x):
    policy = ShippingPolicyFactory.create(member=None, cluster=cluster_x)
    with pytest.raises(NotPermitted):
        shipping_rates_replace(
            actor=member_a_owner,
            policy=policy,
            rows=[RateRow(zone="north", max_weight="", price="1")],
        )
    assert not ShippingRate.objects.exists()


# --- Services: validation ------------------------------------------------------------


@pytest.mark.django_db
def test_policy_inputs_are_checked_per_field(member_a_owner, member_a):
    with pytest.raises(ValidationFailed) as caught:
        shipping_policy_save(
            actor=member_a_owner,
            member=member_a,
            details=ShippingPolicyInput(
                rural_surcharge="5.755",
                free_over="-3",
                pickup_at_premises="on",
                pickup_address="",
            ),
        )
    errors = caught.value.errors
    assert set(errors) == {"rural_surcharge", "free_over", "pickup_address"}
    assert not ShippingPolicy.objects.exists()


@pytest.mark.django_db
def test_blank_amounts_mean_no_surcharge_and_no_free_shipping(member_a_owner, member_a):
    policy = shipping_policy_save(
        actor=member_a_owner,
        member=member_a,
        details=ShippingPolicyInput(rural_surcharge="", free_over=" "),
    )
    assert policy.rural_surcharge_cents == 0
    assert policy.free_over_cents is None


@pytest.mark.django_db
def test_a_cluster_default_has_no_premises(cluster_x_admin, cluster_x):
    with pytest.raises(ValidationFailed) as caught:
        shipping_policy_save(
            actor=cluster_x_admin,
            cluster=cluster_x,
            details=ShippingPolicyInput(
                pickup_at_premises=True, pickup_address="Somewhere"
            ),
        )
    assert "pickup_at_premises" in caught.value.errors


@pytest.mark.django_db
def test_the_rate_table_is_replaced_whole(member_a_owner, member_a):
    # given
    policy = ShippingPolicyFactory.create(member=member_a)
    rate_table(policy, NZ_TABLE)
    # when
    rates = shipping_rates_replace(
        actor=member_a_owner,
        policy=policy,
        rows=[
            RateRow(zone="north", max_weight="1000", price="8.50"),
            RateRow(zone="", max_weight="", price=""),  # a blank form row
            RateRow(zone="north", max_weight="", price="$22"),
            RateRow(zone="au", max_weight="2,000", price="35"),
        ],
    )
    # then
    assert {(r.zone, r.max_weight_grams, r.price_cents) for r in rates} == {
        ("au", 2000, 3500),
        ("north", 1000, 850),
        ("north", None, 2200),
    }
    entry = AuditEntry.objects.get(verb="shipping_rates.replaced")
    assert len(entry.before["rates"]) == len(NZ_TABLE)
    assert len(entry.after["rates"]) == 3


@pytest.mark.django_db
def test_bad_rows_change_nothing_and_say_which_row(member_a_owner, member_a):
    # given
    policy = ShippingPolicyFactory.create(member=member_a)
    rate_table(policy, NZ_TABLE[:2])
    rows = [
        RateRow(zone="north", max_weight="1000", price="8.50"),
        RateRow(zone="north", max_weight="1000", price="9.00"),  # duplicate tier
        RateRow(zone="mars", max_weight="1.5", price="abc"),
        RateRow(zone="south", max_weight="", price="1"),
        RateRow(zone="south", max_weight="", price="2"),  # second open tier
        RateRow(zone="world", max_weight="0", price=""),
    ]
    # when
    with pytest.raises(ValidationFailed) as caught:
        shipping_rates_replace(actor=member_a_owner, policy=policy, rows=rows)
    # then
    assert set(caught.value.errors) == {
        "rates.1.max_weight",
        "rates.2.zone",
        "rates.2.max_weight",
        "rates.2.price",
        "rates.4.max_weight",
        "rates.5.max_weight",
        "rates.5.price",
    }
    assert ShippingRate.objects.filter(policy=policy).count() == 2
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_saving_the_same_settings_twice_audits_once(member_a_owner, member_a):
    rows = [RateRow(zone="north", max_weight="", price="9")]
    for _ in range(2):
        shipping_settings_save(
            actor=member_a_owner, member=member_a, details=POLICY, rows=rows
        )
    assert AuditEntry.objects.filter(verb="shipping_policy.saved").count() == 1
    assert AuditEntry.objects.filter(verb="shipping_rates.replaced").count() == 1


@pytest.mark.django_db
def test_settings_report_policy_and_row_errors_together(member_a_owner, member_a):
    with pytest.raises(ValidationFailed) as caught:
        shipping_settings_save(
            actor=member_a_owner,
            member=member_a,
            details=ShippingPolicyInput(rural_surcharge="x"),
            rows=[RateRow(zone="north", max_weight="", price="x")],
        )
    assert set(caught.value.errors) == {"rural_surcharge", "rates.0.price"}
    assert not ShippingPolicy.objects.exists()

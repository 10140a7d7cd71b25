"""Pickup: restricted trading days, pickup codes, the events open for orders, time
zones (Chatham, daylight saving), the event services and the demo seed."""

import datetime as dt
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.models import Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import PickupEvent
from purei.orders.pickup import (
    PICKUP_CODE_ALPHABET,
    event_cutoff_label,
    event_window_label,
    local_window,
    open_pickup_events,
    pickup_code,
    restricted_trading_day,
)
from purei.orders.services import (
    PickupEventInput,
    pickup_event_cancel,
    pickup_event_create,
    pickup_event_update,
)
from purei.orders.services.pickup_events import local_to_utc
from purei.orders.tests.factories import PickupEventFactory

AKL = ZoneInfo("Pacific/Auckland")
CHATHAM = ZoneInfo("Pacific/Chatham")


def _local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, *, zone=AKL
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


# --- Restricted shop-trading days -----------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "name"),
    [
        (_local(2027, 3, 28, 9), _local(2027, 3, 28, 13), "Easter Sunday"),
        (_local(2027, 3, 26, 9), _local(2027, 3, 26, 13), "Good Friday"),
        (_local(2026, 12, 25, 10), _local(2026, 12, 25, 12), "Christmas Day"),
        (_local(2027, 4, 25, 12, 30), _local(2027, 4, 25, 16), "Anzac Day"),
        (_local(2027, 4, 25, 6), _local(2027, 4, 25, 9), "Anzac Day"),
        # a two-day event over Easter Sunday
        (_local(2027, 3, 27, 9), _local(2027, 3, 28, 10), "Easter Sunday"),
    ],
)
def test_restricted_days_are_found(start, end, name):
    found = restricted_trading_day(start, end)
    assert found is not None
    assert found.startswith(name)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (_local(2027, 4, 25, 13, 30), _local(2027, 4, 25, 16)),  # Anzac after 1 pm
        (_local(2027, 4, 25, 13), _local(2027, 4, 25, 16)),  # from 1 pm exactly
        (_local(2027, 3, 27, 9), _local(2027, 3, 27, 16)),  # Easter Saturday
        (_local(2027, 3, 29, 9), _local(2027, 3, 29, 16)),  # Easter Monday
        (_local(2026, 12, 24, 18), _local(2026, 12, 25, 0)),  # ends at midnight
        (_local(2027, 2, 6, 9), _local(2027, 2, 6, 16)),  # a fair day
    ],
)
def test_ordinary_days_are_not_restricted(start, end):
    assert restricted_trading_day(start, end) is None


def test_the_wall_clock_time_counts_not_utc():
    # 12:30 on Anzac Day in the Chathams is 11:45 in Auckland: restricted in both
    start = _local(2027, 4, 25, 12, 30, zone=CHATHAM)
    assert restricted_trading_day(start, start + dt.timedelta(hours=2))
    # 13:15 in the Chathams is after 1 pm there, though 12:30 in Auckland
    later = _local(2027, 4, 25, 13, 15, zone=CHATHAM)
    assert restricted_trading_day(later, later + dt.timedelta(hours=2)) is None


# --- Pickup codes ---------------------------------------------------------------------


def test_pickup_codes_are_short_and_unambiguous():
    codes = {pickup_code() for _ in range(500)}
    assert len(codes) > 490
    for code in codes:
        assert len(code) == 6
        assert set(code) <= set(PICKUP_CODE_ALPHABET)
        assert not set(code) & set("0O1I")


# --- Time zones -----------------------------------------------------------------------


@pytest.mark.django_db
def test_chatham_is_45_minutes_ahead(cluster_x):
    # given: an event at 10:00 Chatham time
    starts = _local(2027, 6, 5, 10, 0, zone=CHATHAM)
    event = PickupEventFactory.create(
        cluster=cluster_x,
        time_zone="Pacific/Chatham",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
    )
    # when
    start, _end = local_window(event)
    # then
    assert (start.hour, start.minute) == (10, 0)
    in_auckland = start.astimezone(AKL)
    assert (in_auckland.hour, in_auckland.minute) == (9, 15)
    assert event_window_label(event) == "Saturday 5 June, 10 am \u2013 1 pm (UTC+12:45)"


@pytest.mark.django_db
def test_labels_use_the_events_zone_and_daylight_saving(cluster_x):
    starts = _local(2026, 12, 5, 9)
    event = PickupEventFactory.create(
        cluster=cluster_x,
        starts_at=starts,
        ends_at=_local(2026, 12, 5, 13),
        order_cutoff=_local(2026, 12, 4, 18),
    )
    assert event_window_label(event) == "Saturday 5 December, 9 am \u2013 1 pm (NZDT)"
    assert event_cutoff_label(event) == "Friday 4 December, 6 pm (NZDT)"
    winter = PickupEventFactory.create(
        cluster=cluster_x,
        starts_at=_local(2027, 7, 3, 9, 30),
        ends_at=_local(2027, 7, 3, 12),
    )
    assert event_window_label(winter) == "Saturday 3 July, 9:30 am \u2013 12 pm (NZST)"


def test_a_time_in_the_spring_forward_gap_does_not_exist():
    # NZ daylight saving starts at 2:00 on the last Sunday of September 2027 (26th)
    assert local_to_utc(dt.date(2027, 9, 26), dt.time(2, 30), AKL) is None
    after = local_to_utc(dt.date(2027, 9, 26), dt.time(3, 30), AKL)
    assert after is not None
    assert after.at == dt.datetime(2027, 9, 25, 14, 30, tzinfo=dt.UTC)


def test_a_repeated_time_at_fall_back_takes_the_first_or_the_later():
    # NZ daylight saving ends at 3:00 on the first Sunday of April 2027 (4th)
    first = local_to_utc(dt.date(2027, 4, 4), dt.time(2, 30), AKL)
    second = local_to_utc(dt.date(2027, 4, 4), dt.time(2, 30), AKL, later=True)
    assert first is not None
    assert second is not None
    assert first.ambiguous
    assert first.at == dt.datetime(2027, 4, 3, 13, 30, tzinfo=dt.UTC)  # NZDT
    assert second.at == dt.datetime(2027, 4, 3, 14, 30, tzinfo=dt.UTC)  # NZST


# --- Open events ----------------------------------------------------------------------

NOW = dt.datetime(2030, 1, 15, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_open_events_per_member(cluster_x, cluster_y, member_a):
    # given
    member_b = MemberFactory.create()
    MembershipFactory.create(member=member_b, cluster=cluster_x)
    for_all = PickupEventFactory.create(
        cluster=cluster_x, starts_at=dt.datetime(2030, 3, 1, 20, tzinfo=dt.UTC)
    )
    only_b = PickupEventFactory.create(cluster=cluster_x, members=[member_b])
    PickupEventFactory.create(cluster=cluster_x, is_active=False)  # cancelled
    PickupEventFactory.create(  # orders closed
        cluster=cluster_x,
        starts_at=dt.datetime(2030, 1, 16, tzinfo=dt.UTC),
        order_cutoff=NOW,
    )
    PickupEventFactory.create(cluster=cluster_y)  # another cluster
    # when
    found = open_pickup_events(cluster_x, [member_a.pk, member_b.pk], NOW)
    # then: earliest first
    assert found[member_a.pk] == [for_all]
    assert found[member_b.pk] == [only_b, for_all]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 10])
def test_open_events_take_two_queries_whatever_the_members(
    count, cluster_x, django_assert_num_queries
):
    members = []
    for _ in range(count):
        member = MemberFactory.create()
        MembershipFactory.create(member=member, cluster=cluster_x)
        members.append(member)
    PickupEventFactory.create(cluster=cluster_x)
    PickupEventFactory.create(cluster=cluster_x, members=members[:1])
    PickupEventFactory.create(cluster=cluster_x, members=members[1:])
    with django_assert_num_queries(2):
        found = open_pickup_events(cluster_x, [m.pk for m in members], NOW)
    assert {len(events) for events in found.values()} == {2}


# --- Event services -------------------------------------------------------------------


def _data(**changes: Any) -> PickupEventInput:
    data: dict[str, Any] = {
        "name_en": "Harvest market",
        "venue": "Blenheim Showgrounds",
        "collection_point": "Gate 2, Click & Collect table",
        "time_zone": "Pacific/Auckland",
        "start_date": "2030-02-02",
        "start_time": "09:00",
        "end_time": "13:00",
        "cutoff_date": "2030-02-01",
        "cutoff_time": "18:00",
    }
    data.update(changes)
    return PickupEventInput(**data)


@pytest.mark.django_db
def test_an_admin_adds_an_event_in_local_time(cluster_x_admin, cluster_x, member_a):
    event = pickup_event_create(
        actor=cluster_x_admin, cluster=cluster_x, details=_data(members=[member_a.pk])
    )
    # 9 am NZDT is 20:00 UTC the day before
    assert event.starts_at == dt.datetime(2030, 2, 1, 20, 0, tzinfo=dt.UTC)
    assert event.ends_at == dt.datetime(2030, 2, 2, 0, 0, tzinfo=dt.UTC)
    assert event.order_cutoff == dt.datetime(2030, 2, 1, 5, 0, tzinfo=dt.UTC)
    assert list(event.members.all()) == [member_a]
    entry = AuditEntry.objects.get(verb="pickup_event.created")
    assert entry.cluster_id == cluster_x.pk


@pytest.mark.django_db
def test_a_chatham_event_is_stored_45_minutes_earlier(cluster_x_admin, cluster_x):
    mainland = pickup_event_create(
        actor=cluster_x_admin, cluster=cluster_x, details=_data()
    )
    chatham = pickup_event_create(
        actor=cluster_x_admin,
        cluster=cluster_x,
        details=_data(time_zone="Pacific/Chatham"),
    )
    assert mainland.starts_at - chatham.starts_at == dt.timedelta(minutes=45)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_time": "08:00"}, "end_time"),
        ({"end_time": "09:00"}, "end_time"),
        ({"cutoff_date": "2030-02-02", "cutoff_time": "13:30"}, "cutoff_time"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"time_zone": ""}, "time_zone"),
        ({"start_date": "2-2-2030"}, "start_date"),
        ({"start_time": "9am"}, "start_time"),
        ({"name_en": " "}, "name_en"),
        ({"collection_point": ""}, "collection_point"),
        # daylight saving starts at 2:00 on Sunday 29 September 2030
        (
            {
                "start_date": "2030-09-29",
                "start_time": "02:15",
                "cutoff_date": "2030-09-28",
            },
            "start_time",
        ),
    ],
)
def test_bad_event_inputs_are_refused(cluster_x_admin, cluster_x, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        pickup_event_create(
            actor=cluster_x_admin, cluster=cluster_x, details=_data(**changes)
        )
    assert field in caught.value.errors
    assert not PickupEvent.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_cutoff_may_be_at_the_end(cluster_x_admin, cluster_x):
    event = pickup_event_create(
        actor=cluster_x_admin,
        cluster=cluster_x,
        details=_data(cutoff_date="2030-02-02", cutoff_time="13:00"),
    )
    assert event.order_cutoff == event.ends_at


@pytest.mark.django_db
def test_a_fall_back_end_time_is_taken_late(cluster_x_admin, cluster_x):
    # daylight saving ends at 3:00 on Sunday 7 April 2030: 2:30 happens twice
    event = pickup_event_create(
        actor=cluster_x_admin,
        cluster=cluster_x,
        details=_data(
            start_date="2030-04-07",
            start_time="01:00",
            end_time="02:30",
            cutoff_date="2030-04-06",
        ),
    )
    assert event.ends_at - event.starts_at == dt.timedelta(hours=2, minutes=30)


@pytest.mark.django_db
def test_members_must_be_approved_in_the_cluster(cluster_x_admin, cluster_x, cluster_y):
    applicant = MemberFactory.create()
    MembershipFactory.create(
        member=applicant, cluster=cluster_x, status=Membership.Status.APPLIED
    )
    elsewhere = MemberFactory.create()
    MembershipFactory.create(member=elsewhere, cluster=cluster_y)
    for member in (applicant, elsewhere):
        with pytest.raises(ValidationFailed) as caught:
            pickup_event_create(
                actor=cluster_x_admin,
                cluster=cluster_x,
                details=_data(members=[member.pk]),
            )
        assert "members" in caught.value.errors
    assert not PickupEvent.objects.exists()


@pytest.mark.django_db
def test_easter_sunday_needs_an_exemption(cluster_x_admin, cluster_x):
    # given: Easter Sunday 2027 is 28 March
    easter = _data(start_date="2027-03-28", cutoff_date="2027-03-27")
    # when / then: refused without
    with pytest.raises(ValidationFailed) as caught:
        pickup_event_create(actor=cluster_x_admin, cluster=cluster_x, details=easter)
    assert "Easter Sunday" in caught.value.errors["restricted_day_exemption"][0]
    assert not PickupEvent.objects.exists()
    # and allowed, and audited, with one
    note = "South Wairarapa District Council, exemption ref. 2027/14"
    event = pickup_event_create(
        actor=cluster_x_admin,
        cluster=cluster_x,
        details=replace(easter, restricted_day_exemption=note),
    )
    assert event.restricted_day_exemption == note
    entry = AuditEntry.objects.get(verb="pickup_event.restricted_day_exempted")
    assert entry.after["restricted_day_exemption"] == note


@pytest.mark.django_db
def test_anzac_day_afternoon_needs_no_exemption(cluster_x_admin, cluster_x):
    morning = _data(
        start_date="2027-04-25",
        start_time="12:30",
        end_time="15:00",
        cutoff_date="2027-04-24",
    )
    with pytest.raises(ValidationFailed):
        pickup_event_create(actor=cluster_x_admin, cluster=cluster_x, details=morning)
    afternoon = replace(morning, start_time="13:30")
    event = pickup_event_create(
        actor=cluster_x_admin, cluster=cluster_x, details=afternoon
    )
    assert event.restricted_day_exemption == ""


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
def test_only_the_clusters_admins_change_events(request, actor_name, cluster_x):
    actor = request.getfixturevalue(actor_name)
    event = PickupEventFactory.create(cluster=cluster_x)
    with pytest.raises(NotPermitted):
        pickup_event_create(actor=actor, cluster=cluster_x, details=_data())
    with pytest.raises(NotPermitted):
        pickup_event_update(actor=actor, event=event, details=_data(name_en="Renamed"))
    with pytest.raises(NotPermitted):
        pickup_event_cancel(actor=actor, event=event)
    event.refresh_from_db()
    assert event.name_en != "Renamed"
    assert event.is_active
    assert PickupEvent.objects.count() == 1
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_update_and_cancel(cluster_x_admin, cluster_x, member_a):
    event = pickup_event_create(
        actor=cluster_x_admin, cluster=cluster_x, details=_data()
    )
    updated = pickup_event_update(
        actor=cluster_x_admin,
        event=event,
        details=_data(end_time="16:00", members=[str(member_a.pk)]),
    )
    assert updated.ends_at == dt.datetime(2030, 2, 2, 3, 0, tzinfo=dt.UTC)
    assert list(updated.members.all()) == [member_a]
    cancelled = pickup_event_cancel(actor=cluster_x_admin, event=updated)
    assert cancelled.is_active is False
    pickup_event_cancel(actor=cluster_x_admin, event=cancelled)  # twice: no change
    verbs = list(AuditEntry.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs == [
        "pickup_event.created",
        "pickup_event.updated",
        "pickup_event.cancelled",
    ]


# --- Demo seed ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_gives_the_fair_its_next_two_days_and_is_idempotent():
    from purei.clusters.seed import seed_load
    from purei.members.seed import member_seed_load
    from purei.orders.models import ShippingPolicy, ShippingRate
    from purei.orders.seed import shipping_seed_load

    # given
    seed_load()
    member_seed_load()
    now = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    # when
    first = shipping_seed_load(now=now)
    counts = (
        ShippingPolicy.objects.count(),
        ShippingRate.objects.count(),
        PickupEvent.objects.count(),
    )
    second = shipping_seed_load(now=now)
    # then
    assert first > 0
    assert second == 0
    assert counts == (
        ShippingPolicy.objects.count(),
        ShippingRate.objects.count(),
        PickupEvent.objects.count(),
    )
    fair = PickupEvent.objects.filter(cluster__slug="martinborough-fair")
    days = [e.starts_at.astimezone(AKL) for e in fair.order_by("starts_at")]
    assert [(d.date(), d.hour) for d in days] == [
        (dt.date(2027, 2, 6), 9),
        (dt.date(2027, 3, 6), 9),
    ]
    cutoff = fair.order_by("starts_at")[0].order_cutoff.astimezone(AKL)
    assert (cutoff.date(), cutoff.hour) == (dt.date(2027, 2, 5), 18)
    assert ShippingPolicy.objects.filter(cluster__isnull=False).count() >= 10
    assert ShippingPolicy.objects.filter(pickup_at_premises=True).count() >= 5


@pytest.mark.django_db
def test_fair_days_skip_the_ones_whose_orders_closed():
    from purei.orders.seed import fair_days

    # the evening before the March 2027 fair, after 6 pm NZDT
    now = dt.datetime(2027, 3, 5, 18, 1, tzinfo=AKL)
    assert fair_days(now) == [dt.date(2028, 2, 5), dt.date(2028, 3, 4)]

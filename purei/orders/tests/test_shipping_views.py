"""The shipping and pickup manage screens: who sees and changes what, and form
errors shown where they belong."""

import datetime as dt

import pytest
from django.test import Client

from purei.orders.models import PickupEvent, ShippingPolicy, ShippingRate
from purei.orders.tests.factories import (
    NZ_TABLE,
    PickupEventFactory,
    ShippingPolicyFactory,
    rate_table,
)

MEMBER_URL = "/manage/members/member-a/shipping/"
CLUSTER_URL = "/manage/clusters/cluster-x/shipping/"
EVENTS_URL = "/manage/clusters/cluster-x/pickup-events/"


def _rows(*rows: tuple[str, str, str], extra: int = 1) -> dict[str, str]:
    data = {
        "rates-TOTAL_FORMS": str(len(rows) + extra),
        "rates-INITIAL_FORMS": "0",
        "rates-MIN_NUM_FORMS": "0",
        "rates-MAX_NUM_FORMS": "60",
    }
    for index, (zone, grams, price) in enumerate(rows):
        data[f"rates-{index}-zone"] = zone
        data[f"rates-{index}-max_weight"] = grams
        data[f"rates-{index}-price"] = price
    return data


def _login(client: Client, user) -> Client:
    client.force_login(user)
    return client


# --- A member's shipping ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["member_a_owner_user", "member_a_staff_user"])
def test_the_team_sees_the_form_and_the_cluster_default(
    request, client, user, cluster_x
):
    # given
    default = ShippingPolicyFactory.create(member=None, cluster=cluster_x)
    rate_table(default, NZ_TABLE[:1])
    _login(client, request.getfixturevalue(user))
    # when
    response = client.get(MEMBER_URL)
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="policy-rural_surcharge"' in body
    assert 'name="rates-0-zone"' in body
    assert "Cluster X Wine" in body
    assert "$8.50" in body  # the cluster's default, shown to fall back on
    assert 'for="id_rates-0-price"' in body  # every rate input has a label


@pytest.mark.django_db
def test_the_team_saves_policy_and_rates(client, member_a_owner_user, member_a):
    _login(client, member_a_owner_user)
    data = {
        "action": "save",
        "policy-rural_surcharge": "5.75",
        "policy-free_over": "120",
        "policy-pickup_at_premises": "on",
        "policy-pickup_address": "12 Vine Road, Renwick",
        **_rows(("north", "1000", "8.50"), ("north", "", "22"), ("south", "", "29.50")),
    }
    response = client.post(MEMBER_URL, data)
    assert response.status_code == 302
    policy = ShippingPolicy.objects.get(member=member_a)
    assert policy.rural_surcharge_cents == 575
    assert policy.free_over_cents == 12000
    assert policy.pickup_address == "12 Vine Road, Renwick"
    assert ShippingRate.objects.filter(policy=policy).count() == 3
    # and the page shows them back as typed
    body = client.get(MEMBER_URL).content.decode()
    assert 'value="29.50"' in body
    assert 'value="5.75"' in body


@pytest.mark.django_db
def test_form_errors_are_shown_by_their_inputs(client, member_a_owner_user, member_a):
    _login(client, member_a_owner_user)
    data = {
        "action": "save",
        "policy-rural_surcharge": "five",
        **_rows(
            ("north", "1000", "8.50"), ("north", "1000", "9"), ("south", "", "9.999")
        ),
    }
    response = client.post(MEMBER_URL, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Please fix these problems" in body
    assert "Give the amount in dollars and cents" in body
    assert "already has a rate for this weight" in body
    assert "at most two decimal places" in body
    assert 'href="#id_rates-1-max_weight"' in body
    assert 'value="9.999"' in body  # what was typed is kept
    assert not ShippingPolicy.objects.exists()


@pytest.mark.django_db
def test_removing_a_row_and_adding_more(client, member_a_owner_user, member_a):
    # given
    _login(client, member_a_owner_user)
    client.post(
        MEMBER_URL,
        {"action": "save", **_rows(("north", "1000", "8.50"), ("north", "", "22"))},
    )
    # when: the first row is ticked for removal
    data = {
        "action": "save",
        **_rows(("north", "1000", "8.50"), ("north", "", "22")),
        "rates-0-DELETE": "on",
    }
    client.post(MEMBER_URL, data)
    # then
    assert list(ShippingRate.objects.values_list("max_weight_grams", flat=True)) == [
        None
    ]
    # and "add more rows" keeps what was typed and adds blank rows, saving nothing
    more = client.post(
        MEMBER_URL, {"action": "more", **_rows(("au", "", "35"), extra=0)}
    )
    assert more.status_code == 200
    body = more.content.decode()
    assert 'value="35"' in body
    assert 'name="rates-3-price"' in body
    assert ShippingRate.objects.count() == 1


@pytest.mark.django_db
def test_platform_staff_read_but_cannot_save(client, staff_user, member_a):
    # given
    policy = ShippingPolicyFactory.create(
        member=member_a, pickup_at_premises=True, pickup_address="The cellar door"
    )
    rate_table(policy, NZ_TABLE[:2])
    _login(client, staff_user)
    # when
    page = client.get(MEMBER_URL)
    refused = client.post(MEMBER_URL, {"action": "save", **_rows(("north", "", "1"))})
    # then
    assert page.status_code == 200
    assert "The cellar door" in page.content.decode()
    assert 'name="rates-0-zone"' not in page.content.decode()
    assert refused.status_code == 403
    assert ShippingRate.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["customer_user", "cluster_x_admin_user"])
def test_others_get_404_for_a_members_shipping(request, client, user, member_a):
    _login(client, request.getfixturevalue(user))
    assert client.get(MEMBER_URL).status_code == 404


# --- A cluster's default --------------------------------------------------------------


@pytest.mark.django_db
def test_the_cluster_admin_saves_the_default(client, cluster_x_admin_user, cluster_x):
    _login(client, cluster_x_admin_user)
    page = client.get(CLUSTER_URL)
    assert page.status_code == 200
    assert "policy-pickup_at_premises" not in page.content.decode()
    response = client.post(
        CLUSTER_URL,
        {
            "action": "save",
            "policy-rural_surcharge": "5.75",
            **_rows(("chatham", "", "45")),
        },
    )
    assert response.status_code == 302
    policy = ShippingPolicy.objects.get(cluster=cluster_x)
    assert [r.price_cents for r in policy.rates.all()] == [4500]


@pytest.mark.django_db
def test_a_tampered_formset_is_refused(client, cluster_x_admin_user, cluster_x):
    _login(client, cluster_x_admin_user)
    response = client.post(CLUSTER_URL, {"action": "save"})
    assert response.status_code == 422
    assert "incomplete" in response.content.decode()
    assert not ShippingPolicy.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["member_a_owner_user", "cluster_y_admin_user"])
def test_others_get_404_for_a_clusters_default(request, client, user, cluster_x):
    _login(client, request.getfixturevalue(user))
    assert client.get(CLUSTER_URL).status_code == 404


# --- Pickup events -------------------------------------------------------------------


def _event_form(**changes: str) -> dict[str, str]:
    data = {
        "name_en": "Harvest market",
        "venue": "Blenheim Showgrounds",
        "collection_point": "Gate 2",
        "time_zone": "Pacific/Auckland",
        "start_date": "2030-02-02",
        "start_time": "09:00",
        "end_time": "13:00",
        "cutoff_date": "2030-02-01",
        "cutoff_time": "18:00",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_an_admin_adds_an_event_and_sees_it_listed(
    client, cluster_x_admin_user, cluster_x, member_a
):
    _login(client, cluster_x_admin_user)
    form = client.get(EVENTS_URL + "new/")
    assert form.status_code == 200
    assert "Member A Wines" in form.content.decode()  # a member to choose
    response = client.post(
        EVENTS_URL + "new/", {**_event_form(), "members": [str(member_a.pk)]}
    )
    assert response.status_code == 302
    event = PickupEvent.objects.get()
    assert list(event.members.all()) == [member_a]
    listing = client.get(EVENTS_URL).content.decode()
    assert "Harvest market" in listing
    assert "Saturday 2 February, 9 am \u2013 1 pm (NZDT)" in listing
    assert "Friday 1 February, 6 pm (NZDT)" in listing


@pytest.mark.django_db
def test_event_errors_are_shown_once_by_their_inputs(client, cluster_x_admin_user):
    _login(client, cluster_x_admin_user)
    response = client.post(
        EVENTS_URL + "new/",
        _event_form(name_en="", end_time="08:00", start_date="2027-03-28"),
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert body.count("This is needed.") == 2  # in the summary and by the input
    assert "This field is required" not in body
    assert "The end must be after the start." in body
    assert not PickupEvent.objects.exists()


@pytest.mark.django_db
def test_a_restricted_day_needs_the_exemption_field(client, cluster_x_admin_user):
    _login(client, cluster_x_admin_user)
    easter = _event_form(start_date="2027-03-28", cutoff_date="2027-03-27")
    refused = client.post(EVENTS_URL + "new/", easter)
    assert refused.status_code == 422
    assert "Easter Sunday is a restricted shop-trading day" in refused.content.decode()
    allowed = client.post(
        EVENTS_URL + "new/",
        {**easter, "restricted_day_exemption": "Council exemption 2027/14"},
    )
    assert allowed.status_code == 302
    assert "exemption recorded" in client.get(EVENTS_URL).content.decode()


@pytest.mark.django_db
def test_an_admin_edits_and_cancels_an_event(client, cluster_x_admin_user, cluster_x):
    # given
    event = PickupEventFactory.create(cluster=cluster_x, name_en="Old name")
    _login(client, cluster_x_admin_user)
    url = f"{EVENTS_URL}{event.pk}/"
    # when: the form shows local times
    page = client.get(url + "update/").content.decode()
    assert 'value="2030-02-02"' in page
    assert 'value="09:00"' in page
    # and an edit is saved
    client.post(url + "update/", _event_form(name_en="New name"))
    event.refresh_from_db()
    assert event.name_en == "New name"
    # and a cancel asks first, then closes the event
    assert client.get(url + "cancel/").status_code == 200
    assert client.post(url + "cancel/").status_code == 302
    event.refresh_from_db()
    assert event.is_active is False


@pytest.mark.django_db
def test_platform_staff_read_events_but_cannot_change_them(
    client, staff_user, cluster_x
):
    event = PickupEventFactory.create(
        cluster=cluster_x,
        starts_at=dt.datetime(2030, 2, 1, 20, tzinfo=dt.UTC),
        collection_point="The pickup tent",
    )
    _login(client, staff_user)
    assert "The pickup tent" in client.get(EVENTS_URL).content.decode()
    assert client.get(f"{EVENTS_URL}{event.pk}/update/").status_code == 200
    assert client.get(EVENTS_URL + "new/").status_code == 403
    assert client.post(f"{EVENTS_URL}{event.pk}/cancel/").status_code == 403
    event.refresh_from_db()
    assert event.is_active


@pytest.mark.django_db
def test_another_clusters_event_is_404(client, cluster_x_admin_user, cluster_y):
    event = PickupEventFactory.create(cluster=cluster_y)
    _login(client, cluster_x_admin_user)
    assert client.get(f"{EVENTS_URL}{event.pk}/update/").status_code == 404
    assert client.post(f"{EVENTS_URL}{event.pk}/cancel/").status_code == 404


def _chilled(*prices: tuple[str, str]) -> dict[str, str]:
    data = {
        "chilled-TOTAL_FORMS": "3",
        "chilled-INITIAL_FORMS": "3",
        "chilled-MIN_NUM_FORMS": "0",
        "chilled-MAX_NUM_FORMS": "3",
    }
    for index, (price, days) in enumerate(prices):
        data[f"chilled-{index}-price"] = price
        data[f"chilled-{index}-transit_days"] = days
    return data


@pytest.mark.django_db
def test_the_team_sets_delivery_days_and_chilled_rates_on_the_page(
    client, member_a_owner_user, member_a
):
    # given
    _login(client, member_a_owner_user)
    data = {
        "action": "save",
        "policy-dispatch_weekdays": ["0", "2"],
        "policy-dispatch_cutoff": "11:00",
        "policy-transit_days": "2",
        **_rows(("north", "", "8.50")),
        **_chilled(("24.00", "1"), ("", ""), ("", "")),
    }
    # when
    response = client.post(MEMBER_URL, data)
    # then: the North Island row is the first; the blank zones have no rate
    assert response.status_code == 302
    policy = ShippingPolicy.objects.get(member=member_a)
    assert policy.dispatch_weekdays == [0, 2]
    rate = policy.chilled_rates.get()
    assert (rate.zone, rate.price_cents, rate.transit_days) == ("north", 2400, 1)
    body = client.get(MEMBER_URL).content.decode()
    assert 'value="24.00"' in body
    assert "Days you dispatch" in body


@pytest.mark.django_db
def test_chilled_rates_without_dispatch_days_are_refused_on_the_page(
    client, member_a_owner_user, member_a
):
    # given
    _login(client, member_a_owner_user)
    data = {
        "action": "save",
        **_rows(("north", "", "8.50")),
        **_chilled(("24.00", "1"), ("", ""), ("", "")),
    }
    # when
    response = client.post(MEMBER_URL, data)
    # then
    assert response.status_code == 422
    assert "Choose the days you dispatch" in response.content.decode()
    assert not ShippingPolicy.objects.filter(member=member_a).exists()

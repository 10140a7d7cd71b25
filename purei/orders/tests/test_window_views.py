"""Sales windows' manage screens: a cluster's admins' windows, products, pickup
points and totals; a member's windows and pick list (page and CSV)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.core.models import AuditEntry
from purei.members.tests.factories import MemberFactory
from purei.orders.models import PickupEvent, SalesWindow, SalesWindowItem
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import CheckoutDetails, Choice, order_place
from purei.orders.tests.factories import (
    PickupEventFactory,
    SalesWindowFactory,
    SalesWindowItemFactory,
)
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _base(cluster) -> str:
    return f"/manage/clusters/{cluster.slug}/windows/"


def _order(cluster, product, event, quantity, *, email, name):
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    cart_add(cart=cart, variant_id=product.variants.get().pk, quantity=quantity)
    return order_place(
        cart=cart,
        details=CheckoutDetails(
            email=email,
            name=name,
            payment_method="bank_transfer",
            idempotency_key=uuid.uuid4().hex,
            choices={product.member_id: Choice("pickup_event", event.pk)},
        ),
    )


@pytest.fixture
def fair(cluster_x, member_a):
    """An open window of cluster X with member A's and member B's products,
    a pickup point, and one order from each customer."""
    window = SalesWindowFactory.create(
        cluster=cluster_x, name_en="Fair day", kind=SalesWindow.Kind.MARKET_DAY
    )
    wine = public_product(cluster_x, member=member_a, title_en="Fair pinot")
    other = MemberFactory.create(slug="member-b", trading_name="Member B Oysters")
    oysters = public_product(cluster_x, member=other, title_en="Fair oysters")
    SalesWindowItemFactory.create(window=window, product=wine, cap=20)
    SalesWindowItemFactory.create(window=window, product=oysters, cap=10)
    gate = PickupEventFactory.create(
        cluster=cluster_x,
        sales_window=window,
        name_en="Gate",
        collection_point="Pūrei tent",
        starts_at=timezone.now() + dt.timedelta(days=3),
        order_cutoff=timezone.now() + dt.timedelta(days=2),
    )
    _order(cluster_x, wine, gate, 2, email="aroha@example.nz", name="Aroha Ngata")
    _order(cluster_x, oysters, gate, 3, email="bob@example.nz", name="Bob Oyster")
    return {"window": window, "wine": wine, "oysters": oysters, "gate": gate}


# --- A cluster's admins -----------------------------------------------------------


def test_the_list_shows_open_upcoming_and_closed_windows(
    cluster_x, cluster_x_admin_user
):
    # given
    now = timezone.now()
    SalesWindowFactory.create(cluster=cluster_x, name_en="Open one")
    SalesWindowFactory.create(
        cluster=cluster_x, name_en="Next one", opens_at=now + dt.timedelta(days=3)
    )
    SalesWindowFactory.create(
        cluster=cluster_x,
        name_en="Old one",
        opens_at=now - dt.timedelta(days=9),
        closes_at=now - dt.timedelta(days=8),
    )
    # when
    response = _client(cluster_x_admin_user).get(_base(cluster_x))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Open now") < body.index("Open one")
    assert body.index("Upcoming") < body.index("Next one") < body.index("Closed")
    assert body.index("Closed") < body.index("Old one")
    assert 'aria-current="page"' in body
    assert "Windows" in body


def test_an_admin_adds_a_window_in_its_zone(cluster_x, cluster_x_admin_user):
    # given
    data = {
        "kind": "box",
        "name_en": "Christmas box",
        "name_mi": "",
        "time_zone": "Pacific/Chatham",
        "open_date": "2030-11-01",
        "open_time": "09:00",
        "close_date": "2030-12-01",
        "close_time": "18:00",
        "delivery_from": "2030-12-18",
        "delivery_until": "2030-12-20",
        "is_active": "on",
    }
    # when
    response = _client(cluster_x_admin_user).post(_base(cluster_x) + "new/", data)
    # then
    window = SalesWindow.objects.get(cluster=cluster_x)
    assert response.status_code == 302
    assert response["Location"] == f"{_base(cluster_x)}{window.pk}/"
    # 9 am at the Chatham Islands (UTC+13:45 in summer) is 19:15 UTC the day before
    assert window.opens_at == dt.datetime(2030, 10, 31, 19, 15, tzinfo=dt.UTC)
    assert window.delivery_until == dt.date(2030, 12, 20)
    assert AuditEntry.objects.filter(verb="sales_window.created").count() == 1


def test_the_edit_form_shows_the_local_times(cluster_x, cluster_x_admin_user):
    # given a window opening 9 am New Zealand time (20:00 UTC the day before)
    window = SalesWindowFactory.create(
        cluster=cluster_x,
        opens_at=dt.datetime(2030, 3, 1, 20, 0, tzinfo=dt.UTC),
        closes_at=dt.datetime(2030, 3, 4, 5, 30, tzinfo=dt.UTC),
    )
    # when
    response = _client(cluster_x_admin_user).get(
        f"{_base(cluster_x)}{window.pk}/update/"
    )
    # then
    body = response.content.decode()
    assert 'value="2030-03-02"' in body
    assert 'value="09:00"' in body
    assert 'value="2030-03-04"' in body
    assert 'value="18:30"' in body


def test_a_window_closing_before_it_opens_is_shown_with_its_error(
    cluster_x, cluster_x_admin_user
):
    # given
    data = {
        "kind": "release",
        "name_en": "Vintage",
        "time_zone": "Pacific/Auckland",
        "open_date": "2030-11-02",
        "open_time": "09:00",
        "close_date": "2030-11-01",
        "close_time": "09:00",
    }
    # when
    response = _client(cluster_x_admin_user).post(_base(cluster_x) + "new/", data)
    # then
    body = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in body
    assert 'href="#id_close_time"' in body
    assert "Orders must close after they open." in body
    assert not SalesWindow.objects.exists()


def test_the_form_checks_each_input(cluster_x, cluster_x_admin_user):
    # given a date that is no date, a time that is no time, no name, no kind
    data = {
        "kind": "fair",
        "time_zone": "Europe/Paris",
        "open_date": "2030-02-31",
        "open_time": "25:00",
        "close_time": "18:00",
        "delivery_from": "soon",
    }
    # when
    response = _client(cluster_x_admin_user).post(_base(cluster_x) + "new/", data)
    # then
    errors = response.context["form"].errors
    assert response.status_code == 422
    assert set(errors) == {
        "kind",
        "name_en",
        "time_zone",
        "open_date",
        "open_time",
        "delivery_from",
    }
    assert not SalesWindow.objects.exists()


def test_a_restricted_delivery_day_needs_an_exemption(cluster_x, cluster_x_admin_user):
    # given delivery on Christmas Day with no exemption
    data = {
        "kind": "box",
        "name_en": "Box",
        "time_zone": "Pacific/Auckland",
        "open_date": "2030-11-01",
        "open_time": "09:00",
        "close_date": "2030-12-01",
        "close_time": "18:00",
        "delivery_from": "2030-12-25",
    }
    # when
    response = _client(cluster_x_admin_user).post(_base(cluster_x) + "new/", data)
    # then
    assert response.status_code == 422
    assert "restricted_day_exemption" in response.context["form"].errors


def test_an_admin_changes_a_window(cluster_x, cluster_x_admin_user):
    # given
    window = SalesWindowFactory.create(cluster=cluster_x, name_en="Old name")
    client = _client(cluster_x_admin_user)
    url = f"{_base(cluster_x)}{window.pk}/update/"
    data = client.get(url).context["form"].initial
    data.update(name_en="New name", name_mi="Ingoa hou", is_active="")
    # when
    response = client.post(url, {k: v for k, v in data.items() if v is not False})
    # then
    window.refresh_from_db()
    assert response.status_code == 302
    assert (window.name_en, window.name_mi, window.is_active) == (
        "New name",
        "Ingoa hou",
        False,
    )


def test_an_admin_adds_changes_and_removes_a_product(
    cluster_x, member_a, cluster_x_admin_user
):
    # given
    window = SalesWindowFactory.create(cluster=cluster_x)
    product = public_product(cluster_x, member=member_a, title_en="Reserve syrah")
    client = _client(cluster_x_admin_user)
    base = f"{_base(cluster_x)}{window.pk}/products/"
    # when it is added with a cap and a limit
    added = client.post(
        base + "new/",
        {"product": product.pk, "cap": "40", "per_customer_limit": "6"},
    )
    # then
    item = SalesWindowItem.objects.get(window=window)
    assert added.status_code == 302
    assert (item.cap, item.per_customer_limit, item.window_only) == (40, 6, False)
    # when it is changed
    client.post(
        f"{base}{product.pk}/update/",
        {"cap": "", "per_customer_limit": "2", "window_only": "on"},
    )
    # then
    item.refresh_from_db()
    assert (item.cap, item.per_customer_limit, item.window_only) == (None, 2, True)
    # when it is removed
    removed = client.post(f"{base}{product.pk}/remove/")
    # then
    assert removed.status_code == 302
    assert not SalesWindowItem.objects.filter(window=window).exists()


def test_a_product_form_refuses_what_is_not_a_whole_number(
    cluster_x, member_a, cluster_x_admin_user
):
    # given
    window = SalesWindowFactory.create(cluster=cluster_x)
    product = public_product(cluster_x, member=member_a)
    # when
    response = _client(cluster_x_admin_user).post(
        f"{_base(cluster_x)}{window.pk}/products/new/",
        {"product": product.pk, "cap": "0", "per_customer_limit": "two"},
    )
    # then
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"cap", "per_customer_limit"}
    assert 'href="#id_cap"' in response.content.decode()
    assert not SalesWindowItem.objects.exists()


def test_a_product_of_another_cluster_cannot_be_chosen(
    cluster_x, cluster_y, cluster_x_admin_user
):
    # given
    window = SalesWindowFactory.create(cluster=cluster_x)
    elsewhere = public_product(cluster_y)
    # when
    response = _client(cluster_x_admin_user).post(
        f"{_base(cluster_x)}{window.pk}/products/new/", {"product": elsewhere.pk}
    )
    # then
    assert response.status_code == 422
    assert "product" in response.context["form"].errors
    assert not SalesWindowItem.objects.exists()


def test_a_cap_below_what_is_sold_is_refused_on_its_field(fair, cluster_x_admin_user):
    # given 2 of the pinot sold
    window, wine = fair["window"], fair["wine"]
    # when
    response = _client(cluster_x_admin_user).post(
        f"{_base(window.cluster)}{window.pk}/products/{wine.pk}/update/",
        {"cap": "1"},
    )
    # then
    assert response.status_code == 422
    assert "2 are sold already" in str(response.context["form"].errors["cap"])
    assert SalesWindowItem.objects.get(window=window, product=wine).cap == 20


def test_a_sold_product_is_not_removed(fair, cluster_x_admin_user):
    # given
    window, wine = fair["window"], fair["wine"]
    # when
    response = _client(cluster_x_admin_user).post(
        f"{_base(window.cluster)}{window.pk}/products/{wine.pk}/remove/", follow=True
    )
    # then
    assert "can&#x27;t be taken out" in response.content.decode()
    assert SalesWindowItem.objects.filter(window=window, product=wine).exists()


def test_an_admin_links_and_unlinks_pickup_points(cluster_x, cluster_x_admin_user):
    # given a window with one pickup point and another free event
    window = SalesWindowFactory.create(cluster=cluster_x)
    linked = PickupEventFactory.create(cluster=cluster_x, sales_window=window)
    free = PickupEventFactory.create(cluster=cluster_x, name_en="Free event")
    other_window = SalesWindowFactory.create(cluster=cluster_x)
    taken = PickupEventFactory.create(
        cluster=cluster_x, name_en="Taken event", sales_window=other_window
    )
    client = _client(cluster_x_admin_user)
    url = f"{_base(cluster_x)}{window.pk}/pickup-points/"
    # when
    page = client.get(url)
    response = client.post(url, {"events": [free.pk]})
    # then
    assert "Free event" in page.content.decode()
    assert "Taken event" not in page.content.decode()
    assert response.status_code == 302
    assert list(PickupEvent.objects.filter(sales_window=window)) == [free]
    linked.refresh_from_db()
    assert linked.sales_window is None
    # and another window's event can't be taken
    refused = client.post(url, {"events": [taken.pk]})
    assert refused.status_code == 422
    assert "events" in refused.context["form"].errors


def test_the_window_page_shows_totals_and_every_members_pick_list(
    fair, cluster_x_admin_user
):
    # given
    window = fair["window"]
    # when
    response = _client(cluster_x_admin_user).get(f"{_base(window.cluster)}{window.pk}/")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Fair pinot" in body
    assert "Fair oysters" in body
    assert [(t.title, t.sold, t.cap, t.left) for t in response.context["totals"]] == [
        ("Fair pinot", 2, 20, 18),
        ("Fair oysters", 3, 10, 7),
    ]
    assert "Aroha Ngata" in body
    assert "Bob Oyster" in body


def test_the_cluster_csv_has_every_members_lines(fair, cluster_x_admin_user):
    # given
    window = fair["window"]
    # when
    response = _client(cluster_x_admin_user).get(
        f"{_base(window.cluster)}{window.pk}/pick-list.csv"
    )
    # then
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert {r[3] for r in rows[1:] if r[2] != "Total"} == {"Aroha Ngata", "Bob Oyster"}


def test_platform_staff_read_but_do_not_change(cluster_x, staff_user):
    # given
    window = SalesWindowFactory.create(cluster=cluster_x, name_en="Staff see it")
    client = _client(staff_user)
    # when
    page = client.get(f"{_base(cluster_x)}{window.pk}/")
    change = client.post(f"{_base(cluster_x)}{window.pk}/update/", {"name_en": "x"})
    # then
    assert page.status_code == 200
    assert "Staff see it" in page.content.decode()
    assert change.status_code == 403
    window.refresh_from_db()
    assert window.name_en == "Staff see it"


@pytest.mark.parametrize(
    "suffix",
    ["", "new/", "{pk}/", "{pk}/update/", "{pk}/products/new/", "{pk}/pickup-points/"],
)
def test_another_clusters_admin_gets_404(cluster_x, cluster_y_admin_user, suffix):
    # given
    window = SalesWindowFactory.create(cluster=cluster_x)
    # when
    response = _client(cluster_y_admin_user).get(
        _base(cluster_x) + suffix.format(pk=window.pk)
    )
    # then
    assert response.status_code == 404


def test_a_window_of_another_cluster_is_404_under_ones_own(
    cluster_x, cluster_y, cluster_y_admin_user
):
    # given cluster X's window, asked for under cluster Y
    window = SalesWindowFactory.create(cluster=cluster_x)
    # when
    response = _client(cluster_y_admin_user).get(f"{_base(cluster_y)}{window.pk}/")
    # then
    assert response.status_code == 404


# --- A member's windows and pick list ------------------------------------------


def test_a_member_sees_its_windows(fair, member_a_owner_user):
    # when
    response = _client(member_a_owner_user).get("/manage/members/member-a/windows/")
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Fair day" in body
    assert [row["window"].sold for row in response.context["rows"]] == [2]


def test_a_members_pick_list_has_only_its_own_lines(fair, member_a_staff_user):
    # given
    window = fair["window"]
    # when
    response = _client(member_a_staff_user).get(
        f"/manage/members/member-a/windows/{window.pk}/pick-list/"
    )
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Aroha Ngata" in body
    assert "Fair pinot" in body
    assert "Bob Oyster" not in body
    assert "Fair oysters" not in body
    (group,) = response.context["groups"]
    assert group.label == "Gate — Pūrei tent"
    assert response.context["pick_totals"] == [("Fair pinot", 2)]


def test_the_members_csv_is_the_pick_list(fair, member_a_owner_user):
    # given
    window = fair["window"]
    # when
    response = _client(member_a_owner_user).get(
        f"/manage/members/member-a/windows/{window.pk}/pick-list.csv"
    )
    # then
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"].startswith("attachment;")
    assert rows[0] == [
        "Pickup point",
        "When",
        "Order",
        "Customer",
        "Pickup code",
        "Status",
        "Delivery day",
        "Member",
        "Item",
        "Quantity",
    ]
    line, point_total, window_total = rows[1:]
    assert line[0] == "Gate — Pūrei tent"
    assert line[3] == "Aroha Ngata"
    assert len(line[4]) >= 4  # the pickup code
    assert line[7:] == ["Member A Wines", "Fair pinot", "2"]
    assert point_total[2:] == ["Total", "", "", "", "", "", "Fair pinot", "2"]
    assert window_total[0] == "All pickup points and delivery"
    assert window_total[8:] == ["Fair pinot", "2"]


def test_another_member_gets_404(fair):
    # given the owner of member B, whose products are in the same window
    owner_b = UserFactory.create(email="owner@member-b.nz")
    MemberRole.objects.create(
        user=owner_b,
        member=fair["oysters"].member,
        role=MemberRole.Role.OWNER,
    )
    client = _client(owner_b)
    window = fair["window"]
    # when
    pages = [
        client.get("/manage/members/member-a/windows/"),
        client.get(f"/manage/members/member-a/windows/{window.pk}/pick-list/"),
        client.get(f"/manage/members/member-a/windows/{window.pk}/pick-list.csv"),
    ]
    # then
    assert [p.status_code for p in pages] == [404, 404, 404]


def test_a_window_without_the_members_products_is_404(cluster_x, member_a_owner_user):
    # given a window where member A sells nothing
    window = SalesWindowFactory.create(cluster=cluster_x)
    # when
    response = _client(member_a_owner_user).get(
        f"/manage/members/member-a/windows/{window.pk}/pick-list/"
    )
    # then
    assert response.status_code == 404


def test_a_cluster_admin_does_not_see_a_members_pick_list(fair, cluster_x_admin_user):
    # when
    response = _client(cluster_x_admin_user).get(
        f"/manage/members/member-a/windows/{fair['window'].pk}/pick-list/"
    )
    # then
    assert response.status_code == 404

"""The orders screens in /manage/: a member's fulfilments, one fulfilment and its
packing slip; a cluster admin's orders and one order. Scope for every actor, the
forms' actions, and fixed query counts on the list pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from purei.accounts.models import MemberRole, User
from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import Fulfilment, Order, OrderLine
from purei.orders.tests.factories import (
    PickupEventFactory,
    order_with_parts,
    variant_of,
)
from purei.payments.models import Payment, Refund

pytestmark = pytest.mark.django_db

S = Fulfilment.Status


@pytest.fixture
def member_b(cluster_x: Cluster) -> Member:
    member = MemberFactory.create(slug="member-b", trading_name="Member B Cheese")
    MembershipFactory.create(
        member=member, cluster=cluster_x, status=Membership.Status.APPROVED
    )
    return member


@pytest.fixture
def member_b_owner_user(member_b: Member) -> User:
    user = UserFactory.create(email="owner@member-b.nz")
    MemberRole.objects.create(user=user, member=member_b, role=MemberRole.Role.OWNER)
    return user


@pytest.fixture
def wine(member_a: Member) -> Variant:
    member_a.gst_registered = True
    member_a.gst_number = "49091850"
    member_a.save()
    return variant_of(member_a, sku="PINOT-750", price_cents=2999, stock=10)


@pytest.fixture
def cheese(member_b: Member) -> Variant:
    return variant_of(member_b, sku="BRIE-200", price_cents=1800, stock=5)


@pytest.fixture
def order(
    cluster_x: Cluster, member_a: Member, member_b: Member, wine: Variant, cheese
) -> Order:
    return order_with_parts(
        cluster_x,
        [(member_a, [(wine, 2)]), (member_b, [(cheese, 1)])],
        name="Hemi Shopper",
        email="hemi@example.nz",
        r18=True,
    )


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _member_url(order: Order, suffix: str = "") -> str:
    return f"/manage/members/member-a/orders/{order.number}/{suffix}"


# --- A member's list ------------------------------------------------------------


def test_the_team_sees_its_part_to_pack_with_the_r18_badge(
    order: Order, member_a_staff_user: User
) -> None:
    # when
    response = _client(member_a_staff_user).get("/manage/members/member-a/orders/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert order.number in body
    assert "Hemi Shopper" in body
    assert "R18: check ID" in body
    assert "PINOT-750" in body
    assert "BRIE-200" not in body  # member B's part
    assert "$64.98" in body  # two at $29.99 and $5.00 shipping


def test_tabs_sort_the_work_and_unpaid_orders_wait_apart(
    cluster_x: Cluster, member_a: Member, wine: Variant, member_a_owner_user: User
) -> None:
    # given
    paid = order_with_parts(cluster_x, [(member_a, [(wine, 1)])], number="PAIDONE1")
    unpaid = order_with_parts(
        cluster_x, [(member_a, [(wine, 1)])], paid_with=None, number="UNPAID01"
    )
    shipped = order_with_parts(cluster_x, [(member_a, [(wine, 1)])], number="SENT0001")
    Fulfilment.objects.filter(order=shipped).update(status=S.SHIPPED)
    client = _client(member_a_owner_user)
    url = "/manage/members/member-a/orders/"

    def numbers(tab: str) -> set[str]:
        body = client.get(f"{url}?tab={tab}").content.decode()
        return {o.number for o in (paid, unpaid, shipped) if o.number in body}

    # then
    assert numbers("to_pack") == {"PAIDONE1"}
    assert numbers("awaiting_payment") == {"UNPAID01"}
    assert numbers("sent") == {"SENT0001"}
    assert numbers("all") == {"PAIDONE1", "UNPAID01", "SENT0001"}
    assert numbers("cancelled") == set()


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_member_list_costs_the_same_queries_for_2_or_10_orders(
    cluster_x: Cluster, member_a: Member, wine: Variant, member_a_owner_user: User
) -> None:
    # given
    client = _client(member_a_owner_user)
    url = "/manage/members/member-a/orders/?tab=all"
    for _ in range(2):
        order_with_parts(cluster_x, [(member_a, [(wine, 1)])])
    client.get(url)  # warm the session and caches
    two = _count_queries(client, url)
    for _ in range(8):
        order_with_parts(cluster_x, [(member_a, [(wine, 1)])])
    # when
    ten = _count_queries(client, url)
    # then
    assert two == ten
    assert ten <= 8


# --- A member's order ----------------------------------------------------------


def test_the_order_page_shows_lines_address_moves_and_the_check_id_notice(
    order: Order, member_a_owner_user: User
) -> None:
    response = _client(member_a_owner_user).get(_member_url(order))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "PINOT-750",
        "Product PINOT-750",
        "$29.99",
        "12 Queen Street",
        "Mark packed",
        "Mark shipped",
        "R18: check ID on delivery / pickup.",
        "Cancel these items",
    ):
        assert text in body, text
    assert "Mark ready for pickup" not in body


def test_a_pickup_order_page_shows_the_code_and_event(
    cluster_x: Cluster, member_a: Member, wine: Variant, member_a_owner_user: User
) -> None:
    event = PickupEventFactory.create(
        cluster=cluster_x,
        name_en="Martinborough Fair",
        collection_point="Pūrei tent",
        starts_at=dt.datetime(2030, 2, 1, 20, 0, tzinfo=dt.UTC),
    )
    order = order_with_parts(
        cluster_x,
        [(member_a, [(wine, 1)])],
        method="pickup_event",
        pickup_event=event,
    )
    body = _client(member_a_owner_user).get(_member_url(order)).content.decode()
    assert "K7M2QX" in body
    assert "Martinborough Fair" in body
    assert "Pūrei tent" in body
    assert "Mark ready for pickup" in body
    assert "Mark shipped" not in body


def test_the_team_packs_and_ships_from_the_page(
    order: Order,
    member_a: Member,
    member_a_staff_user: User,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    client = _client(member_a_staff_user)
    # when
    packed = client.post(_member_url(order), {"action": "advance", "to": "packed"})
    with django_capture_on_commit_callbacks(execute=True):
        shipped = client.post(
            _member_url(order),
            {
                "action": "advance",
                "to": "shipped",
                "carrier": "NZ Post",
                "tracking_number": "LX1NZ",
            },
        )
    # then
    assert packed.status_code == shipped.status_code == 302
    fulfilment = Fulfilment.objects.get(order=order, member=member_a)
    assert fulfilment.status == S.SHIPPED
    assert fulfilment.tracking_number == "LX1NZ"
    assert [m.to for m in mailoutbox] == [["hemi@example.nz"]]


def test_shipping_without_a_carrier_shows_the_error(
    order: Order, member_a: Member, member_a_owner_user: User
) -> None:
    response = _client(member_a_owner_user).post(
        _member_url(order), {"action": "advance", "to": "shipped", "carrier": ""}
    )
    assert response.status_code == 422
    assert "Say which carrier has the parcel." in response.content.decode()
    assert Fulfilment.objects.get(order=order, member=member_a).status == S.NEW


def test_the_team_cancels_some_items_and_the_refund_is_shown(
    order: Order, member_a: Member, wine: Variant, member_a_owner_user: User
) -> None:
    # given
    client = _client(member_a_owner_user)
    wine_line = OrderLine.objects.get(order=order, sku="PINOT-750")
    # when
    response = client.post(
        _member_url(order),
        {
            "action": "cancel_lines",
            f"cancel-{wine_line.pk}": "1",
            "lines-reason": "Corked",
        },
        follow=True,
    )
    # then
    body = response.content.decode()
    assert "$29.99 was refunded to the customer." in body
    assert "Corked" in body  # in the refunds made
    assert Variant.objects.get(pk=wine.pk).stock == 9
    assert Refund.objects.get().amount_cents == 2999


def test_cancelling_items_without_a_reason_is_refused_on_the_form(
    order: Order, member_a_owner_user: User
) -> None:
    wine_line = OrderLine.objects.get(order=order, sku="PINOT-750")
    response = _client(member_a_owner_user).post(
        _member_url(order),
        {"action": "cancel_lines", f"cancel-{wine_line.pk}": "1", "lines-reason": ""},
    )
    assert response.status_code == 422
    assert "Say why it is cancelled" in response.content.decode()
    wine_line.refresh_from_db()
    assert wine_line.cancelled_quantity == 0


def test_the_team_cancels_its_whole_part(
    order: Order, member_a: Member, member_a_owner_user: User
) -> None:
    response = _client(member_a_owner_user).post(
        _member_url(order), {"action": "cancel_all", "all-reason": "Closed"}
    )
    assert response.status_code == 302
    assert Fulfilment.objects.get(order=order, member=member_a).status == S.CANCELLED
    assert Refund.objects.get().amount_cents == 2 * 2999 + 500


def test_platform_staff_read_but_cannot_change(
    order: Order, member_a: Member, staff_user: User
) -> None:
    client = _client(staff_user)
    assert client.get(_member_url(order)).status_code == 200
    response = client.post(_member_url(order), {"action": "advance", "to": "packed"})
    assert response.status_code == 403
    assert Fulfilment.objects.get(order=order, member=member_a).status == S.NEW


@pytest.mark.parametrize(
    "who",
    [
        "member_b_owner_user",
        "cluster_x_admin_user",
        "cluster_y_admin_user",
        "customer_user",
    ],
)
@pytest.mark.parametrize("suffix", ["", "packing-slip/"])
def test_anyone_else_gets_not_found(
    order: Order, who: str, suffix: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(who)
    client = _client(user)
    assert client.get(_member_url(order, suffix)).status_code == 404
    assert client.get("/manage/members/member-a/orders/").status_code == 404
    if not suffix:
        response = client.post(
            _member_url(order), {"action": "cancel_all", "all-reason": "x"}
        )
        assert response.status_code == 404
    assert not Refund.objects.exists()


def test_member_b_sees_its_own_part_only(
    order: Order, member_b_owner_user: User
) -> None:
    client = _client(member_b_owner_user)
    response = client.get(f"/manage/members/member-b/orders/{order.number}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "BRIE-200" in body
    assert "PINOT-750" not in body


def test_anonymous_is_sent_to_log_in(order: Order) -> None:
    response = Client().get(_member_url(order))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- The packing slip -----------------------------------------------------------


def test_the_packing_slip_has_what_the_packer_needs_and_no_prices(
    order: Order, member_a_staff_user: User
) -> None:
    # when
    response = _client(member_a_staff_user).get(_member_url(order, "packing-slip/"))
    # then
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Packing slip",
        "Member A Wines",
        "GST number 49091850",
        order.number,
        order.created_at.strftime("%Y"),
        "Hemi Shopper",
        "12 Queen Street",
        "PINOT-750",
        '<td class="qty">2</td>',
        "R18: check ID on delivery / pickup.",
        "packing-slip.css",
    ):
        assert text in body, text
    assert "$" not in body
    assert "site-nav" not in body


def test_a_pickup_slip_has_the_code_and_event_and_no_gst_number_if_unregistered(
    cluster_x: Cluster, member_b: Member, cheese: Variant, member_b_owner_user: User
) -> None:
    event = PickupEventFactory.create(cluster=cluster_x, name_en="Fair day")
    order = order_with_parts(
        cluster_x,
        [(member_b, [(cheese, 3)])],
        method="pickup_event",
        pickup_event=event,
    )
    body = (
        _client(member_b_owner_user)
        .get(f"/manage/members/member-b/orders/{order.number}/packing-slip/")
        .content.decode()
    )
    assert "K7M2QX" in body
    assert "Fair day" in body
    assert "GST number" not in body
    assert "R18" not in body
    assert '<td class="qty">3</td>' in body


# --- Cluster admins --------------------------------------------------------------


def test_the_cluster_admin_sees_every_order_with_its_members_and_payment(
    order: Order, cluster_x_admin_user: User
) -> None:
    response = _client(cluster_x_admin_user).get("/manage/clusters/cluster-x/orders/")
    body = response.content.decode()
    assert response.status_code == 200
    for text in (order.number, "hemi@example.nz", "Member A Wines", "Member B Cheese"):
        assert text in body
    assert "Paid" in body


def test_the_cluster_list_filters_and_searches(
    cluster_x: Cluster, member_a: Member, wine: Variant, cluster_x_admin_user: User
) -> None:
    # given
    order_with_parts(
        cluster_x, [(member_a, [(wine, 1)])], number="PAIDAAAA", email="a@x.nz"
    )
    order_with_parts(
        cluster_x,
        [(member_a, [(wine, 1)])],
        number="WAITBBBB",
        paid_with="bank_transfer",
        email="b@x.nz",
    )
    client = _client(cluster_x_admin_user)
    url = "/manage/clusters/cluster-x/orders/"

    def shown(query: str) -> set[str]:
        body = client.get(url + query).content.decode()
        return {n for n in ("PAIDAAAA", "WAITBBBB") if n in body}

    # then
    assert shown("") == {"PAIDAAAA", "WAITBBBB"}
    assert shown("?status=awaiting_payment") == {"WAITBBBB"}
    assert shown("?status=paid") == {"PAIDAAAA"}
    assert shown("?status=cancelled") == set()
    assert shown("?q=paidaa") == {"PAIDAAAA"}
    assert shown("?q=b@x.nz") == {"WAITBBBB"}


def test_the_cluster_list_costs_the_same_queries_for_2_or_10_orders(
    cluster_x: Cluster,
    member_a: Member,
    member_b: Member,
    wine: Variant,
    cheese: Variant,
    cluster_x_admin_user: User,
) -> None:
    client = _client(cluster_x_admin_user)
    url = "/manage/clusters/cluster-x/orders/"
    Variant.objects.filter(pk=cheese.pk).update(stock=100)
    for _ in range(2):
        order_with_parts(
            cluster_x, [(member_a, [(wine, 1)]), (member_b, [(cheese, 1)])]
        )
    client.get(url)
    two = _count_queries(client, url)
    for _ in range(8):
        order_with_parts(
            cluster_x, [(member_a, [(wine, 1)]), (member_b, [(cheese, 1)])]
        )
    ten = _count_queries(client, url)
    assert two == ten
    assert ten <= 7


def test_the_admin_marks_a_bank_transfer_received(
    cluster_x: Cluster, member_a: Member, wine: Variant, cluster_x_admin_user: User
) -> None:
    # given
    order = order_with_parts(
        cluster_x, [(member_a, [(wine, 1)])], paid_with="bank_transfer"
    )
    url = f"/manage/clusters/cluster-x/orders/{order.number}/"
    client = _client(cluster_x_admin_user)
    assert "Mark bank transfer received" in client.get(url).content.decode()
    # when
    response = client.post(url, {"action": "mark_received", "note": "ASB 12 Feb"})
    # then
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.get(order=order).status == Payment.Status.SUCCEEDED


def test_the_admin_refunds_and_cancels_a_part(
    order: Order, member_b: Member, cluster_x_admin_user: User
) -> None:
    # given
    url = f"/manage/clusters/cluster-x/orders/{order.number}/"
    client = _client(cluster_x_admin_user)
    part_b = Fulfilment.objects.get(order=order, member=member_b)
    # when
    refunded = client.post(
        url, {"action": "refund", "amount": "5.50", "reason": "Late"}
    )
    cancelled = client.post(
        url,
        {
            "action": "cancel_fulfilment",
            "fulfilment": part_b.pk,
            "cancel-reason": "Ill",
        },
    )
    # then
    assert refunded.status_code == cancelled.status_code == 302
    amounts = sorted(Refund.objects.values_list("amount_cents", flat=True))
    assert amounts == [550, 1800 + 500]
    part_b.refresh_from_db()
    assert part_b.status == S.CANCELLED
    body = client.get(url).content.decode()
    assert "Late" in body
    assert "Ill" in body


def test_a_bad_refund_amount_is_shown_on_the_form(
    order: Order, cluster_x_admin_user: User
) -> None:
    url = f"/manage/clusters/cluster-x/orders/{order.number}/"
    client = _client(cluster_x_admin_user)
    bad = client.post(url, {"action": "refund", "amount": "lots", "reason": "x"})
    too_much = client.post(url, {"action": "refund", "amount": "9999", "reason": "x"})
    assert bad.status_code == too_much.status_code == 422
    assert "Give an amount like 12.50." in bad.content.decode()
    assert "The refund must be between 1 and" in too_much.content.decode()
    assert not Refund.objects.filter(status=Refund.Status.SUCCEEDED).exists()


def test_platform_staff_read_the_clusters_orders_but_cannot_act(
    order: Order, staff_user: User
) -> None:
    client = _client(staff_user)
    url = f"/manage/clusters/cluster-x/orders/{order.number}/"
    assert client.get("/manage/clusters/cluster-x/orders/").status_code == 200
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "refund", "amount": "1", "reason": "x"})
    assert response.status_code == 403
    assert not Refund.objects.exists()


@pytest.mark.parametrize(
    "who",
    [
        "cluster_y_admin_user",
        "member_a_owner_user",
        "member_b_owner_user",
        "customer_user",
    ],
)
def test_the_clusters_orders_are_not_found_for_anyone_else(
    order: Order, who: str, request: pytest.FixtureRequest
) -> None:
    client = _client(request.getfixturevalue(who))
    url = f"/manage/clusters/cluster-x/orders/{order.number}/"
    assert client.get("/manage/clusters/cluster-x/orders/").status_code == 404
    assert client.get(url).status_code == 404
    response = client.post(url, {"action": "refund", "amount": "1", "reason": "x"})
    assert response.status_code == 404
    assert not Refund.objects.exists()


def test_the_order_page_reads_times_the_new_zealand_way(
    order: Order, member_a_owner_user: User
) -> None:
    # given: placed at 11:24 UTC on 6 December, 12:24 am on 7 December in NZ
    Order.objects.filter(pk=order.pk).update(
        created_at=dt.datetime(2026, 12, 6, 11, 24, tzinfo=dt.UTC)
    )
    # when
    body = _client(member_a_owner_user).get(_member_url(order)).content.decode()
    # then
    assert "Placed 7 December 2026, 12:24 am" in body
    assert "00:24" not in body

"""Closing an account (privacy.services.account_close): personal details erased
or anonymised, the orders and invoices tax law needs kept without them, and
the refusals (wrong password, the only owner of a business, a cluster admin)
changing nothing."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from purei.accounts.models import ClusterRole, MemberRole, User
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.ledger.models import Invoice
from purei.ledger.tests.factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    money_cluster,
    money_member,
    pay,
    place_order,
)
from purei.marketing.models import NotifyRequest, Subscriber, SubscriptionEvent
from purei.marketing.tests.factories import SubscriberFactory
from purei.members.tests.factories import MemberFactory, MemberRoleFactory
from purei.orders.models import Cart, Order
from purei.privacy.errors import PrivacyErrorCode
from purei.privacy.services import account_close, tombstone_email

pytestmark = pytest.mark.django_db

EMAIL = "aroha@example.nz"


@pytest.fixture
def shopper() -> User:
    return UserFactory.create(email=EMAIL, full_name="Aroha Tane")


def _their_paid_order(user: User) -> Order:
    cluster = money_cluster()
    order = place_order(cluster, [(money_member(cluster), [(2300, 2)])])
    Order.objects.filter(pk=order.pk).update(
        customer=user,
        email=EMAIL,
        phone="021 555 0101",
        address_line1="12 Hardy Street",
        town="Nelson",
        postcode="7010",
    )
    pay(order)
    order.refresh_from_db()
    return order


def test_closing_erases_the_person_and_keeps_the_tax_records(shopper, client):
    # given a paid order with its invoice, a newsletter, a back-in-stock
    # request, a cart, a session and an audit row of theirs
    order = _their_paid_order(shopper)
    kept = Invoice.objects.filter(order=order)
    invoices = list(kept.values_list("pk", "total_cents"))
    subscriber = SubscriberFactory.create(email=EMAIL, user=shopper)
    NotifyRequest.objects.create(
        cluster=order.cluster,
        kind=NotifyRequest.Kind.BACK_IN_STOCK,
        target_id=1,
        email=EMAIL,
        user=shopper,
        source="test",
    )
    Cart.objects.create(cluster=order.cluster, user=shopper)
    client.force_login(shopper)
    AuditEntry.objects.create(
        actor=shopper, actor_email=EMAIL, verb="x", target_type="t", target_id="1"
    )
    # when they close their account with their password
    closed = account_close(actor=Actor(user=shopper), password=PASSWORD)
    # then the account is a tombstone nobody can log in to
    shopper.refresh_from_db()
    tomb = tombstone_email(shopper.pk)
    assert (shopper.email, shopper.full_name, shopper.is_active) == (tomb, "", False)
    assert not shopper.has_usable_password()
    assert not User.objects.filter(email__iexact=EMAIL).exists()
    assert Session.objects.count() == 0
    assert closed.sessions_ended == 1
    # and the order keeps its money and where it went, not who or which street
    order.refresh_from_db()
    assert (order.name, order.email, order.phone) == ("Closed account", tomb, "")
    assert (order.address_line1, order.address_line2, order.suburb) == ("", "", "")
    assert order.total_cents == 4600
    assert (order.town, order.postcode) == ("Nelson", "7010")
    # and the invoices are kept exactly as issued
    assert (
        list(Invoice.objects.filter(order=order).values_list("pk", "total_cents"))
        == invoices
    )
    # and the newsletter ended like an unsubscribe, without the address
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.email == f"closed-{subscriber.pk}@closed.invalid"
    assert subscriber.user is None
    assert subscriber.events.filter(
        kind=SubscriptionEvent.Kind.UNSUBSCRIBED, source="account closed"
    ).exists()
    assert not NotifyRequest.objects.exists()
    assert not Cart.objects.exists()
    # and the audit rows name the closed account, not the address
    assert not AuditEntry.objects.filter(actor_email=EMAIL).exists()
    assert AuditEntry.objects.filter(verb="account.closed").count() == 1


def test_a_wrong_password_changes_nothing(shopper):
    # when
    with pytest.raises(ValidationFailed) as caught:
        account_close(actor=Actor(user=shopper), password="not-it")
    # then
    assert caught.value.code == PrivacyErrorCode.WRONG_PASSWORD
    shopper.refresh_from_db()
    assert (shopper.email, shopper.is_active) == (EMAIL, True)
    assert not AuditEntry.objects.exists()


def test_the_only_owner_of_a_business_is_refused(shopper):
    # given they own a business alone
    member = MemberFactory.create(trading_name="Kai Makers")
    MemberRoleFactory.create(member=member, user=shopper, role=MemberRole.Role.OWNER)
    # when
    with pytest.raises(NotPermitted) as caught:
        account_close(actor=Actor(user=shopper), password=PASSWORD)
    # then the refusal says why and what to do; nothing changed
    assert caught.value.code == PrivacyErrorCode.SOLE_OWNER
    assert "only owner of Kai Makers" in caught.value.message
    shopper.refresh_from_db()
    assert shopper.is_active
    assert MemberRole.objects.filter(user=shopper).exists()


def test_one_of_two_owners_may_close(shopper):
    # given a business with another owner too
    member = MemberFactory.create()
    MemberRoleFactory.create(member=member, user=shopper, role=MemberRole.Role.OWNER)
    MemberRoleFactory.create(member=member, role=MemberRole.Role.OWNER)
    # when
    account_close(actor=Actor(user=shopper), password=PASSWORD)
    # then their role goes, the other owner's stays
    assert not MemberRole.objects.filter(user=shopper).exists()
    assert MemberRole.objects.filter(member=member).count() == 1


def test_a_cluster_admin_is_refused(shopper, cluster_x):
    # given they run a cluster
    ClusterRole.objects.create(
        user=shopper, cluster=cluster_x, role=ClusterRole.Role.ADMIN
    )
    # when
    with pytest.raises(NotPermitted) as caught:
        account_close(actor=Actor(user=shopper), password=PASSWORD)
    # then
    assert caught.value.code == PrivacyErrorCode.CLUSTER_ADMIN
    assert ClusterRole.objects.filter(user=shopper).exists()


def test_the_page_closes_the_account_and_logs_out(shopper, client: Client):
    # given
    client.force_login(shopper)
    # when
    response = client.post("/accounts/close/", {"password": PASSWORD, "confirm": "on"})
    # then
    assert response.status_code == 302
    shopper.refresh_from_db()
    assert not shopper.is_active
    assert client.get("/accounts/").status_code == 302  # logged out


def test_the_page_explains_a_refusal(shopper, client: Client, cluster_x):
    # given
    ClusterRole.objects.create(
        user=shopper, cluster=cluster_x, role=ClusterRole.Role.ADMIN
    )
    client.force_login(shopper)
    # when
    response = client.post("/accounts/close/", {"password": PASSWORD, "confirm": "on"})
    # then
    assert response.status_code == 403
    assert "You are an admin of" in response.content.decode()
    shopper.refresh_from_db()
    assert shopper.is_active


def test_the_page_refuses_a_wrong_password(shopper, client: Client):
    client.force_login(shopper)
    response = client.post("/accounts/close/", {"password": "nope", "confirm": "on"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    shopper.refresh_from_db()
    assert shopper.is_active

"""Each cluster's own Stripe account (ADR 0021): payments go into it, its refunds
go through it, and its webhook events come in on its own route, verified with its
own signing secret, touching only its own payments. Two clusters, two secrets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.test import Client
from django.urls import reverse

from purei.clusters.models import Cluster, StripeMode
from purei.clusters.money_accounts import (
    MoneyAccountsChanges,
    cluster_money_accounts_update,
)
from purei.core.actor import Actor
from purei.ledger.tests.factories import (
    books_balance,  # noqa: F401  # autouse: every journal balances
    cluster_admin,
    money_cluster,
    money_member,
    place_order,
)
from purei.orders.models import Order
from purei.payments.models import Payment, WebhookEvent
from purei.payments.tests.conftest import FakeStripe, load_fixture, sign
from purei.settlement.services import payment_start, refund_create

from .conftest import WEBHOOK_SECRET as PLATFORM_SECRET

pytestmark = pytest.mark.django_db

SECRETS = {
    "a": ("sk_test_51ClusterAOwnSecretKey0001", "whsec_ClusterASigningSecret0001"),
    "b": ("sk_test_51ClusterBOwnSecretKey0002", "whsec_ClusterBSigningSecret0002"),
}


def _own_keys(cluster: Cluster, name: str) -> None:
    secret_key, signing = SECRETS[name]
    cluster_money_accounts_update(
        actor=cluster_admin(cluster),
        cluster=cluster,
        changes=MoneyAccountsChanges(
            bank_account_name=f"Cluster {name.upper()} Trust",
            bank_account_number="08-6523-1954512-001",
            stripe_mode=StripeMode.OWN_KEYS,
            stripe_publishable_key=f"pk_test_51Cluster{name.upper()}Publishable",
            stripe_secret_key=secret_key,
            stripe_webhook_secret=signing,
        ),
    )


@pytest.fixture
def cluster_a() -> Cluster:
    cluster = money_cluster(slug="cluster-a")
    _own_keys(cluster, "a")
    return cluster


@pytest.fixture
def cluster_b() -> Cluster:
    cluster = money_cluster(slug="cluster-b")
    _own_keys(cluster, "b")
    return cluster


@pytest.fixture
def fake_stripe(settings: Any) -> Iterator[FakeStripe]:
    fake = FakeStripe()
    fake.thread.start()
    settings.STRIPE_API_BASE = fake.url
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
        fake.thread.join(timeout=5)


def _order(cluster: Cluster) -> Order:
    return place_order(cluster, [(money_member(cluster), [(2500, 2)])])


def _stripe_payment(order: Order, fake: FakeStripe, intent_id: str) -> Payment:
    intent = load_fixture("payment_intent_created.json") | {"id": intent_id}
    fake.answer("/v1/payment_intents", intent)
    payment, result = payment_start(order=order, gateway_name="stripe")
    assert result.status == "pending"
    return payment


def _event(payment: Payment, event_id: str, **top: Any) -> str:
    event = load_fixture("payment_intent_succeeded.json") | {"id": event_id} | top
    intent = event["data"]["object"]
    intent["id"] = payment.reference
    intent["metadata"] = {"payment_id": str(payment.pk)}
    intent["amount"] = intent["amount_received"] = payment.amount_cents
    return json.dumps(event)


def _post(client: Client, url: str, payload: str, secret: str) -> Any:
    return client.post(
        url,
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": sign(payload, secret=secret)},
    )


def _route(cluster: Cluster) -> str:
    return reverse("stripe-cluster-webhook", kwargs={"slug": cluster.slug})


def test_a_payment_goes_into_the_clusters_own_stripe_account(
    cluster_a: Cluster, fake_stripe: FakeStripe
) -> None:
    # when
    payment = _stripe_payment(_order(cluster_a), fake_stripe, "pi_ClusterA0001")
    # then Stripe was asked with cluster A's own key, and the payment says so
    (request,) = fake_stripe.requests
    assert request["headers"]["authorization"] == f"Bearer {SECRETS['a'][0]}"
    assert payment.account == f"cluster:{cluster_a.pk}"


def test_its_refund_goes_through_the_same_account(
    cluster_a: Cluster, fake_stripe: FakeStripe, client: Client
) -> None:
    # given a paid Stripe payment of cluster A
    payment = _stripe_payment(_order(cluster_a), fake_stripe, "pi_ClusterA0002")
    payload = _event(payment, "evt_ClusterA0002")
    assert _post(client, _route(cluster_a), payload, SECRETS["a"][1]).status_code == 200
    fake_stripe.answer("/v1/refunds", load_fixture("refund_created.json"))
    # when
    refund_create(
        actor=cluster_admin(cluster_a),
        payment=Payment.objects.get(pk=payment.pk),
        amount_cents=100,
        reason="Goodwill",
    )
    # then
    refund_request = fake_stripe.requests[-1]
    assert refund_request["path"] == "/v1/refunds"
    assert refund_request["headers"]["authorization"] == f"Bearer {SECRETS['a'][0]}"


def test_a_clusters_own_route_takes_its_own_signature(
    cluster_a: Cluster, cluster_b: Cluster, fake_stripe: FakeStripe, client: Client
) -> None:
    # given
    payment = _stripe_payment(_order(cluster_a), fake_stripe, "pi_ClusterA0003")
    payload = _event(payment, "evt_ClusterA0003")
    # when
    response = _post(client, _route(cluster_a), payload, SECRETS["a"][1])
    # then
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert WebhookEvent.objects.get().gateway == f"stripe:cluster:{cluster_a.pk}"


def test_cluster_as_signature_fails_on_bs_route_and_the_platforms(
    cluster_a: Cluster, cluster_b: Cluster, fake_stripe: FakeStripe, client: Client
) -> None:
    # given
    payment = _stripe_payment(_order(cluster_a), fake_stripe, "pi_ClusterA0004")
    payload = _event(payment, "evt_ClusterA0004")
    # when signed with A's secret, sent to B's route and to the platform's
    on_b = _post(client, _route(cluster_b), payload, SECRETS["a"][1])
    on_platform = _post(client, reverse("stripe-webhook"), payload, SECRETS["a"][1])
    # then both are refused and nothing changed
    assert (on_b.status_code, on_platform.status_code) == (400, 400)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert not WebhookEvent.objects.exists()


def test_a_cluster_cannot_sign_events_about_anothers_payments(
    cluster_a: Cluster, cluster_b: Cluster, fake_stripe: FakeStripe, client: Client
) -> None:
    # given B's pending payment, and an event about it signed by A on A's route
    payment_b = _stripe_payment(_order(cluster_b), fake_stripe, "pi_ClusterB0005")
    payload = _event(payment_b, "evt_ForgedByA0005")
    # when
    response = _post(client, _route(cluster_a), payload, SECRETS["a"][1])
    # then it is acknowledged but B's payment is untouched
    assert response.status_code == 200
    payment_b.refresh_from_db()
    assert payment_b.status == Payment.Status.PENDING
    assert payment_b.order.status == Order.Status.AWAITING_PAYMENT
    # and B's own route still takes B's real event with the same id
    real = _post(client, _route(cluster_b), payload, SECRETS["b"][1])
    assert real.status_code == 200
    payment_b.refresh_from_db()
    assert payment_b.status == Payment.Status.SUCCEEDED


def test_the_platform_route_still_works_for_a_cluster_without_its_own_keys(
    cluster_a: Cluster, fake_stripe: FakeStripe, client: Client, settings: Any
) -> None:
    # given a cluster on the platform's Stripe account
    settings.STRIPE_SECRET_KEY = "sk_test_platform_offline"
    plain = money_cluster(slug="plain-cluster")
    payment = _stripe_payment(_order(plain), fake_stripe, "pi_Platform0006")
    assert payment.account == ""
    payload = _event(payment, "evt_Platform0006")
    # when A's secret signs it on the platform route, then the platform's does
    refused = _post(client, reverse("stripe-webhook"), payload, SECRETS["a"][1])
    taken = _post(client, reverse("stripe-webhook"), payload, PLATFORM_SECRET)
    # then
    assert (refused.status_code, taken.status_code) == (400, 200)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    # and that cluster's own address verifies with the platform's secret too
    assert _post(client, _route(plain), payload, PLATFORM_SECRET).status_code == 200


def test_a_platform_event_cannot_touch_a_clusters_own_payment(
    cluster_a: Cluster, fake_stripe: FakeStripe, client: Client
) -> None:
    payment = _stripe_payment(_order(cluster_a), fake_stripe, "pi_ClusterA0007")
    payload = _event(payment, "evt_Platform0007")
    response = _post(client, reverse("stripe-webhook"), payload, PLATFORM_SECRET)
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING


def test_connect_events_touch_only_that_connected_accounts_payments(
    fake_stripe: FakeStripe, client: Client, settings: Any
) -> None:
    # given a cluster on a connected account, with a platform fee
    settings.STRIPE_SECRET_KEY = "sk_test_platform_offline"
    cluster = money_cluster(slug="connected")
    cluster_money_accounts_update(
        actor=_staff(),
        cluster=cluster,
        changes=MoneyAccountsChanges(
            stripe_mode=StripeMode.CONNECT,
            stripe_account_id="acct_1ConnectedCluster",
            platform_fee_bps=200,
        ),
    )
    order = _order(cluster)
    payment = _stripe_payment(order, fake_stripe, "pi_Connected0008")
    (request,) = fake_stripe.requests
    assert request["headers"]["stripe-account"] == "acct_1ConnectedCluster"
    assert request["headers"]["authorization"] == "Bearer sk_test_platform_offline"
    sent = parse_qs(request["body"])
    assert sent["application_fee_amount"] == [str(order.total_cents * 2 // 100)]
    # when an event of another account, then of its own, comes to the platform
    other = _event(payment, "evt_Other0008", account="acct_1SomeoneElse")
    own = _event(payment, "evt_Own0008", account="acct_1ConnectedCluster")
    assert (
        _post(client, reverse("stripe-webhook"), other, PLATFORM_SECRET).status_code
        == 200
    )
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert (
        _post(client, reverse("stripe-webhook"), own, PLATFORM_SECRET).status_code
        == 200
    )
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED


def _staff() -> Actor:
    from purei.accounts.tests.factories import StaffFactory

    return Actor(user=StaffFactory.create())


def test_bank_transfer_instructions_name_the_clusters_account(
    cluster_a: Cluster,
) -> None:
    _payment, result = payment_start(
        order=_order(cluster_a), gateway_name="bank_transfer"
    )
    assert result.instructions is not None
    assert result.instructions["account_number"] == "08-6523-1954512-001"
    assert result.instructions["account_name"] == "Cluster A Trust"

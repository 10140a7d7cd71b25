"""Orders of cluster X to pay for: member A's part, and member B's (another member
of cluster X), each $45 of goods and $5 shipping."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from purei.clusters.models import Cluster
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import Fulfilment, Order
from purei.payments.gateways import CardDetails
from purei.payments.models import Payment

from .factories import FulfilmentFactory, OrderFactory, PaymentFactory

FIXTURES = Path(__file__).parent / "fixtures"
WEBHOOK_SECRET = "whsec_test_0123456789abcdefghijklmnop"

GOOD_CARD = CardDetails(card_number="4242 4242 4242 4242", expiry="12/34", cvc="123")


@pytest.fixture(autouse=True)
def _payments_settings(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_API_BASE = ""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.BANK_TRANSFER_ACCOUNT_NAME = "Cluster X Trust"
    settings.BANK_TRANSFER_ACCOUNT = "12-3456-7890123-00"


@pytest.fixture
def member_b(cluster_x: Cluster) -> Member:
    member = MemberFactory.create(slug="member-b", trading_name="Member B Cheese")
    MembershipFactory.create(
        member=member, cluster=cluster_x, status=Membership.Status.APPROVED
    )
    return member


@pytest.fixture
def order(cluster_x: Cluster, member_a: Member, member_b: Member) -> Order:
    """$100 in all: $50 from member A, $50 from member B."""
    order = OrderFactory.create(
        cluster=cluster_x, goods_cents=9000, shipping_cents=1000, gst_cents=1304
    )
    FulfilmentFactory.create(order=order, member=member_a)
    FulfilmentFactory.create(order=order, member=member_b)
    return order


@pytest.fixture
def fulfilment_a(order: Order, member_a: Member) -> Fulfilment:
    return order.fulfilments.get(member=member_a)


@pytest.fixture
def fulfilment_b(order: Order, member_b: Member) -> Fulfilment:
    return order.fulfilments.get(member=member_b)


def make_paid(order: Order, *, gateway: str = "test", reference: str = "") -> Payment:
    """A payment that succeeded and the order it paid (as the services leave them)."""
    payment = PaymentFactory.create(
        order=order,
        gateway=gateway,
        status=Payment.Status.SUCCEEDED,
        succeeded_at=timezone.now(),
        **({"reference": reference} if reference else {}),
    )
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.PAID,
        payment_state=Order.PaymentState.PAID,
        paid_at=timezone.now(),
        hold_until=None,
    )
    order.refresh_from_db()
    return payment


@pytest.fixture
def paid_payment(order: Order) -> Payment:
    return make_paid(order)


# --- Stripe, offline ---------------------------------------------------------


def load_fixture(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return result


def sign(
    payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> str:
    """The ``Stripe-Signature`` header, computed exactly as Stripe does."""
    ts = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(
        secret.encode(), f"{ts}.{payload}".encode(), hashlib.sha256
    ).hexdigest()
    return f"t={ts},v1={digest}"


class FakeStripe:
    """A tiny local stand-in for Stripe's API: records each request and answers
    with a realistic body. Only 127.0.0.1; no network."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.responses: dict[str, tuple[int, dict[str, Any]]] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode()
                fake.requests.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body,
                    }
                )
                status, answer = fake.responses.get(
                    self.path, (404, {"error": {"message": "no such route"}})
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_fake")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(self, path: str, body: dict[str, Any], status: int = 200) -> None:
        self.responses[path] = (status, body)


@pytest.fixture
def fake_stripe(settings: Any) -> Iterator[FakeStripe]:
    fake = FakeStripe()
    fake.thread.start()
    settings.STRIPE_SECRET_KEY = "sk_test_purei_offline"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_purei_offline"
    settings.STRIPE_API_BASE = fake.url
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
        fake.thread.join(timeout=5)


SignFn = Callable[..., str]

"""The scale run's load (locust, loopback only): shoppers browse and buy, members
set stock through the API, admins run payouts (docs/scaling.md "The mix").

Runs under ``locust -f scripts/scale/locustfile.py`` with ``SCALE_FACTS`` (the
bench's facts of the generated catalogue) and ``SCALE_PREP`` (what
``scripts.scale.prepare`` set up) in the environment. The runner picks the user
classes per phase: ``Buyer`` alone measures checkout, ``Browser`` the storefront
pages, all four the mixed phases.

A checkout, a line added to a cart or a stock update that fails in a way that
says "try again" (no answer, 502/503/504, or 409 while the first try is still
running) is sent again with the same ``Idempotency-Key`` — what a real client
does, and what makes it safe: the platform answers a replay with the first
answer and never places the order (or adds the line) twice. Such retries are
counted apart ("checkout retried"); a request counts as an error only when it
finally fails.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import secrets
import time
import uuid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from locust import FastHttpUser, between, constant, events, task

from scripts.bench.scenarios import (
    cart_choices,
    product_requests,
    search_requests,
    shop_requests,
    storefront_requests,
)

FACTS: dict[str, Any] = json.loads(Path(os.environ["SCALE_FACTS"]).read_text())
PREP: dict[str, Any] = json.loads(Path(os.environ["SCALE_PREP"]).read_text())
_rng = random.Random(20261207)  # noqa: S311 - reproducible load, not secrets
PAGES = {
    "storefront": [r.path for r in storefront_requests(FACTS, _rng)],
    "shop": [r.path for r in shop_requests(FACTS, _rng, 200)],
    "search": [r.path for r in search_requests(FACTS, _rng, 200)],
    "product": [r.path for r in product_requests(FACTS, _rng, 200)],
}
NZ = ZoneInfo("Pacific/Auckland")
RETRY_STATUSES = {0, 409, 502, 503, 504}
ATTEMPTS = 5
# How long a buyer keeps asking while its key is held by a request that died: past
# the platform's IDEMPOTENCY_STALE_SECONDS (the runner sets 40).
IN_PROGRESS_PATIENCE = 60


def _retried(name: str, status: int) -> None:
    events.request.fire(
        request_type="RETRY",
        name=f"{name} retried",
        response_time=0,
        response_length=0,
        exception=None,
        context={"status": status},
    )


def _post_with_key(
    client: Any,
    path: str,
    body: dict[str, Any],
    headers: dict[str, str],
    name: str,
    ok: int,
) -> None:
    """POST with an ``Idempotency-Key``, as a careful client does: sent again with
    the same key when no answer came or the answer says "try again" (a process
    killed under it), and asked again while the key is held by a request that
    died (409, with the API's Retry-After, until the key is stale); the retries
    are counted apart, only the outcome counts as the request."""
    failures = 0
    give_up_at = time.monotonic() + IN_PROGRESS_PATIENCE
    while True:
        with client.post(
            path, json=body, headers=headers, name=name, catch_response=True
        ) as response:
            status = response.status_code or 0
            if status == ok:
                response.success()
                return
            if status == 409 and time.monotonic() < give_up_at:
                response.success()
                _retried(name, status)
                time.sleep(float(response.headers.get("Retry-After") or 1))
                continue
            failures += 1
            if status in RETRY_STATUSES and failures < ATTEMPTS:
                response.success()  # not an outcome yet: counted apart
                _retried(name, status)
                time.sleep(float(response.headers.get("Retry-After") or 0.2 * failures))
                continue
            response.failure(f"{status}: {(response.text or '')[:200]}")
            return


class Buyer(FastHttpUser):
    """A guest who buys one thing through the API, again and again: add a line,
    read the cart's delivery options, check out with the test card."""

    wait_time = constant(0)
    weight = 4

    @task
    def buy(self) -> None:
        slug, variant = random.choice(PREP["buy"])  # noqa: S311
        headers = {"X-Cart-Token": secrets.token_urlsafe(32)}
        base = f"/api/v1/clusters/{slug}"
        # With a key of its own, so that a line sent again (its worker killed
        # under it) is added once.
        _post_with_key(
            self.client,
            f"{base}/cart/lines",
            {"variant": variant, "quantity": 1},
            {**headers, "Idempotency-Key": uuid.uuid4().hex},
            "add to cart",
            201,
        )
        cart = self.client.get(f"{base}/cart", headers=headers, name="cart (API)")
        body: dict[str, Any] = {
            "email": f"scale-{uuid.uuid4().hex[:12]}@example.nz",
            "name": "Scale Shopper",
            "payment_method": "test",
            "payment": {
                "card_number": "4242424242424242",
                "expiry": "12/35",
                "cvc": "123",
            },
            "idempotency_key": uuid.uuid4().hex,
            "address": {
                "country": "NZ",
                "line1": "12 Cuba Street",
                "town": "Wellington",
                "postcode": "6011",
                "region": "NZ-WGN",
            },
            "choices": cart_choices(cart.content or b""),
            "age_confirmed": True,
        }
        headers["Idempotency-Key"] = body["idempotency_key"]
        _post_with_key(self.client, f"{base}/checkout", body, headers, "checkout", 201)


class Browser(FastHttpUser):
    """A shopper looking around: the storefront, the shop, searches, products."""

    wait_time = constant(0)
    weight = 4

    def _page(self, kind: str) -> None:
        """A page, read again (as a shopper reloads) when no answer came or the
        answer says "try again"; the reloads are counted apart."""
        path = random.choice(PAGES[kind])  # noqa: S311
        for attempt in range(1, ATTEMPTS + 1):
            with self.client.get(path, name=kind, catch_response=True) as response:
                status = response.status_code or 0
                if status == 200:
                    response.success()
                    return
                if status in RETRY_STATUSES and attempt < ATTEMPTS:
                    response.success()
                    _retried(kind, status)
                    time.sleep(0.2 * attempt)
                    continue
                response.failure(f"{status}")
                return

    @task(2)
    def storefront(self) -> None:
        self._page("storefront")

    @task(3)
    def shop(self) -> None:
        self._page("shop")

    @task(2)
    def search(self) -> None:
        self._page("search")

    @task(3)
    def product(self) -> None:
        self._page("product")


class Member(FastHttpUser):
    """A maker's stock system: sets the stock of a few of its variants through the
    API with its key, about once a second."""

    wait_time = between(0.5, 1.5)
    fixed_count = 2

    def on_start(self) -> None:
        self.me = random.choice(PREP["members"])  # noqa: S311

    @task
    def set_stock(self) -> None:
        stock = {sku: random.randint(5, 500) for sku in self.me["skus"]}  # noqa: S311
        headers = {
            "Authorization": f"Bearer {self.me['key']}",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        _post_with_key(
            self.client,
            f"/api/v1/members/{self.me['slug']}/stock",
            {"stock": stock},
            headers,
            "member: set stock",
            200,
        )


class Admin(FastHttpUser):
    """A cluster admin who logs in and runs the payouts every few seconds."""

    wait_time = between(3, 6)
    fixed_count = 1

    def on_start(self) -> None:
        self.admin = random.choice(PREP["admins"])  # noqa: S311
        self.client.get("/accounts/login/", name="admin: login page")
        self.client.post(
            "/accounts/login/",
            data={
                "username": self.admin["email"],
                "password": self.admin["password"],
                "csrfmiddlewaretoken": self._csrf(),
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="admin: log in",
        )

    def _csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return str(cookie.value)
        return ""

    @task
    def run_payouts(self) -> None:
        path = f"/manage/clusters/{self.admin['cluster']}/payouts/"
        self.client.get(path, name="admin: payouts")
        self.client.post(
            path,
            data={
                "action": "run",
                "until": dt.datetime.now(NZ).date().isoformat(),
                "csrfmiddlewaretoken": self._csrf(),
            },
            headers={"Referer": f"{self.host}{path}"},
            name="admin: run payouts",
        )

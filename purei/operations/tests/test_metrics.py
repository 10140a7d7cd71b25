"""``/metrics``: request latency by route (never the path), orders and payments by
status, tasks waiting and failed; only to this machine or METRICS_TOKEN's bearer."""

from __future__ import annotations

from typing import Any

import pytest
from django.tasks import task
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from purei.orders.models import Order
from purei.payments.models import Payment
from purei.payments.tests.factories import OrderFactory, PaymentFactory


@task
def always_fails() -> None:
    raise RuntimeError("as planned")


@task
def does_nothing() -> None:
    return None


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample of the exposition ``text``, None when absent."""
    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return float(found.value)
    return None


def scrape(client: Client, **extra: Any) -> str:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.content.decode()


@pytest.fixture(autouse=True)
def _read_afresh(settings: Any) -> None:
    """The gauges are read at every scrape here (5 s in production)."""
    settings.METRICS_CACHE_SECONDS = 0


@pytest.mark.django_db
def test_a_page_is_counted_under_its_route_never_its_path(client: Client) -> None:
    # given
    before = scrape(client)
    labels = {"method": "GET", "route": "clusters:finder", "status": "2xx"}
    # when
    client.get("/finder/")
    client.get("/mi/finder/")
    client.get("/no-such-page/abc123/")
    # then
    text = scrape(client)
    counted = sample(text, "purei_http_requests_total", **labels) or 0
    assert counted - (sample(before, "purei_http_requests_total", **labels) or 0) == 2
    assert sample(text, "purei_http_request_duration_seconds_count", **labels)
    assert (
        sample(
            text,
            "purei_http_requests_total",
            method="GET",
            route="unmatched",
            status="4xx",
        )
        or 0
    ) >= 1
    assert "/finder/" not in text
    assert "abc123" not in text


@pytest.mark.django_db
def test_orders_and_payments_by_status(client: Client) -> None:
    # given
    before = scrape(client)
    # when
    order = OrderFactory(status=Order.Status.PAID)
    PaymentFactory(order=order, status=Payment.Status.SUCCEEDED)
    PaymentFactory(order=order, status=Payment.Status.FAILED)
    # then
    text = scrape(client)

    def grew(name: str, **labels: str) -> float:
        now, then = sample(text, name, **labels), sample(before, name, **labels)
        assert now is not None
        assert then is not None
        return now - then

    assert grew("purei_orders", status="paid") == 1
    assert grew("purei_orders", status="cancelled") == 0
    assert grew("purei_payments", state="succeeded") == 1
    assert grew("purei_payments", state="failed") == 1
    assert grew("purei_payments", state="pending") == 0
    assert (
        sample(text, "purei_orders", status="paid")
        == Order.objects.filter(status="paid").count()
    )


@pytest.mark.django_db
def test_the_gauges_are_kept_for_metrics_cache_seconds(
    client: Client, settings: Any
) -> None:
    # given
    settings.METRICS_CACHE_SECONDS = 300
    first = sample(scrape(client), "purei_orders", status="awaiting_payment")
    # when
    OrderFactory()
    # then: the same reading, until it is older than that
    assert sample(scrape(client), "purei_orders", status="awaiting_payment") == first
    settings.METRICS_CACHE_SECONDS = 0
    assert (
        sample(scrape(client), "purei_orders", status="awaiting_payment")
        == (first or 0) + 1
    )


@pytest.mark.django_db
def test_a_failed_task_is_counted(client: Client) -> None:
    # given: the test settings run tasks at once (immediate backend)
    labels = {"task": "purei.operations.tests.test_metrics.always_fails"}
    before = sample(scrape(client), "purei_tasks_failed_total", **labels) or 0
    # when
    result = always_fails.enqueue()
    does_nothing.enqueue()
    # then
    assert result.status == "FAILED"
    text = scrape(client)
    assert sample(text, "purei_tasks_failed_total", **labels) == before + 1
    assert (
        sample(
            text,
            "purei_tasks_failed_total",
            task="purei.operations.tests.test_metrics.does_nothing",
        )
        is None
    )


@pytest.mark.django_db
def test_tasks_waiting_in_the_database_backend(client: Client, settings: Any) -> None:
    # given
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    labels = {"backend": "default", "queue": "default"}
    assert sample(scrape(client), "purei_tasks_queue_depth", **labels) == 0
    # when
    does_nothing.enqueue()
    does_nothing.enqueue()
    # then
    assert sample(scrape(client), "purei_tasks_queue_depth", **labels) == 2


def test_nobody_else_sees_the_metrics(client: Client) -> None:
    # when: another machine, and this machine through a proxy
    elsewhere = client.get("/metrics", REMOTE_ADDR="203.0.113.7")
    proxied = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7")
    real_ip = client.get("/metrics", HTTP_X_REAL_IP="203.0.113.7")
    # then
    assert elsewhere.status_code == 404
    assert proxied.status_code == 404
    assert real_ip.status_code == 404
    assert b"purei_" not in elsewhere.content + proxied.content + real_ip.content


@pytest.mark.django_db
def test_ipv6_loopback_sees_them(client: Client) -> None:
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


@pytest.mark.django_db
def test_the_bearer_of_the_token_sees_them_from_anywhere(
    client: Client, settings: Any
) -> None:
    # given
    settings.METRICS_TOKEN = "s3cret-scrape-token"
    # when
    right = client.get(
        "/metrics",
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        HTTP_AUTHORIZATION="Bearer s3cret-scrape-token",
    )
    wrong = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer guess"
    )
    # then
    assert right.status_code == 200
    assert b"purei_http_requests_total" in right.content
    assert wrong.status_code == 404


def test_without_a_token_set_no_header_opens_them(client: Client) -> None:
    # given: METRICS_TOKEN is empty (the default)
    # when
    response = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.7", HTTP_AUTHORIZATION="Bearer "
    )
    # then
    assert response.status_code == 404

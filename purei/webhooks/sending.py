"""Sending a delivery: claim it, POST it signed, record what came back.

**Claims.** ``delivery_attempt`` first claims a due pending delivery with one
conditional ``UPDATE`` (``claimed_until`` = now + ``CLAIM_SECONDS``, longer than
the request's timeout), so two workers never send it at once. It stays
*pending* while claimed: a worker killed mid-delivery leaves it so, and once the
claim has expired ``purei webhooks_resume`` (cron) queues it again. So no
delivery is lost, and one is sent **at least once**: a worker killed after the
receiver answered but before the answer was recorded sends it again — with the
same ``Purei-Event-Id``, by which a receiver drops what it has seen.

**Backoff.** A 2xx answer succeeds. Anything else (an error code, a refused
connection, a timeout) is tried again after 1 min, 5 min, 30 min, 2 h, 5 h, 10 h,
10 h… (``WEBHOOK_RETRY_SECONDS``), never later than 24 hours after the delivery
was made (``WEBHOOK_RETRY_FOR_SECONDS``): the last try is at that mark, then it
fails for good.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .addresses import resolved_internal
from .models import Delivery
from .signing import body_bytes, signature_header

logger = logging.getLogger(__name__)

CLAIM_SECONDS = 120
TIMEOUT_SECONDS = 10
EXCERPT = 500
DEFAULT_DELAYS = (60, 300, 1800, 7200, 18000, 36000)
USER_AGENT = "Purei-Webhooks/1"


def retry_delays() -> list[int]:
    return [int(s) for s in getattr(settings, "WEBHOOK_RETRY_SECONDS", DEFAULT_DELAYS)]


def retry_for() -> dt.timedelta:
    return dt.timedelta(
        seconds=int(getattr(settings, "WEBHOOK_RETRY_FOR_SECONDS", 86400))
    )


def next_attempt(
    created: dt.datetime, attempts: int, now: dt.datetime
) -> dt.datetime | None:
    """When to try again after ``attempts`` failed tries; None: give up."""
    deadline = created + retry_for()
    if now >= deadline:
        return None
    delays = retry_delays()
    delay = delays[min(attempts, len(delays)) - 1] if delays else 0
    return min(now + dt.timedelta(seconds=delay), deadline)


def _due(now: dt.datetime) -> Q:
    return (
        Q(state=Delivery.State.PENDING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
    )


def delivery_claim(delivery_id: int, *, now: dt.datetime | None = None) -> bool:
    """Take a due delivery for this worker (one conditional UPDATE)."""
    at = now or timezone.now()
    claimed = (
        Delivery.objects.filter(_due(at), pk=delivery_id)
        .filter(endpoint__disabled_at__isnull=True)
        .update(
            claimed_until=at + dt.timedelta(seconds=CLAIM_SECONDS),
            attempts=F("attempts") + 1,
            last_attempt_at=at,
        )
    )
    return claimed == 1


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 3xx is an answer, not somewhere to follow


_opener = urllib.request.build_opener(_NoRedirect)


@dataclass(frozen=True)
class Answer:
    status: int | None
    excerpt: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def document(delivery: Delivery) -> dict[str, object]:
    event = delivery.event
    return {
        "id": event.public_id,
        "type": event.name,
        "created": event.created.isoformat(),
        "data": event.payload,
    }


def post(delivery: Delivery) -> Answer:
    """POST the delivery's event to its endpoint, signed now (unless its host
    resolves into the machine's own network: then nothing is sent)."""
    endpoint = delivery.endpoint
    parts = urlsplit(endpoint.url)
    if reason := resolved_internal(parts.hostname or "", parts.port):
        return Answer(None, "", f"Not sent: {reason}"[:300])
    body = body_bytes(document(delivery))
    stamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - https (or local http) checked when registered
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Purei-Event-Id": delivery.event.public_id,
            "Purei-Event-Type": delivery.event.name,
            "Purei-Signature": signature_header(
                endpoint.signing_secrets(), body, stamp
            ),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            text = response.read(EXCERPT * 4).decode("utf-8", "replace")
            return Answer(response.status, text[:EXCERPT])
    except urllib.error.HTTPError as exc:
        text = exc.read(EXCERPT * 4).decode("utf-8", "replace") if exc.fp else ""
        return Answer(exc.code, text[:EXCERPT])
    except (OSError, ValueError) as exc:
        return Answer(None, "", f"{type(exc).__name__}: {exc}"[:300])


def delivery_record(
    delivery: Delivery, answer: Answer, *, now: dt.datetime | None = None
) -> Delivery:
    """Keep what the endpoint answered; succeed, schedule the next try, or fail."""
    at = now or timezone.now()
    fields: dict[str, object] = {
        "claimed_until": None,
        "last_status_code": answer.status,
        "response_excerpt": answer.excerpt,
        "error": answer.error,
        "updated_at": at,
    }
    if answer.ok:
        fields |= {"state": Delivery.State.SUCCEEDED, "next_attempt_at": None}
    else:
        retry = next_attempt(delivery.created_at, delivery.attempts, at)
        if retry is None:
            fields |= {"state": Delivery.State.FAILED, "next_attempt_at": None}
        else:
            fields |= {"next_attempt_at": retry}
    Delivery.objects.filter(pk=delivery.pk).update(**fields)
    delivery.refresh_from_db()
    return delivery


def delivery_attempt(delivery_id: int) -> Delivery | None:
    """One try of a due delivery (None when it is not due, or another worker has
    it). What a task runs."""
    if not delivery_claim(delivery_id):
        return None
    delivery = (
        Delivery.objects.select_related("endpoint", "event")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return None
    answer = post(delivery)
    if not answer.ok:
        logger.info(
            "webhook delivery %s: %s %s", delivery.pk, answer.status, answer.error
        )
    return delivery_record(delivery, answer)


def deliveries_due(*, now: dt.datetime | None = None, limit: int = 1000) -> list[int]:
    """Pending deliveries due and not claimed (or whose claim expired)."""
    at = now or timezone.now()
    return list(
        Delivery.objects.filter(_due(at), endpoint__disabled_at__isnull=True)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )

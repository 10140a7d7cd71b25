"""Trade quotes tell the cluster a request came in, and the cluster and each maker
with a part that a quote was accepted (its trade order)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from purei.core.events import DomainEvent, domain_event
from purei.trade.services.quotes import quote_accept
from purei.trade.tests.test_quotes import (  # the trade tests' own fixtures
    account,
    ask,
    makers,
    quoted,
    rate,
)

pytestmark = pytest.mark.django_db
__all__ = ["account", "makers", "quoted", "rate"]


@pytest.fixture
def heard() -> Iterator[list[DomainEvent]]:
    events: list[DomainEvent] = []

    def listen(sender: str, *, event: DomainEvent, **kwargs: Any) -> None:
        events.append(event)

    domain_event.connect(listen, dispatch_uid="test-quote-heard")
    yield events
    domain_event.disconnect(dispatch_uid="test-quote-heard")


def test_a_request_for_quote_tells_the_cluster(
    trade_buyer, account, makers, cluster_x, heard, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(trade_buyer, account, makers)
    # then
    assert [(e.name, e.cluster_id, e.member_id) for e in heard] == [
        ("quote.requested", cluster_x.pk, None)
    ]
    assert heard[0].payload["request"] == request.number


def test_accepting_tells_the_cluster_and_each_maker_its_part(
    quoted, trade_buyer, makers, heard, django_capture_on_commit_callbacks
):
    # given
    heard.clear()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        quote_accept(actor=trade_buyer, quote=quoted)
    # then
    accepted = [e for e in heard if e.name == "quote.accepted"]
    members = {e.member_id for e in accepted}
    assert members == {None} | {m["member"].pk for m in makers.values()}
    for event in accepted:
        if event.member_id is not None:
            assert event.payload["member_id"] == event.member_id

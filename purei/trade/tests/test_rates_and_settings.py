import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.trade.selectors import (
    cluster_trade_settings,
    exchange_rate_history,
    exchange_rates_current,
)
from purei.trade.services import cluster_trade_settings_set, exchange_rate_record

pytestmark = pytest.mark.django_db


def test_the_newest_rate_of_each_currency_is_in_use(cluster_x_admin, cluster_x):
    # given
    earlier = timezone.now() - dt.timedelta(days=2)
    exchange_rate_record(
        actor=cluster_x_admin,
        cluster=cluster_x,
        currency="AUD",
        rate="0.9000",
        source="RBNZ",
        as_of=earlier,
    )
    newest = exchange_rate_record(
        actor=cluster_x_admin,
        cluster=cluster_x,
        currency="AUD",
        rate=" 0.912500 ",
        source="RBNZ",
    )
    usd = exchange_rate_record(
        actor=cluster_x_admin,
        cluster=cluster_x,
        currency="USD",
        rate=Decimal("0.5875"),
        source="RBNZ",
    )
    # when
    current = exchange_rates_current(cluster_x)
    # then
    assert current == {"AUD": newest, "USD": usd}
    assert newest.rate == Decimal("0.9125")
    assert len(exchange_rate_history(cluster_x)) == 3
    entry = AuditEntry.objects.filter(verb="trade.exchange_rate_recorded").first()
    assert entry is not None
    assert entry.cluster_id == cluster_x.pk


def test_another_clusters_rates_are_its_own(cluster_x_admin, cluster_x, cluster_y):
    # given
    exchange_rate_record(
        actor=cluster_x_admin,
        cluster=cluster_x,
        currency="AUD",
        rate="0.91",
        source="RBNZ",
    )
    # then
    assert exchange_rates_current(cluster_y) == {}


@pytest.mark.parametrize(
    ("currency", "rate", "source", "as_of", "field"),
    [
        ("NZD", "1", "RBNZ", None, "currency"),
        ("EUR", "0.5", "RBNZ", None, "currency"),
        ("AUD", "abc", "RBNZ", None, "rate"),
        ("AUD", "NaN", "RBNZ", None, "rate"),
        ("AUD", "0", "RBNZ", None, "rate"),
        ("AUD", "-0.9", "RBNZ", None, "rate"),
        ("AUD", "0.91234567", "RBNZ", None, "rate"),
        ("AUD", "0.91", " ", None, "source"),
        ("AUD", "0.91", "=cmd()", None, "source"),
        ("AUD", "0.91", "RBNZ", timezone.now() + dt.timedelta(days=1), "as_of"),
    ],
)
def test_a_rate_is_checked(
    cluster_x_admin, cluster_x, currency, rate, source, as_of, field
):
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        exchange_rate_record(
            actor=cluster_x_admin,
            cluster=cluster_x,
            currency=currency,
            rate=rate,
            source=source,
            as_of=as_of,
        )
    assert field in refused.value.errors


@pytest.mark.parametrize(
    "who", ["cluster_y_admin", "member_a_owner", "platform_staff", "trade_buyer"]
)
def test_only_the_clusters_admins_record_rates_and_settings(who, request, cluster_x):
    # given
    actor = request.getfixturevalue(who)
    # when / then
    with pytest.raises(NotPermitted):
        exchange_rate_record(
            actor=actor, cluster=cluster_x, currency="AUD", rate="0.9", source="x"
        )
    with pytest.raises(NotPermitted):
        cluster_trade_settings_set(
            actor=actor, cluster=cluster_x, min_first_order_cents=80_000
        )


def test_the_minimum_first_order_is_set_and_audited(cluster_x_admin, cluster_x):
    # given
    assert cluster_trade_settings(cluster_x).min_first_order_cents == 0
    # when
    cluster_trade_settings_set(
        actor=cluster_x_admin, cluster=cluster_x, min_first_order_cents=80_000
    )
    # then
    assert cluster_trade_settings(cluster_x).min_first_order_cents == 80_000
    entry = AuditEntry.objects.get(verb="trade.settings_changed")
    assert entry.after == {"min_first_order_cents": 80_000}
    with pytest.raises(ValidationFailed):
        cluster_trade_settings_set(
            actor=cluster_x_admin, cluster=cluster_x, min_first_order_cents=-1
        )

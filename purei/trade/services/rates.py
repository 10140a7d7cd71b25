"""Exchange rates: a cluster's admins record the rate they use for each currency,
with its source and time (domain-nz.md §2: one FX source, kept to consistently).
Rows are never changed; a new rate is a new row, and the newest is in use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.au_gst import cluster_aud_rate_note
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.csv_safe import formula_start_message, starts_like_formula
from purei.core.errors import NotPermitted, ValidationFailed
from purei.trade.models import FOREIGN_CURRENCIES, ExchangeRate

from .accounts import TradeErrorCode

# A sane band for a rate per NZ$1 (AUD and USD have stayed well inside it).
RATE_MIN = Decimal("0.01")
RATE_MAX = Decimal("1000")


@transaction.atomic
def exchange_rate_record(
    *,
    actor: Actor,
    cluster: Cluster,
    currency: str,
    rate: Decimal | str,
    source: str,
    as_of: dt.datetime | None = None,
) -> ExchangeRate:
    """Record that NZ$1 buys ``rate`` ``currency`` (AUD or USD), from ``source``,
    as at ``as_of`` (now when not given; never in the future). Cluster admins only."""
    if not actor.is_cluster_admin(cluster.pk):
        raise NotPermitted(
            TradeErrorCode.NOT_ADMIN, _("Only the cluster's admins record rates.")
        )
    errors: dict[str, list[str]] = {}
    if currency not in FOREIGN_CURRENCIES:
        errors["currency"] = [_("Choose AUD or USD.")]
    try:
        value = Decimal(str(rate).strip())
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        value = Decimal(0)
        errors["rate"] = [_("Give the rate as a number, like 0.9125.")]
    else:
        if not RATE_MIN <= value <= RATE_MAX:
            errors["rate"] = [
                _("Give how much one New Zealand dollar buys, like 0.9125.")
            ]
        elif value.as_tuple().exponent < -6:  # type: ignore[operator]
            errors["rate"] = [_("Give the rate to at most 6 decimal places.")]
    source = (source or "").strip()
    if not source:
        errors["source"] = [_("Say where the rate comes from, e.g. RBNZ.")]
    elif len(source) > 120:
        errors["source"] = [_("Keep the source to 120 characters.")]
    elif starts_like_formula(source):
        errors["source"] = [formula_start_message()]
    now = timezone.now()
    when = as_of or now
    if when > now + dt.timedelta(minutes=5):
        errors["as_of"] = [_("A rate can't be as at a time still to come.")]
    if errors:
        raise ValidationFailed(TradeErrorCode.INVALID_ACCOUNT, errors)
    row = ExchangeRate.objects.create(
        cluster=cluster,
        currency=currency,
        rate=value,
        source=source,
        as_of=when,
        recorded_by=actor.user,
    )
    if currency == "AUD":
        # Checkout (below trade) tests the A$1,000 limit of Australian GST at the
        # cluster's newest AUD rate: tell the cluster which one that is.
        newest = (
            ExchangeRate.objects.filter(cluster=cluster, currency="AUD")
            .order_by("-as_of", "-pk")
            .first()
        )
        if newest is not None:
            cluster_aud_rate_note(
                cluster_id=cluster.pk,
                rate=newest.rate,
                source=newest.source,
                as_of=newest.as_of,
            )
    audit_record(
        actor=actor,
        verb="trade.exchange_rate_recorded",
        target=row,
        cluster_id=cluster.pk,
        after={
            "currency": currency,
            "rate": str(value),
            "source": source,
            "as_of": when.isoformat(),
        },
    )
    return row

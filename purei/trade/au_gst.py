"""How near a cluster is to registering for Australian GST (domain-nz.md §2;
docs/trade.md "Australian GST on sales to consumers (LVIG)").

A business (here the cluster, as the platform its members sell through) must
register once its sales to Australian consumers reach **A$75,000 in 12 months**.
``au_gst_threshold_for`` adds up the cluster's paid retail orders delivered to
Australia over the last 12 months — goods and shipping, without any Australian
GST they carried, and less what was cancelled — and converts the NZD total to AUD
at the newest AUD rate the cluster recorded (``ExchangeRate``). With no AUD rate
recorded it assumes NZ$1 = A$1.00 (``FALLBACK_AUD_PER_NZD``), which overstates the
total, and says so. The trade settings screen shows it to the cluster's admins,
with a warning from 80 % of the threshold and a stronger one over it while the
cluster is not registered.

It lives in ``trade`` because the rates do; it reads orders (below).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.au_gst import (
    FALLBACK_AUD_PER_NZD,
    REGISTRATION_THRESHOLD_AUD_CENTS,
    au_gst_number_kind,
    au_gst_registered,
)
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.orders.models import Order
from purei.trade.fx import to_currency
from purei.trade.models import ExchangeRate

# A warning from this share of the threshold (per cent).
NEAR_PERCENT = 80
WINDOW = dt.timedelta(days=365)


@dataclass(frozen=True)
class AuThreshold:
    """A cluster's sales to Australian consumers over the last 12 months."""

    since: dt.datetime
    until: dt.datetime
    orders: int
    sales_nzd_cents: int
    sales_aud_cents: int
    threshold_aud_cents: int
    rate: Decimal  # AUD per NZ$1
    rate_source: str
    rate_as_of: dt.datetime | None
    rate_assumed: bool  # no AUD rate recorded: the fixed stand-in
    registered: bool
    au_gst_number: str
    registered_on: dt.date | None

    @property
    def percent(self) -> int:
        """How much of the threshold is reached, in whole per cent (rounded down)."""
        return self.sales_aud_cents * 100 // self.threshold_aud_cents

    @property
    def level(self) -> str:
        """ "over" (reached, not registered), "near" (from 80 %, not registered),
        "registered" or "ok"."""
        if self.registered:
            return "registered"
        if self.sales_aud_cents >= self.threshold_aud_cents:
            return "over"
        if self.percent >= NEAR_PERCENT:
            return "near"
        return "ok"

    @property
    def number_kind(self) -> str:
        return au_gst_number_kind(self.au_gst_number)


def _newest_aud(cluster: Cluster) -> ExchangeRate | None:
    return (
        ExchangeRate.objects.filter(cluster=cluster, currency="AUD")
        .order_by("-as_of", "-pk")
        .first()
    )


def au_gst_threshold_for(
    *, actor: Actor, cluster: Cluster, now: dt.datetime | None = None
) -> AuThreshold:
    """The cluster's sales to Australian consumers over the 12 months to ``now``
    in AUD, against the A$75,000 threshold. Its admins and platform staff only
    (``Http404`` for anyone else). Two queries."""
    if not (actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)):
        raise Http404(_("No cluster you manage lives at this address."))
    now = now or timezone.now()
    since = now - WINDOW
    sums = (
        Order.objects.filter(
            cluster=cluster,
            country="AU",
            status=Order.Status.PAID,
            paid_at__gt=since,
            paid_at__lte=now,
        )
        .exclude(payment_state=Order.PaymentState.REFUNDED)
        .aggregate(
            value=Sum(F("total_cents") - F("au_gst_cents")),
            count=Count("pk"),
        )
    )
    nzd = int(sums["value"] or 0)
    newest = _newest_aud(cluster)
    rate = Decimal(newest.rate) if newest is not None else FALLBACK_AUD_PER_NZD
    return AuThreshold(
        since=since,
        until=now,
        orders=int(sums["count"] or 0),
        sales_nzd_cents=nzd,
        sales_aud_cents=to_currency(nzd, rate),
        threshold_aud_cents=REGISTRATION_THRESHOLD_AUD_CENTS,
        rate=rate,
        rate_source=newest.source if newest is not None else "",
        rate_as_of=newest.as_of if newest is not None else None,
        rate_assumed=newest is None,
        registered=au_gst_registered(cluster, timezone.localdate(now)),
        au_gst_number=cluster.au_gst_number,
        registered_on=cluster.au_gst_registered_on,
    )

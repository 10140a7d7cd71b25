"""A cluster's Australian GST registration and the AUD rate checkout uses
(domain-nz.md §2; docs/trade.md "Australian GST on sales to consumers (LVIG)").

A cluster that sells to Australian consumers is, as the operator of an electronic
distribution platform, the one liable for Australian GST on low-value imported
goods once its sales to them reach A$75,000 in 12 months. It registers with an
ABN, or with the 12-digit ARN of the ATO's simplified registration for
non-residents. Its admins record the number and the date on the money screen
(``cluster_brand_update``, audited as ``cluster.money_updated``); from that date,
checkout charges AU GST on eligible orders to Australia.

Checkout (in ``orders``, below ``trade``) converts NZD to AUD for the A$1,000 test
at the newest AUD rate the cluster recorded; the trade app's rate service tells
this app that rate with plain values (``cluster_aud_rate_note``). With no rate
recorded, ``FALLBACK_AUD_PER_NZD`` is assumed and the screens say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from purei.core.validators import FormatError, abn_normalise

from .models import Cluster

ARN_LENGTH = 12
# With no AUD rate recorded: NZ$1 = A$1.00. The New Zealand dollar has rarely been
# worth as much as the Australian one, so this overstates sales in AUD: the
# A$75,000 threshold is reached early rather than late. It is a stand-in only:
# record a rate on the trade settings screen to test the A$1,000 limit properly.
FALLBACK_AUD_PER_NZD = Decimal("1.00")
# The LVIG limit (customs value, goods only) and the registration threshold, in
# AUD cents.
LVIG_LIMIT_AUD_CENTS = 1_000_00
REGISTRATION_THRESHOLD_AUD_CENTS = 75_000_00


def au_gst_number_normalise(value: str) -> str:
    """An Australian GST registration as its digits: an ABN (11 digits, with its
    check digits) or an ARN (12 digits, the simplified registration for
    non-residents). ``FormatError`` when it is neither."""
    digits = "".join(value.split()).replace("-", "")
    if len(digits) == ARN_LENGTH:
        if not digits.isascii() or not digits.isdigit():
            raise FormatError("arn_format", _("An ARN has only digits: 12 of them."))
        return digits
    if len(digits) not in (11, ARN_LENGTH):
        raise FormatError(
            "au_gst_number_length",
            _(
                "Give an ABN (11 digits) or an ARN (12 digits, the simplified "
                "registration for non-residents); this one has %(count)s."
            )
            % {"count": len(digits)},
        )
    return abn_normalise(digits)


def au_gst_number_kind(digits: str) -> str:
    """ "ARN" or "ABN" (by length), or "" for none."""
    if not digits:
        return ""
    return "ARN" if len(digits) == ARN_LENGTH else "ABN"


def au_gst_registered(cluster: Cluster, on: dt.date) -> bool:
    """Whether ``cluster`` is registered for Australian GST on ``on``."""
    return bool(
        cluster.au_gst_number
        and cluster.au_gst_registered_on is not None
        and cluster.au_gst_registered_on <= on
    )


@dataclass(frozen=True)
class AudRate:
    """AUD per NZ$1, where it came from, and whether it is the fixed stand-in."""

    rate: Decimal
    source: str
    as_of: dt.datetime | None
    assumed: bool


def aud_rate_for(cluster: Cluster) -> AudRate:
    """The AUD rate checkout uses for ``cluster``: its newest recorded AUD rate,
    else the fixed stand-in."""
    if cluster.aud_rate is not None:
        return AudRate(
            rate=Decimal(cluster.aud_rate),
            source=cluster.aud_rate_source,
            as_of=cluster.aud_rate_as_of,
            assumed=False,
        )
    return AudRate(
        rate=FALLBACK_AUD_PER_NZD,
        source=_("assumed NZ$1 = A$1.00 (no AUD rate recorded)"),
        as_of=None,
        assumed=True,
    )


def cluster_aud_rate_note(
    *,
    cluster_id: int,
    rate: Decimal | None,
    source: str,
    as_of: dt.datetime | None,
) -> None:
    """Keep the cluster's newest AUD rate (called by the trade app's rate service
    in its transaction, which checks scope and records the audit row)."""
    Cluster.objects.filter(pk=cluster_id).update(
        aud_rate=rate, aud_rate_source=source[:120], aud_rate_as_of=as_of
    )

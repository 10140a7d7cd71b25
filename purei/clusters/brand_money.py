"""A cluster's money settings: who sells (agent or reseller), the lead
organisation's GST details, the commission rate, the price split and its
Australian GST registration (``au_gst``). Changed by
``cluster_brand_update`` with the brand, audited apart as ``cluster.money_updated``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from purei.core.validators import FormatError, ird_number_normalise

from .au_gst import au_gst_number_normalise
from .models import Cluster, SellingModel

if TYPE_CHECKING:
    from .brand import BrandChanges

# Who sells and what the shop says about money (issue 6): changed by the same
# service, audited apart as ``cluster.money_updated``.
MONEY_FIELDS = (
    "selling_model",
    "lead_org_gst_registered",
    "lead_org_gst_number",
    "lead_org_address",
    "show_price_split",
    "au_gst_number",
    "au_gst_registered_on",
)
LEAD_ORG_ADDRESS_MAX = 300
COMMISSION_STEP = Decimal("0.01")


def _commission_from(value: Any) -> tuple[Decimal | None, list[str]]:
    message = _(
        "Give the commission as a percentage from 0 to 100 with at most two "
        "decimal places, e.g. 12.5."
    )
    if isinstance(value, bool) or value is None or value == "":
        return None, [message]
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None, [message]
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        return None, [message]
    if number != number.quantize(COMMISSION_STEP):
        return None, [message]
    return number.quantize(COMMISSION_STEP), []


def commission_from(value: Any) -> tuple[Decimal | None, list[str]]:
    """A commission rate as typed or sent: (the rate to two decimals, []) or
    (None, [message]) when it is not a percentage from 0 to 100."""
    return _commission_from(value)


def _add(errors: dict[str, list[str]], field: str, messages: list[str]) -> None:
    if messages:
        errors.setdefault(field, []).extend(messages)


def money_apply(
    cluster: Cluster, changes: BrandChanges, errors: dict[str, list[str]]
) -> None:
    """Set the money settings sent in ``changes`` on ``cluster``, adding the
    messages for any at fault to ``errors``."""
    sent = changes.sent
    if "selling_model" in sent:
        value = str(changes.selling_model or "")
        if value in SellingModel.values:
            cluster.selling_model = value
        else:
            _add(
                errors,
                "selling_model",
                [
                    _(
                        "Choose who sells: each member as supplier, or the lead "
                        "organisation."
                    )
                ],
            )
    for field in ("lead_org_gst_registered", "show_price_split"):
        if field in sent:
            value = getattr(changes, field)
            if isinstance(value, bool):
                setattr(cluster, field, value)
            else:
                _add(errors, field, [_("Choose yes or no.")])
    if "lead_org_address" in sent:
        address = " ".join(str(changes.lead_org_address or "").split())
        if len(address) > LEAD_ORG_ADDRESS_MAX:
            _add(
                errors,
                "lead_org_address",
                [
                    _("Keep it to %(max)s characters (it has %(length)s).")
                    % {"max": LEAD_ORG_ADDRESS_MAX, "length": len(address)}
                ],
            )
        cluster.lead_org_address = address
    if "lead_org_gst_number" in sent:
        raw = str(changes.lead_org_gst_number or "").strip()
        if not raw:
            cluster.lead_org_gst_number = ""
        else:
            try:
                cluster.lead_org_gst_number = ird_number_normalise(raw)
            except FormatError as exc:
                _add(errors, "lead_org_gst_number", [exc.message])
    if "lead_org_gst_registered" in sent or "lead_org_gst_number" in sent:
        if not cluster.lead_org_gst_registered:
            cluster.lead_org_gst_number = ""  # not registered: no GST number
        elif not cluster.lead_org_gst_number and "lead_org_gst_number" not in errors:
            _add(
                errors,
                "lead_org_gst_number",
                [
                    _(
                        "Give the lead organisation's GST number (the IRD number it "
                        "is registered under), or untick “registered for GST”."
                    )
                ],
            )
    _au_gst_apply(cluster, changes, errors)


def _date_from(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _au_gst_apply(
    cluster: Cluster, changes: BrandChanges, errors: dict[str, list[str]]
) -> None:
    """The Australian GST registration: an ABN or ARN and the date it took
    effect, both or neither (clearing the number clears the date)."""
    sent = changes.sent
    if "au_gst_number" in sent:
        raw = str(changes.au_gst_number or "").strip()
        if not raw:
            cluster.au_gst_number = ""
        else:
            try:
                cluster.au_gst_number = au_gst_number_normalise(raw)
            except FormatError as exc:
                _add(errors, "au_gst_number", [exc.message])
    if "au_gst_registered_on" in sent:
        raw_date = changes.au_gst_registered_on
        if raw_date in (None, ""):
            cluster.au_gst_registered_on = None
        else:
            date = _date_from(raw_date)
            if date is None or date.year < 2000:
                _add(
                    errors,
                    "au_gst_registered_on",
                    [_("Give the date as a date, e.g. 2026-07-01.")],
                )
            else:
                cluster.au_gst_registered_on = date
    if not ({"au_gst_number", "au_gst_registered_on"} & sent) or (
        "au_gst_number" in errors or "au_gst_registered_on" in errors
    ):
        return
    if not cluster.au_gst_number:
        cluster.au_gst_registered_on = None  # not registered: no date
    elif cluster.au_gst_registered_on is None:
        _add(
            errors,
            "au_gst_registered_on",
            [_("Give the date the registration took effect, or clear the ABN or ARN.")],
        )

"""Levies: membership fees billed to the cluster's approved members, annual or
monthly, flat or by turnover band, booked in the ledger as they are billed
(docs/cooperation.md "Levies")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.cooperation.allocation import levy_amount
from purei.cooperation.errors import CooperationErrorCode
from purei.cooperation.models import Levy, LevyBand, LevyBill, Settlement
from purei.cooperation.selectors import Access
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.ledger.selectors import member_sales_cents
from purei.ledger.services.member_charges import (
    member_charge_offset_post,
    member_charge_paid_post,
    member_charge_post,
)

from .common import add_error, raise_if, text
from .group_buys import _cents, approved_member_ids


def _require_admin(access: Access) -> None:
    if not access.is_admin:
        raise NotPermitted(
            CooperationErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins manage levies."),
        )


@dataclass(frozen=True)
class LevyInput:
    """Money is cents when an ``int``, price text when a ``str``."""

    name: str = ""
    period: str = ""
    basis: str = ""
    amount: int | str = 0
    due_days: int | str = 30
    bands: Sequence[tuple[int | str, int | str]] = field(default_factory=tuple)


@transaction.atomic
def levy_create(*, actor: Actor, access: Access, details: LevyInput) -> Levy:
    _require_admin(access)
    errors: dict[str, list[str]] = {}
    name = text(details.name)
    if not name:
        add_error(errors, "name", _("Name the levy."))
    if details.period not in Levy.Period.values:
        add_error(errors, "period", _("Choose annual or monthly."))
    if details.basis not in Levy.Basis.values:
        add_error(errors, "basis", _("Choose flat or by turnover band."))
    amount = _cents(details.amount, "amount", errors)
    try:
        due_days = int(text(details.due_days) or 30)
    except ValueError:
        due_days = -1
    if not 0 <= due_days <= 365:
        add_error(errors, "due_days", _("Give 0 to 365 days."))
    bands: list[tuple[int, int]] = []
    for minimum, price in details.bands:
        if not text(minimum) and not text(price):
            continue
        bands.append((_cents(minimum, "bands", errors), _cents(price, "bands", errors)))
    if details.basis == Levy.Basis.FLAT and amount <= 0:
        add_error(errors, "amount", _("Give the amount every member pays."))
    if details.basis == Levy.Basis.TURNOVER:
        if not bands:
            add_error(errors, "bands", _("Give at least one turnover band."))
        if len({b[0] for b in bands}) != len(bands):
            add_error(errors, "bands", _("Each band starts at a different turnover."))
    raise_if(errors, CooperationErrorCode.INVALID_LEVY)
    levy = Levy.objects.create(
        cluster=access.cluster,
        name=name[:120],
        period=details.period,
        basis=details.basis,
        amount_cents=amount if details.basis == Levy.Basis.FLAT else 0,
        due_days=due_days,
        created_by=actor.user,
    )
    if details.basis == Levy.Basis.TURNOVER:
        LevyBand.objects.bulk_create(
            LevyBand(levy=levy, min_turnover_cents=m, amount_cents=a)
            for m, a in sorted(bands)
        )
    audit_record(
        actor=actor,
        verb="levy.created",
        target=levy,
        cluster_id=access.cluster.pk,
        after={"name": levy.name, "basis": levy.basis, "amount": levy.amount_cents},
    )
    return levy


def period_of(levy: Levy, day: dt.date) -> tuple[dt.date, dt.date]:
    """The billing period containing ``day``: its first day and the first day
    after it (a calendar year or month)."""
    if levy.period == Levy.Period.ANNUAL:
        return dt.date(day.year, 1, 1), dt.date(day.year + 1, 1, 1)
    start = dt.date(day.year, day.month, 1)
    after = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return start, after


def _turnover_window(levy: Levy, start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period before ``start`` (the turnover a band reads), NZ time."""
    if levy.period == Levy.Period.ANNUAL:
        before = dt.date(start.year - 1, 1, 1)
    else:
        before = dt.date(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 1)
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(before, dt.time.min, tzinfo=zone),
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
    )


@transaction.atomic
def levy_bill(
    *, actor: Actor, access: Access, levy: Levy, day: dt.date | None = None
) -> list[LevyBill]:
    """Bill every approved member its levy for the period containing ``day``
    (today by default), booked as owed by the member (``member_receivable``).
    A member already billed for the period is left as it is, so billing twice
    bills once. Returns the bills made now."""
    _require_admin(access)
    if levy.cluster_id != access.cluster.pk:
        raise NotPermitted(CooperationErrorCode.NOT_CLUSTER_ADMIN, _("Not yours."))
    today = day or timezone.localdate()
    start, _after = period_of(levy, today)
    bands = list(levy.bands.values_list("min_turnover_cents", "amount_cents"))
    window = _turnover_window(levy, start)
    already = set(
        LevyBill.objects.filter(levy=levy, period_start=start).values_list(
            "member_id", flat=True
        )
    )
    now = timezone.now()
    made: list[LevyBill] = []
    for member_id in approved_member_ids(levy.cluster_id):
        if member_id in already:
            continue
        turnover = (
            member_sales_cents(member_id, levy.cluster_id, *window) if bands else None
        )
        amount = levy_amount(
            flat_cents=levy.amount_cents, bands=bands, turnover_cents=turnover
        )
        if amount <= 0:
            continue
        bill = LevyBill.objects.create(
            levy=levy,
            member_id=member_id,
            period_start=start,
            turnover_cents=turnover,
            amount_cents=amount,
            due_on=today + dt.timedelta(days=levy.due_days),
            settle_by=Settlement.CHARGED,
        )
        member_charge_post(
            cluster_id=levy.cluster_id,
            member_id=member_id,
            amount_cents=amount,
            charge_for="levy",
            offset=False,
            key=f"levy:{bill.pk}",
            description=bill_description(bill),
            occurred_at=now,
            created_by=actor.user,
        )
        made.append(bill)
    audit_record(
        actor=actor,
        verb="levy.billed",
        target=levy,
        cluster_id=levy.cluster_id,
        after={
            "period_start": start.isoformat(),
            "bills": [[b.member_id, b.amount_cents] for b in made],
        },
    )
    return made


def bill_description(bill: LevyBill) -> str:
    return _("Levy %(name)s from %(start)s") % {
        "name": bill.levy.name,
        "start": bill.period_start.isoformat(),
    }


def _open_bill(access: Access, bill: LevyBill) -> LevyBill:
    locked = LevyBill.objects.select_for_update().select_related("levy").get(pk=bill.pk)
    if locked.levy.cluster_id != access.cluster.pk or locked.settled:
        raise ValidationFailed(
            CooperationErrorCode.ALREADY_SETTLED,
            {"bill": [_("This levy is not waiting to be paid.")]},
        )
    return locked


@transaction.atomic
def levy_payment_record(*, actor: Actor, access: Access, bill: LevyBill) -> LevyBill:
    """An admin records a levy paid by bank transfer."""
    _require_admin(access)
    locked = _open_bill(access, bill)
    now = timezone.now()
    member_charge_paid_post(
        cluster_id=access.cluster.pk,
        amount_cents=locked.amount_cents,
        key=f"levy-paid:{locked.pk}",
        description=_("Paid by bank transfer: %(what)s")
        % {"what": bill_description(locked)},
        occurred_at=now,
        created_by=actor.user,
    )
    locked.paid_at = now
    locked.recorded_by = actor.user
    locked.save(update_fields=["paid_at", "recorded_by", "updated_at"])
    audit_record(
        actor=actor,
        verb="levy.paid",
        target=locked.levy,
        cluster_id=access.cluster.pk,
        member_id=locked.member_id,
        after={"amount_cents": locked.amount_cents},
    )
    return locked


@transaction.atomic
def levy_offset(*, actor: Actor, access: Access, bill: LevyBill) -> LevyBill:
    """The member's owners set an unpaid levy against its next payout."""
    if not actor.is_member_owner(bill.member_id) or (
        bill.member_id not in access.member_ids
    ):
        raise NotPermitted(
            CooperationErrorCode.NOT_MEMBER_OWNER,
            _("Only the business's owners choose how it pays."),
        )
    locked = _open_bill(access, bill)
    now = timezone.now()
    member_charge_offset_post(
        cluster_id=access.cluster.pk,
        member_id=locked.member_id,
        amount_cents=locked.amount_cents,
        key=f"levy-offset:{locked.pk}",
        description=bill_description(locked),
        occurred_at=now,
        created_by=actor.user,
    )
    locked.offset_at = now
    locked.settle_by = Settlement.OFFSET
    locked.save(update_fields=["offset_at", "settle_by", "updated_at"])
    audit_record(
        actor=actor,
        verb="levy.offset",
        target=locked.levy,
        cluster_id=access.cluster.pk,
        member_id=locked.member_id,
        after={"amount_cents": locked.amount_cents},
    )
    return locked

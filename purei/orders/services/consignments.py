"""A consignment: an order's parts brought to one consolidation point and sent on
as one (ADR 0010) — its packages, and the proof that it left New Zealand.

The cluster's admins run it (platform staff read): they name the consolidation
point, list the packages (what the packing list will say of each), and record that
it left — the carrier, the waybill or bill of lading, the date. An export's
zero-rating rests on that evidence, and on the goods leaving within 28 days of the
time of supply (domain-nz.md §1.4): ``export_warnings`` says when either is at
risk, and when the order needs an NZ Customs export entry (FOB over NZ$1,000).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.csv_safe import formula_start_message, starts_like_formula
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.orders.errors import OrderErrorCode
from purei.orders.models import Consignment, ConsignmentPackage, Order

MAX_PACKAGES = 50
EXPORT_ENTRY_OVER_CENTS = 100_000  # FOB over NZ$1,000 needs an export entry
LEAVE_WITHIN_DAYS = 28  # an export must leave within 28 days of supply


class ConsignmentClosed(DomainError):
    status = 409


@dataclass(frozen=True)
class PackageInput:
    kind: str
    contents: str
    length_mm: int
    width_mm: int
    height_mm: int
    net_weight_grams: int
    gross_weight_grams: int
    marks: str = ""


def _require_admin(actor: Actor, order: Order) -> None:
    if not actor.is_cluster_admin(order.cluster_id):
        raise NotPermitted(
            OrderErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins run its consignments."),
        )


def _text(
    errors: dict[str, list[str]], name: str, value: str, limit: int, *, required: bool
) -> str:
    value = (value or "").strip()
    if required and not value:
        errors.setdefault(name, []).append(_("Fill this in."))
    elif len(value) > limit:
        errors.setdefault(name, []).append(
            _("Keep it to %(max)s characters.") % {"max": limit}
        )
    elif starts_like_formula(value):
        errors.setdefault(name, []).append(formula_start_message())
    return value


def _gathering(order: Order) -> Consignment:
    consignment = Consignment.objects.select_for_update().filter(order=order).first()
    if consignment is None:
        raise ConsignmentClosed(
            OrderErrorCode.INVALID_CONSIGNMENT,
            _("Name the consolidation point first."),
        )
    if consignment.status != Consignment.Status.GATHERING:
        raise ConsignmentClosed(
            OrderErrorCode.CONSIGNMENT_LEFT,
            _("This consignment has left: it can't change."),
        )
    return consignment


@transaction.atomic
def consignment_open(
    *, actor: Actor, order: Order, consolidation_point: str, notes: str = ""
) -> Consignment:
    """Name (or rename) where the order's parts are brought together."""
    _require_admin(actor, order)
    errors: dict[str, list[str]] = {}
    point = _text(
        errors, "consolidation_point", consolidation_point, 200, required=True
    )
    note = _text(errors, "notes", notes, 2000, required=False)
    if errors:
        raise ValidationFailed(OrderErrorCode.INVALID_CONSIGNMENT, errors)
    consignment = Consignment.objects.select_for_update().filter(order=order).first()
    if consignment is not None and consignment.status != Consignment.Status.GATHERING:
        raise ConsignmentClosed(
            OrderErrorCode.CONSIGNMENT_LEFT,
            _("This consignment has left: it can't change."),
        )
    if consignment is None:
        consignment = Consignment(order=order)
    consignment.consolidation_point = point
    consignment.notes = note
    consignment.save()
    audit_record(
        actor=actor,
        verb="consignment.opened",
        target=consignment,
        cluster_id=order.cluster_id,
        after={"order": order.number, "consolidation_point": point},
    )
    return consignment


@transaction.atomic
def consignment_packages_set(
    *, actor: Actor, order: Order, packages: Sequence[PackageInput]
) -> list[ConsignmentPackage]:
    """Replace the consignment's packages (while it gathers)."""
    _require_admin(actor, order)
    consignment = _gathering(order)
    errors: dict[str, list[str]] = {}
    if not packages:
        errors["packages"] = [_("List at least one package.")]
    if len(packages) > MAX_PACKAGES:
        errors["packages"] = [_("At most 50 packages.")]
    rows = []
    for index, package in enumerate(packages):
        name = f"packages.{index}"
        if package.kind not in ConsignmentPackage.Kind.values:
            errors.setdefault(f"{name}.kind", []).append(_("Choose the kind."))
        contents = _text(
            errors, f"{name}.contents", package.contents, 300, required=True
        )
        marks = _text(errors, f"{name}.marks", package.marks, 120, required=False)
        for field in (
            "length_mm",
            "width_mm",
            "height_mm",
            "net_weight_grams",
            "gross_weight_grams",
        ):
            value = getattr(package, field)
            if not 0 < value <= 100_000_000:
                errors.setdefault(f"{name}.{field}", []).append(
                    _("Give a number above 0.")
                )
        if package.gross_weight_grams < package.net_weight_grams:
            errors.setdefault(f"{name}.gross_weight_grams", []).append(
                _("The gross weight includes the packing: it is at least the net.")
            )
        rows.append(
            ConsignmentPackage(
                consignment=consignment,
                position=index,
                kind=package.kind,
                contents=contents,
                marks=marks,
                length_mm=package.length_mm,
                width_mm=package.width_mm,
                height_mm=package.height_mm,
                net_weight_grams=package.net_weight_grams,
                gross_weight_grams=package.gross_weight_grams,
            )
        )
    if errors:
        raise ValidationFailed(OrderErrorCode.INVALID_CONSIGNMENT, errors)
    consignment.packages.all().delete()
    made = ConsignmentPackage.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        verb="consignment.packages_set",
        target=consignment,
        cluster_id=order.cluster_id,
        after={
            "packages": len(made),
            "gross_weight_grams": sum(p.gross_weight_grams for p in made),
        },
    )
    return made


@transaction.atomic
def consignment_left(
    *,
    actor: Actor,
    order: Order,
    carrier: str,
    waybill: str,
    left_on: datetime.date,
) -> Consignment:
    """Record that the consignment left: the export evidence."""
    _require_admin(actor, order)
    consignment = _gathering(order)
    errors: dict[str, list[str]] = {}
    carrier = _text(errors, "carrier", carrier, 120, required=True)
    waybill = _text(errors, "waybill", waybill, 60, required=True)
    if left_on > timezone.localdate():
        errors["left_on"] = [_("It can't have left on a day still to come.")]
    if not consignment.packages.exists():
        errors["packages"] = [_("List its packages before it leaves.")]
    if errors:
        raise ValidationFailed(OrderErrorCode.INVALID_CONSIGNMENT, errors)
    consignment.carrier = carrier
    consignment.waybill = waybill
    consignment.left_on = left_on
    consignment.status = Consignment.Status.LEFT
    consignment.save()
    audit_record(
        actor=actor,
        verb="consignment.left",
        target=consignment,
        cluster_id=order.cluster_id,
        after={
            "order": order.number,
            "carrier": carrier,
            "waybill": waybill,
            "left_on": left_on.isoformat(),
        },
    )
    from purei.orders.tasks import consignment_left_notify

    transaction.on_commit(partial(consignment_left_notify.enqueue, order_id=order.pk))
    return consignment


def export_warnings(order: Order, today: datetime.date | None = None) -> list[str]:
    """What the cluster's admins must know about an export order now."""
    if not order.zero_rated:
        return []
    today = today or timezone.localdate()
    warnings = []
    if order.goods_cents > EXPORT_ENTRY_OVER_CENTS:
        warnings.append(
            _(
                "The goods are worth over NZ$1,000 FOB: lodge an NZ Customs export "
                "entry (at least 48 hours before loading by sea, 9 by air)."
            )
        )
    consignment = Consignment.objects.filter(order=order).first()
    left = consignment is not None and consignment.status == Consignment.Status.LEFT
    if order.paid_at is not None and not left:
        supplied = timezone.localtime(order.paid_at).date()
        deadline = supplied + datetime.timedelta(days=LEAVE_WITHIN_DAYS)
        if today > deadline:
            warnings.append(
                _(
                    "The goods have not left within 28 days of supply (by %(date)s): "
                    "zero-rating is at risk unless Inland Revenue extends the time."
                )
                % {"date": deadline.strftime("%-d %B %Y")}
            )
        else:
            warnings.append(
                _(
                    "Exported goods must leave within 28 days of supply: by "
                    "%(date)s, with the waybill or bill of lading kept as evidence."
                )
                % {"date": deadline.strftime("%-d %B %Y")}
            )
    return warnings

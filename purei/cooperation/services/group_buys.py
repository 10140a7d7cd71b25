"""Group buying (docs/cooperation.md "Group buying").

A member or an admin proposes a group buy; members commit quantities and may
change them until the deadline; at the deadline it closes (``purei
cooperation_close``, or an admin early): the target met, the tier price is fixed,
each commitment gets its share (the shared cost split by quantity, largest
remainder) and each share is booked in the ledger — against the member's next
payout or owed by it — in the transaction that closes it; the target missed, it
fails. Either way the members are told by email after commit.

Commitments are race-safe: the group buy's row is locked (``SELECT … FOR
UPDATE``) and its ``committed_quantity`` is changed by one conditional ``UPDATE``
that refuses to pass the cap, so two members taking the last units of a capped
lot at once never over-allocate it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from purei.cooperation.allocation import allocate, tier_price
from purei.cooperation.errors import CooperationErrorCode
from purei.cooperation.models import Commitment, GroupBuy, GroupBuyTier, Settlement
from purei.cooperation.selectors import Access
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.money import PriceInvalid, format_nzd, parse_price_cents
from purei.ledger.services.member_charges import (
    member_charge_offset_post,
    member_charge_paid_post,
    member_charge_post,
)
from purei.members.models import Member, Membership

from .common import acting_member, add_error, raise_if, text

MAX_TIERS = 6
MAX_QUANTITY = 1_000_000


@dataclass(frozen=True)
class GroupBuyInput:
    """A proposal. Money is cents when an ``int``, price text ("0.42") when a
    ``str``; quantities are whole numbers (or their text)."""

    kind: str = ""
    title: str = ""
    description: str = ""
    supplier: str = ""
    unit: str = ""
    target_quantity: int | str = ""
    cap: int | str | None = None
    deadline: dt.datetime | str | None = None
    arrangement: str = ""
    arrangement_details: str = ""
    shared_cost: int | str = 0
    tiers: Sequence[tuple[int | str, int | str]] = field(default_factory=tuple)
    member: str | int | None = None


def _quantity(
    value: Any, name: str, errors: dict[str, list[str]], *, required: bool = True
) -> int | None:
    raw = text(value)
    if not raw:
        if required:
            add_error(errors, name, _("Give a whole number."))
        return None
    try:
        number = int(raw)
    except ValueError:
        add_error(errors, name, _("Give a whole number."))
        return None
    if not 0 < number <= MAX_QUANTITY:
        add_error(
            errors, name, _("Give a number from 1 to %(n)s.") % {"n": MAX_QUANTITY}
        )
        return None
    return number


def _cents(value: Any, name: str, errors: dict[str, list[str]]) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            add_error(errors, name, _("Give an amount of at least $0.00."))
            return 0
        return value
    raw = text(value)
    if not raw:
        return 0
    try:
        return parse_price_cents(raw)
    except PriceInvalid:
        add_error(errors, name, _("Give an amount such as 0.42 or 120.00."))
        return 0


def _deadline(value: Any, errors: dict[str, list[str]]) -> dt.datetime | None:
    when: dt.datetime | None
    if isinstance(value, dt.datetime):
        when = value
    else:
        when = parse_datetime(text(value)) if text(value) else None
    if when is None:
        add_error(errors, "deadline", _("Give the deadline's date and time."))
        return None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when <= timezone.now():
        add_error(errors, "deadline", _("The deadline is in the future."))
    return when


def _tiers(
    rows: Sequence[tuple[int | str, int | str]],
    target: int | None,
    errors: dict[str, list[str]],
) -> list[tuple[int, int]]:
    tiers: list[tuple[int, int]] = []
    for minimum, price in rows:
        if not text(minimum) and not text(price):
            continue
        quantity = _quantity(minimum, "tiers", errors)
        cents = _cents(price, "tiers", errors)
        if quantity is not None and cents <= 0:
            add_error(errors, "tiers", _("Each tier has a unit price above $0.00."))
        if quantity is not None and cents > 0:
            tiers.append((quantity, cents))
    tiers.sort()
    if not tiers:
        add_error(errors, "tiers", _("Give at least one price tier."))
        return []
    if len(tiers) > MAX_TIERS:
        add_error(errors, "tiers", _("At most %(n)s tiers.") % {"n": MAX_TIERS})
    if len({minimum for minimum, _price in tiers}) != len(tiers):
        add_error(errors, "tiers", _("Each tier starts at a different quantity."))
    if any(b[1] > a[1] for a, b in itertools.pairwise(tiers)):
        add_error(errors, "tiers", _("A larger quantity never costs more a unit."))
    if target is not None and tiers[0][0] > target:
        add_error(
            errors, "tiers", _("The target reaches a tier: start one at or below it.")
        )
    return tiers


@transaction.atomic
def group_buy_propose(
    *, actor: Actor, access: Access, details: GroupBuyInput
) -> GroupBuy:
    """A member (for one of its businesses) or an admin (for the cluster)
    proposes a group buy, open for commitments until its deadline."""
    errors: dict[str, list[str]] = {}
    if details.kind not in GroupBuy.Kind.values:
        add_error(errors, "kind", _("Say what is bought together."))
    title = text(details.title)
    if not title:
        add_error(errors, "title", _("Give the group buy a title."))
    supplier = text(details.supplier)
    if not supplier:
        add_error(errors, "supplier", _("Name the supplier."))
    target = _quantity(details.target_quantity, "target_quantity", errors)
    cap = _quantity(details.cap, "cap", errors, required=False)
    if cap is not None and target is not None and cap < target:
        add_error(errors, "cap", _("The cap is at least the target."))
    deadline = _deadline(details.deadline, errors)
    if details.arrangement not in GroupBuy.Arrangement.values:
        add_error(errors, "arrangement", _("Say whether it is delivered or collected."))
    shared = _cents(details.shared_cost, "shared_cost", errors)
    tiers = _tiers(details.tiers, target, errors)
    member = None
    if not access.is_admin or text(details.member):
        member = acting_member(access, details.member, errors, required=True)
    raise_if(errors, CooperationErrorCode.INVALID_GROUP_BUY)
    assert target is not None  # noqa: S101 - checked
    assert deadline is not None  # noqa: S101 - checked
    group_buy = GroupBuy.objects.create(
        cluster=access.cluster,
        kind=details.kind,
        title=title[:160],
        description=text(details.description)[:5000],
        supplier=supplier[:200],
        unit=(text(details.unit) or "units")[:40],
        target_quantity=target,
        cap=cap,
        deadline=deadline,
        arrangement=details.arrangement,
        arrangement_details=text(details.arrangement_details)[:300],
        shared_cost_cents=shared,
        proposed_by=actor.user,
        proposer_member=member,
    )
    GroupBuyTier.objects.bulk_create(
        GroupBuyTier(group_buy=group_buy, min_quantity=q, unit_price_cents=p)
        for q, p in tiers
    )
    audit_record(
        actor=actor,
        verb="group_buy.proposed",
        target=group_buy,
        cluster_id=access.cluster.pk,
        member_id=member.pk if member else None,
        after={"title": group_buy.title, "target": target, "cap": cap},
    )
    return group_buy


def _refuse_closed(group_buy: GroupBuy, now: dt.datetime) -> None:
    if group_buy.status != GroupBuy.Status.OPEN or group_buy.deadline <= now:
        raise ValidationFailed(
            CooperationErrorCode.GROUP_BUY_CLOSED,
            {"quantity": [_("This group buy is closed: its deadline has passed.")]},
        )


@transaction.atomic
def commitment_set(
    *,
    actor: Actor,
    access: Access,
    group_buy: GroupBuy,
    quantity: int | str,
    settle_by: str = Settlement.OFFSET,
    member: str | int | None = None,
) -> Commitment | None:
    """A member commits ``quantity`` units (0: withdraws), or changes its
    commitment, until the deadline; and says how it will settle its share.
    Returns the commitment (None once withdrawn). Refuses what would pass the
    cap (``group_buy_over_cap``, saying how many are left)."""
    errors: dict[str, list[str]] = {}
    raw = text(quantity)
    try:
        wanted = int(raw)
    except ValueError:
        wanted = -1
    if not 0 <= wanted <= MAX_QUANTITY:
        add_error(errors, "quantity", _("Give a whole number of units (0 to leave)."))
    if settle_by not in Settlement.values:
        add_error(errors, "settle_by", _("Choose how you will pay your share."))
    business = acting_member(access, member, errors, required=True)
    raise_if(errors, CooperationErrorCode.INVALID_COMMITMENT)
    assert business is not None  # noqa: S101 - required=True
    now = timezone.now()
    # Every change of one group buy queues here (PostgreSQL; SQLite writes one
    # transaction at a time anyway).
    locked = GroupBuy.objects.select_for_update().get(pk=group_buy.pk)
    _refuse_closed(locked, now)
    current = Commitment.objects.filter(group_buy=locked, member=business).first()
    before = current.quantity if current else 0
    delta = wanted - before
    if delta:
        room = Q(cap__isnull=True) | Q(committed_quantity__lte=F("cap") - delta)
        changed = (
            GroupBuy.objects.filter(pk=locked.pk, status=GroupBuy.Status.OPEN)
            .filter(room)
            .update(committed_quantity=F("committed_quantity") + delta)
        )
        if changed == 0:
            left = max((locked.cap or 0) - locked.committed_quantity, 0)
            raise ValidationFailed(
                CooperationErrorCode.GROUP_BUY_OVER_CAP,
                {
                    "quantity": [
                        _("Only %(left)s %(unit)s are left in this lot.")
                        % {"left": left + before, "unit": locked.unit}
                    ]
                },
            )
    if wanted == 0:
        if current is not None:
            current.delete()
        result = None
    elif current is None:
        result = Commitment.objects.create(
            group_buy=locked,
            member=business,
            quantity=wanted,
            settle_by=settle_by,
            committed_by=actor.user,
        )
    else:
        current.quantity = wanted
        current.settle_by = settle_by
        current.committed_by = actor.user
        current.save(
            update_fields=["quantity", "settle_by", "committed_by", "updated_at"]
        )
        result = current
    audit_record(
        actor=actor,
        verb="group_buy.committed",
        target=locked,
        cluster_id=access.cluster.pk,
        member_id=business.pk,
        before={"quantity": before},
        after={"quantity": wanted, "settle_by": settle_by},
    )
    return result


def _may_close(actor: Actor, group_buy: GroupBuy, now: dt.datetime) -> None:
    if actor.is_system:
        if group_buy.deadline > now:
            raise ValidationFailed(
                CooperationErrorCode.GROUP_BUY_NOT_DUE,
                {"deadline": [_("Its deadline has not passed yet.")]},
            )
        return
    if not actor.is_cluster_admin(group_buy.cluster_id):
        raise NotPermitted(
            CooperationErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins close a group buy before its deadline."),
        )


def share_description(group_buy: GroupBuy, commitment: Commitment) -> str:
    """The words on the member's statement for its share."""
    words = _("Group buy %(title)s: %(quantity)s %(unit)s at %(price)s") % {
        "title": group_buy.title,
        "quantity": commitment.quantity,
        "unit": group_buy.unit,
        "price": format_nzd(group_buy.unit_price_cents),
    }
    if commitment.shared_cost_cents:
        words += _(" + %(share)s of the shared cost") % {
            "share": format_nzd(commitment.shared_cost_cents)
        }
    return words


@transaction.atomic
def group_buy_close(
    *, actor: Actor, group_buy: GroupBuy, now: dt.datetime | None = None
) -> GroupBuy:
    """Close a group buy: at its deadline (the system), or earlier (an admin).
    The target met: the tier price is fixed, each commitment's share allocated
    and booked in the ledger (keys ``group-buy:<id>:member:<member id>``); else
    it fails. Safe to run twice: a closed group buy is returned unchanged."""
    from purei.cooperation.tasks import group_buy_closed_notify

    now = now or timezone.now()
    locked = GroupBuy.objects.select_for_update().get(pk=group_buy.pk)
    if locked.status != GroupBuy.Status.OPEN:
        return locked
    _may_close(actor, locked, now)
    commitments = list(locked.commitments.order_by("pk"))
    total = sum(c.quantity for c in commitments)
    tiers = list(locked.tiers.values_list("min_quantity", "unit_price_cents"))
    price = tier_price(tiers, total)
    user = actor.user if actor.is_authenticated else None
    if total < locked.target_quantity or price is None or not commitments:
        locked.status = GroupBuy.Status.FAILED
    else:
        locked.status = GroupBuy.Status.ALLOCATED
        locked.unit_price_cents = price
        shares = allocate(
            [c.quantity for c in commitments], price, locked.shared_cost_cents
        )
        for commitment, share in zip(commitments, shares, strict=True):
            commitment.goods_cents = share.goods_cents
            commitment.shared_cost_cents = share.shared_cost_cents
            commitment.total_cents = share.total_cents
            commitment.save(
                update_fields=[
                    "goods_cents",
                    "shared_cost_cents",
                    "total_cents",
                    "updated_at",
                ]
            )
            if share.total_cents:
                member_charge_post(
                    cluster_id=locked.cluster_id,
                    member_id=commitment.member_id,
                    amount_cents=share.total_cents,
                    charge_for="group_buy",
                    offset=commitment.settle_by == Settlement.OFFSET,
                    key=f"group-buy:{locked.pk}:member:{commitment.member_id}",
                    description=share_description(locked, commitment),
                    occurred_at=now,
                    created_by=user,
                )
    locked.closed_at = now
    locked.save(update_fields=["status", "unit_price_cents", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        verb=f"group_buy.{locked.status}",
        target=locked,
        cluster_id=locked.cluster_id,
        after={
            "total": total,
            "unit_price_cents": locked.unit_price_cents,
            "shares": [[c.member_id, c.total_cents] for c in commitments],
        },
    )
    transaction.on_commit(
        partial(group_buy_closed_notify.enqueue, group_buy_id=locked.pk)
    )
    return locked


def group_buys_close_due(*, now: dt.datetime | None = None) -> list[GroupBuy]:
    """Close every open group buy whose deadline has passed (cron), each in its
    own transaction."""
    now = now or timezone.now()
    due = GroupBuy.objects.filter(status=GroupBuy.Status.OPEN, deadline__lte=now)
    return [
        group_buy_close(actor=Actor.system(), group_buy=gb, now=now)
        for gb in due.order_by("pk")
    ]


def _charged_share(access: Access, commitment: Commitment) -> Commitment:
    locked = (
        Commitment.objects.select_for_update()
        .select_related("group_buy")
        .get(pk=commitment.pk)
    )
    if (
        locked.group_buy.cluster_id != access.cluster.pk
        or locked.group_buy.status != GroupBuy.Status.ALLOCATED
        or locked.settle_by != Settlement.CHARGED
        or not locked.total_cents
        or locked.paid_at is not None
        or locked.offset_at is not None
    ):
        raise ValidationFailed(
            CooperationErrorCode.ALREADY_SETTLED,
            {"commitment": [_("This share is not waiting to be paid.")]},
        )
    return locked


@transaction.atomic
def share_payment_record(
    *, actor: Actor, access: Access, commitment: Commitment
) -> Commitment:
    """An admin records that a member paid its charged share by bank transfer
    (Dr clearing / Cr member receivable)."""
    if not access.is_admin:
        raise NotPermitted(
            CooperationErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins record payments."),
        )
    locked = _charged_share(access, commitment)
    now = timezone.now()
    assert locked.total_cents is not None  # noqa: S101 - checked above
    member_charge_paid_post(
        cluster_id=access.cluster.pk,
        amount_cents=locked.total_cents,
        key=f"group-buy-paid:{locked.pk}",
        description=_("Paid by bank transfer: %(what)s")
        % {"what": share_description(locked.group_buy, locked)},
        occurred_at=now,
        created_by=actor.user,
    )
    locked.paid_at = now
    locked.recorded_by = actor.user
    locked.save(update_fields=["paid_at", "recorded_by", "updated_at"])
    audit_record(
        actor=actor,
        verb="group_buy.share_paid",
        target=locked.group_buy,
        cluster_id=access.cluster.pk,
        member_id=locked.member_id,
        after={"amount_cents": locked.total_cents},
    )
    return locked


@transaction.atomic
def share_offset(*, actor: Actor, access: Access, commitment: Commitment) -> Commitment:
    """The member's owners set a charged share, not yet paid, against its next
    payout instead (Dr its payable / Cr member receivable)."""
    if not actor.is_member_owner(commitment.member_id) or (
        commitment.member_id not in access.member_ids
    ):
        raise NotPermitted(
            CooperationErrorCode.NOT_MEMBER_OWNER,
            _("Only the business's owners choose how it pays."),
        )
    locked = _charged_share(access, commitment)
    now = timezone.now()
    assert locked.total_cents is not None  # noqa: S101 - checked above
    member_charge_offset_post(
        cluster_id=access.cluster.pk,
        member_id=locked.member_id,
        amount_cents=locked.total_cents,
        key=f"group-buy-offset:{locked.pk}",
        description=share_description(locked.group_buy, locked),
        occurred_at=now,
        created_by=actor.user,
    )
    locked.offset_at = now
    locked.save(update_fields=["offset_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="group_buy.share_offset",
        target=locked.group_buy,
        cluster_id=access.cluster.pk,
        member_id=locked.member_id,
        after={"amount_cents": locked.total_cents},
    )
    return locked


def approved_member_ids(cluster_id: int) -> list[int]:
    """The member businesses approved in the cluster (votes, levies)."""
    return list(
        Member.objects.filter(
            memberships__cluster_id=cluster_id,
            memberships__status=Membership.Status.APPROVED,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )

"""Posting to the books: accounts, balanced journals, reversals and adjustments.

Every change of the books is one ``Journal`` whose postings sum to zero (debit
positive, credit negative; ``purei.ledger.models``). ``journal_post`` is the only
place that writes postings: it checks the legs and is idempotent by the journal's
``key``, so a hook called twice for the same payment books it once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.ledger.errors import (
    LedgerEmpty,
    LedgerErrorCode,
    LedgerForeignAccount,
    LedgerMixedCurrency,
    LedgerUnbalanced,
)
from purei.ledger.models import Account, Journal, Posting

if TYPE_CHECKING:
    from purei.accounts.models import User
    from purei.clusters.models import Cluster
    from purei.ledger.models import Payout
    from purei.members.models import Member
    from purei.orders.models import Order
    from purei.payments.models import Payment, Refund

MAX_REASON = 300


def account_for(
    cluster_id: int,
    kind: Account.Kind | str,
    member_id: int | None = None,
    currency: str = "NZD",
) -> Account:
    """The cluster's account of ``kind`` (the member's, for what it is owed),
    made on first use. Two transactions making it at once both get the one row:
    ``get_or_create`` retries the read when the unique constraint refuses the
    second insert."""
    lookup: dict[str, object] = {"cluster_id": cluster_id, "kind": kind}
    if member_id is None:
        lookup["member__isnull"] = True
    else:
        lookup["member_id"] = member_id
    account, _created = Account.objects.get_or_create(
        currency=currency, defaults={"member_id": member_id}, **lookup
    )
    return account


@dataclass(frozen=True)
class Leg:
    """One side of a journal: debit when ``amount_cents`` is positive."""

    account: Account
    amount_cents: int
    fulfilment_id: int | None = None
    description: str = ""


def _check_legs(cluster_id: int, legs: Sequence[Leg]) -> None:
    if not legs:
        raise LedgerEmpty("a journal needs at least one non-zero leg")
    currencies = {leg.account.currency for leg in legs}
    if len(currencies) > 1:
        raise LedgerMixedCurrency(
            f"a journal's legs are in one currency, not {sorted(currencies)}"
        )
    foreign = [leg for leg in legs if leg.account.cluster_id != cluster_id]
    if foreign:
        raise LedgerForeignAccount(
            f"account {foreign[0].account} is not of cluster {cluster_id}"
        )
    total = sum(leg.amount_cents for leg in legs)
    if total != 0:
        raise LedgerUnbalanced(f"the legs sum to {total} cents, not zero")


@transaction.atomic
def journal_post(
    *,
    cluster_id: int,
    kind: Journal.Kind | str,
    key: str,
    memo: str,
    occurred_at: datetime,
    legs: Sequence[Leg],
    order: Order | None = None,
    payment: Payment | None = None,
    refund: Refund | None = None,
    payout: Payout | None = None,
    reverses: Journal | None = None,
    created_by: User | None = None,
) -> Journal:
    """Post one balanced journal, or return the one already posted with ``key``
    (unchanged). Zero legs are dropped; refuses (``LedgerError``) legs that are
    empty, unbalanced, in two currencies or of another cluster's accounts."""
    existing = Journal.objects.filter(key=key).first()
    if existing is not None:
        return existing
    live = [leg for leg in legs if leg.amount_cents != 0]
    _check_legs(cluster_id, live)
    try:
        with transaction.atomic():
            journal = Journal.objects.create(
                cluster_id=cluster_id,
                kind=kind,
                key=key,
                memo=memo[:300],
                occurred_at=occurred_at,
                order=order,
                payment=payment,
                refund=refund,
                payout=payout,
                reverses=reverses,
                created_by=created_by,
            )
    except IntegrityError:
        # Another transaction posted the same key first: its journal stands.
        return Journal.objects.get(key=key)
    Posting.objects.bulk_create(
        Posting(
            journal=journal,
            account=leg.account,
            amount_cents=leg.amount_cents,
            fulfilment_id=leg.fulfilment_id,
            description=leg.description[:300],
        )
        for leg in live
    )
    return journal


def _require_admin(actor: Actor, cluster_id: int) -> None:
    if not actor.is_cluster_admin(cluster_id):
        raise NotPermitted(
            LedgerErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins can change its books."),
        )


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise ValidationFailed(
            LedgerErrorCode.REASON_REQUIRED,
            {"reason": [_("Say why (it is kept with the books).")]},
        )
    if len(text) > MAX_REASON:
        raise ValidationFailed(
            LedgerErrorCode.REASON_REQUIRED,
            {"reason": [_("Keep the reason to 300 characters.")]},
        )
    return text


@transaction.atomic
def journal_reverse(*, actor: Actor, journal: Journal, reason: str) -> Journal:
    """A cluster admin puts a journal right by posting its mirror image: every
    posting negated, on the same account and fulfilment. A journal is reversed at
    most once, and a reversal is not itself reversed (post the original again)."""
    _require_admin(actor, journal.cluster_id)
    reason = _reason(reason)
    locked = Journal.objects.select_for_update().get(pk=journal.pk)
    if locked.kind == Journal.Kind.REVERSAL:
        raise ValidationFailed(
            LedgerErrorCode.REVERSAL_OF_REVERSAL,
            {"journal": [_("A reversal cannot be reversed.")]},
        )
    if Journal.objects.filter(reverses=locked).exists():
        raise ValidationFailed(
            LedgerErrorCode.ALREADY_REVERSED,
            {"journal": [_("This journal has already been reversed.")]},
        )
    postings = list(locked.postings.select_related("account").order_by("pk"))
    legs = [
        Leg(
            account=posting.account,
            amount_cents=-posting.amount_cents,
            fulfilment_id=posting.fulfilment_id,
            description=_("Reversal: %(what)s") % {"what": posting.description},
        )
        for posting in postings
    ]
    reversal = journal_post(
        cluster_id=locked.cluster_id,
        kind=Journal.Kind.REVERSAL,
        key=f"reversal:{locked.pk}",
        memo=_("Reversal of %(memo)s: %(reason)s")
        % {"memo": locked.memo, "reason": reason},
        occurred_at=timezone.now(),
        legs=legs,
        order=locked.order,
        reverses=locked,
        created_by=actor.user if actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        verb="journal.reversed",
        target=locked,
        cluster_id=locked.cluster_id,
        after={"reversal": reversal.pk, "key": locked.key, "reason": reason},
    )
    return reversal


@transaction.atomic
def adjustment_post(
    *,
    actor: Actor,
    cluster: Cluster,
    member: Member,
    amount_cents: int,
    reason: str,
    occurred_at: datetime | None = None,
) -> Journal:
    """A cluster admin credits (``amount_cents`` > 0: the member is owed more) or
    debits (< 0) a member's payable, against the cluster's adjustments account."""
    from purei.members.models import Membership

    _require_admin(actor, cluster.pk)
    reason = _reason(reason)
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        amount_cents = 0
    if amount_cents == 0:
        raise ValidationFailed(
            LedgerErrorCode.INVALID_AMOUNT,
            {"amount_cents": [_("Give an amount in cents other than zero.")]},
        )
    if not Membership.objects.filter(cluster=cluster, member=member).exists():
        raise ValidationFailed(
            LedgerErrorCode.NOT_A_MEMBER,
            {"member": [_("That business is not a member of this cluster.")]},
        )
    payable = account_for(cluster.pk, Account.Kind.MEMBER_PAYABLE, member.pk)
    adjustments = account_for(cluster.pk, Account.Kind.ADJUSTMENTS)
    journal = journal_post(
        cluster_id=cluster.pk,
        kind=Journal.Kind.ADJUSTMENT,
        key=f"adjustment:{uuid.uuid4().hex}",
        memo=reason,
        occurred_at=occurred_at or timezone.now(),
        legs=[
            Leg(payable, -amount_cents, description=reason),
            Leg(adjustments, amount_cents, description=reason),
        ],
        created_by=actor.user if actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        verb="ledger.adjusted",
        target=journal,
        cluster_id=cluster.pk,
        member_id=member.pk,
        after={"amount_cents": amount_cents, "reason": reason},
    )
    return journal

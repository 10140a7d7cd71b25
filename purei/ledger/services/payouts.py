"""Payout runs: paying members what the cluster holds for them (docs/money.md
"Payouts").

A run settles, per member, the member-payable postings not settled before, dated
up to the run's ``until`` and no longer tied to a part of an order open to
cancellation. A member owed a positive amount with a valid bank account gets a
``Payout`` (the postings it settles become its items, and a journal moves the
amount from what is owed to what was paid out); one owed money without a bank
account is listed in ``run.skipped`` and stays owed; one whose eligible money nets
to zero or less gets nothing and the balance carries into the next run.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.clusters.money_accounts import payout_source_account
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted
from purei.core.events import emit
from purei.core.validators import bank_account_normalise
from purei.ledger.errors import LedgerErrorCode
from purei.ledger.models import Account, Journal, Payout, PayoutItem, PayoutRun
from purei.ledger.selectors import eligible_postings, payout_blocker
from purei.ledger.services.journal import Leg, account_for, journal_post
from purei.members.models import Member

PARTICULARS = "PUREI"


def _require_may_run(actor: Actor, cluster: Cluster) -> None:
    # Pūrei itself (a scheduled run, or ``purei payouts run`` on the server without
    # ``--as``), platform staff, or the cluster's own admins.
    if actor.is_system or actor.is_platform_staff:
        return
    if not actor.is_cluster_admin(cluster.pk):
        raise NotPermitted(
            LedgerErrorCode.NOT_PERMITTED,
            _("Only the cluster's admins can run its payouts."),
        )


def payout_number(cluster: Cluster, run: PayoutRun, n: int) -> str:
    """``<CLUSTER SLUG, 6 characters>-P<run>-<n>``: unique per cluster."""
    return f"{cluster.slug.upper()[:6]}-P{run.pk}-{n}"


@transaction.atomic
def payout_run(*, actor: Actor, cluster: Cluster, until: datetime) -> PayoutRun:
    """Pay each member of ``cluster`` what is eligible up to ``until`` (see the
    module's docstring). One transaction; the cluster row is locked, so two runs
    of one cluster never overlap (the second sees what the first settled)."""
    _require_may_run(actor, cluster)
    locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
    user = actor.user if actor.is_authenticated else None
    source = payout_source_account(locked)
    run = PayoutRun.objects.create(
        cluster=locked,
        until=until,
        created_by=user,
        from_account=source.bank_account_number,
        from_account_name=source.bank_account_name,
    )
    by_member = eligible_postings(locked.pk, until)
    members = Member.objects.in_bulk(list(by_member))
    paid_out = account_for(locked.pk, Account.Kind.PAYOUTS)
    now = timezone.now()
    payouts: list[Payout] = []
    skipped: list[dict[str, object]] = []
    for member_id in sorted(by_member):
        postings = by_member[member_id]
        amount = -sum(posting.amount_cents for posting in postings)
        if amount <= 0:
            continue  # nothing owed: the balance carries to the next run
        member = members[member_id]
        reason = payout_blocker(member)
        if reason:
            skipped.append(
                {
                    "member": member.pk,
                    "name": member.name,
                    "balance_cents": amount,
                    "reason": reason,
                }
            )
            continue
        payout = Payout.objects.create(
            run=run,
            cluster=locked,
            member=member,
            number=payout_number(locked, run, len(payouts) + 1),
            amount_cents=amount,
            currency=postings[0].account.currency,
            bank_account=bank_account_normalise(member.bank_account),
            bank_account_name=member.bank_account_name.strip()[:120],
            particulars=PARTICULARS,
            code=locked.slug[:12].upper(),
            reference="",
        )
        payout.reference = f"P{payout.pk}"[:12]
        payout.save(update_fields=["reference", "updated_at"])
        text = _("Payout %(number)s") % {"number": payout.number}
        payable = postings[0].account
        journal = journal_post(
            cluster_id=locked.pk,
            kind=Journal.Kind.PAYOUT,
            key=f"payout:{payout.pk}",
            memo=text,
            occurred_at=now,
            legs=[Leg(payable, amount, description=text), Leg(paid_out, -amount)],
            payout=payout,
            created_by=user,
        )
        own = journal.postings.get(account=payable)
        PayoutItem.objects.bulk_create(
            PayoutItem(payout=payout, posting_id=posting_id)
            for posting_id in [*(p.pk for p in postings), own.pk]
        )
        from purei.ledger.services.commission_invoices import (
            commission_invoice_for_payout,
        )

        commission_invoice_for_payout(payout)
        payouts.append(payout)
    run.skipped = skipped
    run.total_cents = sum(payout.amount_cents for payout in payouts)
    run.save(update_fields=["skipped", "total_cents", "updated_at"])
    audit_record(
        actor=actor,
        verb="payout.run",
        target=run,
        cluster_id=locked.pk,
        after={
            "until": timezone.localtime(until).isoformat(),
            "payouts": [[p.number, p.member_id, p.amount_cents] for p in payouts],
            "total_cents": run.total_cents,
            "skipped": [[s["member"], s["balance_cents"]] for s in skipped],
        },
    )
    _payouts_tell(locked, run, payouts)
    return run


def _payouts_tell(cluster: Cluster, run: PayoutRun, payouts: list[Payout]) -> None:
    """``payout.made``: each member hears its own payout, the cluster the run."""
    for payout in payouts:
        emit(
            "payout.made",
            cluster_id=cluster.pk,
            member_id=payout.member_id,
            payload={
                "payout": payout.number,
                "amount_cents": payout.amount_cents,
                "currency": payout.currency,
                "reference": payout.reference,
                "until": run.until.isoformat(),
            },
        )
    if payouts:
        emit(
            "payout.made",
            cluster_id=cluster.pk,
            member_id=None,
            payload={
                "run": run.pk,
                "until": run.until.isoformat(),
                "total_cents": run.total_cents,
                "payouts": [
                    {
                        "payout": p.number,
                        "member_id": p.member_id,
                        "amount_cents": p.amount_cents,
                    }
                    for p in payouts
                ],
            },
        )

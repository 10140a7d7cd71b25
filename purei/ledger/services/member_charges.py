"""What members owe the cluster itself: a share of a group buy, a levy
(docs/money.md "Group buys and levies"; the rows are cooperation's).

A charge is booked once, by its key, as one ``member_charge`` journal:

* **offset against the next payout**: Dr the member's payable / Cr the counter
  account. The posting has no part of an order, so the next payout run takes it
  with the member's sales (``eligible_postings``) and pays that much less; when
  the member is owed less than the charge, the rest carries to the run after.
* **charged**: Dr ``member_receivable`` / Cr the counter account. The member pays
  by bank transfer, which an admin records (``member_charge_paid_post``: Dr
  clearing / Cr member receivable), or the member turns it into an offset later
  (``member_charge_offset_post``: Dr its payable / Cr member receivable).

The counter account is ``group_buys`` for a group-buy share (what the cluster
owes the supplier) and ``levies`` for a levy (the cluster's income).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from purei.ledger.models import Account, Journal
from purei.ledger.services.journal import Leg, account_for, journal_post

if TYPE_CHECKING:
    from purei.accounts.models import User

ChargeFor = Literal["group_buy", "levy"]

_COUNTER: dict[str, Account.Kind] = {
    "group_buy": Account.Kind.GROUP_BUYS,
    "levy": Account.Kind.LEVIES,
}


def member_charge_post(
    *,
    cluster_id: int,
    member_id: int,
    amount_cents: int,
    charge_for: ChargeFor,
    offset: bool,
    key: str,
    description: str,
    occurred_at: datetime,
    created_by: User | None = None,
) -> Journal:
    """Book what ``member_id`` owes the cluster (see the module's docstring);
    idempotent by ``key``."""
    if amount_cents <= 0:
        raise ValueError("a member's charge is a positive number of cents")
    counter = account_for(cluster_id, _COUNTER[charge_for])
    if offset:
        debit = account_for(cluster_id, Account.Kind.MEMBER_PAYABLE, member_id)
    else:
        debit = account_for(cluster_id, Account.Kind.MEMBER_RECEIVABLE)
    return journal_post(
        cluster_id=cluster_id,
        kind=Journal.Kind.MEMBER_CHARGE,
        key=key,
        memo=description,
        occurred_at=occurred_at,
        legs=[
            Leg(debit, amount_cents, description=description),
            Leg(counter, -amount_cents, description=description),
        ],
        created_by=created_by,
    )


def member_charge_offset_post(
    *,
    cluster_id: int,
    member_id: int,
    amount_cents: int,
    key: str,
    description: str,
    occurred_at: datetime,
    created_by: User | None = None,
) -> Journal:
    """A charge booked as owed by the member is set against its next payout
    instead: Dr its payable / Cr member receivable."""
    if amount_cents <= 0:
        raise ValueError("an offset is a positive number of cents")
    payable = account_for(cluster_id, Account.Kind.MEMBER_PAYABLE, member_id)
    receivable = account_for(cluster_id, Account.Kind.MEMBER_RECEIVABLE)
    return journal_post(
        cluster_id=cluster_id,
        kind=Journal.Kind.MEMBER_CHARGE,
        key=key,
        memo=description,
        occurred_at=occurred_at,
        legs=[
            Leg(payable, amount_cents, description=description),
            Leg(receivable, -amount_cents, description=description),
        ],
        created_by=created_by,
    )


def member_charge_paid_post(
    *,
    cluster_id: int,
    amount_cents: int,
    key: str,
    description: str,
    occurred_at: datetime,
    created_by: User | None = None,
) -> Journal:
    """A member paid a charge (a bank transfer an admin recorded): Dr clearing /
    Cr member receivable."""
    if amount_cents <= 0:
        raise ValueError("a payment is a positive number of cents")
    clearing = account_for(cluster_id, Account.Kind.CLEARING)
    receivable = account_for(cluster_id, Account.Kind.MEMBER_RECEIVABLE)
    return journal_post(
        cluster_id=cluster_id,
        kind=Journal.Kind.MEMBER_PAYMENT,
        key=key,
        memo=description,
        occurred_at=occurred_at,
        legs=[
            Leg(clearing, amount_cents, description=description),
            Leg(receivable, -amount_cents, description=description),
        ],
        created_by=created_by,
    )

"""The bank batch file of a payout run: one CSV row per payout, for the cluster's
bank to pay the members (docs/money.md "Payouts").

Columns: ``account_number`` (NZ format ``bb-bbbb-aaaaaaa-sss``), ``account_name``,
``amount`` (dollars with two decimals, worked out from cents without floats),
``particulars``, ``code``, ``reference`` (each at most 12 characters, as NZ banks
take them), then ``from_account`` and ``from_account_name``: the account the run is
paid from (the cluster's own when it has set one, ADR 0021). A header row comes
first. Written with the safe CSV writer
(``purei.core.csv_safe``): every field quoted, and a name that starts like a
spreadsheet formula gets a leading ``'`` (docs/money.md "Bank file").
"""

from __future__ import annotations

import io

from purei.core.csv_safe import csv_writer
from purei.core.validators import bank_account_normalise
from purei.ledger.models import PayoutRun

HEADER = [
    "account_number",
    "account_name",
    "amount",
    "particulars",
    "code",
    "reference",
    "from_account",
    "from_account_name",
]


def dollars(cents: int) -> str:
    """``cents`` as dollars with two decimals, e.g. ``-1234`` → ``"-12.34"``."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def _field(value: str) -> str:
    return value.strip()[:12]


def bank_batch_csv(run: PayoutRun) -> str:
    """The run's payouts as the CSV a bank's batch payment takes."""
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(HEADER)
    for payout in run.payouts.order_by("pk"):
        writer.writerow(
            [
                bank_account_normalise(payout.bank_account),
                payout.bank_account_name,
                dollars(payout.amount_cents),
                _field(payout.particulars),
                _field(payout.code),
                _field(payout.reference),
                run.from_account,
                run.from_account_name,
            ]
        )
    return out.getvalue()

"""What the money screens share: the member's header, downloads, and the
statement's PDF. Who may see a member's money is ``ledger.selectors``."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.downloads import private_download
from purei.core.money import format_nzd
from purei.core.validators import bank_account_mask
from purei.ledger.models import Payout
from purei.ledger.pdf import PdfBlock, PdfDocument, PdfTable, document_pdf
from purei.ledger.statement import (
    SECTIONS,
    Statement,
    statement_csv,
    statement_for_payout,
)
from purei.members.models import Member
from purei.members.selectors import member_team_for
from purei.web.shell import member_manage_context


def member_context(actor: Actor, member: Member, team: bool) -> dict[str, Any]:
    """The member's manage header (tabs) for its team; a cluster admin, who sees
    only the money, gets a header of its own."""
    if team:
        return member_manage_context(
            member=member,
            section="money",
            team=member_team_for(actor=actor, member=member),
        )
    return {"member": member, "section": "money", "admin_view": True}


def safe_filename(text: str) -> str:
    """``text`` reduced to letters, digits, dots, dashes and underscores."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "download"


def download(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A private response the browser saves as ``filename`` (core.downloads)."""
    return private_download(content, content_type, safe_filename(filename))


def pdf_download(content: bytes, filename: str) -> HttpResponse:
    return download(content, "application/pdf", filename)


def statement_filename(statement: Statement, ext: str) -> str:
    return f"statement-{statement.payout.number}.{ext}"


def statement_pdf(statement: Statement) -> bytes:
    """The statement as an A4 PDF: its lines section by section, each section's
    total and the payout's."""
    payout = statement.payout
    rows: list[tuple[str, ...]] = []
    for name, label in SECTIONS.items():
        for line in statement.section(name):
            rows.append(
                (
                    line.description,
                    str(label),
                    date_format(line.date, "j M Y"),
                    line.order_number,
                    format_nzd(line.amount_cents),
                )
            )
    period_end = date_format(timezone.localtime(statement.period_end), "j F Y")
    if statement.period_start is not None:
        period = _("Money from %(start)s up to %(end)s") % {
            "start": date_format(timezone.localtime(statement.period_start), "j F Y"),
            "end": period_end,
        }
    else:
        period = _("Money up to %(end)s") % {"end": period_end}
    totals = [
        (str(label), format_nzd(total))
        for name, label in SECTIONS.items()
        if (total := statement.totals[name]) or statement.section(name)
    ]
    totals.append((_("Paid to you"), format_nzd(statement.total_cents)))
    document = PdfDocument(
        title=_("Payout statement"),
        header_lines=(
            _("Payout %(number)s") % {"number": payout.number},
            _("Paid %(date)s")
            % {"date": date_format(timezone.localtime(payout.created_at), "j F Y")},
            period,
        ),
        blocks=(
            PdfBlock(_("From"), (payout.cluster.name,)),
            PdfBlock(
                _("To"),
                (
                    statement.member.name,
                    _("Bank account %(account)s")
                    % {"account": bank_account_mask(payout.bank_account)},
                ),
            ),
        ),
        table=PdfTable(
            caption=_("What the payout is made of"),
            headings=(
                _("Description"),
                _("Section"),
                _("Date"),
                _("Order"),
                _("Amount"),
            ),
            rows=tuple(rows),
            align=("L", "L", "L", "L", "R"),
            widths=(6, 2, 2, 2, 2),
        ),
        totals=tuple(totals),
        footer=payout.cluster.name,
        keywords=("statement", payout.number),
    )
    return document_pdf(document)


def statement_context(payout: Payout) -> dict[str, Any]:
    """What a statement page shows: the statement in its sections, and the
    account it was paid to (masked)."""
    statement = statement_for_payout(payout)
    return {
        "statement": statement,
        "payout": payout,
        "sections": [
            (name, label, statement.section(name), statement.totals[name])
            for name, label in SECTIONS.items()
        ],
        "masked_account": bank_account_mask(payout.bank_account),
    }


def statement_download(payout: Payout, ext: str) -> HttpResponse:
    """A payout's statement as a PDF (``ext`` "pdf") or a CSV ("csv") file."""
    statement = statement_for_payout(payout)
    if ext == "pdf":
        return download(
            statement_pdf(statement),
            "application/pdf",
            statement_filename(statement, "pdf"),
        )
    return download(
        statement_csv(statement),
        "text/csv; charset=utf-8",
        statement_filename(statement, "csv"),
    )

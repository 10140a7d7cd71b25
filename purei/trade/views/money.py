"""Where a trade buyer's money stands (docs/trade.md "Getting paid"): the buyer's
statement of account, ``/c/<slug>/trade/statement/`` (and ``statement.csv``), its
trade invoice for one order, ``/c/<slug>/trade/orders/<number>/`` — invoice and
due dates, currency, deposit, what was paid and what is owed, with the bank
references to pay by — and a cluster admin's statement of one account,
``/manage/clusters/<slug>/trade/accounts/<pk>/statement/``. A buyer sees only its
own account and orders; anyone else gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import Actor, actor_from
from purei.core.csv_safe import csv_text
from purei.core.downloads import private_download
from purei.trade.models import TradeAccount
from purei.trade.money import format_money
from purei.trade.selectors import (
    trade_account_for_buyer,
    trade_account_get_for_admin,
    trade_order_get,
)
from purei.trade.services import trade_order_outstanding
from purei.trade.statement import Statement, statement_for
from purei.web.shell import cluster_manage_context


def _own_account(actor: Actor, slug: str) -> TradeAccount:
    cluster = cluster_get_live(actor=actor, slug=slug)
    account = trade_account_for_buyer(actor=actor, cluster=cluster)
    if account is None or account.status == TradeAccount.Status.DECLINED:
        raise Http404(_("You have no trade account with this cluster."))
    return account


@login_required
@require_GET
def statement_view(request: HttpRequest, slug: str) -> HttpResponse:
    account = _own_account(actor_from(request), slug)
    return render(
        request,
        "trade/statement.html",
        {
            "cluster": account.cluster,
            "account": account,
            "statement": statement_for(account),
        },
    )


def statement_csv(statement: Statement) -> str:
    """The statement as CSV: a row per open invoice, then the aging and the total."""
    rows: list[list[object]] = [
        [
            _("Order"),
            _("Invoice date"),
            _("Due date"),
            _("Currency"),
            _("Total"),
            _("Paid"),
            _("Owed"),
            _("Owed (NZD)"),
            _("Days overdue"),
            _("Aging"),
        ]
    ]
    for inv in statement.invoices:
        rows.append(
            [
                inv.number,
                inv.invoice_date.isoformat(),
                inv.due_on.isoformat(),
                inv.currency,
                f"{inv.total_cents / 100:.2f}",
                f"{inv.paid_cents / 100:.2f}",
                f"{inv.owed_cents / 100:.2f}",
                f"{inv.owed_nzd_cents / 100:.2f}",
                inv.days_overdue,
                inv.bucket_label,
            ]
        )
    for _bucket, label, owed, nzd in statement.aging:
        rows.append(
            [
                label,
                "",
                "",
                statement.currency,
                "",
                "",
                f"{owed / 100:.2f}",
                f"{nzd / 100:.2f}",
                "",
                "",
            ]
        )
    rows.append(
        [
            _("Total owed"),
            "",
            "",
            statement.currency,
            "",
            "",
            f"{statement.total_cents / 100:.2f}",
            f"{statement.total_nzd_cents / 100:.2f}",
            "",
            "",
        ]
    )
    return csv_text(rows)


@login_required
@require_GET
def statement_csv_view(request: HttpRequest, slug: str) -> HttpResponse:
    account = _own_account(actor_from(request), slug)
    statement = statement_for(account)
    name = f"statement-{account.pk}-{statement.as_of.isoformat()}.csv"
    return private_download(statement_csv(statement), "text/csv", name)


@login_required
@require_GET
def trade_invoice_view(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    actor = actor_from(request)
    account = _own_account(actor, slug)
    made = trade_order_get(actor=actor, number=number[:16])
    if made.account_id != account.pk:
        raise Http404(_("No trade order of yours has this number."))
    owed = trade_order_outstanding(made)
    invoice_date = timezone.localdate(made.invoiced_at) if made.invoiced_at else None
    return render(
        request,
        "trade/trade_invoice.html",
        {
            "cluster": account.cluster,
            "account": account,
            "made": made,
            "order": made.order,
            "owed": owed,
            "invoice_date": invoice_date,
            "payments": list(made.payments.order_by("pk")),
            "deposit_text": format_money(made.deposit_cents, made.currency),
        },
    )


@login_required
@require_GET
def cluster_statement_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    account = trade_account_get_for_admin(actor=actor, cluster=cluster, account_id=pk)
    return render(
        request,
        "trade/cluster_admin/statement.html",
        cluster_manage_context(
            cluster, "trade", account=account, statement=statement_for(account)
        ),
    )

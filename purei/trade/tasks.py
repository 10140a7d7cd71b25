"""Emails about trade accounts, quotes and money (Django tasks): take ids, check the
state still holds, send. Safe to run twice: a task whose subject moved on sends
nothing, and each payment reminder is recorded (``TradeReminder``) before it goes,
so a rerun sends none twice (``purei trade_reminders`` runs them daily)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from purei.accounts.models import ClusterRole, MemberRole
from purei.core.mail import send_templated_email
from purei.trade.models import (
    Quote,
    QuoteRequest,
    TradeAccount,
    TradeOrder,
    TradeReminder,
)
from purei.trade.statement import open_trade_orders, statement_for

DECIDED_STATUS = {
    "approved": TradeAccount.Status.APPROVED,
    "declined": TradeAccount.Status.DECLINED,
    "suspended": TradeAccount.Status.SUSPENDED,
}


def _admin_emails(cluster_id: int) -> list[str]:
    return sorted(
        set(
            ClusterRole.objects.filter(
                cluster_id=cluster_id,
                role=ClusterRole.Role.ADMIN,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )


def _member_emails(member_id: int, business_email: str) -> list[str]:
    """The business's own address, else its owners'."""
    if business_email:
        return [business_email]
    return sorted(
        set(
            MemberRole.objects.filter(
                member_id=member_id,
                role=MemberRole.Role.OWNER,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )


def _account(account_id: int) -> TradeAccount | None:
    return TradeAccount.objects.select_related("cluster").filter(pk=account_id).first()


@task
def trade_account_applied_notify(*, account_id: int) -> int:
    """Tell the cluster's admins a business applied for a trade account. Returns
    how many emails went out."""
    account = _account(account_id)
    if account is None or account.status != TradeAccount.Status.APPLIED:
        return 0
    emails = _admin_emails(account.cluster_id)
    path = reverse(
        "trade:cluster-account",
        kwargs={"slug": account.cluster.slug, "pk": account.pk},
    )
    for email in emails:
        send_templated_email(
            to=email,
            template_prefix="trade/email/account_applied",
            cluster=account.cluster,
            context={"account": account, "path": path},
        )
    return len(emails)


@task
def trade_account_decided_notify(*, account_id: int, verb: str) -> int:
    """Tell the business what the cluster's admins decided, with their reason and,
    when approved, its terms."""
    account = _account(account_id)
    if account is None or account.status != DECIDED_STATUS.get(verb):
        return 0
    path = reverse("trade:home", kwargs={"slug": account.cluster.slug})
    send_templated_email(
        to=account.contact_email,
        template_prefix="trade/email/account_decided",
        cluster=account.cluster,
        context={"account": account, "verb": verb, "path": path},
    )
    return 1


def _account_emails(account: TradeAccount) -> list[str]:
    emails = {account.contact_email}
    emails.update(
        account.buyers.filter(user__is_active=True).values_list(
            "user__email", flat=True
        )
    )
    return sorted(email for email in emails if email)


@task
def rfq_submitted_notify(*, request_id: int) -> int:
    """Tell the cluster's admins and each member with lines that a request for
    quote came in (members are told of their own lines only)."""
    request = (
        QuoteRequest.objects.select_related("cluster", "account")
        .filter(pk=request_id)
        .first()
    )
    if request is None or request.status != QuoteRequest.Status.OPEN:
        return 0
    sent = 0
    admin_path = reverse(
        "trade:cluster-rfq", kwargs={"slug": request.cluster.slug, "pk": request.pk}
    )
    for email in _admin_emails(request.cluster_id):
        send_templated_email(
            to=email,
            template_prefix="trade/email/rfq_submitted",
            cluster=request.cluster,
            context={"request": request, "path": admin_path, "lines": None},
        )
        sent += 1
    member_ids = set(
        request.lines.exclude(member=None).values_list("member_id", flat=True)
    )
    for member_id in sorted(member_ids):
        lines = list(request.lines.filter(member_id=member_id).select_related("member"))
        member = lines[0].member
        if member is None:
            continue
        path = reverse(
            "trade:member-rfq", kwargs={"slug": member.slug, "pk": request.pk}
        )
        for email in _member_emails(member_id, member.email):
            send_templated_email(
                to=email,
                template_prefix="trade/email/rfq_submitted",
                cluster=request.cluster,
                context={"request": request, "path": path, "lines": lines},
            )
            sent += 1
    return sent


@task
def quote_sent_notify(*, quote_id: int) -> int:
    """Send the buyer its quote (a link to the page and its PDF)."""
    quote = (
        Quote.objects.select_related("request__cluster", "request__account")
        .filter(pk=quote_id)
        .first()
    )
    if quote is None or quote.status != Quote.Status.SENT:
        return 0
    request = quote.request
    path = reverse("trade:rfq", kwargs={"slug": request.cluster.slug, "pk": request.pk})
    emails = _account_emails(request.account)
    for email in emails:
        send_templated_email(
            to=email,
            template_prefix="trade/email/quote_sent",
            cluster=request.cluster,
            context={"quote": quote, "request": request, "path": path},
        )
    return len(emails)


@task
def trade_order_made_notify(*, trade_order_id: int) -> int:
    """An accepted quote became a trade order: tell the buyer (its number, what
    it owes in its own currency and how to pay), the cluster's admins (name the
    consolidation point) and each member with a part (what to prepare, and that
    it goes to the consolidation point, not to the buyer). Returns how many emails
    went out."""
    made = (
        TradeOrder.objects.select_related("order__cluster", "quote__request", "account")
        .filter(pk=trade_order_id)
        .first()
    )
    if made is None:
        return 0
    order = made.order
    request = made.quote.request
    rfq_path = reverse(
        "trade:rfq", kwargs={"slug": order.cluster.slug, "pk": request.pk}
    )
    invoice_path = reverse(
        "trade:order-invoice",
        kwargs={"slug": order.cluster.slug, "number": order.number},
    )
    admin_path = reverse(
        "trade:cluster-order",
        kwargs={"slug": order.cluster.slug, "number": order.number},
    )
    context = {
        "made": made,
        "order": order,
        "request": request,
        "quote": made.quote,
        "rfq_path": rfq_path,
        "invoice_path": invoice_path,
        "admin_path": admin_path,
    }
    sent = 0
    for email in _account_emails(made.account):
        send_templated_email(
            to=email,
            template_prefix="trade/email/order_made",
            context=context,
            cluster=order.cluster,
        )
        sent += 1
    for email in _admin_emails(order.cluster_id):
        send_templated_email(
            to=email,
            template_prefix="trade/email/order_made_admin",
            context=context,
            cluster=order.cluster,
        )
        sent += 1
    parts = order.fulfilments.select_related("member").prefetch_related("lines")
    for part in parts.order_by("pk"):
        member_path = reverse(
            "settlement:member-order",
            kwargs={"slug": part.member.slug, "number": order.number},
        )
        for email in _member_emails(part.member_id, part.member.email):
            send_templated_email(
                to=email,
                template_prefix="trade/email/order_made_member",
                cluster=order.cluster,
                context={**context, "part": part, "member_path": member_path},
            )
            sent += 1
    return sent


# --- Reminders: invoices due soon, and overdue statements ---------------------------

DUE_SOON_DAYS = 3


def _as_of(as_of: str | None) -> dt.date:
    return dt.date.fromisoformat(as_of) if as_of else timezone.localdate()


def _claim(made_ids: list[int], kinds: dict[int, str]) -> list[int]:
    """Record a reminder of ``kinds[id]`` for each trade order that has none yet
    (one transaction; the unique constraint decides between two runs at once).
    Returns the ids claimed now."""
    claimed = []
    for made_id in made_ids:
        try:
            with transaction.atomic():
                TradeReminder.objects.create(
                    trade_order_id=made_id, kind=kinds[made_id]
                )
        except IntegrityError:
            continue
        claimed.append(made_id)
    return claimed


def _send_to_account(
    account: TradeAccount, template: str, context: dict[str, object]
) -> int:
    emails = sorted({account.accounts_email or account.contact_email})
    path = reverse("trade:statement", kwargs={"slug": account.cluster.slug})
    for email in emails:
        send_templated_email(
            to=email,
            template_prefix=template,
            cluster=account.cluster,
            context={"account": account, "path": path, **context},
        )
    return len(emails)


@task
def trade_overdue_reminders_send(*, as_of: str | None = None) -> int:
    """Email each trade buyer with an invoice that has reached a new aging bucket
    (1-30, 31-60, 61-90, over 90 days overdue) its statement of account, once per
    invoice and bucket (``TradeReminder`` ``overdue_<bucket>``): a rerun the same
    day, or any day before the next bucket, sends nothing. Returns emails sent."""
    day = _as_of(as_of)
    accounts = TradeAccount.objects.filter(
        pk__in=open_trade_orders().filter(due_on__lt=day).values("account_id")
    ).select_related("cluster")
    sent = 0
    for account in accounts.order_by("pk"):
        statement = statement_for(account, day)
        overdue = statement.overdue
        kinds = {inv.made.pk: f"overdue_{inv.bucket}" for inv in overdue}
        fresh = [
            inv.made.pk
            for inv in overdue
            if not TradeReminder.objects.filter(
                trade_order_id=inv.made.pk, kind=kinds[inv.made.pk]
            ).exists()
        ]
        if not _claim(fresh, kinds):
            continue
        sent += _send_to_account(
            account,
            "trade/email/statement_reminder",
            {"statement": statement, "overdue": overdue},
        )
    return sent


@task
def trade_due_soon_reminders_send(*, as_of: str | None = None) -> int:
    """Email each trade buyer whose invoices fall due within three days (and are
    not yet due) a reminder listing them, once per invoice (``TradeReminder``
    ``due_soon``). Returns emails sent."""
    day = _as_of(as_of)
    soon = open_trade_orders().filter(
        due_on__gte=day, due_on__lte=day + dt.timedelta(days=DUE_SOON_DAYS)
    )
    by_account: dict[int, list[int]] = {}
    for made in soon:
        by_account.setdefault(made.account_id, []).append(made.pk)
    sent = 0
    for account in TradeAccount.objects.filter(pk__in=by_account).select_related(
        "cluster"
    ):
        ids = by_account[account.pk]
        claimed = _claim(ids, dict.fromkeys(ids, "due_soon"))
        if not claimed:
            continue
        statement = statement_for(account, day)
        due = [inv for inv in statement.invoices if inv.made.pk in claimed]
        sent += _send_to_account(
            account, "trade/email/due_soon", {"statement": statement, "due": due}
        )
    return sent

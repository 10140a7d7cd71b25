"""Emails about trade accounts (Django tasks): take ids, check the state still holds,
send. Safe to run twice: a task whose account moved on sends nothing."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from purei.accounts.models import ClusterRole
from purei.core.mail import send_templated_email
from purei.trade.models import TradeAccount

DECIDED_STATUS = {
    "approved": TradeAccount.Status.APPROVED,
    "declined": TradeAccount.Status.DECLINED,
    "suspended": TradeAccount.Status.SUSPENDED,
}


def _account(account_id: int) -> TradeAccount | None:
    return TradeAccount.objects.select_related("cluster").filter(pk=account_id).first()


@task
def trade_account_applied_notify(*, account_id: int) -> int:
    """Tell the cluster's admins a business applied for a trade account. Returns
    how many emails went out."""
    account = _account(account_id)
    if account is None or account.status != TradeAccount.Status.APPLIED:
        return 0
    emails = sorted(
        set(
            ClusterRole.objects.filter(
                cluster_id=account.cluster_id,
                role=ClusterRole.Role.ADMIN,
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )
    path = reverse(
        "trade:cluster-account",
        kwargs={"slug": account.cluster.slug, "pk": account.pk},
    )
    for email in emails:
        send_templated_email(
            to=email,
            template_prefix="trade/email/account_applied",
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
        context={"account": account, "verb": verb, "path": path},
    )
    return 1

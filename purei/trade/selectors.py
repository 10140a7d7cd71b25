"""Reads of trade, scoped to the actor: a cluster's admins (and platform staff) see
its trade accounts; a trade buyer sees its own accounts; nobody else sees any."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Member
from purei.trade.models import (
    FOREIGN_CURRENCIES,
    ClusterTrade,
    ExchangeRate,
    Quote,
    QuoteRequest,
    QuoteRequestLine,
    TradeAccount,
    TradeOrder,
)


def _can_read_cluster(actor: Actor, cluster_id: int) -> bool:
    return actor.is_platform_staff or actor.is_cluster_admin(cluster_id)


def trade_account_list_for_cluster(
    *, actor: Actor, cluster: Cluster, status: str | None = None
) -> QuerySet[TradeAccount]:
    """The cluster's trade accounts, newest application first (``status`` filters)."""
    if not _can_read_cluster(actor, cluster.pk):
        return TradeAccount.objects.none()
    accounts = TradeAccount.objects.filter(cluster=cluster).select_related("decided_by")
    if status:
        accounts = accounts.filter(status=status)
    return accounts


def trade_account_counts(*, actor: Actor, cluster: Cluster) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in trade_account_list_for_cluster(
        actor=actor, cluster=cluster
    ).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def trade_account_get_for_admin(
    *, actor: Actor, cluster: Cluster, account_id: int
) -> TradeAccount:
    """One of the cluster's accounts, for its admins and platform staff; 404 else."""
    account = (
        trade_account_list_for_cluster(actor=actor, cluster=cluster)
        .select_related("cluster", "applied_by")
        .filter(pk=account_id)
        .first()
    )
    if account is None:
        raise Http404(_("No trade account of yours has this number."))
    return account


def trade_account_get(*, actor: Actor, account_id: int) -> TradeAccount:
    """An account for its own buyers, its cluster's admins or platform staff."""
    account = (
        TradeAccount.objects.select_related("cluster").filter(pk=account_id).first()
    )
    if account is None or not (
        account.pk in actor.trade_account_ids
        or _can_read_cluster(actor, account.cluster_id)
    ):
        raise Http404(_("No trade account of yours has this number."))
    return account


def trade_account_for_buyer(*, actor: Actor, cluster: Cluster) -> TradeAccount | None:
    """The actor's own account with ``cluster`` (the most recent, whatever its
    status), or None."""
    ids = actor.trade_account_ids
    if not ids:
        return None
    return (
        TradeAccount.objects.filter(pk__in=ids, cluster=cluster)
        .order_by("-applied_at", "-pk")
        .first()
    )


def exchange_rates_current(cluster: Cluster) -> dict[str, ExchangeRate]:
    """The newest rate the cluster recorded for each foreign currency."""
    current: dict[str, ExchangeRate] = {}
    for currency in FOREIGN_CURRENCIES:
        row = (
            ExchangeRate.objects.filter(cluster=cluster, currency=currency)
            .order_by("-as_of", "-pk")
            .first()
        )
        if row is not None:
            current[currency] = row
    return current


def exchange_rate_history(cluster: Cluster, *, limit: int = 50) -> list[ExchangeRate]:
    return list(
        ExchangeRate.objects.filter(cluster=cluster)
        .select_related("recorded_by")
        .order_by("-as_of", "-pk")[:limit]
    )


def cluster_trade_settings(cluster: Cluster) -> ClusterTrade:
    """The cluster's trade settings (defaults when never set; not saved)."""
    return ClusterTrade.objects.filter(cluster=cluster).first() or ClusterTrade(
        cluster=cluster
    )


# --- Requests for quote and quotes ---------------------------------------------------


def _not_found() -> Http404:
    return Http404(_("No request for quote of yours has this number."))


def rfq_list_for_buyer(*, actor: Actor, cluster: Cluster) -> QuerySet[QuoteRequest]:
    """The requests of the actor's own accounts with ``cluster``, newest first."""
    return QuoteRequest.objects.filter(
        cluster=cluster, account_id__in=actor.trade_account_ids
    ).select_related("account")


def rfq_list_for_cluster(
    *, actor: Actor, cluster: Cluster, status: str | None = None
) -> QuerySet[QuoteRequest]:
    """The cluster's requests, for its admins and platform staff."""
    if not _can_read_cluster(actor, cluster.pk):
        return QuoteRequest.objects.none()
    requests = QuoteRequest.objects.filter(cluster=cluster).select_related("account")
    return requests.filter(status=status) if status else requests


def rfq_list_for_member(*, actor: Actor, member: Member) -> QuerySet[QuoteRequest]:
    """The requests with lines for ``member``, for its team and platform staff."""
    if not (actor.is_platform_staff or actor.is_member_team(member.pk)):
        return QuoteRequest.objects.none()
    return (
        QuoteRequest.objects.filter(lines__member=member)
        .distinct()
        .select_related("account", "cluster")
    )


def rfq_get_for_buyer(*, actor: Actor, cluster: Cluster, pk: int) -> QuoteRequest:
    request = rfq_list_for_buyer(actor=actor, cluster=cluster).filter(pk=pk).first()
    if request is None:
        raise _not_found()
    return request


def rfq_get_for_admin(*, actor: Actor, cluster: Cluster, pk: int) -> QuoteRequest:
    request = rfq_list_for_cluster(actor=actor, cluster=cluster).filter(pk=pk).first()
    if request is None:
        raise _not_found()
    return request


def rfq_get_for_member(*, actor: Actor, member: Member, pk: int) -> QuoteRequest:
    request = rfq_list_for_member(actor=actor, member=member).filter(pk=pk).first()
    if request is None:
        raise _not_found()
    return request


def rfq_get(*, actor: Actor, pk: int) -> QuoteRequest:
    """A request for its buyers, its cluster's admins, platform staff, or the team
    of a member with lines in it (who then sees only its own lines:
    ``rfq_lines_for``)."""
    request = (
        QuoteRequest.objects.select_related("cluster", "account").filter(pk=pk).first()
    )
    if request is None:
        raise _not_found()
    sees_all = request.account_id in actor.trade_account_ids or _can_read_cluster(
        actor, request.cluster_id
    )
    if not sees_all and not request.lines.filter(member_id__in=actor.member_ids):
        raise _not_found()
    return request


def rfq_lines_for(*, actor: Actor, request: QuoteRequest) -> QuerySet[QuoteRequestLine]:
    """The lines ``actor`` may see: all for the buyer, the cluster's admins and
    platform staff; a member's team only its own lines (never another member's
    price)."""
    lines = request.lines.select_related("member", "variant").prefetch_related(
        "attachments"
    )
    if request.account_id in actor.trade_account_ids or _can_read_cluster(
        actor, request.cluster_id
    ):
        return lines
    return lines.filter(member_id__in=actor.member_ids)


def quotes_for(*, actor: Actor, request: QuoteRequest) -> list[Quote]:
    """The request's quotes, newest revision first, for its buyer, the cluster's
    admins and platform staff (members never see the assembled quote)."""
    if not (
        request.account_id in actor.trade_account_ids
        or _can_read_cluster(actor, request.cluster_id)
    ):
        return []
    return list(request.quotes.order_by("-revision").prefetch_related("lines__member"))


def quote_get(*, actor: Actor, pk: int) -> Quote:
    """One quote for its request's buyer, the cluster's admins and platform staff."""
    quote = (
        Quote.objects.select_related("request__cluster", "request__account")
        .filter(pk=pk)
        .first()
    )
    if quote is None or not (
        quote.request.account_id in actor.trade_account_ids
        or _can_read_cluster(actor, quote.request.cluster_id)
    ):
        raise Http404(_("No quote of yours has this number."))
    return quote


# --- Trade orders -------------------------------------------------------------------


def trade_orders_for_cluster(*, actor: Actor, cluster: Cluster) -> QuerySet[TradeOrder]:
    """The cluster's trade orders, newest first (its admins and platform staff)."""
    if not _can_read_cluster(actor, cluster.pk):
        return TradeOrder.objects.none()
    return (
        TradeOrder.objects.filter(order__cluster=cluster)
        .select_related("order", "account", "quote__request")
        .order_by("-created_at", "-pk")
    )


def trade_order_get(*, actor: Actor, number: str) -> TradeOrder:
    """One trade order by its order number, for its buyers, its cluster's admins
    and platform staff; 404 for anyone else."""
    made = (
        TradeOrder.objects.select_related("order__cluster", "account", "quote__request")
        .filter(order__number=number)
        .first()
    )
    if made is None or not (
        made.account_id in actor.trade_account_ids
        or _can_read_cluster(actor, made.order.cluster_id)
    ):
        raise Http404(_("No trade order of yours has this number."))
    return made

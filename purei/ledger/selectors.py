"""Reading the books: balances, what a payout run would pay, a check that every
journal balances (docs/money.md), who may see a member's money, and a cluster's
documents for its admins."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.ledger.models import Account, Invoice, Journal, Payout, PayoutRun, Posting
from purei.members.models import Member
from purei.members.selectors import member_get_for_team
from purei.orders.models import Fulfilment

if TYPE_CHECKING:
    from purei.orders.models import Order

# A fulfilment's money is paid out once it can no longer be cancelled: it has
# left (or is waiting at the pickup point), arrived, or was cancelled outright.
SETTLED_STATUSES = (
    Fulfilment.Status.SHIPPED,
    Fulfilment.Status.READY,
    Fulfilment.Status.DELIVERED,
    Fulfilment.Status.COLLECTED,
    Fulfilment.Status.CANCELLED,
)


def ledger_unbalanced_journals() -> list[int]:
    """The ids of journals whose postings do not sum to zero, or that have none
    (one query; empty when the books are sound)."""
    rows = (
        Journal.objects.annotate(
            total=Coalesce(Sum("postings__amount_cents"), Value(0)),
            legs=Count("postings"),
        )
        .filter(~Q(total=0) | Q(legs=0))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(rows)


def invoice_sequence_gaps() -> list[str]:
    """Each document series (an owner's series, docs/money.md "Numbers") whose
    numbers are not exactly 1…n: ``"<member or cluster> <series>: …"`` lines,
    one query; empty when every series is gapless and every number unique."""
    rows = (
        Invoice.objects.values("member_id", "cluster_id", "series", "sequence")
    ).order_by("pk")
    seen: dict[tuple[str, int, str], list[int]] = {}
    for row in rows.iterator():
        owner = (
            ("member", row["member_id"], row["series"])
            if row["member_id"] is not None
            else ("cluster", row["cluster_id"], row["series"])
        )
        seen.setdefault(owner, []).append(row["sequence"])
    problems = []
    for (kind, owner_id, series), numbers in seen.items():
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            problems.append(f"{kind} {owner_id} {series}: {numbers}")
    return problems


def member_balance_cents(member_id: int, cluster_id: int) -> int:
    """What ``cluster`` owes the member now (negative: the member owes it)."""
    total = Posting.objects.filter(
        account__cluster_id=cluster_id,
        account__kind=Account.Kind.MEMBER_PAYABLE,
        account__member_id=member_id,
    ).aggregate(total=Sum("amount_cents"))["total"]
    return -int(total or 0)


def member_sales_cents(
    member_id: int, cluster_id: int, start: datetime, end: datetime
) -> int:
    """What ``member_id`` sold through ``cluster_id`` from ``start`` up to
    ``end``: the credits to its payable booked by captures and trade invoices
    (its sales, before commission and fees). A levy's turnover band reads it."""
    total = Posting.objects.filter(
        account__cluster_id=cluster_id,
        account__kind=Account.Kind.MEMBER_PAYABLE,
        account__member_id=member_id,
        amount_cents__lt=0,
        journal__kind__in=[Journal.Kind.CAPTURE, Journal.Kind.TRADE_INVOICE],
        journal__occurred_at__gte=start,
        journal__occurred_at__lt=end,
    ).aggregate(total=Sum("amount_cents"))["total"]
    return -int(total or 0)


def account_balances(cluster_id: int) -> dict[str, int]:
    """The debit balance of each kind of the cluster's accounts (members'
    payables summed); kinds never posted to are 0. The values sum to zero."""
    balances = dict.fromkeys(Account.Kind.values, 0)
    rows = (
        Posting.objects.filter(account__cluster_id=cluster_id)
        .values("account__kind")
        .annotate(total=Sum("amount_cents"))
    )
    for row in rows:
        balances[row["account__kind"]] = int(row["total"] or 0)
    return balances


def member_balances(cluster_id: int) -> dict[int, int]:
    """What the cluster owes each member with a payable account, by member id."""
    rows = (
        Posting.objects.filter(
            account__cluster_id=cluster_id, account__kind=Account.Kind.MEMBER_PAYABLE
        )
        .values("account__member_id")
        .annotate(total=Sum("amount_cents"))
    )
    return {int(row["account__member_id"]): -int(row["total"] or 0) for row in rows}


# --- Payouts ---------------------------------------------------------------------


def eligible_postings(cluster_id: int, until: datetime) -> dict[int, list[Posting]]:
    """The member-payable postings a payout run up to ``until`` would settle, by
    member id: not settled yet, dated up to ``until``, and not tied to a part of
    an order that could still be cancelled (or whose order is unpaid). A trade
    order on account, or with only its deposit in, has no ``paid_at`` until the
    buyer has paid all of it (its receivable settled, docs/trade.md "Getting
    paid"): its members' parts wait for the buyer's money, even once shipped."""
    settled_part = Q(fulfilment__status__in=SETTLED_STATUSES) & Q(
        fulfilment__order__paid_at__isnull=False
    )
    postings = (
        Posting.objects.filter(
            account__cluster_id=cluster_id,
            account__kind=Account.Kind.MEMBER_PAYABLE,
            payout_item__isnull=True,
            journal__occurred_at__lte=until,
        )
        .filter(Q(fulfilment__isnull=True) | settled_part)
        .select_related("account")
        .order_by("account__member_id", "pk")
    )
    by_member: dict[int, list[Posting]] = {}
    for posting in postings:
        member_id = posting.account.member_id
        assert member_id is not None  # noqa: S101  # payables always have a member
        by_member.setdefault(member_id, []).append(posting)
    return by_member


@dataclass
class PayoutPreview:
    """What a run would do for one member: pay ``amount_cents`` when
    ``payable``, else why not (``reason``)."""

    member: Member
    amount_cents: int
    payable: bool
    reason: str = ""
    posting_ids: list[int] = field(default_factory=list)


def payout_blocker(member: Member) -> str:
    """Why ``member`` cannot be paid by bank transfer ("" when it can)."""
    from purei.core.validators import bank_account_is_valid

    if not member.bank_account or not bank_account_is_valid(member.bank_account):
        return _("No valid bank account for payouts.")
    if not member.bank_account_name.strip():
        return _("No name on the bank account.")
    return ""


def payout_preview(cluster: Cluster, until: datetime) -> list[PayoutPreview]:
    """What a payout run of ``cluster`` up to ``until`` would pay each member
    owed money (members whose eligible money nets to zero or less are left out:
    it carries to the next run)."""
    from purei.members.models import Member

    by_member = eligible_postings(cluster.pk, until)
    members = Member.objects.in_bulk(list(by_member))
    previews = []
    for member_id, postings in by_member.items():
        amount = -sum(posting.amount_cents for posting in postings)
        if amount <= 0:
            continue
        member = members[member_id]
        reason = payout_blocker(member)
        previews.append(
            PayoutPreview(
                member=member,
                amount_cents=amount,
                payable=not reason,
                reason=reason,
                posting_ids=[posting.pk for posting in postings],
            )
        )
    previews.sort(key=lambda p: (p.member.name.casefold(), p.member.pk))
    return previews


def member_upcoming_payout(member: Member, cluster: Cluster) -> PayoutPreview | None:
    """What a run now would pay ``member`` in ``cluster`` (None: nothing)."""
    for preview in payout_preview(cluster, timezone.now()):
        if preview.member.pk == member.pk:
            return preview
    return None


# --- Who may see a member's money (the money screens and the API) ---------------


def member_for_money(actor: Actor, slug: str) -> tuple[Member, list[Cluster], bool]:
    """The member at ``slug`` and the clusters whose money with it ``actor`` may
    see: every cluster it belongs to (or has books in) for its team and platform
    staff; only the clusters it runs for a cluster admin. The flag: whether
    ``actor`` is the member's team (or platform staff). ``Http404`` otherwise."""
    try:
        member = member_get_for_team(actor=actor, slug=slug)
        team = True
    except Http404:
        found_member = Member.objects.filter(slug=slug).first()
        if found_member is None or not actor.admin_cluster_ids:
            raise
        member, team = found_member, False
    clusters = Cluster.objects.filter(
        Q(memberships__member=member) | Q(ledger_accounts__member=member)
    )
    if not team:
        clusters = clusters.filter(pk__in=actor.admin_cluster_ids)
    found = list(clusters.distinct().order_by("name_en", "pk"))
    if not team and not found:
        raise Http404(_("No business you manage lives at this address."))
    return member, found, team


def payout_for_member(member: Member, clusters: list[Cluster], number: str) -> Payout:
    """One of the member's payouts by its number; ``Http404`` otherwise."""
    payout = (
        Payout.objects.filter(member=member, cluster__in=clusters, number=number)
        .select_related("cluster", "run", "member")
        .order_by("pk")
        .first()
    )
    if payout is None:
        raise Http404(_("No such payout."))
    return payout


# --- A cluster's documents, for its admins --------------------------------------

SALE_DOCUMENTS = (
    Invoice.Kind.TAX_INVOICE,
    Invoice.Kind.INVOICE,
    Invoice.Kind.CREDIT_NOTE,
)


def _cluster_documents(actor: Actor, cluster: Cluster) -> QuerySet[Invoice]:
    """Every document of ``cluster``, for its admins and platform staff;
    ``Http404`` for anyone else."""
    if not (actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)):
        raise Http404(_("No cluster you manage lives at this address."))
    return Invoice.objects.filter(cluster_id=cluster.pk)


def invoice_get_for_cluster(
    *, actor: Actor, cluster: Cluster, invoice_id: int
) -> Invoice:
    """One invoice, credit note or commission invoice of ``cluster`` (what it
    corrects and its order joined), for the cluster's admins and platform staff;
    ``Http404`` otherwise, and for a document of another cluster."""
    found = (
        _cluster_documents(actor, cluster)
        .filter(pk=invoice_id)
        .select_related("cluster", "order", "payout", "corrects")
        .first()
    )
    if found is None:
        raise Http404(_("No such invoice in this cluster."))
    return found


def invoices_list_for_order(
    *, actor: Actor, cluster: Cluster, order: Order
) -> list[Invoice]:
    """The invoices and credit notes of ``order`` (one of ``cluster``'s), by part
    and then as issued: one query."""
    return list(
        _cluster_documents(actor, cluster)
        .filter(order_id=order.pk, kind__in=SALE_DOCUMENTS)
        .select_related("corrects")
        .order_by("fulfilment_id", "issued_at", "pk")
    )


def commission_invoices_for_run(
    *, actor: Actor, cluster: Cluster, run: PayoutRun
) -> dict[int, Invoice]:
    """The commission invoice of each payout of ``run`` (one of ``cluster``'s
    runs), by payout id: one query. Payouts with no commission have none."""
    documents = _cluster_documents(actor, cluster).filter(
        payout__run_id=run.pk, kind=Invoice.Kind.COMMISSION
    )
    return {
        invoice.payout_id: invoice
        for invoice in documents.order_by("pk")
        if invoice.payout_id is not None
    }

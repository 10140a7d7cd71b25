"""Reads the request-for-quote screens need besides ``purei.trade.selectors``: what a
buyer may ask for, the members an admin may assign, line counts for the lists, and
one attachment for whoever may see its line. Each is scoped to the actor (or takes
a cluster the caller reached through its own scope) and costs a fixed number of
queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from purei.catalogue.models import Variant
from purei.catalogue.selectors import public_listings
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Member, Membership
from purei.trade.models import QuoteRequest, QuoteRequestAttachment, QuoteRequestLine
from purei.trade.selectors import rfq_get, rfq_lines_for

MAX_VARIANTS = 500  # the new request's product choices: a long select, not a shop


def rfq_variants_for(cluster: Cluster) -> list[Variant]:
    """The variants of ``cluster``'s public products a buyer may ask for, by
    member, product and variant (one query; at most ``MAX_VARIANTS``)."""
    return list(
        Variant.objects.filter(
            product_id__in=public_listings(cluster).values("product_id")
        )
        .select_related("product", "member")
        .order_by(
            "member__trading_name",
            "member__legal_name",
            "member_id",
            "product__title_en",
            "product_id",
            "position",
            "pk",
        )[:MAX_VARIANTS]
    )


def rfq_members_for(cluster: Cluster) -> list[Member]:
    """The approved members of ``cluster``, by name (one query)."""
    members = Member.objects.filter(
        memberships__cluster=cluster,
        memberships__status=Membership.Status.APPROVED,
    ).distinct()
    return sorted(members, key=lambda m: (m.name.casefold(), m.pk))


def rfq_with_line_counts(
    requests: QuerySet[QuoteRequest],
) -> QuerySet[QuoteRequest]:
    """``requests`` each with ``line_count`` (every line), newest first."""
    return requests.annotate(line_count=Count("lines", distinct=True)).order_by(
        "-created_at", "-pk"
    )


@dataclass(frozen=True)
class LineCounts:
    total: int
    priced: int

    @property
    def waiting(self) -> int:
        return self.total - self.priced


def rfq_member_line_counts(
    *, actor: Actor, member: Member, request_ids: list[int]
) -> dict[int, LineCounts]:
    """How many of ``member``'s lines each request has, and how many it priced
    (or can't supply), by request id: for its team and platform staff (one
    query)."""
    if not (actor.is_platform_staff or actor.is_member_team(member.pk)):
        return {}
    priced = Q(cannot_supply=True) | Q(unit_price_nzd_cents__isnull=False)
    rows = (
        QuoteRequestLine.objects.filter(request_id__in=request_ids, member=member)
        .values("request_id")
        .annotate(total=Count("pk"), priced=Count("pk", filter=priced))
        .order_by()
    )
    return {
        row["request_id"]: LineCounts(total=row["total"], priced=row["priced"])
        for row in rows
    }


def rfq_attachment_get(*, actor: Actor, pk: int) -> QuoteRequestAttachment:
    """A file of a request's line, for those who see the line: the buyer, the
    cluster's admins, platform staff and the team of the line's member. Http404
    for anyone else."""
    attachment = (
        QuoteRequestAttachment.objects.select_related("line__request__cluster")
        .filter(pk=pk)
        .first()
    )
    if attachment is None:
        raise Http404(_("No file of yours has this number."))
    request = rfq_get(actor=actor, pk=attachment.line.request_id)
    if (
        not rfq_lines_for(actor=actor, request=request)
        .filter(pk=attachment.line_id)
        .exists()
    ):
        raise Http404(_("No file of yours has this number."))
    return attachment

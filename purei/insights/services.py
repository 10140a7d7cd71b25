"""What a member's team changes in insights: its wholesale prices and whether it
is counted in its cluster's benchmarks. Each is one transaction, audited."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from purei.catalogue.models import Variant
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.members.models import Member, Membership

from .errors import InsightsErrorCode
from .models import BenchmarkOptIn, WholesalePrice

MAX_PRICE_CENTS = 100_000_000  # $1,000,000 a unit


def _require_team(actor: Actor, member: Member) -> None:
    if not actor.is_authenticated:
        raise NotPermitted(
            InsightsErrorCode.LOGIN_REQUIRED, _("Log in to change wholesale prices.")
        )
    if not actor.is_member_team(member.pk):
        raise NotPermitted(
            InsightsErrorCode.NOT_MEMBER_TEAM,
            _("Only the team of %(member)s can change its wholesale prices.")
            % {"member": member},
        )


def _variant_of(member: Member, variant_id: int) -> Variant:
    variant = Variant.objects.filter(pk=variant_id, member_id=member.pk).first()
    if variant is None:
        raise ValidationFailed(
            InsightsErrorCode.NOT_MEMBERS_VARIANT,
            {"variant": [_("Choose one of your own products' variants.")]},
        )
    return variant


@transaction.atomic
def wholesale_price_set(
    *, actor: Actor, member: Member, variant_id: int, price_cents: int | None
) -> WholesalePrice | None:
    """Give one of the member's variants its wholesale price (cents, excluding
    GST), change it, or (``None``) take it away. Its team only."""
    _require_team(actor, member)
    variant = _variant_of(member, variant_id)
    current = WholesalePrice.objects.select_for_update().filter(variant=variant).first()
    before = {"price_cents": current.price_cents} if current else {}
    if price_cents is None:
        if current is None:
            return None
        current.delete()
        audit_record(
            actor=actor,
            verb="insights.wholesale_price_cleared",
            target=variant,
            member_id=member.pk,
            before=before,
        )
        return None
    if not 0 < price_cents <= MAX_PRICE_CENTS:
        raise ValidationFailed(
            InsightsErrorCode.INVALID,
            {"price_cents": [_("Give a price above $0 and up to $1,000,000.")]},
        )
    if current is not None and current.price_cents == price_cents:
        return current
    price, _created = WholesalePrice.objects.update_or_create(
        variant=variant, defaults={"member": member, "price_cents": price_cents}
    )
    audit_record(
        actor=actor,
        verb="insights.wholesale_price_set",
        target=variant,
        member_id=member.pk,
        before=before,
        after={"price_cents": price_cents},
    )
    return price


@transaction.atomic
def benchmark_opt_in_set(
    *, actor: Actor, member: Member, cluster: Cluster, opted_in: bool
) -> BenchmarkOptIn | None:
    """Count the member, anonymously, in ``cluster``'s benchmarks (or stop).
    Its owners decide (sharing the business's figures is theirs to agree to),
    in a cluster it is approved in."""
    if not actor.is_authenticated or not actor.is_member_owner(member.pk):
        raise NotPermitted(
            InsightsErrorCode.NOT_MEMBER_OWNER,
            _("Only the owners of %(member)s can choose this.") % {"member": member},
        )
    approved = Membership.objects.filter(
        member=member, cluster=cluster, status=Membership.Status.APPROVED
    ).exists()
    if not approved:
        raise ValidationFailed(
            InsightsErrorCode.NOT_IN_CLUSTER,
            {"cluster": [_("Choose a cluster your business sells in.")]},
        )
    current = BenchmarkOptIn.objects.filter(member=member, cluster=cluster).first()
    if opted_in and current is None:
        current = BenchmarkOptIn.objects.create(
            member=member, cluster=cluster, opted_in_by=actor.user
        )
        audit_record(
            actor=actor,
            verb="insights.benchmark_opted_in",
            target=current,
            cluster_id=cluster.pk,
            member_id=member.pk,
        )
    elif not opted_in and current is not None:
        audit_record(
            actor=actor,
            verb="insights.benchmark_opted_out",
            target=current,
            cluster_id=cluster.pk,
            member_id=member.pk,
        )
        current.delete()
        current = None
    return current

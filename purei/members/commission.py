"""A member's own commission rate in one cluster (``Membership.commission_rate``):
empty means the cluster's rate applies (purei.ledger.commission.commission_rate).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from purei.clusters.brand_money import commission_from
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import NotPermitted, ValidationFailed

from .memberships import (
    MembershipErrorCode,
)
from .models import Membership


@transaction.atomic
def membership_commission_update(
    *, actor: Actor, membership: Membership, rate: str | Decimal | None
) -> Membership:
    """Set the member's own commission rate in the membership's cluster: a
    percentage from 0 to 100 with at most two decimals, or ``None`` / ``""`` for
    the cluster's rate. The cluster's admins and platform staff only. Audited as
    ``membership.commission_changed`` (before/after) when it changes."""
    if not (actor.is_platform_staff or actor.is_cluster_admin(membership.cluster_id)):
        raise NotPermitted(
            MembershipErrorCode.NOT_CLUSTER_ADMIN,
            _("Only this cluster's admins can change a member's commission."),
        )
    locked = (
        Membership.objects.select_for_update()
        .select_related("member", "cluster")
        .get(pk=membership.pk)
    )
    before = snapshot(locked, ["commission_rate"])
    if rate is None or (isinstance(rate, str) and not rate.strip()):
        locked.commission_rate = None
    else:
        value, messages = commission_from(rate)
        if value is None:
            raise ValidationFailed(
                MembershipErrorCode.INVALID_MEMBERSHIP, {"commission_rate": messages}
            )
        locked.commission_rate = value
    after = snapshot(locked, ["commission_rate"])
    if before != after:
        locked.save(update_fields=["commission_rate", "updated_at"])
        audit_record(
            actor=actor,
            verb="membership.commission_changed",
            target=locked,
            cluster_id=locked.cluster_id,
            member_id=locked.member_id,
            before=before,
            after=after,
        )
    membership.commission_rate = locked.commission_rate
    return locked

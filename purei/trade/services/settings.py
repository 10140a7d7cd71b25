"""A cluster's trade settings (the minimum first order), set by its admins."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.money import MAX_CENTS
from purei.trade.models import ClusterTrade

from .accounts import TradeErrorCode


@transaction.atomic
def cluster_trade_settings_set(
    *, actor: Actor, cluster: Cluster, min_first_order_cents: int
) -> ClusterTrade:
    """Set the minimum first order (NZD cents, ex-GST and ex-freight; 0 for none)."""
    if not actor.is_cluster_admin(cluster.pk):
        raise NotPermitted(
            TradeErrorCode.NOT_ADMIN,
            _("Only the cluster's admins change its trade settings."),
        )
    if not 0 <= min_first_order_cents <= MAX_CENTS:
        raise ValidationFailed(
            TradeErrorCode.INVALID_TERMS,
            {"min_first_order_cents": [_("Give an amount from $0 to $1,000,000.")]},
        )
    settings, _created = ClusterTrade.objects.select_for_update().get_or_create(
        cluster=cluster
    )
    before = {"min_first_order_cents": settings.min_first_order_cents}
    settings.min_first_order_cents = min_first_order_cents
    settings.save()
    audit_record(
        actor=actor,
        verb="trade.settings_changed",
        target=settings,
        cluster_id=cluster.pk,
        before=before,
        after={"min_first_order_cents": min_first_order_cents},
    )
    return settings

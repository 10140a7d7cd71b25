"""How a cluster's products are listed: its listing rules.

- ``listings_need_approval``: a curator of the cluster approves each product before
  it shows in the cluster's shop (the default), or products are listed as soon as
  their member makes them live.
- ``cultural_review``: works that carry cultural designs also wait for the
  cluster's kaitiaki, or are treated like any other product (the default).

The rules apply when a product is listed (``purei.catalogue.services.listings``);
listings already waiting for a decision keep waiting. The cluster's admins (and
platform staff) change them on ``/manage/clusters/<slug>/listing-rules/``, with
``PATCH /api/v1/clusters/<slug>/listing-rules`` and in the Django admin, all
through ``cluster_listing_rules_update``; every change is an audit row,
``cluster.listing_rules_updated``, with the values before and after.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import ValidationFailed

from .brand import require_cluster_admin
from .errors import ClusterErrorCode
from .models import Cluster

LISTING_RULE_FIELDS = ("listings_need_approval", "cultural_review")


@dataclass(frozen=True)
class ListingRules:
    """The rules to set; ``None`` leaves a rule as it is."""

    listings_need_approval: bool | None = None
    cultural_review: bool | None = None


@transaction.atomic
def cluster_listing_rules_update(
    *, actor: Actor, cluster: Cluster, rules: ListingRules
) -> Cluster:
    """Set the cluster's listing rules given in ``rules``.

    Only the cluster's admins and platform staff may (``NotPermitted`` otherwise,
    and nothing changes). A rule that is not True or False is refused with
    ``ValidationFailed`` naming it. Records ``cluster.listing_rules_updated`` with
    what changed, before and after; nothing is recorded when nothing changed.
    """
    require_cluster_admin(actor, cluster)
    errors = {
        name: [_("Choose yes or no.")]
        for name in LISTING_RULE_FIELDS
        if getattr(rules, name) is not None
        and not isinstance(getattr(rules, name), bool)
    }
    if errors:
        raise ValidationFailed(ClusterErrorCode.INVALID_LISTING_RULES, errors)
    locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
    before = snapshot(locked, LISTING_RULE_FIELDS)
    for name in LISTING_RULE_FIELDS:
        value = getattr(rules, name)
        if value is not None:
            setattr(locked, name, value)
    after = snapshot(locked, LISTING_RULE_FIELDS)
    if before != after:
        # One UPDATE of these columns: what is public now does not change (the
        # rules apply to products listed from now on), so the shelf is left alone.
        locked.updated_at = timezone.now()
        Cluster.objects.filter(pk=locked.pk).update(
            **after, updated_at=locked.updated_at
        )
        audit_record(
            actor=actor,
            verb="cluster.listing_rules_updated",
            target=locked,
            cluster_id=locked.pk,
            before=before,
            after=after,
        )
    return locked

"""A cluster's documents on pages of the apps below the ledger, which cannot ask
for them themselves (the ledger reads orders; orders never import the ledger).

- ``{% cluster_order_documents cluster order %}``: the order's invoices and credit
  notes, each with links to its page and its PDF in the cluster's manage screens
  (``ledger:cluster-invoice``), for the cluster's admins and platform staff. One
  query.
"""

from __future__ import annotations

from typing import Any

from django import template

from purei.clusters.models import Cluster
from purei.core.actor import actor_from
from purei.ledger.selectors import invoices_list_for_order
from purei.orders.models import Order

register = template.Library()


@register.inclusion_tag("ledger/cluster/_order_documents.html", takes_context=True)
def cluster_order_documents(
    context: template.Context, cluster: Cluster, order: Order
) -> dict[str, Any]:
    actor = actor_from(context["request"])
    return {
        "cluster": cluster,
        "documents": invoices_list_for_order(actor=actor, cluster=cluster, order=order),
    }

"""Orders in ``/manage/``: the lists and the packing slip.

- ``/manage/members/<slug>/orders/``: the member's fulfilments by what is to do.
- ``/manage/members/<slug>/orders/<number>/packing-slip/``: printable.
- ``/manage/clusters/<slug>/orders/``: a cluster admin's list of every order of
  the cluster, with filters and search.

One order's screens (``…/orders/<number>/``), where parts are cancelled and money
goes back, are settlement's (``purei.settlement.views.manage``). The member's team
and platform staff see a member's lists; the cluster's admins and platform staff
the cluster's; anyone else gets a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.core.actor import actor_from
from purei.members.selectors import member_get_for_team, member_team_for
from purei.orders.models import Order
from purei.orders.pickup import pickup_details
from purei.orders.selectors import (
    FULFILMENT_TABS,
    ORDER_FILTERS,
    UNPAID_TAB,
    consignment_of,
    fulfilment_get_for_team,
    fulfilments_for_member,
    orders_for_cluster,
)
from purei.web.shell import cluster_manage_context, member_manage_context

PAGE_SIZE = 25


@login_required
@require_GET
def member_orders_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The member's fulfilments, by what is to do, newest first."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    tab = request.GET.get("tab", "to_pack")
    if tab not in FULFILMENT_TABS and tab not in (UNPAID_TAB, "all"):
        tab = "to_pack"
    fulfilments = fulfilments_for_member(
        actor, member, status=None if tab == "all" else tab
    )
    page = Paginator(fulfilments, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [
        {"key": key, "label": label, "current": key == tab}
        for key, (label, _statuses) in FULFILMENT_TABS.items()
    ]
    tabs.insert(
        0,
        {
            "key": UNPAID_TAB,
            "label": _("Awaiting payment"),
            "current": tab == UNPAID_TAB,
        },
    )
    tabs.append({"key": "all", "label": _("All"), "current": tab == "all"})
    context = member_manage_context(
        member=member,
        section="orders",
        team=member_team_for(actor=actor, member=member),
    )
    context.update(page=page, tab=tab, tabs=tabs, fulfilments=page.object_list)
    return render(request, "orders/manage/member_orders.html", context)


@login_required
@require_GET
def packing_slip_view(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    """A printable packing slip for one fulfilment (no prices)."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    fulfilment = fulfilment_get_for_team(actor, member, number)
    order = fulfilment.order
    lines = [line for line in fulfilment.lines.all() if line.live_quantity]
    return render(
        request,
        "orders/manage/packing_slip.html",
        {
            "member": member,
            "fulfilment": fulfilment,
            "order": order,
            "lines": lines,
            "any_fresh": any(
                line.cold_chain_mark or line.harvested_on or line.best_before
                for line in lines
            ),
            "pickup": pickup_details(fulfilment, order.cluster),
            "consignment": consignment_of(order),
        },
    )


@login_required
@require_GET
def cluster_orders_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Every order of the cluster: payment, totals, members; filters and search."""
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    status = request.GET.get("status", "")
    if status not in ORDER_FILTERS:
        status = ""
    q = request.GET.get("q", "").strip()[:100]
    orders = orders_for_cluster(actor, cluster, {"status": status, "q": q})
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    context = cluster_manage_context(cluster, "orders")
    context.update(
        page=page,
        orders=page.object_list,
        status=status,
        q=q,
        filters=[
            ("", _("All")),
            (Order.Status.AWAITING_PAYMENT, _("Awaiting payment")),
            (Order.Status.PAID, _("Paid")),
            (Order.Status.ON_ACCOUNT, _("On account")),
            (Order.Status.CANCELLED, _("Cancelled")),
        ],
    )
    return render(request, "orders/manage/cluster_orders.html", context)

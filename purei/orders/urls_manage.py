"""Orders in ``/manage/``: members' and cluster admins' lists, and the packing slip.
One order's screens, where money moves, are settlement's
(``purei.settlement.urls``)."""

from django.urls import URLPattern, path

from .views import lists

urlpatterns: list[URLPattern] = [
    path(
        "manage/members/<slug:slug>/orders/",
        lists.member_orders_view,
        name="member-orders",
    ),
    path(
        "manage/members/<slug:slug>/orders/<str:number>/packing-slip/",
        lists.packing_slip_view,
        name="member-order-packing-slip",
    ),
    path(
        "manage/clusters/<slug:slug>/orders/",
        lists.cluster_orders_view,
        name="cluster-orders",
    ),
]

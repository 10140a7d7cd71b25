"""Orders in ``/manage/``: members' fulfilments and cluster admins' orders."""

from django.urls import URLPattern, path

from .views import manage

urlpatterns: list[URLPattern] = [
    path(
        "manage/members/<slug:slug>/orders/",
        manage.member_orders_view,
        name="member-orders",
    ),
    path(
        "manage/members/<slug:slug>/orders/<str:number>/",
        manage.member_order_view,
        name="member-order",
    ),
    path(
        "manage/members/<slug:slug>/orders/<str:number>/packing-slip/",
        manage.packing_slip_view,
        name="member-order-packing-slip",
    ),
    path(
        "manage/clusters/<slug:slug>/orders/",
        manage.cluster_orders_view,
        name="cluster-orders",
    ),
    path(
        "manage/clusters/<slug:slug>/orders/<str:number>/",
        manage.cluster_order_view,
        name="cluster-order",
    ),
]

"""Settlement's pages: where an order's money moves. The paths are the ones these
pages always had (the Stripe webhook's is registered in Stripe's dashboard)."""

from django.urls import URLPattern, path

from .views import manage, shop

app_name = "settlement"

urlpatterns: list[URLPattern] = [
    path("c/<slug:slug>/checkout/", shop.checkout_view, name="checkout"),
    path("orders/<slug:number>/", shop.order_detail_view, name="order-detail"),
    path("orders/<slug:number>/pay/", shop.order_pay_view, name="order-pay"),
    path(
        "manage/members/<slug:slug>/orders/<str:number>/",
        manage.member_order_view,
        name="member-order",
    ),
    path(
        "manage/clusters/<slug:slug>/orders/<str:number>/",
        manage.cluster_order_view,
        name="cluster-order",
    ),
    # (The Stripe webhook, /payments/stripe/webhook/, is language-neutral:
    # purei/urls.py.)
]

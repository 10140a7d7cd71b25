"""The shopper's pages: a cluster's cart and checkout, the order page and the
customer's order history (views in ``views/shopper.py``)."""

from django.urls import URLPattern, path

from .views import shopper

urlpatterns: list[URLPattern] = [
    path("c/<slug:slug>/cart/", shopper.cart_view, name="cart"),
    path("c/<slug:slug>/cart/add/", shopper.cart_add_view, name="cart-add"),
    path("c/<slug:slug>/cart/update/", shopper.cart_update_view, name="cart-update"),
    path("c/<slug:slug>/checkout/", shopper.checkout_view, name="checkout"),
    path("orders/<slug:number>/", shopper.order_detail_view, name="order-detail"),
    path("orders/<slug:number>/pay/", shopper.order_pay_view, name="order-pay"),
    path("accounts/orders/", shopper.order_list_view, name="order-list"),
]

"""The shopper's pages: a cluster's cart and the customer's order history (views in
``views/cart.py``). Checkout and the order page are settlement's
(``purei.settlement.urls``): paying may settle the order at once."""

from django.urls import URLPattern, path

from .views import cart

urlpatterns: list[URLPattern] = [
    path("c/<slug:slug>/cart/", cart.cart_view, name="cart"),
    path("c/<slug:slug>/cart/add/", cart.cart_add_view, name="cart-add"),
    path("c/<slug:slug>/cart/update/", cart.cart_update_view, name="cart-update"),
    path("accounts/orders/", cart.order_list_view, name="order-list"),
]

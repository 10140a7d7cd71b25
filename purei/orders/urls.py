"""URLs of orders: shipping and pickup settings (``urls_shipping``), the shopper's
cart, checkout and orders (``urls_shop``), and members' and admins' order screens
(``urls_manage``), sales windows' screens (``urls_windows``)."""

from django.urls import include, path

app_name = "orders"

urlpatterns = [
    path("", include("purei.orders.urls_shipping")),
    path("", include("purei.orders.urls_shop")),
    path("", include("purei.orders.urls_manage")),
    path("", include("purei.orders.urls_freight")),
    path("", include("purei.orders.urls_windows")),
]

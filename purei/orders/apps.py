from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "purei.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from purei.catalogue import page_cache

        from .models import (
            ChilledRate,
            HubDelivery,
            PickupEvent,
            SalesWindow,
            SalesWindowItem,
            ShippingPolicy,
            ShippingRate,
        )
        from .shopper import cart_link_hole, cart_merge_on_login

        # A kept storefront page's cart link shows this visitor's items.
        page_cache.register_hole("cart-link", cart_link_hole)

        # A product page's delivery estimate, pickups and sales window: a change
        # shows on kept pages at once (a window item's ``sold`` is raised with an
        # UPDATE, so a sale does not count as a change here).
        page_cache.shown_on_kept_pages(
            ShippingPolicy,
            ShippingRate,
            ChilledRate,
            HubDelivery,
            PickupEvent,
            SalesWindow,
            SalesWindowItem,
        )

        # A guest's cart follows them into their account when they log in.
        user_logged_in.connect(
            cart_merge_on_login, dispatch_uid="purei.orders.cart_merge_on_login"
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    """Promotions (ADR 0013): promo codes and automatic promotions, their scope,
    limits and who pays; checkout (in orders) asks them what an order's discount is."""

    name = "purei.promotions"
    label = "promotions"
    verbose_name = _("Promotions")

    def ready(self) -> None:
        from purei.catalogue.page_cache import shown_on_kept_pages

        from .models import Promotion

        # A product page's delivery estimate counts free-delivery promotions.
        shown_on_kept_pages(Promotion)

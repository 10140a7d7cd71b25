from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    """Marketing together (ADR 0013): being found (sitemap, robots.txt, product
    feeds, schema.org, share links, the embeddable widget), stories and newsletters,
    reviews."""

    name = "purei.marketing"
    label = "marketing"
    verbose_name = _("Marketing")

    def ready(self) -> None:
        from purei.catalogue.page_cache import shown_on_kept_pages

        from .models import Review

        # A product page's reviews: one published, answered or hidden shows on
        # kept pages at once.
        shown_on_kept_pages(Review)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    """Marketing together (ADR 0013): being found (sitemap, robots.txt, product
    feeds, schema.org, share links, the embeddable widget), stories and newsletters,
    reviews."""

    name = "purei.marketing"
    label = "marketing"
    verbose_name = _("Marketing")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo: ``purei seed_demo`` puts together every app's seed (clusters,
    members, products, orders and money), so it sits above them all."""

    name = "purei.demo"
    label = "demo"
    verbose_name = _("Demo")

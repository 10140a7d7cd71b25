from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    """Selling to businesses: trade accounts, trade terms, exchange rates (and, to
    come, quotes across members, trade orders and export papers)."""

    name = "purei.trade"
    label = "trade"
    verbose_name = _("Trade")

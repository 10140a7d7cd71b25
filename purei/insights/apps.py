from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Insights (issue 15): how a cluster and its members are doing, read from
    orders, the ledger, the catalogue, members, clusters and promotions; charts
    drawn on the server as accessible SVG. At the top of the layers: it reads
    every app below it, and nothing imports it (docs/insights.md, ADR 0018)."""

    name = "purei.insights"
    label = "insights"
    verbose_name = _("Insights")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    """Working together, members only (issue 15, ADR 0017): a cluster's notice
    board, shared resources, partner search and the members' own directory."""

    name = "purei.cooperation"
    label = "cooperation"
    verbose_name = _("Working together")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running Pūrei: ``purei backup`` and ``purei restore`` (docs/operations.md).
    It reads every app's tables and the ledger's checks, so it sits above them
    all, beside the API and the demo."""

    name = "purei.operations"
    label = "operations"
    verbose_name = _("Operations")

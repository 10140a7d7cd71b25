from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """People's data under their control (docs/privacy.md): a member's export of
    its business, a shopper's export of their account, and closing an account.
    It reads the catalogue, orders, the ledger, trade and marketing, so it sits
    above them all, below the API that gathers its router."""

    name = "purei.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiKeysConfig(AppConfig):
    """API keys for machines (issue 17, ADR 0019): issued by a member's owner, a
    cluster's admin or a trade buyer, narrowed to that owner and the key's scopes;
    and the API's idempotency records (the ``Idempotency-Key`` header)."""

    name = "purei.apikeys"
    label = "apikeys"
    verbose_name = _("API keys")
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Webhooks out (issue 17): endpoints a member's owners or a cluster's admins
    register, signed deliveries retried for 24 hours, a delivery log. The apps
    below tell it what happened through ``purei.core.events`` (never importing it):
    its receiver is connected here."""

    name = "purei.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from purei.core.events import domain_event

        from .receivers import event_received

        domain_event.connect(event_received, dispatch_uid="webhooks.event_received")

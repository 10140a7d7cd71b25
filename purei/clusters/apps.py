from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClustersConfig(AppConfig):
    name = "purei.clusters"
    label = "clusters"
    verbose_name = _("Clusters")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .models import Region
        from .selectors import regions_changed

        # The cached list of regions (selectors.regions_in_order), emptied when
        # one changes.
        post_save.connect(regions_changed, sender=Region, dispatch_uid="regions-saved")
        post_delete.connect(
            regions_changed, sender=Region, dispatch_uid="regions-deleted"
        )

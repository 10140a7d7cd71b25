"""Load New Zealand's regions (ISO 3166-2:NZ) from purei.clusters.regions."""

from django.db import migrations


def load_regions(apps, schema_editor):
    from purei.clusters.regions import REGIONS

    Region = apps.get_model("clusters", "Region")
    for position, data in enumerate(REGIONS):
        Region.objects.update_or_create(
            code=data.code,
            defaults={
                "name_en": data.name_en,
                "name_mi": data.name_mi,
                "other_names": data.other_names,
                "island": data.island,
                "time_zone": data.time_zone,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("clusters", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]

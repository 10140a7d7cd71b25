"""Cluster.search_text: folded text for case- and macron-insensitive search."""

from django.db import migrations, models


def fill_search_text(apps, schema_editor):
    from purei.clusters.search import CLUSTER_SEARCH_FIELDS, fold

    Cluster = apps.get_model("clusters", "Cluster")
    for cluster in Cluster.objects.all():
        cluster.search_text = fold(
            " ".join(str(getattr(cluster, name)) for name in CLUSTER_SEARCH_FIELDS)
        )
        cluster.save(update_fields=["search_text"])


class Migration(migrations.Migration):
    dependencies = [("clusters", "0002_load_regions")]

    operations = [
        migrations.AddField(
            model_name="cluster",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]

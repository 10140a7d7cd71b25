# The newest AUD rate each cluster recorded, copied onto the cluster (where the
# checkout's A$1,000 test reads it; the rate service keeps it from now on). Here, in
# trade, because trade knows clusters and not the other way round.

from django.db import migrations


def newest_aud_rates(apps, schema_editor):
    """Copy each cluster's newest recorded AUD rate (the trade app's
    ``ExchangeRate``) onto the cluster, as the rate service keeps it from now on."""
    Cluster = apps.get_model("clusters", "Cluster")
    ExchangeRate = apps.get_model("trade", "ExchangeRate")
    for cluster in Cluster.objects.all():
        row = (
            ExchangeRate.objects.filter(cluster_id=cluster.pk, currency="AUD")
            .order_by("-as_of", "-pk")
            .first()
        )
        if row is not None:
            cluster.aud_rate = row.rate
            cluster.aud_rate_source = row.source
            cluster.aud_rate_as_of = row.as_of
            cluster.save(
                update_fields=["aud_rate", "aud_rate_source", "aud_rate_as_of"]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0007_cluster_au_gst"),
        ("trade", "0003_buyer_prices"),
    ]

    operations = [
        migrations.RunPython(newest_aud_rates, migrations.RunPython.noop),
    ]

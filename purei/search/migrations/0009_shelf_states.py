"""The search app keeps its own facts (issue 11, ADR 0006): what decides whether a
product is public — each listing (``ShelfListing``), membership
(``ShelfMembership``) and cluster (``ShelfCluster``) as the services last told it —
filled here from the catalogue's, members' and clusters' tables, and every
product's facts on its ``SearchDocument`` on both engines (on SQLite the documents
were empty; on PostgreSQL those of products public nowhere could be stale).

On PostgreSQL this rewrites every document once: ``VACUUM ANALYZE
search_searchdocument`` afterwards gives back the dead row versions.
"""

import re

import django.db.models.deletion
from django.db import migrations, models

# As purei.search.entries has them when this migration was written.
KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
SEP = "\x1f"
CHUNK = 2000

CLUSTERS = """
INSERT INTO search_shelfcluster (cluster_id, live)
SELECT id, status = 'live' FROM clusters_cluster
"""
MEMBERSHIPS = """
INSERT INTO search_shelfmembership (member_id, cluster_id, open)
SELECT member_id, cluster_id, status = 'approved' FROM members_membership
"""
LISTINGS = """
INSERT INTO search_shelflisting (product_id, cluster_id, member_id, listed)
SELECT l.product_id, l.cluster_id, p.member_id,
    p.status = 'live' AND l.status = 'approved'
    AND l.cultural_review IN ('not_needed', 'approved')
FROM catalogue_listing l JOIN catalogue_product p ON p.id = l.product_id
"""
FACTS = (
    "title",
    "created_at",
    "lowest_price_cents",
    "in_stock",
    "category_id",
    "member_id",
    "origin_region_id",
    "attribute_tokens",
)


def _text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _tokens(attributes):
    if not isinstance(attributes, dict):
        return ""
    tokens = [
        f"{key}={_text(value).replace(SEP, ' ')}"
        for key, value in sorted(attributes.items())
        if isinstance(key, str)
        and KEY.match(key)
        and isinstance(value, str | int | float | bool)
        and str(value).strip()
    ]
    return SEP + SEP.join(tokens) + SEP if tokens else ""


def fill(apps, schema_editor):
    for statement in (CLUSTERS, MEMBERSHIPS, LISTINGS):
        schema_editor.execute(statement)
    Product = apps.get_model("catalogue", "Product")
    SearchDocument = apps.get_model("search", "SearchDocument")
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        documents = [
            SearchDocument(
                product_id=pk,
                title=title,
                created_at=created,
                lowest_price_cents=price,
                in_stock=stocked,
                category_id=category,
                member_id=member,
                origin_region_id=region,
                attribute_tokens=_tokens(attributes),
            )
            for pk, title, created, price, stocked, category, member, region, attributes
            in Product.objects.filter(pk__in=ids[start : start + CHUNK]).values_list(
                "pk",
                "title_en",
                "created_at",
                "lowest_price_cents",
                "in_stock",
                "category_id",
                "member_id",
                "origin_region_id",
                "attributes",
            )
        ]
        SearchDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["product"],
            update_fields=list(FACTS),
        )


def empty(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        apps.get_model("search", "SearchDocument").objects.all().delete()



class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0005_product_variant_facts'),
        ('clusters', '0006_cluster_money'),
        ('members', '0002_membership_commission_rate'),
        ('search', '0008_shelf_newest_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='ShelfCluster',
            fields=[
                ('cluster', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='clusters.cluster')),
                ('live', models.BooleanField(default=False)),
            ],
        ),
        migrations.CreateModel(
            name='ShelfListing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('listed', models.BooleanField(default=False)),
                ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='clusters.cluster')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.member')),
                ('product', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.product')),
            ],
            options={
                'indexes': [models.Index(fields=['member', 'cluster'], name='search_shel_member__8f1f4b_idx'), models.Index(fields=['cluster'], name='search_shel_cluster_cb7c2e_idx')],
                'constraints': [models.UniqueConstraint(fields=('product', 'cluster'), name='search_shelflisting_unique')],
            },
        ),
        migrations.CreateModel(
            name='ShelfMembership',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('open', models.BooleanField(default=False)),
                ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='clusters.cluster')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='members.member')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('member', 'cluster'), name='search_shelfmembership_unique')],
            },
        ),
        migrations.RunPython(fill, empty),
    ]

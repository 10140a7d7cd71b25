import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

import purei.search.models

SQLITE_CREATE = [
    # Folded text (purei.clusters.search.fold) goes in; unicode61 with
    # remove_diacritics 2 folds anything that slips through the same way.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_product_fts USING fts5("
    "title, tags, names, body, place, attributes, "
    "tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS search_product_fts"]

POSTGRES_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_document_vector_gin "
    "ON search_searchdocument USING gin (vector)",
    "CREATE INDEX IF NOT EXISTS search_document_folded_trgm "
    "ON search_searchdocument USING gin (folded gin_trgm_ops)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_document_folded_trgm",
    "DROP INDEX IF EXISTS search_document_vector_gin",
]


def _run(schema_editor: BaseDatabaseSchemaEditor, by_vendor: dict[str, list[str]]) -> None:
    for statement in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create_engine_objects(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def drop_engine_objects(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "vector",
                    purei.search.models.TsVectorField(editable=False, null=True),
                ),
                ("folded", models.TextField(default="", editable=False)),
                (
                    "product",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="search_document",
                        to="catalogue.product",
                    ),
                ),
            ],
        ),
        migrations.RunPython(create_engine_objects, drop_engine_objects),
    ]

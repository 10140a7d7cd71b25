"""The documents' folded text and its trigram index go: near-misses are corrected
from the dictionary of indexed words (``search_word``) since 0003, and the column
(~430 bytes a document) and the index only slowed writes and text searches."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def drop_trigram_index(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_folded_trgm")


def create_trigram_index(
    apps: StateApps, schema_editor: BaseDatabaseSchemaEditor
) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_document_folded_trgm "
            "ON search_searchdocument USING gin (folded gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0006_document_facts"),
    ]

    operations = [
        migrations.RunPython(drop_trigram_index, create_trigram_index),
        migrations.RemoveField(
            model_name="searchdocument",
            name="folded",
        ),
    ]

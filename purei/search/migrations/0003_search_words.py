"""PostgreSQL: a dictionary of the index's words, with a trigram index, to correct
a misspelt word ("avacado" → "avocado") before searching (``purei.search.engine``).
Nothing on SQLite."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

POSTGRES_CREATE = [
    "CREATE TABLE IF NOT EXISTS search_word (word text PRIMARY KEY)",
    "CREATE INDEX IF NOT EXISTS search_word_trgm "
    "ON search_word USING gin (word gin_trgm_ops)",
    "INSERT INTO search_word (word) "
    "SELECT word FROM ts_stat('SELECT vector FROM search_searchdocument') "
    "ON CONFLICT DO NOTHING",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_word"]


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_catalogue_version")]

    operations = [migrations.RunPython(create, drop)]

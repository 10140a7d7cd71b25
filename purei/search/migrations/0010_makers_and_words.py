"""Search relevance (issue 13): makers and clusters are found by their own text, and
near-misses are corrected on SQLite too.

- ``SearchMaker``: each maker's names, story keywords and place, folded; and
  ``ShelfCluster.names``. Both are filled by ``purei search_reindex`` (run it after
  this migration: until then products are not found by their maker's story or
  their clusters' names, and their category names stay in their text).
- SQLite: the FTS5 table gets two columns, ``maker`` and ``about`` (FTS5 cannot add
  a column: the table is made again and the rows copied); a dictionary of the
  index's words (``search_word``) with a trigram index (``search_word_trigram``,
  FTS5's ``trigram`` tokenizer), filled here from the index's own vocabulary.
- PostgreSQL: ``search_own_vector`` keeps each product's own weighted
  ``tsvector``, so the document's ``vector`` (its own text and its maker's) can be
  written again when only the maker's text changed.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

OLD_COLUMNS = "title, tags, names, body, place, attributes"
TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE search_product_fts_new USING fts5({OLD_COLUMNS}, "
    f"maker, about, {TOKENIZE})",
    f"INSERT INTO search_product_fts_new (rowid, {OLD_COLUMNS}, maker, about) "
    f"SELECT rowid, {OLD_COLUMNS}, '', '' FROM search_product_fts",
    "DROP TABLE search_product_fts",
    "ALTER TABLE search_product_fts_new RENAME TO search_product_fts",
    "CREATE TABLE search_word (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE)",
    "CREATE VIRTUAL TABLE search_word_trigram USING fts5(word, "
    "content = 'search_word', content_rowid = 'id', tokenize = 'trigram')",
    "CREATE TRIGGER search_word_added AFTER INSERT ON search_word BEGIN "
    "INSERT INTO search_word_trigram (rowid, word) VALUES (new.id, new.word); END",
    "CREATE TRIGGER search_word_removed AFTER DELETE ON search_word BEGIN "
    "INSERT INTO search_word_trigram (search_word_trigram, rowid, word) "
    "VALUES ('delete', old.id, old.word); END",
    "CREATE VIRTUAL TABLE temp.search_vocabulary "
    "USING fts5vocab(main, 'search_product_fts', 'row')",
    "INSERT OR IGNORE INTO search_word (word) SELECT term FROM "
    "temp.search_vocabulary WHERE length(term) >= 3 ORDER BY term",
    "DROP TABLE temp.search_vocabulary",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_word_removed",
    "DROP TRIGGER IF EXISTS search_word_added",
    "DROP TABLE IF EXISTS search_word_trigram",
    "DROP TABLE IF EXISTS search_word",
    f"CREATE VIRTUAL TABLE search_product_fts_old USING fts5({OLD_COLUMNS}, "
    f"{TOKENIZE})",
    f"INSERT INTO search_product_fts_old (rowid, {OLD_COLUMNS}) "
    f"SELECT rowid, {OLD_COLUMNS} FROM search_product_fts",
    "DROP TABLE search_product_fts",
    "ALTER TABLE search_product_fts_old RENAME TO search_product_fts",
]

POSTGRES_CREATE = [
    # No foreign key to search_searchdocument: Django's flush (between
    # transactional tests) truncates its own tables without CASCADE, which a
    # table outside its models referencing one of them makes fail. The index
    # deletes a product's own vector with its document (``purei.search.index``).
    "CREATE TABLE IF NOT EXISTS search_own_vector ("
    "product_id bigint PRIMARY KEY, own tsvector NOT NULL)",
    "INSERT INTO search_own_vector (product_id, own) "
    "SELECT product_id, coalesce(vector, ''::tsvector) FROM search_searchdocument "
    "ON CONFLICT DO NOTHING",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS search_own_vector"]


def _run(schema_editor: BaseDatabaseSchemaEditor, by_vendor: dict[str, list[str]]) -> None:
    for statement in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create_engine_objects(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def drop_engine_objects(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_membership_commission_rate"),
        ("search", "0009_shelf_states"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchMaker",
            fields=[
                (
                    "member",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="members.member",
                    ),
                ),
                ("names", models.TextField(default="")),
                ("about", models.TextField(default="")),
            ],
        ),
        migrations.AddField(
            model_name="shelfcluster",
            name="names",
            field=models.TextField(default=""),
        ),
        migrations.RunPython(create_engine_objects, drop_engine_objects),
    ]

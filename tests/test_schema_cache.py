"""The test database copied from the kept schema (tests/schema_cache.py) is the
migrated one: every migration applied, the ledger's triggers in place."""

from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import schema_cache


@pytest.mark.django_db
def test_the_test_database_has_every_migration_applied() -> None:
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    assert executor.migration_plan(targets) == []


@pytest.mark.django_db
def test_the_copy_holds_what_post_migrate_made() -> None:
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.filter(app_label="ledger").exists()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
        assert cursor.fetchone()[0] > 0


def test_a_changed_added_or_removed_migration_changes_the_key(tmp_path: Path) -> None:
    (tmp_path / "0001_initial.py").write_text("operations = []\n")
    first = schema_cache.key_of({"shop": tmp_path})

    (tmp_path / "0001_initial.py").write_text("operations = [1]\n")
    changed = schema_cache.key_of({"shop": tmp_path})
    (tmp_path / "0002_more.py").write_text("operations = []\n")
    added = schema_cache.key_of({"shop": tmp_path})
    (tmp_path / "0002_more.py").unlink()
    removed = schema_cache.key_of({"shop": tmp_path})

    assert len({first, changed, added}) == 3
    assert removed == changed
    assert schema_cache.key_of({"other": tmp_path}) != removed

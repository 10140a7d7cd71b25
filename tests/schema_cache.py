"""The migrated schema, made once and copied after (CI time, not correctness).

Migrating an empty database takes ~26 s here (Django renders the model state after
each of some 500 operations), and a CI run migrated about a dozen: each test process
of each suite (SQLite, PostgreSQL, Redis, perf, browser) and each served demo (API
fuzz, Lighthouse). Now the first of them migrates as before and keeps the result;
every later one starts from a copy of it:

- SQLite: a file under the temporary directory, copied with SQLite's backup API
  (into the in-memory test database, or to the demo's file);
- PostgreSQL: a template database on the same server, ``purei_schema_<key>``, from
  which each test database is made with ``CREATE DATABASE … TEMPLATE``.

The key is a hash of every migration file of every installed app, Django's version and
the database vendor, so a changed, added or removed migration makes a new copy (and
the PostgreSQL templates of older keys are dropped). What ``migrate`` leaves behind
(the ledger's append-only triggers, content types and permissions from
``post_migrate``) is in the copy, as the copy is taken after ``migrate`` has finished.
Only the test database's own ``migrate`` is replaced: a test that calls ``migrate``
itself runs the real one. ``PUREI_SCHEMA_CACHE=0`` turns the copy off.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import cache, wraps
from pathlib import Path
from typing import Any
from unittest import mock

import django
from django.apps import apps
from django.core.management.commands import migrate
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.creation import BaseDatabaseCreation

DIRECTORY = Path(tempfile.gettempdir()) / "purei-schema"
TEMPLATE_PREFIX = "purei_schema_"


def enabled() -> bool:
    return os.environ.get("PUREI_SCHEMA_CACHE", "1") not in {"0", "false", "no"}


@cache
def key() -> str:
    """A hash of every installed app's migration files and Django's version."""
    return key_of(
        {app.label: Path(app.path) / "migrations" for app in apps.get_app_configs()}
    )


def key_of(folders: dict[str, Path]) -> str:
    digest = hashlib.sha256(django.get_version().encode())
    for label in sorted(folders):
        for path in sorted(folders[label].glob("*.py")):
            digest.update(f"{label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


@contextmanager
def _locked(name: str) -> Iterator[None]:
    """One process at a time makes or copies this schema (xdist workers, suites)."""
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    with (DIRECTORY / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# SQLite ------------------------------------------------------------------------------


def sqlite_template() -> Path:
    return DIRECTORY / f"sqlite-{key()}.sqlite3"


def _save_sqlite(source: sqlite3.Connection) -> None:
    target = sqlite_template()
    partial = target.with_suffix(f".{os.getpid()}.part")
    copy = sqlite3.connect(partial)
    try:
        source.backup(copy)
    finally:
        copy.close()
    os.replace(partial, target)


def _restore_sqlite(target: sqlite3.Connection) -> None:
    source = sqlite3.connect(f"file:{sqlite_template()}?mode=ro", uri=True)
    try:
        source.backup(target)
    finally:
        source.close()


def migrated_sqlite_file(path: Path, migrate: Callable[[], object]) -> None:
    """A served demo's database file at ``path``, migrated by ``migrate()``: on a copy
    of the kept schema if there is one (``migrate`` then applies nothing, and says
    so), else from empty, the result kept for the next."""
    if not enabled():
        migrate()
        return
    with _locked(f"sqlite-{key()}"):
        kept = sqlite_template().exists()
        if kept:
            target = sqlite3.connect(path)
            try:
                _restore_sqlite(target)
            finally:
                target.close()
        migrate()
        if not kept:
            done = sqlite3.connect(path)
            try:
                _save_sqlite(done)
            finally:
                done.close()


# PostgreSQL --------------------------------------------------------------------------


def _pg_template() -> str:
    return f"{TEMPLATE_PREFIX}{key()}"


def _pg_lock_name(connection: BaseDatabaseWrapper) -> str:
    settings = connection.settings_dict
    return (
        f"pg-{settings.get('HOST') or 'local'}-{settings.get('PORT') or 5432}-{key()}"
    )


def _pg_exists(connection: BaseDatabaseWrapper, name: str) -> bool:
    with connection.creation._nodb_cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _pg_copy(connection: BaseDatabaseWrapper, source: str, target: str) -> None:
    """``target`` made anew from ``source`` (no one may be connected to either)."""
    connection.close()
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def _pg_drop_older_templates(connection: BaseDatabaseWrapper) -> None:
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
            [f"{TEMPLATE_PREFIX}%", _pg_template()],
        )
        for (name,) in cursor.fetchall():
            # One in use by another run is left for later.
            with suppress(DatabaseError):
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")


# The test databases' own migrate -----------------------------------------------------


def _kept_migrate(
    original: Callable[..., Any], connection: BaseDatabaseWrapper
) -> Callable[..., Any]:
    """``migrate``'s handle for one test database: a copy of the kept schema, or
    the real migrate once, kept for the next."""

    @wraps(original)
    def handle(command: migrate.Command, *args: Any, **options: Any) -> Any:
        if options.get("database") != connection.alias:
            return original(command, *args, **options)
        if connection.vendor == "sqlite":
            with _locked(f"sqlite-{key()}"):
                connection.ensure_connection()
                if sqlite_template().exists():
                    _restore_sqlite(connection.connection)
                    return None
                result = original(command, *args, **options)
                _save_sqlite(connection.connection)
                return result
        with _locked(_pg_lock_name(connection)):
            name = connection.settings_dict["NAME"]
            if not _pg_exists(connection, _pg_template()):
                result = original(command, *args, **options)
                _pg_drop_older_templates(connection)
                _pg_copy(connection, name, _pg_template())
                return result
            _pg_copy(connection, _pg_template(), name)
            return None

    return handle


def install() -> None:
    """Wrap test database creation (pytest_configure): SQLite and PostgreSQL test
    databases whose settings migrate start from the kept schema."""
    if not enabled():
        return
    create = BaseDatabaseCreation.create_test_db

    @wraps(create)
    def create_test_db(self: BaseDatabaseCreation, *args: Any, **kwargs: Any) -> Any:
        connection = self.connection
        if connection.vendor not in {"sqlite", "postgresql"} or (
            connection.settings_dict.get("TEST", {}).get("MIGRATE") is False
        ):
            return create(self, *args, **kwargs)
        handle = _kept_migrate(migrate.Command.handle, connection)
        with mock.patch.object(migrate.Command, "handle", handle):
            return create(self, *args, **kwargs)

    BaseDatabaseCreation.create_test_db = create_test_db  # type: ignore[method-assign]

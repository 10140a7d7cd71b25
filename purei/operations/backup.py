"""One archive holds everything Pūrei keeps: the database and the files
(docs/operations.md).

The archive is a gzipped tar::

    manifest.json        format, engine, time, row counts per table, ledger totals
    database.sqlite3     SQLite: a copy made with the online backup API
    database.pgdump      PostgreSQL: ``pg_dump -Fc`` (custom format)
    media/<name>         every file of the default storage (logos, photos, and,
                         when they share it, the private ones: credential
                         evidence, board attachments, library files, minutes,
                         quote attachments)
    private/<name>       every file of the private storage, when it is a storage
                         of its own (object storage: the private bucket)

Files are read and written through the storage API only, so media in S3 buckets
(``S3_ENDPOINT_URL``) are backed up and restored like files on disk. Restoring a
backup made without object storage into buckets sends the files of private
folders (``PRIVATE_PREFIXES``) to the private bucket.

**Consistent.** SQLite's backup API copies the pages of one moment while the site
keeps serving; the counts and totals in the manifest are read from that copy.
PostgreSQL's counts and totals are read in a repeatable-read transaction whose
snapshot ``pg_dump --snapshot`` then dumps, so the manifest describes exactly
what the dump holds.

**Restore** refuses a database that already holds people's data (users, clusters,
members, orders or journals) unless forced, loads the copy, puts the files back,
and then checks the result against the manifest: every table's row count and
every ledger total identical, every journal balanced, every invoice series
gapless. A difference is a failed restore (``RestoreFailed``).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from purei.accounts.models import User
from purei.clusters.models import Cluster
from purei.core.storage import (
    PRIVATE_PREFIXES,
    private_is_default,
    private_storage,
)
from purei.ledger.models import Account, Invoice, Journal, Payout, Posting
from purei.ledger.selectors import invoice_sequence_gaps, ledger_unbalanced_journals
from purei.members.models import Member
from purei.orders.models import Order

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_DIR = "media"
PRIVATE_DIR = "private"
# The tables people's data starts from: a target with a row in any of them is not
# empty (``migrate`` alone fills others: regions, categories, content types).
PEOPLES_TABLES = (User, Cluster, Member, Order, Journal)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


class RestoreFailed(BackupError):
    """The restored database does not match the archive's manifest."""


@dataclass(frozen=True)
class RestoreReport:
    manifest: dict[str, Any]
    tables: int
    rows: int
    files: int
    differences: list[str] = field(default_factory=list)


# --- Facts about a database ---------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_counts(cursor: Any, tables: Sequence[str]) -> dict[str, int]:
    """Rows in each table, by name (sorted)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - names from the catalogue
        counts[table] = int(cursor.fetchone()[0])
    return counts


def ledger_totals(cursor: Any) -> dict[str, Any]:
    """The ledger's figures, read with plain SQL (so they can be read from a
    copy as well as from the live database): debits and credits, the balance of
    each cluster's account kinds, payouts, and the documents issued."""
    posting = Posting._meta.db_table
    account = Account._meta.db_table
    journal = Journal._meta.db_table
    payout = Payout._meta.db_table
    invoice = Invoice._meta.db_table

    def one(sql: str) -> int:
        cursor.execute(sql)
        return int(cursor.fetchone()[0] or 0)

    by_account: dict[str, int] = {}
    cursor.execute(
        f"SELECT a.cluster_id, a.kind, SUM(p.amount_cents) FROM {posting} p "  # noqa: S608 - our own table names
        f"JOIN {account} a ON a.id = p.account_id GROUP BY a.cluster_id, a.kind "
        "ORDER BY a.cluster_id, a.kind"
    )
    for cluster_id, kind, total in cursor.fetchall():
        by_account[f"{cluster_id}:{kind}"] = int(total or 0)
    invoices: dict[str, list[int]] = {}
    cursor.execute(
        f"SELECT kind, COUNT(*), SUM(total_cents), SUM(gst_cents) FROM {invoice} "  # noqa: S608 - our own table name
        "GROUP BY kind ORDER BY kind"
    )
    for kind, count, total, gst in cursor.fetchall():
        invoices[kind] = [int(count), int(total or 0), int(gst or 0)]
    return {
        "journals": one(f"SELECT COUNT(*) FROM {journal}"),  # noqa: S608
        "postings": one(f"SELECT COUNT(*) FROM {posting}"),  # noqa: S608
        "debits_cents": one(
            f"SELECT SUM(amount_cents) FROM {posting} WHERE amount_cents > 0"  # noqa: S608
        ),
        "credits_cents": -one(
            f"SELECT SUM(amount_cents) FROM {posting} WHERE amount_cents < 0"  # noqa: S608
        ),
        "balances_cents": by_account,
        "payouts_cents": one(f"SELECT SUM(amount_cents) FROM {payout}"),  # noqa: S608
        "invoices": invoices,
    }


def _facts(connection: BaseDatabaseWrapper) -> tuple[dict[str, int], dict[str, Any]]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return table_counts(cursor, tables), ledger_totals(cursor)


def target_is_empty(connection: BaseDatabaseWrapper) -> bool:
    """No row in any of the tables people's data starts from (missing tables
    count as empty)."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in PEOPLES_TABLES:
            name = model._meta.db_table
            if name in tables:
                cursor.execute(f"SELECT 1 FROM {_quote(name)} LIMIT 1")  # noqa: S608
                if cursor.fetchone() is not None:
                    return False
    return True


# --- The files ----------------------------------------------------------------


def storage_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in ``storage``, folder by folder."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from storage_files(storage, f"{folder}/{sub}" if folder else sub)


def _private_storage(storage: Storage) -> Storage | None:
    """The private storage when it is one of its own, beside ``storage`` (the
    default one); None when private files are in the default storage."""
    if storage is not default_storage or private_is_default():
        return None
    return private_storage()


def _archive_files(
    tar: tarfile.TarFile, storage: Storage, folder: str
) -> tuple[int, int]:
    """Add every file of ``storage`` to ``tar`` under ``folder``/: how many, and
    their bytes."""
    files = size = 0
    for name in storage_files(storage):
        with storage.open(name, "rb") as handle:
            data = handle.read()
        info = tarfile.TarInfo(f"{folder}/{name}")
        info.size = len(data)
        info.mtime = int(timezone.now().timestamp())
        tar.addfile(info, io.BytesIO(data))
        files += 1
        size += len(data)
    return files, size


# --- PostgreSQL -----------------------------------------------------------------


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    if sslmode := (settings_dict.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(sslmode)
    return env


def _pg_tool(name: str, connection: BaseDatabaseWrapper) -> str:
    """The client program ``name``, refused when older than the server (pg_dump
    cannot dump a newer server)."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client programs "
            "of the server's version (Debian: postgresql-client)."
        )
    out = subprocess.run(  # noqa: S603 - a fixed program found on PATH
        [path, "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    client = int(match.group(1)) if match else 0
    connection.ensure_connection()
    server = int(getattr(connection, "pg_version", 0)) // 10000
    if client < server:
        raise BackupError(
            f"{name} {client} is older than the server ({server}): install the "
            f"client programs of version {server} or later."
        )
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        args, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()}")


def _pg_dump(
    connection: BaseDatabaseWrapper, target: Path
) -> tuple[dict[str, int], dict[str, Any]]:
    """Dump in the snapshot of a repeatable-read transaction, reading the
    counts and totals in the same snapshot."""
    pg_dump = _pg_tool("pg_dump", connection)
    env = _pg_env(connection.settings_dict)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts, totals = _facts(connection)
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env,
        )
    return counts, totals


def _pg_restore(connection: BaseDatabaseWrapper, source: Path, *, wipe: bool) -> None:
    pg_restore = _pg_tool("pg_restore", connection)
    env = _pg_env(connection.settings_dict)
    if wipe:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    connection.close()
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        env,
    )


# --- SQLite ---------------------------------------------------------------------


def _sqlite_backup(
    connection: BaseDatabaseWrapper, target: Path
) -> tuple[dict[str, int], dict[str, Any]]:
    """Copy with the online backup API (readers and writers carry on), then
    read the counts and totals from the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        return table_counts(cursor, tables), ledger_totals(cursor)
    finally:
        copy.close()


def _sqlite_restore(connection: BaseDatabaseWrapper, source: Path) -> None:
    """Copy the archive's pages over the target's, with the same API."""
    connection.ensure_connection()
    copy = sqlite3.connect(source)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


# --- Backup -----------------------------------------------------------------------


def _engine(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"No backup for the {connection.vendor} engine.")
    return connection.vendor


def backup_create(
    archive: Path,
    *,
    using: str = "default",
    storage: Storage | None = None,
) -> dict[str, Any]:
    """Write the database and every stored file to ``archive`` (a ``.tar.gz``);
    answer its manifest. Written beside the target and renamed at the end, so a
    failed backup never leaves a half archive under the name."""
    connection = connections[using]
    storage = storage or default_storage
    private = _private_storage(storage)
    engine = _engine(connection)
    archive = Path(archive)
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="purei-backup-") as work:
        db_name = SQLITE_FILE if engine == "sqlite" else PG_FILE
        db_path = Path(work) / db_name
        if engine == "sqlite":
            counts, totals = _sqlite_backup(connection, db_path)
        else:
            counts, totals = _pg_dump(connection, db_path)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(db_path, arcname=db_name)
            files, size = _archive_files(tar, storage, MEDIA_DIR)
            kept = {"media": {"files": files, "bytes": size}}
            if private is not None:
                files, size = _archive_files(tar, private, PRIVATE_DIR)
                kept[PRIVATE_DIR] = {"files": files, "bytes": size}
            manifest = {
                "format": FORMAT_VERSION,
                "engine": engine,
                "created_at": timezone.now().isoformat(),
                "database_file": db_name,
                "database_bytes": db_path.stat().st_size,
                "tables": counts,
                "ledger": totals,
                **kept,
            }
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(body))
        partial.replace(archive)
    return manifest


# --- Restore ----------------------------------------------------------------------


def archive_manifest(archive: Path) -> dict[str, Any]:
    """The manifest of ``archive``, its format checked."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            manifest: dict[str, Any] = json.loads(member.read())
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError) as error:
        raise BackupError(f"{archive} is not a Pūrei backup: {error}") from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} is in format {manifest.get('format')}; this Pūrei reads "
            f"format {FORMAT_VERSION}."
        )
    return manifest


def compare(manifest: dict[str, Any], connection: BaseDatabaseWrapper) -> list[str]:
    """What differs between ``manifest`` and the database, and any broken
    ledger invariant; empty when the restore is whole."""
    counts, totals = _facts(connection)
    differences = []
    expected: dict[str, int] = manifest["tables"]
    for table in sorted(set(expected) | set(counts)):
        if expected.get(table) != counts.get(table):
            differences.append(
                f"table {table}: {counts.get(table)} rows, the backup had "
                f"{expected.get(table)}"
            )
    for key in sorted(set(manifest["ledger"]) | set(totals)):
        if manifest["ledger"].get(key) != totals.get(key):
            differences.append(
                f"ledger {key}: {totals.get(key)}, the backup had "
                f"{manifest['ledger'].get(key)}"
            )
    if unbalanced := ledger_unbalanced_journals():
        differences.append(f"journals that do not balance: {unbalanced}")
    differences.extend(
        f"invoice numbers with gaps: {gap}" for gap in invoice_sequence_gaps()
    )
    return differences


def backup_restore(
    archive: Path,
    *,
    force: bool = False,
    using: str = "default",
    storage: Storage | None = None,
) -> RestoreReport:
    """Load ``archive`` into the database ``using`` and its files into
    ``storage``, then check the result against the manifest (``RestoreFailed``
    on any difference). A target that holds people's data is refused unless
    ``force``."""
    connection = connections[using]
    storage = storage or default_storage
    manifest = archive_manifest(Path(archive))
    engine = _engine(connection)
    if manifest["engine"] != engine:
        raise BackupError(
            f"The backup is of a {manifest['engine']} database; the target is {engine}."
        )
    empty = target_is_empty(connection)
    if not empty and not force:
        raise BackupError(
            "The target database is not empty (it has users, clusters, members, "
            "orders or journals). Restore into an empty database, or pass --force "
            "to replace everything in it."
        )
    files = 0
    with (
        tempfile.TemporaryDirectory(prefix="purei-restore-") as work,
        tarfile.open(archive, "r:gz") as tar,
    ):
        db_member = tar.getmember(manifest["database_file"])
        tar.extractall(work, members=[db_member], filter="data")
        db_path = Path(work) / manifest["database_file"]
        if engine == "sqlite":
            _sqlite_restore(connection, db_path)
        else:
            # A migrated but empty target still has tables: start afresh.
            _pg_restore(connection, db_path, wipe=True)
        private = _private_storage(storage)
        for member in tar:
            folder, _slash, name = member.name.partition("/")
            if not member.isfile() or folder not in (MEDIA_DIR, PRIVATE_DIR):
                continue
            target = storage
            if private is not None and (
                folder == PRIVATE_DIR or name.startswith(PRIVATE_PREFIXES)
            ):
                target = private  # from a backup made before the private bucket
            handle = tar.extractfile(member)
            if handle is None:
                continue
            if target.exists(name):
                target.delete(name)
            saved = target.save(name, File(handle, name=name))
            if saved != name:
                raise BackupError(f"The file {name} was saved as {saved}.")
            files += 1
    connection.close()
    differences = compare(manifest, connection)
    report = RestoreReport(
        manifest=manifest,
        tables=len(manifest["tables"]),
        rows=sum(manifest["tables"].values()),
        files=files,
        differences=differences,
    )
    if differences:
        raise RestoreFailed("; ".join(differences))
    return report

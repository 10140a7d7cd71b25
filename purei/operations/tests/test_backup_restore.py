"""``purei backup`` and ``purei restore`` round trip, on the engine the suite runs
on (SQLite, or PostgreSQL with DATABASE_URL): money booked through the real
services, backed up, restored into an EMPTY database (SQLite: a new file;
PostgreSQL: a database created here), and every table's row count and every
ledger total is identical, every journal balances and every invoice series is
gapless (the ledger's own checks)."""

from __future__ import annotations

import tarfile
import uuid
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend
from django.utils import timezone

from purei.core.actor import Actor
from purei.ledger.models import Invoice, Journal
from purei.ledger.selectors import invoice_sequence_gaps, ledger_unbalanced_journals
from purei.ledger.services.payouts import payout_run
from purei.ledger.tests.factories import (
    cluster_admin,
    dispatch,
    money_cluster,
    money_member,
    pay,
    place_order,
)
from purei.members.models import Credential
from purei.members.tests.factories import CredentialFactory
from purei.operations.backup import (
    BackupError,
    _facts,
    archive_manifest,
    backup_create,
    backup_restore,
)
from purei.orders.models import Order
from purei.settlement.services import order_refund

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EVIDENCE = b"%PDF-1.4 licence evidence"


@pytest.fixture(autouse=True)
def _test_gateway(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True


def _stored_files(folder: str = "") -> int:
    """How many files the default storage holds (the test process's storage is
    shared: other tests' files may be there too, and belong in a backup)."""
    folders, files = default_storage.listdir(folder)
    return len(files) + sum(
        _stored_files(f"{folder}/{name}" if folder else name) for name in folders
    )


def _seed() -> None:
    """Two clusters' money: orders paid, one refunded in part, a payout run,
    and a private file (a credential's evidence)."""
    for n, gst in enumerate((True, False)):
        cluster = money_cluster(rate="7.5", gst_registered=gst)
        makers = [
            money_member(cluster, gst_registered=gst, slug=f"maker-{n}-{i}")
            for i in range(2)
        ]
        orders = [
            place_order(cluster, [(makers[0], [(2300, 2)]), (makers[1], [(1500, 1)])])
            for _ in range(3)
        ]
        for order in orders:
            pay(order)
        order_refund(
            actor=cluster_admin(cluster),
            order=orders[0],
            amount_cents=500,
            reason="Broken on arrival",
        )
        dispatch(orders[1])
        payout_run(actor=Actor.system(), cluster=cluster, until=timezone.now())
    credential = CredentialFactory.create()
    credential.evidence.save("licence.pdf", ContentFile(EVIDENCE), save=True)


@pytest.fixture
def empty_target(tmp_path: Path) -> Iterator[Any]:
    """An empty database put in the place of ``default`` for the test's end
    (the suite's own database is kept open aside and put back after)."""
    original = connections["default"]
    settings_dict = dict(original.settings_dict)
    if original.vendor == "postgresql":
        name = f"purei_restore_{uuid.uuid4().hex[:10]}"
        with original.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        settings_dict["NAME"] = name
    else:
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    backend = load_backend(settings_dict["ENGINE"])
    target = backend.DatabaseWrapper(settings_dict, alias="default")

    def swap() -> Any:
        connections["default"] = target
        return target

    yield swap
    target.close()
    connections["default"] = original
    if original.vendor == "postgresql":
        with original.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


def test_a_backup_restores_into_an_empty_database_whole(tmp_path, empty_target):
    # given money booked through the real services and a private file
    _seed()
    counts, totals = _facts(connection)
    assert Journal.objects.count() > 0
    assert Invoice.objects.count() > 0
    archive = tmp_path / "purei.tar.gz"
    # when it is backed up
    out = StringIO()
    call_command("backup", str(archive), stdout=out)
    # then the manifest says what the archive holds
    manifest = archive_manifest(archive)
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"] == counts
    assert manifest["ledger"] == totals
    assert manifest["media"]["files"] == _stored_files() >= 1
    evidence_name = str(Credential.objects.get().evidence.name)
    with tarfile.open(archive) as tar:
        assert f"media/{evidence_name}" in tar.getnames()
    # when the files are gone and it is restored into an empty database
    default_storage.delete(evidence_name)
    empty_target()
    out = StringIO()
    call_command("restore", str(archive), stdout=out)
    # then every table's rows and every ledger total are identical
    assert "identical" in out.getvalue()
    assert _facts(connections["default"]) == (counts, totals)
    # and the ledger's own checks hold on the restored books
    assert ledger_unbalanced_journals() == []
    assert invoice_sequence_gaps() == []
    assert Order.objects.filter(payment_state=Order.PaymentState.PAID).count() >= 4
    # and the private file is back
    with default_storage.open(evidence_name, "rb") as handle:
        assert handle.read() == EVIDENCE


def test_restore_refuses_a_database_that_holds_data(tmp_path):
    # given a backup, and the database it came from still full
    _seed()
    archive = tmp_path / "purei.tar.gz"
    backup_create(archive)
    journals = Journal.objects.count()
    # when it is restored over the live data without --force
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))
    # then nothing changed
    assert Journal.objects.count() == journals


def test_restore_with_force_replaces_the_data(tmp_path):
    # given a backup, then more money booked after it
    _seed()
    archive = tmp_path / "purei.tar.gz"
    manifest = backup_create(archive)
    cluster = money_cluster()
    pay(place_order(cluster, [(money_member(cluster), [(900, 1)])]))
    assert _facts(connection)[1] != manifest["ledger"]
    # when it is restored with --force
    report = backup_restore(archive, force=True)
    # then the books are as backed up
    assert report.differences == []
    assert _facts(connections["default"]) == (manifest["tables"], manifest["ledger"])


def test_a_file_that_is_no_backup_is_refused(tmp_path):
    # given a file that is not an archive
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tar")
    # when it is restored, then it is refused with the reason
    with pytest.raises(BackupError, match="not a Pūrei backup"):
        backup_restore(bogus)


def test_a_backup_of_another_engine_is_refused(tmp_path):
    # given an archive whose manifest names another engine
    import io
    import json

    archive = tmp_path / "other.tar.gz"
    body = json.dumps({"format": 1, "engine": "oracle"}).encode()
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        tar.addfile(info, io.BytesIO(body))
    # when it is restored, then it is refused before anything is touched
    with pytest.raises(BackupError, match="backup is of a oracle database"):
        backup_restore(archive)

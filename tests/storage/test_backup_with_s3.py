"""Backup and restore with media in the buckets: both buckets are archived
(``media/`` and ``private/``) and put back through the storage API."""

from __future__ import annotations

import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage

from purei.core.storage import private_storage
from purei.members.models import Credential
from purei.members.tests.factories import CredentialFactory
from purei.operations.backup import archive_manifest, backup_create, backup_restore

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EVIDENCE = b"%PDF-1.4 licence evidence"


def test_a_backup_holds_both_buckets_and_restores_them(s3, tmp_path):
    # given a public picture and a private file
    picture = default_storage.save("members/logos/2026/12/logo.png", ContentFile(b"p"))
    credential = CredentialFactory.create()
    credential.evidence.save("licence.pdf", ContentFile(EVIDENCE), save=True)
    evidence = str(Credential.objects.get().evidence.name)
    archive = tmp_path / "purei.tar.gz"
    # when
    manifest = backup_create(archive)
    # then
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert f"media/{picture}" in names
    assert f"private/{evidence}" in names
    assert f"media/{evidence}" not in names
    assert manifest["private"]["files"] >= 1
    assert archive_manifest(archive)["media"]["files"] >= 1
    # when the files are lost and the backup restored
    default_storage.delete(picture)
    private_storage().delete(evidence)
    report = backup_restore(archive, force=True)
    # then
    assert report.differences == []
    with default_storage.open(picture) as handle:
        assert handle.read() == b"p"
    with private_storage().open(evidence, "rb") as handle:
        assert handle.read() == EVIDENCE


def test_a_backup_made_on_disk_restores_private_files_to_the_private_bucket(
    s3, tmp_path
):
    # given a backup made before object storage: every file in one storage
    before = InMemoryStorage()
    evidence = before.save(
        "members/evidence/2026/12/licence.pdf", ContentFile(EVIDENCE)
    )
    minutes = before.save("cooperation/minutes/2026/12/hui.pdf", ContentFile(b"m"))
    logo = before.save("members/logos/2026/12/logo.png", ContentFile(b"l"))
    archive = tmp_path / "before.tar.gz"
    backup_create(archive, storage=before)
    # when it is restored with the buckets
    report = backup_restore(archive, force=True)
    # then private folders went to the private bucket, pictures to the public one
    assert report.differences == []
    assert private_storage().exists(evidence)
    assert private_storage().exists(minutes)
    assert not default_storage.exists(evidence)
    assert default_storage.exists(logo)
    assert not private_storage().exists(logo)

"""The S3_* settings, read by a fresh process as a deployment would, and the point
of the change: every app process sees the same files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from purei.core.storage import private_storage
from scripts.scale.seaweedfs import SeaweedFS

from .conftest import SIGNED_SECONDS, s3_options

ROOT = Path(__file__).resolve().parents[2]


def _python(server: SeaweedFS, code: str, **extra: str) -> str:
    """Run ``code`` in a new Python with Django set up on purei.settings and the
    server's S3_* settings (another app process); answer what it prints."""
    env = {
        **os.environ,
        **server.env(),
        **extra,
        "DJANGO_SETTINGS_MODULE": "purei.settings",
        "SECRET_KEY": "another-app-process-0123456789abcdef0123456789",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    setup = "import django; django.setup()\n"
    done = subprocess.run(  # noqa: S603 - this Python, our own code
        [sys.executable, "-W", "error", "-c", setup + code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_settings_make_two_signed_buckets_and_allow_their_pictures(seaweedfs):
    # when
    printed = _python(
        seaweedfs,
        "from django.conf import settings as s; import json; print(json.dumps("
        "[s.STORAGES['default'], s.STORAGES['private'], s.SECURE_CSP['img-src']]))",
        S3_SIGNED_URL_SECONDS=str(SIGNED_SECONDS),
    )
    # then
    default, private, img_src = json.loads(printed)
    assert default == s3_options(seaweedfs, "purei-media")
    assert private == s3_options(seaweedfs, "purei-private")
    assert img_src == ["'self'", "data:", seaweedfs.endpoint_url]


def test_without_s3_private_files_share_the_default_storage(seaweedfs):
    # when
    printed = _python(
        seaweedfs,
        "from purei.core.storage import private_is_default, private_storage\n"
        "from django.conf import settings as s\n"
        "print(private_is_default(), type(private_storage()._wrapped).__name__,"
        " s.SECURE_CSP['img-src'])",
        S3_ENDPOINT_URL="",
    )
    # then
    assert printed == "True FileSystemStorage [\"'self'\", 'data:']"


def test_a_file_saved_by_one_process_is_read_by_another(s3):
    # given a picture saved here
    name = default_storage.save("members/photos/2026/12/here.jpg", ContentFile(b"one"))
    # when another process reads it and saves a private file
    printed = _python(
        s3,
        "from django.core.files.storage import default_storage, storages\n"
        "from django.core.files.base import ContentFile\n"
        f"print(default_storage.open({name!r}).read().decode())\n"
        "print(storages['private'].save('members/evidence/2026/12/there.pdf',"
        " ContentFile(b'two')))",
    )
    # then each sees the other's file
    read, saved = printed.splitlines()
    assert read == "one"
    with private_storage().open(saved, "rb") as there:
        assert there.read() == b"two"


@pytest.mark.django_db
def test_two_processes_saving_the_same_name_keep_both(s3):
    # given
    first = default_storage.save("members/photos/2026/12/same.jpg", ContentFile(b"a"))
    # when another process saves the same name
    second = _python(
        s3,
        "from django.core.files.storage import default_storage\n"
        "from django.core.files.base import ContentFile\n"
        "print(default_storage.save('members/photos/2026/12/same.jpg',"
        " ContentFile(b'b')))",
    )
    # then nothing was overwritten (file_overwrite=False)
    assert second != first
    with default_storage.open(first) as one, default_storage.open(second) as two:
        assert (one.read(), two.read()) == (b"a", b"b")

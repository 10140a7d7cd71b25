"""Settings for the test suite: the real settings with fast, in-process pieces."""

import os

os.environ.setdefault(
    "SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef"
)

from purei.settings import *  # noqa: F403
from purei.settings import CACHES, DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Private files share the in-memory storage (purei/core/storage.py): the same
# configuration resolves to the same instance. tests/storage/ turns S3 on.
_memory = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
STORAGES = {
    "default": _memory,
    "private": _memory,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
SECURE_COOKIES = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
# Results are rendered afresh in tests (the cache has tests of its own, which turn
# it on): the database rolls back between tests, the cache would not.
SEARCH_CACHE_SECONDS = 0
# Whole pages likewise (purei/catalogue/tests/test_page_cache.py turns it on).
PAGE_CACHE_SECONDS = 0
# Rate limits count across tests in one process (the cache is not rolled back):
# off here; the ``rate_limits`` fixture turns them on for a test, counting afresh.
RATE_LIMITS_ENABLED = False
# The suite runs in several processes at once (pytest-xdist, `make test`). Each has
# its own test database (pytest-django names it test_<name>_gw0, _gw1, …), its own
# in-memory files and local-memory cache. A Redis cache is shared: each process
# keeps to keys of its own, and clears only those (purei/core/tests/redis_cache.py).
_cache = CACHES["default"]
if _cache["BACKEND"] == "purei.core.cache.FailSoftRedisCache":
    _cache["BACKEND"] = "purei.core.tests.redis_cache.PerProcessRedisCache"
    _cache["KEY_PREFIX"] = f"purei-test-{os.getpid()}"
# The webhook tests post to a receiver on this machine over plain http.
WEBHOOKS_ALLOW_LOCAL_HTTP = True
# The read replica (purei/core/db_router.py) as CI cannot run one: an alias that
# mirrors the test database. The router is listed only by the tests that route
# (purei/catalogue/tests/test_replica_reads.py), so no other test reads through it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}

"""Settings for the test suite: the real settings with fast, in-process pieces."""

import os

os.environ.setdefault(
    "SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef"
)

from purei.settings import *  # noqa: F403
from purei.settings import CACHES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
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
# Rate limits count across tests in one process (the cache is not rolled back):
# off here; the ``rate_limits`` fixture turns them on for a test, counting afresh.
RATE_LIMITS_ENABLED = False
# With REDIS_URL the cache is that Redis (`make test-redis`): each test process keeps
# its keys apart, so no other process's or earlier run's entries are ever read.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["KEY_PREFIX"] = f"purei-test-{os.getpid()}"

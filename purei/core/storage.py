"""Where files are kept: the ``default`` storage (public pictures) and the
``private`` one (credential evidence, board attachments, library files, minutes,
quote attachments), docs/operations.md "Object storage (S3, SeaweedFS)".

Without object storage both are the same storage (``STORAGES["private"]`` equal to
``STORAGES["default"]`` resolves to the very same instance), so one disk folder or
one in-memory store holds every file, as before. With ``S3_ENDPOINT_URL`` set they
are two buckets, and both hand out only signed, expiring URLs.

Private file fields say ``storage=private_storage``: the callable keeps their
migrations free of settings, and the storage it answers is looked up lazily and
looked up afresh when ``STORAGES`` changes (a test turning object storage on).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

PRIVATE = "private"
# The folders private file fields upload into (their ``upload_to``): a restore of
# a backup made without object storage sends these to the private bucket.
PRIVATE_PREFIXES = (
    "members/evidence/",
    "cooperation/attachments/",
    "cooperation/resources/",
    "cooperation/minutes/",
    "trade/rfq/",
)


def _private_backend() -> Storage:
    configured = settings.STORAGES
    if PRIVATE not in configured or configured[PRIVATE] == configured["default"]:
        return storages["default"]
    return storages[PRIVATE]


class PrivateStorage(LazyObject[Storage]):
    """The storage of private files: ``STORAGES["private"]``, or the default
    storage itself when that alias is missing or configured the same."""

    def _setup(self) -> None:
        self._wrapped = _private_backend()


_private = PrivateStorage()


def private_storage() -> Storage:
    """The ``storage=`` callable of private file fields."""
    return _private  # type: ignore[return-value]  # a lazy proxy of a Storage


def private_is_default() -> bool:
    """True when private files live in the default storage itself (no buckets)."""
    return _private_backend() is storages["default"]


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty  # type: ignore[assignment]  # LazyObject's reset


def signs_urls(storage: Storage) -> bool:
    """True when ``storage.url()`` answers a signed, expiring URL (object storage
    with query-string authentication): nothing is served through Django then."""
    return bool(getattr(storage, "querystring_auth", False))


def signed_url(
    storage: Storage, name: str, *, parameters: dict[str, str] | None = None
) -> str:
    """A signed URL of ``name`` in ``storage`` (``signs_urls`` must hold); S3's
    ``response-*`` ``parameters`` set the headers the object is answered with.
    Signing is an HMAC computed here: no request to the object store."""
    url: str = storage.url(name, parameters=parameters)  # type: ignore[call-arg]  # S3Storage.url
    return url

"""Secrets kept encrypted at rest: a cluster's own Stripe secret key and webhook
signing secret (docs/adr/0021-cluster-money-accounts.md).

Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package) under
keys derived from the ``SECRETS_KEYS`` setting with HKDF-SHA256. The first key
encrypts; every key decrypts (``MultiFernet``), so a key is rotated by putting a
new one first, re-encrypting (``secret_rotate``), then dropping the old one.

``cryptography`` is imported when first needed: without it, ``secrets_available``
answers False and storing a secret is refused with a message, while everything
that stores none (bank accounts, Stripe Connect ids) works as before.

Nothing here logs, and ``SecretError`` never carries the value.
"""

from __future__ import annotations

import base64
import importlib.util
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

_INFO = b"purei secrets at rest v1"


class SecretError(ValueError):
    """A secret could not be encrypted or decrypted (no key fits, or the
    ``cryptography`` package is missing). Never carries the secret."""


def secrets_available() -> bool:
    """Whether secrets can be stored here (the ``cryptography`` package is
    installed)."""
    return importlib.util.find_spec("cryptography") is not None


def _keys() -> list[str]:
    keys = [str(key) for key in getattr(settings, "SECRETS_KEYS", []) if key]
    return keys or [str(settings.SECRET_KEY)]


def _derive(material: str) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        material.encode()
    )
    return base64.urlsafe_b64encode(raw)


def _box() -> MultiFernet:
    if not secrets_available():
        raise SecretError("the cryptography package is not installed")
    from cryptography.fernet import Fernet, MultiFernet

    return MultiFernet([Fernet(_derive(key)) for key in _keys()])


def secret_encrypt(value: str) -> str:
    """``value`` encrypted under the first key, as text for a database column."""
    return _box().encrypt(value.encode()).decode("ascii")


def secret_decrypt(token: str) -> str:
    """The secret in ``token``; ``SecretError`` if no key opens it."""
    from cryptography.fernet import InvalidToken

    box = _box()
    try:
        return box.decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as error:
        raise SecretError("no key in SECRETS_KEYS opens this secret") from error


def secret_rotate(token: str) -> str:
    """``token`` re-encrypted under the first key (rotation)."""
    from cryptography.fernet import InvalidToken

    try:
        return _box().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError) as error:
        raise SecretError("no key in SECRETS_KEYS opens this secret") from error


def secret_last4(value: str) -> str:
    """What may be shown of a secret: its last four characters."""
    return value[-4:] if len(value) >= 12 else ""

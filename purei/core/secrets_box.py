"""Secrets kept encrypted at rest: a cluster's own Stripe secret key and webhook
signing secret (docs/adr/0021-cluster-money-accounts.md).

Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package) under
keys derived from the ``SECRETS_KEYS`` setting with HKDF-SHA256. The first key
encrypts; every key decrypts (``MultiFernet``), so a key is rotated by putting a
new one first, re-encrypting (``secret_rotate``), then dropping the old one.

Nothing here logs, and ``SecretError`` never carries the value.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"purei secrets at rest v1"


class SecretError(ValueError):
    """A secret could not be decrypted (no key fits). Never carries the secret."""


def _keys() -> list[str]:
    keys = [str(key) for key in getattr(settings, "SECRETS_KEYS", []) if key]
    return keys or [str(settings.SECRET_KEY)]


def _derive(material: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        material.encode()
    )
    return base64.urlsafe_b64encode(raw)


def _box() -> MultiFernet:
    return MultiFernet([Fernet(_derive(key)) for key in _keys()])


def secret_encrypt(value: str) -> str:
    """``value`` encrypted under the first key, as text for a database column."""
    return _box().encrypt(value.encode()).decode("ascii")


def secret_decrypt(token: str) -> str:
    """The secret in ``token``; ``SecretError`` if no key opens it."""
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

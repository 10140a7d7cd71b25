"""Fetching from SeaweedFS as a browser would: plain HTTP, no credentials."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message


@dataclass
class Fetched:
    status: int
    headers: Message
    body: bytes


def fetch(url: str) -> Fetched:
    """GET ``url`` (http://127.0.0.1 only: the test's own SeaweedFS)."""
    assert url.startswith("http://127.0.0.1:"), url
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - checked above
            return Fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers, error.read())

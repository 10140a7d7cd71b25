"""Download a file from an address someone else gave us (a spreadsheet's picture
address), safely.

- Only ``http`` and ``https`` addresses, on the standard ports or any other.
- The host is looked up once and **every** address it has must be public: a
  loopback, private, link-local (cloud metadata at 169.254.169.254), shared,
  multicast, reserved or unspecified address is refused, so an address in a file
  cannot make Pūrei reach its own network. The connection then goes to the address
  that was checked (no second lookup that could answer differently). The setting
  ``PUREI_IMPORT_ALLOW_PRIVATE_HOSTS`` (default False) lifts this, for tests that
  serve files from 127.0.0.1.
- Redirects are followed (at most ``MAX_REDIRECTS``), each new address checked
  the same way.
- At most ``max_bytes`` are read: a larger ``Content-Length`` is refused before the
  body, and a body that runs past it is cut off and refused.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_REDIRECTS = 3
TIMEOUT_SECONDS = 10
USER_AGENT = "Purei-Import/1"


class FetchFailed(ValueError):
    """The file could not be fetched; ``code`` is stable, ``message`` for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content: bytes
    content_type: str


def _allow_private() -> bool:
    return bool(getattr(settings, "PUREI_IMPORT_ALLOW_PRIVATE_HOSTS", False))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int) -> str:
    """The one address to connect to, after checking every address of ``host``."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchFailed(
            "host_unknown",
            _("The address's host “%(host)s” was not found.") % {"host": host},
        ) from exc
    addresses = [str(info[4][0]) for info in found]
    if not addresses:
        raise FetchFailed(
            "host_unknown",
            _("The address's host “%(host)s” was not found.") % {"host": host},
        )
    if not _allow_private() and not all(_public(a) for a in addresses):
        raise FetchFailed(
            "host_not_public",
            _("The address points inside a private network: use a public address."),
        )
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(  # type: ignore[attr-defined]  # set by HTTPSConnection
            sock, server_hostname=self.host
        )


def _split(url: str) -> tuple[str, str, int, str]:
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchFailed(
            "url_scheme", _("Give a web address starting with https:// or http://.")
        )
    try:
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise FetchFailed("url_invalid", _("This is not a web address.")) from exc
    if not host:
        raise FetchFailed("url_invalid", _("This is not a web address."))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port or (443 if scheme == "https" else 80), path


def fetch_public(
    url: str, *, max_bytes: int, timeout: float = TIMEOUT_SECONDS
) -> Fetched:
    """The body of ``url`` (at most ``max_bytes``); ``FetchFailed`` otherwise."""
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = _split(url)
        address = _resolve(host, port)
        kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        connection = kind(host, port, address, timeout)
        try:
            connection.request(
                "GET", path, headers={"User-Agent": USER_AGENT, "Accept": "image/*"}
            )
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location", "")
                if not location:
                    raise FetchFailed(
                        "http_error",
                        _("The server answered %(status)s.")
                        % {"status": response.status},
                    )
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchFailed(
                    "http_error",
                    _("The server answered %(status)s (not the file).")
                    % {"status": response.status},
                )
            _check_length(response.getheader("Content-Length"), max_bytes)
            content = response.read(max_bytes + 1)
            if len(content) > max_bytes:
                raise _too_large(max_bytes)
            return Fetched(url, content, response.getheader("Content-Type", ""))
        except (OSError, http.client.HTTPException) as exc:
            raise FetchFailed(
                "unreachable",
                _("The file could not be downloaded (%(reason)s).")
                % {"reason": type(exc).__name__},
            ) from exc
        finally:
            connection.close()
    raise FetchFailed("too_many_redirects", _("The address redirects too many times."))


def _too_large(max_bytes: int) -> FetchFailed:
    return FetchFailed(
        "too_large",
        _("The file is larger than %(max)s MB.") % {"max": max_bytes // (1024 * 1024)},
    )


def _check_length(header: str | None, max_bytes: int) -> None:
    if header and header.strip().isdigit() and int(header) > max_bytes:
        raise _too_large(max_bytes)

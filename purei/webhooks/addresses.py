"""Webhooks go to the internet, never into the machine's own network (SSRF).

An endpoint's host may not be a private, loopback, link-local, multicast or
reserved address (10.0.0.0/8, 169.254.169.254 and the like), written as one or
resolving to one: checked when the endpoint is registered (an address written
out) and again before every delivery (what the name resolves to now). Loopback
is allowed only when ``WEBHOOKS_ALLOW_LOCAL_HTTP`` (development and the tests'
own receiver).

A name that resolves to a public address when checked and to an internal one a
moment later (DNS rebinding) is not caught; docs/api.md says so.
"""

from __future__ import annotations

import ipaddress
import socket

from django.conf import settings
from django.utils.translation import gettext as _

_LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".lan", ".home.arpa")


def local_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "WEBHOOKS_ALLOW_LOCAL_HTTP", False))


def _internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback and local_allowed():
        return False
    return not address.is_global or address.is_multicast


def written_internal(host: str) -> str | None:
    """Why ``host``, as written, is inside (None if it is not, as far as it shows)."""
    host = host.strip("[]").lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" and local_allowed():
            return None
        if host.endswith(_LOCAL_NAMES) or host == "localhost":
            return _("%(host)s is a name on a local network.") % {"host": host}
        return None
    if _internal(address):
        return _("%(host)s is an internal address.") % {"host": host}
    return None


def resolved_internal(host: str, port: int | None) -> str | None:
    """Why ``host`` resolves inside now (None if every address it has is public,
    or if it does not resolve: the delivery then fails by itself)."""
    if reason := written_internal(host):
        return reason
    try:
        found = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if _internal(address):
            return _("%(host)s resolves to an internal address (%(address)s).") % {
                "host": host,
                "address": address,
            }
    return None

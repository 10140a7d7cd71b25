"""A cluster's own domain: what may be one, and the host names Pūrei answers on."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Cluster

HOSTNAME = re.compile(
    r"^(?=.{1,253}$)(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$"
)


def platform_hosts() -> frozenset[str]:
    """Host names Pūrei itself answers on: never a cluster's own domain."""
    site_host = (urlsplit(settings.SITE_URL).hostname or "").lower()
    return frozenset(
        {site_host, "localhost", "127.0.0.1", "::1", "[::1]", "testserver"} - {""}
    )


def domain_normalise(value: str) -> str:
    """Lower-case, without a trailing dot; an internationalised name in punycode."""
    value = value.strip().lower().rstrip(".")
    if value and not value.isascii():
        try:
            value = value.encode("idna").decode("ascii")
        except UnicodeError:
            return value
    return value


def domain_errors(domain: str, *, cluster: Cluster | None = None) -> list[str]:
    """What is wrong with ``domain`` (already normalised) as a cluster's own domain."""
    if not domain:
        return []
    if _is_ip(domain.strip("[]")):
        return [_("Give a domain name, not an IP address.")]
    if "/" in domain or ":" in domain:
        return [
            _(
                "Give only the host name, e.g. shop.marlboroughwine.nz — no https://, "
                "port or path."
            )
        ]
    if domain in platform_hosts() or domain.endswith(".localhost"):
        return [_("That is Pūrei's own address; give your cluster's own domain.")]
    if not HOSTNAME.match(domain):
        return [
            _(
                "“%(domain)s” is not a valid domain name; it looks like "
                "shop.marlboroughwine.nz."
            )
            % {"domain": domain}
        ]
    taken = Cluster.objects.filter(domain=domain)
    if cluster is not None and cluster.pk:
        taken = taken.exclude(pk=cluster.pk)
    if taken.exists():
        return [_("Another cluster already uses %(domain)s.") % {"domain": domain}]
    return []


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True

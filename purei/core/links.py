"""Absolute links to Pūrei where no request says which host to use: emails, the
command line, and pages on a cluster's own domain linking back to Pūrei itself.

Every one is built here from one setting, ``SITE_URL`` (set it in production; by
default it is where ``purei serve`` and ``purei demo`` answer, from ``HOST`` and
``PORT``). Pages and API answers that have a request use the request's own host.
"""

from django.conf import settings


def site_url() -> str:
    """``SITE_URL`` without a trailing slash, e.g. ``https://purei.example.nz``."""
    return str(settings.SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (as ``reverse()`` gives it: from the root, with any query) on
    ``SITE_URL``."""
    if not path.startswith("/"):
        raise ValueError(f"Expected a path from the root, got {path!r}.")
    return f"{site_url()}{path}"

"""Share links with no trackers: plain links to each service's own share address,
built here with the page's canonical address encoded into them. No script, no
button loaded from the service, nothing fetched until the shopper follows a link
(and then ``rel="noopener noreferrer"``: the service is not told where they came
from beyond the address being shared)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ShareLink:
    key: str  # "email", "facebook", …
    label: str  # the service's own name
    href: str
    new_tab: bool = True  # an email opens the shopper's mail program instead


def _query(**params: str) -> str:
    return urlencode(params, quote_via=quote)


def share_links(*, url: str, title: str, image: str = "") -> list[ShareLink]:
    """Links that share ``url`` (absolute) by email, Facebook, X, WhatsApp and,
    when there is a picture (``image``, absolute), Pinterest."""
    text = f"{title} {url}"
    links = [
        ShareLink(
            "email", _("Email"), "mailto:?" + _query(subject=title, body=text), False
        ),
        ShareLink(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + _query(u=url),
        ),
        ShareLink("x", "X", "https://x.com/intent/post?" + _query(text=title, url=url)),
        ShareLink("whatsapp", "WhatsApp", "https://wa.me/?" + _query(text=text)),
    ]
    if image:
        links.append(
            ShareLink(
                "pinterest",
                "Pinterest",
                "https://www.pinterest.com/pin/create/button/?"
                + _query(url=url, media=image, description=title),
            )
        )
    return links

"""A member's story: Markdown written by the member, shown as sanitised HTML.

Markdown turns the text into HTML (raw HTML in it included, so it must be cleaned);
nh3 (the ammonia HTML sanitiser) then keeps only a small set of tags and attributes:
paragraphs, emphasis, lists, quotes, two heading levels and links to http(s) or
mailto addresses, which get ``rel="nofollow noopener"``. No images, scripts, styles,
event attributes or other URL schemes survive.
"""

from __future__ import annotations

import re

import markdown
import nh3

MAX_STORY_LENGTH = 20_000

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h3", "h4"}
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Elements removed with everything inside them (not just their tags).
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "iframe", "object", "embed"})
_HEADING_TOP = re.compile(r"<(/?)h[12]\b([^>]*)>", re.IGNORECASE)
_HEADING_LOW = re.compile(r"<(/?)h[56]\b([^>]*)>", re.IGNORECASE)


def _markdown_to_html(text: str) -> str:
    # A fresh converter per call: Markdown instances keep state between calls.
    converter = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    return converter.convert(text)


def render_story(text: str) -> str:
    """The member's Markdown ``text`` as safe HTML for the public member page.

    Headings of any level become h3/h4 (the page owns h1 and h2); everything not
    allowed is dropped, keeping its text where that is harmless.
    """
    if not text.strip():
        return ""
    return html_sanitise(_markdown_to_html(text))


def html_sanitise(html: str) -> str:
    """``html`` with only the stories' allow-list left (see the module's text).

    Also used for HTML that comes from elsewhere, such as a Shopify product's
    ``Body (HTML)`` (``purei.catalogue.spreadsheets``). Headings of any level
    become h3/h4 (the page owns h1 and h2)."""
    html = _HEADING_TOP.sub(r"<\1h3\2>", html)
    html = _HEADING_LOW.sub(r"<\1h4\2>", html)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="nofollow noopener",
        url_relative="deny",
        strip_comments=True,
    ).strip()

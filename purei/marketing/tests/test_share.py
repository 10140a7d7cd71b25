"""Share links with no trackers: plain links built on the server, the canonical
address encoded, nothing loaded from the services."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

from django.template.loader import render_to_string

from purei.marketing.share import share_links

URL = "https://purei.example.nz/c/wine/p/vines/pinot-noir/?x=1&y=2"


def test_each_link_carries_the_address_encoded():
    # when
    links = {link.key: link for link in share_links(url=URL, title="Pinot & co")}
    # then
    assert set(links) == {"email", "facebook", "x", "whatsapp"}
    facebook = urlsplit(links["facebook"].href)
    assert facebook.netloc == "www.facebook.com"
    assert parse_qs(facebook.query) == {"u": [URL]}
    assert "%26y%3D2" in links["facebook"].href  # the & of the address encoded
    x = parse_qs(urlsplit(links["x"].href).query)
    assert x == {"text": ["Pinot & co"], "url": [URL]}
    whatsapp = parse_qs(urlsplit(links["whatsapp"].href).query)
    assert whatsapp == {"text": [f"Pinot & co {URL}"]}
    email = urlsplit(links["email"].href)
    assert email.scheme == "mailto"
    assert parse_qs(email.query) == {
        "subject": ["Pinot & co"],
        "body": [f"Pinot & co {URL}"],
    }
    assert "+" not in links["email"].href  # spaces as %20, which mail programs read
    assert not links["email"].new_tab


def test_pinterest_needs_a_picture():
    links = share_links(url=URL, title="Pinot", image="https://purei.example.nz/a.jpg")
    pinterest = next(link for link in links if link.key == "pinterest")
    assert parse_qs(urlsplit(pinterest.href).query) == {
        "url": [URL],
        "media": ["https://purei.example.nz/a.jpg"],
        "description": ["Pinot"],
    }


def test_the_include_renders_plain_links_and_no_script():
    # given: what a product page has in its context
    context = {
        "canonical_url": URL,
        "product": SimpleNamespace(title_en='Pinot "Noir" <b>'),
        "og_image": "https://purei.example.nz/a.jpg",
    }
    # when
    html = render_to_string("marketing/found/_share.html", context)
    # then
    assert "<script" not in html
    assert "<b>" not in html  # the title is escaped
    assert html.count('rel="noopener noreferrer"') == 4  # all but the email
    assert html.count('target="_blank"') == 4
    assert 'href="mailto:?subject=' in html
    assert "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fpurei" in html
    assert "(opens in a new tab)" in html
    assert 'aria-labelledby="share-heading"' in html

"""A member pastes the widget into its own website, which sets a strict
Content-Security-Policy: the script variant lists its products from another origin
(CORS, no inline code, nothing refused by the policy), the frame variant shows them,
and the site's other pages still refuse to be framed."""

import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from playwright.sync_api import Page, expect

from purei.catalogue.models import ProductImage
from purei.clusters.tests.factories import ClusterFactory
from purei.core.tests.pictures import picture_bytes
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.search.tests.factories import public_product

# What the member's site serves: (policy header or "", body), set by each test.
Serve = Callable[[str, str], None]


@pytest.fixture
def members_site() -> Iterator[tuple[str, Serve]]:
    """The member's own website: a server of its own on 127.0.0.1 (another origin
    than Pūrei's ``localhost``, and on the loopback address, so Chromium lets it
    reach Pūrei), answering every path with the page a test gives it."""
    page: dict[str, str] = {"policy": "", "body": ""}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = page["body"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if page["policy"]:
                self.send_header("Content-Security-Policy", page["policy"])
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(policy: str, snippets: str) -> None:
        page["policy"] = policy
        page["body"] = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            "<title>Vines — our wines</title></head>"
            f"<body><main><h1>Our wines</h1>{snippets}</main></body></html>"
        )

    yield f"http://127.0.0.1:{server.server_address[1]}", serve
    server.shutdown()
    server.server_close()


# Checks that Pūrei refuses to be framed: Chromium logs the refused frame-ancestors.
@pytest.mark.console_errors_expected
def test_the_widget_works_on_a_members_site_with_a_strict_policy(
    page: Page, live_server: Any, members_site: tuple[str, Serve]
) -> None:
    # given: a member with a product in a cluster
    cluster = ClusterFactory.create(slug="wine", name_en="Wine Country")
    member = MemberFactory.create(slug="vines", trading_name="Vines")
    MembershipFactory.create(member=member, cluster=cluster)
    product = public_product(
        cluster, member=member, slug="pinot", title_en="Pinot Noir"
    )
    ProductImage.objects.create(
        product=product,
        image=ContentFile(picture_bytes(40, 30), name="pinot.jpg"),
        width=40,
        height=30,
        alt_text="A bottle",
    )
    live = live_server.url
    site, serve = members_site
    assert not site.startswith(live)
    # the snippets as the member's Embed screen writes them
    script = render_to_string(
        "marketing/found/snippet_script.html",
        {
            "embed": {
                "maker_url": f"{live}/c/wine/members/vines/",
                "more_text": "See all products from Vines",
            },
            "json_url": f"{live}/c/wine/members/vines/embed.json",
            "script_url": f"{live}/static/marketing/found/widget.js",
        },
    )
    frames = (
        f'<iframe id="widget" src="{live}/c/wine/members/vines/embed/" '
        'title="Products from Vines" width="600" height="400"></iframe>'
        f'<iframe id="maker" src="{live}/c/wine/members/vines/" '
        'title="The maker page" width="600" height="400"></iframe>'
    )
    # The member's site allows Pūrei's host for scripts, fetches, pictures and
    # frames, and nothing else: no inline script, no eval, no styles.
    serve(
        f"default-src 'none'; script-src {live}; connect-src {live}; "
        f"img-src {live}; frame-src {live}; style-src 'none'",
        script + frames,
    )
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "CORS" in message.text
            else None
        ),
    )
    # when
    page.goto(f"{site}/wines/")
    # then: the script replaced the link with the list
    listed = page.locator("[data-purei-loaded] .purei-product a")
    expect(listed).to_have_count(1)
    expect(listed).to_have_attribute("href", f"{live}/c/wine/p/vines/pinot/")
    expect(listed).to_have_attribute("target", "_blank")
    expect(listed).to_have_attribute("rel", "noopener")
    expect(listed).to_have_attribute(
        "aria-label", "Pinot Noir $20.00 (opens in a new tab)"
    )
    expect(listed.locator("img")).to_have_attribute(
        "src", re.compile(f"^{live}/media/")
    )
    expect(page.locator(".purei-products__more a")).to_have_text(
        "See all products from Vines at Wine Country"
    )
    # the framed widget shows the product
    widget = page.frame_locator("#widget")
    expect(widget.get_by_role("link", name=re.compile("Pinot Noir"))).to_be_visible()
    # the maker's own page refuses to be framed (frame-ancestors 'none', DENY)
    maker = page.frame(url=f"{live}/c/wine/members/vines/")
    assert maker is None or "Our story" not in maker.content()
    # and the member's policy refused nothing of ours but that frame
    assert [text for text in refused if "frame-ancestors" not in text] == []


# The widget's fetch is refused on purpose (CORS): Chromium logs it.
@pytest.mark.console_errors_expected
def test_the_members_link_stays_when_the_widget_cannot_load(
    page: Page, live_server: Any, members_site: tuple[str, Serve]
) -> None:
    # given: a snippet naming a member the cluster does not have
    ClusterFactory.create(slug="wine")
    live = live_server.url
    site, serve = members_site
    serve(
        "",
        f'<div data-purei-products="{live}/c/wine/members/nobody/embed.json">'
        f'<a href="{live}/c/wine/">Our wines at Wine Country</a></div>'
        f'<script src="{live}/static/marketing/found/widget.js" defer></script>',
    )
    asked: list[str] = []
    page.on(
        "request",
        lambda request: (
            asked.append(request.url) if request.url.endswith("/embed.json") else None
        ),
    )
    # when
    page.goto(f"{site}/")
    page.wait_for_load_state("networkidle")
    # then: the JSON was asked for (a 404); the link stays
    assert asked == [f"{live}/c/wine/members/nobody/embed.json"]
    expect(page.get_by_role("link", name="Our wines at Wine Country")).to_be_visible()
    expect(page.locator("[data-purei-loaded]")).to_have_count(0)

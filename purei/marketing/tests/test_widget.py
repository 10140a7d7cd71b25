"""The embeddable widget: the framed page, the JSON for widget.js, and the member's
screen with its snippets. Only that member's public products in that cluster."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from purei.accounts.tests.factories import UserFactory
from purei.catalogue.indexing import product_changed
from purei.catalogue.models import Listing, Product, Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Member, Membership
from purei.members.tests.factories import (
    MemberFactory,
    MemberRoleFactory,
    MembershipFactory,
)
from purei.search.tests.factories import public_product

from .helpers import photographed_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def wine() -> Cluster:
    return ClusterFactory.create(slug="wine", name_en="Wine Country")


@pytest.fixture
def vines(wine: Cluster) -> Member:
    member = MemberFactory.create(slug="vines", trading_name="Vines")
    MembershipFactory.create(member=member, cluster=wine)
    return member


@pytest.fixture
def catalogue(wine: Cluster, vines: Member) -> dict[str, Product]:
    """Vines's public products in wine, and others that must never show."""
    other = MemberFactory.create(slug="other")
    MembershipFactory.create(member=other, cluster=wine)
    products = {
        "pinot": photographed_product(
            wine, member=vines, slug="pinot", title_en="Pinot", title_mi="Wāina whero"
        ),
        "riesling": public_product(
            wine, member=vines, slug="riesling", title_en="Riesling"
        ),
        "draft": public_product(
            wine,
            member=vines,
            slug="draft",
            title_en="Draft",
            status=Product.Status.DRAFT,
        ),
        "pending": public_product(
            wine, member=vines, slug="pending", title_en="Pending"
        ),
        "elsewhere": public_product(
            ClusterFactory.create(slug="elsewhere"),
            member=vines,
            slug="elsewhere",
            title_en="Elsewhere",
        ),
        "others": public_product(wine, member=other, slug="others", title_en="Others"),
    }
    Listing.objects.filter(product=products["pending"]).update(
        status=Listing.Status.PENDING
    )
    Variant.objects.filter(product=products["riesling"]).update(stock=0)
    product_changed(products["riesling"].pk)  # as the stock services do
    return products


# --- The framed page ----------------------------------------------------------------


def test_the_embed_page_shows_the_members_public_products(client: Client, catalogue):
    # when
    response = client.get("/c/wine/members/vines/embed/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Pinot", "Riesling"):
        assert f'<span class="embed__product-title">{title}</span>' in html
    for title in ("Draft", "Pending", "Elsewhere", "Others"):
        assert f">{title}<" not in html
    assert (
        'href="http://testserver/c/wine/p/vines/pinot/" target="_blank" rel="noopener"'
        in html
    )
    assert "Sold out" in html  # the riesling
    assert "<script" not in html
    assert "<form" not in html


def test_the_embed_page_may_be_framed_by_any_site_and_nothing_else(
    client: Client, catalogue
):
    # when
    response = client.get("/c/wine/members/vines/embed/")
    page = client.get("/c/wine/members/vines/")
    # then: framed by anyone; no script at all
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "default-src 'none'" in policy
    assert "script-src" not in policy
    assert response["X-Robots-Tag"] == "noindex"
    assert not response.cookies
    assert "public" in response["Cache-Control"]
    # and the site's own pages still are not
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_embed_page_in_te_reo(client: Client, catalogue):
    html = client.get("/mi/c/wine/members/vines/embed/").content.decode()
    assert "Wāina whero" in html
    assert 'href="http://testserver/mi/c/wine/p/vines/pinot/"' in html


def test_count_limits_the_products(client: Client, catalogue):
    html = client.get("/c/wine/members/vines/embed/", {"count": "1"}).content.decode()
    assert html.count('class="embed__product"') == 1
    many = client.get("/c/wine/members/vines/embed/", {"count": "999"})
    assert many.status_code == 200
    odd = client.get("/c/wine/members/vines/embed/", {"count": "lots"})
    assert odd.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/c/nowhere/members/vines/embed/",
        "/c/wine/members/nobody/embed/",
        "/c/wine/members/applied/embed/",
        "/c/wine/members/suspended/embed/",
        "/c/wine/members/stranger/embed/",
        "/c/paused/members/vines/embed/",
        "/c/nowhere/members/vines/embed.json",
        "/c/wine/members/applied/embed.json",
        "/c/wine/members/stranger/embed.json",
        "/c/paused/members/vines/embed.json",
    ],
)
def test_unknown_clusters_and_members_not_approved_there_are_404(
    client: Client, wine, vines, path
):
    # given
    for slug, status in (
        ("applied", Membership.Status.APPLIED),
        ("suspended", Membership.Status.SUSPENDED),
    ):
        MembershipFactory.create(
            member=MemberFactory.create(slug=slug), cluster=wine, status=status
        )
    MembershipFactory.create(
        member=MemberFactory.create(slug="stranger"), cluster=ClusterFactory.create()
    )
    paused = ClusterFactory.create(slug="paused", status=Cluster.Status.PAUSED)
    MembershipFactory.create(member=vines, cluster=paused)
    # when / then
    assert client.get(path).status_code == 404


def test_the_embed_page_reads_a_fixed_number_of_queries(
    client: Client, catalogue, wine, vines, django_assert_num_queries
):
    # the cluster, the member with its photos and credentials, the listings,
    # their first photos
    with django_assert_num_queries(6):
        client.get("/c/wine/members/vines/embed/")
    for n in range(10):
        photographed_product(wine, member=vines, slug=f"more-{n}")
    with django_assert_num_queries(6):
        client.get("/c/wine/members/vines/embed/")


# --- The JSON for widget.js ----------------------------------------------------------


def test_the_json_lists_the_same_products_for_any_origin(client: Client, catalogue):
    # when
    response = client.get(
        "/c/wine/members/vines/embed.json", HTTP_ORIGIN="https://vines.example.nz"
    )
    # then
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["X-Robots-Tag"] == "noindex"
    assert not response.cookies
    data = json.loads(response.content)
    assert [product["title"] for product in data["products"]] == ["Riesling", "Pinot"]
    pinot = data["products"][1]
    assert pinot["url"] == "http://testserver/c/wine/p/vines/pinot/"
    assert pinot["price"] == "$20.00"
    assert pinot["in_stock"] is True
    assert pinot["image"]["src"].startswith("http://testserver/media/")
    assert data["products"][0]["image"] is None
    assert data["products"][0]["in_stock"] is False
    assert data["member"] == {
        "name": "Vines",
        "url": "http://testserver/c/wine/members/vines/",
    }
    assert data["more"]["url"] == "http://testserver/c/wine/members/vines/"
    assert data["labels"]["new_tab"] == "(opens in a new tab)"


def test_the_json_in_te_reo(client: Client, catalogue):
    data = json.loads(
        client.get("/c/wine/members/vines/embed.json", {"lang": "mi"}).content
    )
    pinot = next(p for p in data["products"] if p["url"].endswith("/pinot/"))
    assert pinot["title"] == "Wāina whero"
    assert pinot["url"] == "http://testserver/mi/c/wine/p/vines/pinot/"
    unknown = json.loads(
        client.get("/c/wine/members/vines/embed.json", {"lang": "xx"}).content
    )
    assert unknown["member"]["url"] == "http://testserver/c/wine/members/vines/"


def test_the_json_answers_only_reads(client: Client, catalogue):
    assert client.post("/c/wine/members/vines/embed.json").status_code == 405


# --- widget.js ------------------------------------------------------------------


def test_the_script_builds_the_list_without_markup_or_eval():
    path = finders.find("marketing/found/widget.js")
    assert path is not None
    text = Path(str(path)).read_text()
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", text, flags=re.DOTALL)  # comments
    for banned in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "eval(",
        "Function(",
        "document.write",
        ".style",
    ):
        assert banned not in code, banned
    assert 'credentials: "omit"' in code
    assert "textContent" in code


# --- The member's screen --------------------------------------------------------


def _log_in(client: Client, member: Member, role: str = "owner") -> None:
    user = UserFactory.create()
    MemberRoleFactory.create(member=member, user=user, role=role)
    client.force_login(user)


@pytest.mark.parametrize("role", ["owner", "staff"])
def test_the_members_screen_gives_the_snippets(client: Client, catalogue, vines, role):
    # given
    _log_in(client, vines, role)
    # when
    response = client.get("/manage/members/vines/embed/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "embed your products" in html
    assert (
        "&lt;iframe src=&quot;http://testserver/c/wine/members/vines/embed/&quot;"
        in html
    )
    assert (
        "data-purei-products=&quot;http://testserver/c/wine/members/vines/embed.json&quot;"
        in html
    )
    assert "http://testserver/static/marketing/found/widget.js" in html
    assert "&lt;section class=&quot;purei-products&quot;&gt;" in html  # the plain HTML
    assert 'aria-current="page">Embed</a>' in html  # its tab
    # only the live cluster it is approved in: not "elsewhere" … which it is in too
    assert "Wine Country" in html


def test_the_snippets_name_only_live_clusters_it_is_approved_in(client: Client, vines):
    # given
    applied = ClusterFactory.create(slug="applied-to", name_en="Applied To")
    MembershipFactory.create(
        member=vines, cluster=applied, status=Membership.Status.APPLIED
    )
    paused = ClusterFactory.create(
        slug="paused", name_en="Paused One", status=Cluster.Status.PAUSED
    )
    MembershipFactory.create(member=vines, cluster=paused)
    _log_in(client, vines)
    # when
    html = client.get("/manage/members/vines/embed/").content.decode()
    # then
    assert "/c/wine/members/vines/embed/" in html
    assert "/c/applied-to/" not in html
    assert "/c/paused/members/vines/embed/" not in html


def test_a_business_in_no_cluster_is_told_when_it_can(client: Client):
    member = MemberFactory.create(slug="new")
    _log_in(client, member)
    html = client.get("/manage/members/new/embed/").content.decode()
    assert "once your business is an approved member of a live cluster" in html


def test_the_members_screen_is_its_teams_only(client: Client, vines, wine):
    # anonymous: to log in
    response = client.get("/manage/members/vines/embed/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    # another business's owner: nothing here
    other: Any = MemberFactory.create(slug="someone-else")
    _log_in(client, other)
    assert client.get("/manage/members/vines/embed/").status_code == 404

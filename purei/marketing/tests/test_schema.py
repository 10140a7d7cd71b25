"""schema.org JSON-LD: the cluster's Organization on its home, a member's
LocalBusiness on its maker page, escaped so nothing in it closes the script."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, override_settings

from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.marketing.schema import json_ld
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db

DOMAIN = "shop.marlboroughwine.nz"
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_lds(html: str) -> list[dict[str, Any]]:
    return [json.loads(text) for text in SCRIPT.findall(html)]


def of_type(html: str, *types: str) -> dict[str, Any]:
    [found] = [data for data in json_lds(html) if data.get("@type") in types]
    return found


@pytest.fixture
def wine() -> Cluster:
    return ClusterFactory.create(
        slug="wine",
        name_en="Wine Country",
        name_mi="Whenua Wāina",
        tagline="From the top of the south",
        regions=["NZ-MBH", "NZ-NSN"],
    )


def test_the_clusters_home_says_it_is_an_organization(client: Client, wine):
    # when
    html = client.get("/c/wine/").content.decode()
    # then
    data = of_type(html, "Organization")
    assert data["@context"] == "https://schema.org"
    assert data["name"] == "Wine Country"
    assert data["alternateName"] == "Whenua Wāina"
    assert data["url"] == "http://testserver/c/wine/"
    assert data["@id"] == "http://testserver/c/wine/#organization"
    assert data["description"] == "From the top of the south"
    assert {area["name"] for area in data["areaServed"]} == {"Marlborough", "Nelson"}
    assert "sameAs" not in data
    assert "logo" not in data  # no logo uploaded


@override_settings(
    ALLOWED_HOSTS=[DOMAIN, "testserver"], SITE_URL="https://purei.example.nz"
)
def test_with_its_own_domain_the_organization_is_the_same_as_there(
    client: Client, wine
):
    # given
    wine.domain = DOMAIN
    wine.save(update_fields=["domain"])
    # when
    on_purei = of_type(client.get("/c/wine/").content.decode(), "Organization")
    on_domain = of_type(
        client.get("/", HTTP_HOST=DOMAIN).content.decode(), "Organization"
    )
    # then
    assert on_purei["sameAs"] == [f"http://{DOMAIN}/"]
    assert on_domain["url"] == f"http://{DOMAIN}/"
    assert on_domain["sameAs"] == ["https://purei.example.nz/c/wine/"]


def _maker(cluster: Cluster, **fields: Any) -> Member:
    member = MemberFactory.create(slug="vines", **fields)
    MembershipFactory.create(member=member, cluster=cluster)
    return member


def test_a_member_with_a_place_is_a_local_business(client: Client, wine):
    # given
    _maker(
        wine,
        trading_name="Vines",
        legal_name="Vines Holdings Limited",
        town="Renwick",
        latitude=Decimal("-41.5139"),
        longitude=Decimal("173.8312"),
        phone="03 572 0000",
        website="https://vines.example.nz/",
    )
    # when
    html = client.get("/c/wine/members/vines/").content.decode()
    # then
    data = of_type(html, "LocalBusiness")
    assert data["name"] == "Vines"
    assert data["legalName"] == "Vines Holdings Limited"
    assert data["url"] == "http://testserver/c/wine/members/vines/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Renwick",
        "addressRegion": "Marlborough",
        "addressCountry": "NZ",
    }
    assert data["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": -41.5139,
        "longitude": 173.8312,
    }
    assert data["telephone"] == "03 572 0000"
    assert data["sameAs"] == ["https://vines.example.nz/"]
    assert data["memberOf"]["@id"] == "http://testserver/c/wine/#organization"
    assert data["description"].startswith("We make good things in Aotearoa")


def test_a_member_without_a_place_is_an_organization(client: Client, wine):
    # given
    _maker(wine, town="", region=None)
    # when
    html = client.get("/c/wine/members/vines/").content.decode()
    # then
    data = of_type(html, "LocalBusiness", "Organization")
    assert data["@type"] == "Organization"
    assert "address" not in data
    assert "geo" not in data


def test_nothing_in_the_json_can_close_the_script(client: Client, wine):
    # given: a name written to break out of the script element
    name = '</script><script>alert("x")</script> & <!--'
    _maker(wine, trading_name=name)
    # when
    html = client.get("/c/wine/members/vines/").content.decode()
    # then
    [script] = [text for text in SCRIPT.findall(html) if "LocalBusiness" in text]
    assert "<" not in script
    assert ">" not in script
    assert json.loads(script)["name"] == name


def test_json_ld_escapes_markup_and_line_separators():
    text = str(json_ld({"a": "<b>&</b>\u2028"}))
    assert text == '{"a": "\\u003cb\\u003e\\u0026\\u003c/b\\u003e\\u2028"}'
    assert json.loads(text) == {"a": "<b>&</b>\u2028"}

"""Te reo done honestly (docs/te-reo.md): every page is ``<html lang="en">``, each
te reo string is marked ``lang="mi"`` and nothing English is; the languages have
their own addresses (``/mi/…``) with ``hreflang`` alternates and a switch between
them; language-neutral addresses have no ``/mi/`` twin."""

from __future__ import annotations

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client, override_settings

from purei.accounts.tests.factories import UserFactory
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.ledger.tests.factories import money_cluster, money_member
from purei.orders.models import ShippingPolicy, ShippingRate, Zone
from purei.search.tests.factories import public_product
from purei.web.te_reo import catalogue_path, maori_strings

pytestmark = pytest.mark.django_db

# The switch's own bilingual labels (the name of each language in itself).
SWITCH_LABELS = {"Te reo Māori", "Te reo ka pīrangitia"}
# Attributes whose words are read out (a Māori value would be read as English).
SPOKEN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "value", "content"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip


class _Languages(HTMLParser):
    """Each text node and spoken attribute with the language it is marked in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []  # (tag, lang)
        self.texts: list[tuple[str, str]] = []  # (lang, text)
        self.attributes: list[tuple[str, str, str]] = []  # (lang, name, value)
        self.html_lang = ""

    def _lang(self) -> str:
        return self.stack[-1][1] if self.stack else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        lang = found.get("lang") or self._lang()
        if tag == "html":
            self.html_lang = lang
        for name, value in attrs:
            if name in SPOKEN_ATTRIBUTES and value and value.strip():
                self.attributes.append((lang, name, value.strip()))
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return
        text = " ".join(data.split())
        if text:
            self.texts.append((self._lang(), text))


def _maori_data() -> set[str]:
    """Every te reo value stored in the database (fields named ``*_mi``)."""
    values: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField | models.TextField) and (
                field.name.endswith("_mi")
            ):
                values.update(
                    v
                    for v in model._default_manager.values_list(field.name, flat=True)
                    if v
                )
    return values


def assert_language_marked_honestly(html: str) -> _Languages:
    """The page is English; every text in a lang="mi" context is te reo (a
    translation from the catalogue, stored te reo data, or the switch's own
    label), and no translation is shown or read outside one."""
    page = _Languages()
    page.feed(html)
    maori = maori_strings()
    data = _maori_data()
    assert page.html_lang == "en"
    for lang, text in page.texts:
        if lang == "mi":
            assert (
                text in maori
                or text in SWITCH_LABELS
                or any(text in value for value in data)
                or _is_maori_title(text, maori)
            ), f"not te reo, yet marked lang=mi: {text!r}"
        else:
            assert text not in maori, f"te reo not marked lang=mi: {text!r}"
    for lang, name, value in page.attributes:
        if lang != "mi":
            assert value not in maori, f"te reo in {name}= outside lang=mi: {value!r}"
    return page


def _is_maori_title(text: str, maori: frozenset[str]) -> bool:
    """A page title in te reo: a translation and the platform's name, "Takiuru — Pūrei"
    (a <title> holds text only, so the whole element says lang="mi")."""
    parts = text.split(" — ")
    return len(parts) > 1 and all(part in maori or part == "Pūrei" for part in parts)


def _marked_maori(page: _Languages) -> set[str]:
    return {text for lang, text in page.texts if lang == "mi"}


@pytest.fixture
def shop() -> dict[str, Any]:
    cluster = money_cluster(slug="kai", name_en="Kai Collective")
    policy = ShippingPolicy.objects.create(cluster=cluster)
    ShippingRate.objects.create(
        policy=policy, zone=Zone.NORTH_ISLAND, max_weight_grams=5000, price_cents=850
    )
    bees = money_member(cluster, trading_name="Bees")
    product = public_product(cluster, member=bees, title_en="Manuka honey")
    variant = product.variants.get()
    variant.price_cents = 2400
    variant.stock = 50
    variant.weight_grams = 500
    variant.save()
    return {"cluster": cluster, "product": product, "variant": variant}


def _product_url(shop: dict[str, Any], prefix: str = "") -> str:
    product = shop["product"]
    return f"{prefix}/c/kai/p/{product.member.slug}/{product.slug}/"


def _checkout(client: Client, prefix: str) -> Any:
    url = f"{prefix}/c/kai/checkout/"
    body = client.get(url).content.decode()
    match = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', body)
    assert match is not None
    return client.post(
        url,
        {
            "idempotency_key": match.group(1),
            "email": "aroha@example.nz",
            "name": "Aroha Ngata",
            "country": "NZ",
            "line1": "12 Queen Street",
            "town": "Auckland",
            "postcode": "1021",
            "region": "NZ-AUK",
            "payment_method": "bank_transfer",
            "action": "place",
        },
    )


# --- Language marking ---------------------------------------------------------------


def test_the_te_reo_pages_mark_every_maori_string_and_nothing_english(
    client: Client, shop: dict[str, Any]
) -> None:
    # given: a cart with a product in it
    added = client.post(
        "/mi/c/kai/cart/add/", {"variant": shop["variant"].pk, "quantity": 2}
    )
    assert added.status_code in (200, 302)
    # when / then: navigation, finder, directory, storefront, shop, product, cart,
    # checkout
    seen: set[str] = set()
    for url in (
        "/mi/",
        "/mi/finder/",
        "/mi/finder/?shared_place=no",
        "/mi/clusters/",
        "/mi/c/kai/",
        "/mi/c/kai/shop/",
        _product_url(shop, "/mi"),
        "/mi/c/kai/cart/",
        "/mi/c/kai/checkout/",
        "/mi/search/?q=honey",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        seen |= _marked_maori(
            assert_language_marked_honestly(response.content.decode())
        )
    # and the order page, after placing the order
    placed = _checkout(client, "/mi")
    assert placed.status_code == 302
    assert placed["Location"].startswith("/mi/orders/")
    order = client.get(placed["Location"])
    assert order.status_code == 200
    seen |= _marked_maori(assert_language_marked_honestly(order.content.decode()))
    # the attested terms are all shown somewhere, marked
    assert {"Ngā pūrei", "Āe", "Kāo", "Utu", "Ingoa", "Rohe"} <= seen


def test_the_te_reo_account_pages_mark_their_maori_strings_and_titles(
    client: Client,
) -> None:
    # given: someone with an account
    user = UserFactory.create(email="aroha@example.nz")
    seen: set[str] = set()
    # when / then: logged out, and a login that fails (the error summary)
    for url in ("/mi/accounts/login/", "/mi/accounts/signup/", "/mi/no-such-page/"):
        response = client.get(url)
        seen |= _marked_maori(
            assert_language_marked_honestly(response.content.decode())
        )
    failed = client.post(
        "/mi/accounts/login/", {"username": user.email, "password": ""}
    )
    html = failed.content.decode()
    assert 'class="error-summary"' in html
    seen |= _marked_maori(assert_language_marked_honestly(html))
    # and logged in
    client.force_login(user)
    for url in ("/mi/accounts/", "/mi/accounts/password/"):
        response = client.get(url)
        assert response.status_code == 200, url
        seen |= _marked_maori(
            assert_language_marked_honestly(response.content.decode())
        )
    # the attested terms are shown, marked; titles in te reo say so on <title>
    assert {"Takiuru", "Takiputa", "Tō pūkete", "Wāhitau īmēra", "Kupuhipa"} <= seen
    maori_title = client.get("/mi/accounts/").content.decode()
    assert '<title lang="mi">Tō pūkete — Pūrei</title>' in maori_title
    english_title = client.get("/accounts/").content.decode()
    assert "<title>Your account — Pūrei</title>" in english_title


def test_the_english_pages_show_no_te_reo_interface_text(
    client: Client, shop: dict[str, Any]
) -> None:
    # given: a te reo cookie from the old switch
    client.cookies["django_language"] = "mi"
    client.post("/c/kai/cart/add/", {"variant": shop["variant"].pk, "quantity": 1})
    # when / then: the address decides, not the cookie
    for url in ("/", "/finder/", "/c/kai/", _product_url(shop), "/c/kai/cart/"):
        html = client.get(url).content.decode()
        page = assert_language_marked_honestly(html)
        # (the platform's own name, Pūrei, is a Māori word: marked in both)
        assert not _marked_maori(page) - SWITCH_LABELS - {"Pūrei"} - _maori_data(), url
        assert "Ngā pūrei" not in html


def test_no_template_shows_a_translated_string_without_marking_it() -> None:
    # given: the strings with a te reo translation
    path = catalogue_path()
    assert path is not None
    with path.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    translated = {
        k for k, v in catalogue.items() if isinstance(k, str) and k and v != k
    }
    assert "Clusters" in translated
    # when: every template's {% translate %} / {% trans %} of one of them
    root = Path(__file__).resolve().parents[2]
    tag = re.compile(r"""\{%\s*trans(?:late)?\s+(["'])(.*?)\1\s*%\}""")
    unmarked = [
        f"{template.relative_to(root)}: {match.group(2)}"
        for template in root.glob("*/templates/**/*.html")
        for match in tag.finditer(template.read_text())
        if match.group(2) in translated
    ]
    # then: none; they use {{ _("…")|mi }} (purei/web/templatetags/te_reo.py)
    assert unmarked == []


# --- Addresses per language -----------------------------------------------------------


def _alternates(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    )


def test_each_page_names_its_address_in_each_language(
    client: Client, shop: dict[str, Any]
) -> None:
    # when
    english = client.get("/c/kai/shop/?sort=price").content.decode()
    maori = client.get("/mi/c/kai/shop/?sort=price").content.decode()
    # then: absolute, the query kept, English the default
    expected = {
        "en": "http://testserver/c/kai/shop/?sort=price",
        "mi": "http://testserver/mi/c/kai/shop/?sort=price",
        "x-default": "http://testserver/c/kai/shop/?sort=price",
    }
    assert _alternates(english) == expected
    assert _alternates(maori) == expected


def test_the_switch_links_to_the_same_page_in_the_other_language(
    client: Client, shop: dict[str, Any]
) -> None:
    # when
    html = client.get(_product_url(shop, "/mi")).content.decode()
    switch = html[html.index('<nav class="lang-switch"') :]
    switch = switch[: switch.index("</nav>")]
    # then
    english = _product_url(shop)
    maori = _product_url(shop, "/mi")
    assert f'<a href="{english}" hreflang="en" lang="en">English</a>' in switch
    assert (
        f'<a href="{maori}" hreflang="mi" lang="mi" aria-current="true">'
        "Te reo Māori</a>" in switch
    )


def test_a_missing_page_has_no_alternates(client: Client) -> None:
    # when
    response = client.get("/mi/no-such-page/")
    # then
    assert response.status_code == 404
    assert 'hreflang="' not in response.content.decode()


def test_the_old_language_switch_post_still_goes_to_the_other_address(
    client: Client, shop: dict[str, Any]
) -> None:
    # when
    to_maori = client.post("/i18n/setlang/", {"language": "mi", "next": "/c/kai/shop/"})
    to_english = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/mi/c/kai/shop/"}
    )
    # then
    assert to_maori.status_code == 302
    assert to_maori["Location"] == "/mi/c/kai/shop/"
    assert to_english.status_code == 302
    assert to_english["Location"] == "/c/kai/shop/"


def test_language_neutral_addresses_have_no_te_reo_twin(
    client: Client, shop: dict[str, Any]
) -> None:
    # then: one address each, in every language
    assert client.get("/api/v1/clusters").status_code == 200
    assert client.get("/mi/api/v1/clusters").status_code == 404
    assert client.get("/mi/admin/").status_code == 404
    assert client.get("/mi/media/members/logos/x.png").status_code == 404
    assert client.post("/mi/payments/stripe/webhook/").status_code == 404
    assert client.get("/mi/favicon.ico").status_code == 404
    # and the pages reverse to the active language's address
    html = client.get("/mi/c/kai/").content.decode()
    assert 'href="/mi/c/kai/shop/"' in html
    assert 'href="/c/kai/shop/"' not in html


@override_settings(ALLOWED_HOSTS=["kai.example.nz", "testserver"])
def test_a_clusters_own_domain_has_te_reo_addresses_too(client: Client) -> None:
    # given
    cluster: Cluster = ClusterFactory.create(slug="toi", domain="kai.example.nz")
    public_product(cluster)
    # when
    home = client.get("/mi/", HTTP_HOST="kai.example.nz")
    shop = client.get("/mi/shop/", HTTP_HOST="kai.example.nz")
    # then
    assert home.status_code == 200
    assert shop.status_code == 200
    assert_language_marked_honestly(shop.content.decode())
    assert _alternates(shop.content.decode()) == {
        "en": "http://kai.example.nz/shop/",
        "mi": "http://kai.example.nz/mi/shop/",
        "x-default": "http://kai.example.nz/shop/",
    }

"""A cluster's product feeds: Google Merchant Center's RSS (parsed with lxml, every
required field on every item, prices exact) and Meta's CSV (through the project's
CSV safety); public products only; bounded queries."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client, override_settings

from purei.catalogue.models import Listing, Product, Variant
from purei.catalogue.tests.factories import VariantFactory
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.marketing import product_feeds as feeds
from purei.marketing.product_feeds import clean, price_text
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import ChilledRate, Zone
from purei.orders.tests.factories import NZ_TABLE, ShippingPolicyFactory, rate_table
from purei.search.tests.factories import public_product

from .helpers import NS, add_photo, body, parse, photographed_product

pytestmark = pytest.mark.django_db

GOOGLE_REQUIRED = (
    "id",
    "title",
    "description",
    "link",
    "image_link",
    "availability",
    "price",
    "brand",
    "condition",
)
DOMAIN = "shop.marlboroughwine.nz"


@pytest.fixture
def wine() -> Cluster:
    return ClusterFactory.create(
        slug="wine", name_en="Wine Country", tagline="From the top of the south"
    )


@pytest.fixture
def vines(wine: Cluster) -> Member:
    member = MemberFactory.create(slug="vines", trading_name="Vines & Co")
    MembershipFactory.create(member=member, cluster=wine)
    return member


def google(client: Client, cluster: Cluster, host: str = "testserver") -> Any:
    response = client.get(f"/c/{cluster.slug}/feeds/google.xml", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return parse(body(response))


def items(document: Any) -> list[dict[str, Any]]:
    """Each item's g: fields (lists for the repeated ones)."""
    found = []
    for item in document.findall("channel/item"):
        fields: dict[str, Any] = {}
        for child in item:
            name = child.tag.removeprefix("{" + NS["g"] + "}")
            if name == "additional_image_link":
                fields.setdefault(name, []).append(child.text)
            elif name == "shipping":
                fields[name] = {
                    sub.tag.removeprefix("{" + NS["g"] + "}"): sub.text for sub in child
                }
            else:
                fields[name] = child.text
        found.append(fields)
    return found


def meta(client: Client, cluster: Cluster) -> list[dict[str, str]]:
    response = client.get(f"/c/{cluster.slug}/feeds/meta.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body(response).decode()
    return list(csv.DictReader(io.StringIO(text, newline="")))


# --- Google --------------------------------------------------------------------


def test_every_item_has_every_required_field(client: Client, wine, vines):
    # given
    for n in range(3):
        photographed_product(wine, member=vines, slug=f"wine-{n}", title_en=f"Wine {n}")
    # when
    document = google(client, wine)
    # then
    assert document.tag == "rss"
    assert document.get("version") == "2.0"
    assert document.findtext("channel/title") == "Wine Country"
    assert document.findtext("channel/link") == "http://testserver/c/wine/"
    found = items(document)
    assert len(found) == 3
    for item in found:
        for name in GOOGLE_REQUIRED:
            assert item.get(name), f"{name} missing from {item}"
        assert item["condition"] == "new"
        assert item["identifier_exists"] == "no"  # no GTIN is known
        assert item["brand"] == "Vines & Co"
        assert item["link"].startswith("http://testserver/c/wine/p/vines/wine-")
        assert item["image_link"].startswith("http://testserver/media/")


@pytest.mark.parametrize(
    ("cents", "text"),
    [
        (1250, "12.50 NZD"),
        (5, "0.05 NZD"),
        (100, "1.00 NZD"),
        (4200, "42.00 NZD"),
        (123456789, "1234567.89 NZD"),
        (1999, "19.99 NZD"),
    ],
)
def test_prices_are_cents_in_dollars_exactly(cents, text):
    assert price_text(cents) == text


def test_the_feed_carries_each_variants_exact_price(client: Client, wine, vines):
    # given: prices a float would round badly
    product = photographed_product(wine, member=vines, slug="pinot")
    Variant.objects.filter(product=product).update(price_cents=1999)
    VariantFactory.create(product=product, name="Magnum", price_cents=10015)
    # when
    found = items(google(client, wine))
    # then
    assert sorted(item["price"] for item in found) == ["100.15 NZD", "19.99 NZD"]


def test_a_product_with_variants_is_one_item_each_in_a_group(
    client: Client, wine, vines
):
    # given
    product = photographed_product(wine, member=vines, title_en="Pinot Noir")
    Variant.objects.filter(product=product).update(
        name="750 ml", options={"size": "750 ml"}
    )
    VariantFactory.create(
        product=product, name="Magnum", options={"Size": "1.5 l", "colour": "Red"}
    )
    single = photographed_product(wine, member=vines, title_en="Riesling")
    # when
    found = {item["id"]: item for item in items(google(client, wine))}
    # then
    grouped = [item for item in found.values() if item.get("item_group_id")]
    assert len(grouped) == 2
    assert {item["item_group_id"] for item in grouped} == {str(product.pk)}
    assert {item["title"] for item in grouped} == {
        "Pinot Noir — 750 ml",
        "Pinot Noir — Magnum",
    }
    assert {item["size"] for item in grouped} == {"750 ml", "1.5 l"}
    assert {item.get("color") for item in grouped} == {None, "Red"}
    alone = found[str(single.variants.get().pk)]
    assert "item_group_id" not in alone
    assert alone["title"] == "Riesling"
    assert set(found) == {str(v.pk) for v in Variant.objects.all()}


@pytest.mark.parametrize(
    ("policy", "stock", "availability", "handling"),
    [
        (Variant.StockPolicy.TRACKED, 3, "in_stock", None),
        (Variant.StockPolicy.TRACKED, 0, "out_of_stock", None),
        (Variant.StockPolicy.UNLIMITED, 0, "in_stock", None),
        (Variant.StockPolicy.MADE_TO_ORDER, 0, "in_stock", "14"),
    ],
)
def test_availability(
    client: Client, wine, vines, policy, stock, availability, handling
):
    # given
    product = photographed_product(wine, member=vines)
    Variant.objects.filter(product=product).update(
        stock_policy=policy, stock=stock, lead_time_days=14
    )
    # when
    [item] = items(google(client, wine))
    # then
    assert item["availability"] == availability
    assert item.get("max_handling_time") == handling


def test_shipping_is_the_members_dearer_island_charge(client: Client, wine, vines):
    # given: the member's rates, and a 2 kg bottle
    rate_table(ShippingPolicyFactory.create(member=vines), NZ_TABLE)
    product = photographed_product(wine, member=vines)
    Variant.objects.filter(product=product).update(weight_grams=2000)
    # when
    [item] = items(google(client, wine))
    # then: 12.50 to the North Island (≤ 5 kg), 29.50 to the South (no limit)
    assert item["shipping"] == {"country": "NZ", "price": "29.50 NZD"}
    assert item["shipping_weight"] == "2000 g"


def test_shipping_by_the_clusters_rates_free_over_a_threshold(
    client: Client, wine, vines
):
    # given: the cluster's rates, free over $100
    policy = ShippingPolicyFactory.create(
        member=None, cluster=wine, free_over_cents=10000
    )
    rate_table(policy, NZ_TABLE)
    cheap = photographed_product(wine, member=vines, slug="cheap")
    dear = photographed_product(wine, member=vines, slug="dear")
    Variant.objects.filter(product=dear).update(price_cents=12000)
    # when
    found = {
        item["link"].rsplit("/", 2)[1]: item for item in items(google(client, wine))
    }
    # then: 8.50 North or 11.50 South for up to 1 kg
    assert found["cheap"]["shipping"]["price"] == "11.50 NZD"
    assert found["dear"]["shipping"]["price"] == "0.00 NZD"
    assert cheap.pk != dear.pk


def test_chilled_goods_ship_at_the_chilled_rate_and_freight_on_quote_not_at_all(
    client: Client, wine, vines
):
    # given
    policy = ShippingPolicyFactory.create(member=vines)
    rate_table(policy, NZ_TABLE)
    ChilledRate.objects.create(policy=policy, zone=Zone.NORTH_ISLAND, price_cents=1800)
    ChilledRate.objects.create(policy=policy, zone=Zone.SOUTH_ISLAND, price_cents=2400)
    oysters = photographed_product(wine, member=vines, slug="oysters")
    Variant.objects.filter(product=oysters).update(cold_chain=Variant.ColdChain.CHILLED)
    barrel = photographed_product(wine, member=vines, slug="barrel")
    Variant.objects.filter(product=barrel).update(freight_on_quote=True)
    # when
    found = {
        item["link"].rsplit("/", 2)[1]: item for item in items(google(client, wine))
    }
    # then
    assert found["oysters"]["shipping"]["price"] == "24.00 NZD"
    assert "shipping" not in found["barrel"]


def test_no_rates_no_shipping(client: Client, wine, vines):
    photographed_product(wine, member=vines)
    [item] = items(google(client, wine))
    assert "shipping" not in item


def test_only_public_products_are_in_the_feed(client: Client, wine, vines):
    # given: one public product and many that are not
    photographed_product(wine, member=vines, slug="public")
    photographed_product(wine, member=vines, slug="draft", status=Product.Status.DRAFT)
    pending = photographed_product(wine, member=vines, slug="pending")
    Listing.objects.filter(product=pending).update(status=Listing.Status.PENDING)
    review = photographed_product(wine, member=vines, slug="in-review")
    Listing.objects.filter(product=review).update(
        cultural_review=Listing.CulturalReview.PENDING
    )
    photographed_product(ClusterFactory.create(), member=vines, slug="elsewhere")
    suspended = MemberFactory.create()
    photographed_product(wine, member=suspended, slug="suspended")
    Membership.objects.filter(member=suspended).update(
        status=Membership.Status.SUSPENDED
    )
    public_product(wine, member=vines, slug="no-photo")
    # when
    found = items(google(client, wine))
    rows = meta(client, wine)
    # then
    assert [item["link"] for item in found] == [
        "http://testserver/c/wine/p/vines/public/"
    ]
    assert [row["link"] for row in rows] == ["http://testserver/c/wine/p/vines/public/"]


def test_text_is_escaped_and_cleaned_for_xml(client: Client, wine, vines):
    # given: markup characters and a control character pasted into the texts
    product = photographed_product(
        wine,
        member=vines,
        title_en="Fish & Chips <Special>",
        description_en="Crisp\x0b and </item> hot",
    )
    photographed_product(wine, member=vines, description_en="")
    # when
    found = items(google(client, wine))
    # then: it parsed, and reads back as written, less the control character
    titled = next(item for item in found if item["title"].startswith("Fish"))
    assert titled["title"] == "Fish & Chips <Special>"
    assert titled["description"] == "Crisp and </item> hot"
    other = next(item for item in found if item is not titled)
    assert other["description"].endswith(", made by Vines & Co.")
    assert product.pk


def test_long_titles_and_descriptions_are_cut_to_googles_limits():
    title = clean("word " * 100, feeds.TITLE_MAX)
    assert len(title) <= 150
    assert title.endswith("…")
    assert len(clean("x" * 6000, feeds.DESCRIPTION_MAX)) <= 5000


def test_more_photos_are_additional_image_links(client: Client, wine, vines):
    product = photographed_product(wine, member=vines)
    for n in range(12):
        add_photo(product, alt=f"Photo {n}")
    [item] = items(google(client, wine))
    assert len(item["additional_image_link"]) == 10


@pytest.mark.parametrize("status", [Cluster.Status.DRAFT, Cluster.Status.PAUSED])
def test_a_cluster_not_live_has_no_feeds(client: Client, status):
    ClusterFactory.create(slug="quiet", status=status)
    assert client.get("/c/quiet/feeds/google.xml").status_code == 404
    assert client.get("/c/quiet/feeds/meta.csv").status_code == 404
    assert client.get("/c/nobody/feeds/google.xml").status_code == 404


def test_the_feed_reads_a_fixed_number_of_queries_a_chunk(
    client: Client, wine, vines, django_assert_num_queries, monkeypatch
):
    # given: chunks of 4 products
    monkeypatch.setattr(feeds, "FEED_CHUNK", 4)
    rate_table(ShippingPolicyFactory.create(member=vines), NZ_TABLE)
    for n in range(3):
        photographed_product(wine, member=vines, slug=f"a-{n}")
    # when / then: the cluster, the makers, their three shipping
    # tables, then for each chunk its products, their variants and their photos
    with django_assert_num_queries(1 + 1 + 3 + 3):
        assert len(items(google(client, wine))) == 3
    for n in range(4):
        photographed_product(wine, member=vines, slug=f"b-{n}")
    with django_assert_num_queries(1 + 1 + 3 + 3 * 2):
        assert len(items(google(client, wine))) == 7


# --- Meta ----------------------------------------------------------------------


def test_the_meta_csv_has_metas_columns(client: Client, wine, vines):
    # given
    product = photographed_product(wine, member=vines, slug="pinot", title_en="Pinot")
    Variant.objects.filter(product=product).update(price_cents=4200)
    made = photographed_product(wine, member=vines, slug="made", title_en="Made")
    Variant.objects.filter(product=made).update(
        stock_policy=Variant.StockPolicy.MADE_TO_ORDER
    )
    gone = photographed_product(wine, member=vines, slug="gone", title_en="Gone")
    Variant.objects.filter(product=gone).update(stock=0)
    # when
    rows = {row["title"]: row for row in meta(client, wine)}
    # then
    assert list(next(iter(rows.values()))) == list(feeds.META_COLUMNS)
    pinot = rows["Pinot"]
    assert pinot["price"] == "42.00 NZD"
    assert pinot["availability"] == "in stock"
    assert pinot["condition"] == "new"
    assert pinot["brand"] == "Vines & Co"
    assert pinot["link"] == "http://testserver/c/wine/p/vines/pinot/"
    assert pinot["image_link"].startswith("http://testserver/media/")
    assert rows["Made"]["availability"] == "available for order"
    assert rows["Gone"]["availability"] == "out of stock"


def test_the_meta_csv_is_safe_in_a_spreadsheet(client: Client, wine, vines):
    # given: a title that a spreadsheet would run
    photographed_product(wine, member=vines, title_en='=HYPERLINK("http://x","y")')
    # when
    [row] = meta(client, wine)
    # then
    assert row["title"] == '\'=HYPERLINK("http://x","y")'


# --- A cluster's own domain -------------------------------------------------------


@override_settings(ALLOWED_HOSTS=[DOMAIN, "testserver"])
def test_the_feeds_work_on_the_clusters_own_domain(client: Client, wine, vines):
    # given
    wine.domain = DOMAIN
    wine.save(update_fields=["domain"])
    photographed_product(wine, member=vines, slug="pinot")
    other = ClusterFactory.create(slug="other")
    # when
    response = client.get("/feeds/google.xml", HTTP_HOST=DOMAIN)
    csv_response = client.get("/feeds/meta.csv", HTTP_HOST=DOMAIN)
    # then
    assert response.status_code == 200
    [item] = items(parse(body(response)))
    assert item["link"] == f"http://{DOMAIN}/p/vines/pinot/"
    assert csv_response.status_code == 200
    assert f"http://{DOMAIN}/p/vines/pinot/" in body(csv_response).decode()
    # another cluster's feed is not served there
    assert (
        client.get(f"/c/{other.slug}/feeds/google.xml", HTTP_HOST=DOMAIN).status_code
        == 404
    )

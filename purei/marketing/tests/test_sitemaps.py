"""The sitemap index and each cluster's sitemap: valid against the sitemaps.org
schemas the tests ship, public pages only, every language, bounded queries."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, override_settings
from django.urls import reverse, translate_url
from django.utils import timezone
from django.utils.translation import override

from purei.catalogue.models import Listing, Product, Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.marketing import sitemaps
from purei.marketing.models import Story
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.search.tests.factories import ListingFactory, public_product

from .factories import StoryFactory
from .helpers import NS, assert_valid, body

pytestmark = pytest.mark.django_db

DOMAIN = "shop.marlboroughwine.nz"
HOSTS = [DOMAIN, "testserver"]


def _locs(document: object) -> list[str]:
    return [loc.text for loc in document.findall("s:url/s:loc", NS)]  # type: ignore[attr-defined]  # an lxml element


def _sitemap(
    client: Client, cluster: Cluster, page: int = 1, host: str = "testserver"
) -> bytes:
    url = reverse("marketing-feeds:sitemap", kwargs={"slug": cluster.slug})
    response = client.get(url, {"p": page} if page > 1 else {}, HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return body(response)


@pytest.fixture
def wine() -> Cluster:
    return ClusterFactory.create(slug="wine", name_en="Wine Country")


@pytest.fixture
def vines(wine: Cluster) -> Member:
    member = MemberFactory.create(slug="vines", trading_name="Vines")
    MembershipFactory.create(member=member, cluster=wine)
    return member


def test_the_index_lists_each_live_clusters_sitemap(client: Client, wine):
    # given: a draft and a paused cluster besides
    ClusterFactory.create(slug="draft", status=Cluster.Status.DRAFT)
    ClusterFactory.create(slug="paused", status=Cluster.Status.PAUSED)
    # when
    response = client.get("/sitemap.xml")
    # then
    assert response.status_code == 200
    document = assert_valid(body(response), "siteindex.xsd")
    locs = [loc.text for loc in document.findall("s:sitemap/s:loc", NS)]
    assert locs == ["http://testserver/sitemap-wine.xml"]
    lastmod = document.find("s:sitemap/s:lastmod", NS).text
    assert datetime.datetime.fromisoformat(lastmod) >= wine.updated_at.replace(
        microsecond=0
    )


def test_a_clusters_sitemap_lists_its_public_pages_in_each_language(
    client: Client, wine, vines
):
    # given
    public_product(wine, member=vines, slug="pinot")
    # when
    document = assert_valid(_sitemap(client, wine), "sitemap-hreflang.xsd")
    # then: each page once per language
    base = "http://testserver"
    english = [
        "/c/wine/",
        "/c/wine/shop/",
        "/c/wine/members/",
        "/c/wine/members/vines/",
        "/c/wine/p/vines/pinot/",
    ]
    expected = [base + path for path in english]
    expected += [base + "/mi" + path for path in english]
    assert sorted(_locs(document)) == sorted(expected)


def test_the_addresses_are_the_pages_own(client: Client, wine, vines):
    """The paths are those Django reverses for each page in each language (and
    the te reo one what the language switch gives)."""
    # given
    public_product(wine, member=vines, slug="pinot")
    pages = [
        ("catalogue:cluster-home", {"slug": "wine"}),
        ("catalogue:shop", {"slug": "wine"}),
        ("members:public-list", {"slug": "wine"}),
        ("catalogue:maker", {"slug": "wine", "member_slug": "vines"}),
        (
            "catalogue:public-product",
            {"slug": "wine", "member_slug": "vines", "product_slug": "pinot"},
        ),
    ]
    # when
    locs = set(_locs(assert_valid(_sitemap(client, wine), "sitemap-hreflang.xsd")))
    # then
    for name, kwargs in pages:
        english = reverse(name, kwargs=kwargs)
        with override("mi"):
            maori = reverse(name, kwargs=kwargs)
        assert maori == translate_url(english, "mi")
        assert f"http://testserver{english}" in locs
        assert f"http://testserver{maori}" in locs


def test_every_url_names_its_alternates_and_x_default(client: Client, wine, vines):
    # given
    public_product(wine, member=vines, slug="pinot")
    # when
    document = assert_valid(_sitemap(client, wine), "sitemap-hreflang.xsd")
    # then
    for url in document.findall("s:url", NS):
        links = {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", NS)
        }
        assert set(links) == {"en", "mi", "x-default"}
        assert links["x-default"] == links["en"]
        assert links["mi"] == links["en"].replace("testserver/", "testserver/mi/", 1)
        assert url.find("s:loc", NS).text in (links["en"], links["mi"])
        assert all(
            link.get("rel") == "alternate" for link in url.findall("xhtml:link", NS)
        )


def test_only_what_is_public_is_listed(client: Client, wine, vines):
    # given: one public product, and many that are not
    public_product(wine, member=vines, slug="public")
    public_product(wine, member=vines, slug="draft", status=Product.Status.DRAFT)
    pending = public_product(wine, member=vines, slug="pending")
    Listing.objects.filter(product=pending).update(status=Listing.Status.PENDING)
    review = public_product(wine, member=vines, slug="in-review")
    Listing.objects.filter(product=review).update(
        cultural_review=Listing.CulturalReview.PENDING
    )
    elsewhere = ClusterFactory.create(slug="elsewhere")
    public_product(elsewhere, member=vines, slug="elsewhere-only")
    applied = MemberFactory.create(slug="applied")
    MembershipFactory.create(
        member=applied, cluster=wine, status=Membership.Status.APPLIED
    )
    ListingFactory.create(
        product=public_product(elsewhere, member=applied, slug="not-yet"),
        cluster=wine,
    )
    suspended = MemberFactory.create(slug="suspended")
    MembershipFactory.create(member=suspended, cluster=wine)
    public_product(wine, member=suspended, slug="suspended-wine")
    Membership.objects.filter(member=suspended).update(
        status=Membership.Status.SUSPENDED
    )
    # when
    locs = _locs(assert_valid(_sitemap(client, wine), "sitemap-hreflang.xsd"))
    # then
    paths = {loc.removeprefix("http://testserver") for loc in locs}
    products = {path for path in paths if "/p/" in path and not path.startswith("/mi")}
    makers = {
        path
        for path in paths
        if path.startswith("/c/wine/members/") and path != "/c/wine/members/"
    }
    assert products == {"/c/wine/p/vines/public/"}
    assert makers == {"/c/wine/members/vines/"}


def test_the_journal_and_its_published_stories_are_listed(client: Client, wine):
    # given: two published stories, a draft, and one of another cluster
    older = StoryFactory.create(
        cluster=wine,
        slug="vintage",
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    StoryFactory.create(cluster=wine, slug="fair-day")
    StoryFactory.create(
        cluster=wine, slug="draft", status=Story.Status.DRAFT, published_at=None
    )
    StoryFactory.create(slug="elsewhere")
    # when
    locs = _locs(assert_valid(_sitemap(client, wine), "sitemap-hreflang.xsd"))
    # then: the journal, then the stories newest first, in each language
    paths = [loc.removeprefix("http://testserver") for loc in locs]
    stories = [path for path in paths if "/stories/" in path]
    assert stories == [
        "/c/wine/stories/",
        "/mi/c/wine/stories/",
        "/c/wine/stories/fair-day/",
        "/mi/c/wine/stories/fair-day/",
        "/c/wine/stories/vintage/",
        "/mi/c/wine/stories/vintage/",
    ]
    for path in stories:
        assert client.get(path).status_code == 200
    assert older.slug in " ".join(paths)


def test_a_cluster_without_stories_lists_no_journal(client: Client, wine, vines):
    # given
    public_product(wine, member=vines)
    StoryFactory.create(
        cluster=wine, slug="draft", status=Story.Status.DRAFT, published_at=None
    )
    # when
    locs = _locs(assert_valid(_sitemap(client, wine), "sitemap-hreflang.xsd"))
    # then
    assert not [loc for loc in locs if "/stories/" in loc]


@pytest.mark.parametrize("status", [Cluster.Status.DRAFT, Cluster.Status.PAUSED])
def test_a_cluster_not_live_has_no_sitemap(client: Client, status):
    # given
    ClusterFactory.create(slug="quiet", status=status)
    # when
    response = client.get("/sitemap-quiet.xml")
    # then
    assert response.status_code == 404
    assert client.get("/sitemap-nobody.xml").status_code == 404


@pytest.mark.parametrize("page", ["0", "2", "abc", "-1"])
def test_a_page_that_does_not_exist_is_a_404(client: Client, wine, page):
    assert client.get("/sitemap-wine.xml", {"p": page}).status_code == 404


def test_lastmod_follows_a_variants_change(client: Client, wine, vines):
    # given: a product whose variant changed after the product and listing
    product = public_product(wine, member=vines, slug="pinot")
    later = timezone.now() + datetime.timedelta(days=3)
    Variant.objects.filter(product=product).update(updated_at=later)
    # when
    document = assert_valid(_sitemap(client, wine), "sitemap-hreflang.xsd")
    # then
    for url in document.findall("s:url", NS):
        if url.find("s:loc", NS).text.endswith("/p/vines/pinot/"):
            changed = datetime.datetime.fromisoformat(url.find("s:lastmod", NS).text)
            assert changed == later.replace(microsecond=0)
    # and the shop, the home and the index say so too
    index = assert_valid(body(client.get("/sitemap.xml")), "siteindex.xsd")
    lastmod = index.find("s:sitemap/s:lastmod", NS).text
    assert datetime.datetime.fromisoformat(lastmod) == later.replace(microsecond=0)


# --- Large catalogues: files of at most URLS_PER_FILE, bounded queries ------------


def _catalogue(cluster: Cluster, member: Member, count: int) -> None:
    """``count`` public products of ``member`` in ``cluster``, made in bulk (the
    sitemap goes by the catalogue's rule, not by the search index)."""
    category = public_product(cluster, member=member, slug="first").category
    products = Product.objects.bulk_create(
        Product(
            member=member,
            slug=f"bulk-{n}",
            title_en=f"Bulk {n}",
            category=category,
            status=Product.Status.LIVE,
        )
        for n in range(count - 1)
    )
    Variant.objects.bulk_create(
        Variant(product=p, member=member, sku=f"B-{p.pk}", price_cents=1000)
        for p in products
    )
    Listing.objects.bulk_create(
        Listing(product=p, cluster=cluster, status=Listing.Status.APPROVED)
        for p in products
    )


def test_a_large_sitemap_continues_on_further_files(
    client: Client, wine, vines, monkeypatch
):
    # given: 20 URLs a file (10 pages of the site in two languages), 30 products
    monkeypatch.setattr(sitemaps, "URLS_PER_FILE", 20)
    _catalogue(wine, vines, 30)
    # when
    index = assert_valid(body(client.get("/sitemap.xml")), "siteindex.xsd")
    files = [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]
    # then: 3 fixed pages + 1 maker + 30 products = 34 pages = 4 files
    assert files == [
        "http://testserver/sitemap-wine.xml",
        "http://testserver/sitemap-wine.xml?p=2",
        "http://testserver/sitemap-wine.xml?p=3",
        "http://testserver/sitemap-wine.xml?p=4",
    ]
    seen: list[str] = []
    for page in range(1, 5):
        locs = _locs(assert_valid(_sitemap(client, wine, page), "sitemap-hreflang.xsd"))
        assert len(locs) <= 20
        seen += locs
    assert len(seen) == len(set(seen)) == 34 * 2
    assert client.get("/sitemap-wine.xml", {"p": 5}).status_code == 404


def test_the_sitemap_reads_a_fixed_number_of_queries(
    client: Client, wine, vines, django_assert_num_queries
):
    # given
    _catalogue(wine, vines, 5)
    # when / then: the cluster, the three counts, the makers and
    # the products; whatever the number of products
    with django_assert_num_queries(6):
        small = body(client.get("/sitemap-wine.xml"))
    _catalogue_more(wine, vines, 200)
    with django_assert_num_queries(6):
        large = body(client.get("/sitemap-wine.xml"))
    assert large.count(b"<url>") == small.count(b"<url>") + 400
    # ... and one more for the stories, whatever their number
    StoryFactory.create_batch(3, cluster=wine)
    with django_assert_num_queries(7):
        body(client.get("/sitemap-wine.xml"))
    StoryFactory.create_batch(30, cluster=wine)
    with django_assert_num_queries(7):
        stories = body(client.get("/sitemap-wine.xml"))
    assert stories.count(b"<url>") == large.count(b"<url>") + (1 + 33) * 2


def _catalogue_more(cluster: Cluster, member: Member, count: int) -> None:
    category = Product.objects.filter(member=member).first().category  # type: ignore[union-attr]  # made above
    products = Product.objects.bulk_create(
        Product(
            member=member,
            slug=f"more-{n}",
            title_en=f"More {n}",
            category=category,
            status=Product.Status.LIVE,
        )
        for n in range(count)
    )
    Listing.objects.bulk_create(
        Listing(product=p, cluster=cluster, status=Listing.Status.APPROVED)
        for p in products
    )


def test_the_index_reads_four_queries_whatever_the_clusters(
    client: Client, wine, vines, django_assert_num_queries
):
    # given
    public_product(wine, member=vines)
    with django_assert_num_queries(4):
        client.get("/sitemap.xml")
    for n in range(4):
        cluster = ClusterFactory.create(slug=f"more-{n}")
        public_product(cluster)
        StoryFactory.create(cluster=cluster)
    # when / then
    with django_assert_num_queries(4):
        response = client.get("/sitemap.xml")
    assert body(response).count(b"<sitemap>") == 5


# --- A cluster's own domain ---------------------------------------------------------


@override_settings(ALLOWED_HOSTS=HOSTS)
def test_on_its_own_domain_a_cluster_lists_its_own_addresses(client: Client, vines):
    # given
    wine = Cluster.objects.get(slug="wine")
    wine.domain = DOMAIN
    wine.save(update_fields=["domain"])
    public_product(wine, member=vines, slug="pinot")
    ClusterFactory.create(slug="other")
    # when
    index = assert_valid(
        body(client.get("/sitemap.xml", HTTP_HOST=DOMAIN)), "siteindex.xsd"
    )
    sitemap = _sitemap(client, wine, host=DOMAIN)
    # then
    assert [loc.text for loc in index.findall("s:sitemap/s:loc", NS)] == [
        f"http://{DOMAIN}/sitemap-wine.xml"
    ]
    locs = set(_locs(assert_valid(sitemap, "sitemap-hreflang.xsd")))
    assert f"http://{DOMAIN}/" in locs
    assert f"http://{DOMAIN}/mi/" in locs
    assert f"http://{DOMAIN}/p/vines/pinot/" in locs
    assert f"http://{DOMAIN}/mi/members/vines/" in locs
    # each address is served there
    for loc in locs:
        path = loc.removeprefix(f"http://{DOMAIN}")
        assert client.get(path, HTTP_HOST=DOMAIN).status_code == 200, path
    # and another cluster's sitemap is not
    assert client.get("/sitemap-other.xml", HTTP_HOST=DOMAIN).status_code == 404

import datetime

import pytest

from purei.catalogue.indexing import (
    product_changed,
    product_facts_changed,
    products_changed,
)
from purei.catalogue.models import Listing, Product, Variant
from purei.catalogue.search import ProductFilters, SearchResults, search_products
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory, region
from purei.members.models import Credential
from purei.members.tests.factories import (
    CredentialFactory,
    MemberFactory,
    MembershipFactory,
)
from purei.search.shelf import cluster_changed, membership_changed
from purei.search.tests.factories import (
    CategoryFactory,
    ListingFactory,
    ProductFactory,
    TagFactory,
    VariantFactory,
    public_product,
)

pytestmark = pytest.mark.django_db


def search(query: str, **kwargs: object) -> SearchResults:
    kwargs.setdefault("filters", ProductFilters())
    return search_products(query=query, **kwargs)  # type: ignore[arg-type]


def titles(results: SearchResults) -> list[str]:
    return [Product.objects.get(pk=pk).title_en for pk in results.product_ids]


def test_kumara_finds_kumara_with_a_macron() -> None:
    # given
    public_product(title_en="Kūmara crisps")
    public_product(title_en="Oyster sauce")

    # when
    results = search("kumara")

    # then
    assert titles(results) == ["Kūmara crisps"]
    assert results.total == 1


def test_a_macron_in_the_query_finds_text_without_one() -> None:
    # given
    public_product(title_en="Roasted kumara chips")

    # when
    results = search("Kūmara")

    # then
    assert titles(results) == ["Roasted kumara chips"]


def test_manuka_finds_manuka_honey_in_the_description() -> None:
    # given
    public_product(title_en="Golden honey", description_en="Mānuka honey, UMF 10+.")

    # when
    results = search("manuka")

    # then
    assert titles(results) == ["Golden honey"]


def test_the_last_word_matches_as_a_prefix() -> None:
    # given
    public_product(title_en="Sauvignon blanc 2024")

    # when
    results = search("sauv")

    # then
    assert titles(results) == ["Sauvignon blanc 2024"]


def test_every_word_must_match() -> None:
    # given
    public_product(title_en="Pinot noir")
    public_product(title_en="Pinot gris")

    # when
    results = search("pinot noir")

    # then
    assert titles(results) == ["Pinot noir"]


def test_tags_maker_member_region_and_attributes_are_searched() -> None:
    # given
    honey = CategoryFactory.create(slug="honey", name_en="Honey", name_mi="Mīere")
    product = public_product(
        title_en="Jar one",
        category=honey,
        maker="Hēmi Walker",
        origin_region=region("NZ-NTL"),
        attributes={"grade": "UMF 15+", "batch": 42},
        member=MemberFactory.create(trading_name="Kaipara Bees"),
    )
    product.tags.add(TagFactory.create(slug="raw", name="Raw"))
    product_changed(product.pk)

    # then
    for query in ["hemi", "kaipara bees", "te tai tokerau", "umf", "raw"]:
        assert search(query).product_ids == [product.pk], query


def test_a_category_name_is_a_facet_not_text() -> None:
    # given: a category named for what it holds, and one product in it
    produce = CategoryFactory.create(
        slug="fresh-produce", name_en="Fresh produce (kūmara, avocados…)"
    )
    avocado = public_product(title_en="Hass avocados", category=produce)
    kumara = public_product(title_en="Red kūmara", category=produce)

    # when
    results = search("kumara")

    # then: the category's name finds nothing; the category is still a facet
    assert results.product_ids == [kumara.pk]
    assert search("produce").product_ids == []
    facet = {value.value: value.count for value in results.facets.category}
    assert facet == {"fresh-produce": 1}
    filtered = search("", filters=ProductFilters(category="fresh-produce"))
    assert sorted(filtered.product_ids) == sorted([avocado.pk, kumara.pk])


def test_a_title_match_ranks_above_a_description_match() -> None:
    # given
    described = public_product(
        title_en="Gift box", description_en="Comes with a small avocado oil."
    )
    titled = public_product(title_en="Avocado oil", description_en="Cold pressed.")

    # when
    results = search("avocado")

    # then
    assert results.product_ids == [titled.pk, described.pk]
    assert results.hits[0].score > results.hits[1].score


def test_highlighting_marks_matches_and_escapes_everything_else() -> None:
    # given
    public_product(
        title_en="<script>alert(1)</script> Kūmara",
        description_en='Sweet <b>kumara</b> & "friends"',
    )

    # when
    hit = search("kumara").hits[0]

    # then
    assert str(hit.title_html) == (
        "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Kūmara</mark>"
    )
    assert str(hit.snippet_html) == (
        "Sweet &lt;b&gt;<mark>kumara</mark>&lt;/b&gt; &amp; &quot;friends&quot;"
    )


def test_a_title_that_is_a_script_tag_is_escaped() -> None:
    # given
    public_product(title_en="<script>")

    # when
    hit = search("script").hits[0]

    # then
    assert str(hit.title_html) == "&lt;<mark>script</mark>&gt;"


def test_long_descriptions_are_cut_around_the_first_match() -> None:
    # given
    words = " ".join(f"word{n}" for n in range(100))
    public_product(title_en="Long", description_en=f"{words} harakeke {words}")

    # when
    snippet = str(search("harakeke").hits[0].snippet_html)

    # then
    assert snippet.startswith("… ")
    assert snippet.endswith(" …")
    assert "<mark>harakeke</mark>" in snippet
    assert len(snippet.split()) < 40


def test_only_public_products_are_found() -> None:
    # given
    cluster = ClusterFactory.create()
    visible = public_product(cluster, title_en="Harakeke kete visible")
    public_product(cluster, title_en="Harakeke kete draft", status="draft")
    public_product(cluster, title_en="Harakeke kete archived", status="archived")
    unlisted = ProductFactory.create(title_en="Harakeke kete unlisted")
    product_changed(unlisted.pk)
    for listing_status, cultural, title in [
        (Listing.Status.PENDING, Listing.CulturalReview.NOT_NEEDED, "pending"),
        (Listing.Status.DECLINED, Listing.CulturalReview.NOT_NEEDED, "declined"),
        (Listing.Status.WITHDRAWN, Listing.CulturalReview.NOT_NEEDED, "withdrawn"),
        (Listing.Status.APPROVED, Listing.CulturalReview.PENDING, "cultural pending"),
        (Listing.Status.APPROVED, Listing.CulturalReview.DECLINED, "cultural no"),
    ]:
        product = public_product(cluster, title_en=f"Harakeke kete {title}")
        Listing.objects.filter(product=product).update(
            status=listing_status, cultural_review=cultural
        )
    paused = ClusterFactory.create(status=Cluster.Status.PAUSED)
    public_product(paused, title_en="Harakeke kete in a paused cluster")
    suspended = public_product(cluster, title_en="Harakeke kete suspended member")
    suspended.member.memberships.update(status="suspended")
    membership_changed(member_id=suspended.member_id, cluster_id=cluster.pk, open=False)
    culturally_approved = public_product(cluster, title_en="Harakeke kete approved")
    Listing.objects.filter(product=culturally_approved).update(
        cultural_review=Listing.CulturalReview.APPROVED
    )
    # Written straight to the database above: tell the index, as services do.
    products_changed(Product.objects.values_list("pk", flat=True))

    # when
    results = search("harakeke")

    # then
    assert set(results.product_ids) == {visible.pk, culturally_approved.pk}
    assert results.total == 2
    assert search("").total == 2


def test_a_cluster_search_finds_only_that_clusters_products() -> None:
    # given
    wine = ClusterFactory.create(slug="wine", name_en="Wine cluster")
    oysters = ClusterFactory.create(slug="oysters", name_en="Oyster cluster")
    in_wine = public_product(wine, title_en="Kai platter wine")
    in_oysters = public_product(oysters, title_en="Kai platter oysters")

    # when
    scoped = search("kai platter", cluster=wine)
    everywhere = search("kai platter")

    # then
    assert scoped.product_ids == [in_wine.pk]
    assert [c.slug for c in scoped.hits[0].clusters] == ["wine"]
    assert set(everywhere.product_ids) == {in_wine.pk, in_oysters.pk}


def test_each_result_says_which_clusters_it_is_in() -> None:
    # given
    first = ClusterFactory.create(slug="aaa", name_en="Alpha")
    second = ClusterFactory.create(slug="bbb", name_en="Bravo")
    paused = ClusterFactory.create(slug="ccc", name_en="Charlie", status="paused")
    product = public_product(first, title_en="Pounamu pendant")
    for cluster in (second, paused):
        MembershipFactory.create(member=product.member, cluster=cluster)
        ListingFactory.create(product=product, cluster=cluster)

    # when
    hit = search("pounamu").hits[0]

    # then
    assert [c.slug for c in hit.clusters] == ["aaa", "bbb"]
    assert hit.clusters[0].name == "Alpha"


def test_a_paused_cluster_gives_nothing() -> None:
    # given
    cluster = ClusterFactory.create()
    public_product(cluster, title_en="Pāua shell")
    cluster.status = Cluster.Status.PAUSED
    cluster.save()
    cluster_changed(cluster_id=cluster.pk, live=False)  # as the services do

    # when
    results = search("paua", cluster=cluster)

    # then
    assert results.total == 0
    assert results.hits == ()


def test_facets_count_the_filtered_set() -> None:
    # given
    wine = CategoryFactory.create(slug="wine", name_en="Wine")
    honey = CategoryFactory.create(slug="honey", name_en="Honey")
    bees = MemberFactory.create(slug="bees", trading_name="Bees Ltd")
    vines = MemberFactory.create(slug="vines", trading_name="Vines Ltd")
    toi_iho = CredentialFactory.create(
        member=bees, kind=Credential.Kind.TOI_IHO, verification="verified"
    )
    lapsed = CredentialFactory.create(
        member=bees,
        kind=Credential.Kind.ORGANIC,
        verification="verified",
        expires_on=datetime.date(2020, 1, 1),
    )
    cheap = public_product(
        title_en="Kai honey small",
        category=honey,
        member=bees,
        origin_region=region("NZ-NTL"),
    )
    cheap.credentials.add(toi_iho, lapsed)
    dear = public_product(
        title_en="Kai honey big",
        category=honey,
        member=bees,
        origin_region=region("NZ-NTL"),
    )
    Variant.objects.filter(product=dear).update(price_cents=12000, stock=0)
    product_facts_changed([dear.pk])  # as the variant services do
    public_product(
        title_en="Kai wine",
        category=wine,
        member=vines,
        origin_region=region("NZ-MBH"),
    )
    public_product(title_en="Something else", category=wine, member=vines)

    # when
    everything = search("kai")
    honey_only = search("kai", filters=ProductFilters(category="honey"))

    # then
    assert everything.total == 3
    facets = everything.facets
    assert [(f.value, f.label, f.count) for f in facets.category] == [
        ("honey", "Honey", 2),
        ("wine", "Wine", 1),
    ]
    assert [(f.value, f.count) for f in facets.member] == [("bees", 2), ("vines", 1)]
    assert [(f.value, f.label, f.count) for f in facets.region] == [
        ("NZ-NTL", "Northland", 2),
        ("NZ-MBH", "Marlborough", 1),
    ]
    assert [(f.value, f.count) for f in facets.price_band] == [
        ("under-25", 2),
        ("100-250", 1),
    ]
    assert facets.in_stock == 2
    assert [(f.value, f.count) for f in facets.credential] == [("toi_iho", 1)]
    assert honey_only.total == 2
    assert [(f.value, f.count, f.selected) for f in honey_only.facets.category] == [
        ("honey", 2, True)
    ]
    assert [(f.value, f.count) for f in honey_only.facets.member] == [("bees", 2)]


def test_filters_narrow_the_results() -> None:
    # given
    bees = MemberFactory.create(slug="bees")
    toi_iho = CredentialFactory.create(
        member=bees, kind=Credential.Kind.TOI_IHO, verification="verified"
    )
    carved = public_product(
        title_en="Carved kai bowl", member=bees, origin_region=region("NZ-NTL")
    )
    carved.credentials.add(toi_iho)
    dear = public_product(title_en="Kai bowl large", origin_region=region("NZ-NTL"))
    Variant.objects.filter(product=dear).update(price_cents=30000)
    made_to_order = public_product(title_en="Kai bowl custom")
    Variant.objects.filter(product=made_to_order).update(
        stock=0, stock_policy=Variant.StockPolicy.MADE_TO_ORDER
    )
    sold_out = public_product(title_en="Kai bowl sold out")
    Variant.objects.filter(product=sold_out).update(stock=0)
    product_facts_changed([dear.pk, made_to_order.pk, sold_out.pk])

    # then
    def found(**filters: object) -> set[int]:
        return set(search("kai", filters=ProductFilters(**filters)).product_ids)  # type: ignore[arg-type]

    assert found(member="bees") == {carved.pk}
    assert found(region="NZ-NTL") == {carved.pk, dear.pk}
    assert found(price_band="250-up") == {dear.pk}
    assert found(credential="toi_iho") == {carved.pk}
    assert found(in_stock=True) == {carved.pk, dear.pk, made_to_order.pk}
    assert found(price_band="nonsense") == found()


def test_a_lapsed_credential_stops_filtering() -> None:
    # given
    credential = CredentialFactory.create(
        kind=Credential.Kind.TOI_IHO,
        verification="verified",
        expires_on=datetime.date(2020, 1, 1),
    )
    product = public_product(title_en="Kete", member=credential.member)
    product.credentials.add(credential)

    # when
    results = search("", filters=ProductFilters(credential="toi_iho"))

    # then
    assert results.total == 0


def test_sorting_by_price_and_newest() -> None:
    # given
    cheap = public_product(title_en="Kai cheap")
    dear = public_product(title_en="Kai dear")
    Variant.objects.filter(product=dear).update(price_cents=9000)
    product_facts_changed([dear.pk])
    no_price = ProductFactory.create(title_en="Kai no price")
    MembershipFactory.create(
        member=no_price.member, cluster=cheap.listings.get().cluster
    )
    ListingFactory.create(product=no_price, cluster=cheap.listings.get().cluster)
    product_changed(no_price.pk)

    # then
    assert search("kai", sort="price_asc").product_ids == [
        cheap.pk,
        dear.pk,
        no_price.pk,
    ]
    assert search("kai", sort="price_desc").product_ids == [
        dear.pk,
        cheap.pk,
        no_price.pk,
    ]
    assert search("kai", sort="newest").product_ids == [
        no_price.pk,
        dear.pk,
        cheap.pk,
    ]
    assert search("kai", sort="nonsense").sort == "relevance"


def test_pages_and_bad_paging_values() -> None:
    # given
    cluster = ClusterFactory.create()
    for n in range(5):
        public_product(cluster, title_en=f"Kai {n}")

    # when
    second = search("kai", page=2, per_page=2)
    far = search("kai", page=99, per_page=2)
    silly = search("kai", page=-3, per_page=0)

    # then
    assert second.total == 5
    assert len(second.hits) == 2
    assert second.num_pages == 3
    assert second.has_next
    assert second.has_previous
    assert far.page == 3
    assert len(far.hits) == 1
    assert silly.page == 1
    assert silly.per_page == 1


def test_a_query_of_only_punctuation_finds_everything() -> None:
    # given
    public_product(title_en="Kai")

    # when
    results = search('"*(){}:^-')

    # then
    assert results.total == 1


def test_hits_carry_price_stock_and_member() -> None:
    # given
    product = public_product(
        title_en="Kai", member=MemberFactory.create(slug="m", trading_name="M Ltd")
    )
    VariantFactory.create(product=product, price_cents=1500, stock=0)
    product_facts_changed([product.pk])  # as variant_create does

    # when
    hit = search("kai").hits[0]

    # then
    assert (hit.price_cents, hit.in_stock) == (1500, True)
    assert (hit.member_slug, hit.member_name, hit.slug) == ("m", "M Ltd", product.slug)


def test_double_vowels_and_macrons_find_each_other() -> None:
    # given
    macron = public_product(title_en="Māori design cards")
    doubled = public_product(title_en="Kuumara seedlings")
    english = public_product(title_en="Green coffee beans")

    # then
    assert search("maaori").product_ids == [macron.pk]
    assert search("kūmara").product_ids == [doubled.pk]
    assert search("coffee").product_ids == [english.pk]
    assert search("green").product_ids == [english.pk]
    assert str(search("kumara").hits[0].title_html) == "<mark>Kuumara</mark> seedlings"
    assert str(search("coffee").hits[0].title_html) == "Green <mark>coffee</mark> beans"


def test_filters_round_trip_through_url_parameters() -> None:
    # given
    params = {
        "category": "wine",
        "member": "",
        "region": "NZ-MBH",
        "price": "25-50",
        "in_stock": "1",
        "credential": "x" * 200,
        "other": "ignored",
    }

    # when
    filters = ProductFilters.from_params(params)

    # then
    assert filters == ProductFilters(
        category="wine", region="NZ-MBH", price_band="25-50", in_stock=True
    )
    assert filters.to_params() == {
        "category": "wine",
        "region": "NZ-MBH",
        "price": "25-50",
        "in_stock": "1",
    }
    assert ProductFilters.from_params({"price": "cheap"}).price_band is None


WINE_ATTRIBUTES = [
    {"key": "vintage", "label": "Vintage", "type": "int", "facet": True},
    {"key": "varietal", "label": "Varietal", "type": "text", "facet": True},
    {"key": "region_of_origin", "label": "Region of origin", "facet": True},
    {"key": "closure", "label": "Closure", "type": "text"},
]


def test_key_attributes_are_facets_with_counts_and_filter() -> None:
    # given
    wine = CategoryFactory.create(
        slug="wine", name_en="Wine", attributes=WINE_ATTRIBUTES
    )
    honey = CategoryFactory.create(
        slug="honey",
        name_en="Honey",
        attributes=[{"key": "umf", "label": "UMF grade", "facet": True}],
    )
    public_product(
        title_en="Kai pinot 2021",
        category=wine,
        attributes={"vintage": 2021, "varietal": "Pinot Noir", "closure": "cork"},
    )
    public_product(
        title_en="Kai pinot 2022",
        category=wine,
        attributes={"vintage": 2022, "varietal": "Pinot Noir"},
    )
    public_product(
        title_en="Kai riesling 2021",
        category=wine,
        attributes={"vintage": 2021, "varietal": "Riesling"},
    )
    public_product(title_en="Kai honey", category=honey, attributes={"umf": "UMF 10+"})

    # when
    everything = search("kai")
    vintage_2021 = search(
        "kai", filters=ProductFilters(attributes=(("vintage", "2021"),))
    )
    pinot_2021 = search(
        "kai",
        filters=ProductFilters(
            attributes=(("varietal", "Pinot Noir"), ("vintage", "2021"))
        ),
    )
    umf = search("kai", filters=ProductFilters(attributes=(("umf", "UMF 10+"),)))

    # then: the most common category's facets first; only faceted attributes, and
    # not the region, which has a facet of its own
    facets = {f.key: f for f in everything.facets.attributes}
    assert list(facets) == ["vintage", "varietal", "umf"]
    assert facets["vintage"].label == "Vintage"
    assert facets["vintage"].param == "attr_vintage"
    assert [(v.value, v.count) for v in facets["vintage"].values] == [
        ("2021", 2),
        ("2022", 1),
    ]
    assert [(v.value, v.count) for v in facets["varietal"].values] == [
        ("Pinot Noir", 2),
        ("Riesling", 1),
    ]
    assert [(v.value, v.count) for v in facets["umf"].values] == [("UMF 10+", 1)]
    assert sorted(titles(vintage_2021)) == ["Kai pinot 2021", "Kai riesling 2021"]
    selected = {f.key: f for f in vintage_2021.facets.attributes}["vintage"]
    assert [(v.value, v.selected) for v in selected.values] == [("2021", True)]
    assert titles(pinot_2021) == ["Kai pinot 2021"]
    assert titles(umf) == ["Kai honey"]
    nothing = ProductFilters(attributes=(("vintage", "1999"),))
    assert search("kai", filters=nothing).total == 0


def test_attribute_filters_come_from_attr_parameters() -> None:
    # given
    params = {
        "attr_vintage": "2021",
        "attr_varietal": " Pinot Noir ",
        "attr_": "x",
        "attr_Bad-Key": "x",
        "attr_blank": "",
        "attr_long": "x" * 200,
        "attr_region_of_origin": "Marlborough",
        "vintage": "ignored",
    }

    # when
    filters = ProductFilters.from_params(params)

    # then
    assert filters.attributes == (("varietal", "Pinot Noir"), ("vintage", "2021"))
    assert filters.to_params() == {
        "attr_varietal": "Pinot Noir",
        "attr_vintage": "2021",
    }
    many = {f"attr_k{n}": "v" for n in range(10)}
    assert len(ProductFilters.from_params(many).attributes) == 4

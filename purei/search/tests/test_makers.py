"""A product is found by its maker's names, story keywords and place, and by the
names of its maker's clusters, ranked below a match in its own text; and by the
new text at once when a member, a membership or a cluster's names change (through
their services: no reindex)."""

import pytest

from purei.catalogue.indexing import reindex_all
from purei.catalogue.search import ProductFilters, SearchResults, search_products
from purei.clusters.brand import BrandChanges, cluster_brand_update
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory, region
from purei.core.actor import Actor
from purei.members.memberships import membership_suspend
from purei.members.models import Member, Membership
from purei.members.services import MemberDetails, member_update
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.search.makers import story_keywords
from purei.search.models import SearchMaker
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def search(query: str) -> SearchResults:
    return search_products(query=query, filters=ProductFilters())


def test_story_keywords_are_distinct_folded_words_without_stop_words() -> None:
    # when
    words = story_keywords("Hine weaves **kete** and whāriki; the kete last. 30 years")

    # then
    assert words == "hine weaves kete whariki last"


def test_a_product_is_found_by_its_makers_story_and_ranks_below_a_title_match(
    cluster_x: Cluster,
) -> None:
    # given: a weaver whose products' own text never says "raranga"
    weaver = MemberFactory.create(
        trading_name="Harakeke House",
        story="Hine learned **raranga** (weaving) from her grandmother.",
    )
    woven = public_product(cluster_x, member=weaver, title_en="Whāriki, small")
    titled = public_product(cluster_x, title_en="Raranga kit for beginners")
    public_product(cluster_x, title_en="Pinot noir")

    # when
    results = search("raranga")

    # then: the title match first, then the maker's product
    assert results.product_ids == [titled.pk, woven.pk]
    assert search("harakeke house").product_ids == [woven.pk]
    assert search("grandmother weaving").product_ids == [woven.pk]


def test_a_product_is_found_by_its_makers_town_and_region(cluster_x: Cluster) -> None:
    # given: a maker in Maketū, Bay of Plenty; the product's own region elsewhere
    maker = MemberFactory.create(town="Maketū", region=region("NZ-BOP"))
    product = public_product(cluster_x, member=maker, title_en="Tāniko band")
    public_product(cluster_x, title_en="Tāniko cushion")

    # then
    assert search("maketu").product_ids == [product.pk]
    assert search("bay of plenty").product_ids == [product.pk]


def test_a_product_is_found_by_its_makers_clusters_names() -> None:
    # given
    toi = ClusterFactory.create(
        name_en="Te Tauranga Toi (Māori Artists of Tauranga Moana)", name_mi=""
    )
    wine = ClusterFactory.create(name_en="Marlborough Wine")
    art = public_product(toi, title_en="Screen print")
    public_product(wine, title_en="Screen print")

    # then
    assert search("maori artists").product_ids == [art.pk]
    assert search("maaori artists").product_ids == [art.pk]


def test_a_members_new_story_finds_its_products_at_once(
    member_a: Member, member_a_owner: Actor, cluster_x: Cluster
) -> None:
    # given
    product = public_product(cluster_x, member=member_a, title_en="Panel")
    assert search("whakairo").product_ids == []

    # when: the member says more in its story, through its service
    member_update(
        actor=member_a_owner,
        member=member_a,
        details=MemberDetails(
            story="We carve **whakairo** in tōtara.", trading_name="Toi Carving"
        ),
    )

    # then: found by the new words, and no longer by the old name
    assert search("whakairo").product_ids == [product.pk]
    assert search("toi carving").product_ids == [product.pk]
    assert search("member a wines").product_ids == []


def test_a_clusters_new_name_finds_its_members_products_at_once(
    member_a: Member, cluster_x: Cluster, cluster_x_admin: Actor
) -> None:
    # given
    product = public_product(cluster_x, member=member_a, title_en="Sauvignon blanc")
    assert search("kaituna").product_ids == []

    # when
    cluster_brand_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=BrandChanges(name_en="Kaituna Wine Growers"),
    )

    # then
    assert search("kaituna").product_ids == [product.pk]
    assert search("cluster x wine").product_ids == []


def test_a_suspended_membership_takes_the_clusters_name_away(
    member_a: Member, cluster_x: Cluster, cluster_x_admin: Actor
) -> None:
    # given: member A sells in cluster X and in cluster Y
    cluster_y = ClusterFactory.create(name_en="Cluster Y Oysters")
    MembershipFactory.create(member=member_a, cluster=cluster_y)
    product = public_product(cluster_y, member=member_a, title_en="Rosé")
    assert search("cluster x").product_ids == [product.pk]

    # when
    membership_suspend(
        actor=cluster_x_admin,
        membership=Membership.objects.get(member=member_a, cluster=cluster_x),
        reason="Unpaid fees.",
    )

    # then: still public in Y, no longer found by X's name
    assert search("cluster y oysters").product_ids == [product.pk]
    assert search("cluster x").product_ids == []


def test_reindexing_keeps_the_makers_text(cluster_x: Cluster) -> None:
    # given
    maker = MemberFactory.create(story="Cold smoked over mānuka.")
    product = public_product(cluster_x, member=maker, title_en="Trevally")
    assert search("manuka").product_ids == [product.pk]

    # when
    reindex_all()

    # then
    assert search("manuka").product_ids == [product.pk]
    assert SearchMaker.objects.filter(member=maker).exists()

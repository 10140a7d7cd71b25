import pytest
from django.http import Http404

from purei.clusters.models import Cluster, ClusterType
from purei.clusters.selectors import cluster_get_live, cluster_list_live
from purei.clusters.tests.factories import ClusterFactory
from purei.core.errors import ValidationFailed
from purei.core.text import fold

pytestmark = pytest.mark.django_db


def slugs(clusters) -> list[str]:
    return [cluster.slug for cluster in clusters]


@pytest.fixture
def kumara() -> Cluster:
    return ClusterFactory.create(
        slug="kaipara-kumara",
        name_en="Kaipara Kūmara",
        specialisation="Kūmara (sweet potato)",
        lead_org_name="Northern Wairoa Growers",
        regions=["NZ-NTL"],
    )


@pytest.fixture
def toi() -> Cluster:
    return ClusterFactory.create(
        slug="te-tauranga-toi",
        name_en="Māori Artists of Tauranga Moana",
        name_mi="Te Tauranga Toi",
        specialisation="Māori art: whakairo and raranga",
        tagline="Carving and weaving",
        lead_org_name="Toi Collective",
        regions=["NZ-BOP"],
    )


@pytest.fixture
def beer() -> Cluster:
    return ClusterFactory.create(
        slug="craft-beer",
        name_en="Aotearoa Craft Beer",
        type=ClusterType.VIRTUAL,
        specialisation="Craft beer",
        tagline="Independent breweries",
        lead_org_name="Brewers Association",
        regions=[],
    )


@pytest.fixture
def fair() -> Cluster:
    return ClusterFactory.create(
        slug="martinborough-fair",
        name_en="Martinborough Fair Stallholders",
        type=ClusterType.LOCAL,
        specialisation="",
        tagline="Country fair",
        lead_org_name="Stallholders' Association",
        regions=["NZ-WGN"],
    )


@pytest.fixture
def all_four(kumara, toi, beer, fair) -> None:
    return None


@pytest.mark.usefixtures("all_four")
def test_lists_every_live_cluster_by_english_name(anonymous):
    # when
    clusters = cluster_list_live(actor=anonymous)
    # then
    assert slugs(clusters) == [
        "craft-beer",
        "kaipara-kumara",
        "te-tauranga-toi",
        "martinborough-fair",
    ]


@pytest.mark.usefixtures("all_four")
@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        ("traditional", ["kaipara-kumara", "te-tauranga-toi"]),
        ("virtual", ["craft-beer"]),
        ("local", ["martinborough-fair"]),
    ],
)
def test_filters_by_type(anonymous, type_, expected):
    # when
    clusters = cluster_list_live(actor=anonymous, type=type_)
    # then
    assert slugs(clusters) == expected


@pytest.mark.usefixtures("all_four")
@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("NZ-NTL", ["kaipara-kumara"]),
        ("nz-bop", ["te-tauranga-toi"]),
        ("NZ-WGN", ["martinborough-fair"]),
        ("NZ-CAN", []),
    ],
)
def test_filters_by_region_iso_code(anonymous, region, expected):
    # when
    clusters = cluster_list_live(actor=anonymous, region=region)
    # then
    assert slugs(clusters) == expected


def test_a_cluster_in_several_regions_is_listed_once(anonymous):
    # given
    ClusterFactory.create(slug="steel", regions=["NZ-AUK", "NZ-CAN", "NZ-WKO"])
    # when
    everywhere = cluster_list_live(actor=anonymous)
    in_canterbury = cluster_list_live(actor=anonymous, region="NZ-CAN")
    # then
    assert slugs(everywhere) == ["steel"]
    assert slugs(in_canterbury) == ["steel"]


@pytest.mark.usefixtures("all_four")
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("kumara", ["kaipara-kumara"]),
        ("KUMARA", ["kaipara-kumara"]),
        ("Kūmara", ["kaipara-kumara"]),
        ("kumāra", ["kaipara-kumara"]),
        ("maori", ["te-tauranga-toi"]),
        ("Māori", ["te-tauranga-toi"]),
        ("tauranga toi", ["te-tauranga-toi"]),
        ("raranga", ["te-tauranga-toi"]),
        ("  sweet   POTATO ", ["kaipara-kumara"]),
        ("brewers", ["craft-beer"]),
        ("country fair", ["martinborough-fair"]),
        ("kumara beer", []),
        ("stallholders'", ["martinborough-fair"]),
        ("50%", []),
        ("_", []),
        ("", ["craft-beer", "kaipara-kumara", "te-tauranga-toi", "martinborough-fair"]),
    ],
)
def test_text_search_ignores_case_and_macrons(anonymous, q, expected):
    # when
    clusters = cluster_list_live(actor=anonymous, q=q)
    # then
    assert slugs(clusters) == expected


@pytest.mark.usefixtures("all_four")
def test_search_does_not_look_in_the_story(anonymous):
    # given
    ClusterFactory.create(slug="other", story="We love kūmara too.")
    # when
    clusters = cluster_list_live(actor=anonymous, q="kumara")
    # then
    assert slugs(clusters) == ["kaipara-kumara"]


@pytest.mark.usefixtures("all_four")
def test_filters_combine(anonymous):
    # when
    clusters = cluster_list_live(
        actor=anonymous, type="traditional", region="NZ-BOP", q="maori"
    )
    nothing = cluster_list_live(actor=anonymous, type="virtual", q="maori")
    # then
    assert slugs(clusters) == ["te-tauranga-toi"]
    assert slugs(nothing) == []


@pytest.mark.parametrize("status", [Cluster.Status.DRAFT, Cluster.Status.PAUSED])
def test_draft_and_paused_clusters_are_never_listed(anonymous, platform_staff, status):
    # given
    ClusterFactory.create(slug="hidden", name_en="Hidden Kūmara", status=status)
    ClusterFactory.create(slug="shown", name_en="Shown Kūmara")
    # when
    for actor in (anonymous, platform_staff):
        clusters = cluster_list_live(actor=actor, q="kumara")
        # then
        assert slugs(clusters) == ["shown"]


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"type": "co-operative"}, "type"),
        ({"type": "TRADITIONAL"}, "type"),
        ({"region": "NZ-XXX"}, "region"),
        ({"region": "Marlborough"}, "region"),
    ],
)
def test_unknown_type_or_region_is_refused_naming_the_field(anonymous, filters, field):
    # when
    with pytest.raises(ValidationFailed) as refused:
        cluster_list_live(actor=anonymous, **filters)
    # then
    assert refused.value.field == field
    assert refused.value.status == 422


def test_listing_costs_two_queries_whatever_the_size(
    anonymous, django_assert_num_queries
):
    # given
    for _ in range(20):
        ClusterFactory.create(regions=["NZ-MBH", "NZ-CAN"])
    # when
    with django_assert_num_queries(2):
        clusters = list(cluster_list_live(actor=anonymous))
        names = [r.name_en for c in clusters for r in c.regions.all()]
    # then
    assert len(clusters) == 20
    assert len(names) == 40


def test_get_live_returns_the_cluster_with_its_regions(anonymous, kumara):
    # when
    cluster = cluster_get_live(actor=anonymous, slug="kaipara-kumara")
    # then
    assert cluster == kumara
    assert [r.code for r in cluster.regions.all()] == ["NZ-NTL"]


@pytest.mark.parametrize("status", [Cluster.Status.DRAFT, Cluster.Status.PAUSED])
def test_get_live_is_404_for_a_cluster_that_is_not_live(
    anonymous, platform_staff, status
):
    # given
    ClusterFactory.create(slug="not-yet", status=status)
    # when / then
    for actor in (anonymous, platform_staff):
        with pytest.raises(Http404):
            cluster_get_live(actor=actor, slug="not-yet")


def test_get_live_is_404_for_a_missing_cluster(anonymous):
    with pytest.raises(Http404):
        cluster_get_live(actor=anonymous, slug="nowhere")


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Kūmara", "kumara"),
        ("MĀORI", "maori"),
        ("Tāmaki-Makaurau", "tamaki-makaurau"),
        ("Maaori", "maaori"),
        ("Ō Tākou\x00  Otago", "o takou otago"),
    ],
)
def test_fold_lowercases_and_drops_macrons_but_keeps_double_vowels(text, folded):
    assert fold(text) == folded

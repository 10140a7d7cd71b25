import pytest

from purei.clusters.errors import ClusterErrorCode
from purei.clusters.models import Cluster
from purei.clusters.services import cluster_create
from purei.clusters.tests.factories import ClusterFactory, region
from purei.core.errors import NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


def create(actor, **overrides):
    fields = {
        "name_en": "Aotearoa Craft Beer",
        "type": "virtual",
        "lead_org_kind": "industry_body",
        "lead_org_name": "Brewers Guild",
        "specialisation": "Craft beer",
    }
    fields.update(overrides)
    return cluster_create(actor=actor, **fields)


def test_creates_a_live_cluster_with_a_slug_and_search_text(platform_staff):
    # when
    cluster = create(platform_staff, regions=["NZ-WGN", region("NZ-CAN")])
    # then
    cluster.refresh_from_db()
    assert cluster.slug == "aotearoa-craft-beer"
    assert cluster.status == Cluster.Status.LIVE
    assert sorted(r.code for r in cluster.regions.all()) == ["NZ-CAN", "NZ-WGN"]
    assert "craft beer" in cluster.search_text


@pytest.mark.parametrize(
    ("cluster_type", "regions", "specialisation", "bad_fields"),
    [
        ("traditional", [], "Wine", {"regions"}),
        ("traditional", ["NZ-MBH"], "", {"specialisation"}),
        ("traditional", [], "", {"regions", "specialisation"}),
        ("local", [], "", {"regions"}),
        ("virtual", ["NZ-AUK"], "", {"specialisation"}),
    ],
)
def test_enforces_the_type_rules(
    platform_staff, cluster_type, regions, specialisation, bad_fields
):
    # when
    with pytest.raises(ValidationFailed) as caught:
        create(
            platform_staff,
            type=cluster_type,
            regions=regions,
            specialisation=specialisation,
        )
    # then
    assert caught.value.code == ClusterErrorCode.INVALID_CLUSTER
    assert set(caught.value.errors) == bad_fields
    assert Cluster.objects.exists() is False


def test_refuses_unknown_regions_and_types(platform_staff):
    # when
    with pytest.raises(ValidationFailed) as bad_region:
        create(platform_staff, regions=["NZ-QQQ"])
    with pytest.raises(ValidationFailed) as bad_type:
        create(platform_staff, type="galactic")
    # then
    assert bad_region.value.field == "regions"
    assert bad_type.value.field == "type"
    assert Cluster.objects.exists() is False


def test_refuses_anyone_but_platform_staff(customer):
    # when
    with pytest.raises(NotPermitted):
        create(customer)
    # then
    assert Cluster.objects.exists() is False


def test_de_duplicates_the_slug(platform_staff):
    # given
    ClusterFactory.create(slug="aotearoa-craft-beer")
    # when
    cluster = create(platform_staff)
    # then
    assert cluster.slug == "aotearoa-craft-beer-2"


def test_a_long_name_still_fits_the_slug(platform_staff):
    # given
    name = ("Very long cluster name " * 5).strip()
    first = create(platform_staff, name_en=name)
    # when
    second = create(platform_staff, name_en=name)
    # then
    assert len(first.slug) <= 64
    assert len(second.slug) <= 64
    assert second.slug.endswith("-2")
    assert second.slug != first.slug

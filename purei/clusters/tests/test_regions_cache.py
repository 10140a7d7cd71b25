"""New Zealand's regions, kept in the cache for the delivery estimate and the cart
(``regions_in_order``): read once, read again as soon as one is saved or deleted,
and read every time with the caches off."""

from typing import Any

import pytest
from django.core.cache import cache

from purei.clusters.models import Region
from purei.clusters.selectors import REGIONS_CACHE_KEY, regions_in_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings: Any):
    settings.SEARCH_CACHE_SECONDS = 300
    cache.delete(REGIONS_CACHE_KEY)
    yield
    cache.delete(REGIONS_CACHE_KEY)


def test_the_regions_are_read_once_north_to_south(
    caching: None, django_assert_num_queries: Any
) -> None:
    # when
    with django_assert_num_queries(1):
        first = regions_in_order()
    with django_assert_num_queries(0):
        again = regions_in_order()
    # then
    assert [r.code for r in again] == [r.code for r in first]
    assert first == list(Region.objects.order_by("position", "name_en"))
    assert len(first) >= 16


def test_a_region_saved_is_seen_at_once(
    caching: None, django_assert_num_queries: Any
) -> None:
    # given
    region = regions_in_order()[0]
    # when: renamed in the admin
    region.name_en = "Te Tai Tokerau (renamed)"
    region.save()
    # then
    with django_assert_num_queries(1):
        names = [r.name_en for r in regions_in_order()]
    assert names[0] == "Te Tai Tokerau (renamed)"


def test_a_region_deleted_is_gone_at_once(caching: None) -> None:
    # given
    last = regions_in_order()[-1]
    # when
    Region.objects.get(pk=last.pk).delete()
    # then
    assert last.code not in {r.code for r in regions_in_order()}


def test_with_the_caches_off_they_are_read_every_time(
    settings: Any, django_assert_num_queries: Any
) -> None:
    settings.SEARCH_CACHE_SECONDS = 0
    for _ in range(2):
        with django_assert_num_queries(1):
            regions_in_order()

"""The credential facet counts the same whichever way the credentials of the
products found are read (``purei.catalogue.search.verified_marks``): by id for
up to ``MARKS_BY_ID`` products, else every product's links, kept per catalogue
version."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from purei.catalogue import search as catalogue_search
from purei.catalogue.search import search_products, verified_marks
from purei.clusters.tests.factories import ClusterFactory
from purei.members.models import Credential
from purei.members.tests.factories import CredentialFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def _credited(cluster: Any, title: str, **credential: Any) -> int:
    product = public_product(cluster, title_en=title)
    held = CredentialFactory.create(member=product.member, **credential)
    product.credentials.add(held)
    return product.pk


@pytest.fixture
def shop() -> dict[str, Any]:
    cluster = ClusterFactory.create(slug="kaipara")
    lapsed = datetime.date(2020, 1, 1)
    products = {
        "carved": _credited(
            cluster,
            "Carved kete",
            kind=Credential.Kind.TOI_IHO,
            verification="verified",
        ),
        "lapsed": _credited(
            cluster,
            "Old kete",
            kind=Credential.Kind.TOI_IHO,
            verification="verified",
            expires_on=lapsed,
        ),
        "pending": _credited(
            cluster, "New kete", kind=Credential.Kind.TOI_IHO, verification="pending"
        ),
        "plain": public_product(cluster, title_en="Plain kete").pk,
        # another cluster's, verified: never in this shop's counts
        "elsewhere": _credited(
            ClusterFactory.create(),
            "Kete elsewhere",
            kind=Credential.Kind.TOI_IHO,
            verification="verified",
        ),
    }
    return {"cluster": cluster, "products": products}


def _facet(cluster: Any) -> list[tuple[str, int]]:
    cache.clear()
    found = search_products(query="", cluster=cluster).facets.credential
    return [(value.value, value.count) for value in found]


def test_by_id_and_from_every_link_count_the_same(
    shop: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # when: read by id (four products found), then from every link
    by_id = _facet(shop["cluster"])
    monkeypatch.setattr(catalogue_search, "MARKS_BY_ID", 1)
    catalogue_search._marks_memo.clear()
    every_link = _facet(shop["cluster"])
    # then: only the shop's verified, current credential counts
    assert by_id == every_link == [(Credential.Kind.TOI_IHO, 1)]


def test_by_id_reads_only_the_products_asked_for(shop: dict[str, Any]) -> None:
    ids = shop["products"]
    today = timezone.localdate()
    # when
    marks = verified_marks(today, [ids["carved"], ids["lapsed"], ids["plain"]])
    # then
    assert marks == {ids["carved"]: frozenset({Credential.Kind.TOI_IHO})}
    assert verified_marks(today, []) == {}

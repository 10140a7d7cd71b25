"""Perishables in the catalogue: a variant's cold chain and its harvest and
best-before dates, set by the member's team and shown to shoppers."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from purei.catalogue.models import Product, Variant
from purei.catalogue.services import VariantInput, variant_create, variant_update
from purei.catalogue.spreadsheets.exporter import products_export
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def test_the_team_marks_a_variant_chilled_with_its_dates(
    member_a_staff: Actor, product: Product
) -> None:
    # when
    variant = variant_create(
        actor=member_a_staff,
        product=product,
        details=VariantInput(
            sku="OYS-12",
            price="36.00",
            cold_chain="chilled",
            harvested_on="2026-03-03",
            best_before=datetime.date(2026, 3, 10),
        ),
    )
    # then
    assert variant.cold_chain == Variant.ColdChain.CHILLED
    assert variant.harvested_on == datetime.date(2026, 3, 3)
    assert variant.best_before == datetime.date(2026, 3, 10)
    assert variant.needs_cold


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (VariantInput(cold_chain="warm"), "cold_chain"),
        (VariantInput(harvested_on="3/3/2026"), "harvested_on"),
        (VariantInput(best_before="1900-01-01"), "best_before"),
        (
            VariantInput(harvested_on="2026-03-10", best_before="2026-03-03"),
            "best_before",
        ),
    ],
)
def test_bad_cold_chain_or_dates_are_refused_and_nothing_changes(
    details: VariantInput, field: str, member_a_owner: Actor, variant: Variant
) -> None:
    # when
    with pytest.raises(ValidationFailed) as caught:
        variant_update(actor=member_a_owner, variant=variant, details=details)
    # then
    assert field in caught.value.errors
    variant.refresh_from_db()
    assert variant.cold_chain == "none"
    assert variant.harvested_on is None
    assert not AuditEntry.objects.filter(verb="variant.updated").exists()


@pytest.mark.parametrize(
    "who", ["cluster_x_admin", "cluster_y_admin", "customer", "platform_staff"]
)
def test_no_one_outside_the_team_marks_a_variant(
    who: str, variant: Variant, request: pytest.FixtureRequest
) -> None:
    # given
    actor: Actor = request.getfixturevalue(who)
    # when
    with pytest.raises(NotPermitted):
        variant_update(
            actor=actor, variant=variant, details=VariantInput(cold_chain="frozen")
        )
    # then
    variant.refresh_from_db()
    assert variant.cold_chain == "none"


def test_the_member_api_sets_and_shows_the_cold_chain(
    client: Client, member_a_owner_user, product: Product
) -> None:
    # given
    client.force_login(member_a_owner_user)
    # when
    response = client.post(
        f"/api/v1/members/member-a/products/{product.slug}/variants",
        {
            "sku": "AVO-6",
            "price": "9.00",
            "cold_chain": "perishable",
            "harvested_on": "2026-03-02",
        },
        content_type="application/json",
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["cold_chain"] == "perishable"
    assert body["harvested_on"] == "2026-03-02"
    assert body["best_before"] is None


def test_the_spreadsheet_exports_the_cold_chain_columns(
    member_a_owner: Actor, member_a, variant: Variant
) -> None:
    # given
    variant.cold_chain = "frozen"
    variant.best_before = datetime.date(2026, 6, 1)
    variant.save()
    # when
    text = products_export(actor=member_a_owner, member=member_a, fmt="purei")
    # then
    header, row = text.splitlines()[:2]
    assert '"weight_grams","cold_chain","harvested_on","best_before",' in header
    # (the trade columns follow them)
    assert "tracked,5,,,frozen,,2026-06-01," in row.replace('"', "")


def test_the_product_page_and_public_api_show_the_marks_and_dates(
    client: Client,
) -> None:
    # given
    cluster = ClusterFactory.create(slug="te-hiku")
    product = public_product(cluster, title_en="Rock oysters")
    Variant.objects.filter(product=product).update(
        cold_chain="chilled",
        harvested_on=datetime.date(2026, 3, 3),
        best_before=datetime.date(2026, 3, 10),
    )
    # when
    page = client.get(f"/c/te-hiku/p/{product.member.slug}/{product.slug}/")
    api = client.get(
        f"/api/v1/clusters/te-hiku/products/{product.member.slug}/{product.slug}"
    )
    # then
    html = page.content.decode()
    for text in ("Freshness", "Chilled", "Harvested 3 March 2026", "Best before 10"):
        assert text in html, text
    variant = api.json()["variants"][0]
    assert variant["cold_chain"] == "chilled"
    assert variant["harvested_on"] == "2026-03-03"


def test_a_product_without_marks_shows_no_freshness_column(client: Client) -> None:
    # given
    cluster = ClusterFactory.create(slug="plain")
    product = public_product(cluster, title_en="Bowl")
    # when
    html = client.get(f"/c/plain/p/{product.member.slug}/{product.slug}/").content
    # then
    assert b"Freshness" not in html

"""Every writer keeps the shelf right by telling the search app explicitly: no
signals reach it (ADR 0006). Each test goes through the service, admin screen or
seed a person would use, and looks at what the shop then shows."""

from __future__ import annotations

import ast
import weakref
from pathlib import Path
from typing import Any

import pytest
from django.db.models import signals
from django.test import Client

from purei.accounts.models import User
from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Listing, Product
from purei.catalogue.search import ProductFilters, search_products
from purei.catalogue.services import listing_approve, product_update
from purei.catalogue.services.products import ProductInput
from purei.clusters.models import Cluster
from purei.clusters.services import cluster_create
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.members.memberships import (
    membership_leave,
    membership_reinstate,
    membership_suspend,
)
from purei.members.models import Membership
from purei.members.tests.factories import MemberRoleFactory
from purei.search.models import PublicProduct, ShelfCluster, ShelfMembership
from purei.search.tests.factories import ListingFactory, ProductFactory, public_product

pytestmark = pytest.mark.django_db

SEARCH_APP = Path(__file__).resolve().parents[1]


def shop(cluster: Cluster | None = None, query: str = "") -> list[int]:
    return search_products(
        query=query, cluster=cluster, filters=ProductFilters()
    ).product_ids


def owner_of(product: Product) -> Actor:
    return Actor(user=MemberRoleFactory.create(member=product.member).user)


def test_a_suspended_member_leaves_the_shop_and_returns_when_reinstated(
    platform_staff: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    # given: two of the member's products in the shop, and another member's
    cluster = ClusterFactory.create()
    kete = public_product(cluster, title_en="Harakeke kete")
    bag = public_product(cluster, title_en="Harakeke bag", member=kete.member)
    other = public_product(cluster, title_en="Harakeke mat")
    assert sorted(shop(cluster)) == sorted([kete.pk, bag.pk, other.pk])
    membership = Membership.objects.get(member=kete.member, cluster=cluster)

    # when: suspended by the cluster's admin
    with django_capture_on_commit_callbacks(execute=True):
        membership_suspend(
            actor=platform_staff, membership=membership, reason="Fees unpaid."
        )

    # then: its products leave the shop and every search, the others stay
    assert shop(cluster) == [other.pk]
    assert shop(None, "harakeke") == [other.pk]
    assert not PublicProduct.objects.filter(product__in=[kete, bag]).exists()

    # when: reinstated
    with django_capture_on_commit_callbacks(execute=True):
        membership_reinstate(actor=platform_staff, membership=membership)

    # then: they are back, with their facts
    assert sorted(shop(cluster)) == sorted([kete.pk, bag.pk, other.pk])
    assert PublicProduct.objects.get(product=kete).title == "Harakeke kete"


def test_a_member_who_leaves_takes_its_products_out_of_that_cluster_only(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given: one product listed in two clusters
    first, second = ClusterFactory.create(), ClusterFactory.create()
    product = public_product(first, title_en="Tītī")
    public_product(second, member=product.member)  # a membership there too
    ListingFactory.create(product=product, cluster=second)
    assert shop(first) == [product.pk]
    assert product.pk in shop(second)
    membership = Membership.objects.get(member=product.member, cluster=first)

    # when: the member leaves the first cluster
    with django_capture_on_commit_callbacks(execute=True):
        membership_leave(actor=owner_of(product), membership=membership)

    # then
    assert shop(first) == []
    assert product.pk in shop(second)


def test_a_cluster_paused_in_the_admin_leaves_every_search(client: Client) -> None:
    # given: a product in a live cluster
    cluster = ClusterFactory.create(slug="kaipara", name_en="Kaipara")
    product = public_product(cluster, title_en="Kūmara")
    assert shop(None, "kumara") == [product.pk]
    client.force_login(User.objects.create_superuser("root@purei.test", "x"))

    # when: platform staff pause it in the admin
    response = client.post(
        f"/admin/clusters/cluster/{cluster.pk}/change/",
        {
            "name_en": cluster.name_en,
            "name_mi": "",
            "slug": cluster.slug,
            "status": Cluster.Status.PAUSED,
            "type": cluster.type,
            "regions": [region.pk for region in cluster.regions.all()],
            "specialisation": cluster.specialisation,
            "lead_org_kind": cluster.lead_org_kind,
            "lead_org_name": cluster.lead_org_name,
            "tagline": cluster.tagline,
            "story": cluster.story,
        },
    )

    # then: gone from the search across clusters too (not only its own shop)
    assert response.status_code == 302, response.content
    assert ShelfCluster.objects.get(cluster=cluster).live is False
    assert shop(None, "kumara") == []
    assert not PublicProduct.objects.filter(product=product).exists()


def test_a_cluster_created_live_by_its_service_is_known_live(
    platform_staff: Actor,
) -> None:
    # when
    cluster = cluster_create(
        actor=platform_staff,
        name_en="Honey Aotearoa",
        type="virtual",
        lead_org_kind="industry_body",
        lead_org_name="Apiculture NZ",
        specialisation="Honey",
    )

    # then
    assert ShelfCluster.objects.get(cluster=cluster).live is True


def test_an_approved_listing_appears_in_the_shop(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given: a live product whose listing waits for the curators
    cluster = ClusterFactory.create()
    product = public_product(cluster, title_en="Pounamu pendant")
    waiting = ProductFactory.create(member=product.member, title_en="Pounamu toki")
    with django_capture_on_commit_callbacks(execute=True):
        listing = ListingFactory.create(
            product=waiting, cluster=cluster, status=Listing.Status.PENDING
        )
    assert shop(cluster, "pounamu") == [product.pk]
    curator = UserFactory.create()
    curator.cluster_roles.create(cluster=cluster, role="admin")

    # when
    with django_capture_on_commit_callbacks(execute=True):
        listing_approve(actor=Actor(user=curator), listing=listing)

    # then
    assert sorted(shop(cluster, "pounamu")) == sorted([product.pk, waiting.pk])


def test_an_edited_product_is_found_by_its_new_title(
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    product = public_product(title_en="Kawakawa balm")
    assert shop(None, "kawakawa") == [product.pk]

    # when: its team renames it
    with django_capture_on_commit_callbacks(execute=True):
        product_update(
            actor=owner_of(product),
            product=product,
            details=ProductInput(title_en="Horopito rub"),
        )

    # then
    assert shop(None, "horopito") == [product.pk]
    assert shop(None, "kawakawa") == []
    assert PublicProduct.objects.get(product=product).title == "Horopito rub"


def test_a_membership_approved_in_the_seed_opens_the_shelf() -> None:
    # the demo seed writes memberships itself: it tells the search app too
    from purei.clusters.seed import seed_load
    from purei.members.seed import member_seed_load

    seed_load()
    member_seed_load()

    approved = Membership.objects.filter(status=Membership.Status.APPROVED)
    assert approved.exists()
    assert set(
        ShelfMembership.objects.filter(open=True).values_list("member", "cluster")
    ) == set(approved.values_list("member", "cluster"))
    assert ShelfCluster.objects.filter(live=True).count() == (
        Cluster.objects.filter(status=Cluster.Status.LIVE).count()
    )


def test_the_search_app_has_no_signal_receivers() -> None:
    # at run time: no receiver of a model signal lives in purei.search
    found = []
    for signal in (
        signals.pre_save,
        signals.post_save,
        signals.pre_delete,
        signals.post_delete,
        signals.m2m_changed,
    ):
        for entry in signal.receivers:
            ref = entry[1]
            receiver = ref() if isinstance(ref, weakref.ReferenceType) else ref
            module = getattr(receiver, "__module__", "") or ""
            if module.startswith("purei.search"):
                found.append(f"{module}.{getattr(receiver, '__name__', receiver)}")
    assert found == []
    # and in the source: nothing in purei/search (tests aside) names a signal
    for path in SEARCH_APP.rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert "signals" not in (node.module or ""), path
            if isinstance(node, ast.Attribute):
                assert node.attr not in {"connect", "receiver"}, path
            if isinstance(node, ast.Name):
                assert node.id != "receiver", path

"""Making and changing promotions: who may, what is checked, what is audited."""

from __future__ import annotations

import datetime as dt

import pytest

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.models import Member
from purei.promotions.models import Promotion
from purei.promotions.services import (
    PromotionInput,
    promotion_create,
    promotion_pause,
    promotion_resume,
    promotion_update,
)
from purei.promotions.tests.factories import PromotionFactory
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db


def test_an_admin_adds_a_code_paid_by_the_cluster(
    cluster_x: Cluster, cluster_x_admin: Actor, member_a: Member
) -> None:
    # when
    made = promotion_create(
        actor=cluster_x_admin,
        cluster=cluster_x,
        details=PromotionInput(
            name="Summer 12.5",
            kind="percent",
            percent="12.5",
            code=" summer ",
            members=[member_a.pk],
            starts_on="2030-01-01",
            ends_on="2030-01-31",
            min_spend="40",
            max_uses="100",
            max_uses_per_customer="1",
            stackable=True,
        ),
    )
    # then
    assert (made.code, made.percent_bp, made.paid_by, made.member) == (
        "SUMMER",
        1250,
        "cluster",
        None,
    )
    assert made.min_spend_cents == 4000
    # the first day from midnight, the last day to its end, New Zealand time
    assert made.starts_at == dt.datetime(2029, 12, 31, 11, 0, tzinfo=dt.UTC)
    assert made.ends_at == dt.datetime(2030, 1, 31, 11, 0, tzinfo=dt.UTC)
    assert list(made.members.all()) == [member_a]
    assert AuditEntry.objects.filter(verb="promotion.created").count() == 1


def test_refusals_name_each_field_and_change_nothing(
    cluster_x: Cluster, cluster_x_admin: Actor
) -> None:
    PromotionFactory.create(cluster=cluster_x, code="TAKEN")
    with pytest.raises(ValidationFailed) as refused:
        promotion_create(
            actor=cluster_x_admin,
            cluster=cluster_x,
            details=PromotionInput(
                name="",
                kind="percent",
                percent="101",
                code="taken",
                starts_on="2030-02-01",
                ends_on="2030-01-01",
                max_uses="0",
            ),
        )
    assert set(refused.value.errors) == {
        "name",
        "percent",
        "code",
        "ends_on",
        "max_uses",
    }
    assert Promotion.objects.count() == 1
    assert not AuditEntry.objects.filter(verb="promotion.created").exists()


def test_only_the_clusters_admins_add_its_promotions(
    cluster_x: Cluster, cluster_y_admin: Actor, customer: Actor
) -> None:
    for actor in (cluster_y_admin, customer, Actor.anonymous()):
        with pytest.raises(NotPermitted):
            promotion_create(
                actor=actor,
                cluster=cluster_x,
                details=PromotionInput(name="X", kind="free_delivery"),
            )
    assert not Promotion.objects.exists()


def test_a_member_promotes_only_its_own_goods(
    cluster_x: Cluster, member_a: Member, member_a_owner: Actor
) -> None:
    mine = public_product(cluster_x, member=member_a)
    theirs = public_product(cluster_x)
    with pytest.raises(ValidationFailed) as refused:
        promotion_create(
            actor=member_a_owner,
            cluster=cluster_x,
            member=member_a,
            details=PromotionInput(
                name="Ours", kind="fixed", amount="5", products=[theirs.pk]
            ),
        )
    assert refused.value.errors == {"products": ["Choose your own products."]}
    made = promotion_create(
        actor=member_a_owner,
        cluster=cluster_x,
        member=member_a,
        details=PromotionInput(
            name="Ours", kind="fixed", amount="5", products=[mine.pk]
        ),
    )
    assert (made.paid_by, made.member, made.amount_cents) == ("member", member_a, 500)
    assert list(made.members.all()) == [member_a]


def test_admins_pause_a_members_promotion_but_do_not_rewrite_it(
    cluster_x: Cluster, cluster_x_admin: Actor, member_a: Member
) -> None:
    theirs = PromotionFactory.create(
        cluster=cluster_x, member=member_a, paid_by="member", name="Theirs"
    )
    with pytest.raises(NotPermitted):
        promotion_update(
            actor=cluster_x_admin,
            promotion=theirs,
            details=PromotionInput(name="Mine now", kind="free_delivery"),
        )
    paused = promotion_pause(actor=cluster_x_admin, promotion=theirs)
    assert paused.active is False
    resumed = promotion_resume(actor=cluster_x_admin, promotion=theirs)
    assert resumed.active is True
    assert [e.verb for e in AuditEntry.objects.order_by("pk")] == [
        "promotion.paused",
        "promotion.resumed",
    ]


def test_uses_in_total_are_never_set_below_what_was_used(
    cluster_x: Cluster, cluster_x_admin: Actor
) -> None:
    promotion = PromotionFactory.create(cluster=cluster_x, max_uses=10, uses=4)
    with pytest.raises(ValidationFailed) as refused:
        promotion_update(
            actor=cluster_x_admin,
            promotion=promotion,
            details=PromotionInput(
                name="Ten", kind="percent", percent="10", max_uses="3"
            ),
        )
    assert "max_uses" in refused.value.errors

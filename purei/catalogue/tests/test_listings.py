import pytest

from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.models import Listing
from purei.catalogue.selectors import (
    listing_queue_for_cluster,
    listing_queue_for_kaitiaki,
    product_get_public,
)
from purei.catalogue.services import (
    listing_approve,
    listing_cultural_review,
    listing_decline,
    listing_withdraw,
    product_status_set,
)
from purei.catalogue.tests.factories import VariantFactory
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.models import Membership
from purei.members.tests.factories import MembershipFactory


def _go_live(actor, product):
    VariantFactory.create(product=product)
    return product_status_set(actor=actor, product=product, status="live")


def test_going_live_lists_in_each_approved_cluster(
    member_a_owner, product, cluster_x, cluster_y
):
    # given: applied (not approved) in cluster Y
    MembershipFactory.create(
        member=product.member, cluster=cluster_y, status=Membership.Status.APPLIED
    )
    # when
    _go_live(member_a_owner, product)
    # then
    listing = Listing.objects.get()
    assert listing.cluster == cluster_x
    assert listing.status == Listing.Status.PENDING
    assert listing.cultural_review == Listing.CulturalReview.NOT_NEEDED
    assert AuditEntry.objects.filter(
        verb="listing.submitted", cluster_id=cluster_x.pk
    ).exists()


def test_auto_approved_when_the_cluster_chooses(member_a_owner, product, cluster_x):
    # given
    cluster_x.listings_need_approval = False
    cluster_x.save()
    # when
    _go_live(member_a_owner, product)
    # then
    listing = Listing.objects.get()
    assert listing.status == Listing.Status.APPROVED
    assert listing.is_public
    found = product_get_public(
        cluster=cluster_x, member_slug="member-a", product_slug=product.slug
    )
    assert found == product


def test_curator_approves_and_declines_with_reason(
    member_a_owner, cluster_x_admin, cluster_x, product
):
    # given
    _go_live(member_a_owner, product)
    listing = Listing.objects.get()
    queue = listing_queue_for_cluster(actor=cluster_x_admin, cluster=cluster_x)
    assert queue == [listing]
    # when: declining without a reason is refused
    with pytest.raises(ValidationFailed) as exc:
        listing_decline(actor=cluster_x_admin, listing=listing, reason=" ")
    assert "reason" in exc.value.errors
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING
    # when
    listing_decline(actor=cluster_x_admin, listing=listing, reason="Photos please.")
    # then
    listing.refresh_from_db()
    assert listing.status == Listing.Status.DECLINED
    assert listing.reason == "Photos please."
    with pytest.raises(DomainError) as move:
        listing_approve(actor=cluster_x_admin, listing=listing)
    assert move.value.code == CatalogueErrorCode.LISTING_MOVE


@pytest.mark.parametrize(
    "who", ["cluster_y_admin", "member_a_owner", "platform_staff", "customer"]
)
def test_only_the_clusters_curators_decide(request, who, member_a_owner, product):
    # given
    _go_live(member_a_owner, product)
    listing = Listing.objects.get()
    # when
    with pytest.raises(NotPermitted):
        listing_approve(actor=request.getfixturevalue(who), listing=listing)
    # then
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING


def test_cultural_review_waits_for_the_kaitiaki(
    member_a_owner, cluster_x_admin, kaitiaki_x, cluster_x, product
):
    # given
    cluster_x.cultural_review = True
    cluster_x.listings_need_approval = False
    cluster_x.save()
    product.carries_cultural_designs = True
    product.save()
    _go_live(member_a_owner, product)
    listing = Listing.objects.get()
    assert listing.status == Listing.Status.APPROVED
    assert listing.cultural_review == Listing.CulturalReview.PENDING
    assert not listing.is_public
    # when: a cluster admin is not the kaitiaki
    with pytest.raises(NotPermitted):
        listing_cultural_review(
            actor=cluster_x_admin, listing=listing, approve=True, note=""
        )
    assert listing_queue_for_kaitiaki(actor=kaitiaki_x, cluster=cluster_x) == [listing]
    # declining needs a note
    with pytest.raises(ValidationFailed):
        listing_cultural_review(
            actor=kaitiaki_x, listing=listing, approve=False, note=""
        )
    listing_cultural_review(
        actor=kaitiaki_x, listing=listing, approve=True, note="Tika."
    )
    # then
    listing.refresh_from_db()
    assert listing.cultural_review == Listing.CulturalReview.APPROVED
    assert listing.cultural_note == "Tika."
    assert listing.is_public


def test_withdraw_and_archive(member_a_owner, member_a_staff, product):
    # given
    _go_live(member_a_owner, product)
    listing = Listing.objects.get()
    # when
    listing_withdraw(actor=member_a_staff, listing=listing)
    # then
    listing.refresh_from_db()
    assert listing.status == Listing.Status.WITHDRAWN
    # going back to draft and live again asks again
    product_status_set(actor=member_a_owner, product=product, status="draft")
    product_status_set(actor=member_a_owner, product=product, status="live")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.PENDING
    # archiving withdraws it
    product_status_set(actor=member_a_owner, product=product, status="archived")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.WITHDRAWN


def test_public_read_refuses_unlisted(cluster_x, product):
    from django.http import Http404

    with pytest.raises(Http404):
        product_get_public(
            cluster=cluster_x, member_slug="member-a", product_slug=product.slug
        )

import pytest
from django.urls import reverse

from purei.catalogue.claims import claim_words_in
from purei.catalogue.models import Listing
from purei.catalogue.services import (
    ProductInput,
    listing_approve,
    product_status_set,
    product_update,
)
from purei.catalogue.tests.factories import ProductFactory, VariantFactory, category
from purei.core.models import AuditEntry


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Cures colds and heals cuts.", ("cures", "heals")),
        ("CŪRES everything", ("cures",)),  # macron- and case-insensitive
        ("A remedy  for sore feet", ("remedy for",)),
        ("A sweet treat; securely packed; healthy", ()),  # whole words only
        ("Soothing anti-inflammatory balm", ("anti-inflammatory",)),
        ("", ()),
    ],
)
def test_claim_words_are_whole_words_any_case_any_macron(text, words):
    assert claim_words_in(text) == words


def _health_product(member, **fields):
    product = ProductFactory.create(
        member=member, category=category("natural-health"), **fields
    )
    VariantFactory.create(product=product)
    return product


def test_the_natural_health_category_is_a_health_one(db):
    assert category("natural-health").health_products
    assert not category("honey").health_products


def test_a_claim_in_a_health_product_waits_for_a_curator_with_the_reason(
    member_a, member_a_owner, cluster_x
):
    # given: a cluster that lists at once
    cluster_x.listings_need_approval = False
    cluster_x.save()
    product = _health_product(
        member_a,
        title_en="Kawakawa balm",
        description_en="Heals eczema and cures rashes.",
    )
    # when
    product_status_set(actor=member_a_owner, product=product, status="live")
    # then
    listing = Listing.objects.get(product=product)
    assert listing.status == Listing.Status.PENDING
    assert "“heals”, “cures” (in its description)" in listing.claim_review
    assert "Medicines Act 1981" in listing.claim_review


def test_the_same_words_outside_a_health_category_list_at_once(
    member_a, member_a_owner, cluster_x
):
    cluster_x.listings_need_approval = False
    cluster_x.save()
    product = ProductFactory.create(member=member_a, description_en="Honey that heals.")
    VariantFactory.create(product=product)
    product_status_set(actor=member_a_owner, product=product, status="live")
    listing = Listing.objects.get(product=product)
    assert listing.status == Listing.Status.APPROVED
    assert listing.claim_review == ""


def test_a_health_product_without_claims_lists_at_once(
    member_a, member_a_owner, cluster_x
):
    cluster_x.listings_need_approval = False
    cluster_x.save()
    product = _health_product(member_a, description_en="Kawakawa leaf in olive oil.")
    product_status_set(actor=member_a_owner, product=product, status="live")
    assert Listing.objects.get(product=product).status == Listing.Status.APPROVED


def test_curator_approves_with_a_note_kept_in_the_history(
    member_a, member_a_owner, cluster_x, cluster_x_admin
):
    product = _health_product(
        member_a, description_en="A traditional remedy for bruises."
    )
    product_status_set(actor=member_a_owner, product=product, status="live")
    listing = Listing.objects.get(product=product)
    # when
    listing = listing_approve(
        actor=cluster_x_admin, listing=listing, note="  Reworded with the maker.  "
    )
    # then
    assert listing.status == Listing.Status.APPROVED
    assert listing.curator_note == "Reworded with the maker."
    entry = AuditEntry.objects.get(verb="listing.approved", target_id=str(listing.pk))
    assert entry.after["curator_note"] == "Reworded with the maker."
    submitted = AuditEntry.objects.get(
        verb="listing.submitted", target_id=str(listing.pk)
    )
    assert "remedy for" in submitted.after["claim_review"]


def test_new_claim_words_on_a_listed_product_send_it_back(
    member_a, member_a_owner, cluster_x, cluster_x_admin
):
    cluster_x.listings_need_approval = False
    cluster_x.save()
    product = _health_product(member_a, description_en="A balm.")
    product_status_set(actor=member_a_owner, product=product, status="live")
    assert Listing.objects.get(product=product).is_public
    # when: the maker adds a claim
    product_update(
        actor=member_a_owner,
        product=product,
        details=ProductInput(description_en="A balm that prevents scars."),
    )
    # then
    listing = Listing.objects.get(product=product)
    assert listing.status == Listing.Status.PENDING
    assert "“prevents”" in listing.claim_review
    # when: a curator approves it, then the maker saves the same words again
    listing_approve(actor=cluster_x_admin, listing=listing, note="Scar care is OK")
    product_update(
        actor=member_a_owner,
        product=product,
        details=ProductInput(title_en="Kawakawa balm"),
    )
    # then: it stays listed
    assert Listing.objects.get(product=product).status == Listing.Status.APPROVED


def test_curator_screen_shows_the_reason_and_takes_a_note(
    client, member_a, member_a_owner, cluster_x, cluster_x_admin_user
):
    product = _health_product(
        member_a,
        title_en="Kawakawa balm",
        description_en="Treats eczema.",
    )
    product_status_set(actor=member_a_owner, product=product, status="live")
    listing = Listing.objects.get(product=product)
    client.force_login(cluster_x_admin_user)
    url = reverse("catalogue:listing-queue", args=[cluster_x.slug])
    # when
    page = client.get(url).content.decode()
    # then
    assert "A second look: health claim" in page
    assert "“treats”" in page
    # when
    response = client.post(
        url, {"listing": listing.pk, "action": "approve", "reason": "Claim removed."}
    )
    # then
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.curator_note == "Claim removed."
    history = client.get(url, {"status": "approved"}).content.decode()
    assert "Claim removed." in history

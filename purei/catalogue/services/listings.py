"""Listings: a live product shown in each cluster where its member is approved, once
the cluster's curators agree (or at once, if the cluster chooses), and — for works
carrying cultural designs in a cluster with a cultural review — once its kaitiaki do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from purei.catalogue.claims import ClaimFinding, claims_in_product
from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.models import Listing, Product
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.members.models import Membership

from ._common import _text, index_on_commit, require_team

LISTING_FIELDS = (
    "status",
    "cultural_review",
    "reason",
    "cultural_note",
    "claim_review",
    "curator_note",
)
OPEN = (Listing.Status.PENDING, Listing.Status.APPROVED)


def _record(
    actor: Actor, verb: str, listing: Listing, before: dict[str, object]
) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=listing,
        cluster_id=listing.cluster_id,
        member_id=listing.product.member_id,
        before=before,
        after=snapshot(listing, LISTING_FIELDS),
    )


def claim_review_reason(product: Product) -> str:
    """Why a product in a health category needs a curator's second look: the
    words that may make a therapeutic claim, and where; "" when none do (or the
    category is not a health one). See ``purei.catalogue.claims``."""
    if not product.category.health_products:
        return ""
    findings = claims_in_product(
        title=product.title_en,
        description=product.description_en,
        extra={
            "name in te reo Māori": product.title_mi,
            "description in te reo Māori": product.description_mi,
        },
    )
    if not findings:
        return ""
    # Kept in one language, so the same words give the same reason whoever saves.
    with translation.override(settings.LANGUAGE_CODE):
        return _claim_reason(findings)


def _claim_reason(findings: list[ClaimFinding]) -> str:
    where = "; ".join(
        _("%(words)s (in its %(field)s)")
        % {
            "words": ", ".join(f"“{word}”" for word in finding.words),
            "field": finding.field,
        }
        for finding in findings
    )
    return _(
        "May make a therapeutic claim: %(where)s. Natural health products may "
        "not claim to cure, treat or prevent without approval under the "
        "Medicines Act 1981."
    ) % {"where": where}


def _fresh_state(listing: Listing, cluster: Cluster, product: Product) -> None:
    listing.claim_review = claim_review_reason(product)
    listing.status = (
        Listing.Status.PENDING
        if cluster.listings_need_approval or listing.claim_review
        else Listing.Status.APPROVED
    )
    listing.cultural_review = (
        Listing.CulturalReview.PENDING
        if cluster.cultural_review and product.carries_cultural_designs
        else Listing.CulturalReview.NOT_NEEDED
    )
    listing.decided_by = None
    listing.decided_at = None
    listing.reason = ""
    listing.cultural_reviewed_by = None
    listing.cultural_reviewed_at = None
    listing.cultural_note = ""
    listing.curator_note = ""


def listings_submit(*, actor: Actor, product: Product) -> list[Listing]:
    """List a product that went live in each cluster its member is approved in.

    Open listings (pending or listed) stay as they are; withdrawn or declined ones
    are asked for again. Called inside ``product_status_set``'s transaction.
    """
    clusters = Cluster.objects.filter(
        memberships__member_id=product.member_id,
        memberships__status=Membership.Status.APPROVED,
    )
    existing = {
        listing.cluster_id: listing
        for listing in Listing.objects.select_for_update().filter(product=product)
    }
    changed = []
    for cluster in clusters:
        listing = existing.get(cluster.pk)
        if listing is not None and listing.status in OPEN:
            continue
        before = snapshot(listing, LISTING_FIELDS) if listing else {}
        if listing is None:
            listing = Listing(product=product, cluster=cluster)
        _fresh_state(listing, cluster, product)
        if listing.status == Listing.Status.APPROVED:
            listing.decided_at = timezone.now()
        listing.save()
        _record(actor, "listing.submitted", listing, before)
        changed.append(listing)
    return changed


def listings_recheck_claims(*, actor: Actor, product: Product) -> list[Listing]:
    """After a live product's words change: any open listing whose claim words
    differ from those a curator last saw goes back to the curators, with the reason.

    A listing a curator approved with the same words stays listed; words taken
    out simply clear the reason. Called inside ``product_update``'s transaction.
    """
    reason = claim_review_reason(product)
    changed = []
    for listing in Listing.objects.select_for_update().filter(
        product=product, status__in=OPEN
    ):
        if listing.claim_review == reason:
            continue
        before = snapshot(listing, LISTING_FIELDS)
        listing.claim_review = reason
        verb = "listing.claim_cleared"
        if reason and listing.status == Listing.Status.APPROVED:
            listing.status = Listing.Status.PENDING
            listing.decided_by = None
            listing.decided_at = None
            listing.curator_note = ""
            verb = "listing.claim_review"
        elif reason:
            verb = "listing.claim_review"
        listing.save()
        _record(actor, verb, listing, before)
        index_on_commit(product.pk)
        changed.append(listing)
    return changed


def listings_withdraw_all(*, actor: Actor, product: Product) -> list[Listing]:
    """Withdraw every open listing of a product that is no longer live."""
    changed = []
    for listing in Listing.objects.select_for_update().filter(
        product=product, status__in=OPEN
    ):
        before = snapshot(listing, LISTING_FIELDS)
        listing.status = Listing.Status.WITHDRAWN
        listing.save(update_fields=["status", "updated_at"])
        _record(actor, "listing.withdrawn", listing, before)
        changed.append(listing)
    return changed


def _locked(listing: Listing) -> Listing:
    return (
        Listing.objects.select_for_update()
        .select_related("product", "cluster")
        .get(pk=listing.pk)
    )


def _require_curator(actor: Actor, cluster_id: int) -> None:
    if cluster_id not in actor.curator_cluster_ids:
        raise NotPermitted(
            CatalogueErrorCode.NOT_CURATOR,
            _("Only this cluster's curators decide on its listings."),
        )


def _require_pending(listing: Listing) -> None:
    if listing.status != Listing.Status.PENDING:
        raise DomainError(
            CatalogueErrorCode.LISTING_MOVE,
            _("This listing is not waiting for a decision (it is %(status)s).")
            % {"status": listing.get_status_display()},
            field="status",
        )


def _changed(listing: Listing) -> None:
    if listing.is_public:
        index_on_commit(listing.product_id)


@transaction.atomic
def listing_approve(*, actor: Actor, listing: Listing, note: str = "") -> Listing:
    """A curator (or admin) of the listing's cluster lists the product, with an
    optional note (kept on the listing and in its history) — e.g. why a possible
    health claim is fine."""
    _require_curator(actor, listing.cluster_id)
    listing = _locked(listing)
    _require_pending(listing)
    before = snapshot(listing, LISTING_FIELDS)
    listing.status = Listing.Status.APPROVED
    listing.decided_by = actor.user
    listing.decided_at = timezone.now()
    listing.reason = ""
    listing.curator_note = _text(note)
    listing.save()
    _record(actor, "listing.approved", listing, before)
    _changed(listing)
    return listing


@transaction.atomic
def listing_decline(*, actor: Actor, listing: Listing, reason: str) -> Listing:
    """A curator declines, saying why (the member sees the reason)."""
    _require_curator(actor, listing.cluster_id)
    text = _text(reason)
    if not text:
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_LISTING,
            {"reason": [_("Say why, so the business can put it right.")]},
        )
    listing = _locked(listing)
    _require_pending(listing)
    before = snapshot(listing, LISTING_FIELDS)
    listing.status = Listing.Status.DECLINED
    listing.decided_by = actor.user
    listing.decided_at = timezone.now()
    listing.reason = text
    listing.save()
    _record(actor, "listing.declined", listing, before)
    return listing


@transaction.atomic
def listing_cultural_review(
    *, actor: Actor, listing: Listing, approve: bool, note: str
) -> Listing:
    """The cluster's kaitiaki approve or decline a work carrying cultural designs.

    A note is required when declining.
    """
    if listing.cluster_id not in actor.kaitiaki_cluster_ids:
        raise NotPermitted(
            CatalogueErrorCode.NOT_KAITIAKI,
            _("Only this cluster's kaitiaki give its cultural review."),
        )
    text = _text(note)
    if not approve and not text:
        raise ValidationFailed(
            CatalogueErrorCode.INVALID_LISTING,
            {"note": [_("Say why, so the maker understands the decision.")]},
        )
    listing = _locked(listing)
    if listing.cultural_review != Listing.CulturalReview.PENDING:
        raise DomainError(
            CatalogueErrorCode.LISTING_MOVE,
            _("This work is not waiting for a cultural review."),
            field="cultural_review",
        )
    before = snapshot(listing, LISTING_FIELDS)
    listing.cultural_review = (
        Listing.CulturalReview.APPROVED if approve else Listing.CulturalReview.DECLINED
    )
    listing.cultural_reviewed_by = actor.user
    listing.cultural_reviewed_at = timezone.now()
    listing.cultural_note = text
    listing.save()
    _record(
        actor,
        "listing.cultural_approved" if approve else "listing.cultural_declined",
        listing,
        before,
    )
    _changed(listing)
    return listing


@transaction.atomic
def listing_withdraw(*, actor: Actor, listing: Listing) -> Listing:
    """The member's team takes a product out of one cluster."""
    require_team(actor, listing.product.member)
    listing = _locked(listing)
    if listing.status not in OPEN:
        raise DomainError(
            CatalogueErrorCode.LISTING_MOVE,
            _("This listing is not open (it is %(status)s).")
            % {"status": listing.get_status_display()},
            field="status",
        )
    before = snapshot(listing, LISTING_FIELDS)
    listing.status = Listing.Status.WITHDRAWN
    listing.save(update_fields=["status", "updated_at"])
    _record(actor, "listing.withdrawn", listing, before)
    index_on_commit(listing.product_id)
    return listing

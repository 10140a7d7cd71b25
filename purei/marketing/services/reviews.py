"""Reviews: a verified buyer writes one, the maker replies once, a curator
approves, rejects or hides it (docs/marketing.md "Reviews"). Each service names
its actor, checks scope itself, is one transaction with an audit row; the email
to the maker goes once it commits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.marketing.errors import MarketingErrorCode
from purei.marketing.models import Review, ReviewSettings
from purei.marketing.review_selectors import received_line_for
from purei.marketing.review_tasks import review_written_notify

from ._common import _add, _require_admin, _text

MAX_BODY = 2000
MAX_REPLY = 2000
MAX_REASON = 300

Action = Literal["approve", "reject", "hide"]
# Which moves a curator may make from which status (rules as data).
ALLOWED_MOVES: dict[str, frozenset[str]] = {
    "approve": frozenset({Review.Status.PENDING, Review.Status.HIDDEN}),
    "reject": frozenset({Review.Status.PENDING}),
    "hide": frozenset({Review.Status.APPROVED}),
}
MOVED_TO = {
    "approve": Review.Status.APPROVED,
    "reject": Review.Status.REJECTED,
    "hide": Review.Status.HIDDEN,
}
# Replies are taken while the review may still be shown.
REPLY_OPEN = frozenset({Review.Status.PENDING, Review.Status.APPROVED})


@dataclass(frozen=True)
class ReviewInput:
    stars: int | str | None
    body: str


def _checked(details: ReviewInput) -> tuple[int, str]:
    errors: dict[str, list[str]] = {}
    try:
        stars = int(str(details.stars))
    except ValueError:
        stars = 0
    if not 1 <= stars <= 5:
        _add(errors, "stars", _("Choose from 1 to 5 stars."))
    body = _text(details.body)
    if not body:
        _add(errors, "body", _("Say something about it."))
    elif len(body) > MAX_BODY:
        _add(
            errors,
            "body",
            _("Keep it to %(n)s characters (this is %(length)s).")
            % {"n": MAX_BODY, "length": len(body)},
        )
    if errors:
        raise ValidationFailed(MarketingErrorCode.INVALID_REVIEW, errors)
    return stars, body


def _needs_approval(cluster: Cluster) -> bool:
    found = ReviewSettings.objects.filter(cluster=cluster).first()
    return True if found is None else found.needs_approval


@transaction.atomic
def review_write(
    *, actor: Actor, cluster: Cluster, product_id: int, details: ReviewInput
) -> Review:
    """Write (or, while it is editable, change) the actor's review of a product
    they received in ``cluster``. New reviews wait for a curator when the
    cluster says so, else show at once."""
    if not actor.is_authenticated:
        raise NotPermitted(
            MarketingErrorCode.LOGIN_REQUIRED, _("Log in to write a review.")
        )
    line = received_line_for(actor=actor, cluster=cluster, product_id=product_id)
    if line is None or line.product is None:
        raise NotPermitted(
            MarketingErrorCode.NOT_VERIFIED_BUYER,
            _(
                "Only a buyer who received this product here may review it: once "
                "your order is delivered or collected."
            ),
        )
    stars, body = _checked(details)
    author = actor.user
    assert author is not None  # noqa: S101 - authenticated above
    existing = (
        Review.objects.select_for_update()
        .filter(product_id=product_id, author=actor.user)
        .first()
    )
    if existing is not None:
        if not existing.is_editable:
            raise DomainError(
                MarketingErrorCode.REVIEW_LOCKED,
                _(
                    "Your review can't be changed any more: a curator has decided "
                    "on it or the maker has replied."
                ),
            )
        before = {"stars": existing.stars, "body": existing.body}
        existing.stars, existing.body = stars, body
        existing.save(update_fields=["stars", "body", "updated_at"])
        audit_record(
            actor=actor,
            verb="review.updated",
            target=existing,
            cluster_id=existing.cluster_id,
            member_id=existing.member_id,
            before=before,
            after={"stars": stars, "body": body},
        )
        return existing
    now = timezone.now()
    shown = not _needs_approval(cluster)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                cluster=cluster,
                product_id=product_id,
                member_id=line.product.member_id,
                author=author,
                order_line=line,
                stars=stars,
                body=body,
                status=Review.Status.APPROVED if shown else Review.Status.PENDING,
                published_at=now if shown else None,
            )
    except IntegrityError:  # the same buyer, twice at once
        raise DomainError(
            MarketingErrorCode.REVIEW_LOCKED, _("You have reviewed this already.")
        ) from None
    audit_record(
        actor=actor,
        verb="review.written",
        target=review,
        cluster_id=cluster.pk,
        member_id=review.member_id,
        after={"stars": stars, "status": review.status},
    )
    transaction.on_commit(partial(review_written_notify.enqueue, review_id=review.pk))
    return review


@transaction.atomic
def review_reply(*, actor: Actor, review: Review, text: str) -> Review:
    """The maker's one reply (its owners or staff), public with the review."""
    if not actor.is_member_team(review.member_id):
        raise NotPermitted(
            MarketingErrorCode.NOT_MEMBER_TEAM,
            _("Only the maker's team replies to its reviews."),
        )
    reply = _text(text)
    if not reply or len(reply) > MAX_REPLY:
        raise ValidationFailed(
            MarketingErrorCode.INVALID_REPLY,
            {
                "reply": [
                    _("Write a reply of up to %(n)s characters.") % {"n": MAX_REPLY}
                ]
            },
        )
    now = timezone.now()
    replied = Review.objects.filter(
        pk=review.pk, reply="", status__in=REPLY_OPEN
    ).update(reply=reply, replied_at=now, replied_by=actor.user, updated_at=now)
    if replied == 0:
        raise DomainError(
            MarketingErrorCode.ALREADY_REPLIED,
            _("This review has a reply already, or is no longer shown."),
            field="reply",
        )
    review.refresh_from_db()
    audit_record(
        actor=actor,
        verb="review.replied",
        target=review,
        cluster_id=review.cluster_id,
        member_id=review.member_id,
        after={"reply": reply},
    )
    return review


@transaction.atomic
def review_moderate(
    *, actor: Actor, review: Review, action: str, reason: str = ""
) -> Review:
    """A curator's decision: ``approve`` (a waiting or hidden review), ``reject``
    (a waiting one, with a reason) or ``hide`` (a shown one, with a reason)."""
    if review.cluster_id not in actor.curator_cluster_ids:
        raise NotPermitted(
            MarketingErrorCode.NOT_CURATOR,
            _("Only this cluster's curators decide on its reviews."),
        )
    if action not in ALLOWED_MOVES:
        raise DomainError(
            MarketingErrorCode.REVIEW_WRONG_STATUS,
            _("Choose approve, reject or hide."),
            field="action",
        )
    why = _text(reason)
    if action != "approve" and not why:
        raise ValidationFailed(
            MarketingErrorCode.INVALID_REVIEW,
            {"reason": [_("Give a reason: the buyer and the maker see it.")]},
        )
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.status not in ALLOWED_MOVES[action]:
        raise DomainError(
            MarketingErrorCode.REVIEW_WRONG_STATUS,
            _("This review can't be changed that way (it is %(status)s).")
            % {"status": locked.get_status_display()},
            field="action",
        )
    before = {"status": locked.status}
    now = timezone.now()
    locked.status = MOVED_TO[action]
    locked.moderated_at, locked.moderated_by = now, actor.user
    locked.reason = why[:MAX_REASON] if action != "approve" else ""
    if action == "approve":
        locked.published_at = locked.published_at or now
    locked.save(
        update_fields=[
            "status",
            "moderated_at",
            "moderated_by",
            "reason",
            "published_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        verb=f"review.{locked.status}",
        target=locked,
        cluster_id=locked.cluster_id,
        member_id=locked.member_id,
        before=before,
        after={"status": locked.status, "reason": locked.reason},
    )
    return locked


@transaction.atomic
def review_settings_update(
    *, actor: Actor, cluster: Cluster, needs_approval: bool
) -> ReviewSettings:
    """The cluster's admins choose whether new reviews wait for a curator.
    Reviews already waiting stay waiting either way."""
    _require_admin(actor, cluster, _("review settings"))
    found, _created = ReviewSettings.objects.select_for_update().get_or_create(
        cluster=cluster
    )
    before = {"needs_approval": found.needs_approval}
    found.needs_approval = needs_approval
    found.save(update_fields=["needs_approval", "updated_at"])
    audit_record(
        actor=actor,
        verb="review_settings.updated",
        target=found,
        cluster_id=cluster.pk,
        before=before,
        after={"needs_approval": needs_approval},
    )
    return found

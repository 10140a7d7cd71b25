"""A cluster's stories: written (English and/or te reo Māori, Markdown), pictured,
published and taken down by the cluster's admins. Each change is one transaction
with an audit row; pictures are checked and cleaned like every upload
(``purei.core.images``) and their old files removed once the change commits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import DomainError, ValidationFailed
from purei.core.images import UploadRejected, photo_clean
from purei.core.renditions import renditions_refresh
from purei.marketing.errors import MarketingErrorCode
from purei.marketing.models import Story, StoryImage
from purei.marketing.story_text import MAX_BODY_LENGTH

from ._common import _add, _ordered, _require_admin, _text

MAX_IMAGES = 20
TEXT_LIMITS = {
    "title_en": 160,
    "title_mi": 160,
    "summary_en": 300,
    "summary_mi": 300,
    "body_en": MAX_BODY_LENGTH,
    "body_mi": MAX_BODY_LENGTH,
}
STORY_FIELDS = ("slug", *TEXT_LIMITS)
WHAT = gettext_lazy("stories")


@dataclass(frozen=True)
class StoryInput:
    """A story as typed. ``slug`` may be left blank: made from the title."""

    title_en: str = ""
    title_mi: str = ""
    summary_en: str = ""
    summary_mi: str = ""
    body_en: str = ""
    body_mi: str = ""
    slug: str = ""


def _checked(
    cluster: Cluster, details: StoryInput, story: Story | None
) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    values = {name: _text(getattr(details, name)) for name in TEXT_LIMITS}
    # Bodies keep their own line breaks (Markdown), only trailing space goes.
    values["body_en"] = (details.body_en or "").rstrip()
    values["body_mi"] = (details.body_mi or "").rstrip()
    for name, limit in TEXT_LIMITS.items():
        if len(values[name]) > limit:
            _add(
                errors,
                name,
                _("Keep this to %(limit)s characters (it has %(n)s).")
                % {"limit": limit, "n": len(values[name])},
            )
    if not values["title_en"] and not values["title_mi"]:
        _add(
            errors,
            "title_en",
            _("Give the story a title, in English or in te reo Māori."),
        )
    for language in ("en", "mi"):
        if values[f"body_{language}"] and not values[f"title_{language}"]:
            _add(
                errors,
                f"title_{language}",
                _("This version has a story but no title: give it one."),
            )
    slug_typed = _text(details.slug)
    slug = slugify(slug_typed or values["title_en"] or values["title_mi"])[:80]
    if slug_typed and slug != slug_typed.lower():
        _add(
            errors,
            "slug",
            _("Use only lower-case letters, digits and hyphens, e.g. “fair-day”."),
        )
    elif not slug:
        slug = "story"
    taken = Story.objects.filter(cluster=cluster, slug=slug)
    if story is not None:
        taken = taken.exclude(pk=story.pk)
    if taken.exists():
        if slug_typed:
            _add(errors, "slug", _("Another story of this cluster has this address."))
        else:
            slug = _free_slug(cluster, slug, story)
    if errors:
        raise ValidationFailed(
            MarketingErrorCode.INVALID_STORY, _ordered(errors, STORY_FIELDS)
        )
    return {**values, "slug": slug}


def _free_slug(cluster: Cluster, slug: str, story: Story | None) -> str:
    others = Story.objects.filter(cluster=cluster, slug__startswith=slug)
    if story is not None:
        others = others.exclude(pk=story.pk)
    used = set(others.values_list("slug", flat=True))
    number = 2
    while f"{slug[:75]}-{number}" in used:
        number += 1
    return f"{slug[:75]}-{number}"


@transaction.atomic
def story_create(*, actor: Actor, cluster: Cluster, details: StoryInput) -> Story:
    """A new draft story."""
    _require_admin(actor, cluster, str(WHAT))
    values = _checked(cluster, details, None)
    story = Story.objects.create(
        cluster=cluster, author=actor.user, status=Story.Status.DRAFT, **values
    )
    audit_record(
        actor=actor,
        verb="story.created",
        target=story,
        cluster_id=cluster.pk,
        after=snapshot(story, STORY_FIELDS),
    )
    return story


@transaction.atomic
def story_update(*, actor: Actor, story: Story, details: StoryInput) -> Story:
    """Change a story's text (a published story changes at once)."""
    _require_admin(actor, story.cluster, str(WHAT))
    values = _checked(story.cluster, details, story)
    before = snapshot(story, STORY_FIELDS)
    for name, value in values.items():
        setattr(story, name, value)
    story.save(update_fields=[*values, "updated_at"])
    audit_record(
        actor=actor,
        verb="story.updated",
        target=story,
        cluster_id=story.cluster_id,
        before=before,
        after=snapshot(story, STORY_FIELDS),
    )
    return story


@transaction.atomic
def story_publish(*, actor: Actor, story: Story) -> Story:
    """Show the story on the storefront and in its feed (dated now the first time)."""
    _require_admin(actor, story.cluster, str(WHAT))
    if story.is_published:
        return story
    story.status = Story.Status.PUBLISHED
    story.published_at = story.published_at or timezone.now()
    story.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="story.published",
        target=story,
        cluster_id=story.cluster_id,
        after={"status": story.status},
    )
    return story


@transaction.atomic
def story_unpublish(*, actor: Actor, story: Story) -> Story:
    """Take the story off the storefront (a draft again; its date is kept)."""
    _require_admin(actor, story.cluster, str(WHAT))
    if not story.is_published:
        return story
    story.status = Story.Status.DRAFT
    story.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb="story.unpublished",
        target=story,
        cluster_id=story.cluster_id,
        after={"status": story.status},
    )
    return story


def _alt_text(value: Any, errors: dict[str, list[str]]) -> str:
    alt = _text(value)
    if not alt:
        _add(
            errors,
            "alt_text",
            _(
                "Describe the picture for people who can't see it, e.g. “Stalls "
                "along Kitchener Street on fair day”."
            ),
        )
    elif len(alt) > 200:
        _add(errors, "alt_text", _("Keep the description to 200 characters."))
    return alt


@transaction.atomic
def story_image_add(
    *, actor: Actor, story: Story, image: Any, alt_text: str
) -> StoryImage:
    """Add a picture (checked, resized, metadata stripped) with its description;
    it takes the next number, to place in the text as ``![…](image:N)``."""
    _require_admin(actor, story.cluster, str(WHAT))
    Story.objects.select_for_update().filter(pk=story.pk).first()
    errors: dict[str, list[str]] = {}
    if StoryImage.objects.filter(story=story).count() >= MAX_IMAGES:
        raise DomainError(
            MarketingErrorCode.TOO_MANY_IMAGES,
            _("A story has at most %(max)s pictures: remove one first.")
            % {"max": MAX_IMAGES},
            field="image",
        )
    picture = None
    if not image:
        _add(errors, "image", _("Choose a picture to upload."))
    else:
        try:
            picture = photo_clean(image)
        except UploadRejected as exc:
            _add(errors, "image", exc.message)
    alt = _alt_text(alt_text, errors)
    if errors or picture is None:
        raise ValidationFailed(
            MarketingErrorCode.INVALID_STORY_IMAGE,
            _ordered(errors, ("image", "alt_text")),
        )
    last = StoryImage.objects.filter(story=story).aggregate(last=Max("number"))["last"]
    added = StoryImage(story=story, alt_text=alt, number=(last or 0) + 1)
    added.image.save(str(picture.content.name), picture.content, save=False)
    added.renditions = renditions_refresh(added.image.name or "", [])
    added.save()
    audit_record(
        actor=actor,
        verb="story.image_added",
        target=added,
        cluster_id=story.cluster_id,
        after={"story": story.pk, "number": added.number, "alt_text": alt},
    )
    return added


@transaction.atomic
def story_image_delete(*, actor: Actor, image: StoryImage) -> None:
    """Remove a picture (its files go once the change commits)."""
    story = image.story
    _require_admin(actor, story.cluster, str(WHAT))
    audit_record(
        actor=actor,
        verb="story.image_removed",
        target=image,
        cluster_id=story.cluster_id,
        before={"story": story.pk, "number": image.number, "alt_text": image.alt_text},
    )
    if image.image.name:
        transaction.on_commit(partial(default_storage.delete, image.image.name))
    renditions_refresh("", image.renditions or [])
    image.delete()

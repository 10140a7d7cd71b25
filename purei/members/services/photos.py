"""A member's photos: added (resized, metadata stripped), described, ordered,
removed. Owners only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import ValidationFailed
from purei.core.images import UploadRejected, photo_clean
from purei.core.renditions import renditions_refresh
from purei.members.errors import MemberErrorCode
from purei.members.models import Member, MemberPhoto

from ._common import (
    _add,
    _delete_file_on_commit,
    _file_name,
    _ordered,
    _require_owner,
    _text,
)

MAX_PHOTOS = 12


def _alt_text(value: Any, errors: dict[str, list[str]]) -> str:
    alt = _text(value)
    if not alt:
        _add(
            errors,
            "alt_text",
            _(
                "Describe the photo for people who can't see it, e.g. “Carving a "
                "tekoteko”."
            ),
        )
    elif len(alt) > 200:
        _add(errors, "alt_text", _("Keep the description to 200 characters."))
    return alt


def _photo_snapshot(photo: MemberPhoto) -> dict[str, Any]:
    return {
        "image": _file_name(photo.image),
        "alt_text": photo.alt_text,
        "position": photo.position,
    }


@transaction.atomic
def member_photo_add(
    *, actor: Actor, member: Member, image: Any, alt_text: str
) -> MemberPhoto:
    """Add a photo (resized, metadata stripped) with its description, at the end."""
    _require_owner(actor, member)
    Member.objects.select_for_update().filter(pk=member.pk).first()
    errors: dict[str, list[str]] = {}
    count = MemberPhoto.objects.filter(member=member).count()
    if count >= MAX_PHOTOS:
        _add(
            errors,
            "image",
            _("A business shows at most %(max)s photos: remove one first.")
            % {"max": MAX_PHOTOS},
        )
    picture = None
    if not image:
        _add(errors, "image", _("Choose a photo to upload."))
    elif "image" not in errors:
        try:
            picture = photo_clean(image)
        except UploadRejected as exc:
            _add(errors, "image", exc.message)
    alt = _alt_text(alt_text, errors)
    if errors or picture is None:
        raise ValidationFailed(
            MemberErrorCode.INVALID_PHOTO, _ordered(errors, ("image", "alt_text"))
        )
    last = MemberPhoto.objects.filter(member=member).aggregate(last=Max("position"))[
        "last"
    ]
    photo = MemberPhoto(
        member=member, alt_text=alt, position=0 if last is None else last + 1
    )
    photo.image.save(str(picture.content.name), picture.content, save=False)
    photo.renditions = renditions_refresh(photo.image.name or "", [])
    photo.save()
    audit_record(
        actor=actor,
        verb="member.photo_added",
        target=photo,
        member_id=member.pk,
        after=_photo_snapshot(photo),
    )
    return photo


@transaction.atomic
def member_photo_update(
    *, actor: Actor, photo: MemberPhoto, alt_text: str
) -> MemberPhoto:
    """Change a photo's description."""
    _require_owner(actor, photo.member)
    errors: dict[str, list[str]] = {}
    alt = _alt_text(alt_text, errors)
    if errors:
        raise ValidationFailed(MemberErrorCode.INVALID_PHOTO, errors)
    before = snapshot(photo, ("alt_text",))
    photo.alt_text = alt
    photo.save(update_fields=["alt_text", "updated_at"])
    audit_record(
        actor=actor,
        verb="member.photo_updated",
        target=photo,
        member_id=photo.member_id,
        before=before,
        after=snapshot(photo, ("alt_text",)),
    )
    return photo


@transaction.atomic
def member_photo_remove(*, actor: Actor, photo: MemberPhoto) -> None:
    """Remove a photo (its file goes once the change is committed)."""
    _require_owner(actor, photo.member)
    audit_record(
        actor=actor,
        verb="member.photo_removed",
        target=photo,
        member_id=photo.member_id,
        before=_photo_snapshot(photo),
    )
    _delete_file_on_commit(photo.image.name)
    renditions_refresh("", photo.renditions or [])
    photo.delete()


@transaction.atomic
def member_photo_reorder(
    *, actor: Actor, member: Member, photo_ids: Sequence[int]
) -> list[MemberPhoto]:
    """Put the member's photos in the order of ``photo_ids`` (all of them, once)."""
    _require_owner(actor, member)
    photos = {
        p.pk: p for p in MemberPhoto.objects.select_for_update().filter(member=member)
    }
    if sorted(photo_ids) != sorted(photos):
        raise ValidationFailed(
            MemberErrorCode.INVALID_PHOTO,
            {"photo_ids": [_("List each of this business's photos once.")]},
        )
    before = [p.pk for p in sorted(photos.values(), key=lambda p: (p.position, p.pk))]
    ordered = []
    for position, photo_id in enumerate(photo_ids):
        photo = photos[photo_id]
        if photo.position != position:
            photo.position = position
            photo.save(update_fields=["position", "updated_at"])
        ordered.append(photo)
    audit_record(
        actor=actor,
        verb="member.photos_reordered",
        target=member,
        member_id=member.pk,
        before={"photo_ids": before},
        after={"photo_ids": list(photo_ids)},
    )
    return ordered


def member_photo_move(
    *, actor: Actor, photo: MemberPhoto, offset: int
) -> list[MemberPhoto]:
    """Move a photo ``offset`` places earlier (negative) or later (positive)."""
    member = photo.member
    ids = list(
        MemberPhoto.objects.filter(member=member)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    index = ids.index(photo.pk)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    return member_photo_reorder(actor=actor, member=member, photo_ids=ids)


def member_pictures_render(*, missing_only: bool = False) -> int:
    """Make the renditions of members' logos and photos (only those without any
    with ``missing_only``); return how many pictures were rendered."""
    rendered = 0
    for member in Member.objects.exclude(logo="").order_by("pk"):
        if missing_only and member.logo_renditions:
            continue
        made = renditions_refresh(member.logo.name or "", member.logo_renditions)
        if made:
            member.logo_renditions = made
            member.save(update_fields=["logo_renditions"])
            rendered += 1
    photos = MemberPhoto.objects.order_by("pk")
    for photo in photos.filter(renditions=[]) if missing_only else photos:
        made = renditions_refresh(photo.image.name or "", photo.renditions)
        if made:
            photo.renditions = made
            photo.save(update_fields=["renditions"])
            rendered += 1
    return rendered

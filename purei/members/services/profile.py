"""Member businesses' profiles: adding a business and changing it.

The bank account for payouts is stored normalised ("BB-bbbb-AAAAAAA-SSS") and only
ever written to the audit log masked.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from purei.accounts.models import MemberRole
from purei.clusters.models import Region
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.csv_safe import formula_start_message, starts_like_formula
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.images import UploadRejected, logo_clean
from purei.core.inputs import UNSET, Unset, fields_sent
from purei.core.renditions import renditions_refresh
from purei.core.text import fold
from purei.core.validators import (
    FormatError,
    bank_account_mask,
    bank_account_normalise,
    ird_number_normalise,
    nzbn_normalise,
)
from purei.members.errors import MemberErrorCode
from purei.members.models import Member
from purei.members.story import MAX_STORY_LENGTH, render_story
from purei.search.cache import catalogue_changed_on_commit
from purei.search.entries import MakerText
from purei.search.makers import maker_changed

from ._common import (
    _add,
    _delete_file_on_commit,
    _file_name,
    _ordered,
    _require_login,
    _require_owner,
    _text,
)

SLUG_MAX_LENGTH = 64
# Web address names that are page names under /manage/members/.
RESERVED_SLUGS = frozenset({"new"})

# The profile fields a member edits, in the order the form shows them (the first
# error reported is the first field a person meets).
MEMBER_FIELDS = (
    "legal_name",
    "trading_name",
    "nzbn",
    "gst_registered",
    "gst_number",
    "in_trade",
    "story",
    "region",
    "town",
    "latitude",
    "longitude",
    "contact_name",
    "email",
    "phone",
    "website",
    "logo",
    "bank_account",
    "bank_account_name",
)
_TEXT_FIELDS = (
    "legal_name",
    "trading_name",
    "story",
    "town",
    "contact_name",
    "email",
    "phone",
    "website",
    "bank_account_name",
)
# Names that end up in spreadsheets (the bank file, statements): refused when they
# start with =, +, - or @ (docs/spreadsheets.md "Formulas in cells").
_NAME_FIELDS = ("legal_name", "trading_name", "bank_account_name")
_BOOL_FIELDS = ("gst_registered", "in_trade")
# What the audit log keeps of a member (files by name, the bank account masked).
_AUDITED_FIELDS = tuple(name for name in MEMBER_FIELDS if name != "logo")


# New Zealand, generously (the Kermadecs to Campbell Island, the Chathams across
# the 180° meridian).
NZ_LATITUDES = (Decimal(-53), Decimal(-29))
NZ_LONGITUDE_WEST_OF_180 = Decimal(165)
NZ_LONGITUDE_EAST_OF_180 = Decimal(-175)

_PHONE_CHARACTERS = frozenset("0123456789 +-()")


@dataclass(frozen=True)
class MemberDetails:
    """What ``member_create`` and ``member_update`` are given: any of
    ``MEMBER_FIELDS`` plus ``logo_clear``. A field left ``UNSET`` is not changed (on
    ``member_create``, left empty); values are checked as typed, so text may come
    as the person wrote it (a coordinate as "-41.5", a region as its code)."""

    legal_name: str | Unset | None = UNSET
    trading_name: str | Unset | None = UNSET
    nzbn: str | Unset | None = UNSET
    gst_registered: bool | Unset | None = UNSET  # None: refused (answer yes or no)
    gst_number: str | Unset | None = UNSET
    in_trade: bool | Unset | None = UNSET
    story: str | Unset | None = UNSET
    region: str | Region | Unset | None = UNSET  # an ISO 3166-2:NZ code
    town: str | Unset | None = UNSET
    latitude: Decimal | float | str | Unset | None = UNSET
    longitude: Decimal | float | str | Unset | None = UNSET
    contact_name: str | Unset | None = UNSET
    email: str | Unset | None = UNSET
    phone: str | Unset | None = UNSET
    website: str | Unset | None = UNSET
    logo: IO[bytes] | Unset | None = UNSET  # an uploaded file
    bank_account: str | Unset | None = UNSET  # "" removes it
    bank_account_name: str | Unset | None = UNSET
    logo_clear: bool = False  # remove the logo (when no new one is given)


# The fields of a ``MemberDetails`` that were given, by name.
_Sent = Mapping[str, Any]


def member_search_text(member: Member) -> str:
    """The folded text a member is found by: names, story, town and region."""
    parts = [
        member.legal_name,
        member.trading_name,
        member.story,
        member.town,
    ]
    if member.region is not None:
        parts += [
            member.region.name_en,
            member.region.name_mi,
            member.region.other_names,
        ]
    return fold(" ".join(part for part in parts if part))


def member_maker_text(member: Member) -> MakerText:
    """What the member's products are found by besides their own text, as the
    search app takes it: its names, its story (the search app keeps its keywords)
    and its town and region (needs ``member.region`` loaded, or costs a query)."""
    region = member.region
    return MakerText(
        member_id=member.pk,
        names=(member.trading_name, member.legal_name),
        story=member.story,
        place=(
            member.town,
            *((region.name_en, region.name_mi, region.other_names) if region else ()),
        ),
    )


def member_slug_suggest(name: str, *, exclude_pk: int | None = None) -> str:
    """A free web address name made from ``name`` ("Te Whare Toi" → te-whare-toi)."""
    base = slugify(fold(name))[: SLUG_MAX_LENGTH - 4].strip("-") or "member"
    if base in RESERVED_SLUGS:
        base = f"{base}-business"
    existing = Member.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    taken = set(existing.values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def member_is_ready_to_trade(member: Member) -> bool:
    """True when the member may be approved into a cluster: it declared it is in
    trade (the Fair Trading Act disclosure shown on its pages)."""
    return not member_not_ready_reasons(member)


def member_not_ready_reasons(member: Member) -> list[str]:
    """What a member must still do before a cluster can approve it (empty if none)."""
    reasons: list[str] = []
    if not member.in_trade:
        reasons.append(
            _("Declare that %(member)s sells in trade: tick “in trade” on its profile.")
            % {"member": member.name}
        )
    return reasons


def _audit_snapshot(member: Member) -> dict[str, Any]:
    values = snapshot(member, _AUDITED_FIELDS)
    values["region"] = member.region.code if member.region is not None else None
    values["logo"] = _file_name(member.logo)
    values["bank_account"] = bank_account_mask(member.bank_account)
    return values


# --- Reading the inputs ---------------------------------------------------------------


def _max_length(name: str) -> int | None:
    field = Member._meta.get_field(name)
    return getattr(field, "max_length", None)


def _apply_text(member: Member, data: _Sent, errors: dict[str, list[str]]) -> None:
    for name in _TEXT_FIELDS:
        if name not in data:
            continue
        value = _text(data[name])
        if name == "story":
            value = str(data[name] or "").strip()
            limit = MAX_STORY_LENGTH
        else:
            limit = _max_length(name) or 0
        if limit and len(value) > limit:
            _add(
                errors,
                name,
                _("Keep this to %(max)s characters (it has %(count)s).")
                % {"max": f"{limit:,}", "count": f"{len(value):,}"},
            )
            continue
        if name in _NAME_FIELDS and starts_like_formula(value):
            _add(errors, name, formula_start_message())
            continue
        setattr(member, name, value)


def _refusal(errors: dict[str, list[str]]) -> ValidationFailed:
    """The refusal for ``errors``: its code is ``formula_start`` when the first error
    is a name that starts like a formula, ``invalid_member`` otherwise."""
    ordered = _ordered(errors, MEMBER_FIELDS)
    field, messages = next(iter(ordered.items()))
    formula = field in _NAME_FIELDS and messages[0] == formula_start_message()
    code = MemberErrorCode.FORMULA_START if formula else MemberErrorCode.INVALID_MEMBER
    return ValidationFailed(code, ordered)


def _apply_bools(member: Member, data: _Sent, errors: dict[str, list[str]]) -> None:
    for name in _BOOL_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if not isinstance(value, bool):
            _add(errors, name, _("Answer yes or no."))
            continue
        setattr(member, name, value)


def _apply_identifiers(
    member: Member, data: _Sent, errors: dict[str, list[str]]
) -> None:
    if "nzbn" in data:
        raw = _text(data["nzbn"])
        if not raw:
            member.nzbn = ""
        else:
            try:
                member.nzbn = nzbn_normalise(raw)
            except FormatError as exc:
                _add(errors, "nzbn", exc.message)
    if "gst_number" in data:
        raw = _text(data["gst_number"])
        if not raw:
            member.gst_number = ""
        elif not member.gst_registered:
            _add(
                errors,
                "gst_number",
                _(
                    "Only give a GST number if the business is registered for GST: "
                    "tick “registered for GST” or leave the number out."
                ),
            )
        else:
            try:
                member.gst_number = ird_number_normalise(raw)
            except FormatError as exc:
                _add(errors, "gst_number", exc.message)
    if not member.gst_registered:
        member.gst_number = ""  # a business not registered for GST has none
    elif not member.gst_number and "gst_number" not in errors:
        _add(
            errors,
            "gst_number",
            _(
                "Give the GST number (the IRD number the business is registered "
                "under), or untick “registered for GST”."
            ),
        )


def _apply_region(member: Member, data: _Sent, errors: dict[str, list[str]]) -> None:
    if "region" not in data:
        return
    value = data["region"]
    if value is None or value == "":
        member.region = None
    elif isinstance(value, Region):
        member.region = value
    else:
        code = _text(value).upper()
        region = Region.objects.filter(code=code).first()
        if region is None:
            _add(
                errors,
                "region",
                _(
                    "Unknown region code: %(code)s. Use an ISO 3166-2:NZ code such as "
                    "NZ-MBH."
                )
                % {"code": code},
            )
        else:
            member.region = region


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    number = Decimal(str(value).strip())
    if not number.is_finite():
        raise InvalidOperation
    return number.quantize(Decimal("0.000001"))


def _apply_coordinates(
    member: Member, data: _Sent, errors: dict[str, list[str]]
) -> None:
    for name in ("latitude", "longitude"):
        if name not in data:
            continue
        try:
            setattr(member, name, _decimal(data[name]))
        except (InvalidOperation, ValueError):
            _add(errors, name, _("Give a number in decimal degrees, e.g. -41.5139."))
    if "latitude" in errors or "longitude" in errors:
        return
    latitude, longitude = member.latitude, member.longitude
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        _add(errors, missing, _("Give both latitude and longitude, or neither."))
        return
    if latitude is None or longitude is None:
        return
    if not NZ_LATITUDES[0] <= latitude <= NZ_LATITUDES[1]:
        _add(
            errors,
            "latitude",
            _("That latitude is not in New Zealand (between -53 and -29)."),
        )
    if not (
        NZ_LONGITUDE_WEST_OF_180 <= longitude <= 180
        or -180 <= longitude <= NZ_LONGITUDE_EAST_OF_180
    ):
        _add(
            errors,
            "longitude",
            _(
                "That longitude is not in New Zealand (between 165 and 180, or -180 "
                "and -175)."
            ),
        )


def _check_contact(member: Member, data: _Sent, errors: dict[str, list[str]]) -> None:
    if "email" in data and member.email and "email" not in errors:
        try:
            validate_email(member.email)
        except ValidationError:
            _add(
                errors,
                "email",
                _("Enter a valid email address, like kiaora@example.nz."),
            )
    if "phone" in data and member.phone and "phone" not in errors:
        digits = sum(char.isdigit() for char in member.phone)
        if not set(member.phone) <= _PHONE_CHARACTERS or not 7 <= digits <= 15:
            _add(
                errors,
                "phone",
                _(
                    "Enter a phone number of 7 to 15 digits, like 03 578 0000 or "
                    "+64 3 578 0000."
                ),
            )
    if "website" in data and member.website and "website" not in errors:
        if "://" not in member.website:
            member.website = f"https://{member.website}"
        try:
            URLValidator(schemes=["http", "https"])(member.website)
        except ValidationError:
            _add(errors, "website", _("Enter a web address, like https://example.nz."))
        else:
            if len(member.website) > (_max_length("website") or 200):
                _add(errors, "website", _("This web address is too long."))


def _apply_bank_account(
    member: Member, data: _Sent, errors: dict[str, list[str]]
) -> None:
    if "bank_account" in data:
        raw = _text(data["bank_account"])
        if not raw:
            member.bank_account = ""
        else:
            try:
                member.bank_account = bank_account_normalise(raw)
            except FormatError as exc:
                _add(errors, "bank_account", exc.message)
    if (
        member.bank_account
        and not member.bank_account_name
        and "bank_account" not in errors
        and "bank_account_name" not in errors
    ):
        _add(
            errors,
            "bank_account_name",
            _("Give the name on the bank account, as the bank has it."),
        )


def _clean_logo(data: _Sent, errors: dict[str, list[str]]) -> Any:
    upload = data.get("logo")
    if not upload:
        return None
    try:
        return logo_clean(upload)
    except UploadRejected as exc:
        _add(errors, "logo", exc.message)
        return None


def _member_apply(member: Member, data: _Sent, errors: dict[str, list[str]]) -> None:
    """Set ``member``'s fields from ``data`` (only the keys present), noting errors."""
    _apply_text(member, data, errors)
    _apply_bools(member, data, errors)
    _apply_identifiers(member, data, errors)
    _apply_region(member, data, errors)
    _apply_coordinates(member, data, errors)
    _check_contact(member, data, errors)
    _apply_bank_account(member, data, errors)
    if not member.legal_name and "legal_name" not in errors:
        _add(errors, "legal_name", _("Give the business's legal name."))
    if member.nzbn and "nzbn" not in errors:
        taken = Member.objects.filter(nzbn=member.nzbn).exclude(pk=member.pk)
        if taken.exists():
            _add(
                errors,
                "nzbn",
                _(
                    "A business with this NZBN is already on Pūrei: ask its owner to "
                    "invite you."
                ),
            )


def _member_save(member: Member, logo: Any) -> None:
    member.story_html = render_story(member.story)
    member.search_text = member_search_text(member)
    if logo is not None:
        old = member.logo.name if member.logo else ""
        member.logo.save(str(logo.content.name), logo.content, save=False)
        _delete_file_on_commit(old)
        member.logo_renditions = renditions_refresh(
            member.logo.name or "", member.logo_renditions or []
        )
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        # Two people saving the same NZBN at once: the database's constraint wins.
        raise ValidationFailed(
            MemberErrorCode.INVALID_MEMBER,
            {"nzbn": [_("A business with this NZBN is already on Pūrei.")]},
        ) from exc
    # Its products are found by its names, story and place: at once.
    maker_changed(member_maker_text(member))


# --- Members ----------------------------------------------------------------------


@transaction.atomic
def member_create(*, actor: Actor, details: MemberDetails) -> Member:
    """Add a member business; the actor becomes its owner.

    ``details`` holds any of ``MEMBER_FIELDS`` (``legal_name`` is required;
    ``region`` an ISO 3166-2:NZ code or a Region; ``logo`` an uploaded file). The
    web address name (slug) is made from the trading or legal name.
    """
    _require_login(actor)
    assert actor.user is not None  # noqa: S101  # checked by _require_login
    data = fields_sent(details)
    member = Member()
    errors: dict[str, list[str]] = {}
    _member_apply(member, data, errors)
    logo = _clean_logo(data, errors)
    if errors:
        raise _refusal(errors)
    member.slug = member_slug_suggest(member.name)
    _member_save(member, logo)
    MemberRole.objects.create(
        user=actor.user, member=member, role=MemberRole.Role.OWNER
    )
    actor.forget_roles()
    audit_record(
        actor=actor,
        verb="member.created",
        target=member,
        member_id=member.pk,
        after=_audit_snapshot(member),
    )
    return member


def member_details_errors(
    member: Member, details: MemberDetails
) -> dict[str, list[str]]:
    """What ``member_update`` would refuse in ``details`` for ``member``, by field
    (empty when it would take them), without changing anything: for a form that
    shows every refusal beside its field before it saves (the admin)."""
    trial = copy.copy(member)
    errors: dict[str, list[str]] = {}
    data = fields_sent(details)
    _member_apply(trial, data, errors)
    _clean_logo(data, errors)
    return _ordered(errors, MEMBER_FIELDS)


@transaction.atomic
def member_update(*, actor: Actor, member: Member, details: MemberDetails) -> Member:
    """Change a member's profile: only the fields of ``details`` given change.

    Owners only (platform staff change a profile in the admin, through
    ``member_update_by_staff``). An empty ``bank_account`` removes it; ``logo_clear``
    (true) removes the logo. Raises ``ValidationFailed`` naming each field at fault,
    and changes nothing then. Audited (the bank account masked).
    """
    _require_owner(actor, member)
    return _member_update(actor, member, details)


@transaction.atomic
def member_update_by_staff(
    *, actor: Actor, member: Member, details: MemberDetails
) -> Member:
    """``member_update`` for platform staff, from the admin (their tool: the API and
    the member's screens leave staff read-only). Same checks, same audit row."""
    if not actor.is_platform_staff:
        raise NotPermitted(
            MemberErrorCode.NOT_OWNER, _("Only platform staff can change this here.")
        )
    return _member_update(actor, member, details)


def _member_update(actor: Actor, member: Member, details: MemberDetails) -> Member:
    data = fields_sent(details)
    locked = (
        Member.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=member.pk)
    )
    before = _audit_snapshot(locked)
    errors: dict[str, list[str]] = {}
    _member_apply(locked, data, errors)
    logo = _clean_logo(data, errors)
    if errors:
        raise _refusal(errors)
    if data.get("logo_clear") is True and logo is None and locked.logo:
        _delete_file_on_commit(locked.logo.name)
        locked.logo = None
        locked.logo_width = locked.logo_height = None
        locked.logo_renditions = renditions_refresh("", locked.logo_renditions or [])
    _member_save(locked, logo)
    # The shop shows the member's names and slug (cached by catalogue version);
    # its products' search text keeps the old names until they are next indexed.
    catalogue_changed_on_commit()
    audit_record(
        actor=actor,
        verb="member.updated",
        target=locked,
        member_id=locked.pk,
        before=before,
        after=_audit_snapshot(locked),
    )
    return locked

"""State changes of the clusters app: applications, their review, and clusters.

Each service is one transaction that names its actor; emails go out on commit.
The type rules (design.md §2) come from ``rules.type_rule_errors`` everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from purei.accounts.models import ClusterRole
from purei.accounts.services import invitation_create
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.csv_safe import formula_start_message, starts_like_formula
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.languages import language_code
from purei.search.shelf import cluster_changed

from .errors import ApplicationAlreadyDecided, ClusterErrorCode
from .finder import GRAPH
from .models import Cluster, ClusterApplication, ClusterType, Region
from .rules import type_rule_errors
from .search import cluster_search_text_refresh
from .tasks import application_declined_notify, application_received_notify

MIN_EXPECTED_MEMBERS = 1
MAX_EXPECTED_MEMBERS = 10_000
SLUG_MAX_LENGTH = 64

# The order fields are reported in (the form's order), so the first error is the
# first field a person meets.
APPLICATION_FORM_FIELDS = (
    "contact_name",
    "contact_email",
    "contact_phone",
    "lead_org_kind",
    "lead_org_name",
    "proposed_name_en",
    "proposed_name_mi",
    "cluster_type",
    "regions",
    "specialisation",
    "expected_members",
    "about",
)
APPLICATION_FIELDS = (*APPLICATION_FORM_FIELDS, "finder_answers")
APPLICATION_TEXT_FIELDS = tuple(
    name
    for name in APPLICATION_FIELDS
    if name not in {"regions", "expected_members", "finder_answers"}
)
FINDER_ANSWER_KEYS = GRAPH.keys  # the questions the finder asks
# Names refused when they start with =, +, - or @ (spreadsheets run those as
# formulas; docs/spreadsheets.md "Formulas in cells").
APPLICATION_NAME_FIELDS = ("lead_org_name", "proposed_name_en", "proposed_name_mi")
CLUSTER_NAME_FIELDS = ("name_en", "name_mi", "lead_org_name")


@dataclass(frozen=True)
class ApplicationInput:
    """A founding group's application as given. ``regions`` are Region rows or ISO
    3166-2:NZ codes ("NZ-WKO"); ``expected_members`` a whole number (or its text);
    ``finder_answers`` the finder's yes/no answers by question. Every field is
    checked by ``application_submit``, which names each one at fault."""

    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    lead_org_kind: str = ""
    lead_org_name: str = ""
    proposed_name_en: str = ""
    proposed_name_mi: str = ""
    cluster_type: str = ""
    regions: Iterable[Region | str] = ()
    specialisation: str = ""
    expected_members: int | str | None = None
    about: str = ""
    finder_answers: Mapping[str, bool] | None = None


def required_messages() -> dict[str, str]:
    """What to say when a required application field is empty (form and service)."""
    return {
        "contact_name": _("Tell us your name."),
        "contact_email": _("Give an email address: we'll send the decision there."),
        "lead_org_kind": _("Choose what kind of organisation leads the group."),
        "lead_org_name": _("Name the organisation that leads the group."),
        "proposed_name_en": _("Give the cluster a name in English."),
        "cluster_type": _("Choose the cluster type: traditional, virtual or local."),
    }


def _require_platform_staff(actor: Actor) -> None:
    if not actor.is_platform_staff:
        raise NotPermitted(
            ClusterErrorCode.NOT_PLATFORM_STAFF,
            _("Only Pūrei platform staff can do this."),
        )


def _ordered(
    errors: dict[str, list[str]], order: Iterable[str]
) -> dict[str, list[str]]:
    order = list(order)
    rank = {name: index for index, name in enumerate(order)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


def _add(errors: dict[str, list[str]], field: str, messages: Iterable[str]) -> None:
    errors.setdefault(field, []).extend(str(m) for m in messages)


def _formula_errors(
    values: Mapping[str, Any], fields: Iterable[str], errors: dict[str, list[str]]
) -> None:
    for field in fields:
        if field not in errors and starts_like_formula(str(values.get(field) or "")):
            _add(errors, field, [formula_start_message()])


def _refusal_code(errors: dict[str, list[str]], code: str) -> str:
    """``formula_start`` when the first error is a name starting like a formula."""
    _field, messages = next(iter(errors.items()))
    if messages[0] == formula_start_message():
        return ClusterErrorCode.FORMULA_START
    return code


def _regions_from(
    values: Iterable[Region | str] | None, errors: dict[str, list[str]]
) -> list[Region]:
    """Regions given as rows or ISO 3166-2:NZ codes ("NZ-WKO"), in table order."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    given = list(values)
    rows = [value for value in given if isinstance(value, Region)]
    codes = [
        str(value).strip().upper() for value in given if not isinstance(value, Region)
    ]
    found = {region.code: region for region in Region.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        _add(
            errors,
            "regions",
            [
                _(
                    "Unknown region code: %(codes)s. Use ISO 3166-2:NZ codes such "
                    "as NZ-WKO."
                )
                % {"codes": ", ".join(unknown)}
            ],
        )
    unique = {region.pk: region for region in [*rows, *found.values()]}
    return sorted(unique.values(), key=lambda region: (region.position, region.code))


def _expected_members_from(value: Any, errors: dict[str, list[str]]) -> int | None:
    message = _("Give a whole number of members between %(min)s and %(max)s.") % {
        "min": MIN_EXPECTED_MEMBERS,
        "max": f"{MAX_EXPECTED_MEMBERS:,}",
    }
    if value is None or value == "" or isinstance(value, bool):
        _add(errors, "expected_members", [message])
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        _add(errors, "expected_members", [message])
        return None
    if number != value and str(number) != str(value).strip():
        _add(errors, "expected_members", [message])
        return None
    if not MIN_EXPECTED_MEMBERS <= number <= MAX_EXPECTED_MEMBERS:
        _add(errors, "expected_members", [message])
        return None
    return number


def _finder_answers_from(value: Any, errors: dict[str, list[str]]) -> dict[str, bool]:
    if value is None or value == {}:
        return {}
    if (
        isinstance(value, Mapping)
        and set(value) <= set(FINDER_ANSWER_KEYS)
        and all(isinstance(answer, bool) for answer in value.values())
    ):
        return {key: value[key] for key in FINDER_ANSWER_KEYS if key in value}
    _add(
        errors,
        "finder_answers",
        [
            _(
                "The finder's answers are yes/no values: shared_place, "
                "shared_specialisation."
            )
        ],
    )
    return {}


def _model_errors(
    instance: Cluster | ClusterApplication,
    errors: dict[str, list[str]],
    exclude: Iterable[str],
) -> None:
    """Run the model's own field checks (lengths, email, choices) where still clean."""
    try:
        instance.full_clean(exclude=[*exclude, *errors], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            _add(errors, field, messages)


@transaction.atomic
def application_submit(
    *, actor: Actor, details: ApplicationInput, language: str | None = None
) -> ClusterApplication:
    """Record a founding group's application to form a cluster (see
    ``ApplicationInput``). Anyone may apply; a logged-in applicant is remembered.
    ``language`` is the one they applied in: its emails go out in it. On commit,
    the contact is emailed a receipt saying what happens next.
    Raises ValidationFailed naming each field.
    """
    errors: dict[str, list[str]] = {}
    text = {
        name: str(getattr(details, name) or "").strip()
        for name in APPLICATION_TEXT_FIELDS
    }
    text["contact_email"] = text["contact_email"].lower()
    for field, message in required_messages().items():
        if not text[field]:
            _add(errors, field, [message])
    _formula_errors(text, APPLICATION_NAME_FIELDS, errors)
    regions = _regions_from(details.regions, errors)
    expected_members = _expected_members_from(details.expected_members, errors)
    finder_answers = _finder_answers_from(details.finder_answers, errors)
    if text["cluster_type"] in ClusterType.values:
        rule_errors = type_rule_errors(
            cluster_type=text["cluster_type"],
            region_count=len(regions),
            specialisation=text["specialisation"],
        )
        for field, messages in rule_errors.items():
            if field not in errors:
                _add(errors, field, messages)
    application = ClusterApplication(
        **text,
        expected_members=expected_members or MIN_EXPECTED_MEMBERS,
        finder_answers=finder_answers,
        applicant=actor.user if actor.is_authenticated else None,
        language=language_code(language),
    )
    _model_errors(
        application,
        errors,
        exclude=["applicant", "decided_by", "cluster", "finder_answers"],
    )
    if errors:
        ordered = _ordered(errors, APPLICATION_FIELDS)
        raise ValidationFailed(
            _refusal_code(ordered, ClusterErrorCode.INVALID_APPLICATION), ordered
        )
    application.save()
    application.regions.set(regions)
    transaction.on_commit(
        partial(application_received_notify.enqueue, application_id=application.pk)
    )
    return application


def _require_pending(application: ClusterApplication) -> None:
    if application.status != ClusterApplication.Status.PENDING:
        raise ApplicationAlreadyDecided(
            ClusterErrorCode.APPLICATION_NOT_PENDING,
            _("This application was already %(status)s: nothing more to decide.")
            % {"status": application.get_status_display().lower()},
        )


def _slug_errors(slug: str) -> list[str]:
    if not slug or slugify(slug) != slug or len(slug) > SLUG_MAX_LENGTH:
        return [
            _(
                "Use lower-case letters, numbers and hyphens only (at most "
                "%(max)s), e.g. kaipara-kumara."
            )
            % {"max": SLUG_MAX_LENGTH}
        ]
    if Cluster.objects.filter(slug=slug).exists():
        return [_("Another cluster already uses “%(slug)s”.") % {"slug": slug}]
    return []


def cluster_slug_suggest(name: str) -> str:
    """A free web address name from ``name`` ("Kaipara Kūmara" → kaipara-kumara)."""
    base = slugify(name)[:SLUG_MAX_LENGTH].strip("-") or "cluster"
    taken = set(
        Cluster.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
    return candidate


def _cluster_save(
    *, fields: dict[str, Any], regions: list[Region], slug: str | None, code: str
) -> Cluster:
    """Validate and save a new cluster (type rules, model checks, a free slug)."""
    errors: dict[str, list[str]] = {}
    if slug is not None:
        slug = slug.strip().lower()
        if slug_errors := _slug_errors(slug):
            _add(errors, "slug", slug_errors)
    _formula_errors(fields, CLUSTER_NAME_FIELDS, errors)
    rule_errors = type_rule_errors(
        cluster_type=str(fields.get("type", "")),
        region_count=len(regions),
        specialisation=str(fields.get("specialisation", "")),
    )
    for field, messages in rule_errors.items():
        _add(errors, field, messages)
    cluster = Cluster(slug=slug or "placeholder", **fields)
    _model_errors(cluster, errors, exclude=["search_text"])
    if errors:
        first_code = (
            ClusterErrorCode.SLUG_TAKEN
            if "slug" in errors
            else _refusal_code(errors, code)
        )
        raise ValidationFailed(first_code, errors)
    cluster_search_text_refresh(cluster)
    for _attempt in range(5):
        cluster.slug = slug or cluster_slug_suggest(cluster.name_en)
        try:
            with transaction.atomic():
                cluster.save()
            break
        except IntegrityError:
            if slug is not None:  # somebody took it a moment ago
                raise ValidationFailed(
                    ClusterErrorCode.SLUG_TAKEN, {"slug": _slug_errors(slug)}
                ) from None
            cluster.pk = None
    else:  # pragma: no cover - five collisions in a row
        raise DomainError(ClusterErrorCode.SLUG_TAKEN, _("Try again."), field="slug")
    cluster.regions.set(regions)
    # Whether its shop is open: told to the search app explicitly (it sits below).
    cluster_changed(
        cluster_id=cluster.pk,
        live=cluster.status == Cluster.Status.LIVE,
        names=(cluster.name_en, cluster.name_mi),
    )
    return cluster


@transaction.atomic
def cluster_create(
    *,
    actor: Actor,
    name_en: str,
    type: str,
    lead_org_kind: str,
    lead_org_name: str,
    regions: Iterable[Region | str] = (),
    specialisation: str = "",
    name_mi: str = "",
    tagline: str = "",
    story: str = "",
    slug: str | None = None,
    status: str = Cluster.Status.LIVE,
) -> Cluster:
    """Create a cluster directly (platform staff), enforcing the type rules.

    ``regions`` are Region rows or ISO codes; ``slug`` defaults to one made from the
    English name. Raises ValidationFailed naming each field at fault.
    """
    _require_platform_staff(actor)
    errors: dict[str, list[str]] = {}
    region_rows = _regions_from(regions, errors)
    if errors:
        raise ValidationFailed(ClusterErrorCode.INVALID_CLUSTER, errors)
    fields = {
        "name_en": name_en.strip(),
        "name_mi": name_mi.strip(),
        "type": type,
        "lead_org_kind": lead_org_kind,
        "lead_org_name": lead_org_name.strip(),
        "specialisation": specialisation.strip(),
        "tagline": tagline.strip(),
        "story": story.strip(),
        "status": status,
    }
    cluster = _cluster_save(
        fields=fields,
        regions=region_rows,
        slug=slug,
        code=ClusterErrorCode.INVALID_CLUSTER,
    )
    audit_record(
        actor=actor,
        verb="cluster.created",
        target=cluster,
        cluster_id=cluster.pk,
        after={**fields, "slug": cluster.slug},
    )
    return cluster


@transaction.atomic
def application_approve(
    *, actor: Actor, application: ClusterApplication, slug: str | None = None
) -> Cluster:
    """Approve a pending application: create its live cluster, invite its admin.

    The applicant's email is invited as the cluster's admin (a signed, expiring
    link, emailed on commit). ``slug`` overrides the web address made from the name.
    """
    _require_platform_staff(actor)
    locked = ClusterApplication.objects.select_for_update().get(pk=application.pk)
    _require_pending(locked)
    cluster = _cluster_save(
        fields={
            "name_en": locked.proposed_name_en,
            "name_mi": locked.proposed_name_mi,
            "type": locked.cluster_type,
            "lead_org_kind": locked.lead_org_kind,
            "lead_org_name": locked.lead_org_name,
            "specialisation": locked.specialisation,
            "story": locked.about,
            "status": Cluster.Status.LIVE,
            "contact_email": locked.contact_email,
        },
        regions=list(locked.regions.order_by("position")),
        slug=slug or None,
        code=ClusterErrorCode.INVALID_APPLICATION,
    )
    locked.status = ClusterApplication.Status.APPROVED
    locked.decided_by = actor.user
    locked.decided_at = timezone.now()
    locked.cluster = cluster
    locked.save(
        update_fields=["status", "decided_by", "decided_at", "cluster", "updated_at"]
    )
    audit_record(
        actor=actor,
        verb="cluster_application.approved",
        target=locked,
        cluster_id=cluster.pk,
        before={"status": ClusterApplication.Status.PENDING},
        after={"status": locked.status, "cluster": cluster.slug},
    )
    invitation_create(
        actor=actor,
        cluster=cluster,
        email=locked.contact_email,
        role=ClusterRole.Role.ADMIN,
    )
    _copy_decision(locked, application)
    return cluster


@transaction.atomic
def application_decline(
    *, actor: Actor, application: ClusterApplication, reason: str
) -> ClusterApplication:
    """Decline a pending application; the reason is required and emailed to them."""
    _require_platform_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            ClusterErrorCode.REASON_REQUIRED,
            {
                "reason": [
                    _(
                        "Say why the application is declined: the group will "
                        "read it and may apply again."
                    )
                ]
            },
        )
    locked = ClusterApplication.objects.select_for_update().get(pk=application.pk)
    _require_pending(locked)
    locked.status = ClusterApplication.Status.DECLINED
    locked.decline_reason = reason
    locked.decided_by = actor.user
    locked.decided_at = timezone.now()
    locked.save(
        update_fields=[
            "status",
            "decline_reason",
            "decided_by",
            "decided_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        verb="cluster_application.declined",
        target=locked,
        before={"status": ClusterApplication.Status.PENDING},
        after={"status": locked.status, "reason": reason},
    )
    transaction.on_commit(
        partial(application_declined_notify.enqueue, application_id=locked.pk)
    )
    _copy_decision(locked, application)
    return application


def _copy_decision(source: ClusterApplication, target: ClusterApplication) -> None:
    for name in ("status", "decided_by", "decided_at", "decline_reason", "cluster"):
        setattr(target, name, getattr(source, name))

"""Credentials: the licences, registrations and marks a member holds, kept by its
owners and verified by the admins of the clusters it is approved in."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.images import UploadRejected, evidence_clean
from purei.core.inputs import UNSET, Unset, fields_sent
from purei.members.errors import MemberErrorCode
from purei.members.models import Credential, Member, Membership
from purei.search.cache import catalogue_changed_on_commit

from ._common import (
    _add,
    _delete_file_on_commit,
    _file_name,
    _ordered,
    _require_owner,
    _text,
)

CREDENTIAL_FIELDS = ("kind", "name", "issuer", "number", "expires_on", "evidence")
# Changing any of these facts sends a verified credential back for verification.
_VERIFIED_FACTS = ("kind", "name", "issuer", "number", "expires_on", "evidence")
_CREDENTIAL_AUDITED = (
    "kind",
    "name",
    "issuer",
    "number",
    "expires_on",
    "verification",
    "verification_note",
)


@dataclass(frozen=True)
class CredentialInput:
    """What ``credential_add`` and ``credential_update`` are given: any of
    ``CREDENTIAL_FIELDS`` plus ``evidence_clear``. A field left ``UNSET`` is not
    changed (``kind`` is required to add one); values are checked as typed."""

    kind: str | Unset | None = UNSET  # a ``Credential.Kind`` value
    name: str | Unset | None = UNSET  # for “other”
    issuer: str | Unset | None = UNSET
    number: str | Unset | None = UNSET
    expires_on: datetime.date | str | Unset | None = UNSET  # or YYYY-MM-DD
    evidence: IO[bytes] | Unset | None = UNSET  # PDF, JPEG or PNG, ≤ 10 MB
    evidence_clear: bool = False  # remove the evidence (when none is given)


def _credential_apply(
    credential: Credential,
    data: Mapping[str, Any],  # the fields of a CredentialInput that were given
    errors: dict[str, list[str]],
) -> Any:
    """Set the credential's fields from ``data``; return a cleaned evidence file."""
    if "kind" in data:
        kind = _text(data["kind"])
        if kind not in Credential.Kind.values:
            _add(errors, "kind", _("Choose what kind of credential this is."))
        else:
            credential.kind = kind
    for name, limit in (("name", 120), ("issuer", 160), ("number", 64)):
        if name not in data:
            continue
        value = _text(data[name])
        if len(value) > limit:
            _add(errors, name, _("Keep this to %(max)s characters.") % {"max": limit})
        else:
            setattr(credential, name, value)
    if "expires_on" in data:
        value = data["expires_on"]
        if value in (None, ""):
            credential.expires_on = None
        else:
            try:
                day = _date(value)
            except ValueError:
                _add(errors, "expires_on", _("Give the date as YYYY-MM-DD."))
            else:
                credential.expires_on = day
    if (
        credential.kind == Credential.Kind.OTHER
        and not credential.name
        and "name" not in errors
    ):
        _add(errors, "name", _("Say what this credential is."))
    if not credential.issuer and "issuer" not in errors:
        _add(
            errors,
            "issuer",
            _("Say who issued it, e.g. “Marlborough District Council”."),
        )
    if not credential.number and "number" not in errors:
        _add(errors, "number", _("Give its number, as printed on it."))
    if (
        "expires_on" in data
        and credential.expires_on is not None
        and credential.expires_on < timezone.localdate()
    ):
        _add(
            errors,
            "expires_on",
            _("This date has passed: add a credential that is still current."),
        )
    evidence = None
    upload = data.get("evidence")
    if upload:
        try:
            evidence = evidence_clean(upload)
        except UploadRejected as exc:
            _add(errors, "evidence", exc.message)
    return evidence


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(_text(value))


def _credential_snapshot(credential: Credential) -> dict[str, Any]:
    values = snapshot(credential, _CREDENTIAL_AUDITED)
    values["evidence"] = _file_name(credential.evidence)
    return values


@transaction.atomic
def credential_add(
    *, actor: Actor, member: Member, details: CredentialInput
) -> Credential:
    """Record a licence, registration or mark the member holds (owners only).

    ``details``: ``kind``, ``name`` (for “other”), ``issuer``, ``number``,
    ``expires_on`` (date or YYYY-MM-DD), ``evidence`` (PDF, JPEG or PNG, ≤ 10 MB).
    It waits for a cluster admin's verification.
    """
    _require_owner(actor, member)
    data = fields_sent(details)
    credential = Credential(member=member)
    errors: dict[str, list[str]] = {}
    if "kind" not in data:
        _add(errors, "kind", _("Choose what kind of credential this is."))
    evidence = _credential_apply(credential, data, errors)
    if errors:
        raise ValidationFailed(
            MemberErrorCode.INVALID_CREDENTIAL, _ordered(errors, CREDENTIAL_FIELDS)
        )
    if evidence is not None:
        credential.evidence.save(
            str(evidence.content.name), evidence.content, save=False
        )
    credential.save()
    catalogue_changed_on_commit()  # shop filters and facets count credentials
    audit_record(
        actor=actor,
        verb="credential.added",
        target=credential,
        member_id=member.pk,
        after=_credential_snapshot(credential),
    )
    return credential


@transaction.atomic
def credential_update(
    *, actor: Actor, credential: Credential, details: CredentialInput
) -> Credential:
    """Change a credential (owners only): only the fields of ``details`` given
    change. Changing what was verified — its kind, issuer, number, expiry or
    evidence — sends it back for verification."""
    _require_owner(actor, credential.member)
    data = fields_sent(details)
    locked = Credential.objects.select_for_update().get(pk=credential.pk)
    before = _credential_snapshot(locked)
    facts_before = _credential_snapshot(locked)
    errors: dict[str, list[str]] = {}
    evidence = _credential_apply(locked, data, errors)
    if errors:
        raise ValidationFailed(
            MemberErrorCode.INVALID_CREDENTIAL, _ordered(errors, CREDENTIAL_FIELDS)
        )
    if evidence is not None:
        _delete_file_on_commit(locked.evidence.name, locked.evidence.storage)
        locked.evidence.save(str(evidence.content.name), evidence.content, save=False)
    elif data.get("evidence_clear") is True and locked.evidence:
        _delete_file_on_commit(locked.evidence.name, locked.evidence.storage)
        locked.evidence = None
    facts_after = _credential_snapshot(locked)
    if any(facts_after[name] != facts_before[name] for name in _VERIFIED_FACTS):
        locked.verification = Credential.Verification.PENDING
        locked.verified_by = None
        locked.verified_in = None
        locked.verified_at = None
        locked.verification_note = ""
    locked.save()
    catalogue_changed_on_commit()  # shop filters and facets count credentials
    audit_record(
        actor=actor,
        verb="credential.updated",
        target=locked,
        member_id=locked.member_id,
        before=before,
        after=_credential_snapshot(locked),
    )
    return locked


@transaction.atomic
def credential_remove(*, actor: Actor, credential: Credential) -> None:
    """Remove a credential and its evidence file (owners only)."""
    _require_owner(actor, credential.member)
    catalogue_changed_on_commit()  # shop filters and facets count credentials
    audit_record(
        actor=actor,
        verb="credential.removed",
        target=credential,
        member_id=credential.member_id,
        before=_credential_snapshot(credential),
    )
    _delete_file_on_commit(
        credential.evidence.name if credential.evidence else "",
        credential.evidence.storage,
    )
    credential.delete()


@transaction.atomic
def credential_verify(
    *,
    actor: Actor,
    credential: Credential,
    cluster: Cluster,
    verified: bool,
    note: str = "",
) -> Credential:
    """A cluster admin's decision on a member's credential: verified or not.

    Only admins of ``cluster``, and only while the member is approved in it. Saying
    it is not verified needs a note telling the member why. An expired credential
    cannot be verified.
    """
    if not actor.is_cluster_admin(cluster.pk):
        raise NotPermitted(
            MemberErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the admins of %(cluster)s can verify credentials there.")
            % {"cluster": cluster.name_en},
        )
    approved = Membership.objects.filter(
        member_id=credential.member_id,
        cluster=cluster,
        status=Membership.Status.APPROVED,
    ).exists()
    if not approved:
        raise NotPermitted(
            MemberErrorCode.NOT_APPROVED_IN_CLUSTER,
            _("This business is not an approved member of %(cluster)s.")
            % {"cluster": cluster.name_en},
        )
    locked = Credential.objects.select_for_update().get(pk=credential.pk)
    note = _text(note)
    errors: dict[str, list[str]] = {}
    if len(note) > 300:
        _add(errors, "note", _("Keep the note to 300 characters."))
    if not verified and not note:
        _add(errors, "note", _("Tell the member why it cannot be verified."))
    if (
        verified
        and locked.expires_on is not None
        and locked.expires_on < timezone.localdate()
    ):
        _add(
            errors,
            "verified",
            _("This credential expired on %(date)s: it cannot be verified.")
            % {"date": locked.expires_on.isoformat()},
        )
    if errors:
        raise ValidationFailed(MemberErrorCode.INVALID_VERIFICATION, errors)
    before = _credential_snapshot(locked)
    locked.verification = (
        Credential.Verification.VERIFIED
        if verified
        else Credential.Verification.REJECTED
    )
    locked.verified_by = actor.user
    locked.verified_in = cluster
    locked.verified_at = timezone.now()
    locked.verification_note = note
    locked.save(
        update_fields=[
            "verification",
            "verified_by",
            "verified_in",
            "verified_at",
            "verification_note",
            "updated_at",
        ]
    )
    catalogue_changed_on_commit()  # shop filters and facets count credentials
    audit_record(
        actor=actor,
        verb="credential.verified" if verified else "credential.rejected",
        target=locked,
        cluster_id=cluster.pk,
        member_id=locked.member_id,
        before=before,
        after=_credential_snapshot(locked),
    )
    return locked

"""The shared library: a cluster's admins add files and links, each change a new
version (the old ones kept), each entry for all members or admins only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from purei.cooperation.errors import CooperationErrorCode
from purei.cooperation.models import Resource, ResourceVersion
from purei.cooperation.selectors import Access
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted
from purei.core.images import UploadRejected, evidence_clean

from .common import add_error, raise_if, text


@dataclass(frozen=True)
class ResourceInput:
    title: str = ""
    description: str = ""
    kind: str = ""  # file or link
    visibility: str = Resource.Visibility.MEMBERS
    url: str = ""
    file: IO[bytes] | None = None
    note: str = ""


@dataclass(frozen=True)
class VersionInput:
    url: str = ""
    file: IO[bytes] | None = None
    note: str = ""


def _require_admin(access: Access) -> None:
    if not access.is_admin:
        raise NotPermitted(
            CooperationErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the cluster's admins change the shared library."),
        )


def _content(
    kind: str, url: Any, upload: IO[bytes] | None, errors: dict[str, list[str]]
) -> tuple[str, Any]:
    if kind == Resource.Kind.LINK:
        link = text(url)
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            add_error(errors, "url", _("Give the link's full address, https://…"))
        return link, None
    if upload is None:
        add_error(errors, "file", _("Choose the file to share."))
        return "", None
    try:
        return "", evidence_clean(upload)
    except UploadRejected as exc:
        add_error(errors, "file", exc.message)
        return "", None


def _version(
    actor: Actor, resource: Resource, number: int, link: str, clean: Any, note: str
) -> ResourceVersion:
    version = ResourceVersion(
        resource=resource,
        number=number,
        url=link,
        note=note[:300],
        created_by=actor.user,
        content_type=clean.content_type if clean else "",
    )
    if clean is not None:
        version.file.save(str(clean.content.name), clean.content, save=False)
    version.save()
    return version


@transaction.atomic
def resource_create(
    *, actor: Actor, access: Access, details: ResourceInput
) -> Resource:
    _require_admin(access)
    errors: dict[str, list[str]] = {}
    title = text(details.title)
    if not title:
        add_error(errors, "title", _("Give it a title."))
    if details.kind not in Resource.Kind.values:
        add_error(errors, "kind", _("Choose a file or a link."))
    if details.visibility not in Resource.Visibility.values:
        add_error(errors, "visibility", _("Choose who may see it."))
    link, clean = "", None
    if details.kind in Resource.Kind.values:
        link, clean = _content(details.kind, details.url, details.file, errors)
    raise_if(errors, CooperationErrorCode.INVALID_RESOURCE)
    resource = Resource.objects.create(
        cluster=access.cluster,
        title=title[:160],
        description=text(details.description),
        kind=details.kind,
        visibility=details.visibility,
        created_by=actor.user,
    )
    _version(actor, resource, 1, link, clean, text(details.note))
    audit_record(
        actor=actor,
        verb="resource.added",
        target=resource,
        cluster_id=access.cluster.pk,
        after={"title": resource.title, "visibility": resource.visibility},
    )
    return resource


@transaction.atomic
def resource_version_add(
    *, actor: Actor, access: Access, resource: Resource, details: VersionInput
) -> ResourceVersion:
    """A new version of a file or link; the earlier ones stay in its history."""
    _require_admin(access)
    errors: dict[str, list[str]] = {}
    link, clean = _content(resource.kind, details.url, details.file, errors)
    raise_if(errors, CooperationErrorCode.INVALID_RESOURCE)
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    last = locked.versions.aggregate(n=Max("number"))["n"] or 0
    version = _version(actor, locked, last + 1, link, clean, text(details.note))
    audit_record(
        actor=actor,
        verb="resource.versioned",
        target=locked,
        cluster_id=access.cluster.pk,
        after={"version": version.number},
    )
    return version


@transaction.atomic
def resource_visibility_set(
    *, actor: Actor, access: Access, resource: Resource, visibility: str
) -> Resource:
    _require_admin(access)
    if visibility not in Resource.Visibility.values:
        raise_if(
            {"visibility": [_("Choose who may see it.")]},
            CooperationErrorCode.INVALID_RESOURCE,
        )
    before = {"visibility": resource.visibility}
    resource.visibility = visibility
    resource.save(update_fields=["visibility", "updated_at"])
    audit_record(
        actor=actor,
        verb="resource.visibility_set",
        target=resource,
        cluster_id=access.cluster.pk,
        before=before,
        after={"visibility": visibility},
    )
    return resource

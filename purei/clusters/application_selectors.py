"""Reads of cluster applications: staff's review queue, the applicant's receipt.

(Kept apart from ``selectors.py``, the directory's reads, while both are young.)
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed

from .errors import ClusterErrorCode
from .models import ClusterApplication


def _require_platform_staff(actor: Actor) -> None:
    if not actor.is_platform_staff:
        raise NotPermitted(
            ClusterErrorCode.NOT_PLATFORM_STAFF,
            _("Only Pūrei platform staff can review cluster applications."),
        )


def application_status_errors(status: str | None) -> dict[str, list[str]]:
    if status and status not in ClusterApplication.Status.values:
        return {
            "status": [
                _("Unknown status: use %(choices)s.")
                % {"choices": ", ".join(ClusterApplication.Status.values)}
            ]
        }
    return {}


def application_list_for_review(
    *, actor: Actor, status: str | None = None
) -> QuerySet[ClusterApplication]:
    """The review queue: pending first (oldest first), then decided (latest first)."""
    _require_platform_staff(actor)
    if errors := application_status_errors(status):
        raise ValidationFailed(ClusterErrorCode.INVALID_APPLICATION, errors)
    applications = (
        ClusterApplication.objects.select_related("cluster", "decided_by")
        .prefetch_related("regions")
        .annotate(
            pending_first=Case(
                When(status=ClusterApplication.Status.PENDING, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-decided_at", "created_at", "pk")
    )
    if status:
        applications = applications.filter(status=status)
    return applications


def application_get_for_review(
    *, actor: Actor, application_id: int
) -> ClusterApplication:
    """One application with everything staff need to decide it (404 if none)."""
    _require_platform_staff(actor)
    applications = ClusterApplication.objects.select_related(
        "cluster", "decided_by", "applicant"
    ).prefetch_related("regions")
    return get_object_or_404(applications, pk=application_id)


def application_get_submitted(
    *, application_id: int, submitted_ids: list[int]
) -> ClusterApplication:
    """An application this browser session submitted (404 for anyone else's)."""
    if application_id not in submitted_ids:
        raise Http404(_("No such application."))
    return get_object_or_404(
        ClusterApplication.objects.prefetch_related("regions"), pk=application_id
    )

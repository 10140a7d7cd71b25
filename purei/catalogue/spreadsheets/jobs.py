"""Long imports run as a background task; an :class:`ImportJob` row says how far
it has got, for the progress page."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.http import Http404
from django.tasks import task
from django.utils.translation import gettext as _

from purei.catalogue.models import ImportJob
from purei.catalogue.services._common import require_team
from purei.core.actor import Actor
from purei.members.models import Member

from .importer import ImportResult, products_import


def import_job_start(
    *, actor: Actor, member: Member, data: bytes, fmt: str | None, dry_run: bool
) -> ImportJob:
    """Keep the file on a new job and queue the import (after the commit)."""
    job = ImportJob.objects.create(
        member=member,
        user=actor.user if actor.is_authenticated else None,
        format=fmt or "",
        dry_run=dry_run,
        data=data,
    )
    transaction.on_commit(partial(products_import_run.enqueue, job_id=job.pk))
    return job


def _progress(job_id: int, done: int, total: int, *, importing: bool = False) -> None:
    status = ImportJob.Status.IMPORTING if importing else ImportJob.Status.VALIDATING
    ImportJob.objects.filter(pk=job_id).update(
        status=status, rows_done=done, rows_total=total
    )


@task
def products_import_run(*, job_id: int) -> str:
    """Run one queued import; the job ends done (imported or checked) or failed."""
    job = ImportJob.objects.select_related("member", "user").filter(pk=job_id).first()
    if job is None or job.status != ImportJob.Status.QUEUED:
        return "skipped"
    actor = Actor(user=job.user)
    try:
        result = products_import(
            actor=actor,
            member=job.member,
            data=bytes(job.data),
            fmt=job.format or None,
            dry_run=job.dry_run,
            progress=partial(_progress, job.pk),
        )
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, data=b""
        )
        raise
    status = ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        rows_total=result.rows,
        rows_done=result.rows,
        report=result.as_dict(),
        data=b"",
    )
    return str(status)


def import_job_result(job: ImportJob) -> ImportResult | None:
    return ImportResult.from_dict(job.report) if job.finished else None


def import_job_get_for_team(*, actor: Actor, member: Member, job_id: int) -> ImportJob:
    """One of ``member``'s imports, for its team (``Http404`` for anything else)."""
    require_team(actor, member)
    job = ImportJob.objects.filter(pk=job_id, member=member).first()
    if job is None:
        raise Http404(_("No such import."))
    return job

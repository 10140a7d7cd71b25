"""Long imports run as a background task; an :class:`ImportJob` row says how far
it has got, for the progress page.

A file refused only because it names categories that are not Pūrei's is kept on
its job (``import_job_keep`` for one checked in the request, the task for a long
one), so its team can map each of them to one of Pūrei's and run it again
(``import_job_rerun``) without uploading it again. A job's file is emptied once it
is imported or refused for anything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from django.db import transaction
from django.http import Http404
from django.tasks import task
from django.utils.translation import gettext as _

from purei.accounts.models import User
from purei.catalogue.errors import CatalogueErrorCode
from purei.catalogue.models import ImportJob, Product
from purei.catalogue.selectors import category_lookup
from purei.catalogue.services._common import require_team
from purei.catalogue.services.photos import product_photo_import
from purei.core.actor import Actor
from purei.core.errors import DomainError
from purei.core.fetch import FetchFailed, fetch_public
from purei.core.images import MAX_UPLOAD_BYTES, UploadRejected
from purei.members.models import Member

from .importer import products_import
from .result import ImageFailure, ImportResult, category_map_resolve


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


def _mappable(result: ImportResult) -> bool:
    """Refused, but mapping its unknown categories may put it right."""
    return not result.ok and bool(result.unknown_categories)


@task
def products_import_run(
    *, job_id: int, category_map: dict[str, str] | None = None
) -> str:
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
            category_map=category_map,
        )
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, data=b""
        )
        raise
    status = ImportJob.Status.DONE if result.ok else ImportJob.Status.FAILED
    kept = {} if _mappable(result) else {"data": b""}
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        rows_total=result.rows,
        rows_done=result.rows,
        report=result.as_dict(),
        **kept,
    )
    import_images_queue(member=job.member, user=job.user, result=result, job=job)
    return str(status)


def import_images_queue(
    *,
    member: Member,
    user: User | None,
    result: ImportResult,
    job: ImportJob | None = None,
) -> ImportJob | None:
    """After an import that names pictures (Shopify's ``Image Src``, ``Variant
    Image``): keep its report on a job (``job``, whose report holds ``result``
    already, or a new finished one) and fetch them with a background task once
    the transaction commits. None when there is nothing to fetch."""
    if not result.ok or result.dry_run or not result.images:
        return None
    if job is None:
        job = ImportJob.objects.create(
            member=member,
            user=user,
            format=result.format,
            status=ImportJob.Status.DONE,
            rows_total=result.rows,
            rows_done=result.rows,
            report=result.as_dict(),
        )
    transaction.on_commit(partial(import_images_fetch.enqueue, job_id=job.pk))
    return job


MAX_URL_LENGTH = 2000  # ProductImage.source_url


@task
def import_images_fetch(*, job_id: int) -> str:
    """Download each picture the job's report still lists and add it to its
    product, checked as an upload is, with its renditions. A picture that cannot
    be fetched or used is listed in the report (row, column, address, why); its
    product stays as imported. The report is saved after each picture, so the
    progress page counts them and a run stopped halfway goes on where it was."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "skipped"
    result = ImportResult.from_dict(job.report)
    products = Product.objects.filter(
        member_id=job.member_id, pk__in=[image["product_id"] for image in result.images]
    ).in_bulk()
    while result.images:
        image = result.images[0]
        product = products.get(int(image["product_id"]))
        try:
            if product is None:
                raise FetchFailed("gone", _("The product is no longer there."))
            if len(str(image["url"])) > MAX_URL_LENGTH:
                raise FetchFailed(
                    "url_too_long",
                    _("The address is longer than %(max)s characters.")
                    % {"max": MAX_URL_LENGTH},
                )
            fetched = fetch_public(str(image["url"]), max_bytes=MAX_UPLOAD_BYTES)
            photo = product_photo_import(
                product=product,
                content=fetched.content,
                alt_text=str(image.get("alt", "")),
                source_url=str(image["url"]),
            )
        except (FetchFailed, UploadRejected) as exc:
            result.image_failures.append(
                ImageFailure(
                    int(image["row"]),
                    str(image["column"]),
                    str(image["url"]),
                    exc.message,
                )
            )
        else:
            if photo is None:
                result.images_skipped += 1
            else:
                result.images_added += 1
        result.images.pop(0)
        ImportJob.objects.filter(pk=job.pk).update(report=result.as_dict())
    return f"{result.images_added} added, {len(result.image_failures)} failed"


def import_job_keep(
    *,
    actor: Actor,
    member: Member,
    data: bytes,
    fmt: str | None,
    dry_run: bool,
    result: ImportResult,
) -> ImportJob | None:
    """Keep a file checked in the request on a finished job when mapping its
    unknown categories could import it (None otherwise: nothing to keep)."""
    require_team(actor, member)
    if not _mappable(result):
        return None
    return ImportJob.objects.create(
        member=member,
        user=actor.user if actor.is_authenticated else None,
        format=fmt or "",
        dry_run=dry_run,
        status=ImportJob.Status.FAILED,
        rows_total=result.rows,
        rows_done=result.rows,
        report=result.as_dict(),
        data=data,
    )


def import_job_can_rerun(job: ImportJob) -> bool:
    """The job was refused for unknown categories and still holds its file."""
    return job.status == ImportJob.Status.FAILED and bool(job.data)


def import_job_rerun(
    *,
    actor: Actor,
    member: Member,
    job: ImportJob,
    category_map: Mapping[str, str],
    now: bool,
) -> ImportJob:
    """Run a kept import again with its categories mapped to Pūrei's, as the
    actor: at once (``now``; a small file) or queued for the task. Refused with
    ``DomainError`` when the job holds no file to run, and with
    ``ValidationFailed`` (``category_map``) for a map to no category; the job is
    left as it was then."""
    require_team(actor, member)
    mapping = dict(category_map)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk, member=member)
        if not import_job_can_rerun(locked):
            raise DomainError(
                CatalogueErrorCode.IMPORT_NOT_RERUNNABLE,
                _("This import can't be run again: upload the file again."),
            )
        category_map_resolve(mapping, category_lookup())
        locked.status = ImportJob.Status.QUEUED
        locked.rows_done = 0
        locked.report = {}
        locked.user = actor.user if actor.is_authenticated else None
        locked.save(update_fields=["status", "rows_done", "report", "user"])
        if not now:
            transaction.on_commit(
                partial(
                    products_import_run.enqueue,
                    job_id=locked.pk,
                    category_map=mapping,
                )
            )
    if now:
        products_import_run.call(job_id=locked.pk, category_map=mapping)
        locked.refresh_from_db()
    return locked


def import_job_result(job: ImportJob) -> ImportResult | None:
    return ImportResult.from_dict(job.report) if job.finished else None


def import_job_get_for_team(*, actor: Actor, member: Member, job_id: int) -> ImportJob:
    """One of ``member``'s imports, for its team (``Http404`` for anything else)."""
    require_team(actor, member)
    job = ImportJob.objects.filter(pk=job_id, member=member).first()
    if job is None:
        raise Http404(_("No such import."))
    return job

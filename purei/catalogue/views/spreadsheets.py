"""Products in and out by spreadsheet: ``/manage/members/<slug>/products/import/``
and ``…/export/``. Only the business's team (owners and staff) may use them;
platform staff get a 403, anyone else a 404.

A small file is imported in the request; a longer one is kept on an ImportJob and
imported by a background task, while ``…/import/<job>/`` shows its progress (htmx
polls it every second; without JavaScript, a "Check again" link reloads it).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purei.catalogue.forms import CategoryMapForm
from purei.catalogue.models import ImportJob
from purei.catalogue.selectors import category_list
from purei.catalogue.spreadsheets import (
    FORMATS,
    PUREI,
    SHOPIFY,
    ImportResult,
    products_export,
    products_import,
)
from purei.catalogue.spreadsheets.jobs import (
    import_images_queue,
    import_job_can_rerun,
    import_job_get_for_team,
    import_job_keep,
    import_job_rerun,
    import_job_result,
    import_job_start,
)
from purei.core.downloads import private_download
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error

from .products import _member, _require_manage

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Files above this size (about 1,000 rows) are imported in the background.
INLINE_MAX_BYTES = 256 * 1024
FORMAT_CHOICES = [
    ("", gettext_lazy("Work it out from the columns")),
    (PUREI, gettext_lazy("Pūrei's own columns")),
    (SHOPIFY, gettext_lazy("Shopify product CSV")),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("A .csv file of at most 10 MB, saved as UTF-8."),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Columns"), choices=FORMAT_CHOICES, required=False
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Only check the file; import nothing"), required=False
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("Choose a .csv file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, member, context = _member(request, slug)
    _require_manage(context)
    status = 200
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            options = {
                "actor": actor,
                "member": member,
                "data": upload.read(),
                "fmt": form.cleaned_data["format"] or None,
                "dry_run": form.cleaned_data["dry_run"],
            }
            if upload.size > INLINE_MAX_BYTES:
                job = import_job_start(**options)
                return redirect(
                    "catalogue:products-import-status", slug=member.slug, job=job.pk
                )
            result = products_import(**options)
            pictures = import_images_queue(
                member=member, user=actor.user, result=result
            )
            if pictures is not None:
                return redirect(
                    "catalogue:products-import-status",
                    slug=member.slug,
                    job=pictures.pk,
                )
            context["result"] = result
            status = 200 if result.ok else 422
            kept = import_job_keep(**options, result=result)
            if kept is not None:
                context.update(_mapping(kept, result))
        else:
            status = 422
    context["form"] = form
    return render(request, "catalogue/manage/import.html", context, status=status)


@login_required
@require_GET
def export_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, member, _context = _member(request, slug)
    fmt = request.GET.get("format", PUREI)
    if fmt not in FORMATS:
        fmt = PUREI
    try:
        text = products_export(actor=actor, member=member, fmt=fmt)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    return private_download(
        text, "text/csv; charset=utf-8", f"{member.slug}-products-{fmt}.csv"
    )


@login_required
@require_GET
def import_status_view(request: HttpRequest, slug: str, job: int) -> HttpResponse:
    actor, member, context = _member(request, slug)
    _require_manage(context)
    found = import_job_get_for_team(actor=actor, member=member, job_id=job)
    context["job"] = found
    context["result"] = result = import_job_result(found)
    if result is not None:
        context.update(_mapping(found, result))
    return render(request, "catalogue/manage/import_status.html", context)


def _mapping(
    job: ImportJob, result: ImportResult, form: CategoryMapForm | None = None
) -> dict[str, object]:
    """The form mapping a refused file's unknown categories to Pūrei's, when its
    job can run it again."""
    if not (result.unknown_categories and import_job_can_rerun(job)):
        return {}
    return {
        "job": job,
        "map_form": form
        or CategoryMapForm(
            unknown=result.unknown_categories, categories=category_list()
        ),
    }


@login_required
@require_POST
def import_map_view(request: HttpRequest, slug: str, job: int) -> HttpResponse:
    """Run a refused import again with each unknown category mapped to one of
    Pūrei's (at once for a small file, else as a task), then show how it went."""
    actor, member, context = _member(request, slug)
    _require_manage(context)
    found = import_job_get_for_team(actor=actor, member=member, job_id=job)
    status_page = redirect(
        "catalogue:products-import-status", slug=member.slug, job=found.pk
    )
    result = import_job_result(found)
    if result is None or not _mapping(found, result):
        messages.error(
            request, _("This import can't be run again: upload the file again.")
        )
        return status_page
    form = CategoryMapForm(
        request.POST, unknown=result.unknown_categories, categories=category_list()
    )
    if form.is_valid():
        try:
            import_job_rerun(
                actor=actor,
                member=member,
                job=found,
                category_map=form.mapping(),
                now=len(found.data) <= INLINE_MAX_BYTES,
            )
        except ValidationFailed as exc:
            form_add_domain_error(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return status_page
        else:
            return status_page
    context.update(job=found, result=result)
    context.update(_mapping(found, result, form))
    return render(request, "catalogue/manage/import_status.html", context, status=422)

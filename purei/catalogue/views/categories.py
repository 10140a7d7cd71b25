"""Platform staff's category screens, beside the applications review:
``/staff/categories/`` (every category, its parent, key attributes and how many
products it has), ``…/new/`` and ``…/<slug>/`` (change, or remove one nothing uses).

Anyone logged in but platform staff gets 403; an anonymous visitor is sent to log
in. The views parse the forms and call one service each.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.catalogue.forms import (
    CategoryAttributeFormSet,
    CategoryForm,
    category_attribute_initial,
)
from purei.catalogue.models import Category
from purei.catalogue.selectors import (
    category_get_for_staff,
    category_list,
    category_list_for_staff,
    require_platform_staff,
)
from purei.catalogue.services import (
    CategoryAttribute,
    CategoryDetails,
    category_create,
    category_delete,
    category_update,
)
from purei.core.actor import Actor, actor_from
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error

ATTRIBUTES_PREFIX = "attributes"


def _staff(request: HttpRequest) -> Actor:
    actor = actor_from(request)
    try:
        require_platform_staff(actor)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    return actor


def _details(form: CategoryForm, formset: Any) -> tuple[CategoryDetails, list[Any]]:
    """The service's input from the valid forms, and the attribute rows in the
    order the service numbers them (``attributes.<n>.<field>``)."""
    rows = []
    attributes = []
    for row in formset.forms:
        data = row.cleaned_data
        if not data or data.get("DELETE"):
            continue
        if not (data.get("key") or data.get("label") or data.get("choices")):
            continue
        rows.append(row)
        attributes.append(
            CategoryAttribute(
                key=data["key"].strip(),
                label=data["label"].strip(),
                type=data["type"],
                choices=tuple(
                    line.strip()
                    for line in data["choices"].splitlines()
                    if line.strip()
                ),
                facet=data["facet"],
            )
        )
    cleaned = form.cleaned_data
    details = CategoryDetails(
        name_en=cleaned["name_en"],
        name_mi=cleaned["name_mi"],
        slug=cleaned["slug"].strip(),
        parent=cleaned["parent"],
        restricted_r18=cleaned["restricted_r18"],
        position=cleaned["position"],
        attributes=tuple(attributes),
    )
    return details, rows


def _refused(form: CategoryForm, rows: list[Any], exc: ValidationFailed) -> None:
    """The service's refusal onto the form and the attribute rows."""
    own: dict[str, list[str]] = {}
    for field, field_messages in exc.errors.items():
        parts = field.split(".")
        if parts[0] == "attributes" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(rows):
                for message in field_messages:
                    rows[index].add_error(parts[2], message)
                continue
        own[field] = field_messages
    if own:
        form_add_domain_error(form, ValidationFailed(exc.code, own))


def _render(
    request: HttpRequest,
    form: CategoryForm,
    formset: Any,
    category: Category | None,
    status: int,
) -> HttpResponse:
    row_errors = any(row.errors for row in formset.forms)
    return render(
        request,
        "catalogue/staff/category_form.html",
        {
            "form": form,
            "formset": formset,
            "category": category,
            "row_errors": row_errors or bool(formset.non_form_errors()),
        },
        status=status,
    )


@login_required
@require_GET
def category_list_view(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    categories = list(category_list_for_staff(actor=actor))
    return render(
        request,
        "catalogue/staff/category_list.html",
        {"categories": categories},
    )


def _others(category: Category | None) -> list[Category]:
    return [c for c in category_list() if category is None or c.pk != category.pk]


@login_required
@require_http_methods(["GET", "POST"])
def category_create_view(request: HttpRequest) -> HttpResponse:
    actor = _staff(request)
    categories = _others(None)
    if request.method == "GET":
        form = CategoryForm(categories=categories)
        formset = CategoryAttributeFormSet(prefix=ATTRIBUTES_PREFIX)
        return _render(request, form, formset, None, 200)
    form = CategoryForm(request.POST, categories=categories)
    formset = CategoryAttributeFormSet(request.POST, prefix=ATTRIBUTES_PREFIX)
    if form.is_valid() and formset.is_valid():
        details, rows = _details(form, formset)
        try:
            category = category_create(actor=actor, details=details)
        except ValidationFailed as exc:
            _refused(form, rows, exc)
        else:
            messages.success(
                request, _("%(name)s is added.") % {"name": category.name_en}
            )
            return redirect("catalogue:category-list")
    return _render(request, form, formset, None, 400)


@login_required
@require_http_methods(["GET", "POST"])
def category_update_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = _staff(request)
    category = category_get_for_staff(actor=actor, slug=slug)
    categories = _others(category)
    if request.method == "POST" and request.POST.get("action") == "delete":
        try:
            category_delete(actor=actor, category=category)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("catalogue:category-update", slug=category.slug)
        messages.success(
            request, _("%(name)s is removed.") % {"name": category.name_en}
        )
        return redirect("catalogue:category-list")
    if request.method == "GET":
        form = CategoryForm(
            initial=CategoryForm.initial_for(category), categories=categories
        )
        formset = CategoryAttributeFormSet(
            initial=category_attribute_initial(category), prefix=ATTRIBUTES_PREFIX
        )
        return _render(request, form, formset, category, 200)
    form = CategoryForm(request.POST, categories=categories)
    formset = CategoryAttributeFormSet(
        request.POST,
        initial=category_attribute_initial(category),
        prefix=ATTRIBUTES_PREFIX,
    )
    if form.is_valid() and formset.is_valid():
        details, rows = _details(form, formset)
        try:
            changed = category_update(actor=actor, category=category, details=details)
        except ValidationFailed as exc:
            _refused(form, rows, exc)
        else:
            messages.success(
                request, _("%(name)s is saved.") % {"name": changed.name_en}
            )
            return redirect("catalogue:category-list")
    return _render(request, form, formset, category, 400)

"""A member business's products: ``/manage/members/<slug>/products/…``.

Its owners and staff manage them; platform staff see read-only pages (a change is a
403). Anyone else gets a 404, as if the business did not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from purei.catalogue.forms import ProductForm, ProductPhotoForm, VariantForm
from purei.catalogue.models import Product, Variant
from purei.catalogue.selectors import (
    category_list,
    credential_choices_for_team,
    listing_get_for_team,
    photo_get_for_team,
    product_get_for_team,
    product_list_for_member,
    variant_get_for_team,
)
from purei.catalogue.services import (
    ALLOWED_MOVES,
    MAX_PRODUCT_PHOTOS,
    listing_withdraw,
    price_text,
    product_create,
    product_photo_add,
    product_photo_remove,
    product_status_set,
    product_update,
    stock_bulk_update,
    variant_create,
    variant_delete,
    variant_update,
    was_price_text,
)
from purei.core.actor import Actor, actor_from
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.members.models import Member
from purei.members.selectors import member_get_for_team, member_team_for
from purei.web.shell import member_manage_context


def _member(request: HttpRequest, slug: str) -> tuple[Actor, Member, dict[str, Any]]:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    context = member_manage_context(
        member=member,
        section="products",
        team=member_team_for(actor=actor, member=member),
    )
    context["can_manage"] = actor.is_member_team(member.pk)
    return actor, member, context


def _require_manage(context: dict[str, Any]) -> None:
    if not context["can_manage"]:
        raise PermissionDenied(_("Only the business's team can change its products."))


def _field_map(errors: dict[str, list[str]]) -> dict[str, str]:
    return {
        f: "attr_" + f.split(".", 1)[1] for f in errors if f.startswith("attributes.")
    }


@login_required
@require_http_methods(["GET", "POST"])
def product_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The products, their stock and listings; one form to set every counted stock."""
    actor, member, context = _member(request, slug)
    status = 200
    stock_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        _require_manage(context)
        changes = {
            key.removeprefix("stock-"): request.POST[key]
            for key in request.POST
            if key.startswith("stock-")
        }
        try:
            stock_bulk_update(actor=actor, member=member, changes=changes)
        except ValidationFailed as exc:
            stock_errors = exc.errors
            status = 422
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        else:
            messages.success(request, _("Stock saved."))
            return redirect("catalogue:products", slug=member.slug)
    products = product_list_for_member(actor=actor, member=member)
    tracked = [
        (variant, stock_errors.get(f"stock.{variant.sku}", []))
        for product in products
        for variant in product.variants.all()
        if variant.stock_policy == Variant.StockPolicy.TRACKED
    ]
    context.update(
        products=products,
        tracked=tracked,
        stock_errors=[m for ms in stock_errors.values() for m in ms],
        posted=request.POST if status == 422 else {},
    )
    return render(request, "catalogue/manage/products.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def product_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, member, context = _member(request, slug)
    _require_manage(context)
    credentials = credential_choices_for_team(actor=actor, member=member)
    categories = category_list()
    form = ProductForm(
        request.POST or None,
        categories=categories,
        credentials=credentials,
        initial={"category": request.GET.get("category", "")},
        category=next(
            (c for c in categories if c.slug == request.GET.get("category")), None
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            product = product_create(
                actor=actor, member=member, details=form.service_data()
            )
        except ValidationFailed as exc:
            form_add_domain_error(form, exc, field_map=_field_map(exc.errors))
        else:
            messages.success(
                request,
                _("%(title)s is saved as a draft: add a variant with its price.")
                % {"title": product.title_en},
            )
            return redirect(
                "catalogue:variants", slug=member.slug, product=product.slug
            )
    context["form"] = form
    return render(
        request,
        "catalogue/manage/product_form.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


def _product_context(
    context: dict[str, Any], product: Product, **more: Any
) -> dict[str, Any]:
    moves = ALLOWED_MOVES.get(product.status, frozenset())
    context.update(
        product=product,
        moves=[
            (s, Product.Status(s).label) for s in Product.Status.values if s in moves
        ],
        photos=list(product.images.all()),
        can_add_photo=len(product.images.all()) < MAX_PRODUCT_PHOTOS,
        **more,
    )
    return context


@login_required
@require_http_methods(["GET", "POST"])
def product_update_view(request: HttpRequest, slug: str, product: str) -> HttpResponse:
    """Edit a product; move its status; add or remove photos; withdraw a listing."""
    actor, member, context = _member(request, slug)
    found = product_get_for_team(actor=actor, member=member, slug=product)
    credentials = credential_choices_for_team(actor=actor, member=member)
    categories = category_list()
    action = request.POST.get("action", "save")
    form = ProductForm(
        request.POST if action == "save" and request.method == "POST" else None,
        categories=categories,
        credentials=credentials,
        category=found.category,
        initial=ProductForm.initial_for(found),
    )
    photo_form = ProductPhotoForm(
        request.POST if action == "photo-add" else None,
        request.FILES if action == "photo-add" else None,
        prefix="photo",
    )
    status = 200
    if request.method == "POST":
        _require_manage(context)
        try:
            done = _product_action(request, actor, found, action, form, photo_form)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        if done is not None:
            return done
        status = 422
    return render(
        request,
        "catalogue/manage/product_update.html",
        _product_context(context, found, form=form, photo_form=photo_form),
        status=status,
    )


def _product_action(
    request: HttpRequest,
    actor: Actor,
    product: Product,
    action: str,
    form: ProductForm,
    photo_form: ProductPhotoForm,
) -> HttpResponseRedirect | None:
    """Carry out one POSTed action; a redirect when done, None to show errors."""
    here = redirect(
        "catalogue:product-update", slug=product.member.slug, product=product.slug
    )
    if action == "save":
        if not form.is_valid():
            return None
        try:
            updated = product_update(
                actor=actor, product=product, details=form.service_data()
            )
        except ValidationFailed as exc:
            form_add_domain_error(form, exc, field_map=_field_map(exc.errors))
            return None
        messages.success(request, _("Product saved."))
        return redirect(
            "catalogue:product-update", slug=product.member.slug, product=updated.slug
        )
    if action == "status":
        try:
            product_status_set(
                actor=actor, product=product, status=request.POST.get("status", "")
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Status changed."))
        return here
    if action == "photo-add":
        if not photo_form.is_valid():
            return None
        try:
            product_photo_add(
                actor=actor,
                product=product,
                image=photo_form.cleaned_data["image"],
                alt_text=photo_form.cleaned_data["alt_text"],
            )
        except ValidationFailed as exc:
            form_add_domain_error(photo_form, exc)
            return None
        messages.success(request, _("Photo added."))
        return here
    if action == "photo-remove":
        photo = photo_get_for_team(
            actor=actor, product=product, photo_id=_int(request.POST.get("photo"))
        )
        product_photo_remove(actor=actor, photo=photo)
        messages.success(request, _("Photo removed."))
        return here
    if action == "withdraw":
        listing = listing_get_for_team(
            actor=actor, product=product, listing_id=_int(request.POST.get("listing"))
        )
        try:
            listing_withdraw(actor=actor, listing=listing)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Withdrawn from %(cluster)s.") % {"cluster": listing.cluster.name},
            )
        return here
    messages.error(request, _("Nothing was changed."))
    return here


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_http_methods(["GET", "POST"])
def variant_list_view(request: HttpRequest, slug: str, product: str) -> HttpResponse:
    """Add, change and remove a product's variants."""
    actor, member, context = _member(request, slug)
    found = product_get_for_team(actor=actor, member=member, slug=product)
    action = request.POST.get("action", "")
    editing = _int(request.POST.get("variant") or request.GET.get("edit"))
    status = 200
    add_form = VariantForm(
        request.POST if action == "add" else None,
        prefix="new",
        initial={"stock_policy": Variant.StockPolicy.TRACKED, "stock": 0},
    )
    edit_form: VariantForm | None = None
    edit_variant: Variant | None = None
    if editing:
        edit_variant = variant_get_for_team(
            actor=actor, product=found, variant_id=editing
        )
        edit_form = VariantForm(
            request.POST if action == "update" else None,
            prefix="edit",
            initial={
                **{
                    name: getattr(edit_variant, name)
                    for name in VariantForm.base_fields
                    if name not in ("price", "was_price")
                },
                "price": price_text(edit_variant),
                "was_price": was_price_text(edit_variant),
            },
        )
    if request.method == "POST":
        _require_manage(context)
        here = redirect("catalogue:variants", slug=member.slug, product=found.slug)
        try:
            if action == "add" and add_form.is_valid():
                try:
                    variant_create(
                        actor=actor, product=found, details=add_form.service_data()
                    )
                except ValidationFailed as exc:
                    form_add_domain_error(add_form, exc)
                else:
                    messages.success(request, _("Variant added."))
                    return here
            elif action == "update" and edit_form is not None and edit_variant:
                if edit_form.is_valid():
                    try:
                        variant_update(
                            actor=actor,
                            variant=edit_variant,
                            details=edit_form.service_data(),
                        )
                    except ValidationFailed as exc:
                        form_add_domain_error(edit_form, exc)
                    else:
                        messages.success(request, _("Variant saved."))
                        return here
            elif action == "remove" and edit_variant is not None:
                try:
                    variant_delete(actor=actor, variant=edit_variant)
                except ValidationFailed as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Variant removed."))
                return here
            elif action not in {"add", "update"}:
                messages.error(request, _("Nothing was changed."))
                return here
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        status = 422
    context.update(
        product=found,
        variants=[(v, price_text(v)) for v in found.variants.all()],
        add_form=add_form,
        edit_form=edit_form,
        edit_variant=edit_variant,
    )
    return render(request, "catalogue/manage/variants.html", context, status=status)

"""Compare up to four products side by side: ``/compare/``.

The products are held in the session (``compare``: product ids, oldest first), added
and removed with small POST forms that work without JavaScript. Only public products
are shown; one that stops being public drops out of the table.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from purei.catalogue.models import Listing
from purei.catalogue.paths import product_path
from purei.catalogue.selectors import listings_for_compare
from purei.core.money import format_nzd

SESSION_KEY = "compare"
MAX_COMPARED = 4


def compared_ids(request: HttpRequest) -> list[int]:
    raw = request.session.get(SESSION_KEY, [])
    if not isinstance(raw, list):
        return []
    return [pk for pk in raw if isinstance(pk, int)][:MAX_COMPARED]


def _product_id(request: HttpRequest) -> int | None:
    try:
        value = int(str(request.POST.get("product", "")))
    except ValueError:
        return None
    return value if value > 0 else None


def _back(request: HttpRequest) -> HttpResponse:
    target = str(request.POST.get("next", ""))
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("catalogue:compare")


@require_POST
def compare_add_view(request: HttpRequest) -> HttpResponse:
    pk = _product_id(request)
    ids = compared_ids(request)
    if pk is None or not listings_for_compare(product_ids=[pk]):
        messages.error(request, _("That product can't be compared."))
    elif pk in ids:
        messages.info(request, _("That product is already in your comparison."))
    elif len(ids) >= MAX_COMPARED:
        messages.error(
            request,
            _("You can compare up to %(n)s products: remove one first.")
            % {"n": MAX_COMPARED},
        )
    else:
        request.session[SESSION_KEY] = [*ids, pk]
        messages.success(request, _("Added to your comparison."))
    return _back(request)


@require_POST
def compare_remove_view(request: HttpRequest) -> HttpResponse:
    pk = _product_id(request)
    request.session[SESSION_KEY] = [i for i in compared_ids(request) if i != pk]
    messages.success(request, _("Removed from your comparison."))
    return redirect("catalogue:compare")


def _column(listing: Listing) -> dict[str, Any]:
    product = listing.product
    variants = list(product.variants.all())
    cheapest = min(variants, key=lambda v: v.price_cents, default=None)
    return {
        "product": product,
        "url": product_path(listing.cluster.slug, product.member.slug, product.slug),
        "cluster": listing.cluster,
        "price": format_nzd(cheapest.price_cents) if cheapest else "",
        "prices_differ": len({v.price_cents for v in variants}) > 1,
        "unit": cheapest.name if cheapest else "",
        "in_stock": product.in_stock,
        "attributes": product.attributes or {},
    }


@require_GET
def compare_view(request: HttpRequest) -> HttpResponse:
    columns = [
        _column(listing)
        for listing in listings_for_compare(product_ids=compared_ids(request))
    ]
    # Key attributes: those the products' categories describe, in their order.
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for column in columns:
        for attribute in column["product"].category.attributes or []:
            key = attribute.get("key")
            if not key or key in seen:
                continue
            seen.add(key)
            rows.append(
                {
                    "label": attribute.get("label", key),
                    "values": [str(c["attributes"].get(key, "")) for c in columns],
                }
            )
    return render(
        request,
        "catalogue/public/compare.html",
        {"columns": columns, "attribute_rows": rows, "max_compared": MAX_COMPARED},
    )

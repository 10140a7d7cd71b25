"""A member's trade prices (docs/trade.md "Trade prices"):

- ``/manage/members/<slug>/products/<product>/trade/``: each variant of one
  product, all of its trade pricing (price, minimum order, pack size, breaks,
  AUD/USD lists);
- ``/manage/members/<slug>/products/trade-prices/``: every variant of the business
  on pages of ``PAGE_SIZE``, to set trade price, minimum order and pack size at
  once.

The team changes them; platform staff read them (a change is a 403); anyone else
gets a 404. Each shows the retail price (RRP) beside the trade price, and the
margin a trade buyer keeps at the RRP, both without GST.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from purei.catalogue.forms import TradePricingForm
from purei.catalogue.models import Variant
from purei.catalogue.selectors import product_get_for_team
from purei.catalogue.services import (
    TradePricingInput,
    trade_pricing_bulk_update,
    variant_trade_pricing_set,
)
from purei.catalogue.trade_selectors import (
    TradeTerms,
    trade_product_variants,
    trade_terms_of,
    trade_variants_for_team,
)
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.core.inputs import UNSET, Unset
from purei.core.money import format_cents

from .products import _int, _member, _require_manage

PAGE_SIZE = 50
BULK_FIELDS = ("trade_price", "min_order_quantity", "pack_size")


@dataclass(frozen=True)
class _Row:
    variant: Variant
    terms: TradeTerms
    form: TradePricingForm


@login_required
@require_http_methods(["GET", "POST"])
def trade_pricing_view(request: HttpRequest, slug: str, product: str) -> HttpResponse:
    """Every variant of a product with its trade pricing; one form per variant."""
    actor, member, context = _member(request, slug)
    found = product_get_for_team(actor=actor, member=member, slug=product)
    posted_id = _int(request.POST.get("variant")) if request.method == "POST" else 0
    rows = []
    for variant in trade_product_variants(actor=actor, product=found):
        terms = trade_terms_of(variant, variant.trade_prices.all())
        form = TradePricingForm(
            request.POST if variant.pk == posted_id else None,
            prefix=f"v{variant.pk}",
            initial=TradePricingForm.initial_for(terms),
        )
        rows.append(_Row(variant, terms, form))
    status = 200
    if request.method == "POST":
        _require_manage(context)
        here = reverse("catalogue:product-trade", args=[member.slug, found.slug])
        row = next((r for r in rows if r.variant.pk == posted_id), None)
        if row is None:
            messages.error(request, _("Nothing was changed."))
            return redirect(here)
        form = row.form
        if form.is_valid():
            try:
                variant_trade_pricing_set(
                    actor=actor, variant=row.variant, details=form.service_data()
                )
            except ValidationFailed as exc:
                form_add_domain_error(form, exc, field_map=form.FIELD_MAP)
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            else:
                messages.success(
                    request,
                    _("Trade pricing of %(sku)s saved.") % {"sku": row.variant.sku},
                )
                return redirect(f"{here}#variant-{posted_id}")
        status = 422
    context.update(product=found, rows=rows)
    return render(
        request, "catalogue/manage/trade_pricing.html", context, status=status
    )


def _posted(request: HttpRequest, name: str, sku: str) -> str | Unset:
    """A row's field as posted; ``UNSET`` (unchanged) when it was not."""
    return request.POST.get(f"{name}-{sku}", UNSET)


def _shown(value: int | None, default: str = "") -> str:
    return default if value is None else str(value)


@login_required
@require_http_methods(["GET", "POST"])
def trade_bulk_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Every variant of the business, a page at a time: trade price, minimum order
    and pack size in one table, saved together (all or nothing, each row's problems
    shown on it)."""
    actor, member, context = _member(request, slug)
    page = Paginator(
        trade_variants_for_team(actor=actor, member=member), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        _require_manage(context)
        changes = {
            sku: TradePricingInput(
                trade_price=_posted(request, "trade_price", sku),
                min_order_quantity=_posted(request, "min_order_quantity", sku),
                pack_size=_posted(request, "pack_size", sku),
            )
            for sku in request.POST.getlist("sku")
        }
        try:
            trade_pricing_bulk_update(actor=actor, member=member, changes=changes)
        except ValidationFailed as exc:
            errors = exc.errors
            status = 422
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        else:
            messages.success(request, _("Trade prices saved."))
            here = reverse("catalogue:trade-prices", args=[member.slug])
            return redirect(f"{here}?page={page.number}")
    rows = []
    summary = []
    for variant in page:
        sku = variant.sku
        values = {
            "trade_price": ""
            if variant.trade_price_cents is None
            else format_cents(variant.trade_price_cents),
            "min_order_quantity": _shown(variant.min_order_quantity, "1"),
            "pack_size": _shown(variant.pack_size, "1"),
        }
        if status == 422:
            values = {
                name: request.POST.get(f"{name}-{sku}", values[name])
                for name in BULK_FIELDS
            }
        row_errors = {
            name: errors.get(f"{name}.{sku}", [])
            for name in (*BULK_FIELDS, "breaks", "currency_prices")
        }
        for name, found in row_errors.items():
            anchor = name if name in BULK_FIELDS else "trade_price"
            summary += [(f"{anchor}-{variant.pk}", sku, m) for m in found]
        rows.append(
            {
                "variant": variant,
                "values": values,
                "errors": row_errors,
                "messages": [m for found in row_errors.values() for m in found],
            }
        )
    context.update(page=page, rows=rows, summary=summary)
    return render(request, "catalogue/manage/trade_prices.html", context, status=status)

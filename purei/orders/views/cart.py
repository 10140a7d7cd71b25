"""The shopper's cart and order history.

- ``/c/<slug>/cart/`` the cart grouped by member, each line with its thumbnail,
  and each member's delivery estimated for the region the shopper picks
  (``?region=NZ-WGN``, remembered in the session; ``?region=`` forgets it);
  ``cart/add/`` (the product page's form) and ``cart/update/`` (quantities and
  remove buttons) change it.
- ``/accounts/orders/`` a customer's orders in every cluster.

Checkout and the order page, where money is taken, are in
``purei.settlement.views.shop``. Every page works without JavaScript; htmx only
swaps in the same server-rendered HTML. Who may see what is decided in
``purei.orders.shopper``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from purei.accounts.models import User
from purei.catalogue.page_cache import page_cached_when
from purei.clusters.models import Cluster, Region
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.errors import ValidationFailed
from purei.core.money import format_nzd
from purei.orders.models import Order
from purei.orders.selectors import first_pictures, order_list_for_customer
from purei.orders.services.cart import (
    CartSummary,
    cart_add,
    cart_set_quantity,
    cart_summary,
)
from purei.orders.services.delivery_estimate import (
    cart_delivery_estimate,
    region_of,
)
from purei.orders.shopper import (
    delivery_region_in_session,
    regions,
    remember_delivery_region,
    remember_summary,
    shopper_cart,
    shopper_cart_make,
)

ORDERS_PER_PAGE = 20


def _user(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _cluster(request: HttpRequest, slug: str) -> Cluster:
    return cluster_get_live(actor=actor_from(request), slug=slug)


def _cart_url(cluster: Cluster) -> str:
    return reverse("orders:cart", kwargs={"slug": cluster.slug})


def _product_url(cluster: Cluster, member_slug: str, product_slug: str) -> str:
    return reverse(
        "catalogue:public-product",
        kwargs={
            "slug": cluster.slug,
            "member_slug": member_slug,
            "product_slug": product_slug,
        },
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = str(request.POST.get("next", ""))
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _messages_of(error: ValidationFailed) -> list[str]:
    return [message for messages_ in error.errors.values() for message in messages_]


# --- The cart -----------------------------------------------------------------


def _cart_context(
    request: HttpRequest,
    cluster: Cluster,
    summary: CartSummary,
    line_errors: dict[int, list[str]] | None = None,
    all_regions: list[Region] | None = None,
) -> dict[str, Any]:
    line_errors = line_errors or {}
    pictures = first_pictures([item.product_id for item in summary.items])
    all_regions = regions() if all_regions is None else all_regions
    region = region_of(all_regions, delivery_region_in_session(request))
    estimate = (
        cart_delivery_estimate(cluster=cluster, summary=summary, region=region)
        if region is not None
        else None
    )
    groups = [
        {
            "group": group,
            "estimate": estimate.for_member(group.member_id) if estimate else None,
            "items": [
                {
                    "item": item,
                    "url": _product_url(cluster, group.member_slug, item.product_slug),
                    "picture": pictures.get(item.product_id),
                    "errors": line_errors.get(item.line_id, []),
                }
                for item in group.items
            ],
        }
        for group in summary.groups
    ]
    return {
        "cluster": cluster,
        "summary": summary,
        "groups": groups,
        "line_errors": line_errors,
        "any_gst": any(group.gst_registered for group in summary.groups),
        "regions": all_regions,
        "region_code": region.code if region else "",
        "region_label": _region_label(region) if region else "",
        "estimate": estimate,
        "estimated_total_cents": summary.goods_cents
        + (estimate.shipping_cents if estimate else 0),
    }


def _region_label(region: Region) -> str:
    """The region's name; its te reo name (on the te reo pages) marked as such."""
    if region.name != region.name_en:
        return format_html('<span lang="mi">{}</span>', region.name)
    return region.name


def _pick_region(request: HttpRequest, all_regions: list[Region]) -> None:
    """``?region=<code>`` picks the region for the estimate (one of New
    Zealand's); an empty or unknown code forgets it."""
    if "region" not in request.GET:
        return
    region = region_of(all_regions, str(request.GET.get("region", ""))[:8])
    remember_delivery_region(request, region.code if region else "")


def _first_visit(request: HttpRequest) -> bool:
    """No session yet: no cart, no region picked (an empty cart page, the same
    for everyone)."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


@require_GET
@page_cached_when(_first_visit)
def cart_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = _cluster(request, slug)
    all_regions = regions()
    _pick_region(request, all_regions)
    summary = cart_summary(shopper_cart(request, cluster), release_expired=True)
    remember_summary(request, cluster, summary)
    return render(
        request,
        "orders/shop/cart.html",
        _cart_context(request, cluster, summary, all_regions=all_regions),
    )


def _item_name(title: str, variant_name: str) -> str:
    return f"{title} ({variant_name})" if variant_name else title


@require_POST
def cart_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The product page's "Add to cart": ``variant`` and ``quantity``.

    The shopper stays on the product page. With htmx the answer is the
    confirmation and the cart so far (the form's ``role="status"`` region) and
    the header's cart link, swapped out of band; a refusal is said there too
    (200: htmx swaps only successful responses). Without JavaScript it redirects
    to ``next`` (the product page; else the cart) with a message."""
    cluster = _cluster(request, slug)
    back = _safe_next(request, _cart_url(cluster))
    htmx = bool(getattr(request, "htmx", False))
    cart = shopper_cart_make(request, cluster)
    try:
        line = cart_add(
            cart=cart,
            variant_id=request.POST.get("variant", ""),
            quantity=request.POST.get("quantity", "1"),
        )
    except ValidationFailed as error:
        if htmx:
            return render(
                request,
                "orders/shop/_add_to_cart_result.html",
                {"cluster": cluster, "errors": _messages_of(error)},
            )
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect(back)
    summary = cart_summary(cart)
    remember_summary(request, cluster, summary)
    added = next((i for i in summary.items if i.line_id == line.pk), None)
    name = _item_name(added.title, added.variant_name) if added else ""
    if htmx:
        return render(
            request,
            "orders/shop/_add_to_cart_result.html",
            {
                "cluster": cluster,
                "item": name,
                "summary": summary,
                "total": format_nzd(summary.goods_cents),
            },
        )
    if added is not None:
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("Added %(item)s to your cart.") % {"item": name},
                _cart_url(cluster),
                _("View your cart"),
            ),
        )
    return redirect(back)


@require_POST
def cart_update_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The cart form: every ``quantity-<line>`` that changed is set; a ``remove``
    button removes its line (0 removes too)."""
    cluster = _cluster(request, slug)
    cart = shopper_cart(request, cluster)
    if cart is None:
        return redirect(_cart_url(cluster))
    summary = cart_summary(cart)
    remove = str(request.POST.get("remove", ""))
    line_errors: dict[int, list[str]] = {}
    for item in summary.items:
        if remove == str(item.line_id):
            cart_set_quantity(cart=cart, line_id=item.line_id, quantity=0)
            continue
        wanted = request.POST.get(f"quantity-{item.line_id}")
        if wanted is None or str(wanted).strip() == str(item.quantity):
            continue
        try:
            cart_set_quantity(cart=cart, line_id=item.line_id, quantity=wanted)
        except ValidationFailed as error:
            line_errors[item.line_id] = _messages_of(error)
    summary = cart_summary(cart)
    remember_summary(request, cluster, summary)
    if line_errors:
        return render(
            request,
            "orders/shop/cart.html",
            _cart_context(request, cluster, summary, line_errors),
            # htmx swaps only successful responses: it gets the errors as a page.
            status=200 if getattr(request, "htmx", False) else 422,
        )
    messages.success(request, _("Your cart is up to date."))
    return redirect(_cart_url(cluster))


@login_required
@require_GET
def order_list_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    orders = order_list_for_customer(user) if user else Order.objects.none()
    paginator = Paginator(orders, ORDERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "orders/shop/order_list.html", {"page": page})

"""The shopper's identity in the request (the session and the account), shared by
the shop pages, the shop API and the order pages of other apps; the reads behind it
are ``orders.selectors`` and the signed links ``orders.links``.

- **Cart**: a guest's cart is found by a random token kept in the session data
  (``request.session["cart_token"]``, made on the first add). It is what the cart
  services call ``session_key``; it is *not* Django's session key, which changes at
  login. A logged-in customer's cart is found by the account; on login the guest's
  cart merges into it (``cart_merge_on_login``, connected in ``OrdersConfig``).
  An API client with no session sends its own token instead, in the
  ``X-Cart-Token`` header (32 to 64 letters, digits, ``-`` or ``_``, made at random
  by the client and kept: docs/api.md "Buying through the API").
- **Cart count** for the storefront header: kept in the session
  (``cart_counts``: cluster id → items) whenever the cart changes or is shown, so
  the header costs no query.
- **Delivery region**: the New Zealand region the shopper picked in the cart for
  an estimate of delivery (``delivery_region``: an ISO 3166-2:NZ code), kept in
  the session for every cluster and offered as checkout's region.
- **Orders**: a customer sees their own; a guest sees the orders their session
  placed (``placed_orders``); anyone holding the signed link of the confirmation
  email sees that one order. Everyone else gets 404.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.http import HttpRequest
from django.template.loader import render_to_string

from purei.accounts.models import User
from purei.clusters.models import Cluster, Region
from purei.clusters.selectors import regions_in_order
from purei.core.errors import ValidationFailed
from purei.orders.errors import OrderErrorCode
from purei.orders.models import Cart, CartLine, Order
from purei.orders.selectors import order_get_for_shopper
from purei.orders.services.cart import (
    CartSummary,
    cart_find,
    cart_get_or_create,
    cart_merge,
)

CART_TOKEN = "cart_token"  # noqa: S105 - the name of a session entry
CART_COUNTS = "cart_counts"
DELIVERY_REGION = "delivery_region"
PLACED_ORDERS = "placed_orders"
MAX_PLACED_ORDERS = 50
CART_TOKEN_HEADER = "X-Cart-Token"  # noqa: S105 - the name of a header
_CART_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


# --- The cart ---------------------------------------------------------------------


def _user(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        return user
    return None


def cart_token(request: HttpRequest, *, create: bool = False) -> str | None:
    """The guest's cart token: the ``X-Cart-Token`` header's (an API client's),
    else the session's (made when ``create``)."""
    header = request.headers.get(CART_TOKEN_HEADER)
    if header is not None:
        if not _CART_TOKEN.match(header):
            raise ValidationFailed(
                OrderErrorCode.INVALID,
                {
                    CART_TOKEN_HEADER: [
                        "Send 32 to 64 letters, digits, - or _, made at random."
                    ]
                },
            )
        return header
    token = request.session.get(CART_TOKEN)
    if isinstance(token, str) and token:
        return token
    if not create:
        return None
    token = secrets.token_urlsafe(24)
    request.session[CART_TOKEN] = token
    return token


def shopper_cart(request: HttpRequest, cluster: Cluster) -> Cart | None:
    """The shopper's cart in ``cluster``: the account's, else the session's."""
    user = _user(request)
    token = None if user else cart_token(request)
    return cart_find(cluster=cluster, user=user, session_key=token)


def shopper_cart_make(request: HttpRequest, cluster: Cluster) -> Cart:
    """The shopper's cart in ``cluster``, made (with a guest's token) if need be."""
    user = _user(request)
    token = None if user else cart_token(request, create=True)
    return cart_get_or_create(cluster=cluster, user=user, session_key=token)


def remember_cart_count(request: HttpRequest, cluster: Cluster, count: int) -> None:
    """Keep the number of items for the header (only writes when it changed)."""
    counts = request.session.get(CART_COUNTS)
    counts = dict(counts) if isinstance(counts, dict) else {}
    key = str(cluster.pk)
    if counts.get(key, 0) == count:
        return
    if count:
        counts[key] = count
    else:
        counts.pop(key, None)
    request.session[CART_COUNTS] = counts


def remember_summary(
    request: HttpRequest, cluster: Cluster, summary: CartSummary
) -> None:
    remember_cart_count(request, cluster, summary.count)


def cart_count_in_session(request: HttpRequest, cluster: Cluster) -> int:
    session = getattr(request, "session", None)
    if session is None:
        return 0
    counts = session.get(CART_COUNTS)
    if not isinstance(counts, dict):
        return 0
    value = counts.get(str(cluster.pk), 0)
    return value if isinstance(value, int) else 0


def cart_link_hole(request: HttpRequest, arg: str, body: str) -> str:
    """The header's cart link on a kept storefront page (``page_cache``): as kept
    (no items) unless this visitor's session counts items in that cluster."""
    pk, _, slug = arg.partition(":")
    session = getattr(request, "session", None)
    counts = session.get(CART_COUNTS) if session is not None else None
    count = counts.get(pk, 0) if isinstance(counts, dict) else 0
    if not isinstance(count, int) or count <= 0:
        return body
    return render_to_string(
        "orders/shop/_cart_link.html",
        {"cluster": _ClusterLink(pk=int(pk), slug=slug)},
        request=request,
    )


@dataclass(frozen=True)
class _ClusterLink:
    """What the cart link needs of its cluster."""

    pk: int
    slug: str


def cart_merge_on_login(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    """``user_logged_in``: move the guest's carts into the account's."""
    if request is None or not hasattr(request, "session") or not isinstance(user, User):
        return
    token = request.session.get(CART_TOKEN)
    if not isinstance(token, str) or not token:
        return
    cart_merge(user=user, session_key=token)
    del request.session[CART_TOKEN]
    rows = (
        CartLine.objects.filter(cart__user=user)
        .values_list("cart__cluster_id")
        .annotate(items=Sum("quantity"))
        .order_by()
    )
    request.session[CART_COUNTS] = {
        str(cluster_id): int(items or 0) for cluster_id, items in rows
    }


# --- Addresses --------------------------------------------------------------------


def regions() -> list[Region]:
    return regions_in_order()


def remember_delivery_region(request: HttpRequest, code: str) -> None:
    """Keep the region picked for the cart's estimate ("" forgets it)."""
    if code:
        if request.session.get(DELIVERY_REGION) != code:
            request.session[DELIVERY_REGION] = code
    elif DELIVERY_REGION in request.session:
        del request.session[DELIVERY_REGION]


def delivery_region_in_session(request: HttpRequest) -> str:
    """The region picked for the cart's estimate, or ""."""
    session = getattr(request, "session", None)
    code = session.get(DELIVERY_REGION) if session is not None else None
    return code if isinstance(code, str) else ""


# --- Orders -----------------------------------------------------------------------


def remember_placed(request: HttpRequest, order: Order) -> None:
    """The session that placed ``order`` may see it (a guest has no account)."""
    placed = request.session.get(PLACED_ORDERS)
    numbers = list(placed) if isinstance(placed, list) else []
    if order.number in numbers:
        return
    numbers.append(order.number)
    request.session[PLACED_ORDERS] = numbers[-MAX_PLACED_ORDERS:]


def placed_orders(request: HttpRequest) -> list[str]:
    """The numbers of the orders this session placed (a guest has no account)."""
    placed = request.session.get(PLACED_ORDERS)
    return [str(n) for n in placed] if isinstance(placed, list) else []


def order_get_for_request(request: HttpRequest, *, number: str, key: str = "") -> Order:
    """``order_get_for_shopper`` for the person behind ``request``: their account,
    the orders their session placed, and the key of a signed link."""
    return order_get_for_shopper(
        user=_user(request), placed=placed_orders(request), number=number, key=key
    )

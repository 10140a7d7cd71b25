"""The cart: one per cluster storefront, found by the account or, for a guest, by
the session; a guest's cart merges into the account's on login.

Quantities are checked against stock when added and again at checkout (stock can
change in between; ``cart_summary`` says what no longer fits). Only products public
in the cart's cluster can be added.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.accounts.models import User
from purei.catalogue.models import Variant
from purei.catalogue.selectors import public_now
from purei.clusters.models import Cluster, SellingModel
from purei.core.errors import ValidationFailed
from purei.orders.errors import OrderErrorCode
from purei.orders.models import Cart, CartLine
from purei.orders.windows import (
    OPEN,
    WindowTerms,
    in_window_exists,
    not_open_message,
    quantity_problem,
    terms_for,
    window_items_by_product,
)

MAX_LINE_QUANTITY = 99
MAX_CART_LINES = 100


def cart_find(
    *, cluster: Cluster, user: User | None, session_key: str | None
) -> Cart | None:
    """The shopper's cart in ``cluster``, if there is one (one query)."""
    carts = Cart.objects.select_related("cluster")
    if user is not None and user.is_authenticated:
        return carts.filter(cluster=cluster, user=user).first()
    if session_key:
        return carts.filter(
            cluster=cluster, session_key=session_key, user__isnull=True
        ).first()
    return None


def cart_get_or_create(
    *, cluster: Cluster, user: User | None, session_key: str | None
) -> Cart:
    found = cart_find(cluster=cluster, user=user, session_key=session_key)
    if found is not None:
        return found
    owner = (
        {"user": user}
        if user is not None and user.is_authenticated
        else {"session_key": session_key or ""}
    )
    if not owner.get("user") and not owner.get("session_key"):
        raise ValueError("a guest's cart needs a session")
    try:
        with transaction.atomic():
            return Cart.objects.create(cluster=cluster, **owner)
    except IntegrityError:  # made by a parallel request of the same shopper
        return Cart.objects.get(cluster=cluster, **owner)


def _quantity(value: object) -> int:
    try:
        quantity = int(str(value).strip())
    except ValueError:
        quantity = -1
    if not 0 <= quantity <= MAX_LINE_QUANTITY:
        raise ValidationFailed(
            OrderErrorCode.INVALID_QUANTITY,
            {
                "quantity": [
                    _("Choose a quantity from 1 to %(max)s.")
                    % {"max": MAX_LINE_QUANTITY}
                ]
            },
        )
    return quantity


def _for_sale(cluster: Cluster, variant_id: object) -> Variant:
    """The variant, if its product is public in ``cluster``."""
    try:
        pk = int(str(variant_id))
    except ValueError:
        pk = 0
    variant = (
        Variant.objects.select_related("product")
        .filter(pk=pk, product__in=public_now(cluster))
        .annotate(in_window=in_window_exists(cluster.pk, "product_id"))
        .first()
    )
    if variant is None:
        raise ValidationFailed(
            OrderErrorCode.NOT_FOR_SALE,
            {"variant": [_("That item is not for sale here.")]},
        )
    return variant


def _window_check(cart: Cart, variant: Variant, quantity: int) -> None:
    """A product in a sales window (ADR 0016): refused before a window-only
    product's window opens and after its cutoff, and beyond the window's cap or
    per-customer limit (the cart's quantity of the product, every option)."""
    if not getattr(variant, "in_window", False):
        return
    terms = terms_for(
        window_items_by_product(cart.cluster_id, [variant.product_id])[
            variant.product_id
        ],
        timezone.now(),
    )
    if terms is None:
        return
    name = _name(variant)
    if terms.state != OPEN:
        raise ValidationFailed(
            OrderErrorCode.WINDOW_NOT_OPEN,
            {"variant": [not_open_message(terms, name)]},
        )
    others = sum(
        CartLine.objects.filter(cart=cart, variant__product_id=variant.product_id)
        .exclude(variant=variant)
        .values_list("quantity", flat=True)
    )
    problem = quantity_problem(terms, variant.product.title, quantity + others)
    if problem:
        raise ValidationFailed(OrderErrorCode.WINDOW_LIMIT, {"quantity": [problem]})


def _check_stock(variant: Variant, quantity: int) -> None:
    if variant.stock_policy != Variant.StockPolicy.TRACKED:
        return
    if variant.stock <= 0:
        raise ValidationFailed(
            OrderErrorCode.SOLD_OUT,
            {
                "quantity": [
                    _("Sorry, %(item)s is sold out.") % {"item": _name(variant)}
                ]
            },
        )
    if quantity > variant.stock:
        raise ValidationFailed(
            OrderErrorCode.SOLD_OUT,
            {
                "quantity": [
                    _("Only %(n)s of %(item)s left.")
                    % {"n": variant.stock, "item": _name(variant)}
                ]
            },
        )


def _released_expired_holds(variant: Variant) -> bool:
    """Stock or a window's cap refused: release the unpaid orders of this
    product whose hold ran out (the periodic sweep may not have run since), and
    read the variant's stock again. False when there were none."""
    from purei.orders.services.checkout import orders_release_expired_holding

    if not orders_release_expired_holding(product_ids=[variant.product_id]):
        return False
    variant.refresh_from_db(fields=["stock"])
    return True


def _name(variant: Variant) -> str:
    title = variant.product.title
    return f"{title} ({variant.name})" if variant.name else title


@transaction.atomic
def cart_add(*, cart: Cart, variant_id: object, quantity: object = 1) -> CartLine:
    """Add ``quantity`` of a variant (on top of what the cart already has)."""
    adding = _quantity(quantity)
    if adding == 0:
        raise ValidationFailed(
            OrderErrorCode.INVALID_QUANTITY,
            {
                "quantity": [
                    _("Choose a quantity from 1 to %(max)s.")
                    % {"max": MAX_LINE_QUANTITY}
                ]
            },
        )
    variant = _for_sale(cart.cluster, variant_id)
    line = (
        CartLine.objects.select_for_update().filter(cart=cart, variant=variant).first()
    )
    total = adding + (line.quantity if line else 0)
    if total > MAX_LINE_QUANTITY:
        raise ValidationFailed(
            OrderErrorCode.INVALID_QUANTITY,
            {
                "quantity": [
                    _("A cart holds at most %(max)s of one item.")
                    % {"max": MAX_LINE_QUANTITY}
                ]
            },
        )
    try:
        _check_stock(variant, total)
        _window_check(cart, variant, total)
    except ValidationFailed as refused:
        if refused.code not in (OrderErrorCode.SOLD_OUT, OrderErrorCode.WINDOW_LIMIT):
            raise
        if not _released_expired_holds(variant):
            raise
        _check_stock(variant, total)
        _window_check(cart, variant, total)
    if line is None:
        if CartLine.objects.filter(cart=cart).count() >= MAX_CART_LINES:
            raise ValidationFailed(
                OrderErrorCode.INVALID_QUANTITY,
                {
                    "variant": [
                        _("Your cart is full: check out or remove something first.")
                    ]
                },
            )
        line = CartLine.objects.create(cart=cart, variant=variant, quantity=total)
    else:
        line.quantity = total
        line.save(update_fields=["quantity", "updated_at"])
    Cart.objects.filter(pk=cart.pk).update(updated_at=line.updated_at)
    return line


@transaction.atomic
def cart_set_quantity(
    *, cart: Cart, line_id: object, quantity: object
) -> CartLine | None:
    """Set a line's quantity; 0 removes it (then ``None``)."""
    wanted = _quantity(quantity)
    try:
        pk = int(str(line_id))
    except ValueError:
        pk = 0
    line = (
        CartLine.objects.select_for_update()
        .select_related("variant__product")
        .filter(cart=cart, pk=pk)
        .first()
    )
    if line is None:
        return None
    if wanted == 0:
        line.delete()
        return None
    if wanted > line.quantity:  # lowering is always allowed
        try:
            _check_stock(line.variant, wanted)
        except ValidationFailed:
            if not _released_expired_holds(line.variant):
                raise
            _check_stock(line.variant, wanted)
    line.quantity = wanted
    line.save(update_fields=["quantity", "updated_at"])
    return line


def cart_remove(*, cart: Cart, line_id: object) -> None:
    cart_set_quantity(cart=cart, line_id=line_id, quantity=0)


@transaction.atomic
def cart_merge(*, user: User, session_key: str) -> int:
    """Move a guest's carts (every cluster) into the account's on login: quantities
    of the same item add up (to the per-line limit). Returns the lines moved."""
    moved = 0
    guest_carts = list(
        Cart.objects.select_for_update().filter(
            session_key=session_key, user__isnull=True
        )
    )
    for guest in guest_carts:
        mine = Cart.objects.filter(cluster_id=guest.cluster_id, user=user).first()
        if mine is None:
            guest.user = user
            guest.session_key = ""
            guest.save(update_fields=["user", "session_key", "updated_at"])
            moved += guest.lines.count()
            continue
        existing = {line.variant_id: line for line in mine.lines.all()}
        for line in guest.lines.all():
            kept = existing.get(line.variant_id)
            if kept is None:
                line.cart = mine
                line.save(update_fields=["cart", "updated_at"])
            else:
                kept.quantity = min(MAX_LINE_QUANTITY, kept.quantity + line.quantity)
                kept.save(update_fields=["quantity", "updated_at"])
                line.delete()
            moved += 1
        guest.delete()
    return moved


# --- Reading a cart -------------------------------------------------------------


@dataclass(frozen=True)
class CartItem:
    line_id: int
    variant_id: int
    product_id: int
    product_slug: str
    title: str
    variant_name: str
    sku: str
    unit_price_cents: int
    quantity: int
    total_cents: int
    weight_grams: int  # of the whole line
    restricted_r18: bool
    # Why it can't be bought as it is (sold out, fewer left, no longer listed).
    problem: str = ""
    cold_chain: str = "none"  # a ``Variant.ColdChain`` value
    harvested_on: datetime.date | None = None
    best_before: datetime.date | None = None
    # Alcohol or tobacco: never charged Australian GST at checkout (§2).
    alcohol_or_tobacco: bool = False
    # Heavy or bulky: delivery is quoted per order (docs/orders.md).
    freight_on_quote: bool = False
    # The product's category (a promotion may be for some categories only).
    category_id: int | None = None
    # The sales window it is sold through (or, window-only, not on sale in).
    window: WindowTerms | None = None

    @property
    def needs_cold(self) -> bool:
        return self.cold_chain in (
            Variant.ColdChain.CHILLED,
            Variant.ColdChain.FROZEN,
        )


@dataclass(frozen=True)
class CartGroup:
    """One member's lines in a cart."""

    member_id: int
    member_slug: str
    member_name: str
    gst_registered: bool
    items: tuple[CartItem, ...]

    @property
    def goods_cents(self) -> int:
        return sum(item.total_cents for item in self.items)

    @property
    def weight_grams(self) -> int:
        return sum(item.weight_grams for item in self.items)

    @property
    def needs_cold(self) -> bool:
        """Chilled or frozen goods: the part goes by chilled courier."""
        return any(item.needs_cold for item in self.items)

    @property
    def freight_on_quote(self) -> bool:
        """Goods whose delivery is quoted per order (docs/orders.md)."""
        return any(item.freight_on_quote for item in self.items)


@dataclass(frozen=True)
class CartSummary:
    cart_id: int | None
    groups: tuple[CartGroup, ...]

    @property
    def goods_cents(self) -> int:
        return sum(group.goods_cents for group in self.groups)

    @property
    def count(self) -> int:
        return sum(item.quantity for group in self.groups for item in group.items)

    @property
    def items(self) -> list[CartItem]:
        return [item for group in self.groups for item in group.items]

    @property
    def problems(self) -> list[str]:
        return [item.problem for item in self.items if item.problem]

    @property
    def restricted_r18(self) -> bool:
        return any(item.restricted_r18 for item in self.items)

    @property
    def is_empty(self) -> bool:
        return not self.groups


EMPTY = CartSummary(cart_id=None, groups=())


def cart_summary(
    cart: Cart | None,
    now: datetime.datetime | None = None,
    *,
    release_expired: bool = False,
) -> CartSummary:
    """The cart's lines grouped by member, priced now, each with any problem (two
    queries whatever the number of lines; a third when some product is in a
    sales window). ``release_expired``: when some line has a problem, first
    release the unpaid orders of the cart's products whose hold ran out (the
    periodic sweep may not have run since) and read the cart again if any were
    — what the shopper's own cart and checkout pages show."""
    if cart is None:
        return EMPTY
    summary = _cart_summary(cart, now)
    if release_expired and summary.problems:
        from purei.orders.services.checkout import orders_release_expired_holding

        if orders_release_expired_holding(
            product_ids=[item.product_id for item in summary.items if item.problem]
        ):
            summary = _cart_summary(cart, now)
    return summary


def _cart_summary(cart: Cart, now: datetime.datetime | None) -> CartSummary:
    now = now or timezone.now()
    lines = list(
        CartLine.objects.filter(cart=cart)
        .select_related("variant__product__member", "variant__product__category")
        .annotate(in_window=in_window_exists(cart.cluster_id, "variant__product_id"))
        .order_by("variant__product__member__trading_name", "created_at", "pk")
    )
    if not lines:
        return CartSummary(cart_id=cart.pk, groups=())
    public = set(
        public_now(cart.cluster)
        .filter(pk__in={line.variant.product_id for line in lines})
        .values_list("pk", flat=True)
    )
    windows: dict[int, WindowTerms | None] = {}
    if any(getattr(line, "in_window", False) for line in lines):
        items = window_items_by_product(
            cart.cluster_id, [line.variant.product_id for line in lines]
        )
        windows = {pid: terms_for(found, now) for pid, found in items.items()}
    per_product: dict[int, int] = defaultdict(int)
    for line in lines:
        per_product[line.variant.product_id] += line.quantity
    grouped: dict[int, list[CartItem]] = defaultdict(list)
    members = {}
    for line in lines:
        variant = line.variant
        product = variant.product
        member = product.member
        members[member.pk] = member
        problem = ""
        if product.pk not in public:
            problem = _("%(item)s is no longer for sale here.") % {
                "item": _name(variant)
            }
        elif variant.stock_policy == Variant.StockPolicy.TRACKED:
            if variant.stock <= 0:
                problem = _("%(item)s is sold out.") % {"item": _name(variant)}
            elif line.quantity > variant.stock:
                problem = _("Only %(n)s of %(item)s left.") % {
                    "n": variant.stock,
                    "item": _name(variant),
                }
        terms = windows.get(product.pk)
        if terms is not None and not problem:
            if terms.state != OPEN:
                problem = not_open_message(terms, _name(variant))
            else:
                problem = quantity_problem(
                    terms, product.title, per_product[product.pk]
                )
        grouped[member.pk].append(
            CartItem(
                line_id=line.pk,
                variant_id=variant.pk,
                product_id=product.pk,
                product_slug=product.slug,
                title=product.title,
                variant_name=variant.name,
                sku=variant.sku,
                unit_price_cents=variant.price_cents,
                quantity=line.quantity,
                total_cents=variant.price_cents * line.quantity,
                weight_grams=(variant.weight_grams or 0) * line.quantity,
                restricted_r18=product.restricted_r18
                or product.category.restricted_r18,
                problem=problem,
                cold_chain=variant.cold_chain,
                harvested_on=variant.harvested_on,
                best_before=variant.best_before,
                alcohol_or_tobacco=product.alcohol_or_tobacco,
                freight_on_quote=variant.freight_on_quote,
                category_id=product.category_id,
                window=terms,
            )
        )
    groups = tuple(
        CartGroup(
            member_id=member_id,
            member_slug=members[member_id].slug,
            member_name=members[member_id].trading_name
            or members[member_id].legal_name,
            # The reseller model: the lead organisation's registration decides.
            gst_registered=(
                cart.cluster.lead_org_gst_registered
                if cart.cluster.selling_model == SellingModel.RESELLER
                else members[member_id].gst_registered
            ),
            items=tuple(items),
        )
        for member_id, items in grouped.items()
    )
    return CartSummary(cart_id=cart.pk, groups=groups)

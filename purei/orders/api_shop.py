"""The shopper's API: a cluster's cart, checkout, and the customer's orders.

Checkout starts a payment, which may settle the order at once (the test card):
its endpoint is settlement's (``purei.settlement.api``), with these schemas.

The cart endpoints use the **browser session**, like the storefront pages: a guest's
cart is kept by a token in the Django session (the ``sessionid`` cookie), a
logged-in customer's by the account. A browser client calls them with its cookies
and, for POST/PATCH/DELETE, the ``X-CSRFToken`` header (Django's CSRF check, as for
a form). Checkout takes the same fields as the checkout page, places the order and
starts its payment (``payment`` holds the test card's ``card_number``, ``expiry``
and ``cvc``; nothing for a bank transfer; a Stripe payment answers with the
``client_secret`` for Stripe.js).

``GET /orders`` lists the logged-in customer's orders (401 anonymous);
``GET /orders/{number}`` shows one order to its customer, to the session that
placed it, or with ``?key=`` the signature of the confirmation email's link —
404 to anyone else. Errors: ``{code, message, field, errors}``; 422 names each
field (``email``, ``postcode``, ``choice.<member id>``, ``age_confirmed``,
``payment.card_number``…).

Delivery or pickup is the shopper's choice: the cart lists each part's
``member_id`` and ``options``, and checkout takes one of them per part in
``choices`` (by member id). A part with only one way takes it when none is sent;
any other part without a choice is refused with 422 ``choice.<member id>``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import django_auth
from ninja.utils import check_csrf

from purei.accounts.models import User
from purei.clusters.models import Cluster
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.api_inputs import INT_MAX, InputSchema
from purei.core.pagination import Paginated
from purei.orders.freight_selectors import freight_quotes_of
from purei.orders.hub_selectors import hub_parcel_of
from purei.orders.models import FreightQuote, Order, PickupEvent
from purei.orders.pickup import event_window_label
from purei.orders.selectors import order_list_for_customer
from purei.orders.services.cart import (
    MAX_LINE_QUANTITY,
    CartSummary,
    cart_add,
    cart_set_quantity,
    cart_summary,
)
from purei.orders.services.checkout import PartQuote, checkout_quote
from purei.orders.services.freight import freight_quote_decline
from purei.orders.services.hub_checkout import hub_offer
from purei.orders.services.promotions import shopper_facts
from purei.orders.shopper import (
    order_get_for_request,
    remember_summary,
    shopper_cart,
    shopper_cart_make,
)
from purei.payments.gateways import StartResult
from purei.payments.models import Payment
from purei.promotions.rules import Shopper
from purei.promotions.selectors import uses_of_order

router = Router(tags=["shop"])


# --- Schemas ----------------------------------------------------------------------


class CartItemOut(Schema):
    line_id: int
    variant_id: int
    sku: str
    title: str
    variant_name: str
    unit_price_cents: int
    quantity: int
    total_cents: int
    restricted_r18: bool
    problem: str = Field(description="Why it can't be bought as it is; empty if fine.")


class PickupEventOut(Schema):
    name: str
    venue: str
    address: str
    collection_point: str
    time_zone: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    window: str = Field(description="The pickup window in the event's time zone.")


class CartOptionOut(Schema):
    method: Literal["delivery", "pickup_premises", "pickup_event", "freight_quote"] = (
        Field(
            description=(
                "freight_quote: delivery to be quoted by the cluster after the "
                "order is placed (docs/orders.md “Freight on quote”)."
            )
        )
    )
    event_id: int | None = Field(description="For pickup_event: send it back.")
    pickup_address: str = Field(description="For pickup_premises: where.")
    pickup_event: PickupEventOut | None


class CartGroupOut(Schema):
    member_id: int = Field(description="This part's key in the checkout's choices.")
    options: list[CartOptionOut] = Field(
        description=(
            "The ways to get this part (delivery is priced at checkout, for the "
            "address). Send one in the checkout's choices, unless there is one."
        )
    )
    member_slug: str
    member_name: str
    gst_registered: bool
    goods_cents: int
    items: list[CartItemOut]


class PromotionAppliedOut(Schema):
    name: str
    code: str | None = Field(description="null: an automatic promotion.")
    discount_cents: int = Field(description="What it took off: goods and delivery.")
    paid_by: str = Field(
        description="cluster (out of its commission) or member (its own goods)."
    )


class CartPromotionsOut(Schema):
    promo_code: str = Field(description="The code as applied; empty when none is.")
    refused: str = Field(description="Why the code asked for does not apply.")
    discount_cents: int = Field(
        description="Off the goods (delivery is priced at checkout)."
    )
    applied: list[PromotionAppliedOut]


class CartOut(Schema):
    cluster: str = Field(description="The cluster's slug.")
    count: int = Field(description="Items in the cart (sum of quantities).")
    goods_cents: int = Field(description="NZD cents, GST-inclusive where it applies.")
    currency: str = "NZD"
    restricted_r18: bool
    problems: list[str]
    groups: list[CartGroupOut]
    hub_offered: bool = Field(
        False,
        description=(
            "The cart may go as one parcel from the cluster's hub (checkout's hub)."
        ),
    )
    promotions: CartPromotionsOut | None = Field(
        None,
        description=(
            "What the cluster's promotions (and ?promo_code=) take off the goods; "
            "checkout adds free delivery once the address is known."
        ),
    )


class CartLineIn(InputSchema):
    variant: int = Field(ge=1, le=INT_MAX, description="The variant's id.")
    quantity: int = Field(
        1, ge=1, le=MAX_LINE_QUANTITY, description="How many to add (1 to 99)."
    )


class CartLinePatchIn(InputSchema):
    quantity: int = Field(
        ge=0, le=MAX_LINE_QUANTITY, description="The new quantity; 0 removes the line."
    )


class AddressIn(InputSchema):
    country: str = Field("NZ", description="ISO 3166-1 alpha-2.")
    line1: str = ""
    line2: str = ""
    suburb: str = ""
    town: str = ""
    postcode: str = ""
    region: str = Field("", description="ISO 3166-2:NZ code, in New Zealand.")
    state: str = Field("", description="Outside New Zealand.")
    rural: bool = Field(False, description="A New Zealand rural delivery (RD) address.")


class ChoiceIn(InputSchema):
    method: Literal["delivery", "pickup_premises", "pickup_event", "freight_quote"] = (
        Field(
            description=(
                "freight_quote: request a freight quote (goods marked freight on "
                "quote, or too heavy for every rate; New Zealand only). The order "
                "is placed awaiting the quote, and no payment starts."
            )
        )
    )
    event_id: int | None = Field(None, description="For pickup_event.")
    delivery_day: str | None = Field(
        None,
        max_length=10,
        description=(
            "For delivery from a member that sets delivery days: the day it is to "
            "arrive (YYYY-MM-DD). Missing or not offered: 422 "
            "choice.<member id>.delivery_day, whose message lists the days offered."
        ),
    )


AU_GST_REASONS = (
    "Delivered to Australia: charged, over_limit (worth over A$1,000), "
    "excluded_goods (alcohol or tobacco), business_buyer (ABN given) or "
    "not_registered (the cluster is not registered); empty otherwise."
)


class CheckoutIn(InputSchema):
    email: str = Field(max_length=254)
    name: str = Field(max_length=300)
    phone: str = Field("", max_length=64)
    payment_method: str = Field(
        max_length=32, description="bank_transfer, test or stripe, as offered."
    )
    idempotency_key: str = Field(
        max_length=64,
        description="16 to 64 letters, digits, _ or -; the same key makes one order.",
    )
    address: AddressIn | None = Field(None, description="Needed for delivery.")
    choices: dict[int, ChoiceIn] = Field(
        default_factory=dict,
        json_schema_extra={"propertyNames": {"pattern": r"^[1-9][0-9]{0,17}$"}},
        description=(
            "By member id (the cart's member_id): one of the part's options. "
            "Needed for every part with more than one (422 choice.<member id>)."
        ),
    )
    age_confirmed: bool = Field(False, description="Required when R18 items.")
    buyer_abn: str = Field(
        "",
        max_length=20,
        description=(
            "Delivered to Australia: a business buyer's ABN (11 digits). With "
            "business_use, no Australian GST is charged."
        ),
    )
    business_use: bool = Field(
        False,
        description=(
            "Delivered to Australia: the buyer states it is registered for GST in "
            "Australia and buying for business use (needs buyer_abn)."
        ),
    )
    payment: dict[str, str] = Field(
        default_factory=dict,
        description="The test card's card_number, expiry (MM/YY) and cvc.",
    )
    hub: bool = Field(
        False,
        description=(
            "One parcel from the cluster's hub for one delivery charge, instead of "
            "each member's own delivery (the choices are then not needed). For "
            "carts from two or more members in a cluster offering hub delivery "
            "(GET /clusters/{slug}/cart says hub_offered); 422 hub otherwise."
        ),
    )
    promo_code: str = Field(
        "",
        max_length=64,
        description=(
            "A promo code of the cluster (any case); the automatic promotions "
            "apply without one. A code that does not apply: 422 promo_code, "
            "saying why (expired, minimum spend, used up, first order only, …)."
        ),
    )
    share_contact: bool = Field(
        False,
        description=(
            "The shopper agrees that the other makers in this order may contact "
            "them by email about their products (kept on the order with its "
            "wording and time; Privacy Act IPP 3A)."
        ),
    )


class OrderLineOut(Schema):
    title: str
    variant_name: str
    sku: str
    unit_price_cents: int
    quantity: int
    cancelled_quantity: int
    total_cents: int = Field(
        description="What is paid for it: unit price x quantity less the discount."
    )
    gst_cents: int = Field(description="The GST in total_cents (3/23, half up).")
    discount_cents: int = Field(
        0, description="What promotions took off the items not cancelled."
    )
    au_gst_cents: int = Field(description="Australian GST in total_cents (NZD).")
    alcohol_or_tobacco: bool
    restricted_r18: bool
    cold_chain: str = Field(description="none, chilled, frozen or perishable.")
    harvested_on: dt.date | None
    best_before: dt.date | None


class FreightQuoteOut(Schema):
    status: str = Field(
        description="requested, quoted, paid, declined, expired or cancelled."
    )
    reason: str = Field(description="goods (freight on quote) or weight.")
    price_cents: int | None = Field(
        description="The freight, NZD cents, as charged (GST-inclusive when the "
        "supplier charges GST); null until quoted."
    )
    gst_cents: int
    carrier: str
    note: str
    expires_at: dt.datetime = Field(description="An unanswered request lapses then.")
    answered_at: dt.datetime | None


def freight_quote_out(quote: FreightQuote) -> FreightQuoteOut:
    return FreightQuoteOut(
        status=quote.status,
        reason=quote.reason,
        price_cents=quote.price_cents,
        gst_cents=quote.gst_cents,
        carrier=quote.carrier,
        note=quote.note,
        expires_at=quote.expires_at,
        answered_at=quote.answered_at,
    )


class ShopFulfilmentOut(Schema):
    supplier_name: str
    gst_registered: bool
    gst_number: str
    method: str = Field(description="delivery, pickup_premises or pickup_event.")
    pickup_code: str
    pickup_event: PickupEventOut | None
    status: str
    carrier: str
    tracking_number: str
    check_id: bool = Field(description="R18: ID is checked on delivery or pickup.")
    chilled: bool = Field(description="Chilled or frozen goods: chilled courier.")
    via_hub: bool = Field(
        False, description="In the order's one parcel from the hub (see parcel)."
    )
    delivery_on: dt.date | None = Field(description="The delivery day chosen.")
    dispatch_on: dt.date | None
    goods_cents: int
    shipping_cents: int
    shipping_discount_cents: int = Field(
        0, description="Free delivery: the charge a promotion took off."
    )
    gst_cents: int
    au_gst_cents: int
    au_gst_reason: str = Field(description=AU_GST_REASONS)
    customs_value_aud_cents: int | None = Field(
        description="Delivered to Australia: the goods' customs value in AUD cents."
    )
    total_cents: int
    lines: list[OrderLineOut]
    freight_quote: FreightQuoteOut | None = Field(
        None, description="Delivery by freight on quote: its request and answer."
    )


class HubParcelOut(Schema):
    hub: str = Field(description="Where the parts gather: the hub's name, address.")
    status: str = Field(description="gathering (at the hub) or left.")
    charge_cents: int = Field(description="The one delivery charge.")
    split_rule: str = Field(description="weight, value or equal: how it is shared.")
    carrier: str
    tracking_number: str
    left_on: dt.date | None


class PaymentOut(Schema):
    gateway: str
    status: str = Field(description="pending, succeeded, failed or cancelled.")
    amount_cents: int
    message: str = ""
    client_secret: str | None = None
    instructions: dict[str, str] | None = None


class OrderOut(Schema):
    number: str
    cluster: str
    created_at: dt.datetime
    status: str = Field(description="awaiting_payment, paid or cancelled.")
    payment_state: str
    payment_method: str
    payment_reference: str
    hold_until: dt.datetime | None
    email: str
    name: str
    phone: str
    country: str
    address_line1: str
    address_line2: str
    suburb: str
    town: str
    postcode: str
    region: str | None
    state: str
    rural_delivery: bool
    zero_rated: bool
    goods_cents: int
    shipping_cents: int
    gst_cents: int
    au_gst_cents: int = Field(
        description="Australian GST charged (NZD cents), contained in the totals."
    )
    au_gst_reason: str = Field(description=AU_GST_REASONS)
    buyer_abn: str
    aud_rate: str | None = Field(description="AUD per NZ$1 used for A$ limits.")
    aud_rate_source: str
    total_cents: int
    currency: str
    promo_code: str = Field("", description="The promo code applied, if any.")
    discount_cents: int = Field(
        0, description="What promotions took off when it was placed."
    )
    promotions: list[PromotionAppliedOut] = Field(
        default_factory=list, description="The promotions it got, and who paid."
    )
    awaiting_freight_quote: bool = Field(
        False,
        description="Some part's freight is still to be quoted: no payment yet.",
    )
    fulfilments: list[ShopFulfilmentOut]
    payment: PaymentOut | None
    parcel: HubParcelOut | None = Field(
        None, description="Hub delivery: the order's one parcel from the hub."
    )


class OrderSummaryOut(Schema):
    number: str
    cluster: str = Field(alias="cluster.slug", description="The cluster's slug.")
    cluster_name: str = Field(alias="cluster.name")
    created_at: dt.datetime
    status: str
    payment_state: str
    total_cents: int


# --- Helpers ----------------------------------------------------------------------


def _require_csrf(request: HttpRequest) -> None:
    """These endpoints act on the session's cart: a browser must prove the call
    is the storefront's own (Django's CSRF check)."""
    if check_csrf(request) is not None:
        raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))


def _cluster(request: HttpRequest, slug: str) -> Cluster:
    return cluster_get_live(actor=actor_from(request), slug=slug)


def _user(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _event_out(event: PickupEvent) -> PickupEventOut:
    return PickupEventOut(
        name=event.name,
        venue=event.venue,
        address=event.address,
        collection_point=event.collection_point,
        time_zone=event.time_zone,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        window=event_window_label(event),
    )


def _options_out(part: PartQuote) -> list[CartOptionOut]:
    events = {event.pk: event for event in part.events}
    options = []
    for option in part.options:
        event = events.get(option.event_id or 0)
        options.append(
            CartOptionOut(
                method=option.method,
                event_id=option.event_id,
                pickup_address=part.pickup_address
                if option.method == "pickup_premises"
                else "",
                pickup_event=_event_out(event) if event else None,
            )
        )
    return options


def _cart_out(
    cluster: Cluster,
    summary: CartSummary,
    promo_code: str = "",
    shopper: Shopper | None = None,
) -> CartOut:
    quote = (
        checkout_quote(
            cluster=cluster, summary=summary, promo_code=promo_code, shopper=shopper
        )
        if summary.groups
        else None
    )
    parts = {part.group.member_id: part for part in (quote.parts if quote else ())}
    found = quote.promotions if quote else None
    return CartOut(
        promotions=CartPromotionsOut(
            promo_code=found.code,
            refused=found.refused,
            discount_cents=found.goods_cents,
            applied=[
                PromotionAppliedOut(
                    name=one.name,
                    code=one.code,
                    discount_cents=one.discount_cents,
                    paid_by=one.paid_by,
                )
                for one in found.applied
                if one.discount_cents
            ],
        )
        if found is not None and (found.applied or found.refused)
        else None,
        cluster=cluster.slug,
        count=summary.count,
        goods_cents=summary.goods_cents,
        restricted_r18=summary.restricted_r18,
        problems=summary.problems,
        hub_offered=bool(summary.groups) and hub_offer(cluster, summary) is not None,
        groups=[
            CartGroupOut(
                member_id=group.member_id,
                options=_options_out(parts[group.member_id]),
                member_slug=group.member_slug,
                member_name=group.member_name,
                gst_registered=group.gst_registered,
                goods_cents=group.goods_cents,
                items=[
                    CartItemOut(
                        line_id=item.line_id,
                        variant_id=item.variant_id,
                        sku=item.sku,
                        title=item.title,
                        variant_name=item.variant_name,
                        unit_price_cents=item.unit_price_cents,
                        quantity=item.quantity,
                        total_cents=item.total_cents,
                        restricted_r18=item.restricted_r18,
                        problem=item.problem,
                    )
                    for item in group.items
                ],
            )
            for group in summary.groups
        ],
    )


def _payment_out(order: Order, result: StartResult | None) -> PaymentOut | None:
    payments = list(order.payments.all())
    if not payments:
        return None
    latest: Payment = payments[0]
    return PaymentOut(
        gateway=latest.gateway,
        status=latest.status,
        amount_cents=latest.amount_cents,
        message=result.message if result else latest.failure_message,
        client_secret=result.client_secret if result else None,
        instructions=dict(result.instructions)
        if result and result.instructions
        else None,
    )


def order_out(order: Order, result: StartResult | None = None) -> OrderOut:
    freight = {quote.fulfilment_id: quote for quote in freight_quotes_of(order)}
    fulfilments = []
    for fulfilment in order.fulfilments.all():
        quote = freight.get(fulfilment.pk)
        event = fulfilment.pickup_event
        fulfilments.append(
            ShopFulfilmentOut(
                supplier_name=fulfilment.supplier_name,
                gst_registered=fulfilment.gst_registered,
                gst_number=fulfilment.gst_number,
                method=fulfilment.method,
                pickup_code=fulfilment.pickup_code,
                pickup_event=_event_out(event) if event else None,
                status=fulfilment.status,
                carrier=fulfilment.carrier,
                tracking_number=fulfilment.tracking_number,
                check_id=fulfilment.check_id,
                chilled=fulfilment.chilled,
                via_hub=fulfilment.via_hub,
                delivery_on=fulfilment.delivery_on,
                dispatch_on=fulfilment.dispatch_on,
                goods_cents=fulfilment.goods_cents,
                shipping_cents=fulfilment.shipping_cents,
                shipping_discount_cents=fulfilment.shipping_discount_cents,
                gst_cents=fulfilment.gst_cents,
                au_gst_cents=fulfilment.au_gst_cents,
                au_gst_reason=fulfilment.au_gst_reason,
                customs_value_aud_cents=fulfilment.customs_value_aud_cents,
                total_cents=fulfilment.total_cents,
                lines=[
                    OrderLineOut(
                        title=line.title,
                        variant_name=line.variant_name,
                        sku=line.sku,
                        unit_price_cents=line.unit_price_cents,
                        quantity=line.quantity,
                        cancelled_quantity=line.cancelled_quantity,
                        total_cents=line.total_cents,
                        gst_cents=line.gst_cents,
                        discount_cents=line.live_discount_cents,
                        au_gst_cents=line.au_gst_cents,
                        alcohol_or_tobacco=line.alcohol_or_tobacco,
                        restricted_r18=line.restricted_r18,
                        cold_chain=line.cold_chain,
                        harvested_on=line.harvested_on,
                        best_before=line.best_before,
                    )
                    for line in fulfilment.lines.all()
                ],
                freight_quote=freight_quote_out(quote) if quote else None,
            )
        )
    return OrderOut(
        number=order.number,
        cluster=order.cluster.slug,
        created_at=order.created_at,
        status=order.status,
        payment_state=order.payment_state,
        payment_method=order.payment_method,
        payment_reference=order.payment_reference,
        hold_until=order.hold_until,
        email=order.email,
        name=order.name,
        phone=order.phone,
        country=order.country,
        address_line1=order.address_line1,
        address_line2=order.address_line2,
        suburb=order.suburb,
        town=order.town,
        postcode=order.postcode,
        region=order.region.code if order.region else None,
        state=order.state,
        rural_delivery=order.rural_delivery,
        zero_rated=order.zero_rated,
        goods_cents=order.goods_cents,
        shipping_cents=order.shipping_cents,
        gst_cents=order.gst_cents,
        au_gst_cents=order.au_gst_cents,
        au_gst_reason=order.au_gst_reason,
        buyer_abn=order.buyer_abn,
        aud_rate=str(order.aud_rate) if order.aud_rate is not None else None,
        aud_rate_source=order.aud_rate_source,
        total_cents=order.total_cents,
        currency=order.currency,
        promo_code=order.promo_code,
        discount_cents=order.discount_cents,
        promotions=[
            PromotionAppliedOut(
                name=use.promotion.name,
                code=use.code or None,
                discount_cents=use.discount_cents,
                paid_by=use.promotion.paid_by,
            )
            for use in (uses_of_order(order.pk) if order.discount_cents else [])
        ],
        awaiting_freight_quote=any(quote.is_open for quote in freight.values()),
        fulfilments=fulfilments,
        payment=_payment_out(order, result),
        parcel=_parcel_out(order),
    )


def _parcel_out(order: Order) -> HubParcelOut | None:
    parcel = hub_parcel_of(order)
    if parcel is None:
        return None
    return HubParcelOut(
        hub=parcel.consolidation_point,
        status=parcel.status,
        charge_cents=parcel.charge_cents,
        split_rule=parcel.split_rule,
        carrier=parcel.carrier,
        tracking_number=parcel.waybill,
        left_on=parcel.left_on,
    )


# --- The cart -----------------------------------------------------------------------


@router.get("/clusters/{slug}/cart", response=CartOut)
def cart_get_api(
    request: HttpRequest,
    slug: str,
    promo_code: Annotated[str, Query(max_length=64)] = "",
) -> CartOut:
    """The session's (or the logged-in customer's) cart in this cluster, with
    what the promotions take off (``?promo_code=`` to try a code).

    Session-based, like the storefront: call it from the browser with its cookies
    (a guest's cart lives in the Django session); writes need ``X-CSRFToken``."""
    cluster = _cluster(request, slug)
    summary = cart_summary(shopper_cart(request, cluster), release_expired=True)
    return _cart_out(cluster, summary, promo_code[:64], shopper_facts(_user(request)))


@router.post("/clusters/{slug}/cart/lines", response={201: CartOut})
def cart_line_add_api(
    request: HttpRequest, slug: str, payload: CartLineIn
) -> Status[CartOut]:
    """Add a variant (on top of what the cart has); the cart is made if need be."""
    _require_csrf(request)
    cluster = _cluster(request, slug)
    cart = shopper_cart_make(request, cluster)
    cart_add(cart=cart, variant_id=payload.variant, quantity=payload.quantity)
    summary = cart_summary(cart)
    remember_summary(request, cluster, summary)
    return Status(201, _cart_out(cluster, summary))


def _set_line(request: HttpRequest, slug: str, line_id: int, quantity: int) -> CartOut:
    _require_csrf(request)
    cluster = _cluster(request, slug)
    cart = shopper_cart(request, cluster)
    if cart is None or line_id not in {
        item.line_id for item in cart_summary(cart).items
    }:
        raise Http404
    cart_set_quantity(cart=cart, line_id=line_id, quantity=quantity)
    summary = cart_summary(cart)
    remember_summary(request, cluster, summary)
    return _cart_out(cluster, summary)


@router.patch("/clusters/{slug}/cart/lines/{line_id}", response=CartOut)
def cart_line_update_api(
    request: HttpRequest, slug: str, line_id: int, payload: CartLinePatchIn
) -> CartOut:
    """Set a line's quantity (0 removes it). 404 for a line not in this cart."""
    return _set_line(request, slug, line_id, payload.quantity)


@router.delete("/clusters/{slug}/cart/lines/{line_id}", response=CartOut)
def cart_line_remove_api(request: HttpRequest, slug: str, line_id: int) -> CartOut:
    """Remove a line. 404 for a line not in this cart."""
    return _set_line(request, slug, line_id, 0)


# --- Orders ---------------------------------------------------------------------------


@router.get("/orders", response=list[OrderSummaryOut], auth=django_auth)
@paginate(Paginated)
def order_list_api(request: HttpRequest) -> QuerySet[Order]:
    """The logged-in customer's orders in every cluster, newest first."""
    user = _user(request)
    if user is None:
        return Order.objects.none()
    return order_list_for_customer(user)


@router.get("/orders/{number}", response=OrderOut)
def order_get_api(
    request: HttpRequest, number: str, key: Annotated[str, Query(max_length=128)] = ""
) -> OrderOut:
    """One order: its customer's, the placing session's, or with the signed
    ``key`` of the confirmation email's link. 404 otherwise."""
    order = order_get_for_request(request, number=number, key=key[:100])
    return order_out(order)


@router.post("/orders/{number}/freight/decline", response=OrderOut)
def order_freight_decline_api(
    request: HttpRequest, number: str, key: Annotated[str, Query(max_length=128)] = ""
) -> OrderOut:
    """Decline the freight quote (or stop waiting for it): the unpaid order is
    cancelled and its stock goes back. Whoever may read the order (its customer,
    the placing session, the signed ``key``); 404 otherwise, 409 when there is no
    open freight quote (or a payment is under way). Writes need ``X-CSRFToken``."""
    _require_csrf(request)
    order = order_get_for_request(request, number=number, key=key[:100])
    freight_quote_decline(order=order)
    return order_out(order_get_for_request(request, number=number, key=key[:100]))

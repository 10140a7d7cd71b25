"""The JSON endpoints where an order's money moves: checkout (places the order and
starts its payment, which the test card settles at once) and cancelling a member's
part of an order (its money goes back). Same paths, schemas and operation ids as
when they were orders' (``purei.orders.api_shop``, ``purei.orders.api_manage``),
whose schemas they answer with.

Checkout uses the browser session, like the storefront (``X-CSRFToken`` on the
POST); cancelling is for the member's team (401 anonymous, 404 outside scope, 403
for platform staff, 409 for a part that can no longer be cancelled, 422 naming
each field at fault).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from ninja.utils import check_csrf
from pydantic import ConfigDict

from purei.accounts.models import User
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema, WholeNumber
from purei.core.errors import ValidationFailed
from purei.members.selectors import member_get_for_team
from purei.orders.api_manage import FulfilmentOut, fulfilment_out
from purei.orders.api_shop import CheckoutIn, OrderOut, order_out
from purei.orders.errors import OrderErrorCode
from purei.orders.models import Fulfilment, Order
from purei.orders.selectors import fulfilment_get_for_team
from purei.orders.services.cart import cart_summary
from purei.orders.services.checkout import (
    Address,
    CheckoutDetails,
    Choice,
    order_place_or_find,
)
from purei.orders.services.freight import order_awaits_freight_quote
from purei.orders.shopper import (
    order_get_for_request,
    remember_cart_count,
    remember_placed,
    remember_summary,
    shopper_cart,
)
from purei.payments.gateways import CardDetails
from purei.payments.models import Payment
from purei.payments.services import payment_gateway
from purei.settlement.services import (
    fulfilment_cancel,
    order_lines_cancel,
    payment_start,
)

router = Router()


class CancelLineIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    line: WholeNumber = Field(description="The line's id.")
    quantity: WholeNumber = Field(ge=1)


class CancelIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=300, description="The customer is told.")
    lines: list[CancelLineIn] | None = Field(
        None, description="Only these; leave out to cancel the whole part."
    )


class CancelOut(Schema):
    fulfilment: FulfilmentOut
    cancelled_cents: int
    refunded_cents: int
    refund_error: str


def _require_csrf(request: HttpRequest) -> None:
    """Checkout acts on the session's cart: a browser must prove the call is the
    storefront's own (Django's CSRF check)."""
    if check_csrf(request) is not None:
        raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))


def _user(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _card(payment: dict[str, str]) -> CardDetails:
    """The test card's details from the request's ``payment`` object."""
    return CardDetails(
        card_number=str(payment.get("card_number", "")),
        expiry=str(payment.get("expiry", "")),
        cvc=str(payment.get("cvc", "")),
    )


@router.post(
    "/clusters/{slug}/checkout",
    response={201: OrderOut},
    tags=["shop"],
    # Kept from when it was orders' own, so generated clients keep their names.
    operation_id="purei_orders_api_shop_checkout_api",
)
def checkout_api(
    request: HttpRequest, slug: str, payload: CheckoutIn
) -> Status[OrderOut]:
    """Place the order for the cart and start its payment. The same
    ``idempotency_key`` sent again answers with the same order."""
    _require_csrf(request)
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    cart = shopper_cart(request, cluster)
    if cart is None:
        raise ValidationFailed(
            OrderErrorCode.CART_EMPTY, {"cart": [_("Your cart is empty.")]}
        )
    card = _card(payload.payment)
    # A freight quote request takes no payment yet: the card is not asked for.
    freight = any(c.method == "freight_quote" for c in payload.choices.values())
    try:
        if not freight:
            payment_gateway(gateway_name=payload.payment_method, card=card)
    except ValidationFailed as error:
        raise ValidationFailed(
            error.code,
            {
                ("payment_method" if name == "gateway" else f"payment.{name}"): msgs
                for name, msgs in error.errors.items()
            },
        ) from None
    address = payload.address
    details = CheckoutDetails(
        email=payload.email,
        name=payload.name,
        phone=payload.phone,
        payment_method=payload.payment_method,
        idempotency_key=payload.idempotency_key,
        address=Address(**address.model_dump()) if address else None,
        choices={
            member_id: Choice(choice.method, choice.event_id, choice.delivery_day)
            for member_id, choice in payload.choices.items()
        },
        age_confirmed=payload.age_confirmed,
        buyer_abn=payload.buyer_abn,
        business_use=payload.business_use,
        hub=payload.hub,
        promo_code=payload.promo_code,
        share_contact=payload.share_contact,
    )
    placement = order_place_or_find(cart=cart, details=details, user=_user(request))
    order = placement.order
    remember_placed(request, order)
    if placement.new:
        # Placing it emptied the cart, in the same transaction.
        remember_cart_count(request, cluster, 0)
    else:
        remember_summary(request, cluster, cart_summary(cart))
    result = None
    # The order as ``order_place`` left it (new, or the one this key placed
    # before): the answer's full order is read once, after the payment. A new
    # one has no payment yet.
    busy = {Payment.Status.PENDING, Payment.Status.SUCCEEDED}
    if (
        order.status == Order.Status.AWAITING_PAYMENT
        and not order_awaits_freight_quote(order)
        and (placement.new or not order.payments.filter(status__in=busy).exists())
    ):
        _payment, result = payment_start(
            order=order, gateway_name=payload.payment_method, card=card
        )
    order = order_get_for_request(request, number=order.number)
    return Status(201, order_out(order, result))


def _fulfilment(request: HttpRequest, slug: str, number: str) -> Fulfilment:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    return fulfilment_get_for_team(actor, member, number)


@router.post(
    "/members/{slug}/fulfilments/{number}/cancel",
    response=CancelOut,
    auth=django_auth,
    summary="Cancel your part of an order, or some of its lines",
    tags=["orders"],
    # Kept from when it was orders' own, so generated clients keep their names.
    operation_id="purei_orders_api_manage_fulfilment_cancel_api",
)
def fulfilment_cancel_api(
    request: HttpRequest, slug: str, number: str, payload: CancelIn
) -> CancelOut:
    """Before it ships (or is collected). Stock goes back; a paid order is refunded
    the cancelled amount through the way it was paid."""
    actor = actor_from(request)
    fulfilment = _fulfilment(request, slug, number)
    if payload.lines:
        quantities: dict[int, int] = {}
        for line in payload.lines:
            quantities[line.line] = quantities.get(line.line, 0) + line.quantity
        outcome = order_lines_cancel(
            actor=actor,
            fulfilment=fulfilment,
            quantities=quantities,
            reason=payload.reason,
        )
    else:
        outcome = fulfilment_cancel(
            actor=actor, fulfilment=fulfilment, reason=payload.reason
        )
    return CancelOut(
        fulfilment=fulfilment_out(_fulfilment(request, slug, number)),
        cancelled_cents=outcome.cancelled_cents,
        refunded_cents=outcome.refund.amount_cents if outcome.refund else 0,
        refund_error=outcome.refund_error,
    )

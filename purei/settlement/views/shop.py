"""The shopper's pages where money is taken: checkout and the order page.

- ``/c/<slug>/checkout/`` one page: contact, address, delivery or pickup per
  member, R18 confirmation, payment. POST with ``action=update`` reprices it
  ("Update delivery prices", and htmx on change); otherwise it places the order
  (``order_place``), starts the payment (``payment_start``) and goes to the order.
- ``/orders/<number>/`` the order for its customer, the session that placed it or
  whoever holds the signed link of the confirmation email; ``pay/`` retries a
  declined payment.

They live in settlement because starting a payment may settle it at once (the
test card): ``payment_start`` books it with the order and the ledger. The cart and
the order history are orders' own pages (``purei.orders.views.cart``). Every page
works without JavaScript; htmx only swaps in the same server-rendered HTML. Who may
see what is decided in ``purei.orders.shopper``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purei.accounts.models import User
from purei.clusters.models import Cluster
from purei.clusters.money_accounts import cluster_gateway_account
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.countries import COUNTRIES
from purei.core.errors import ValidationFailed
from purei.orders.errors import OrderErrorCode
from purei.orders.freight_selectors import freight_for_order_page
from purei.orders.hub_selectors import hub_parcel_of
from purei.orders.models import SHARE_CONTACT_WORDING, Fulfilment, Order
from purei.orders.pickup import event_window_label
from purei.orders.selectors import first_pictures
from purei.orders.services.cart import CartSummary, cart_summary
from purei.orders.services.checkout import (
    Choice,
    checkout_quote,
    order_place,
)
from purei.orders.services.freight import order_awaits_freight_quote
from purei.orders.services.hub_checkout import hub_offer
from purei.orders.services.promotions import shopper_facts
from purei.orders.shipping import policies_for
from purei.orders.shopper import (
    delivery_region_in_session,
    order_get_for_request,
    regions,
    remember_cart_count,
    remember_placed,
    remember_summary,
    shopper_cart,
)
from purei.payments.gateways import CardDetails, Gateway, available_gateways
from purei.payments.gateways.test_gateway import CardTestGateway
from purei.payments.models import Payment
from purei.payments.services import payment_gateway
from purei.settlement.services import payment_start

from ._checkout_form import (
    CheckoutForm,
    au_gst_notes,
    documented_test_cards,
    error_summary,
    form_fields,
    member_options,
)


def _user(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_authenticated else None


def _cluster(request: HttpRequest, slug: str) -> Cluster:
    return cluster_get_live(actor=actor_from(request), slug=slug)


def _cart_url(cluster: Cluster) -> str:
    return reverse("orders:cart", kwargs={"slug": cluster.slug})


def _messages_of(error: ValidationFailed) -> list[str]:
    return [message for messages_ in error.errors.values() for message in messages_]


# --- Checkout -------------------------------------------------------------------


def _checkout_context(
    request: HttpRequest,
    cluster: Cluster,
    summary: CartSummary,
    form: CheckoutForm,
    gateways: list[Gateway] | None = None,
) -> dict[str, Any]:
    address = form.address()
    choices = form.parsed_choices()
    business = form.au_business()
    hub = hub_offer(cluster, summary)
    if hub is None and not form.errors.get("delivery_mode"):
        form.hub = False
    # The promotions (and the code typed), for the shopper typed (ADR 0015).
    code = form.values.get("promo_code", "")
    shopper = shopper_facts(_user(request), form.values.get("email", ""))
    quote = checkout_quote(
        cluster=cluster,
        summary=summary,
        address=address,
        choices=choices,
        au_business=business,
        hub=form.hub,
        promo_code=code,
        shopper=shopper,
    )
    hub_quote = quote
    if hub is not None and not form.hub:
        hub_quote = checkout_quote(
            cluster=cluster,
            summary=summary,
            address=address,
            au_business=business,
            hub=True,
            promo_code=code,
            shopper=shopper,
        )
    delivery_quote = None
    if quote.zone is not None:
        delivery_quote = checkout_quote(
            cluster=cluster,
            summary=summary,
            address=address,
            choices={g.member_id: Choice("delivery") for g in summary.groups},
            au_business=business,
            promo_code=code,
            shopper=shopper,
        )
    policies = policies_for(cluster, [g.member_id for g in summary.groups])
    instructions = {
        member_id: policy.pickup_instructions for member_id, policy in policies.items()
    }
    if gateways is None:
        gateways = available_gateways(cluster_gateway_account(cluster_id=cluster.pk))
    parts = member_options(form, quote, delivery_quote, instructions)
    pictures = first_pictures([item.product_id for item in summary.items])
    for row in parts:
        row["summary_lines"] = [
            {"line": line, "picture": pictures.get(line.item.product_id)}
            for line in row["part"].lines
        ]
    errors = error_summary(form, parts)
    return {
        "cluster": cluster,
        "summary": summary,
        "quote": quote,
        "parts": parts,
        "form": form,
        "values": form.values,
        "share_contact_wording": SHARE_CONTACT_WORDING,
        "fields": form_fields(form),
        "errors": form.errors,
        "error_rows": errors,
        "countries": COUNTRIES,
        "regions": regions(),
        "gateways": gateways,
        "test_gateway": CardTestGateway.name,
        "offers_test_card": any(g.name == CardTestGateway.name for g in gateways),
        "test_cards": documented_test_cards(),
        "any_gst": any(part.gst_cents for part in quote.parts),
        "au_notes": au_gst_notes(quote),
        "hub": hub,
        "hub_quote": hub_quote if hub is not None else None,
        "hub_errors": form.errors.get("delivery_mode", []),
    }


def _render_checkout(
    request: HttpRequest,
    cluster: Cluster,
    summary: CartSummary,
    form: CheckoutForm,
    *,
    status: int = 200,
    gateways: list[Gateway] | None = None,
) -> HttpResponse:
    context = _checkout_context(request, cluster, summary, form, gateways)
    return render(request, "orders/shop/checkout.html", context, status=status)


def _start_payment(
    request: HttpRequest, order: Order, gateway_name: str, card: CardDetails | None
) -> None:
    """Pay for a just-placed order, unless a payment is under way or done (the
    same checkout submitted twice pays once)."""
    if order.status != Order.Status.AWAITING_PAYMENT:
        return
    if order_awaits_freight_quote(order):
        messages.success(
            request,
            _(
                "Your freight quote request is in: we email you the price, then "
                "you pay here."
            ),
        )
        return
    busy = {Payment.Status.PENDING, Payment.Status.SUCCEEDED}
    if any(payment.status in busy for payment in order.payments.all()):
        return
    try:
        payment, result = payment_start(
            order=order, gateway_name=gateway_name, card=card
        )
    except ValidationFailed as error:
        for message in _messages_of(error):
            messages.error(request, message)
        return
    if payment.status == Payment.Status.FAILED:
        messages.error(request, result.message)
    elif payment.status == Payment.Status.SUCCEEDED:
        messages.success(request, result.message)


@require_http_methods(["GET", "POST"])
def checkout_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = _cluster(request, slug)
    cart = shopper_cart(request, cluster)
    summary = cart_summary(cart, release_expired=True)
    remember_summary(request, cluster, summary)
    if cart is None or summary.is_empty:
        messages.info(request, _("Your cart is empty."))
        return redirect(_cart_url(cluster))
    if summary.problems:
        messages.error(
            request, _("Some items in your cart have changed: check them first.")
        )
        return redirect(_cart_url(cluster))
    user = _user(request)
    if request.method == "GET":
        account = cluster_gateway_account(cluster_id=cluster.pk)
        gateways = available_gateways(account)
        form = CheckoutForm.initial(user, gateways)
        # The region picked for the cart's estimate: its prices show at once.
        form.values["region"] = delivery_region_in_session(request)
        # The cart's "Check out with this code" (ADR 0015).
        form.values["promo_code"] = str(request.GET.get("promo_code", "")).strip()[:32]
        return _render_checkout(request, cluster, summary, form, gateways=gateways)
    form = CheckoutForm.from_post(request)
    if request.POST.get("action") == "update":
        return _render_checkout(request, cluster, summary, form)
    # The card is checked before the order is placed, so a typo makes no order
    # (none is taken for a freight quote request: the shopper pays once quoted).
    try:
        if "freight_quote" not in form.choices.values():
            payment_gateway(
                gateway_name=form.values["payment_method"],
                card=form.card(),
                account=cluster_gateway_account(cluster_id=cluster.pk),
            )
    except ValidationFailed as error:
        form.add_errors(error)
        return _render_checkout(request, cluster, summary, form, status=422)
    try:
        order = order_place(cart=cart, details=form.details(), user=user)
    except ValidationFailed as error:
        if error.code in {OrderErrorCode.SOLD_OUT, OrderErrorCode.CART_EMPTY} or (
            "cart" in error.errors
        ):
            for message in error.errors.get("cart", [error.message]):
                messages.error(request, message)
            return redirect(_cart_url(cluster))
        if error.errors.pop("idempotency_key", None):
            # The key is the page's hidden field: the shopper can only try again.
            form.values["idempotency_key"] = uuid.uuid4().hex
            error.errors["__all__"] = [_("Reload the checkout page and try again.")]
        form.add_errors(error)
        return _render_checkout(request, cluster, summary, form, status=422)
    remember_placed(request, order)
    remember_cart_count(request, cluster, 0)
    order = order_get_for_request(request, number=order.number)
    _start_payment(request, order, form.values["payment_method"], form.card())
    return redirect(reverse("settlement:order-detail", kwargs={"number": order.number}))


# --- The order ------------------------------------------------------------------


def _latest_payment(order: Order) -> Payment | None:
    payments = list(order.payments.all())
    return payments[0] if payments else None


def _fulfilment_rows(order: Order) -> list[dict[str, Any]]:
    fulfilments = list(order.fulfilments.all())
    premises = {
        f.member_id
        for f in fulfilments
        if f.method == Fulfilment.Method.PICKUP_PREMISES
    }
    policies = policies_for(order.cluster, premises) if premises else {}
    pictures = first_pictures(
        [line.product_id for f in fulfilments for line in f.lines.all()]
    )
    rows = []
    for fulfilment in fulfilments:
        event = fulfilment.pickup_event
        policy = policies.get(fulfilment.member_id)
        rows.append(
            {
                "fulfilment": fulfilment,
                "lines": [
                    {
                        "line": line,
                        "picture": pictures.get(line.product_id)
                        if line.product_id is not None
                        else None,
                    }
                    for line in fulfilment.lines.all()
                ],
                "event": event,
                "event_window": event_window_label(event) if event else "",
                "pickup_address": policy.pickup_address if policy else "",
                "pickup_instructions": policy.pickup_instructions if policy else "",
            }
        )
    return rows


def _order_context(
    request: HttpRequest,
    order: Order,
    key: str,
    pay_form: CheckoutForm | None = None,
) -> dict[str, Any]:
    latest = _latest_payment(order)
    freight = freight_for_order_page(order)
    # Waiting for a freight quote: no payment until it is answered. (A trade
    # order with its deposit in is paid the rest through the cluster.)
    awaiting = (
        order.status == Order.Status.AWAITING_PAYMENT
        and order.payment_state == Order.PaymentState.UNPAID
        and not freight["freight_waiting"]
    )
    account = cluster_gateway_account(cluster_id=order.cluster_id)
    gateways = available_gateways(account) if awaiting else []
    bank = awaiting and latest is not None and latest.gateway == "bank_transfer"
    can_retry = awaiting and (
        latest is None
        or latest.status in {Payment.Status.FAILED, Payment.Status.CANCELLED}
    )
    if pay_form is None:
        pay_form = CheckoutForm.initial(None, gateways) if gateways else None
    return {
        "cluster": order.cluster,
        "order": order,
        "key": key,
        "parts": [
            {**row, "freight": freight["freight_by_part"].get(row["fulfilment"].pk)}
            for row in _fulfilment_rows(order)
        ],
        "payment": latest,
        "awaiting": awaiting,
        "bank_transfer": bank,
        "bank": {
            "account_name": account.bank_account_name
            or settings.BANK_TRANSFER_ACCOUNT_NAME,
            "account_number": account.bank_account_number
            or settings.BANK_TRANSFER_ACCOUNT,
        },
        "stripe_pending": awaiting
        and latest is not None
        and latest.gateway == "stripe"
        and latest.status == Payment.Status.PENDING,
        # The cluster's own publishable key, else the platform's (which, for a
        # connected account, acts for it: ``stripe_account``).
        "stripe_key": account.stripe_publishable_key or settings.STRIPE_PUBLISHABLE_KEY,
        "stripe_account": account.stripe_account,
        "return_url": request.build_absolute_uri(request.get_full_path()),
        "can_retry": can_retry and bool(gateways),
        "gateways": gateways,
        "pay_form": pay_form,
        "values": pay_form.values if pay_form else {},
        "fields": form_fields(pay_form) if pay_form else {},
        "errors": pay_form.errors if pay_form else {},
        "error_rows": error_summary(pay_form, []) if pay_form else [],
        "test_gateway": CardTestGateway.name,
        "offers_test_card": any(g.name == CardTestGateway.name for g in gateways),
        "test_cards": documented_test_cards(),
        "check_id": any(f.check_id for f in order.fulfilments.all()),
        **freight,
        **_parcel_context(order),
    }


def _parcel_context(order: Order) -> dict[str, Any]:
    """Hub delivery: the order's one parcel and how many of its parts are in."""
    parcel = hub_parcel_of(order)
    if parcel is None:
        return {"parcel": None}
    parts = [
        f
        for f in order.fulfilments.all()
        if f.via_hub and f.status != Fulfilment.Status.CANCELLED
    ]
    return {
        "parcel": parcel,
        "parcel_parts": len(parts),
        "parcel_in": len([f for f in parts if f.hub_dropped_at]),
    }


# Stripe.js runs from Stripe's own servers and talks to them (their documented
# Content-Security-Policy); only the order page, and only while a card payment
# through Stripe waits, allows it.
STRIPE_CSP = {
    **settings.SECURE_CSP,
    "script-src": [*settings.SECURE_CSP.get("script-src", []), "https://js.stripe.com"],
    "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["'self'", "https://api.stripe.com"],
}


@require_GET
def order_detail_view(request: HttpRequest, number: str) -> HttpResponse:
    key = str(request.GET.get("key", ""))[:100]
    order = order_get_for_request(request, number=number, key=key)
    context = _order_context(request, order, key)
    response = render(request, "orders/shop/order.html", context)
    if context["stripe_pending"] and context["stripe_key"]:
        response._csp_config = STRIPE_CSP  # type: ignore[attr-defined]
    return response


@require_POST
def order_pay_view(request: HttpRequest, number: str) -> HttpResponse:
    """Try paying again (after a declined card, or another way)."""
    key = str(request.POST.get("key", ""))[:100]
    order = order_get_for_request(request, number=number, key=key)
    form = CheckoutForm.from_post(request)
    try:
        payment, result = payment_start(
            order=order,
            gateway_name=form.values["payment_method"],
            card=form.card(),
        )
    except ValidationFailed as error:
        form.add_errors(error)
        if "order" in error.errors:
            for message in error.errors["order"]:
                messages.error(request, message)
        context = _order_context(request, order, key, pay_form=form)
        return render(request, "orders/shop/order.html", context, status=422)
    if payment.status == Payment.Status.FAILED:
        messages.error(request, result.message)
    elif payment.status == Payment.Status.SUCCEEDED:
        messages.success(request, result.message)
    url = reverse("settlement:order-detail", kwargs={"number": order.number})
    return HttpResponseRedirect(f"{url}?key={key}" if key else url)

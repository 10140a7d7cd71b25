"""The shopper's pages: add to cart, the cart, checkout without JavaScript, the order
page and its access rules, order history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from purei.accounts.models import User
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.catalogue.models import ProductImage, Variant
from purei.clusters.models import Cluster
from purei.clusters.tests.factories import ClusterFactory
from purei.core.money import format_nzd
from purei.core.tests.pictures import picture_bytes
from purei.members.models import Member
from purei.members.tests.factories import MemberFactory
from purei.orders.links import order_link
from purei.orders.models import Cart, CartLine, Fulfilment, Order, Zone
from purei.orders.tests.factories import (
    PickupEventFactory,
    ShippingPolicyFactory,
    rate_table,
)
from purei.payments.models import Payment
from purei.search.tests.factories import public_product

pytestmark = pytest.mark.django_db

GOOD_CARD = "4242 4242 4242 4242"
WINDOW = "Saturday 2 February, 9 am \u2013 4 pm (NZDT)"
DECLINED_CARD = "4000 0000 0000 0002"
AUCKLAND = {
    "country": "NZ",
    "line1": "12 Queen Street",
    "suburb": "Grey Lynn",
    "town": "Auckland",
    "postcode": "1021",
    "region": "NZ-AUK",
}


@pytest.fixture(autouse=True)
def _payments(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True
    settings.STRIPE_SECRET_KEY = ""
    settings.BANK_TRANSFER_ACCOUNT_NAME = "Fair Trust"
    settings.BANK_TRANSFER_ACCOUNT = "12-3456-7890123-00"


def _variant(
    cluster: Cluster, member: Member, *, price: int, stock: int = 10, **product: Any
) -> Variant:
    made = public_product(cluster, member=member, **product)
    variant = Variant.objects.get(product=made)
    variant.price_cents = price
    variant.stock = stock
    variant.weight_grams = 500
    variant.save()
    return variant


@pytest.fixture
def shop(db: Any) -> dict[str, Any]:
    """A live cluster shipping everywhere in New Zealand, with two makers: one
    registered for GST, one not."""
    cluster = ClusterFactory.create(slug="fair", name_en="The Fair")
    policy = ShippingPolicyFactory.create(member=None, cluster=cluster)
    rate_table(
        policy,
        [(Zone.NORTH_ISLAND, None, 850), (Zone.SOUTH_ISLAND, None, 1250)],
    )
    bees = MemberFactory.create(
        slug="bees", trading_name="Bees", gst_registered=True, gst_number="49091850"
    )
    pots = MemberFactory.create(slug="pots", trading_name="Pots", gst_registered=False)
    honey = _variant(cluster, bees, price=2450, title_en="Mānuka honey")
    bowl = _variant(cluster, pots, price=6000, title_en="Bowl")
    return {
        "cluster": cluster,
        "bees": bees,
        "pots": pots,
        "honey": honey,
        "bowl": bowl,
    }


def _url(name: str, cluster: Cluster) -> str:
    app = "settlement" if name == "checkout" else "orders"  # checkout takes money
    return reverse(f"{app}:{name}", kwargs={"slug": cluster.slug})


def _add(client: Client, variant: Variant, quantity: int = 1) -> Any:
    cluster = variant.product.listings.get().cluster
    return client.post(
        _url("cart-add", cluster), {"variant": variant.pk, "quantity": quantity}
    )


def _key(client: Client, cluster: Cluster) -> str:
    body = client.get(_url("checkout", cluster)).content.decode()
    match = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', body)
    assert match is not None
    return match.group(1)


def _checkout(
    client: Client, cluster: Cluster, *, key: str | None = None, **fields: Any
) -> Any:
    data: dict[str, Any] = {
        "idempotency_key": key or _key(client, cluster),
        "email": "aroha@example.nz",
        "name": "Aroha Te Wake",
        "phone": "021 555 0101",
        **AUCKLAND,
        "payment_method": "test",
        "card_number": GOOD_CARD,
        "expiry": "12/39",
        "cvc": "123",
        "action": "place",
    }
    data.update(fields)
    return client.post(
        _url("checkout", cluster), {k: v for k, v in data.items() if v is not None}
    )


# --- Adding to the cart ---------------------------------------------------------------


def test_product_page_form_adds_to_a_guest_cart_kept_in_the_session(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    honey: Variant = shop["honey"]
    page = client.get(
        reverse(
            "catalogue:public-product",
            kwargs={
                "slug": "fair",
                "member_slug": "bees",
                "product_slug": honey.product.slug,
            },
        )
    )
    assert f'action="{_url("cart-add", shop["cluster"])}"' in page.content.decode()
    # when
    response = _add(client, honey, 2)
    # then
    assert response.status_code == 302
    assert response["Location"] == _url("cart", shop["cluster"])
    token = client.session["cart_token"]
    cart = Cart.objects.get(session_key=token)
    assert token != client.session.session_key
    assert list(cart.lines.values_list("variant_id", "quantity")) == [(honey.pk, 2)]
    body = client.get(_url("cart", shop["cluster"])).content.decode()
    assert "Mānuka honey" in body
    assert "Cart (2 items)" in body


def test_sold_out_variant_has_no_add_to_cart_form(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    honey: Variant = shop["honey"]
    honey.stock = 0
    honey.save()
    # when
    page = client.get(
        reverse(
            "catalogue:public-product",
            kwargs={
                "slug": "fair",
                "member_slug": "bees",
                "product_slug": honey.product.slug,
            },
        )
    ).content.decode()
    # then
    assert _url("cart-add", shop["cluster"]) not in page
    assert "Sold out for now." in page


def test_adding_more_than_in_stock_is_refused_with_a_message(
    client: Client, shop: dict[str, Any]
) -> None:
    # when
    response = _add(client, shop["honey"], 11)
    # then
    assert response.status_code == 302
    assert not CartLine.objects.exists()
    body = client.get(response["Location"]).content.decode()
    assert "Only 10 of Mānuka honey left." in body


# --- The cart page --------------------------------------------------------------------


def test_cart_groups_lines_by_member_and_shows_what_no_longer_fits(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 3)
    _add(client, shop["bowl"], 1)
    Variant.objects.filter(pk=shop["honey"].pk).update(stock=1)
    # when
    body = client.get(_url("cart", shop["cluster"])).content.decode()
    # then
    assert "From Bees" in body
    assert "From Pots" in body
    assert "Only 1 of Mānuka honey left." in body
    assert "$73.50" in body  # 3 x $24.50 from Bees
    assert "$133.50" in body  # the total
    assert "incl. GST where the maker is registered" in body


def test_cart_update_sets_quantities_and_removes_lines(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 1)
    _add(client, shop["bowl"], 1)
    honey_line = CartLine.objects.get(variant=shop["honey"])
    bowl_line = CartLine.objects.get(variant=shop["bowl"])
    # when
    response = client.post(
        _url("cart-update", shop["cluster"]),
        {
            f"quantity-{honey_line.pk}": "4",
            f"quantity-{bowl_line.pk}": "1",
            "remove": str(bowl_line.pk),
        },
    )
    # then
    assert response.status_code == 302
    assert list(CartLine.objects.values_list("variant_id", "quantity")) == [
        (shop["honey"].pk, 4)
    ]


def test_cart_update_beyond_stock_shows_the_error_beside_the_quantity(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 1)
    line = CartLine.objects.get()
    # when
    response = client.post(
        _url("cart-update", shop["cluster"]), {f"quantity-{line.pk}": "50"}
    )
    # then
    assert response.status_code == 422
    body = response.content.decode()
    assert f'aria-describedby="quantity-{line.pk}-error"' in body
    assert "Only 10 of Mānuka honey left." in body
    line.refresh_from_db()
    assert line.quantity == 1


# --- Delivery estimated in the cart -----------------------------------------------


def _estimates(body: str) -> dict[str, str]:
    """Each maker's estimated delivery as the cart shows it."""
    return dict(
        re.findall(
            r'<h2 id="member-\d+">From ([^<]+)</h2>.*?'
            r"<dt>Delivery to [^<]+</dt>\s*<dd>([^<]+)</dd>",
            body,
            flags=re.DOTALL,
        )
    )


def test_the_cart_estimates_each_makers_delivery_for_the_region_picked(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"])
    _add(client, shop["bowl"])
    cart_url = _url("cart", shop["cluster"])
    before = client.get(cart_url).content.decode()
    assert "choose your region" in before
    assert "Delivery to" not in before
    # when
    body = client.get(cart_url + "?region=NZ-CAN").content.decode()
    # then
    assert _estimates(body) == {"Bees": "$12.50", "Pots": "$12.50"}
    assert '<option value="NZ-CAN" selected>Canterbury</option>' in body
    assert "$109.50" in body  # $84.50 of goods and $25.00 of delivery
    # the region is remembered, and can be forgotten
    assert client.session["delivery_region"] == "NZ-CAN"
    again = client.get(cart_url).content.decode()
    assert _estimates(again) == {"Bees": "$12.50", "Pots": "$12.50"}
    client.get(cart_url + "?region=")
    assert "delivery_region" not in client.session
    client.get(cart_url + "?region=NZ-CAN")
    client.get(cart_url + "?region=NOWHERE")
    assert "delivery_region" not in client.session


@pytest.mark.parametrize(
    ("region", "town"),
    [("NZ-AUK", "Auckland"), ("NZ-CAN", "Christchurch")],
)
def test_the_carts_estimate_is_what_checkout_charges_in_that_region(
    client: Client, shop: dict[str, Any], region: str, town: str
) -> None:
    # given: the estimate for the region
    _add(client, shop["honey"], 2)
    _add(client, shop["bowl"])
    cart = client.get(_url("cart", shop["cluster"]) + f"?region={region}")
    estimated = _estimates(cart.content.decode())
    # when: checkout opens with that region, and the order is placed to a
    # street there with everything delivered
    page = client.get(_url("checkout", shop["cluster"])).content.decode()
    assert f'<option value="{region}" selected>' in page
    response = _checkout(
        client,
        shop["cluster"],
        region=region,
        town=town,
        **{
            f"choice-{shop['bees'].pk}": "delivery",
            f"choice-{shop['pots'].pk}": "delivery",
        },
    )
    # then
    assert response.status_code == 302
    charged = {
        f.member.trading_name: format_nzd(f.shipping_cents)
        for f in Fulfilment.objects.select_related("member")
    }
    assert charged == estimated


def test_cart_and_checkout_show_each_items_thumbnail(
    client: Client, shop: dict[str, Any]
) -> None:
    # given: the honey has two photos, the bowl none
    product = shop["honey"].product
    first, second = (
        ProductImage.objects.create(
            product=product,
            image=ContentFile(picture_bytes(60, 60), name=name),
            alt_text=f"A jar of honey ({name})",
            position=position,
        )
        for position, name in ((0, "first.jpg"), (1, "second.jpg"))
    )
    _add(client, shop["honey"])
    _add(client, shop["bowl"])
    # when
    cart = client.get(_url("cart", shop["cluster"])).content.decode()
    checkout = client.get(_url("checkout", shop["cluster"])).content.decode()
    # then: the first photo, beside the name that says what it is
    for body in (cart, checkout):
        assert body.count('class="thumb"') == 1, body[body.find("<main") :][:3000]
        assert first.image.url in body
        assert second.image.url not in body


# --- Checkout without JavaScript ------------------------------------------------------


def test_checkout_page_offers_delivery_and_payment_with_labels(
    client: Client, shop: dict[str, Any], customer_user: User
) -> None:
    # given
    customer_user.full_name = "Mere Customer"
    customer_user.save()
    client.force_login(customer_user)
    _add(client, shop["honey"])
    # when
    body = client.get(_url("checkout", shop["cluster"])).content.decode()
    # then
    assert 'value="customer@example.nz"' in body
    assert 'value="Mere Customer"' in body
    for autocomplete in (
        "email",
        "name",
        "tel",
        "address-line1",
        "postal-code",
        "country",
    ):
        assert f'autocomplete="{autocomplete}"' in body
    assert "<legend>From Bees</legend>" in body
    assert (
        body.index('value="NZ"') < body.index('value="AU"') < body.index('value="GB"')
    )
    assert "4242 4242 4242 4242" in body
    assert "Update delivery prices" in body


def test_update_delivery_prices_reprices_for_the_address(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"])
    key = _key(client, shop["cluster"])
    # when
    response = _checkout(
        client,
        shop["cluster"],
        key=key,
        action="update",
        region="NZ-CAN",
        town="Christchurch",
    )
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "$12.50" in body  # South Island delivery
    assert f'value="{key}"' in body
    assert not Order.objects.exists()


def test_checkout_with_the_test_card_pays_the_order(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 2)
    _add(client, shop["bowl"])
    # when
    response = _checkout(client, shop["cluster"])
    # then
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "settlement:order-detail", args=[order.number]
    )
    assert order.status == Order.Status.PAID
    assert order.total_cents == 4900 + 6000 + 850 + 850
    assert Variant.objects.get(pk=shop["honey"].pk).stock == 8
    page = client.get(response["Location"]).content.decode()
    assert "Paid on" in page
    assert "GST number 49091850" in page
    assert "Not registered for GST" in page
    assert client.session["cart_counts"] == {}


def test_declined_card_leaves_the_order_awaiting_payment_with_a_retry_form(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"])
    # when
    response = _checkout(client, shop["cluster"], card_number=DECLINED_CARD)
    # then
    order = Order.objects.get()
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert Payment.objects.get().status == Payment.Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "Your card was declined." in page
    pay_url = reverse("settlement:order-pay", args=[order.number])
    assert f'action="{pay_url}"' in page
    # and paying again with a good card works
    retry = client.post(
        pay_url,
        {
            "payment_method": "test",
            "card_number": GOOD_CARD,
            "expiry": "12/39",
            "cvc": "1",
        },
    )
    assert retry.status_code == 422  # the CVC is too short: shown on the page
    assert 'aria-describedby="id_cvc_error"' in retry.content.decode()
    client.post(
        pay_url,
        {
            "payment_method": "test",
            "card_number": GOOD_CARD,
            "expiry": "12/39",
            "cvc": "123",
        },
    )
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_malformed_card_number_makes_no_order(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"])
    # when
    response = _checkout(client, shop["cluster"], card_number="1234")
    # then
    assert response.status_code == 422
    assert not Order.objects.exists()
    assert 'href="#id_card_number"' in response.content.decode()


def test_bank_transfer_shows_the_instructions_with_the_reference(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"])
    # when
    response = _checkout(client, shop["cluster"], payment_method="bank_transfer")
    # then
    order = Order.objects.get()
    assert order.status == Order.Status.AWAITING_PAYMENT
    page = client.get(response["Location"]).content.decode()
    assert "12-3456-7890123-00" in page
    assert "Fair Trust" in page
    assert f"<strong>{order.payment_reference}</strong>" in page


def test_pickup_at_an_event_gives_a_pickup_code_and_the_window(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    fair = PickupEventFactory.create(cluster=shop["cluster"], name_en="Fair day")
    _add(client, shop["bowl"])
    checkout_page = client.get(_url("checkout", shop["cluster"])).content.decode()
    assert "Pickup at Fair day" in checkout_page
    assert WINDOW in checkout_page
    # when
    response = _checkout(
        client,
        shop["cluster"],
        **{f"choice-{shop['pots'].pk}": f"event-{fair.pk}"},
        **dict.fromkeys(AUCKLAND, ""),
    )
    # then
    order = Order.objects.get()
    fulfilment = order.fulfilments.get()
    assert fulfilment.method == Fulfilment.Method.PICKUP_EVENT
    assert order.shipping_cents == 0
    page = client.get(response["Location"]).content.decode()
    assert fulfilment.pickup_code in page
    assert WINDOW in page


def test_r18_goods_need_the_age_checkbox(client: Client, shop: dict[str, Any]) -> None:
    # given
    wine = _variant(
        shop["cluster"],
        shop["bees"],
        price=3000,
        title_en="Pinot noir",
        restricted_r18=True,
    )
    _add(client, wine)
    key = _key(client, shop["cluster"])
    # when
    refused = _checkout(client, shop["cluster"], key=key)
    # then
    assert refused.status_code == 422
    body = refused.content.decode()
    assert "I am 18 or over" in body
    assert 'href="#id_age_confirmed"' in body
    assert 'aria-describedby="id_age_confirmed_error"' in body
    assert not Order.objects.exists()
    # when confirmed
    placed = _checkout(client, shop["cluster"], key=key, age_confirmed="1")
    # then
    order = Order.objects.get()
    assert placed.status_code == 302
    assert order.age_confirmed_at is not None
    assert "photo ID is checked" in client.get(placed["Location"]).content.decode()


def test_field_errors_show_beside_their_fields_and_in_the_summary(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"])
    # when
    response = _checkout(client, shop["cluster"], email="not-an-email", postcode="12")
    # then
    assert response.status_code == 422
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert "autofocus" in body
    assert 'href="#id_email"' in body
    assert 'href="#id_postcode"' in body
    assert 'aria-describedby="id_email_error"' in body
    assert "A New Zealand postcode has 4 digits" in body
    assert 'value="not-an-email"' in body
    assert not Order.objects.exists()


def test_the_same_checkout_posted_twice_makes_one_order(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"])
    key = _key(client, shop["cluster"])
    # when
    first = _checkout(client, shop["cluster"], key=key)
    _add(client, shop["honey"])  # the cart is not empty again
    second = _checkout(client, shop["cluster"], key=key)
    # then
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_tampered_idempotency_key_asks_to_reload_the_page(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"])
    # when
    response = _checkout(client, shop["cluster"], key="short")
    # then: the page's own message, and a fresh key to try again with
    assert response.status_code == 422
    page = response.content.decode()
    assert "Reload the checkout page and try again." in page
    assert "idempotency_key must be" not in page
    assert 'name="idempotency_key" value="short"' not in page
    assert not Order.objects.exists()


def test_sold_out_meanwhile_goes_back_to_the_cart_with_the_message(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"], 2)
    key = _key(client, shop["cluster"])
    Variant.objects.filter(pk=shop["honey"].pk).update(stock=1)
    # when
    response = _checkout(client, shop["cluster"], key=key)
    # then
    assert response.status_code == 302
    assert response["Location"] == _url("cart", shop["cluster"])
    assert not Order.objects.exists()
    assert (
        "Only 1 of Mānuka honey left."
        in client.get(response["Location"]).content.decode()
    )


# --- Login merges the guest's cart ----------------------------------------------------


def test_a_guest_cart_merges_into_the_account_at_login(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    user = UserFactory.create(email="mere@example.nz")
    mine = Cart.objects.create(cluster=shop["cluster"], user=user)
    CartLine.objects.create(cart=mine, variant=shop["honey"], quantity=1)
    _add(client, shop["honey"], 2)
    _add(client, shop["bowl"], 1)
    # when
    client.post(
        reverse("accounts:login"), {"username": "mere@example.nz", "password": PASSWORD}
    )
    # then
    assert dict(
        CartLine.objects.filter(cart=mine).values_list("variant_id", "quantity")
    ) == {
        shop["honey"].pk: 3,
        shop["bowl"].pk: 1,
    }
    assert Cart.objects.count() == 1
    assert "cart_token" not in client.session
    assert (
        "Cart (4 items)" in client.get(_url("cart", shop["cluster"])).content.decode()
    )


# --- The order page: who may see it ---------------------------------------------------


def _placed_by_customer(
    shop: dict[str, Any], customer_user: User
) -> tuple[Order, Client]:
    client = Client()
    client.force_login(customer_user)
    _add(client, shop["honey"])
    _checkout(client, shop["cluster"])
    return Order.objects.get(), client


def test_the_customer_sees_their_order(
    shop: dict[str, Any], customer_user: User
) -> None:
    # given
    order, client = _placed_by_customer(shop, customer_user)
    client.logout()
    client.force_login(customer_user)
    # when
    response = client.get(reverse("settlement:order-detail", args=[order.number]))
    # then
    assert response.status_code == 200
    assert order.customer_id == customer_user.pk


def test_the_guest_session_that_placed_it_sees_it_and_a_stranger_gets_404(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"])
    _checkout(client, shop["cluster"])
    order = Order.objects.get()
    url = reverse("settlement:order-detail", args=[order.number])
    stranger = Client()
    # then
    assert client.get(url).status_code == 200
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{url}?key=forged").status_code == 404
    assert stranger.get(order_link(order.number)).status_code == 200
    other = UserFactory.create(email="other@example.nz")
    stranger.force_login(other)
    assert stranger.get(url).status_code == 404


def test_the_confirmation_email_carries_the_signed_link(
    client: Client, shop: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    # given
    _add(client, shop["honey"])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _checkout(client, shop["cluster"])
    # then
    order = Order.objects.get()
    confirmation = next(m for m in mail.outbox if order.number in m.subject)
    link = re.search(r"https?://\S+/orders/\S+", str(confirmation.body))
    assert link is not None
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    assert Client().get(f"/{path}").status_code == 200


# --- History --------------------------------------------------------------------------


def test_order_history_lists_the_customers_orders_newest_first(
    shop: dict[str, Any], customer_user: User
) -> None:
    # given
    first, client = _placed_by_customer(shop, customer_user)
    _add(client, shop["bowl"])
    _checkout(client, shop["cluster"])
    second = Order.objects.exclude(pk=first.pk).get()
    someone_else = Client()
    _add(someone_else, shop["honey"])
    _checkout(someone_else, shop["cluster"], email="else@example.nz")
    guest_order = Order.objects.get(email="else@example.nz")
    # when
    body = client.get(reverse("orders:order-list")).content.decode()
    # then
    assert body.index(second.number) < body.index(first.number)
    assert guest_order.number not in body
    assert "The Fair" in body
    account = client.get(reverse("accounts:account")).content.decode()
    assert reverse("orders:order-list") in account


def test_order_history_needs_login(client: Client) -> None:
    response = client.get(reverse("orders:order-list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Query counts ---------------------------------------------------------------------


def _cart_of_makers(client: Client, cluster: Cluster, makers: int) -> None:
    for index in range(makers):
        member = MemberFactory.create(
            slug=f"maker-{index}", trading_name=f"Maker {index}"
        )
        _add(
            client,
            _variant(cluster, member, price=1000 + index, title_en=f"Thing {index}"),
        )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("page", "query", "most"),
    [
        # the cart, its thumbnails, the regions to choose from and the
        # cluster's automatic promotions
        ("cart", "", 9),
        # ... with delivery estimated for a region (checkout's quote, which reads
        # the promotions again: its free delivery)
        ("cart", "?region=NZ-AUK", 19),
        # (one of them the cluster's promotions, one its money accounts: which
        # ways to pay it offers, ADR 0021)
        ("checkout", "", 19),
    ],
)
def test_cart_and_checkout_pages_run_a_fixed_number_of_queries(
    page: str, query: str, most: int, shop: dict[str, Any]
) -> None:
    # given
    PickupEventFactory.create(cluster=shop["cluster"])
    one, six = Client(), Client()
    _cart_of_makers(one, shop["cluster"], 1)
    other = ClusterFactory.create(slug="other-fair")
    policy = ShippingPolicyFactory.create(member=None, cluster=other)
    rate_table(policy, [(Zone.NORTH_ISLAND, None, 850)])
    PickupEventFactory.create(cluster=other)
    six_makers = [
        MemberFactory.create(slug=f"six-{i}", trading_name=f"Six {i}") for i in range(6)
    ]
    for index, member in enumerate(six_makers):
        _add(
            six,
            _variant(other, member, price=1000 + index, title_en=f"Six thing {index}"),
        )
    # when
    with_one = _queries(one, _url(page, shop["cluster"]) + query)
    with_six = _queries(six, _url(page, other) + query)
    # then
    assert with_one == with_six
    assert with_six <= most


def test_a_pending_stripe_payment_shows_stripes_payment_element(
    client: Client, shop: dict[str, Any], settings: Any
) -> None:
    # given: an order placed by bank transfer, then a Stripe payment waiting
    _add(client, shop["honey"])
    response = _checkout(client, shop["cluster"], payment_method="bank_transfer")
    order = Order.objects.get()
    Payment.objects.filter(order=order).update(status=Payment.Status.CANCELLED)
    Payment.objects.create(
        order=order,
        gateway="stripe",
        amount_cents=order.total_cents,
        reference="pi_3QpurEiBench0001",
        client_secret="pi_3QpurEiBench0001_secret_abc",
    )
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_purei"
    # when
    page = client.get(response["Location"])
    # then: the element's form carries what Stripe.js needs, and the policy lets
    # Stripe's script, frames and API in on this page only
    html = page.content.decode()
    assert 'data-key="pk_test_purei"' in html
    assert 'data-secret="pi_3QpurEiBench0001_secret_abc"' in html
    assert '<script src="https://js.stripe.com/v3/"></script>' in html
    assert "orders/js/stripe-pay" in html
    policy = page["Content-Security-Policy"]
    assert "script-src 'self' https://js.stripe.com" in policy
    assert "connect-src 'self' https://api.stripe.com" in policy
    assert (
        "js.stripe.com"
        not in client.get(_url("cart", shop["cluster"]))["Content-Security-Policy"]
    )


def test_the_te_reo_cart_marks_the_te_reo_name_of_the_region(
    client: Client, shop: dict[str, Any]
) -> None:
    # given
    _add(client, shop["honey"])
    # when
    body = client.get("/mi/c/fair/cart/?region=NZ-AUK").content.decode()
    # then
    assert 'Delivery to <span lang="mi">Tāmaki-Makaurau</span>' in body
    assert '<option value="NZ-AUK" selected lang="mi">Tāmaki-Makaurau</option>' in body

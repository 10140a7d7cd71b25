"""An accepted quote becomes a trade order (ADR 0010): one order, a part per
member, the members' NZD prices and their shares of the charges, the stock taken
— or, when it has sold out meanwhile, no acceptance at all."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.core.errors import ValidationFailed
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import Fulfilment, Order
from purei.search.tests.factories import public_product
from purei.trade.models import (
    ExchangeRate,
    Quote,
    QuoteRequest,
    TradeAccount,
    TradeOrder,
)
from purei.trade.quoting import gst_on
from purei.trade.services import (
    AddressInput,
    LinePriceInput,
    QuoteInput,
    RFQInput,
    RFQLineInput,
    quote_accept,
    quote_send,
    rfq_create,
    rfq_line_price,
)
from purei.trade.tests.factories import TradeAccountFactory, TradeBuyerFactory

BRISBANE = AddressInput(
    line1="1 Wharf St", city="Brisbane", region="QLD", postcode="4000", country="AU"
)
AUCKLAND = AddressInput(
    line1="12 Ponsonby Rd", city="Auckland", postcode="1011", country="NZ"
)


def _soon() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def _world(*, stock: int = 1_000, buyers: int = 1, country: str = "AU") -> dict:
    cluster = ClusterFactory.create()
    admin = UserFactory.create()
    from purei.accounts.models import ClusterRole

    ClusterRole.objects.create(user=admin, cluster=cluster, role="admin")
    makers = []
    for n, (price, grams) in enumerate(((61_500, 242_000), (8_990, 18_500))):
        member = MemberFactory.create(gst_registered=True)
        MembershipFactory.create(member=member, cluster=cluster)
        owner = UserFactory.create()
        MemberRole.objects.create(user=owner, member=member, role="owner")
        variant = public_product(
            cluster, member=member, title_en=f"Steel {n}"
        ).variants.get()
        Variant.objects.filter(pk=variant.pk).update(
            stock=stock, stock_policy=Variant.StockPolicy.TRACKED
        )
        makers.append((member, Actor(user=owner), variant, price, grams))
    ExchangeRate.objects.create(
        cluster=cluster,
        currency="AUD",
        rate=Decimal("0.9125"),
        source="RBNZ",
        as_of=timezone.now(),
    )
    accounts = []
    for n in range(buyers):
        account = TradeAccountFactory.create(
            cluster=cluster,
            status=TradeAccount.Status.APPROVED,
            country=country,
            currency="AUD" if country == "AU" else "NZD",
            abn="" if n else "51824753556",
            deposit_percent=30,
        )
        buyer = TradeBuyerFactory.create(account=account)
        accounts.append((account, Actor(user=buyer.user)))
    return {
        "cluster": cluster,
        "admin": Actor(user=admin),
        "makers": makers,
        "accounts": accounts,
    }


def _quoted(world: dict, index: int = 0, quantity: int = 2) -> Quote:
    account, buyer = world["accounts"][index]
    destination = BRISBANE if account.country == "AU" else AUCKLAND
    request = rfq_create(
        actor=buyer,
        account=account,
        rfq=RFQInput(
            lines=[
                RFQLineInput(quantity=quantity, variant_id=variant.pk)
                for _m, _o, variant, _p, _g in world["makers"]
            ],
            incoterm="DAP",
            named_place=destination.city,
            destination=destination,
        ),
    )
    for line, (_member, owner, _variant, price, grams) in zip(
        request.lines.order_by("position"), world["makers"], strict=True
    ):
        rfq_line_price(
            actor=owner,
            line=line,
            price=LinePriceInput(
                unit_price_nzd_cents=price,
                lead_time_days=10,
                valid_until=_soon(),
                unit_weight_grams=grams,
                hs_code="721633",
            ),
        )
    return quote_send(
        actor=world["admin"],
        request=request,
        quote=QuoteInput(freight_nzd_cents=100_000, valid_until=_soon()),
    )


@pytest.mark.django_db
def test_accepting_a_quote_makes_one_order_with_a_part_per_member():
    # given
    world = _world()
    quote = _quoted(world)
    _account, buyer = world["accounts"][0]
    # when
    quote_accept(actor=buyer, quote=quote)
    # then
    made = TradeOrder.objects.get(quote=quote)
    order = made.order
    assert (order.channel, order.prices_exclude_gst) == ("trade", True)
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert order.zero_rated is True
    assert order.gst_cents == 0
    parts = list(order.fulfilments.order_by("pk"))
    assert [p.member for p in parts] == [m for m, *_ in world["makers"]]
    # NZD at the members' prices: 2 x 615.00 and 2 x 89.90; freight 1,000.00 by weight
    assert order.goods_cents == 2 * 61_500 + 2 * 8_990
    assert order.shipping_cents == 100_000
    assert order.total_cents == order.goods_cents + order.shipping_cents
    assert sum(p.total_cents for p in parts) == order.total_cents
    # 1,000.00 x 484/521 = 928.9827 and x 37/521 = 71.0173: the cent left over
    # goes to the larger remainder (the pipes)
    assert [p.shipping_cents for p in parts] == [92_898, 7_102]
    # the buyer's figures stay the quote's
    assert (made.currency, made.total_cents) == ("AUD", quote.total_cents)
    assert made.deposit_cents == (quote.total_cents * 30 + 50) // 100
    # the stock is taken
    for _m, _o, variant, _p, _g in world["makers"]:
        variant.refresh_from_db()
        assert variant.stock == 998


@pytest.mark.django_db
def test_a_new_zealand_trade_order_adds_gst_to_each_line_and_its_charges():
    # given
    world = _world(country="NZ")
    quote = _quoted(world)
    _account, buyer = world["accounts"][0]
    # when
    quote_accept(actor=buyer, quote=quote)
    # then
    order = TradeOrder.objects.get(quote=quote).order
    assert order.zero_rated is False
    lines = list(order.lines.order_by("pk"))
    assert [line.unit_price_cents for line in lines] == [61_500, 8_990]
    assert [line.gst_cents for line in lines] == [gst_on(123_000), gst_on(17_980)]
    assert order.gst_cents == quote.gst_cents  # NZD quote: the same figures
    assert order.total_cents == quote.total_cents
    part = order.fulfilments.order_by("pk").first()
    assert part is not None
    assert part.total_cents == part.goods_cents + part.shipping_cents


@pytest.mark.django_db
def test_a_quote_over_stock_sold_meanwhile_is_not_accepted():
    # given
    world = _world(stock=5)
    quote = _quoted(world, quantity=4)
    Variant.objects.filter(pk=world["makers"][1][2].pk).update(stock=3)
    _account, buyer = world["accounts"][0]
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        quote_accept(actor=buyer, quote=quote)
    assert refused.value.code == "sold_out"
    quote.refresh_from_db()
    assert quote.status == Quote.Status.SENT
    assert quote.request.status == QuoteRequest.Status.QUOTED
    assert not Order.objects.exists()
    assert Variant.objects.get(pk=world["makers"][0][2].pk).stock == 5


@pytest.mark.django_db
def test_a_trade_part_shows_on_the_members_order_screen(client):
    # given
    world = _world()
    quote = _quoted(world)
    quote_accept(actor=world["accounts"][0][1], quote=quote)
    member, owner, *_ = world["makers"][0]
    client.force_login(owner.user)
    # when
    body = client.get(f"/manage/members/{member.slug}/orders/?tab=all").content.decode()
    # then
    order = TradeOrder.objects.get(quote=quote).order
    assert order.number in body
    assert "Trade order" in body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite locks the whole database; the race is PostgreSQL's to win",
)
def test_two_buyers_accepting_over_the_last_stock_one_succeeds():
    # given: two buyers quoted 4 each of both products; 5 of each in stock
    world = _world(stock=5, buyers=2)
    quotes = [_quoted(world, 0, quantity=4), _quoted(world, 1, quantity=4)]
    start = threading.Barrier(2)
    accepted: list[int] = []
    sold_out: list[str] = []
    other: list[BaseException] = []
    lock = threading.Lock()

    def accept(index: int) -> None:
        try:
            start.wait()
            quote_accept(actor=world["accounts"][index][1], quote=quotes[index])
            with lock:
                accepted.append(index)
        except ValidationFailed as exc:
            with lock:
                sold_out.append(exc.code)
        except BaseException as exc:  # reported below
            with lock:
                other.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert other == []
    assert len(accepted) == 1
    assert sold_out == ["sold_out"]
    assert Order.objects.count() == 1
    assert Fulfilment.objects.count() == 2
    for _m, _o, variant, _p, _g in world["makers"]:
        assert Variant.objects.get(pk=variant.pk).stock == 1


@pytest.mark.django_db
def test_a_paid_trade_order_is_booked_and_invoiced_per_member():
    # given: an NZ trade order, paid by bank transfer
    from purei.ledger.models import Invoice
    from purei.ledger.selectors import ledger_unbalanced_journals, member_balances
    from purei.settlement.services import payment_mark_received, payment_start

    world = _world(country="NZ")
    quote = _quoted(world)
    quote_accept(actor=world["accounts"][0][1], quote=quote)
    order = TradeOrder.objects.get(quote=quote).order
    payment_start(order=order, gateway_name="bank_transfer")
    # when
    payment_mark_received(actor=world["admin"], order=order, note="Paid in full")
    # then
    order.refresh_from_db()
    assert order.paid_at is not None
    assert ledger_unbalanced_journals() == []
    owed = member_balances(world["cluster"].pk)
    for part in order.fulfilments.all():
        assert 0 < owed[part.member_id] <= part.total_cents
        invoice = Invoice.objects.get(fulfilment=part)
        assert invoice.total_cents == part.total_cents
        assert invoice.gst_cents == part.gst_cents


@pytest.mark.django_db
def test_a_trade_part_is_cancelled_whole_not_line_by_line():
    # given
    from purei.orders.services.fulfilment import FulfilmentMoveRefused
    from purei.settlement.services import fulfilment_cancel, order_lines_cancel

    world = _world(stock=10)
    quote = _quoted(world)
    quote_accept(actor=world["accounts"][0][1], quote=quote)
    order = TradeOrder.objects.get(quote=quote).order
    part = order.fulfilments.order_by("pk").first()
    assert part is not None
    line = part.lines.get()
    # when / then: a line alone is refused
    with pytest.raises(FulfilmentMoveRefused):
        order_lines_cancel(
            actor=world["admin"], fulfilment=part, quantities={line.pk: 1}, reason="x"
        )
    # the whole part may go, and its stock comes back
    fulfilment_cancel(actor=world["admin"], fulfilment=part, reason="Out of steel")
    part.refresh_from_db()
    assert part.status == Fulfilment.Status.CANCELLED
    assert Variant.objects.get(pk=line.variant_id or 0).stock == 10


@pytest.mark.django_db
def test_the_buyer_sees_its_trade_order_from_the_quote(client):
    # given
    world = _world(country="NZ")
    quote = _quoted(world)
    _account, buyer = world["accounts"][0]
    client.force_login(buyer.user)
    page = f"/c/{world['cluster'].slug}/trade/rfqs/{quote.request_id}/"
    # when
    accepted = client.post(page, {"action": "accept", "quote": quote.pk})
    # then
    assert accepted.status_code == 302
    order = TradeOrder.objects.get(quote=quote).order
    body = client.get(page).content.decode()
    assert f"it is order {order.number}" in body
    order_page = client.get(f"/orders/{order.number}/").content.decode()
    assert "Price each (excl. GST)" in order_page
    assert "Freight, insurance and packing (share)" in order_page

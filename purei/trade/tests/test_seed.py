"""The demo's trade story (``purei.trade.seed``): trade prices, rates, accounts,
requests and quotes, loaded by ``purei seed_demo`` through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from purei.accounts.models import User
from purei.catalogue.models import TradePrice, Variant
from purei.catalogue.trade_selectors import trade_quantity_problems
from purei.clusters.seed import DEMO_LOGINS
from purei.core.actor import Actor
from purei.core.models import AuditEntry
from purei.core.validators import abn_normalise, ird_number_normalise, nzbn_normalise
from purei.trade.models import (
    ClusterTrade,
    ExchangeRate,
    PaymentTerms,
    Quote,
    QuoteRequest,
    QuoteRequestLine,
    TradeAccount,
    TradeBuyer,
)
from purei.trade.seed import (
    SEED_ACCOUNTS,
    SEED_ORDERS,
    SEED_RFQS,
    TradeSeedError,
    trade_cents,
    trade_seed_load,
)
from purei.trade.selectors import (
    quotes_for,
    rfq_list_for_buyer,
    rfq_list_for_member,
    trade_account_list_for_cluster,
)
from purei.trade.services import LinePriceInput, QuoteInput, quote_send, rfq_line_price

pytestmark = pytest.mark.django_db

STEEL, WINE, BEER = "nz-steel-fabricators", "marlborough-wine", "aotearoa-craft-beer"


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", "--no-history", stdout=out)
    return out.getvalue()


def state() -> dict[str, object]:
    """Every row the trade seed writes, field by field (timestamps included)."""
    return {
        "variants": list(
            Variant.objects.order_by("pk").values_list(
                "pk",
                "trade_price_cents",
                "min_order_quantity",
                "pack_size",
                "updated_at",
            )
        ),
        "prices": list(TradePrice.objects.order_by("pk").values_list()),
        "rates": list(ExchangeRate.objects.order_by("pk").values_list()),
        "settings": list(ClusterTrade.objects.order_by("pk").values_list()),
        "accounts": list(TradeAccount.objects.order_by("pk").values_list()),
        "buyers": list(TradeBuyer.objects.order_by("pk").values_list()),
        "requests": list(QuoteRequest.objects.order_by("pk").values_list()),
        "lines": list(QuoteRequestLine.objects.order_by("pk").values_list()),
        "quotes": list(Quote.objects.order_by("pk").values_list()),
        "audit": AuditEntry.objects.count(),
    }


def account_of(login: str) -> TradeAccount:
    return TradeAccount.objects.get(applied_by__email=login)


def buyer(login: str) -> Actor:
    return Actor(user=User.objects.get(email=login))


# --- Idempotent ---------------------------------------------------------------------


@pytest.mark.usefixtures("demo_seeded")
class TestTheSeededTradeStory:
    """What the trade seed writes, read by each test from one load of the demo
    (``demo_seeded``; each test's own changes are rolled back)."""

    def test_a_second_run_makes_nothing_and_changes_nothing(self, demo_seeded: str):
        # given: the demo, seeded once for the class
        output = demo_seeded
        first = state()
        # when
        made = trade_seed_load()
        # then
        assert made == 0
        assert state() == first
        assert "Trade: trade prices" in output
        assert "already up to date" in seed_demo()

    # --- Trade prices, rates, settings ------------------------------------------------

    def test_the_trade_clusters_members_have_trade_prices_by_the_case(self):
        # when: the demo, seeded once for the class
        # then every unit variant of the three clusters' approved members is offered
        wine = Variant.objects.filter(
            product__listings__cluster__slug=WINE, sku__endswith="-750"
        ).distinct()
        beer = Variant.objects.filter(
            product__listings__cluster__slug=BEER, sku__endswith="-440"
        ).distinct()
        steel = Variant.objects.filter(
            product__listings__cluster__slug=STEEL
        ).distinct()
        for variants, pack, moq in ((wine, 6, 12), (beer, 24, 24), (steel, 1, 1)):
            assert variants.exists()
            for variant in variants:
                assert variant.trade_price_cents == trade_cents(variant.price_cents)
                assert (variant.pack_size, variant.min_order_quantity) == (pack, moq)
                # about two thirds of the retail price without GST
                ex_gst = Decimal(variant.price_cents) / Decimal("1.15")
                assert (
                    Decimal("0.6") < variant.trade_price_cents / ex_gst < Decimal("0.7")
                )
        # the retail six-packs are not offered to trade
        assert not Variant.objects.filter(
            sku__endswith="-6PK", trade_price_cents__isnull=False
        ).exists()
        # breaks, and one AUD list
        assert TradePrice.objects.filter(currency="NZD", min_quantity=96).exists()
        aud = TradePrice.objects.filter(currency="AUD").select_related("variant")
        assert {row.variant.sku for row in aud} == {"SB-750"}
        # a trade price is rounded: to 10c under $100, to the dollar above
        assert trade_cents(2450) == 1380  # $24.50 → $21.30 ex GST → $13.85 → $13.80
        assert trade_cents(98000) == 55400  # $980 → $852.17 → $553.91 → $554

    def test_rates_and_the_minimum_first_order(self):
        # when: the demo, seeded once for the class
        # then
        for slug in (STEEL, WINE):
            rate = ExchangeRate.objects.get(cluster__slug=slug)
            assert (rate.currency, rate.rate) == ("AUD", Decimal("0.9125"))
            assert rate.source == "RBNZ 4 pm rate (demo)"
            assert rate.as_of <= timezone.now()
        assert not ExchangeRate.objects.filter(cluster__slug=BEER).exists()
        settings = ClusterTrade.objects.get(cluster__slug=BEER)
        assert settings.min_first_order_cents == 80_000

    # --- Accounts ---------------------------------------------------------------------

    def test_each_account_is_approved_with_its_terms(self):
        # when: the demo, seeded once for the class
        # then
        steel = account_of("trade@riverbank-steel.test")
        assert (steel.cluster.slug, steel.status) == (
            STEEL,
            TradeAccount.Status.APPROVED,
        )
        assert (steel.country, steel.currency, steel.kind) == (
            "AU",
            "AUD",
            "distributor",
        )
        assert steel.abn == "51824753556"
        assert steel.gst_registered
        assert steel.first_order_proforma
        assert steel.deposit_percent == 30
        assert (steel.payment_terms, steel.terms_days) == (PaymentTerms.NET_DAYS, 30)

        wine = account_of("trade@harbourside-wine.test")
        assert (wine.cluster.slug, wine.status) == (WINE, TradeAccount.Status.APPROVED)
        assert (wine.country, wine.currency, wine.kind) == ("AU", "AUD", "importer")
        assert wine.abn == abn_normalise("53 004 085 616")
        assert wine.payment_terms == PaymentTerms.NET_7
        assert wine.first_order_proforma

        beer = account_of("trade@dominion-road-bottle-store.test")
        assert (beer.cluster.slug, beer.status) == (BEER, TradeAccount.Status.APPROVED)
        assert (beer.country, beer.currency) == ("NZ", "NZD")
        assert beer.nzbn == nzbn_normalise(beer.nzbn)
        assert beer.gst_number == ird_number_normalise(beer.gst_number)
        assert beer.payment_terms == PaymentTerms.TWENTIETH

        for account in (steel, wine, beer):
            assert account.decided_by is not None
            assert Actor(user=account.decided_by).is_cluster_admin(account.cluster_id)

    def test_one_application_waits_for_its_clusters_admin(self):
        # when: the demo, seeded once for the class
        # then
        waiting = TradeAccount.objects.get(status=TradeAccount.Status.APPLIED)
        assert waiting.cluster.slug == WINE
        admin = Actor(user=User.objects.get(email="admin@marlborough-wine.test"))
        assert waiting in trade_account_list_for_cluster(
            actor=admin, cluster=waiting.cluster, status="applied"
        )

    def test_every_account_is_applied_for_by_a_demo_login(self):
        # when: the demo, seeded once for the class
        # then
        logins = {login.email for login in DEMO_LOGINS}
        for seed in SEED_ACCOUNTS:
            assert seed.login in logins
            account = account_of(seed.login)
            assert buyer(seed.login).trade_account_ids == {account.pk}

    # --- Requests and quotes ----------------------------------------------------------

    @pytest.mark.parametrize(
        ("login", "members", "incoterm"),
        [
            ("trade@riverbank-steel.test", 3, "DAP Brisbane"),
            ("trade@harbourside-wine.test", 5, "FOB Nelson"),
        ],
    )
    def test_each_demo_buyer_sees_its_quote_and_the_figures_add_up(
        self, login, members, incoterm
    ):
        # given: the demo, seeded once for the class
        actor = buyer(login)
        account = account_of(login)
        # when
        (request,) = rfq_list_for_buyer(actor=actor, cluster=account.cluster)
        quotes = quotes_for(actor=actor, request=request)
        # then
        assert request.status == QuoteRequest.Status.QUOTED
        (quote,) = quotes
        assert (quote.revision, quote.status) == (1, Quote.Status.SENT)
        assert (quote.currency, quote.fx_rate) == ("AUD", Decimal("0.9125"))
        assert quote.fx_source == "RBNZ 4 pm rate (demo)"
        assert f"{quote.incoterm} {quote.named_place}" == incoterm
        assert quote.export
        assert quote.gst_cents == 0
        assert quote.valid_until > timezone.localdate()
        assert quote.deposit_percent == account.deposit_percent
        lines = list(quote.lines.all())
        assert len({line.member_id for line in lines}) == members
        assert quote.goods_cents == sum(line.goods_cents for line in lines)
        assert quote.freight_cents == sum(line.freight_cents for line in lines)
        assert quote.insurance_cents == sum(line.insurance_cents for line in lines)
        assert quote.packing_cents == sum(line.packing_cents for line in lines)
        assert quote.total_cents == sum(line.total_cents for line in lines)
        assert quote.total_cents == (
            quote.goods_cents
            + quote.freight_cents
            + quote.insurance_cents
            + quote.packing_cents
            + quote.gst_cents
        )
        for line in lines:
            assert line.goods_cents == line.unit_cents * line.quantity
            assert line.origin_country == "NZ"
            assert line.unit_weight_grams > 0
            assert line.request_line.variant is not None
            assert (
                trade_quantity_problems(line.request_line.variant, line.quantity) == []
            )
        # the buyer can accept it (the demo's next step)
        assert quote.valid_until >= timezone.localdate() + dt.timedelta(days=7)

    def test_the_steel_quote_names_the_hs_codes_and_shares_freight_by_weight(self):
        # when: the demo, seeded once for the class
        # then
        quote = Quote.objects.get(
            request__account=account_of("trade@riverbank-steel.test")
        )
        by_code = {line.sku.split("-")[0]: line for line in quote.lines.all()}
        assert {code: line.hs_code for code, line in by_code.items()} == {
            "UB": "721633",
            "PIPE": "730630",
            "BRG": "848320",
        }
        assert quote.basis == "weight"
        assert (quote.freight_nzd_cents, quote.insurance_nzd_cents) == (185_000, 12_000)
        heaviest = max(by_code.values(), key=lambda line: line.unit_weight_grams)
        assert heaviest.freight_cents == max(
            line.freight_cents for line in by_code.values()
        )

    def test_one_request_waits_for_a_member_whose_owner_can_log_in(self):
        # given: the demo, seeded once for the class
        request = QuoteRequest.objects.get(status=QuoteRequest.Status.OPEN)
        (waiting,) = [line for line in request.lines.all() if not line.is_priced]
        member = waiting.member
        assert member is not None
        owner = Actor(user=User.objects.get(email=f"owner@{member.slug}.test"))
        assert request in rfq_list_for_member(actor=owner, member=member)
        # the buyer sees its request, not yet quoted
        bottle_shop = buyer("trade@dominion-road-bottle-store.test")
        assert quotes_for(actor=bottle_shop, request=request) == []
        # when the member prices it, the admin can quote
        today = timezone.localdate()
        rfq_line_price(
            actor=owner,
            line=waiting,
            price=LinePriceInput(
                unit_price_nzd_cents=456,
                lead_time_days=7,
                valid_until=today + dt.timedelta(days=30),
                unit_weight_grams=480,
                hs_code="2203.00",
            ),
        )
        admin = Actor(user=User.objects.get(email="admin@aotearoa-craft-beer.test"))
        quote = quote_send(
            actor=admin,
            request=request,
            quote=QuoteInput(valid_until=today + dt.timedelta(days=14)),
        )
        # then: NZD at home, with GST
        assert (quote.currency, quote.export) == ("NZD", False)
        assert quote.gst_cents > 0
        assert quote.goods_cents >= 80_000  # over the cluster's minimum first order
        assert [q.pk for q in quotes_for(actor=bottle_shop, request=request)] == [
            quote.pk
        ]

    def test_the_seed_requests_are_as_described(self):
        # given: the demo, seeded once for the class
        # then
        assert QuoteRequest.objects.count() == len(SEED_RFQS) + len(SEED_ORDERS)
        assert QuoteRequest.objects.filter(status="quoted").count() == 2
        assert QuoteRequest.objects.filter(status="accepted").count() == len(
            SEED_ORDERS
        )
        steel = QuoteRequest.objects.get(cluster__slug=STEEL)
        assert (steel.currency, steel.incoterm, steel.named_place) == (
            "AUD",
            "DAP",
            "Brisbane",
        )
        assert steel.destination["city"] == "Rocklea"

    # --- What the README tells a visitor to try ---------------------------------------

    def test_the_brisbane_buyer_sees_its_terms_prices_and_quote_and_accepts_it(
        self, client
    ):
        # given: the demo, seeded once for the class
        client.post(
            "/accounts/login/",
            {"username": "trade@riverbank-steel.test", "password": "purei-demo"},
        )
        request = QuoteRequest.objects.get(
            account=account_of("trade@riverbank-steel.test")
        )
        # when
        home = client.get("/c/nz-steel-fabricators/trade/")
        prices = client.get("/c/nz-steel-fabricators/trade/products/")
        rfq = client.get(f"/api/v1/rfqs/{request.pk}")
        # then
        assert home.status_code == 200
        assert "0.9125" in home.content.decode()
        assert "30 days" in home.content.decode()
        assert "30% when you accept a quote" in home.content.decode()
        assert prices.status_code == 200
        assert "Universal beam" in prices.content.decode()
        (quote,) = rfq.json()["quotes"]
        assert quote["status"] == "sent"
        # when the buyer accepts it
        accepted = client.post(f"/api/v1/quotes/{quote['id']}/accept")
        # then
        assert accepted.status_code == 200
        assert accepted.json()["status"] == "accepted"

    def test_the_marlborough_admin_sees_the_waiting_application(self, client):
        # given: the demo, seeded once for the class
        client.post(
            "/accounts/login/",
            {"username": "admin@marlborough-wine.test", "password": "purei-demo"},
        )
        # when
        page = client.get("/manage/clusters/marlborough-wine/trade/")
        # then
        assert page.status_code == 200
        assert "Wakatipu Kitchen" in page.content.decode()

    def test_the_bottle_shop_has_orders_paid_on_account_and_overdue(self):
        """docs/trade.md "In the demo": the opening order pro-forma and paid, a top-up
        on 20th-of-the-month terms sent before payment and overdue, and one due on the
        20th of next month; the statement ages them."""
        # given: the demo, seeded once for the class
        from purei.trade.models import PaymentTerms, TradeAccount, TradeOrder
        from purei.trade.statement import statement_for
        from purei.trade.terms import due_date

        account = TradeAccount.objects.get(
            contact_email="trade@dominion-road-bottle-store.test"
        )
        opening, top_up, weekend = TradeOrder.objects.filter(account=account).order_by(
            "pk"
        )
        # then
        assert opening.on_account is False
        assert "first order" in opening.terms_note
        assert opening.paid_in_full_at is not None
        assert opening.order.goods_cents - opening.order.gst_cents >= 80_000
        assert {f.status for f in opening.order.fulfilments.all()} == {"shipped"}
        assert top_up.on_account is True
        assert top_up.order.status == "on_account"
        assert {f.status for f in top_up.order.fulfilments.all()} == {"shipped"}
        assert weekend.on_account is True
        today = timezone.localdate()
        assert weekend.due_on == due_date(
            PaymentTerms.TWENTIETH, today - dt.timedelta(days=2)
        )
        statement = statement_for(account)
        assert [inv.number for inv in statement.invoices] == [
            top_up.order.number,
            weekend.order.number,
        ]
        assert statement.invoices[0].days_overdue > 0
        assert statement.invoices[1].bucket == "current"
        assert (
            statement.total_cents
            == top_up.order.total_cents + weekend.order.total_cents
        )


def test_a_missing_cluster_is_a_clear_error():
    # when / then: nothing seeded yet
    with pytest.raises(TradeSeedError, match="clusters not loaded"):
        trade_seed_load()

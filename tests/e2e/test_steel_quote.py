"""NZ Steel Fabricators quote a Brisbane distributor as one: the buyer asks for
beams, pipes and bearings from three workshops, DAP Brisbane in AUD; each workshop
prices its own line (and sees no other's); the cluster's admin sends one quote with
the freight shared by weight; the buyer accepts it, and it is one trade order with a
part from each workshop. axe is clean on every page."""

import datetime
import re
from decimal import Decimal
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from purei.accounts.models import ClusterRole
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.catalogue.models import Variant
from purei.clusters.tests.factories import ClusterFactory
from purei.members.tests.factories import MemberFactory, MemberRoleFactory
from purei.search.tests.factories import public_product
from purei.trade.models import ExchangeRate, Quote, QuoteRequest, TradeAccount
from purei.trade.tests.factories import TradeAccountFactory, TradeBuyerFactory

WORKSHOPS = (
    ("ets-structural", "ETS Structural", "Universal beam 310UB40.4", 98_000, 242_400),
    ("penrose-pipe", "Penrose Pipe", "Galvanised pipe 50NB", 16_500, 33_000),
    ("te-rapa-eng", "Te Rapa Engineering", "Pillow block bearing UCP205", 3_900, 800),
)
PRICES = {"ets-structural": "615.00", "penrose-pipe": "89.90", "te-rapa-eng": "12.45"}
HS = {"ets-structural": "7216.33", "penrose-pipe": "7306.30", "te-rapa-eng": "8483.20"}


def _log_in(page: Page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _steel_cluster() -> dict[str, Any]:
    cluster = ClusterFactory.create(
        slug="nz-steel-fabricators", name_en="NZ Steel Fabricators"
    )
    ClusterRole.objects.create(
        user=UserFactory.create(email="admin@steel.test"),
        cluster=cluster,
        role=ClusterRole.Role.ADMIN,
    )
    variants = {}
    for slug, name, title, price, grams in WORKSHOPS:
        member = MemberFactory.create(slug=slug, trading_name=name)
        MemberRoleFactory.create(
            member=member, user=UserFactory.create(email=f"owner@{slug}.test")
        )
        product = public_product(cluster, member=member, title_en=title)
        Variant.objects.filter(product=product).update(
            price_cents=price, stock=50, weight_grams=grams, name=""
        )
        variants[slug] = product.variants.get()
    ExchangeRate.objects.create(
        cluster=cluster,
        currency="AUD",
        rate=Decimal("0.9125"),
        source="RBNZ 4 pm rate",
        as_of=timezone.now(),
    )
    account = TradeAccountFactory.create(
        cluster=cluster,
        legal_name="Riverbank Steel Pty Ltd",
        status=TradeAccount.Status.APPROVED,
        deposit_percent=30,
    )
    TradeBuyerFactory.create(
        account=account, user=UserFactory.create(email="buyer@riverbank.test")
    )
    return {"cluster": cluster, "variants": variants}


def test_the_steel_fabricators_quote_a_brisbane_distributor_as_one(
    page: Page, live_server: Any, axe_check: Any
) -> None:
    # given
    world = _steel_cluster()
    base = live_server.url
    # when: the buyer asks, from the trade page
    _log_in(page, base, "buyer@riverbank.test")
    page.goto(base + "/c/nz-steel-fabricators/trade/")
    axe_check(page, "trade home (approved buyer)")
    page.get_by_role("link", name="Ask for a quote").click()
    page.wait_for_load_state()
    for row, (slug, quantity) in enumerate(
        (("ets-structural", "4"), ("penrose-pipe", "20"), ("te-rapa-eng", "50"))
    ):
        page.locator(f"#id_p{row}-variant").select_option(
            str(world["variants"][slug].pk)
        )
        page.locator(f"#id_p{row}-quantity").fill(quantity)
    page.locator("#id_incoterm").select_option("DAP")
    page.locator("#id_named_place").fill("Brisbane")
    axe_check(page, "new request, filled in")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_load_state()
    # then
    rfq = QuoteRequest.objects.get()
    assert rfq.lines.count() == 3
    expect(page.get_by_role("heading", level=1)).to_contain_text(rfq.number or "")
    # when: each workshop prices its own line
    for slug, *_rest in WORKSHOPS:
        _log_in(page, base, f"owner@{slug}.test")
        page.goto(base + f"/manage/members/{slug}/trade/rfqs/")
        axe_check(page, f"{slug}: requests")
        page.get_by_role("link", name=rfq.number or "").click()
        page.wait_for_load_state()
        others = [p for s, p in PRICES.items() if s != slug]
        body = page.content()
        assert all(price not in body for price in others)  # never another's price
        line = rfq.lines.get(member__slug=slug)
        prefix = f"#id_line-{line.pk}-"
        page.locator(prefix + "unit_price").fill(PRICES[slug])
        page.locator(prefix + "lead_time_days").fill("14")
        page.locator(prefix + "valid_until").fill(
            (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
        )
        page.locator(prefix + "hs_code").fill(HS[slug])
        # the weight comes from the product, filled in for the workshop
        grams = next(g for s, _n, _t, _p, g in WORKSHOPS if s == slug)
        expect(page.locator(prefix + "unit_weight_grams")).to_have_value(str(grams))
        axe_check(page, f"{slug}: pricing")
        page.get_by_role("button", name="Save line").click()
        page.wait_for_load_state()
        line.refresh_from_db()
        assert line.unit_price_nzd_cents is not None, slug
    # when: the cluster's admin sends one quote, freight shared by weight
    _log_in(page, base, "admin@steel.test")
    page.goto(base + f"/manage/clusters/nz-steel-fabricators/trade/rfqs/{rfq.pk}/")
    axe_check(page, "admin: the request, priced")
    page.locator("#id_quote-freight").fill("1850")
    page.locator("#id_quote-insurance").fill("120")
    page.get_by_role("button", name="Send the quote to the buyer").click()
    page.wait_for_load_state()
    quote = Quote.objects.get()
    assert quote.currency == "AUD"
    assert quote.total_cents == sum(line.total_cents for line in quote.lines.all())
    # when: the buyer sees it in AUD and accepts it
    _log_in(page, base, "buyer@riverbank.test")
    page.goto(base + f"/c/nz-steel-fabricators/trade/rfqs/{rfq.pk}/")
    expect(page.locator("main")).to_contain_text("AUD")
    expect(page.locator("main")).to_contain_text("0.9125")
    axe_check(page, "buyer: the quote")
    page.get_by_role("button", name="Accept the quote").click()
    page.wait_for_load_state()
    # then
    quote.refresh_from_db()
    rfq.refresh_from_db()
    assert quote.status == Quote.Status.ACCEPTED
    assert rfq.status == QuoteRequest.Status.ACCEPTED
    axe_check(page, "buyer: the quote, accepted")
    # and it is one order, a part from each workshop, its stock held
    page.get_by_role("link", name="See the order and pay it").click()
    page.wait_for_load_state()
    order = quote.trade_order.order
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.number)
    assert order.fulfilments.count() == 3
    assert Variant.objects.get(pk=world["variants"]["ets-structural"].pk).stock == 46
    axe_check(page, "buyer: the trade order")
    # the admin consolidates it: the trade order's page, with what the export needs
    _log_in(page, base, "admin@steel.test")
    page.goto(base + "/manage/clusters/nz-steel-fabricators/trade/orders/")
    axe_check(page, "admin: trade orders")
    page.get_by_role("link", name=order.number).click()
    page.wait_for_load_state()
    page.get_by_label("Consolidation point").fill("ETS yard, East Tāmaki")
    page.get_by_role("button", name="Save the consolidation point").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("export entry")
    axe_check(page, "admin: the trade order, consolidating")

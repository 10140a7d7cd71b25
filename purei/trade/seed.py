"""The demo's trade story, in three seed clusters (docs/trade.md):

- **Trade prices** on the products of every approved member of NZ Steel
  Fabricators, Marlborough Wine and Aotearoa Craft Beer: about 65 % of the retail
  price without GST (to the dollar from $100, else to 10c), with quantity breaks;
  wine by the bottle in cases of 6, beer by the can in cases of 24 (the retail
  six-packs are not offered to trade); one AUD price list (Wairau Terrace's
  Sauvignon Blanc).
- **Exchange rates** (AUD 0.9125, "RBNZ 4 pm rate (demo)") for the steel and wine
  clusters, and a **minimum first order** of $800 for the beer cluster.
- **Trade accounts**: a Brisbane distributor (steel), a Sydney importer (wine) and
  an Auckland bottle shop (beer), each approved with its terms, and a Queenstown
  restaurant's application waiting for Marlborough Wine's admin.
- **Requests for quote**: steel from three workshops DAP Brisbane and wine from five
  wineries FOB Nelson, both priced and quoted (sent, for the buyer to accept or send
  back); the bottle shop's request still open, Ninety Mile Brewing's line waiting
  for its price (its owner has a demo login).
- **Trade orders and their money**: the bottle shop's opening order (pro-forma, as
  first orders are: paid and sent), a top-up on its 20th-of-the-month terms, sent
  before it was paid and now overdue, and one accepted this week on account, due on
  the 20th of next month — its statement shows them aged.

Everything goes through the trade and catalogue services, acted by the seeded
people (the clusters' admins, the members' owners and the buyers' demo logins), so
every rule holds and every step is audited. Safe to run twice: a second run makes
nothing and changes nothing. What exists is left as it is (an account by its ABN or
NZBN, a request by its account, a rate by its currency); the trade prices are put
back to the seed's when they differ, like the other seeds' rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from purei.accounts.models import ClusterRole, MemberRole, User
from purei.catalogue.models import Variant
from purei.catalogue.services.trade import (
    CurrencyPrices,
    PriceBreak,
    TradePricingInput,
    trade_terms_clean,
    variant_trade_pricing_set,
)
from purei.catalogue.trade_selectors import trade_terms_of, trade_unit_price
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Member, Membership
from purei.members.seed import SEED_MEMBERS
from purei.members.seed.data import TRADE_CLUSTERS
from purei.orders.models import Order
from purei.orders.services.fulfilment import fulfilment_advance
from purei.trade.models import (
    ClusterTrade,
    Currency,
    ExchangeRate,
    PaymentTerms,
    Quote,
    QuoteRequest,
    TradeAccount,
    TradeOrder,
)
from purei.trade.services import (
    AddressInput,
    LinePriceInput,
    QuoteInput,
    RFQInput,
    RFQLineInput,
    TradeApplication,
    TradePaymentInput,
    TradeTermsInput,
    cluster_trade_settings_set,
    exchange_rate_record,
    quote_accept,
    quote_send,
    rfq_create,
    rfq_line_price,
    trade_account_apply,
    trade_account_approve,
    trade_payment_record,
)
from purei.trade.terms import due_date

STEEL = "nz-steel-fabricators"
WINE = "marlborough-wine"
BEER = "aotearoa-craft-beer"

AUD, USD = Currency.AUD.value, Currency.USD.value
RATE_SOURCE = "RBNZ 4 pm rate (demo)"
AUD_RATE = Decimal("0.9125")
RATE_CLUSTERS = (STEEL, WINE)
MIN_FIRST_ORDER = {BEER: 80_000}  # NZD cents, ex-GST and ex-freight

# --- Trade prices -----------------------------------------------------------------

TRADE_SHARE = Decimal("0.65")  # of the retail price without GST
GST = Decimal("1.15")


@dataclass(frozen=True)
class PriceRule:
    """How a product's unit variants are offered to trade: the pack and minimum
    order, and the breaks as (from quantity, % off the trade price)."""

    pack_size: int = 1
    min_order_quantity: int = 1
    breaks: tuple[tuple[int, int], ...] = ()


# By the SKU's product code (steel) or its unit's code (wine "750", beer "440").
PRICE_RULES: dict[str, PriceRule] = {
    "UB": PriceRule(breaks=((4, 5),)),
    "PIPE": PriceRule(breaks=((20, 5), (60, 8))),
    "BRG": PriceRule(breaks=((20, 6), (100, 12))),
    "ANG": PriceRule(breaks=((20, 5),)),
    "BASE": PriceRule(breaks=((10, 5),)),
    "STR": PriceRule(),
    "750": PriceRule(pack_size=6, min_order_quantity=12, breaks=((60, 5), (120, 8))),
    "440": PriceRule(pack_size=24, min_order_quantity=24, breaks=((96, 5), (240, 8))),
}
# One AUD price list: (member, SKU).
AUD_LISTS = (("wairau-terrace-wines", "SB-750"),)


def _rounded(amount: Decimal) -> int:
    """Cents, half up, to the dollar from $100, else to 10c."""
    step = 100 if amount >= 10_000 else 10
    return int((amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step


def trade_cents(retail_cents: int) -> int:
    """The seed's trade price for a retail price (GST-inclusive): 65 % of it
    without GST, rounded (``_rounded``)."""
    return _rounded(Decimal(retail_cents) / GST * TRADE_SHARE)


def _text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _rule(sku: str) -> PriceRule | None:
    code, _sep, unit = sku.partition("-")
    return PRICE_RULES.get(unit) or PRICE_RULES.get(code)


def _pricing(member_slug: str, variant: Variant, rule: PriceRule) -> TradePricingInput:
    price = trade_cents(variant.price_cents)
    steps = [
        (q, _rounded(Decimal(price) * (100 - off) / 100)) for q, off in rule.breaks
    ]
    aud: CurrencyPrices | None = None
    if (member_slug, variant.sku) in AUD_LISTS:
        converted = [
            (q, _rounded(Decimal(c) * AUD_RATE)) for q, c in [(1, price), *steps]
        ]
        aud = CurrencyPrices(
            _text(converted[0][1]),
            tuple(PriceBreak(q, _text(c)) for q, c in converted[1:]),
        )
    return TradePricingInput(
        trade_price=_text(price),
        min_order_quantity=rule.min_order_quantity,
        pack_size=rule.pack_size,
        breaks=tuple(PriceBreak(q, _text(c)) for q, c in steps),
        currency_prices={AUD: aud, USD: None},
    )


def _owner(member: Member) -> Actor:
    role = (
        MemberRole.objects.filter(member=member, role=MemberRole.Role.OWNER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if role is None:
        raise TradeSeedError(f"{member.slug}: no owner to act for it")
    return Actor(user=role.user)


def _trade_prices_load() -> int:
    """Every unit variant of the trade clusters' approved members priced for trade
    (by its owner), when its terms differ from the seed's."""
    slugs = [
        seed.slug
        for seed in SEED_MEMBERS
        if seed.memberships[0].cluster in TRADE_CLUSTERS
        and seed.memberships[0].status == Membership.Status.APPROVED
    ]
    changed = 0
    for member in Member.objects.filter(slug__in=slugs).order_by("pk"):
        owner: Actor | None = None
        variants = (
            Variant.objects.filter(member=member)
            .select_related("product__member")
            .prefetch_related("trade_prices")
            .order_by("pk")
        )
        for variant in variants:
            rule = _rule(variant.sku)
            if rule is None:
                continue
            details = _pricing(member.slug, variant, rule)
            before = trade_terms_of(variant, variant.trade_prices.all())
            errors: dict[str, list[str]] = {}
            after = trade_terms_clean(before, details, errors)
            if errors:
                raise TradeSeedError(f"{member.slug} {variant.sku}: {errors}")
            if after == before:
                continue
            owner = owner or _owner(member)
            variant_trade_pricing_set(actor=owner, variant=variant, details=details)
            changed += 1
    return changed


# --- Accounts ---------------------------------------------------------------------


@dataclass(frozen=True)
class SeedAccount:
    cluster: str
    login: str  # the demo login who applies (and becomes the account's owner)
    application: TradeApplication
    terms: TradeTermsInput | None  # None: left waiting for the admin


RIVERBANK_STEEL = SeedAccount(
    STEEL,
    "trade@riverbank-steel.test",
    TradeApplication(
        kind=TradeAccount.Kind.DISTRIBUTOR,
        legal_name="Riverbank Steel Supply Pty Ltd",
        trading_name="Riverbank Steel",
        country="AU",
        abn="51 824 753 556",
        gst_registered=True,  # its statement: registered for Australian GST
        currency=Currency.AUD,
        contact_name="Kylie Brennan",
        contact_email="trade@riverbank-steel.test",
        contact_phone="+61 7 5550 1840",
        accounts_email="accounts@riverbank-steel.test",
        delivery_address=AddressInput(
            line1="18 Industry Court",
            city="Rocklea",
            region="QLD",
            postcode="4106",
            country="AU",
        ),
        message="Steel distributor in south-east Queensland; we stock NZ-made "
        "sections and fittings for builders and fabricators.",
    ),
    TradeTermsInput(
        payment_terms=PaymentTerms.NET_DAYS,
        terms_days=30,
        deposit_percent=30,
        credit_limit_cents=2_500_000,
        first_order_proforma=True,
    ),
)
HARBOURSIDE_WINE = SeedAccount(
    WINE,
    "trade@harbourside-wine.test",
    TradeApplication(
        kind=TradeAccount.Kind.IMPORTER,
        legal_name="Harbourside Wine Imports Pty Ltd",
        trading_name="Harbourside Wine Imports",
        country="AU",
        abn="53 004 085 616",
        gst_registered=True,
        currency=Currency.AUD,
        contact_name="Marco Russo",
        contact_email="trade@harbourside-wine.test",
        contact_phone="+61 2 5550 7320",
        accounts_email="accounts@harbourside-wine.test",
        delivery_address=AddressInput(
            line1="7 Bourke Road",
            city="Alexandria",
            region="NSW",
            postcode="2015",
            country="AU",
        ),
        message="We import small New Zealand producers for Sydney restaurants "
        "and bottle shops.",
    ),
    TradeTermsInput(
        payment_terms=PaymentTerms.NET_7,
        credit_limit_cents=1_500_000,
        first_order_proforma=True,
    ),
)
DOMINION_ROAD = SeedAccount(
    BEER,
    "trade@dominion-road-bottle-store.test",
    TradeApplication(
        kind=TradeAccount.Kind.RETAILER,
        legal_name="Dominion Road Bottle Store Limited",
        trading_name="Dominion Road Bottle Store",
        country="NZ",
        nzbn="9429047182530",
        gst_registered=True,
        gst_number="134-827-157",
        currency=Currency.NZD,
        contact_name="Anjali Desai",
        contact_email="trade@dominion-road-bottle-store.test",
        contact_phone="09 555 0172",
        delivery_address=AddressInput(
            line1="512 Dominion Road",
            city="Auckland",
            region="Auckland",
            postcode="1041",
            country="NZ",
        ),
        message="Independent bottle store in Balmoral; a chiller wall of NZ craft.",
    ),
    TradeTermsInput(
        payment_terms=PaymentTerms.TWENTIETH,
        credit_limit_cents=500_000,
        first_order_proforma=True,
    ),
)
WAKATIPU_KITCHEN = SeedAccount(
    WINE,
    "trade@wakatipu-kitchen.test",
    TradeApplication(
        kind=TradeAccount.Kind.HOSPITALITY,
        legal_name="Wakatipu Kitchen Limited",
        trading_name="Wakatipu Kitchen",
        country="NZ",
        nzbn="9429047183612",
        gst_registered=True,
        gst_number="113-964-588",
        currency=Currency.NZD,
        contact_name="Sophie Tait",
        contact_email="trade@wakatipu-kitchen.test",
        contact_phone="03 555 0419",
        delivery_address=AddressInput(
            line1="21 Beach Street",
            city="Queenstown",
            region="Otago",
            postcode="9300",
            country="NZ",
        ),
        message="A 60-seat restaurant on the lakefront; we would like Marlborough "
        "wines by the glass.",
    ),
    None,
)
SEED_ACCOUNTS = (RIVERBANK_STEEL, HARBOURSIDE_WINE, DOMINION_ROAD, WAKATIPU_KITCHEN)


def _admin(cluster: Cluster) -> Actor:
    role = (
        ClusterRole.objects.filter(cluster=cluster, role=ClusterRole.Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if role is None:
        raise TradeSeedError(f"{cluster.slug}: no admin to act for it")
    return Actor(user=role.user)


def _account_load(seed: SeedAccount, cluster: Cluster) -> tuple[TradeAccount, int]:
    """The account applied for by its demo login (and approved, if the seed says
    so); how many things that made."""
    user = User.objects.filter(email=seed.login).first()
    if user is None:
        raise TradeSeedError(f"{seed.login}: no such demo login")
    made = 0
    account = (
        TradeAccount.objects.filter(cluster=cluster, applied_by=user)
        .exclude(status=TradeAccount.Status.DECLINED)
        .order_by("pk")
        .first()
    )
    if account is None:
        account = trade_account_apply(
            actor=Actor(user=user), cluster=cluster, application=seed.application
        )
        made += 1
    if seed.terms is not None and account.status == TradeAccount.Status.APPLIED:
        account = trade_account_approve(
            actor=_admin(cluster),
            account=account,
            terms=seed.terms,
            reason="Welcome: references checked.",
        )
        made += 1
    return account, made


# --- Requests for quote -----------------------------------------------------------


@dataclass(frozen=True)
class SeedLine:
    member: str
    sku: str
    quantity: int
    hs_code: str
    lead_time_days: int
    priced: bool = True  # False: left waiting for the member's price


@dataclass(frozen=True)
class SeedQuote:
    basis: str
    freight_nzd_cents: int = 0
    insurance_nzd_cents: int = 0
    packing_nzd_cents: int = 0
    notes: str = ""


@dataclass(frozen=True)
class SeedRFQ:
    account: SeedAccount
    incoterm: str
    named_place: str
    lines: tuple[SeedLine, ...]
    notes: str
    needed_in_days: int
    quote: SeedQuote | None  # None: not quoted yet


SEED_RFQS = (
    SeedRFQ(
        RIVERBANK_STEEL,
        "DAP",
        "Brisbane",
        (
            SeedLine("ets-structural", "UB-6M", 4, "7216.33", 15),
            SeedLine("penrose-pipe-and-spool", "PIPE-6M", 20, "7306.30", 10),
            SeedLine("te-rapa-engineering", "BRG-1", 50, "8483.20", 5),
        ),
        "Beams, pipe and bearing housings for a farm-shed job in the Lockyer "
        "Valley; delivered to our yard.",
        45,
        SeedQuote(
            basis="weight",
            freight_nzd_cents=185_000,
            insurance_nzd_cents=12_000,
            notes="Freight Auckland to Brisbane and delivery to your yard, and "
            "marine insurance, shared by weight.",
        ),
    ),
    SeedRFQ(
        HARBOURSIDE_WINE,
        "FOB",
        "Nelson",
        (
            SeedLine("wairau-terrace-wines", "SB-750", 120, "2204.21", 7),
            SeedLine("kowhai-flat-vineyard", "PN-750", 60, "2204.21", 7),
            SeedLine("omaka-downs-estate", "CH-750", 60, "2204.21", 10),
            SeedLine("seddon-ridge-wines", "RI-750", 36, "2204.21", 7),
            SeedLine("black-birch-cellars", "SP-750", 36, "2204.21", 14),
        ),
        "A mixed pallet for our spring list: five wineries, one quote.",
        60,
        SeedQuote(
            basis="value",
            freight_nzd_cents=26_000,
            packing_nzd_cents=9_500,
            notes="Collected from the five cellars, palletised and delivered to "
            "Port Nelson; packing and freight shared by value.",
        ),
    ),
    SeedRFQ(
        DOMINION_ROAD,
        "DAP",
        "Auckland",
        (
            SeedLine("ninety-mile-brewing", "HIPA-440", 96, "2203.00", 7, False),
            SeedLine("grey-lynn-lager-works", "LAG-440", 96, "2203.00", 3),
            SeedLine("kirikiriroa-brewing", "SOUR-440", 48, "2203.00", 5),
        ),
        "Restocking for summer: four cases each of hazy and lager, two of sour.",
        21,
        None,
    ),
)


def _variant(cluster: Cluster, line: SeedLine) -> Variant:
    variant = (
        Variant.objects.filter(member__slug=line.member, sku=line.sku)
        .select_related("member")
        .first()
    )
    if variant is None:
        raise TradeSeedError(f"{cluster.slug}: no variant {line.member} {line.sku}")
    return variant


def _rfq_load(seed: SeedRFQ, account: TradeAccount, cluster: Cluster) -> int:
    """The request (by its account's demo login), its lines priced by their
    members' owners and the quote sent by the cluster's admin; how many things
    that made. A request made before (its notes) is left as it is."""
    if QuoteRequest.objects.filter(account=account, notes=seed.notes).exists():
        return 0
    return _rfq_make(seed, account, cluster)[1]


def _rfq_make(
    seed: SeedRFQ, account: TradeAccount, cluster: Cluster
) -> tuple[QuoteRequest, int]:
    today = timezone.localdate()
    variants = [_variant(cluster, line) for line in seed.lines]
    buyer = Actor(user=User.objects.get(email=seed.account.login))
    request = rfq_create(
        actor=buyer,
        account=account,
        rfq=RFQInput(
            lines=[
                RFQLineInput(quantity=line.quantity, variant_id=variant.pk)
                for line, variant in zip(seed.lines, variants, strict=True)
            ],
            incoterm=seed.incoterm,
            named_place=seed.named_place,
            destination=AddressInput(**account.delivery_address),
            needed_by=today + dt.timedelta(days=seed.needed_in_days),
            notes=seed.notes,
        ),
    )
    made = 1
    rows = list(request.lines.order_by("position"))
    for line, variant, row in zip(seed.lines, variants, rows, strict=True):
        if not line.priced:
            continue
        unit = trade_unit_price(variant, Currency.NZD, line.quantity)
        if unit is None or variant.weight_grams is None:
            raise TradeSeedError(f"{line.member} {line.sku}: no trade price or weight")
        rfq_line_price(
            actor=_owner(variant.member),
            line=row,
            price=LinePriceInput(
                unit_price_nzd_cents=unit,
                lead_time_days=line.lead_time_days,
                valid_until=today + dt.timedelta(days=60),
                unit_weight_grams=variant.weight_grams,
                hs_code=line.hs_code,
                origin_country="NZ",
            ),
        )
        made += 1
    if seed.quote is not None:
        quote_send(
            actor=_admin(cluster),
            request=request,
            quote=QuoteInput(
                basis=seed.quote.basis,
                freight_nzd_cents=seed.quote.freight_nzd_cents,
                insurance_nzd_cents=seed.quote.insurance_nzd_cents,
                packing_nzd_cents=seed.quote.packing_nzd_cents,
                valid_until=today + dt.timedelta(days=30),
                notes=seed.quote.notes,
            ),
        )
        made += 1
    return request, made


# --- Trade orders and their money -----------------------------------------------


@dataclass(frozen=True)
class SeedOrder:
    """A request quoted and accepted ``days_ago`` (its invoice date, when it went
    on account), its parts sent by their members when ``shipped``, and paid in
    full (recorded by the cluster's admin) when ``paid``."""

    rfq: SeedRFQ
    days_ago: int
    shipped: bool
    paid: bool


_BEER_QUOTE = SeedQuote(
    basis="value", freight_nzd_cents=4_500, notes="Chilled courier to Balmoral."
)
SEED_ORDERS = (
    # The first order: pro-forma (the account says so), paid and delivered.
    SeedOrder(
        SeedRFQ(
            DOMINION_ROAD,
            "DAP",
            "Auckland",
            (
                SeedLine("otepoti-barrel-works", "HIPA-440", 96, "2203.00", 5),
                SeedLine("otepoti-barrel-works", "STT-440", 96, "2203.00", 5),
            ),
            "Our opening order: four cases each of Barrel Works' hazy and stout.",
            14,
            _BEER_QUOTE,
        ),
        days_ago=90,
        shipped=True,
        paid=True,
    ),
    # On account (20th of the month following), sent, and now overdue.
    SeedOrder(
        SeedRFQ(
            DOMINION_ROAD,
            "DAP",
            "Auckland",
            (
                SeedLine("mawhera-brewing", "STT-440", 48, "2203.00", 4),
                SeedLine("mawhera-brewing", "APA-440", 24, "2203.00", 4),
            ),
            "Top-up: two cases of Māwhera's stout, one of its pale ale.",
            7,
            _BEER_QUOTE,
        ),
        days_ago=60,
        shipped=True,
        paid=False,
    ),
    # On account, accepted this week: due on the 20th of next month.
    SeedOrder(
        SeedRFQ(
            DOMINION_ROAD,
            "DAP",
            "Auckland",
            (SeedLine("old-kiln-brewery", "PIL-440", 48, "2203.00", 3),),
            "Pilsner for the long weekend: two cases from Old Kiln.",
            7,
            _BEER_QUOTE,
        ),
        days_ago=2,
        shipped=False,
        paid=False,
    ),
)


def _orders_load(
    seeds: tuple[SeedOrder, ...], account: TradeAccount, cluster: Cluster
) -> int:
    """The account's trade orders, oldest first (accepted by its demo login, so
    the first is pro-forma and the later ones go on account as acceptance
    decides), with their invoice dates set back to when the story has them; an
    account that has orders already is left as it is. The books date each
    journal when it was seeded; the statement ages by the trade order's dates."""
    if TradeOrder.objects.filter(account=account).exists():
        return 0
    made = 0
    admin = _admin(cluster)
    for seed in seeds:
        request, count = _rfq_make(seed.rfq, account, cluster)
        made += count
        quote = request.quotes.get(status=Quote.Status.SENT)
        quote_accept(
            actor=Actor(user=User.objects.get(email=seed.rfq.account.login)),
            quote=quote,
        )
        trade = TradeOrder.objects.select_related("order").get(quote=quote)
        made += 1
        when = timezone.now() - dt.timedelta(days=seed.days_ago)
        if trade.invoiced_at is not None:
            TradeOrder.objects.filter(pk=trade.pk).update(
                invoiced_at=when,
                due_on=due_date(
                    trade.payment_terms, timezone.localdate(when), days=trade.terms_days
                ),
            )
        Order.objects.filter(pk=trade.order_id).update(created_at=when)
        # The breweries have brewed since: the catalogue stays as its seed has it.
        for line in trade.order.lines.all():
            Variant.objects.filter(
                pk=line.variant_id or 0, stock_policy=Variant.StockPolicy.TRACKED
            ).update(stock=F("stock") + line.quantity)
        if seed.paid:
            trade_payment_record(
                actor=admin,
                made=trade,
                payment=TradePaymentInput(
                    amount_cents=trade.order.total_cents,
                    received_on=timezone.localdate(when) + dt.timedelta(days=1),
                    note="Paid by internet banking.",
                ),
            )
            made += 1
        if seed.shipped:
            for part in trade.order.fulfilments.select_related("member"):
                owner = _owner(part.member)
                fulfilment_advance(actor=owner, fulfilment=part, to="packed")
                fulfilment_advance(
                    actor=owner, fulfilment=part, to="shipped", carrier="NZ Couriers"
                )
                made += 1
    return made


# --- Rates and settings -----------------------------------------------------------


def _last_4pm() -> dt.datetime:
    """The latest 4 pm, New Zealand time, that has passed."""
    now = timezone.localtime()
    four = now.replace(hour=16, minute=0, second=0, microsecond=0)
    return four if four <= now else four - dt.timedelta(days=1)


def _settings_load(clusters: dict[str, Cluster]) -> int:
    made = 0
    for slug in RATE_CLUSTERS:
        cluster = clusters[slug]
        if not ExchangeRate.objects.filter(
            cluster=cluster, currency=Currency.AUD
        ).exists():
            exchange_rate_record(
                actor=_admin(cluster),
                cluster=cluster,
                currency=Currency.AUD,
                rate=AUD_RATE,
                source=RATE_SOURCE,
                as_of=_last_4pm(),
            )
            made += 1
    for slug, cents in MIN_FIRST_ORDER.items():
        cluster = clusters[slug]
        current = ClusterTrade.objects.filter(cluster=cluster).first()
        if current is None or current.min_first_order_cents != cents:
            cluster_trade_settings_set(
                actor=_admin(cluster), cluster=cluster, min_first_order_cents=cents
            )
            made += 1
    return made


# --- Loading ----------------------------------------------------------------------


class TradeSeedError(Exception):
    """The trade seed cannot be loaded (a seed cluster, login or product is
    missing, or a seed price breaks a rule)."""


@transaction.atomic
def trade_seed_load() -> int:
    """Load the demo's trade story; return how many things it made or changed
    (0 when it is all there). Run it after the catalogue seed."""
    slugs = {STEEL, WINE, BEER}
    clusters = {c.slug: c for c in Cluster.objects.filter(slug__in=slugs)}
    missing = sorted(slugs - set(clusters))
    if missing:
        raise TradeSeedError(f"clusters not loaded: {', '.join(missing)}")
    made = _trade_prices_load()
    made += _settings_load(clusters)
    accounts: dict[str, TradeAccount] = {}
    for seed in SEED_ACCOUNTS:
        accounts[seed.login], count = _account_load(seed, clusters[seed.cluster])
        made += count
    made += _orders_load(
        SEED_ORDERS, accounts[DOMINION_ROAD.login], clusters[DOMINION_ROAD.cluster]
    )
    for rfq in SEED_RFQS:
        cluster = clusters[rfq.account.cluster]
        made += _rfq_load(rfq, accounts[rfq.account.login], cluster)
    return made

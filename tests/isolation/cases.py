"""The isolation matrix's data: every endpoint that reads or writes tenant data, and
who may use it. ``test_isolation_matrix.py`` runs each against the whole cast and
fails if an endpoint exists that is in neither ``CASES`` nor ``NOT_TENANT``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver

from purei.accounts.models import ClusterRole, Invitation, User
from purei.catalogue.models import Category, ImportJob, Listing, Product, Variant
from purei.catalogue.tests.factories import (
    ListingFactory,
    ProductFactory,
    VariantFactory,
)
from purei.clusters.models import Cluster, ClusterApplication, ClusterMoneyAccounts
from purei.clusters.tests.factories import ClusterApplicationFactory
from purei.core.models import AuditEntry
from purei.members.models import Credential, Member, Membership
from purei.members.tests.factories import (
    CredentialFactory,
    MemberFactory,
    MemberRoleFactory,
    MembershipFactory,
)
from purei.orders.models import Order
from purei.trade.models import (
    Quote,
    QuoteLine,
    QuoteRequest,
    QuoteRequestAttachment,
    QuoteRequestLine,
    TradeAccount,
)
from purei.trade.tests.factories import TradeAccountFactory

ACTORS = (
    "anonymous",
    "customer",
    "member_a_staff",
    "member_a_owner",
    "cluster_x_admin",
    "cluster_y_admin",
    "platform_staff",
    "trade_buyer",
)
EVERYONE = frozenset(ACTORS)
LOGGED_IN = EVERYONE - {"anonymous"}


@dataclass
class World:
    """Tenant data of clusters X and Y, built once per module; every test starts
    from it (its own changes rolled back)."""

    cluster_x: Cluster
    cluster_y: Cluster
    member_a: Member
    member_b: Member  # another business, applying to cluster X
    membership_a: Membership
    membership_b: Membership
    credential_a: Credential
    invitation_x: Invitation
    application: ClusterApplication
    product_a: Product
    variant_a: Variant
    listing_a: Listing  # pending in cluster X
    trade_applicant: TradeAccount  # another business applying to trade with X
    trade_account: TradeAccount  # the trade buyer's own, approved, with X
    rfq: QuoteRequest  # the trade buyer's request: lines of members A and B, one free
    rfq_line_a: QuoteRequestLine  # member A's, priced (RFQ_PRICE), with a drawing
    rfq_line_free: QuoteRequestLine  # written out, no member yet
    rfq_attachment: QuoteRequestAttachment  # the drawing of member A's line
    quote: Quote  # sent, for the request above
    trade_order: Order  # an accepted quote's trade order (ISOTRADE1), member A's part
    users: dict[str, User | None] = field(default_factory=dict)
    # The key actors (issue 17): one API key per kind of owner and scope, by name.
    api_keys: dict[str, KeyActor] = field(default_factory=dict)


@dataclass(frozen=True)
class KeyActor:
    """An API key of the world: its secret, the id of its row, the person whose
    session it stands in for (its issuer: the owner, admin or buyer), its scopes."""

    secret: str
    key_id: int
    issuer: str
    scopes: frozenset[str]


# Who issues each kind of key in the world, and for what.
KEY_ISSUERS = {
    "member": "member_a_owner",
    "cluster": "cluster_x_admin",
    "trade_account": "trade_buyer",
}


def _key_name(kind: str, scope: str) -> str:
    return f"SECRET-KEY-{kind}-{scope}"


def build_api_keys(world: World) -> dict[str, KeyActor]:
    """One key per kind (member A, cluster X, the trade buyer's account) and scope,
    each holding that scope alone, and one per kind holding every scope."""
    from purei.apikeys.scopes import SCOPES_BY_KIND
    from purei.apikeys.tests.helpers import issue
    from purei.core.actor import Actor

    targets = {
        "member": world.member_a,
        "cluster": world.cluster_x,
        "trade_account": world.trade_account,
    }
    keys: dict[str, KeyActor] = {}
    for kind, scopes in SCOPES_BY_KIND.items():
        issuer = KEY_ISSUERS[kind]
        actor = Actor(user=world.users[issuer])
        every = [scope.value for scope in scopes]
        for name, chosen in [(s, [s]) for s in every] + [("all", every)]:
            issued = issue(
                actor, targets[kind], chosen, kind=kind, name=_key_name(kind, name)
            )
            keys[f"key:{kind}:{name}"] = KeyActor(
                secret=issued.secret,
                key_id=issued.key.pk,
                issuer=issuer,
                scopes=frozenset(chosen),
            )
    return keys


def build_world(
    cast: dict[str, Any], cluster_x: Cluster, cluster_y: Cluster, member_a: Member
) -> World:
    member_b = MemberFactory.create(
        slug="member-b", trading_name="Member B Oysters", in_trade=True
    )
    MemberRoleFactory.create(member=member_b, user__email="owner@member-b.nz")
    membership_b = MembershipFactory.create(
        member=member_b, cluster=cluster_x, status=Membership.Status.APPLIED
    )
    credential_a = CredentialFactory.create(member=member_a, number="SECRET-LIC-42")
    credential_a.evidence.save("licence.pdf", ContentFile(b"%PDF-1.4 licence"))
    # Cluster X's own accounts (issue 16): shown to its admins and staff only.
    ClusterMoneyAccounts.objects.create(
        cluster=cluster_x,
        bank_account_name="SECRET-X-TRUST",
        bank_account_number="08-6523-1954512-001",
    )
    invitation_x = Invitation.objects.create(
        key="isolation-matrix-key",
        email="curator-to-be@example.nz",
        cluster=cluster_x,
        role=ClusterRole.Role.CURATOR,
    )
    AuditEntry.objects.create(
        verb="cluster.brand_updated",
        cluster=cluster_x,
        target_type="clusters.cluster",
        target_id=str(cluster_x.pk),
        target_repr=str(cluster_x),
        after={"tagline": "SECRET-AUDIT-TAGLINE"},
    )
    application = ClusterApplicationFactory.create(proposed_name_en="Secret Proposal")
    product_a = ProductFactory.create(
        member=member_a,
        slug="product-a",
        title_en="Secret Product A",
        status=Product.Status.LIVE,
    )
    variant_a = VariantFactory.create(product=product_a, sku="SECRET-SKU-A")
    VariantFactory.create(product=product_a, sku="SECRET-SKU-A2")  # one to delete
    listing_a = ListingFactory.create(
        product=product_a, cluster=cluster_x, status=Listing.Status.PENDING
    )
    # Platform staff use the Django admin with the permissions they are given.
    staff = cast["platform_staff"]
    staff.user_permissions.add(Permission.objects.get(codename="view_member"))
    # --- orders: shopper: the customer's order in cluster X (its line is the
    # secret) and the customer's cart there with one line.
    from purei.orders.models import Cart, CartLine, Fulfilment, Order, OrderLine

    shopper_order = Order.objects.create(
        number="ISOXORDER",
        cluster=cluster_x,
        customer=cast["customer"],
        email="customer@example.nz",
        name="Isolation Customer",
        payment_method="test",
        idempotency_key="isolation-matrix-order-x",
        goods_cents=1000,
        total_cents=1000,
    )
    OrderLine.objects.create(
        order=shopper_order,
        fulfilment=Fulfilment.objects.create(
            order=shopper_order,
            member=member_a,
            supplier_name="Member A Wines",
            gst_registered=False,
            method=Fulfilment.Method.PICKUP_PREMISES,
            pickup_code="SECRETPC",
            goods_cents=1000,
            total_cents=1000,
        ),
        title="SECRET-ORDER-LINE",
        sku="SECRET-SKU-A",
        unit_price_cents=1000,
        quantity=1,
        total_cents=1000,
        gst_cents=0,
    )
    customer_cart = Cart.objects.create(cluster=cluster_x, user=cast["customer"])
    CartLine.objects.create(cart=customer_cart, variant=variant_a, quantity=1)
    # --- orders: fulfilment: a PAID order ISOFULFIL in cluster X with member A's
    # part to deliver (the customer's name is the secret), paid by test card.
    _fulfilment_world(cluster_x, member_a, variant_a)
    trade_applicant = TradeAccountFactory.create(
        cluster=cluster_x, legal_name="SECRET-TRADE-APPLICANT Ltd", abn="53004085616"
    )
    trade_account = TradeAccount.objects.get(buyers__user=cast["trade_buyer"])
    rfq, rfq_line_a, rfq_line_free, rfq_attachment, quote = _rfq_world(
        trade_account, member_a, member_b, variant_a
    )
    trade_order = _trade_order_world(trade_account, member_a)
    world = World(
        cluster_x=cluster_x,
        cluster_y=cluster_y,
        member_a=member_a,
        member_b=member_b,
        membership_a=member_a.memberships.get(cluster=cluster_x),
        membership_b=membership_b,
        credential_a=credential_a,
        invitation_x=invitation_x,
        application=application,
        product_a=product_a,
        variant_a=variant_a,
        listing_a=listing_a,
        trade_applicant=trade_applicant,
        trade_account=trade_account,
        rfq=rfq,
        rfq_line_a=rfq_line_a,
        rfq_line_free=rfq_line_free,
        rfq_attachment=rfq_attachment,
        quote=quote,
        trade_order=trade_order,
        users=cast,
    )
    world.api_keys = build_api_keys(world)
    return world


RFQ_NUMBER = "RFQ-ISOLATION"
RFQ_PRICE = "4,242.42"  # member A's unit price: its team, X's admins and staff only


def _rfq_world(
    account: TradeAccount, member_a: Member, member_b: Member, variant_a: Variant
) -> tuple[
    QuoteRequest, QuoteRequestLine, QuoteRequestLine, QuoteRequestAttachment, Quote
]:
    """The trade buyer's request for quote in cluster X: member A's line (priced,
    with a drawing), member B's line (priced), a written-out line not yet assigned;
    and the quote sent for it (valid a month)."""
    import datetime as dt

    rfq = QuoteRequest.objects.create(
        cluster=account.cluster,
        account=account,
        number=RFQ_NUMBER,
        status=QuoteRequest.Status.QUOTED,
        currency="AUD",
        incoterm="DAP",
        named_place="Brisbane",
        destination=dict(account.delivery_address),
    )
    priced = {
        "lead_time_days": 7,
        "unit_weight_grams": 1000,
        "hs_code": "721633",
        "origin_country": "NZ",
    }
    line_a = QuoteRequestLine.objects.create(
        request=rfq,
        position=0,
        variant=variant_a,
        member=member_a,
        description="SECRET-RFQ-LINE-A bracket",
        quantity=2,
        unit_price_nzd_cents=424_242,
        **priced,
    )
    QuoteRequestLine.objects.create(
        request=rfq,
        position=1,
        member=member_b,
        description="SECRET-RFQ-LINE-B",
        quantity=6,
        unit_price_nzd_cents=535_353,
        **priced,
    )
    line_free = QuoteRequestLine.objects.create(
        request=rfq, position=2, description="SECRET-RFQ-LINE-FREE", quantity=1
    )
    attachment = QuoteRequestAttachment(
        line=line_a, name="drawing.pdf", size=23, content_type="application/pdf"
    )
    attachment.file.save("drawing.pdf", ContentFile(b"%PDF-1.4 SECRET-DRAWING"))
    amounts = {
        "goods_cents": 774_242,
        "freight_cents": 0,
        "insurance_cents": 0,
        "packing_cents": 0,
        "gst_cents": 0,
        "total_cents": 774_242,
    }
    quote = Quote.objects.create(
        request=rfq,
        revision=1,
        currency="AUD",
        fx_rate="0.912500",
        fx_source="RBNZ",
        fx_as_of=rfq.created_at,
        basis=Quote.Basis.WEIGHT,
        export=True,
        incoterm="DAP",
        named_place="Brisbane",
        valid_until=rfq.created_at.date() + dt.timedelta(days=30),
        payment_terms=account.payment_terms,
        weight_grams=2000,
        notes="SECRET-QUOTE-NOTE",
        **amounts,
    )
    QuoteLine.objects.create(
        quote=quote,
        request_line=line_a,
        member=member_a,
        description=line_a.description,
        quantity=2,
        unit="each",
        unit_nzd_cents=424_242,
        unit_cents=387_121,
        **amounts,
    )
    return rfq, line_a, line_free, attachment, quote


def _trade_order_world(account: TradeAccount, member_a: Member) -> Order:
    """An accepted quote of the trade buyer's and the trade order it became."""
    from purei.orders.models import Fulfilment
    from purei.trade.models import TradeOrder

    rfq = QuoteRequest.objects.create(
        cluster=account.cluster,
        account=account,
        number="RFQ-ISOTRADE",
        status=QuoteRequest.Status.ACCEPTED,
        currency="AUD",
        incoterm="FOB",
        named_place="Nelson",
        destination=dict(account.delivery_address),
    )
    amounts = {
        "goods_cents": 200_000,
        "freight_cents": 0,
        "insurance_cents": 0,
        "packing_cents": 0,
        "gst_cents": 0,
        "total_cents": 182_500,
    }
    quote = Quote.objects.create(
        request=rfq,
        revision=1,
        status=Quote.Status.ACCEPTED,
        currency="AUD",
        fx_rate="0.912500",
        fx_source="RBNZ",
        fx_as_of=rfq.created_at,
        basis=Quote.Basis.VALUE,
        export=True,
        incoterm="FOB",
        named_place="Nelson",
        valid_until=rfq.created_at.date(),
        payment_terms=account.payment_terms,
        weight_grams=1000,
        **amounts,
    )
    order = Order.objects.create(
        number="ISOTRADE1",
        cluster=account.cluster,
        channel=Order.Channel.TRADE,
        prices_exclude_gst=True,
        email=account.contact_email,
        name="SECRET-TRADE-ORDER-BUYER",
        country="AU",
        zero_rated=True,
        payment_method="bank_transfer",
        idempotency_key="isolation-matrix-trade-order",
        goods_cents=200_000,
        total_cents=200_000,
    )
    Fulfilment.objects.create(
        order=order,
        member=member_a,
        supplier_name="Member A Wines",
        gst_registered=False,
        method=Fulfilment.Method.DELIVERY,
        goods_cents=200_000,
        total_cents=200_000,
    )
    from purei.orders.models import Consignment

    consignment = Consignment.objects.create(order=order, consolidation_point="Depot")
    consignment.packages.create(
        kind="pallet",
        contents="Wine",
        length_mm=1200,
        width_mm=1000,
        height_mm=900,
        net_weight_grams=500_000,
        gross_weight_grams=520_000,
    )
    TradeOrder.objects.create(
        order=order,
        quote=quote,
        account=account,
        currency="AUD",
        fx_rate="0.912500",
        total_cents=182_500,
        payment_terms=account.payment_terms,
    )
    # Invoiced to the buyer's account 40 days ago, due 33 days ago: its statement
    # shows it overdue (docs/trade.md "Getting paid").
    import datetime as dt

    from django.utils import timezone

    from purei.ledger.services.bookings import trade_invoice_book

    Fulfilment.objects.filter(order=order).update(paid_cents=200_000)
    invoiced = timezone.now() - dt.timedelta(days=40)
    trade_invoice_book(order_id=order.pk, buyer=account.name, occurred_at=invoiced)
    TradeOrder.objects.filter(order=order).update(
        invoiced_at=invoiced, due_on=timezone.localdate(invoiced) + dt.timedelta(days=7)
    )
    return order


@dataclass(frozen=True)
class Case:
    """One endpoint: how to call it, who may, and a string only the allowed may see."""

    key: str  # URL name ("members:manage") or "METHOD /api/v1/path"
    method: str
    url: Callable[[World], str]
    allowed: frozenset[str]
    data: Callable[[World], dict[str, Any]] | None = None
    json: bool = False
    secret: Callable[[World], str] | None = None
    # Statuses that count as a refusal besides 401/403/404 and a login redirect.
    also_denied: frozenset[int] = frozenset()


def _x(w: World) -> str:
    return w.cluster_x.slug


def _api(path: str) -> str:
    return "/api/v1" + path


def _const(url: str) -> Callable[[World], str]:
    return lambda w: url


def _in_cluster_x(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/manage/clusters/{w.cluster_x.slug}/{suffix}"


def _import_job_a(w: World) -> str:
    """Member A's finished import (made on first use), whose report is secret."""
    job, _created = ImportJob.objects.get_or_create(
        member=w.member_a,
        defaults={
            "status": ImportJob.Status.FAILED,
            "report": {
                "problems": [{"row": 2, "column": "sku", "message": "SECRET-IMPORT"}]
            },
        },
    )
    return f"/manage/members/member-a/products/import/{job.pk}/"


def _unused_category(w: World) -> str:
    """The slug of a category nothing uses (made on first use)."""
    category, _created = Category.objects.get_or_create(
        slug="isolation-unused", defaults={"name_en": "Isolation unused"}
    )
    return category.slug


def _freight_quote(w: World) -> int:
    """The customer's order ISOFREIGHT in cluster X, member A's part awaiting a
    freight quote (made on first use); the customer's name is the secret."""
    import datetime as dt

    from django.utils import timezone

    from purei.orders.models import FreightQuote, Fulfilment

    found = FreightQuote.objects.filter(order__number="ISOFREIGHT").first()
    if found is not None:
        return found.pk
    expires = timezone.now() + dt.timedelta(days=3)
    order = Order.objects.create(
        number="ISOFREIGHT",
        cluster=w.cluster_x,
        customer=w.users["customer"],
        email="customer@example.nz",
        name="SECRET-FREIGHT-CUSTOMER",
        address_line1="1 Victoria Street",
        town="Hamilton",
        postcode="3204",
        zone="north",
        payment_method="test",
        idempotency_key="isolation-matrix-freight",
        goods_cents=98_000,
        total_cents=98_000,
        hold_until=expires,
    )
    fulfilment = Fulfilment.objects.create(
        order=order,
        member=w.member_a,
        supplier_name="Member A Wines",
        gst_registered=False,
        method=Fulfilment.Method.DELIVERY,
        goods_cents=98_000,
        total_cents=98_000,
        weight_grams=242_000,
    )
    quote = FreightQuote.objects.create(
        order=order,
        fulfilment=fulfilment,
        cluster=w.cluster_x,
        expires_at=expires,
    )
    return quote.pk


def _with_freight(path: Callable[[World], str]) -> Callable[[World], str]:
    """``path``, once the freight quote of order ISOFREIGHT exists."""

    def url(w: World) -> str:
        _freight_quote(w)
        return path(w)

    return url


def _consignment_paper(paper: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        from purei.orders.models import Consignment

        consignment = Consignment.objects.get(order=w.trade_order)
        return _api(f"/consignments/{consignment.pk}/{paper}.pdf")

    return url


def _trade_applicant_api(verb: str) -> Callable[[World], str]:
    return lambda w: _api(
        f"/clusters/{_x(w)}/trade-accounts/{w.trade_applicant.pk}/{verb}"
    )


def _membership_b_api(verb: str) -> Callable[[World], str]:
    return lambda w: _api(f"/memberships/{w.membership_b.pk}/{verb}")


MANAGE_CLUSTER = frozenset({"cluster_x_admin", "platform_staff"})
MEMBER_TEAM = frozenset({"member_a_staff", "member_a_owner", "platform_staff"})
MEMBER_OWNER = frozenset({"member_a_owner"})
MEMBER_OWNER_OR_STAFF = frozenset({"member_a_owner", "platform_staff"})
# Products are run day to day by the whole team; platform staff only read them.
PRODUCT_TEAM = frozenset({"member_a_staff", "member_a_owner"})

# --- orders: shipping and pickup (helpers for the cases at the end of CASES) ---


def _shipping_of_member_a(w: World) -> str:
    """Member A's shipping page, its policy made on first use (with a secret)."""
    from purei.orders.models import ShippingPolicy

    ShippingPolicy.objects.get_or_create(
        member=w.member_a,
        defaults={
            "pickup_at_premises": True,
            "pickup_address": "SECRET-PICKUP-SHED, Renwick",
        },
    )
    return "/manage/members/member-a/shipping/"


def _pickup_event_x(w: World, suffix: str = "") -> str:
    """Cluster X's market day (made on first use), at ``pickup-events/<pk>/…``."""
    import datetime as dt

    from purei.orders.models import PickupEvent

    starts = dt.datetime(2030, 2, 2, 20, 0, tzinfo=dt.UTC)
    event, _created = PickupEvent.objects.get_or_create(
        cluster=w.cluster_x,
        name_en="SECRET-MARKET-DAY",
        defaults={
            "venue": "The Square",
            "collection_point": "SECRET-PICKUP-TENT",
            "time_zone": "Pacific/Auckland",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=7),
            "order_cutoff": starts - dt.timedelta(hours=15),
        },
    )
    return f"/manage/clusters/{w.cluster_x.slug}/pickup-events/{event.pk}/{suffix}"


def _pickup_events_x(w: World) -> str:
    _pickup_event_x(w)
    return f"/manage/clusters/{w.cluster_x.slug}/pickup-events/"


# --- promotions (helpers for the cases at the end of CASES) ---

_PROMOTION_JSON: dict[str, Any] = {"name": "Changed", "kind": "free_delivery"}


def _promotion_json(w: World) -> dict[str, Any]:
    return dict(_PROMOTION_JSON)


def _member_promotion_json(w: World) -> dict[str, Any]:
    return {**_PROMOTION_JSON, "cluster": w.cluster_x.slug}


def _no_data(w: World) -> dict[str, Any]:
    return {}


def _promotion_api_url(owner: str, suffix: str) -> Callable[[World], str]:
    """Cluster X's promotions API (``owner`` "cluster") or member A's."""

    def url(w: World) -> str:
        if owner == "cluster":
            return _promotion_api_x(w, suffix)
        return _promotion_api_a(w, suffix)

    return url


# --- ledger: money (helpers for the cases at the end of CASES) ---


def _ledger_x(w: World) -> dict[str, Any]:
    """Member A's money in cluster X (made on first use): a credit whose line is
    secret, paid out in a run (its payout number), and an invoice of member A for
    the customer's order ISOXORDER (its line is secret)."""
    from django.utils import timezone

    from purei.core.actor import Actor
    from purei.ledger.models import Account, Invoice, InvoiceLine, Journal, Payout
    from purei.ledger.services.journal import Leg, account_for, journal_post
    from purei.ledger.services.payouts import payout_run
    from purei.orders.models import Order

    payout = Payout.objects.filter(cluster=w.cluster_x, member=w.member_a).first()
    if payout is None:
        Member.objects.filter(pk=w.member_a.pk).update(
            bank_account="01-0902-0068389-00", bank_account_name="Member A Ltd"
        )
        payable = account_for(
            w.cluster_x.pk, Account.Kind.MEMBER_PAYABLE, w.member_a.pk
        )
        other = account_for(w.cluster_x.pk, Account.Kind.ADJUSTMENTS)
        journal_post(
            cluster_id=w.cluster_x.pk,
            kind=Journal.Kind.ADJUSTMENT,
            key="isolation-ledger-credit",
            memo="SECRET-LEDGER-LINE",
            occurred_at=timezone.now(),
            legs=[
                Leg(payable, -5000, description="SECRET-LEDGER-LINE"),
                Leg(other, 5000, description="SECRET-LEDGER-LINE"),
            ],
        )
        run = payout_run(
            actor=Actor.system(), cluster=w.cluster_x, until=timezone.now()
        )
        payout = Payout.objects.get(run=run, member=w.member_a)
        order = Order.objects.get(number="ISOXORDER")
        invoice = Invoice.objects.create(
            kind=Invoice.Kind.INVOICE,
            series="INV",
            sequence=1,
            number="MEMBERA-INV-1",
            cluster=w.cluster_x,
            member=w.member_a,
            issued_at=timezone.now(),
            supplier_name="Member A Wines",
            gst_registered=False,
            recipient_name="Isolation Customer",
            order=order,
            fulfilment=order.fulfilments.get(),
            band=Invoice.Band.LOW,
            total_cents=1000,
            gst_cents=0,
        )
        InvoiceLine.objects.create(
            invoice=invoice,
            kind=InvoiceLine.Kind.GOODS,
            description="SECRET-INVOICE-LINE",
            quantity=1,
            unit_price_cents=1000,
            total_cents=1000,
            gst_cents=0,
        )
    invoice = Invoice.objects.get(number="MEMBERA-INV-1")
    return {"payout": payout.number, "run": payout.run_id, "invoice": invoice.pk}


def _money_a(suffix: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        ledger = _ledger_x(w)
        return "/manage/members/member-a/money/" + suffix.format(**ledger)

    return url


def _money_x(suffix: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        ledger = _ledger_x(w)
        return f"/manage/clusters/{w.cluster_x.slug}/" + suffix.format(**ledger)

    return url


def _money_api(path: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        ledger = _ledger_x(w)
        return _api(path.format(x=w.cluster_x.slug, **ledger))

    return url


# A member's money: its team, platform staff and the admins of its clusters.
MEMBER_MONEY = MEMBER_TEAM | {"cluster_x_admin"}
# A customer's invoice: the customer, the supplier's team, the cluster's admins
# and platform staff (invoice_can_view).
ORDER_INVOICE = frozenset({"customer"}) | MEMBER_MONEY


CASES: tuple[Case, ...] = (
    # --- Platform staff: cluster applications --------------------------------
    Case(
        "clusters:review-list",
        "GET",
        lambda w: "/staff/applications/",
        frozenset({"platform_staff"}),
        secret=lambda w: "Secret Proposal",
    ),
    Case(
        "clusters:review-detail",
        "GET",
        lambda w: f"/staff/applications/{w.application.pk}/",
        frozenset({"platform_staff"}),
        secret=lambda w: "Secret Proposal",
    ),
    Case(
        "clusters:review-detail",
        "POST",
        lambda w: f"/staff/applications/{w.application.pk}/",
        frozenset({"platform_staff"}),
        data=lambda w: {"action": "none"},
    ),
    Case(
        "GET /api/v1/applications",
        "GET",
        lambda w: _api("/applications"),
        frozenset({"platform_staff"}),
        secret=lambda w: "Secret Proposal",
    ),
    Case(
        "GET /api/v1/applications/{application_id}",
        "GET",
        lambda w: _api(f"/applications/{w.application.pk}"),
        frozenset({"platform_staff"}),
        secret=lambda w: "Secret Proposal",
    ),
    Case(
        "POST /api/v1/applications/{application_id}/approve",
        "POST",
        lambda w: _api(f"/applications/{w.application.pk}/approve"),
        frozenset({"platform_staff"}),
        data=lambda w: {},
        json=True,
    ),
    Case(
        "POST /api/v1/applications/{application_id}/decline",
        "POST",
        lambda w: _api(f"/applications/{w.application.pk}/decline"),
        frozenset({"platform_staff"}),
        data=lambda w: {"reason": "Not yet."},
        json=True,
    ),
    # --- Platform staff: product categories (public to read, staff to change) ----
    Case(
        "catalogue:category-list",
        "GET",
        lambda w: "/staff/categories/",
        frozenset({"platform_staff"}),
        secret=lambda w: "Product categories",
    ),
    Case(
        "catalogue:category-create",
        "GET",
        lambda w: "/staff/categories/new/",
        frozenset({"platform_staff"}),
        secret=lambda w: "Add a category",
    ),
    Case(
        "catalogue:category-create",
        "POST",
        lambda w: "/staff/categories/new/",
        frozenset({"platform_staff"}),
        data=lambda w: {"name_en": "Isolation Mead", "position": "0"},
    ),
    Case(
        "catalogue:category-update",
        "GET",
        lambda w: "/staff/categories/honey/",
        frozenset({"platform_staff"}),
        secret=lambda w: "Remove this category",
    ),
    Case(
        "catalogue:category-update",
        "POST",
        lambda w: f"/staff/categories/{_unused_category(w)}/",
        frozenset({"platform_staff"}),
        data=lambda w: {"action": "delete"},
    ),
    Case(
        "POST /api/v1/categories",
        "POST",
        lambda w: _api("/categories"),
        frozenset({"platform_staff"}),
        data=lambda w: {"name_en": "Isolation Mead"},
        json=True,
    ),
    Case(
        "PATCH /api/v1/categories/{slug}",
        "PATCH",
        lambda w: _api("/categories/honey"),
        frozenset({"platform_staff"}),
        data=lambda w: {"name_mi": "Mīere pai"},
        json=True,
    ),
    Case(
        "DELETE /api/v1/categories/{slug}",
        "DELETE",
        lambda w: _api(f"/categories/{_unused_category(w)}"),
        frozenset({"platform_staff"}),
        data=lambda w: {},
        json=True,
    ),
    # --- The /manage/ dashboard: everyone logged in sees only their own --------
    Case("members:dashboard", "GET", lambda w: "/manage/", LOGGED_IN),
    # --- Cluster admin screens --------------------------------------------------
    *(
        Case(
            name,
            "GET",
            _in_cluster_x(suffix),
            MANAGE_CLUSTER,
            secret=secret,
        )
        for name, suffix, secret in (
            ("members:cluster-overview", "", None),
            ("members:cluster-members", "members/", lambda w: "Member B Oysters"),
            ("clusters:manage-people", "people/", lambda w: "curator-to-be@example.nz"),
            ("clusters:manage-brand", "brand/", None),
            ("clusters:manage-money", "money/", None),
            (
                "clusters:manage-money-accounts",
                "money-accounts/",
                lambda w: "SECRET-X-TRUST",
            ),
            ("clusters:manage-listing-rules", "listing-rules/", None),
            ("clusters:manage-activity", "activity/", lambda w: "SECRET-AUDIT-TAGLINE"),
        )
    ),
    Case(
        "members:cluster-membership",
        "GET",
        lambda w: f"/manage/clusters/{_x(w)}/members/{w.membership_b.pk}/",
        MANAGE_CLUSTER,
        secret=lambda w: "Member B Oysters",
    ),
    *(
        Case(
            name,
            "POST",
            _in_cluster_x(suffix),
            MANAGE_CLUSTER,
            data=lambda w: {},
        )
        for name, suffix in (
            ("members:cluster-members", "members/"),
            ("clusters:manage-people", "people/"),
            ("clusters:manage-brand", "brand/"),
            ("clusters:manage-money", "money/"),
            ("clusters:manage-money-accounts", "money-accounts/"),
            ("clusters:manage-listing-rules", "listing-rules/"),
        )
    ),
    Case(
        "members:cluster-membership",
        "POST",
        lambda w: f"/manage/clusters/{_x(w)}/members/{w.membership_b.pk}/",
        MANAGE_CLUSTER,
        data=lambda w: {"action": "approve"},
    ),
    Case(
        "members:credential-verify",
        "GET",
        lambda w: f"/manage/clusters/{_x(w)}/credentials/{w.credential_a.pk}/verify/",
        frozenset({"cluster_x_admin"}),
        secret=lambda w: "SECRET-LIC-42",
    ),
    Case(
        "members:credential-verify",
        "POST",
        lambda w: f"/manage/clusters/{_x(w)}/credentials/{w.credential_a.pk}/verify/",
        frozenset({"cluster_x_admin"}),
        data=lambda w: {"verified": "yes"},
    ),
    # --- Joining a cluster --------------------------------------------------------
    Case(
        "members:join",
        "POST",
        lambda w: f"/c/{_x(w)}/join/",
        MEMBER_OWNER,
        data=lambda w: {"member": w.member_a.slug},
        also_denied=frozenset({400}),
    ),
    Case(
        "members:join-status",
        "GET",
        lambda w: f"/c/{_x(w)}/join/{w.member_a.slug}/",
        frozenset({"member_a_staff", "member_a_owner"}),
    ),
    Case(
        "members:join-status",
        "POST",
        lambda w: f"/c/{_x(w)}/join/{w.member_a.slug}/",
        frozenset({"member_a_owner", "member_a_staff"}),
        data=lambda w: {},
    ),
    # --- Member business screens ------------------------------------------------
    *(
        Case(
            name,
            "GET",
            _const(f"/manage/members/member-a/{suffix}"),
            MEMBER_TEAM,
            secret=secret,
        )
        for name, suffix, secret in (
            ("members:manage", "", None),
            ("members:photos", "photos/", None),
            ("members:credentials", "credentials/", lambda w: "SECRET-LIC-42"),
        )
    ),
    # The edit forms are for owners; staff and platform staff see read-only pages.
    Case(
        "members:credential-create",
        "GET",
        lambda w: "/manage/members/member-a/credentials/new/",
        MEMBER_OWNER,
    ),
    Case(
        "members:credential-update",
        "GET",
        lambda w: f"/manage/members/member-a/credentials/{w.credential_a.pk}/",
        MEMBER_OWNER,
        secret=lambda w: "SECRET-LIC-42",
    ),
    Case(
        "members:credential-evidence",
        "GET",
        lambda w: f"/manage/members/member-a/credentials/{w.credential_a.pk}/evidence",
        MEMBER_TEAM | {"cluster_x_admin"},
    ),
    *(
        Case(
            name,
            "POST",
            _const(f"/manage/members/member-a/{suffix}"),
            MEMBER_OWNER,
            data=lambda w: {},
        )
        for name, suffix in (
            ("members:manage", ""),
            ("members:photos", "photos/"),
            ("members:credential-create", "credentials/new/"),
        )
    ),
    Case(
        "members:credential-update",
        "POST",
        lambda w: f"/manage/members/member-a/credentials/{w.credential_a.pk}/",
        MEMBER_OWNER,
        data=lambda w: {},
    ),
    Case(
        "members:credential-delete",
        "POST",
        lambda w: f"/manage/members/member-a/credentials/{w.credential_a.pk}/delete/",
        MEMBER_OWNER,
        data=lambda w: {},
    ),
    Case(
        "members:staff",
        "GET",
        lambda w: "/manage/members/member-a/staff/",
        MEMBER_OWNER_OR_STAFF,
        secret=lambda w: "staff@member-a.nz",
    ),
    Case(
        "members:staff",
        "POST",
        lambda w: "/manage/members/member-a/staff/",
        MEMBER_OWNER_OR_STAFF,
        data=lambda w: {},
    ),
    # --- Marketing: a member's embed snippets (its team; platform staff) ---------
    Case(
        "marketing:member-embed",
        "GET",
        _const("/manage/members/member-a/embed/"),
        MEMBER_TEAM,
        secret=lambda w: f"/c/{w.cluster_x.slug}/members/member-a/embed.json",
    ),
    # --- Catalogue: a member's products (team manages; platform staff read) ------
    *(
        Case(
            name,
            "GET",
            _const(f"/manage/members/member-a/{suffix}"),
            MEMBER_TEAM,
            secret=lambda w: "SECRET-SKU-A",
        )
        for name, suffix in (
            ("catalogue:products", "products/"),
            ("catalogue:variants", "products/product-a/variants/"),
            ("catalogue:product-trade", "products/product-a/trade/"),
            ("catalogue:trade-prices", "products/trade-prices/"),
        )
    ),
    Case(
        "catalogue:product-update",
        "GET",
        _const("/manage/members/member-a/products/product-a/"),
        MEMBER_TEAM,
        secret=lambda w: "Secret Product A",
    ),
    Case(
        "catalogue:product-create",
        "GET",
        _const("/manage/members/member-a/products/new/"),
        PRODUCT_TEAM,
    ),
    *(
        Case(
            name,
            "POST",
            _const(f"/manage/members/member-a/{suffix}"),
            PRODUCT_TEAM,
            data=data,
        )
        for name, suffix, data in (
            ("catalogue:products", "products/", lambda w: {"stock-SECRET-SKU-A": "3"}),
            ("catalogue:product-create", "products/new/", lambda w: {}),
            (
                "catalogue:product-update",
                "products/product-a/",
                lambda w: {"action": "none"},
            ),
            (
                "catalogue:variants",
                "products/product-a/variants/",
                lambda w: {"action": "none"},
            ),
            (
                "catalogue:product-trade",
                "products/product-a/trade/",
                lambda w: {"variant": "0"},
            ),
            (
                "catalogue:trade-prices",
                "products/trade-prices/",
                lambda w: {"sku": "SECRET-SKU-A", "trade_price-SECRET-SKU-A": "3"},
            ),
        )
    ),
    # --- Catalogue: products by spreadsheet (the team only; platform staff 403) ------
    Case(
        "catalogue:products-import",
        "GET",
        _const("/manage/members/member-a/products/import/"),
        PRODUCT_TEAM,
    ),
    Case(
        "catalogue:products-import",
        "POST",
        _const("/manage/members/member-a/products/import/"),
        PRODUCT_TEAM,
        data=lambda w: {},
    ),
    Case(
        "catalogue:products-import-status",
        "GET",
        _import_job_a,
        PRODUCT_TEAM,
        secret=lambda w: "SECRET-IMPORT",
    ),
    Case(
        "catalogue:products-import-map",
        "POST",
        lambda w: _import_job_a(w) + "map/",
        PRODUCT_TEAM,
        data=lambda w: {"map-0": "honey"},
    ),
    Case(
        "catalogue:products-export",
        "GET",
        _const("/manage/members/member-a/products/export/?format=purei"),
        PRODUCT_TEAM,
        secret=lambda w: "SECRET-SKU-A",
    ),
    # --- Catalogue: a cluster's listing queue (curators and admins of X) ------------
    Case(
        "catalogue:listing-queue",
        "GET",
        _in_cluster_x("listings/"),
        MANAGE_CLUSTER,
        secret=lambda w: "Secret Product A",
    ),
    Case(
        "catalogue:listing-queue",
        "POST",
        _in_cluster_x("listings/"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {"listing": w.listing_a.pk, "action": "approve"},
    ),
    # Cultural review is for the cluster's kaitiaki, and the cast holds none: nobody
    # of the seven gets in (platform staff neither: the review is the iwi's call).
    Case(
        "catalogue:cultural-review",
        "GET",
        _in_cluster_x("cultural-review/"),
        frozenset(),
        secret=lambda w: "Secret Product A",
    ),
    Case(
        "catalogue:cultural-review",
        "POST",
        _in_cluster_x("cultural-review/"),
        frozenset(),
        data=lambda w: {"listing": w.listing_a.pk, "action": "approve"},
    ),
    # --- API: a member's products ----------------------------------------------
    Case(
        "GET /api/v1/members/{slug}/products",
        "GET",
        lambda w: _api("/members/member-a/products"),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-SKU-A",
    ),
    Case(
        "POST /api/v1/members/{slug}/products",
        "POST",
        lambda w: _api("/members/member-a/products"),
        PRODUCT_TEAM,
        data=lambda w: {"title_en": "Another honey", "category": "honey"},
        json=True,
    ),
    Case(
        "PATCH /api/v1/members/{slug}/products/{product}",
        "PATCH",
        lambda w: _api("/members/member-a/products/product-a"),
        PRODUCT_TEAM,
        data=lambda w: {"maker": "Hine"},
        json=True,
    ),
    Case(
        "POST /api/v1/members/{slug}/products/{product}/variants",
        "POST",
        lambda w: _api("/members/member-a/products/product-a/variants"),
        PRODUCT_TEAM,
        data=lambda w: {"sku": "NEW-SKU", "price": "5.00"},
        json=True,
    ),
    Case(
        "PATCH /api/v1/members/{slug}/products/{product}/variants/{sku}",
        "PATCH",
        lambda w: _api("/members/member-a/products/product-a/variants/SECRET-SKU-A"),
        PRODUCT_TEAM,
        data=lambda w: {"stock": 7},
        json=True,
    ),
    Case(
        "DELETE /api/v1/members/{slug}/products/{product}/variants/{sku}",
        "DELETE",
        lambda w: _api("/members/member-a/products/product-a/variants/SECRET-SKU-A2"),
        PRODUCT_TEAM,
        json=True,
    ),
    Case(
        "PATCH /api/v1/members/{slug}/products/{product}/trade/{sku}",
        "PATCH",
        lambda w: _api("/members/member-a/products/product-a/trade/SECRET-SKU-A"),
        PRODUCT_TEAM,
        data=lambda w: {"trade_price": "3.00"},
        json=True,
    ),
    Case(
        "POST /api/v1/members/{slug}/stock",
        "POST",
        lambda w: _api("/members/member-a/stock"),
        PRODUCT_TEAM,
        data=lambda w: {"stock": {"SECRET-SKU-A": 4}},
        json=True,
    ),
    # --- trade: accounts, settings ----------------------------------------------------
    Case(
        "trade:cluster-accounts",
        "GET",
        _in_cluster_x("trade/"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-TRADE-APPLICANT",
    ),
    Case(
        "trade:cluster-account",
        "GET",
        lambda w: f"/manage/clusters/{_x(w)}/trade/accounts/{w.trade_applicant.pk}/",
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-TRADE-APPLICANT",
    ),
    Case(
        "trade:cluster-settings",
        "GET",
        _in_cluster_x("trade/settings/"),
        MANAGE_CLUSTER,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/trade-accounts",
        "POST",
        lambda w: _api(f"/clusters/{_x(w)}/trade-accounts"),
        LOGGED_IN,
        data=lambda w: {
            "kind": "importer",
            "legal_name": "Matrix Importer Ltd",
            "country": "AU",
            "abn": "33 102 417 032",
            "currency": "AUD",
            "contact_name": "Matrix",
            "contact_email": "matrix@example.com.au",
            "delivery_address": {
                "line1": "2 Quay St",
                "city": "Sydney",
                "postcode": "2000",
                "country": "AU",
            },
        },
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/trade-accounts",
        "GET",
        lambda w: _api(f"/clusters/{_x(w)}/trade-accounts"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-TRADE-APPLICANT",
    ),
    Case(
        "GET /api/v1/trade-accounts/{account_id}",
        "GET",
        lambda w: _api(f"/trade-accounts/{w.trade_account.pk}"),
        frozenset({"trade_buyer", "cluster_x_admin", "platform_staff"}),
        secret=lambda w: "Harbour Steel Distributors",
    ),
    *(
        Case(
            f"POST /api/v1/clusters/{{slug}}/trade-accounts/{{account_id}}/{verb}",
            "POST",
            _trade_applicant_api(verb),
            frozenset({"cluster_x_admin"}),
            data=lambda w: {"reason": "Checked."},
            json=True,
        )
        for verb in ("approve", "decline")
    ),
    # --- trade: requests for quote and quotes -----------------------------------------
    Case(
        "trade:rfqs",
        "GET",
        lambda w: f"/c/{_x(w)}/trade/rfqs/",
        frozenset({"trade_buyer"}),
        secret=lambda w: RFQ_NUMBER,
    ),
    Case(
        "trade:rfq-new",
        "GET",
        lambda w: f"/c/{_x(w)}/trade/rfqs/new/",
        frozenset({"trade_buyer"}),
        secret=lambda w: "1 Wharf St",  # the account's delivery address
    ),
    Case(
        "trade:rfq",
        "GET",
        lambda w: f"/c/{_x(w)}/trade/rfqs/{w.rfq.pk}/",
        frozenset({"trade_buyer"}),
        secret=lambda w: "SECRET-RFQ-LINE",
    ),
    Case(
        "trade:quote-pdf",
        "GET",
        lambda w: f"/c/{_x(w)}/trade/quotes/{w.quote.pk}.pdf",
        frozenset({"trade_buyer", "cluster_x_admin", "platform_staff"}),
    ),
    Case(
        "trade:rfq-attachment",
        "GET",
        lambda w: f"/c/{_x(w)}/trade/attachments/{w.rfq_attachment.pk}/",
        frozenset({"trade_buyer", "cluster_x_admin", "platform_staff"}) | MEMBER_TEAM,
        secret=lambda w: "SECRET-DRAWING",
    ),
    Case(
        "trade:member-rfqs",
        "GET",
        lambda w: "/manage/members/member-a/trade/rfqs/",
        MEMBER_TEAM,
        secret=lambda w: RFQ_NUMBER,
    ),
    Case(
        "trade:member-rfq",
        "GET",
        lambda w: f"/manage/members/member-a/trade/rfqs/{w.rfq.pk}/",
        MEMBER_TEAM,
        secret=lambda w: RFQ_PRICE,
    ),
    Case(
        "trade:cluster-rfqs",
        "GET",
        _in_cluster_x("trade/rfqs/"),
        MANAGE_CLUSTER,
        secret=lambda w: RFQ_NUMBER,
    ),
    Case(
        "trade:cluster-rfq",
        "GET",
        lambda w: f"/manage/clusters/{_x(w)}/trade/rfqs/{w.rfq.pk}/",
        MANAGE_CLUSTER,
        secret=lambda w: RFQ_PRICE,
    ),
    Case(
        "trade:products",
        "GET",
        lambda w: f"/c/{_x(w)}/trade/products/",
        frozenset({"trade_buyer"}),
        # Anyone else logged in is sent back to the trade page, with no price.
        also_denied=frozenset({302}),
    ),
    Case(
        "trade:member-buyer-prices",
        "GET",
        lambda w: "/manage/members/member-a/trade/buyer-prices/",
        MEMBER_TEAM,
    ),
    # --- trade: requests for quote and quotes (API) -----------------------------------
    Case(
        "POST /api/v1/clusters/{slug}/rfqs",
        "POST",
        lambda w: _api(f"/clusters/{_x(w)}/rfqs"),
        frozenset({"trade_buyer"}),
        data=lambda w: {
            "lines": [{"quantity": 2, "description": "A matrix bracket"}],
            "incoterm": "EXW",
            "named_place": "Blenheim",
        },
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/rfqs",
        "GET",
        lambda w: _api(f"/clusters/{_x(w)}/rfqs"),
        MANAGE_CLUSTER,
        secret=lambda w: RFQ_NUMBER,
    ),
    Case(
        "GET /api/v1/rfqs/{rfq_id}",
        "GET",
        lambda w: _api(f"/rfqs/{w.rfq.pk}"),
        frozenset(
            {
                "trade_buyer",
                "cluster_x_admin",
                "platform_staff",
                "member_a_owner",
                "member_a_staff",
            }
        ),
        secret=lambda w: "SECRET-RFQ-LINE-A",
    ),
    Case(
        "POST /api/v1/rfqs/{rfq_id}/lines/{line_id}/assign",
        "POST",
        lambda w: _api(f"/rfqs/{w.rfq.pk}/lines/{w.rfq_line_free.pk}/assign"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {"member": "member-a"},
        json=True,
    ),
    Case(
        "POST /api/v1/rfqs/{rfq_id}/lines/{line_id}/price",
        "POST",
        lambda w: _api(f"/rfqs/{w.rfq.pk}/lines/{w.rfq_line_a.pk}/price"),
        frozenset({"member_a_owner", "member_a_staff"}),
        data=lambda w: {"cannot_supply": True, "note": "Sold out."},
        json=True,
    ),
    Case(
        "POST /api/v1/rfqs/{rfq_id}/quote",
        "POST",
        lambda w: _api(f"/rfqs/{w.rfq.pk}/quote"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {"valid_until": "2099-01-01"},
        json=True,
    ),
    Case(
        "GET /api/v1/quotes/{quote_id}",
        "GET",
        lambda w: _api(f"/quotes/{w.quote.pk}"),
        frozenset({"trade_buyer", "cluster_x_admin", "platform_staff"}),
        secret=lambda w: "SECRET-QUOTE-NOTE",
    ),
    Case(
        "POST /api/v1/quotes/{quote_id}/accept",
        "POST",
        lambda w: _api(f"/quotes/{w.quote.pk}/accept"),
        frozenset({"trade_buyer"}),
        data=lambda w: {},
        json=True,
    ),
    Case(
        "POST /api/v1/quotes/{quote_id}/revision",
        "POST",
        lambda w: _api(f"/quotes/{w.quote.pk}/revision"),
        frozenset({"trade_buyer"}),
        data=lambda w: {"note": "Less freight, please."},
        json=True,
    ),
    Case(
        "trade:cluster-orders",
        "GET",
        _in_cluster_x("trade/orders/"),
        MANAGE_CLUSTER,
        secret=lambda w: "ISOTRADE1",
    ),
    Case(
        "trade:cluster-order",
        "GET",
        _in_cluster_x("trade/orders/ISOTRADE1/"),
        MANAGE_CLUSTER,
        secret=lambda w: "RFQ-ISOTRADE",
    ),
    Case(
        "POST /api/v1/trade-orders/{number}/payments",
        "POST",
        lambda w: _api("/trade-orders/ISOTRADE1/payments"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {"amount_cents": 10_000, "received_nzd_cents": 11_000},
        json=True,
    ),
    Case(
        "GET /api/v1/trade-accounts/{account_id}/statement",
        "GET",
        lambda w: _api(f"/trade-accounts/{w.trade_account.pk}/statement"),
        frozenset({"trade_buyer", "cluster_x_admin", "platform_staff"}),
        secret=lambda w: "ISOTRADE1",
    ),
    Case(
        "trade:statement",
        "GET",
        lambda w: f"/c/{_x(w)}/trade/statement/",
        frozenset({"trade_buyer"}),
        secret=lambda w: "ISOTRADE1",
    ),
    Case(
        "trade:statement-csv",
        "GET",
        lambda w: f"/c/{_x(w)}/trade/statement.csv",
        frozenset({"trade_buyer"}),
        secret=lambda w: "ISOTRADE1",
    ),
    Case(
        "trade:order-invoice",
        "GET",
        lambda w: f"/c/{_x(w)}/trade/orders/ISOTRADE1/",
        frozenset({"trade_buyer"}),
        secret=lambda w: "1,825.00 AUD",
    ),
    Case(
        "trade:cluster-account-statement",
        "GET",
        lambda w: (
            f"/manage/clusters/{_x(w)}/trade/accounts/{w.trade_account.pk}/statement/"
        ),
        MANAGE_CLUSTER,
        secret=lambda w: "ISOTRADE1",
    ),
    Case(
        "GET /api/v1/trade-orders/{number}",
        "GET",
        lambda w: _api("/trade-orders/ISOTRADE1"),
        frozenset({"trade_buyer", "cluster_x_admin", "platform_staff"}),
        secret=lambda w: "RFQ-ISOTRADE",
    ),
    *(
        Case(
            f"GET /api/v1/consignments/{{consignment_id}}/{paper}.pdf",
            "GET",
            _consignment_paper(paper),
            frozenset({"trade_buyer", "cluster_x_admin", "platform_staff"}),
        )
        for paper in (
            "commercial-invoice",
            "packing-list",
            "declaration-of-origin",
        )
    ),
    # --- API: memberships, brand, audit --------------------------------------------
    Case(
        "POST /api/v1/clusters/{slug}/memberships",
        "POST",
        lambda w: _api(f"/clusters/{w.cluster_y.slug}/memberships"),
        MEMBER_OWNER,
        data=lambda w: {"member": "member-a"},
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/memberships",
        "GET",
        lambda w: _api(f"/clusters/{_x(w)}/memberships"),
        MANAGE_CLUSTER,
        secret=lambda w: "Member B Oysters",
    ),
    *(
        Case(
            f"POST /api/v1/memberships/{{membership_id}}/{verb}",
            "POST",
            _membership_b_api(verb),
            MANAGE_CLUSTER,
            data=lambda w: {"reason": "Checked."},
            json=True,
            also_denied=frozenset({409}) if verb == "reinstate" else frozenset(),
        )
        for verb in ("approve", "decline", "suspend")
    ),
    Case(
        "POST /api/v1/memberships/{membership_id}/reinstate",
        "POST",
        lambda w: _api(f"/memberships/{w.membership_a.pk}/reinstate"),
        MANAGE_CLUSTER,
        data=lambda w: {},
        json=True,
        # Member A is approved: reinstating is refused as a move (409) for the
        # allowed; the matrix only checks that nobody else gets past scope.
        also_denied=frozenset(),
    ),
    Case(
        "POST /api/v1/memberships/{membership_id}/leave",
        "POST",
        lambda w: _api(f"/memberships/{w.membership_a.pk}/leave"),
        MEMBER_OWNER,
        data=lambda w: {},
        json=True,
    ),
    Case(
        "PATCH /api/v1/clusters/{slug}/brand",
        "PATCH",
        lambda w: _api(f"/clusters/{_x(w)}/brand"),
        MANAGE_CLUSTER,
        data=lambda w: {"tagline": "Fresh"},
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/listing-rules",
        "GET",
        lambda w: _api(f"/clusters/{_x(w)}/listing-rules"),
        MANAGE_CLUSTER,
        secret=lambda w: '"listings_need_approval"',
    ),
    Case(
        "PATCH /api/v1/clusters/{slug}/listing-rules",
        "PATCH",
        lambda w: _api(f"/clusters/{_x(w)}/listing-rules"),
        MANAGE_CLUSTER,
        data=lambda w: {"cultural_review": True},
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/audit",
        "GET",
        lambda w: _api(f"/clusters/{_x(w)}/audit"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-AUDIT-TAGLINE",
    ),
    # --- API: members ----------------------------------------------------------------
    Case(
        "GET /api/v1/members/{slug}",
        "GET",
        lambda w: _api("/members/member-a"),
        MEMBER_TEAM,
        secret=lambda w: "Maker Number",
    ),
    Case(
        "PATCH /api/v1/members/{slug}",
        "PATCH",
        lambda w: _api("/members/member-a"),
        MEMBER_OWNER,
        data=lambda w: {"town": "Renwick"},
        json=True,
    ),
    Case(
        "POST /api/v1/members",
        "POST",
        lambda w: _api("/members"),
        LOGGED_IN,
        data=lambda w: {"legal_name": "New Business Limited", "in_trade": True},
        json=True,
    ),
    # --- Public reads of tenant data (open to all, but only what is public) ------
    Case("members:public-list", "GET", lambda w: f"/c/{_x(w)}/members/", EVERYONE),
    Case(
        "catalogue:maker",
        "GET",
        lambda w: f"/c/{_x(w)}/members/member-a/",
        EVERYONE,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/members",
        "GET",
        lambda w: _api(f"/clusters/{_x(w)}/members"),
        EVERYONE,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/members/{member_slug}",
        "GET",
        lambda w: _api(f"/clusters/{_x(w)}/members/member-a"),
        EVERYONE,
    ),
    # --- The Django admin: platform staff only -----------------------------------
    Case(
        "admin:members_member_changelist",
        "GET",
        lambda w: "/admin/members/member/",
        frozenset({"platform_staff"}),
        secret=lambda w: "Member B Oysters",
    ),
    # --- orders: shipping and pickup -------------------------------------------------
    # A member's shipping: its team changes it; platform staff read it.
    Case(
        "orders:member-shipping",
        "GET",
        _shipping_of_member_a,
        MEMBER_TEAM,
        secret=lambda w: "SECRET-PICKUP-SHED",
    ),
    Case(
        "orders:member-shipping",
        "POST",
        _shipping_of_member_a,
        PRODUCT_TEAM,
        data=lambda w: {},
    ),
    # A cluster's default shipping and pickup events: its admins change them;
    # platform staff read them.
    Case("orders:cluster-shipping", "GET", _in_cluster_x("shipping/"), MANAGE_CLUSTER),
    Case(
        "orders:cluster-shipping",
        "POST",
        _in_cluster_x("shipping/"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {},
    ),
    Case(
        "orders:pickup-events",
        "GET",
        _pickup_events_x,
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-PICKUP-TENT",
    ),
    Case(
        "orders:pickup-event-create",
        "GET",
        _in_cluster_x("pickup-events/new/"),
        frozenset({"cluster_x_admin"}),
    ),
    Case(
        "orders:pickup-event-create",
        "POST",
        _in_cluster_x("pickup-events/new/"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {},
    ),
    Case(
        "orders:pickup-event-update",
        "GET",
        lambda w: _pickup_event_x(w, "update/"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-PICKUP-TENT",
    ),
    Case(
        "orders:pickup-event-update",
        "POST",
        lambda w: _pickup_event_x(w, "update/"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {},
    ),
    Case(
        "orders:pickup-event-cancel",
        "GET",
        lambda w: _pickup_event_x(w, "cancel/"),
        frozenset({"cluster_x_admin"}),
        secret=lambda w: "SECRET-PICKUP-TENT",
    ),
    Case(
        "orders:pickup-event-cancel",
        "POST",
        lambda w: _pickup_event_x(w, "cancel/"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {},
    ),
    # --- orders: shopper ------------------------------------------------------------
    # Everyone has a cart in a live cluster's storefront: their own (by account or
    # session). The customer's cart line in cluster X is theirs alone (the API's
    # PATCH/DELETE answer 404 to anyone else); the customer's order is seen only by
    # them (or the session that placed it, or the signed link: tested in orders).
    Case("orders:cart", "GET", lambda w: f"/c/{_x(w)}/cart/", EVERYONE),
    Case(
        "orders:cart-add",
        "POST",
        lambda w: f"/c/{_x(w)}/cart/add/",
        EVERYONE,
        data=lambda w: {"variant": w.variant_a.pk, "quantity": 1},
    ),
    Case(
        "orders:cart-update",
        "POST",
        lambda w: f"/c/{_x(w)}/cart/update/",
        EVERYONE,
        data=lambda w: {},
    ),
    Case("settlement:checkout", "GET", lambda w: f"/c/{_x(w)}/checkout/", EVERYONE),
    Case(
        "settlement:checkout",
        "POST",
        lambda w: f"/c/{_x(w)}/checkout/",
        EVERYONE,
        data=lambda w: {},
    ),
    Case(
        "settlement:order-detail",
        "GET",
        _const("/orders/ISOXORDER/"),
        frozenset({"customer"}),
        secret=lambda w: "SECRET-ORDER-LINE",
    ),
    Case(
        "settlement:order-pay",
        "POST",
        _const("/orders/ISOXORDER/pay/"),
        frozenset({"customer"}),
        data=lambda w: {},
    ),
    Case("orders:order-list", "GET", _const("/accounts/orders/"), LOGGED_IN),
    Case(
        "GET /api/v1/clusters/{slug}/cart",
        "GET",
        lambda w: _api(f"/clusters/{_x(w)}/cart"),
        EVERYONE,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/cart/lines",
        "POST",
        lambda w: _api(f"/clusters/{_x(w)}/cart/lines"),
        EVERYONE,
        data=lambda w: {"variant": w.variant_a.pk, "quantity": 1},
        json=True,
    ),
    Case(
        "PATCH /api/v1/clusters/{slug}/cart/lines/{line_id}",
        "PATCH",
        lambda w: _api(f"/clusters/{_x(w)}/cart/lines/{_customer_line(w)}"),
        frozenset({"customer"}),
        data=lambda w: {"quantity": 1},
        json=True,
    ),
    Case(
        "DELETE /api/v1/clusters/{slug}/cart/lines/{line_id}",
        "DELETE",
        lambda w: _api(f"/clusters/{_x(w)}/cart/lines/{_customer_line(w)}"),
        frozenset({"customer"}),
        json=True,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/checkout",
        "POST",
        lambda w: _api(f"/clusters/{_x(w)}/checkout"),
        EVERYONE,
        data=lambda w: {},
        json=True,
    ),
    Case("GET /api/v1/orders", "GET", _const(_api("/orders")), LOGGED_IN),
    Case(
        "GET /api/v1/orders/{number}",
        "GET",
        _const(_api("/orders/ISOXORDER")),
        frozenset({"customer"}),
        secret=lambda w: "SECRET-ORDER-LINE",
    ),
    # --- orders: freight on quote (the customer's ISOFREIGHT, member A's part) --
    Case(
        "orders:cluster-freight-quotes",
        "GET",
        _with_freight(lambda w: f"/manage/clusters/{_x(w)}/freight-quotes/"),
        MANAGE_CLUSTER,
        secret=lambda w: "ISOFREIGHT",
    ),
    Case(
        "orders:cluster-freight-quote",
        "GET",
        lambda w: f"/manage/clusters/{_x(w)}/freight-quotes/{_freight_quote(w)}/",
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-FREIGHT-CUSTOMER",
    ),
    Case(
        "orders:cluster-freight-quote",
        "POST",
        lambda w: f"/manage/clusters/{_x(w)}/freight-quotes/{_freight_quote(w)}/",
        frozenset({"cluster_x_admin"}),
        data=lambda w: {"price": "120.00", "carrier": "", "note": ""},
    ),
    Case(
        "orders:order-freight-decline",
        "POST",
        _with_freight(lambda w: "/orders/ISOFREIGHT/freight/decline/"),
        frozenset({"customer"}),
    ),
    Case(
        "GET /api/v1/clusters/{slug}/freight-quotes",
        "GET",
        _with_freight(lambda w: _api(f"/clusters/{_x(w)}/freight-quotes")),
        MANAGE_CLUSTER,
        secret=lambda w: "ISOFREIGHT",
    ),
    Case(
        "GET /api/v1/freight-quotes/{quote_id}",
        "GET",
        lambda w: _api(f"/freight-quotes/{_freight_quote(w)}"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-FREIGHT-CUSTOMER",
    ),
    Case(
        "POST /api/v1/freight-quotes/{quote_id}/answer",
        "POST",
        lambda w: _api(f"/freight-quotes/{_freight_quote(w)}/answer"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {"price": "120.00"},
        json=True,
    ),
    Case(
        "POST /api/v1/orders/{number}/freight/decline",
        "POST",
        _with_freight(lambda w: _api("/orders/ISOFREIGHT/freight/decline")),
        frozenset({"customer"}),
        data=lambda w: {},
        json=True,
    ),
    # --- orders: fulfilment ---
    # Member A's part of order ISOFULFIL: its team works it; platform staff read it;
    # cluster admins see it among the cluster's orders (not on the member's pages).
    *(
        Case(
            name,
            "GET",
            _const(f"/manage/members/member-a/orders/{suffix}"),
            MEMBER_TEAM,
            secret=lambda w: "SECRET-FUL-CUSTOMER",
        )
        for name, suffix in (
            ("orders:member-orders", ""),
            ("settlement:member-order", "ISOFULFIL/"),
            ("orders:member-order-packing-slip", "ISOFULFIL/packing-slip/"),
        )
    ),
    Case(
        "settlement:member-order",
        "POST",
        _const("/manage/members/member-a/orders/ISOFULFIL/"),
        PRODUCT_TEAM,
        data=lambda w: {"action": "advance", "to": "packed"},
    ),
    *(
        Case(
            name,
            "GET",
            _in_cluster_x(suffix),
            MANAGE_CLUSTER,
            secret=lambda w: "SECRET-FUL-CUSTOMER",
        )
        for name, suffix in (
            ("orders:cluster-orders", "orders/"),
            ("settlement:cluster-order", "orders/ISOFULFIL/"),
        )
    ),
    Case(
        "settlement:cluster-order",
        "POST",
        _in_cluster_x("orders/ISOFULFIL/"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {"action": "refund", "amount": "1.00", "reason": "Matrix"},
    ),
    Case(
        "GET /api/v1/members/{slug}/fulfilments",
        "GET",
        _const(_api("/members/member-a/fulfilments")),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-FUL-CUSTOMER",
    ),
    Case(
        "GET /api/v1/members/{slug}/fulfilments/{number}",
        "GET",
        _const(_api("/members/member-a/fulfilments/ISOFULFIL")),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-FUL-CUSTOMER",
    ),
    Case(
        "POST /api/v1/members/{slug}/fulfilments/{number}/advance",
        "POST",
        _const(_api("/members/member-a/fulfilments/ISOFULFIL/advance")),
        PRODUCT_TEAM,
        data=lambda w: {"to": "packed"},
        json=True,
    ),
    Case(
        "POST /api/v1/members/{slug}/fulfilments/{number}/cancel",
        "POST",
        _const(_api("/members/member-a/fulfilments/ISOFULFIL/cancel")),
        PRODUCT_TEAM,
        data=lambda w: {"reason": "Matrix"},
        json=True,
    ),
    # --- ledger: money ---------------------------------------------------------------
    *(
        Case(name, "GET", _money_a(suffix), MEMBER_MONEY, secret=secret)
        for name, suffix, secret in (
            ("ledger:member-money", "", lambda w: _ledger_x(w)["payout"]),
            (
                "ledger:member-statement",
                "statements/{payout}/",
                lambda w: "SECRET-LEDGER-LINE",
            ),
            ("ledger:member-statement-pdf", "statements/{payout}.pdf", None),
            (
                "ledger:member-statement-csv",
                "statements/{payout}.csv",
                lambda w: "SECRET-LEDGER-LINE",
            ),
            (
                "ledger:member-invoice",
                "invoices/{invoice}/",
                lambda w: "SECRET-INVOICE-LINE",
            ),
            ("ledger:member-invoice-pdf", "invoices/{invoice}/pdf/", None),
        )
    ),
    *(
        Case(name, "GET", _money_x(suffix), MANAGE_CLUSTER, secret=secret)
        for name, suffix, secret in (
            (
                "ledger:cluster-payouts",
                "payouts/",
                lambda w: f"Run {_ledger_x(w)['run']} of",
            ),
            ("ledger:cluster-run", "payouts/{run}/", lambda w: _ledger_x(w)["payout"]),
            (
                "ledger:cluster-bank-file",
                "payouts/{run}/bank-file.csv",
                lambda w: "Member A Ltd",
            ),
            (
                "ledger:cluster-statement",
                "statements/{payout}/",
                lambda w: "SECRET-LEDGER-LINE",
            ),
            ("ledger:cluster-statement-pdf", "statements/{payout}.pdf", None),
            (
                "ledger:cluster-statement-csv",
                "statements/{payout}.csv",
                lambda w: "SECRET-LEDGER-LINE",
            ),
            ("ledger:cluster-reports", "reports/", None),
            ("ledger:cluster-reports-csv", "reports.csv", None),
            (
                "ledger:cluster-invoice",
                "invoices/{invoice}/",
                lambda w: "SECRET-INVOICE-LINE",
            ),
            ("ledger:cluster-invoice-pdf", "invoices/{invoice}/pdf/", None),
        )
    ),
    Case(
        "ledger:cluster-payouts",
        "POST",
        _money_x("payouts/"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {"action": "adjust", "member": w.member_a.pk, "amount": "1"},
    ),
    Case(
        "ledger:order-invoice",
        "GET",
        lambda w: f"/orders/ISOXORDER/invoices/{_ledger_x(w)['invoice']}/",
        ORDER_INVOICE,
        secret=lambda w: "SECRET-INVOICE-LINE",
    ),
    Case(
        "ledger:order-invoice-pdf",
        "GET",
        lambda w: f"/orders/ISOXORDER/invoices/{_ledger_x(w)['invoice']}/pdf/",
        ORDER_INVOICE,
    ),
    *(
        Case(f"GET /api/v1{key}", "GET", _money_api(path), MEMBER_MONEY, secret=secret)
        for key, path, secret in (
            (
                "/members/{slug}/balance",
                "/members/member-a/balance",
                lambda w: "cluster-x",
            ),
            (
                "/members/{slug}/statements",
                "/members/member-a/statements",
                lambda w: _ledger_x(w)["payout"],
            ),
            (
                "/members/{slug}/statements/{number}",
                "/members/member-a/statements/{payout}",
                lambda w: "SECRET-LEDGER-LINE",
            ),
            (
                "/members/{slug}/invoices",
                "/members/member-a/invoices",
                lambda w: "MEMBERA-INV-1",
            ),
            (
                "/members/{slug}/invoices/{invoice_id}",
                "/members/member-a/invoices/{invoice}",
                lambda w: "SECRET-INVOICE-LINE",
            ),
        )
    ),
    *(
        Case(
            f"GET /api/v1{key}", "GET", _money_api(path), MANAGE_CLUSTER, secret=secret
        )
        for key, path, secret in (
            (
                "/clusters/{slug}/payouts",
                "/clusters/{x}/payouts",
                lambda w: '"total_cents": 5000',
            ),
            (
                "/clusters/{slug}/payouts/{run_id}",
                "/clusters/{x}/payouts/{run}",
                lambda w: _ledger_x(w)["payout"],
            ),
            ("/clusters/{slug}/reports", "/clusters/{x}/reports", None),
        )
    ),
    # --- orders: hub delivery --------------------------------------------------------
    # Cluster X's hub: its admins run it (settings, parcels, dispatching); platform
    # staff read; member A's team says its part is at the hub.
    Case(
        "orders:cluster-hub",
        "GET",
        lambda w: _hub_x(w, "hub/"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-HUB-CUSTOMER",
    ),
    Case(
        "orders:cluster-hub",
        "POST",
        lambda w: _hub_x(w, "hub/"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {
            "number": "ISOHUB1",
            "ISOHUB1-carrier": "NZ Post",
            "ISOHUB1-tracking_number": "T1",
        },
    ),
    Case(
        "orders:cluster-hub-settings",
        "GET",
        lambda w: _hub_x(w, "hub/settings/"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-HUB-DEPOT",
    ),
    Case(
        "orders:cluster-hub-settings",
        "POST",
        lambda w: _hub_x(w, "hub/settings/"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {},
    ),
    Case(
        "orders:member-hub-drop",
        "POST",
        lambda w: _hub_member_a(w, "/manage/members/member-a/orders/ISOHUB1/hub-drop/"),
        PRODUCT_TEAM,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/hub-delivery",
        "GET",
        lambda w: _hub_api(w, "/hub-delivery"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-HUB-DEPOT",
    ),
    Case(
        "PUT /api/v1/clusters/{slug}/hub-delivery",
        "PUT",
        lambda w: _hub_api(w, "/hub-delivery"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {"enabled": False},
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/hub/parcels",
        "GET",
        lambda w: _hub_api(w, "/hub/parcels"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-HUB-CUSTOMER",
    ),
    Case(
        "POST /api/v1/clusters/{slug}/hub/parcels/{number}/dispatch",
        "POST",
        lambda w: _hub_api(w, "/hub/parcels/ISOHUB1/dispatch"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {"carrier": "NZ Post", "tracking_number": "T1"},
        json=True,
    ),
    Case(
        "POST /api/v1/members/{slug}/fulfilments/{number}/hub-drop",
        "POST",
        lambda w: _hub_member_a(
            w, _api("/members/member-a/fulfilments/ISOHUB1/hub-drop")
        ),
        PRODUCT_TEAM,
        json=True,
    ),
    # --- promotions -------------------------------------------------------------------
    # Cluster X's promotions: its admins run them (platform staff read); member A's
    # own: its team runs them (platform staff read), X's admins see and pause them.
    Case(
        "promotions:cluster-promotions",
        "GET",
        lambda w: _promotion_x(w, ""),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-PROMO-X",
    ),
    Case(
        "promotions:cluster-promotion-create",
        "GET",
        _in_cluster_x("promotions/new/"),
        frozenset({"cluster_x_admin"}),
    ),
    Case(
        "promotions:cluster-promotion-create",
        "POST",
        _in_cluster_x("promotions/new/"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {},
    ),
    Case(
        "promotions:cluster-promotion-update",
        "GET",
        lambda w: _promotion_x(w, "update/"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-PROMO-X",
    ),
    Case(
        "promotions:cluster-promotion-update",
        "POST",
        lambda w: _promotion_x(w, "update/"),
        frozenset({"cluster_x_admin"}),
        data=lambda w: {},
    ),
    Case(
        "promotions:cluster-promotion-pause",
        "POST",
        lambda w: _promotion_x(w, "pause/"),
        frozenset({"cluster_x_admin"}),
    ),
    Case(
        "promotions:cluster-promotion-resume",
        "POST",
        lambda w: _promotion_x(w, "resume/"),
        frozenset({"cluster_x_admin"}),
    ),
    Case(
        "promotions:member-promotions",
        "GET",
        lambda w: _promotion_a(w, ""),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-PROMO-A",
    ),
    Case(
        "promotions:member-promotion-create",
        "GET",
        _const("/manage/members/member-a/promotions/new/"),
        PRODUCT_TEAM,
    ),
    Case(
        "promotions:member-promotion-create",
        "POST",
        _const("/manage/members/member-a/promotions/new/"),
        PRODUCT_TEAM,
        data=lambda w: {},
    ),
    Case(
        "promotions:member-promotion-update",
        "GET",
        lambda w: _promotion_a(w, "update/"),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-PROMO-A",
    ),
    Case(
        "promotions:member-promotion-update",
        "POST",
        lambda w: _promotion_a(w, "update/"),
        PRODUCT_TEAM,
        data=lambda w: {},
    ),
    Case(
        "promotions:member-promotion-pause",
        "POST",
        lambda w: _promotion_a(w, "pause/"),
        PRODUCT_TEAM,
    ),
    Case(
        "promotions:member-promotion-resume",
        "POST",
        lambda w: _promotion_a(w, "resume/"),
        PRODUCT_TEAM,
    ),
    *(
        Case(
            f"{method} /api/v1/clusters/{{slug}}/promotions{suffix}",
            method,
            _promotion_api_url("cluster", suffix),
            MANAGE_CLUSTER if method == "GET" else frozenset({"cluster_x_admin"}),
            data=_promotion_json if method == "PUT" or suffix == "" else _no_data,
            json=method != "GET",
            secret=(lambda w: "SECRET-PROMO-X") if method == "GET" else None,
        )
        for method, suffix in (
            ("GET", ""),
            ("POST", ""),
            ("GET", "/{promotion_id}"),
            ("PUT", "/{promotion_id}"),
            ("POST", "/{promotion_id}/pause"),
            ("POST", "/{promotion_id}/resume"),
        )
    ),
    *(
        Case(
            f"{method} /api/v1/members/{{slug}}/promotions{suffix}",
            method,
            _promotion_api_url("member", suffix),
            MEMBER_TEAM if method == "GET" else PRODUCT_TEAM,
            data=_member_promotion_json
            if suffix == "" and method == "POST"
            else _promotion_json
            if method == "PUT"
            else _no_data,
            json=method != "GET",
            secret=(lambda w: "SECRET-PROMO-A") if method == "GET" else None,
        )
        for method, suffix in (
            ("GET", ""),
            ("POST", ""),
            ("GET", "/{promotion_id}"),
            ("PUT", "/{promotion_id}"),
            ("POST", "/{promotion_id}/pause"),
            ("POST", "/{promotion_id}/resume"),
        )
    ),
    # --- insights -------------------------------------------------------------------
    # Cluster X's dashboard: its admins and platform staff. Member A's: its team and
    # platform staff (not X's admins: a member's own figures); its team sets the
    # wholesale prices, its owners choose to be counted in benchmarks.
    Case(
        "insights:cluster-dashboard",
        "GET",
        _in_cluster_x("insights/"),
        MANAGE_CLUSTER,
        secret=lambda w: "Secret Product A",
    ),
    Case(
        "insights:cluster-download",
        "GET",
        _in_cluster_x("insights/download.csv"),
        MANAGE_CLUSTER,
        secret=lambda w: "Secret Product A",
    ),
    Case(
        "insights:member-dashboard",
        "GET",
        _const("/manage/members/member-a/insights/"),
        MEMBER_TEAM,
        secret=lambda w: "Secret Product A",
    ),
    Case(
        "insights:member-download",
        "GET",
        _const("/manage/members/member-a/insights/download.csv"),
        MEMBER_TEAM,
        secret=lambda w: "Secret Product A",
    ),
    Case(
        "insights:member-wholesale-prices",
        "GET",
        _const("/manage/members/member-a/insights/wholesale-prices/"),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-SKU-A",
    ),
    Case(
        "insights:member-wholesale-prices",
        "POST",
        _const("/manage/members/member-a/insights/wholesale-prices/"),
        PRODUCT_TEAM,
        data=lambda w: {f"price-{w.variant_a.pk}": "4.20"},
    ),
    Case(
        "insights:member-benchmarking",
        "POST",
        _const("/manage/members/member-a/insights/benchmarking/"),
        MEMBER_OWNER,
        data=lambda w: {"cluster": w.cluster_x.pk, "opted_in": "1"},
    ),
    Case(
        "GET /api/v1/clusters/{slug}/insights",
        "GET",
        lambda w: _api(f"/clusters/{w.cluster_x.slug}/insights"),
        MANAGE_CLUSTER,
        secret=lambda w: "Secret Product A",
    ),
    Case(
        "GET /api/v1/members/{slug}/insights",
        "GET",
        _const(_api("/members/member-a/insights")),
        MEMBER_TEAM,
        secret=lambda w: "Secret Product A",
    ),
    Case(
        "GET /api/v1/members/{slug}/wholesale-prices",
        "GET",
        _const(_api("/members/member-a/wholesale-prices")),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-SKU-A",
    ),
    *(
        Case(
            f"{method} /api/v1/members/{{slug}}/wholesale-prices/{{variant_id}}",
            method,
            lambda w: _api(f"/members/member-a/wholesale-prices/{w.variant_a.pk}"),
            PRODUCT_TEAM,
            data=lambda w: {"price_cents": 420},
            json=True,
        )
        for method in ("PUT", "DELETE")
    ),
    Case(
        "PUT /api/v1/members/{slug}/benchmarking/{cluster_slug}",
        "PUT",
        lambda w: _api(f"/members/member-a/benchmarking/{w.cluster_x.slug}"),
        MEMBER_OWNER,
        data=lambda w: {"opted_in": True},
        json=True,
    ),
)


def _promotions_world(w: World) -> tuple[int, int]:
    """Cluster X's own promotion and member A's own there (made on first use);
    their names are the secrets."""
    from purei.promotions.models import Promotion

    mine, _made = Promotion.objects.get_or_create(
        cluster=w.cluster_x,
        name="SECRET-PROMO-X",
        defaults={"kind": "percent", "percent_bp": 1000, "paid_by": "cluster"},
    )
    theirs, _made = Promotion.objects.get_or_create(
        cluster=w.cluster_x,
        member=w.member_a,
        name="SECRET-PROMO-A",
        defaults={
            "kind": "fixed",
            "amount_cents": 500,
            "paid_by": "member",
            "code": "ISOPROMOA",
        },
    )
    return mine.pk, theirs.pk


def _promotion_x(w: World, suffix: str) -> str:
    pk, _theirs = _promotions_world(w)
    base = f"/manage/clusters/{w.cluster_x.slug}/promotions/"
    return base + (f"{pk}/{suffix}" if suffix else "")


def _promotion_a(w: World, suffix: str) -> str:
    _mine, pk = _promotions_world(w)
    base = "/manage/members/member-a/promotions/"
    return base + (f"{pk}/{suffix}" if suffix else "")


def _promotion_api_x(w: World, suffix: str) -> str:
    pk, _theirs = _promotions_world(w)
    path = suffix.replace("{promotion_id}", str(pk))
    return _api(f"/clusters/{w.cluster_x.slug}/promotions{path}")


def _promotion_api_a(w: World, suffix: str) -> str:
    _mine, pk = _promotions_world(w)
    path = suffix.replace("{promotion_id}", str(pk))
    return _api(f"/members/member-a/promotions{path}")


def _hub_world(w: World) -> None:
    """orders: hub delivery: cluster X's hub (its name is a secret) and order
    ISOHUB1, paid, member A's part gathering at the hub (made on first use)."""
    from django.utils import timezone

    from purei.orders.models import (
        Consignment,
        Fulfilment,
        HubDelivery,
        Order,
        ShippingPolicy,
    )

    hub, _made = HubDelivery.objects.get_or_create(
        cluster=w.cluster_x,
        defaults={
            "enabled": True,
            "hub_name": "SECRET-HUB-DEPOT",
            "hub_address": "1 Depot Road, Blenheim",
            "cutoff_kind": "hours",
            "cutoff_hours": 24,
        },
    )
    policy, _made = ShippingPolicy.objects.get_or_create(hub=hub)
    policy.rates.get_or_create(zone="south", max_weight_grams=None, price_cents=900)
    if Order.objects.filter(number="ISOHUB1").exists():
        return
    order = Order.objects.create(
        number="ISOHUB1",
        cluster=w.cluster_x,
        email="hub-customer@example.nz",
        name="SECRET-HUB-CUSTOMER",
        address_line1="2 Secret Street",
        town="Blenheim",
        postcode="7201",
        zone="south",
        payment_method="test",
        payment_reference="ISOHUB1",
        idempotency_key="isolation-matrix-hub-x",
        goods_cents=2000,
        shipping_cents=900,
        total_cents=2900,
        status=Order.Status.PAID,
        payment_state=Order.PaymentState.PAID,
        paid_at=timezone.now(),
    )
    Fulfilment.objects.create(
        order=order,
        member=w.member_a,
        supplier_name="Member A Wines",
        gst_registered=False,
        method=Fulfilment.Method.DELIVERY,
        via_hub=True,
        goods_cents=2000,
        shipping_cents=900,
        total_cents=2900,
    )
    Consignment.objects.create(
        order=order,
        kind=Consignment.Kind.HUB,
        consolidation_point="SECRET-HUB-DEPOT, 1 Depot Road, Blenheim",
        charge_cents=900,
        split_rule="weight",
    )


def _hub_x(w: World, suffix: str) -> str:
    _hub_world(w)
    return f"/manage/clusters/{w.cluster_x.slug}/{suffix}"


def _hub_api(w: World, suffix: str) -> str:
    _hub_world(w)
    return _api(f"/clusters/{w.cluster_x.slug}{suffix}")


def _hub_member_a(w: World, url: str) -> str:
    _hub_world(w)
    return url


def _fulfilment_world(cluster_x: Cluster, member_a: Member, variant: Variant) -> None:
    """orders: fulfilment: order ISOFULFIL, paid, with member A's part (see CASES)."""
    from django.utils import timezone

    from purei.orders.models import Fulfilment, Order, OrderLine
    from purei.payments.models import Payment

    order = Order.objects.create(
        number="ISOFULFIL",
        cluster=cluster_x,
        email="ful-customer@example.nz",
        name="SECRET-FUL-CUSTOMER",
        address_line1="1 Secret Street",
        town="Blenheim",
        postcode="7201",
        zone="south",
        payment_method="test",
        payment_reference="ISOFULFIL",
        idempotency_key="isolation-matrix-fulfilment-x",
        goods_cents=2000,
        shipping_cents=500,
        total_cents=2500,
        status=Order.Status.PAID,
        payment_state=Order.PaymentState.PAID,
        paid_at=timezone.now(),
    )
    fulfilment = Fulfilment.objects.create(
        order=order,
        member=member_a,
        supplier_name="Member A Wines",
        gst_registered=False,
        method=Fulfilment.Method.DELIVERY,
        goods_cents=2000,
        shipping_cents=500,
        total_cents=2500,
    )
    OrderLine.objects.create(
        order=order,
        fulfilment=fulfilment,
        variant=variant,
        title="Secret Product A",
        sku=variant.sku,
        unit_price_cents=1000,
        quantity=2,
        total_cents=2000,
        gst_cents=0,
    )
    Payment.objects.create(
        order=order,
        gateway="test",
        amount_cents=2500,
        status=Payment.Status.SUCCEEDED,
        succeeded_at=timezone.now(),
        reference="test_ch_isofulfil",
    )


def _customer_line(w: World) -> int:
    """The customer's cart line in cluster X (made in ``build_world``)."""
    from purei.orders.models import CartLine

    return CartLine.objects.get(cart__user=w.users["customer"]).pk


# --- marketing: stories and newsletters (issue 14) ---------------------------------


def _story_x(w: World, suffix: str = "") -> str:
    """Cluster X's draft story (its title is a secret), with a picture, at
    ``stories/<pk>/…`` (made on first use)."""
    from purei.core.tests.pictures import picture_bytes
    from purei.marketing.models import Story, StoryImage

    story, created = Story.objects.get_or_create(
        cluster=w.cluster_x,
        slug="secret-draft",
        defaults={"title_en": "SECRET-STORY-DRAFT", "body_en": "Draft."},
    )
    if created:
        image = StoryImage(story=story, number=1, alt_text="A picture")
        image.image.save("p.jpg", ContentFile(picture_bytes(300, 300)), save=False)
        image.save()
    return f"/manage/clusters/{w.cluster_x.slug}/stories/{story.pk}/{suffix}"


def _story_image_x(w: World) -> str:
    from purei.marketing.models import StoryImage

    base = _story_x(w)
    image = StoryImage.objects.get(story__slug="secret-draft")
    return f"{base}images/{image.pk}/delete/"


def _newsletter_x(w: World, suffix: str = "") -> str:
    """Cluster X's list: a subscriber (its address is a secret) and a draft
    campaign (its subject is a secret) of a published story (made on first use)."""
    from django.utils import timezone

    from purei.marketing.models import Campaign, Story, Subscriber

    story, _created = Story.objects.get_or_create(
        cluster=w.cluster_x,
        slug="published",
        defaults={
            "title_en": "Published",
            "status": Story.Status.PUBLISHED,
            "published_at": timezone.now(),
        },
    )
    Subscriber.objects.get_or_create(
        cluster=w.cluster_x,
        email="secret-subscriber@example.nz",
        defaults={"status": "subscribed", "requested_at": timezone.now()},
    )
    campaign, _created = Campaign.objects.get_or_create(
        cluster=w.cluster_x,
        story=story,
        defaults={"subject": "SECRET-CAMPAIGN", "reply_to": "admin@cluster-x.nz"},
    )
    return suffix.replace("<campaign>", str(campaign.pk))


def _in_newsletter_x(suffix: str) -> Callable[[World], str]:
    return lambda w: _newsletter_x(
        w, f"/manage/clusters/{w.cluster_x.slug}/newsletter/{suffix}"
    )


CLUSTER_X_ADMIN = frozenset({"cluster_x_admin"})

CASES = (
    *CASES,
    # Stories: the cluster's admins write them; platform staff read (drafts too).
    Case(
        "marketing:manage-stories",
        "GET",
        lambda w: _story_x(w) and _in_cluster_x("stories/")(w),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-STORY-DRAFT",
    ),
    Case(
        "marketing:manage-story-create",
        "GET",
        _in_cluster_x("stories/new/"),
        CLUSTER_X_ADMIN,
    ),
    Case(
        "marketing:manage-story-create",
        "POST",
        _in_cluster_x("stories/new/"),
        CLUSTER_X_ADMIN,
        data=lambda w: {},
    ),
    Case(
        "marketing:manage-story",
        "GET",
        _story_x,
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-STORY-DRAFT",
    ),
    Case(
        "marketing:manage-story",
        "POST",
        _story_x,
        CLUSTER_X_ADMIN,
        data=lambda w: {"action": "save"},
    ),
    Case(
        "marketing:manage-story-image-add",
        "POST",
        lambda w: _story_x(w, "images/"),
        CLUSTER_X_ADMIN,
        data=lambda w: {},
    ),
    Case(
        "marketing:manage-story-image-delete",
        "POST",
        _story_image_x,
        CLUSTER_X_ADMIN,
    ),
    # The newsletter: counts and campaigns for the admins and platform staff; the
    # list itself (export) and every change for the cluster's admins only.
    Case(
        "marketing:manage-newsletter",
        "GET",
        _in_newsletter_x(""),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-CAMPAIGN",
    ),
    Case(
        "marketing:manage-subscribers-csv",
        "GET",
        _in_newsletter_x("subscribers.csv"),
        CLUSTER_X_ADMIN,
        secret=lambda w: "secret-subscriber@example.nz",
    ),
    Case(
        "marketing:manage-address-mark",
        "POST",
        _in_newsletter_x("addresses/"),
        CLUSTER_X_ADMIN,
        data=lambda w: {},
    ),
    Case(
        "marketing:manage-campaign-create",
        "GET",
        _in_newsletter_x("campaigns/new/"),
        CLUSTER_X_ADMIN,
    ),
    Case(
        "marketing:manage-campaign-create",
        "POST",
        _in_newsletter_x("campaigns/new/"),
        CLUSTER_X_ADMIN,
        data=lambda w: {},
    ),
    Case(
        "marketing:manage-campaign",
        "GET",
        _in_newsletter_x("campaigns/<campaign>/"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-CAMPAIGN",
    ),
    Case(
        "marketing:manage-campaign",
        "POST",
        _in_newsletter_x("campaigns/<campaign>/"),
        CLUSTER_X_ADMIN,
        data=lambda w: {"action": "none"},
    ),
)


# --- working together (issue 15): cluster X's members' space ---

TOGETHER = frozenset({"member_a_staff", "member_a_owner", "cluster_x_admin"})
TOGETHER_MEMBERS = frozenset({"member_a_staff", "member_a_owner"})
TOGETHER_ADMIN = frozenset({"cluster_x_admin"})


def _together_world(w: World) -> dict[str, int]:
    """Cluster X's notice (with a file), library entry (with a file) and member
    A's partner post (made on first use); their titles are the secrets."""
    from purei.cooperation.models import (
        Attachment,
        PartnerPost,
        Resource,
        ResourceVersion,
        Thread,
    )

    thread, created = Thread.objects.get_or_create(
        cluster=w.cluster_x,
        title="SECRET-NOTICE",
        defaults={"category": "freight", "body": "x", "author_member": w.member_a},
    )
    if created:
        attachment = Attachment(
            thread=thread, name="a.pdf", content_type="application/pdf"
        )
        attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4 SECRET"))
    resource, created = Resource.objects.get_or_create(
        cluster=w.cluster_x, title="SECRET-RESOURCE", defaults={"kind": "file"}
    )
    if created:
        version = ResourceVersion(
            resource=resource, number=1, content_type="application/pdf"
        )
        version.file.save("kit.pdf", ContentFile(b"%PDF-1.4 kit"))
    import datetime as dt

    from django.utils import timezone

    post, _created = PartnerPost.objects.get_or_create(
        cluster=w.cluster_x,
        title="SECRET-PARTNER-POST",
        defaults={
            "member": w.member_a,
            "kind": "offer",
            "body": "x",
            "expires_at": timezone.now() + dt.timedelta(days=5),
        },
    )
    return {
        "thread": thread.pk,
        "attachment": thread.attachments.get().pk,
        "resource": resource.pk,
        "version": resource.versions.get().pk,
        "post": post.pk,
    }


def _together(suffix: str) -> Callable[[World], str]:
    """``/manage/together/cluster-x/<suffix>``, ``<thread>`` etc. filled in."""

    def url(w: World) -> str:
        ids = _together_world(w)
        path = suffix
        for key, value in ids.items():
            path = path.replace(f"<{key}>", str(value))
        return f"/manage/together/{w.cluster_x.slug}/{path}"

    return url


def _together_api(suffix: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        ids = _together_world(w)
        path = suffix
        for key, value in ids.items():
            path = path.replace(f"<{key}>", str(value))
        return _api(f"/clusters/{w.cluster_x.slug}/{path}")

    return url


def _secret(text: str) -> Callable[[World], str]:
    return lambda w: text


def _upload_pdf() -> SimpleUploadedFile:
    """A fresh small PDF for a multipart case (read once per request)."""
    return SimpleUploadedFile("f.pdf", b"%PDF-1.4 case", "application/pdf")


TOGETHER_CASES: tuple[Case, ...] = (
    Case(
        "cooperation:board",
        "GET",
        _together("board/"),
        TOGETHER,
        secret=_secret("SECRET-NOTICE"),
    ),
    Case("cooperation:thread-create", "GET", _together("board/new/"), TOGETHER),
    Case(
        "cooperation:thread-create",
        "POST",
        _together("board/new/"),
        TOGETHER,
        data=lambda w: {},
    ),
    Case(
        "cooperation:digest",
        "POST",
        _together("board/digest/"),
        TOGETHER,
        data=lambda w: {"frequency": "daily"},
    ),
    Case(
        "cooperation:thread",
        "GET",
        _together("board/<thread>/"),
        TOGETHER,
        secret=_secret("SECRET-NOTICE"),
    ),
    Case(
        "cooperation:thread",
        "POST",
        _together("board/<thread>/"),
        TOGETHER,
        data=lambda w: {},
    ),
    Case(
        "cooperation:thread-follow",
        "POST",
        _together("board/<thread>/follow/"),
        TOGETHER,
    ),
    Case(
        "cooperation:thread-moderate",
        "POST",
        _together("board/<thread>/moderate/"),
        TOGETHER_ADMIN,
        data=lambda w: {"action": "pin"},
    ),
    Case(
        "cooperation:attachment",
        "GET",
        _together("board/files/<attachment>/"),
        TOGETHER,
        secret=_secret("SECRET"),
    ),
    Case(
        "cooperation:resources",
        "GET",
        _together("resources/"),
        TOGETHER,
        secret=_secret("SECRET-RESOURCE"),
    ),
    Case(
        "cooperation:resource-create",
        "GET",
        _together("resources/new/"),
        TOGETHER_ADMIN,
    ),
    Case(
        "cooperation:resource-create",
        "POST",
        _together("resources/new/"),
        TOGETHER_ADMIN,
        data=lambda w: {},
    ),
    Case(
        "cooperation:resource",
        "GET",
        _together("resources/<resource>/"),
        TOGETHER,
        secret=_secret("SECRET-RESOURCE"),
    ),
    Case(
        "cooperation:resource",
        "POST",
        _together("resources/<resource>/"),
        TOGETHER_ADMIN,
        data=lambda w: {},
    ),
    Case(
        "cooperation:resource-file",
        "GET",
        _together("resources/versions/<version>/file/"),
        TOGETHER,
    ),
    Case(
        "cooperation:partners",
        "GET",
        _together("partners/"),
        TOGETHER,
        secret=_secret("SECRET-PARTNER-POST"),
    ),
    Case(
        "cooperation:partner-create",
        "GET",
        _together("partners/new/"),
        TOGETHER_MEMBERS,
    ),
    Case(
        "cooperation:partner-create",
        "POST",
        _together("partners/new/"),
        TOGETHER_MEMBERS,
        data=lambda w: {},
    ),
    Case(
        "cooperation:partner",
        "GET",
        _together("partners/<post>/"),
        TOGETHER,
        secret=_secret("SECRET-PARTNER-POST"),
    ),
    Case(
        "cooperation:partner",
        "POST",
        _together("partners/<post>/"),
        TOGETHER,
        data=lambda w: {"action": "withdraw"},
    ),
    Case(
        "cooperation:directory",
        "GET",
        _together("directory/"),
        TOGETHER,
        secret=_secret("Member A Wines"),
    ),
    Case(
        "cooperation:member-together",
        "GET",
        _const("/manage/members/member-a/together/"),
        TOGETHER_MEMBERS,
    ),
    Case(
        "cooperation:member-together",
        "POST",
        _const("/manage/members/member-a/together/"),
        MEMBER_OWNER,
        data=lambda w: {},
    ),
    Case(
        "GET /api/v1/clusters/{slug}/board/threads",
        "GET",
        _together_api("board/threads"),
        TOGETHER,
        secret=_secret("SECRET-NOTICE"),
    ),
    Case(
        "POST /api/v1/clusters/{slug}/board/threads",
        "POST",
        _together_api("board/threads"),
        TOGETHER,
        json=True,
        data=lambda w: {"category": "freight", "title": "T", "body": "B"},
    ),
    Case(
        "GET /api/v1/clusters/{slug}/board/threads/{thread_id}",
        "GET",
        _together_api("board/threads/<thread>"),
        TOGETHER,
        secret=_secret("SECRET-NOTICE"),
    ),
    Case(
        "POST /api/v1/clusters/{slug}/board/threads/{thread_id}/replies",
        "POST",
        _together_api("board/threads/<thread>/replies"),
        TOGETHER,
        json=True,
        data=lambda w: {"body": "Yes"},
    ),
    Case(
        "POST /api/v1/clusters/{slug}/board/threads/{thread_id}/follow",
        "POST",
        _together_api("board/threads/<thread>/follow"),
        TOGETHER,
        json=True,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/board/threads/{thread_id}/unfollow",
        "POST",
        _together_api("board/threads/<thread>/unfollow"),
        TOGETHER,
        json=True,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/board/threads/{thread_id}/moderate",
        "POST",
        _together_api("board/threads/<thread>/moderate"),
        TOGETHER_ADMIN,
        json=True,
        data=lambda w: {"action": "lock"},
    ),
    Case(
        "GET /api/v1/clusters/{slug}/resources",
        "GET",
        _together_api("resources"),
        TOGETHER,
        secret=_secret("SECRET-RESOURCE"),
    ),
    Case(
        "POST /api/v1/clusters/{slug}/resources",
        "POST",
        _together_api("resources"),
        TOGETHER_ADMIN,
        json=True,
        data=lambda w: {"title": "Guide", "url": "https://example.nz/g"},
    ),
    Case(
        "GET /api/v1/clusters/{slug}/resources/{resource_id}",
        "GET",
        _together_api("resources/<resource>"),
        TOGETHER,
        secret=_secret("SECRET-RESOURCE"),
    ),
    # Files over the API (multipart: the Case posts form data, files included).
    Case(
        "POST /api/v1/clusters/{slug}/board/threads-with-files",
        "POST",
        _together_api("board/threads-with-files"),
        TOGETHER,
        data=lambda w: {
            "category": "freight",
            "title": "T",
            "body": "B",
            "attachments": _upload_pdf(),
        },
    ),
    Case(
        "POST /api/v1/clusters/{slug}/board/threads/{thread_id}/replies-with-files",
        "POST",
        _together_api("board/threads/<thread>/replies-with-files"),
        TOGETHER,
        data=lambda w: {"body": "Yes", "attachments": _upload_pdf()},
    ),
    Case(
        "POST /api/v1/clusters/{slug}/resources-with-file",
        "POST",
        _together_api("resources-with-file"),
        TOGETHER_ADMIN,
        data=lambda w: {"title": "Kit", "file": _upload_pdf()},
    ),
    Case(
        "POST /api/v1/clusters/{slug}/resources/{resource_id}/versions",
        "POST",
        _together_api("resources/<resource>/versions"),
        TOGETHER_ADMIN,
        data=lambda w: {"note": "v2", "file": _upload_pdf()},
    ),
    Case(
        "GET /api/v1/clusters/{slug}/partner-posts",
        "GET",
        _together_api("partner-posts"),
        TOGETHER,
        secret=_secret("SECRET-PARTNER-POST"),
    ),
    Case(
        "POST /api/v1/clusters/{slug}/partner-posts",
        "POST",
        _together_api("partner-posts"),
        TOGETHER_MEMBERS,
        json=True,
        data=lambda w: {"kind": "need", "title": "T", "body": "B"},
    ),
    Case(
        "GET /api/v1/clusters/{slug}/partner-posts/{post_id}",
        "GET",
        _together_api("partner-posts/<post>"),
        TOGETHER,
        secret=_secret("SECRET-PARTNER-POST"),
    ),
    Case(
        "POST /api/v1/clusters/{slug}/partner-posts/{post_id}/interest",
        "POST",
        _together_api("partner-posts/<post>/interest"),
        TOGETHER_MEMBERS,
        json=True,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/partner-posts/{post_id}/withdraw",
        "POST",
        _together_api("partner-posts/<post>/withdraw"),
        TOGETHER,
        json=True,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/partner-posts/{post_id}/close",
        "POST",
        _together_api("partner-posts/<post>/close"),
        TOGETHER_MEMBERS,
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/member-directory",
        "GET",
        _together_api("member-directory"),
        TOGETHER,
        secret=_secret("Member A Wines"),
    ),
    Case(
        "GET /api/v1/members/{slug}/sharing",
        "GET",
        _const("/api/v1/members/member-a/sharing"),
        TOGETHER_MEMBERS,
    ),
    Case(
        "PUT /api/v1/members/{slug}/sharing",
        "PUT",
        _const("/api/v1/members/member-a/sharing"),
        MEMBER_OWNER,
        json=True,
    ),
)

CASES = (*CASES, *TOGETHER_CASES)


# --- working together: group buys, levies, votes, shared customers (issue 15) ---


def _governance_world(w: World) -> dict[str, int]:
    """Cluster X's open group buy, a closed one with member A's charged share,
    a levy with member A's unpaid bill and an open vote with minutes (made on
    first use); their titles are the secrets."""
    import datetime as dt

    from django.utils import timezone

    from purei.cooperation.models import (
        Commitment,
        GroupBuy,
        GroupBuyTier,
        Levy,
        LevyBill,
        Motion,
        MotionOption,
    )

    later = timezone.now() + dt.timedelta(days=5)
    open_gb, created = GroupBuy.objects.get_or_create(
        cluster=w.cluster_x,
        title="SECRET-GROUP-BUY",
        defaults={
            "kind": "packaging",
            "supplier": "Kraft",
            "target_quantity": 10,
            "deadline": later,
            "arrangement": "collection",
        },
    )
    if created:
        GroupBuyTier.objects.create(
            group_buy=open_gb, min_quantity=1, unit_price_cents=40
        )
    closed_gb, created = GroupBuy.objects.get_or_create(
        cluster=w.cluster_x,
        title="SECRET-CLOSED-GROUP-BUY",
        defaults={
            "kind": "freight",
            "supplier": "Mainfreight",
            "target_quantity": 1,
            "deadline": later,
            "arrangement": "delivery",
            "status": "allocated",
            "unit_price_cents": 100,
            "committed_quantity": 1,
        },
    )
    share, _created = Commitment.objects.get_or_create(
        group_buy=closed_gb,
        member=w.member_a,
        defaults={
            "quantity": 1,
            "settle_by": "charged",
            "goods_cents": 100,
            "shared_cost_cents": 0,
            "total_cents": 100,
        },
    )
    levy, _created = Levy.objects.get_or_create(
        cluster=w.cluster_x,
        name="SECRET-LEVY",
        defaults={"period": "annual", "basis": "flat", "amount_cents": 5000},
    )
    bill, _created = LevyBill.objects.get_or_create(
        levy=levy,
        member=w.member_a,
        period_start=dt.date(2027, 1, 1),
        defaults={"amount_cents": 5000, "due_on": dt.date(2027, 2, 1)},
    )
    motion, created = Motion.objects.get_or_create(
        cluster=w.cluster_x,
        title="SECRET-MOTION",
        defaults={"kind": "yes_no", "closes_at": later},
    )
    if created:
        MotionOption.objects.create(motion=motion, label="Yes", position=0)
        MotionOption.objects.create(motion=motion, label="No", position=1)
        motion.minutes.save("minutes.pdf", ContentFile(b"%PDF-1.4 SECRET-MINUTES"))
    yes = motion.options.order_by("position")[0]
    return {
        "group_buy": open_gb.pk,
        "share": share.pk,
        "levy": levy.pk,
        "bill": bill.pk,
        "motion": motion.pk,
        "yes": yes.pk,
    }


def _governed(suffix: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        path = suffix
        for key, value in _governance_world(w).items():
            path = path.replace(f"<{key}>", str(value))
        return f"/manage/together/{w.cluster_x.slug}/{path}"

    return url


def _governed_api(suffix: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        path = suffix
        for key, value in _governance_world(w).items():
            path = path.replace(f"<{key}>", str(value))
        return _api(f"/clusters/{w.cluster_x.slug}/{path}")

    return url


def _in_days(days: int) -> str:
    import datetime as dt

    from django.utils import timezone

    return (timezone.now() + dt.timedelta(days=days)).isoformat()


GOVERNANCE_CASES: tuple[Case, ...] = (
    Case(
        "cooperation:group-buys",
        "GET",
        _governed("group-buys/"),
        TOGETHER,
        secret=_secret("SECRET-GROUP-BUY"),
    ),
    Case("cooperation:group-buy-create", "GET", _governed("group-buys/new/"), TOGETHER),
    Case(
        "cooperation:group-buy-create",
        "POST",
        _governed("group-buys/new/"),
        TOGETHER,
        data=lambda w: {},
    ),
    Case(
        "cooperation:group-buy",
        "GET",
        _governed("group-buys/<group_buy>/"),
        TOGETHER,
        secret=_secret("SECRET-GROUP-BUY"),
    ),
    Case(
        "cooperation:group-buy",
        "POST",
        _governed("group-buys/<group_buy>/"),
        TOGETHER_ADMIN,
        data=lambda w: {"action": "close"},
    ),
    Case("cooperation:customers", "GET", _governed("customers/"), TOGETHER_MEMBERS),
    Case(
        "cooperation:levies",
        "GET",
        _governed("levies/"),
        TOGETHER,
        secret=_secret("SECRET-LEVY"),
    ),
    Case("cooperation:levy-create", "GET", _governed("levies/new/"), TOGETHER_ADMIN),
    Case(
        "cooperation:levy-create",
        "POST",
        _governed("levies/new/"),
        TOGETHER_ADMIN,
        data=lambda w: {},
    ),
    Case(
        "cooperation:levy",
        "GET",
        _governed("levies/<levy>/"),
        TOGETHER,
        secret=_secret("SECRET-LEVY"),
    ),
    Case(
        "cooperation:levy",
        "POST",
        _governed("levies/<levy>/"),
        TOGETHER_ADMIN,
        data=lambda w: {"action": "bill"},
    ),
    Case(
        "cooperation:votes",
        "GET",
        _governed("votes/"),
        TOGETHER,
        secret=_secret("SECRET-MOTION"),
    ),
    Case("cooperation:vote-create", "GET", _governed("votes/new/"), TOGETHER_ADMIN),
    Case(
        "cooperation:vote-create",
        "POST",
        _governed("votes/new/"),
        TOGETHER_ADMIN,
        data=lambda w: {},
    ),
    Case(
        "cooperation:vote",
        "GET",
        _governed("votes/<motion>/"),
        TOGETHER,
        secret=_secret("SECRET-MOTION"),
    ),
    Case(
        "cooperation:vote",
        "POST",
        _governed("votes/<motion>/"),
        TOGETHER_ADMIN,
        data=lambda w: {"action": "close"},
    ),
    Case(
        "cooperation:vote-minutes",
        "GET",
        _governed("votes/<motion>/minutes/"),
        TOGETHER,
        secret=_secret("SECRET-MINUTES"),
    ),
    Case(
        "GET /api/v1/clusters/{slug}/group-buys",
        "GET",
        _governed_api("group-buys"),
        TOGETHER,
        secret=_secret("SECRET-GROUP-BUY"),
    ),
    Case(
        "POST /api/v1/clusters/{slug}/group-buys",
        "POST",
        _governed_api("group-buys"),
        TOGETHER,
        json=True,
        data=lambda w: {
            "kind": "packaging",
            "title": "Bags",
            "supplier": "Kraft",
            "target_quantity": 10,
            "deadline": _in_days(3),
            "arrangement": "collection",
            "tiers": [{"min_quantity": 1, "unit_price_cents": 40}],
        },
    ),
    Case(
        "GET /api/v1/clusters/{slug}/group-buys/{group_buy_id}",
        "GET",
        _governed_api("group-buys/<group_buy>"),
        TOGETHER,
        secret=_secret("SECRET-GROUP-BUY"),
    ),
    Case(
        "POST /api/v1/clusters/{slug}/group-buys/{group_buy_id}/commitment",
        "POST",
        _governed_api("group-buys/<group_buy>/commitment"),
        TOGETHER_MEMBERS,
        json=True,
        data=lambda w: {"quantity": 1},
    ),
    Case(
        "POST /api/v1/clusters/{slug}/group-buys/{group_buy_id}/close",
        "POST",
        _governed_api("group-buys/<group_buy>/close"),
        TOGETHER_ADMIN,
        json=True,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/group-buy-shares/{commitment_id}/paid",
        "POST",
        _governed_api("group-buy-shares/<share>/paid"),
        TOGETHER_ADMIN,
        json=True,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/group-buy-shares/{commitment_id}/offset",
        "POST",
        _governed_api("group-buy-shares/<share>/offset"),
        MEMBER_OWNER,
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/levies",
        "GET",
        _governed_api("levies"),
        TOGETHER,
        secret=_secret("SECRET-LEVY"),
    ),
    Case(
        "POST /api/v1/clusters/{slug}/levies",
        "POST",
        _governed_api("levies"),
        TOGETHER_ADMIN,
        json=True,
        data=lambda w: {
            "name": "Levy",
            "period": "annual",
            "basis": "flat",
            "amount_cents": 100,
        },
    ),
    Case(
        "POST /api/v1/clusters/{slug}/levies/{levy_id}/bill",
        "POST",
        _governed_api("levies/<levy>/bill"),
        TOGETHER_ADMIN,
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/levy-bills",
        "GET",
        _governed_api("levy-bills"),
        TOGETHER,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/levy-bills/{bill_id}/paid",
        "POST",
        _governed_api("levy-bills/<bill>/paid"),
        TOGETHER_ADMIN,
        json=True,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/levy-bills/{bill_id}/offset",
        "POST",
        _governed_api("levy-bills/<bill>/offset"),
        MEMBER_OWNER,
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/votes",
        "GET",
        _governed_api("votes"),
        TOGETHER,
        secret=_secret("SECRET-MOTION"),
    ),
    Case(
        "POST /api/v1/clusters/{slug}/votes",
        "POST",
        _governed_api("votes"),
        TOGETHER_ADMIN,
        json=True,
        data=lambda w: {"title": "T", "kind": "yes_no", "closes_at": _in_days(3)},
    ),
    Case(
        "GET /api/v1/clusters/{slug}/votes/{motion_id}",
        "GET",
        _governed_api("votes/<motion>"),
        TOGETHER,
        secret=_secret("SECRET-MOTION"),
    ),
    Case(
        "POST /api/v1/clusters/{slug}/votes/{motion_id}/ballot",
        "POST",
        _governed_api("votes/<motion>/ballot"),
        MEMBER_OWNER,
        json=True,
        data=lambda w: {"option": _governance_world(w)["yes"]},
    ),
    Case(
        "POST /api/v1/clusters/{slug}/votes/{motion_id}/close",
        "POST",
        _governed_api("votes/<motion>/close"),
        TOGETHER_ADMIN,
        json=True,
    ),
    Case(
        "POST /api/v1/clusters/{slug}/votes/{motion_id}/minutes",
        "POST",
        _governed_api("votes/<motion>/minutes"),
        TOGETHER_ADMIN,
        data=lambda w: {"minutes": _upload_pdf()},
    ),
    Case(
        "GET /api/v1/clusters/{slug}/shared-customers",
        "GET",
        _governed_api("shared-customers"),
        TOGETHER_MEMBERS,
    ),
)

CASES = (*CASES, *GOVERNANCE_CASES)

# --- marketing: reviews (issue 14) -----------------------------------------------


def _review_x(w: World) -> int:
    """The customer received product A in cluster X and wrote a review of it,
    waiting for a curator (its text is a secret); made on first use."""
    from django.utils import timezone

    from purei.marketing.models import Review
    from purei.orders.models import Fulfilment, OrderLine

    found = Review.objects.filter(product=w.product_a).first()
    if found is not None:
        return found.pk
    line = OrderLine.objects.get(order__number="ISOXORDER")
    OrderLine.objects.filter(pk=line.pk).update(product=w.product_a)
    Fulfilment.objects.filter(pk=line.fulfilment_id).update(
        status=Fulfilment.Status.COLLECTED, completed_at=timezone.now()
    )
    return Review.objects.create(
        cluster=w.cluster_x,
        product=w.product_a,
        member=w.member_a,
        author=w.users["customer"],  # type: ignore[misc]  # the cast's customer
        order_line=line,
        stars=4,
        body="SECRET-REVIEW",
    ).pk


def _reviewed(path: str) -> Callable[[World], str]:
    """``path`` with ``<product>`` and ``<review>`` filled in (the review made)."""

    def url(w: World) -> str:
        review = _review_x(w)
        return path.replace("<product>", str(w.product_a.pk)).replace(
            "<review>", str(review)
        )

    return url


BUYER = frozenset({"customer"})

CASES = (
    *CASES,
    # The buyer's own review form: only who received the product (404 else).
    Case(
        "marketing:review-write",
        "GET",
        _reviewed("/c/cluster-x/reviews/<product>/write/"),
        BUYER,
        secret=lambda w: "SECRET-REVIEW",
    ),
    Case(
        "marketing:review-write",
        "POST",
        _reviewed("/c/cluster-x/reviews/<product>/write/"),
        BUYER,
        data=lambda w: {},
    ),
    # The maker's team reads and replies; platform staff read.
    Case(
        "marketing:member-reviews",
        "GET",
        _reviewed("/manage/members/member-a/reviews/"),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-REVIEW",
    ),
    Case(
        "marketing:member-review-reply",
        "POST",
        _reviewed("/manage/members/member-a/reviews/<review>/reply/"),
        PRODUCT_TEAM,
        data=lambda w: {"reply": "Thank you"},
    ),
    # The cluster's curators (and admins) moderate; platform staff look.
    Case(
        "marketing:manage-reviews",
        "GET",
        _reviewed("/manage/clusters/cluster-x/reviews/"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-REVIEW",
    ),
    Case(
        "marketing:manage-review",
        "POST",
        _reviewed("/manage/clusters/cluster-x/reviews/<review>/"),
        CLUSTER_X_ADMIN,
        data=lambda w: {"action": "approve"},
    ),
    Case(
        "marketing:manage-review-settings",
        "POST",
        _const("/manage/clusters/cluster-x/reviews/settings/"),
        CLUSTER_X_ADMIN,
        data=lambda w: {"needs_approval": "False"},
    ),
    Case(
        "POST /api/v1/clusters/{slug}/product-reviews/{product_id}",
        "POST",
        _reviewed("/api/v1/clusters/cluster-x/product-reviews/<product>"),
        BUYER,
        data=lambda w: {"stars": 5, "body": "Good"},
        json=True,
    ),
    Case(
        "GET /api/v1/members/{slug}/reviews",
        "GET",
        _reviewed("/api/v1/members/member-a/reviews"),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-REVIEW",
    ),
    Case(
        "POST /api/v1/members/{slug}/reviews/{review_id}/reply",
        "POST",
        _reviewed("/api/v1/members/member-a/reviews/<review>/reply"),
        PRODUCT_TEAM,
        data=lambda w: {"reply": "Thank you"},
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/reviews",
        "GET",
        _reviewed("/api/v1/clusters/cluster-x/reviews"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-REVIEW",
    ),
    Case(
        "POST /api/v1/clusters/{slug}/reviews/{review_id}/moderate",
        "POST",
        _reviewed("/api/v1/clusters/cluster-x/reviews/<review>/moderate"),
        CLUSTER_X_ADMIN,
        data=lambda w: {"action": "approve"},
        json=True,
    ),
    Case(
        "GET /api/v1/clusters/{slug}/review-settings",
        "GET",
        _const("/api/v1/clusters/cluster-x/review-settings"),
        MANAGE_CLUSTER,
    ),
    Case(
        "PUT /api/v1/clusters/{slug}/review-settings",
        "PUT",
        _const("/api/v1/clusters/cluster-x/review-settings"),
        CLUSTER_X_ADMIN,
        data=lambda w: {"needs_approval": False},
        json=True,
    ),
)

MARKETING_NOT_TENANT: dict[str, str] = {
    "marketing:stories": "a live cluster's published stories are public",
    "marketing:story": "a published story is public; drafts are 404 (tested)",
    "marketing-feeds:stories-feed": "the Atom feed of published stories",
    "marketing:newsletter-subscribe": "a public form; the visitor's own address",
    "marketing:newsletter-sent": "a fixed page, whoever asked",
    "marketing:newsletter-confirm": (
        "by a signed link for one address only (tested in purei/marketing)"
    ),
    "marketing:newsletter-unsubscribe": (
        "by a signed link for one address only; one-click POST without CSRF "
        "(tested in purei/marketing)"
    ),
    "marketing:notify-request": "the visitor's own address, for a public product",
    "marketing:notify-confirm": "by a signed link for one request only (tested)",
    "marketing-feeds:newsletter-webhook": (
        "a mail provider's webhook: no session; authenticated by its signature, "
        "400 otherwise, 404 while off (tested in purei/marketing)"
    ),
    "GET /api/v1/clusters/{slug}/stories": "a live cluster's published stories",
    "GET /api/v1/clusters/{slug}/stories/{story_slug}": "a published story only",
    "GET /api/v1/clusters/{slug}/newsletter": "the consent wording, public",
    "GET /api/v1/clusters/{slug}/product-reviews/{product_id}": (
        "a public product's approved reviews only (product_get_public_by_id)"
    ),
    "GET /api/v1/clusters/{slug}/product-reviews/{product_id}/rating": (
        "a public product's approved reviews' count and average"
    ),
    "POST /api/v1/clusters/{slug}/newsletter/subscribers": (
        "asks for the visitor's own address; answers the same whatever it holds"
    ),
}

# Endpoints that hold no tenant data (or only the visitor's own), with the reason.
NOT_TENANT: dict[str, str] = {
    "stripe-webhook": (
        "Stripe's webhook: no session; authenticated by its signature, refused "
        "with 400 otherwise (tested in purei/payments)"
    ),
    "stripe-cluster-webhook": (
        "a cluster's own Stripe webhook: no session; authenticated by that "
        "cluster's signing secret and touching only that cluster's payments "
        "(purei/settlement/tests/test_cluster_webhooks.py)"
    ),
    "web:home": "platform home page",
    "clusters:finder": "the type finder: no stored data",
    "clusters:apply": "a public form to apply",
    "clusters:apply-thanks": "shown only to the session that applied (tested)",
    "clusters:directory": "live clusters are public",
    "catalogue:cluster-home": "a live cluster's public home",
    "clusters:brand-css": "a live cluster's public colours",
    "members:join": "GET: a public page inviting businesses to join (POST in CASES)",
    "trade:home": (
        "a live cluster's public trade page; shows only the visitor's own account "
        "(tested in purei/trade)"
    ),
    "trade:apply": "creates the visitor's own trade account (tested in purei/trade)",
    "members:create": "creates the visitor's own business (tested in members)",
    "media": "public images only; evidence is refused (tested in members)",
    "set_language": "language cookie",
    "operations:healthz": "the process answers: no data (purei/operations)",
    "operations:readyz": (
        "parts and their status, no tenant data, no hosts (purei/operations)"
    ),
    "operations:metrics": (
        "counts for Prometheus, no tenant's data; this machine or METRICS_TOKEN "
        "only, else 404 (purei/operations/tests/test_metrics.py)"
    ),
    "api-1.0.0:openapi-json": "API description",
    "api-1.0.0:openapi-view": "API docs",
    "api-1.0.0:api-root": "API root",
    "GET /api/v1/finder": "the finder graph",
    "POST /api/v1/finder/classify": "the finder",
    "GET /api/v1/clusters": "live clusters are public",
    "GET /api/v1/clusters/{slug}": "a live cluster is public",
    "catalogue:shop": "a live cluster's public products (search_products; tested)",
    "catalogue:public-product": "a public product only, else 404 (tested)",
    "catalogue:search": "public products of live clusters (search_products)",
    "catalogue:compare": "the visitor's own session; public listings only",
    "catalogue:compare-add": "to the visitor's own session; a public listing only",
    "catalogue:compare-remove": "from the visitor's own session",
    "GET /api/v1/clusters/{slug}/products": "a live cluster's public products",
    "GET /api/v1/clusters/{slug}/products/{member_slug}/{product_slug}": (
        "a public product only, else 404 (product_get_public; tested)"
    ),
    "GET /api/v1/search": "public products of live clusters",
    # Being found (issue 14): public pages and what machines read of them.
    "marketing-feeds:robots": "robots.txt: rules, no data",
    "marketing-feeds:sitemap-index": "live clusters' sitemaps (tested in marketing)",
    "marketing-feeds:sitemap": (
        "a live cluster's public pages only (public_listings; tested in marketing)"
    ),
    "marketing-feeds:google": "a live cluster's public products only (public_now)",
    "marketing-feeds:meta": "a live cluster's public products only (public_now)",
    "marketing:embed": (
        "an approved member's public products in a live cluster, else 404 (tested)"
    ),
    "marketing-feeds:embed-json": (
        "an approved member's public products in a live cluster, else 404 (tested)"
    ),
    "GET /api/v1/categories": "the product categories are public",
    "GET /api/v1/categories/{slug}": "the product categories are public",
    "POST /api/v1/applications": "a public form to apply",
    **{
        f"accounts:{name}": "the visitor's own account only (tested in accounts)"
        for name in (
            "account",
            "signup",
            "login",
            "logout",
            "email-change",
            "email-change-confirm",
            "password-change",
            "password-reset",
            "password-reset-done",
            "password-reset-confirm",
            "password-reset-complete",
            "invitation-accept",
        )
    },
}
NOT_TENANT.update(MARKETING_NOT_TENANT)


def html_url_names() -> Iterator[str]:
    """The name of every Django URL pattern outside the API and the admin."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    for name in walk(get_resolver().url_patterns, ""):
        if not name.startswith(("admin:", "api-1.0.0:")) or name in NOT_TENANT:
            yield name


def api_operation_keys() -> Iterator[str]:
    """``METHOD /api/v1/path`` for every operation in the OpenAPI document."""
    from purei.api.api import api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method in operations:
            yield f"{method.upper()} {path}"


# --- Sales windows (ADR 0016; issue 14) ---


def _window_x(w: World) -> int:
    """Cluster X's Christmas box (made on first use) with member A's product."""
    import datetime as dt

    from purei.orders.models import SalesWindow, SalesWindowItem

    opens = dt.datetime(2030, 11, 1, 20, 0, tzinfo=dt.UTC)
    window, _created = SalesWindow.objects.get_or_create(
        cluster=w.cluster_x,
        name_en="SECRET-WINDOW",
        defaults={
            "kind": "box",
            "time_zone": "Pacific/Auckland",
            "opens_at": opens,
            "closes_at": opens + dt.timedelta(days=30),
            "is_active": False,  # not public: only its admins see it
        },
    )
    SalesWindowItem.objects.get_or_create(
        window=window, product=w.product_a, defaults={"member": w.member_a}
    )
    return window.pk


_WINDOW_JSON: dict[str, Any] = {
    "kind": "box",
    "name_en": "Changed",
    "open_date": "2030-11-02",
    "open_time": "09:00",
    "close_date": "2030-12-01",
    "close_time": "18:00",
}

CASES = (
    *CASES,
    Case(
        "GET /api/v1/clusters/{slug}/manage/sales-windows",
        "GET",
        lambda w: _after_window(
            w, _api(f"/clusters/{w.cluster_x.slug}/manage/sales-windows")
        ),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-WINDOW",
    ),
    Case(
        "POST /api/v1/clusters/{slug}/manage/sales-windows",
        "POST",
        lambda w: _api(f"/clusters/{w.cluster_x.slug}/manage/sales-windows"),
        CLUSTER_X_ADMIN,
        data=lambda w: _WINDOW_JSON,
        json=True,
    ),
    Case(
        "PUT /api/v1/clusters/{slug}/manage/sales-windows/{window_id}",
        "PUT",
        lambda w: _api(
            f"/clusters/{w.cluster_x.slug}/manage/sales-windows/{_window_x(w)}"
        ),
        CLUSTER_X_ADMIN,
        data=lambda w: _WINDOW_JSON,
        json=True,
    ),
    Case(
        "PUT /api/v1/clusters/{slug}/manage/sales-windows/{window_id}/setup",
        "PUT",
        lambda w: _api(
            f"/clusters/{w.cluster_x.slug}/manage/sales-windows/{_window_x(w)}/setup"
        ),
        CLUSTER_X_ADMIN,
        data=lambda w: {"items": [{"product_id": w.product_a.pk}]},
        json=True,
    ),
    Case(
        "GET /api/v1/members/{slug}/sales-windows/{window_id}/pick-list",
        "GET",
        lambda w: _api(f"/members/member-a/sales-windows/{_window_x(w)}/pick-list"),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-WINDOW",
    ),
)

# The sales windows' manage screens: a cluster admin's (platform staff read)
# and a member's pick list (its team; platform staff read).


def _after_window(w: World, url: str) -> str:
    _window_x(w)  # made first: the page lists it
    return url


def _window_page(suffix: str = "") -> Callable[[World], str]:
    return lambda w: (
        f"/manage/clusters/{w.cluster_x.slug}/windows/{_window_x(w)}/{suffix}"
    )


def _member_window(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/manage/members/member-a/windows/{_window_x(w)}/{suffix}"


def _window_picked(w: World) -> str:
    """SECRET-WINDOW with an order of member A's product, picked up at a
    pickup point: the customer's name and pickup code are the secrets."""
    from purei.orders.models import (
        Fulfilment,
        OrderLine,
        PickupEvent,
        SalesWindowItem,
    )

    window_id = _window_x(w)
    if not OrderLine.objects.filter(title="SECRET-WINDOW-LINE").exists():
        event = PickupEvent.objects.get(pk=int(_pickup_event_x(w).split("/")[-2]))
        order = Order.objects.create(
            number="ISOWINDOW",
            cluster=w.cluster_x,
            email="window@example.nz",
            name="SECRET-WINDOW-BUYER",
            payment_method="test",
            idempotency_key="isolation-matrix-window",
            goods_cents=1000,
            total_cents=1000,
        )
        OrderLine.objects.create(
            order=order,
            fulfilment=Fulfilment.objects.create(
                order=order,
                member=w.member_a,
                supplier_name="Member A Wines",
                gst_registered=False,
                method=Fulfilment.Method.PICKUP_EVENT,
                pickup_event=event,
                pickup_code="WINPC1",
                goods_cents=1000,
                total_cents=1000,
            ),
            window_item=SalesWindowItem.objects.get(
                window_id=window_id, product=w.product_a
            ),
            title="SECRET-WINDOW-LINE",
            sku="SECRET-SKU-A",
            unit_price_cents=1000,
            quantity=1,
            total_cents=1000,
            gst_cents=0,
        )
    return w.cluster_x.slug


_WINDOW_FORM: dict[str, Any] = {**_WINDOW_JSON, "time_zone": "Pacific/Auckland"}

CASES = (
    *CASES,
    Case(
        "orders:cluster-windows",
        "GET",
        lambda w: _after_window(w, f"/manage/clusters/{_x(w)}/windows/"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-WINDOW",
    ),
    Case(
        "orders:cluster-window-create",
        "GET",
        _in_cluster_x("windows/new/"),
        CLUSTER_X_ADMIN,
    ),
    Case(
        "orders:cluster-window-create",
        "POST",
        _in_cluster_x("windows/new/"),
        CLUSTER_X_ADMIN,
        data=lambda w: _WINDOW_FORM,
    ),
    Case(
        "orders:cluster-window",
        "GET",
        lambda w: _window_picked(w) and _window_page()(w),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-WINDOW-BUYER",
    ),
    Case(
        "orders:cluster-window-update",
        "GET",
        _window_page("update/"),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-WINDOW",
    ),
    Case(
        "orders:cluster-window-update",
        "POST",
        _window_page("update/"),
        CLUSTER_X_ADMIN,
        data=lambda w: _WINDOW_FORM,
    ),
    Case(
        "orders:cluster-window-item-create",
        "GET",
        _window_page("products/new/"),
        CLUSTER_X_ADMIN,
    ),
    Case(
        "orders:cluster-window-item-create",
        "POST",
        _window_page("products/new/"),
        CLUSTER_X_ADMIN,
        data=lambda w: {"product": w.product_a.pk, "cap": "5"},
    ),
    Case(
        "orders:cluster-window-item-update",
        "GET",
        lambda w: _window_page(f"products/{w.product_a.pk}/update/")(w),
        CLUSTER_X_ADMIN,
        secret=lambda w: "Secret Product A",
    ),
    Case(
        "orders:cluster-window-item-update",
        "POST",
        lambda w: _window_page(f"products/{w.product_a.pk}/update/")(w),
        CLUSTER_X_ADMIN,
        data=lambda w: {"cap": "5"},
    ),
    Case(
        "orders:cluster-window-item-remove",
        "POST",
        lambda w: _window_page(f"products/{w.product_a.pk}/remove/")(w),
        CLUSTER_X_ADMIN,
    ),
    Case(
        "orders:cluster-window-pickups",
        "GET",
        lambda w: _pickup_events_x(w) and _window_page("pickup-points/")(w),
        CLUSTER_X_ADMIN,
        secret=lambda w: "SECRET-MARKET-DAY",
    ),
    Case(
        "orders:cluster-window-pickups",
        "POST",
        _window_page("pickup-points/"),
        CLUSTER_X_ADMIN,
        data=lambda w: {"events": []},
    ),
    Case(
        "orders:cluster-window-pick-list-csv",
        "GET",
        lambda w: _window_picked(w) and _window_page("pick-list.csv")(w),
        MANAGE_CLUSTER,
        secret=lambda w: "SECRET-WINDOW-BUYER",
    ),
    Case(
        "orders:member-windows",
        "GET",
        lambda w: _after_window(w, "/manage/members/member-a/windows/"),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-WINDOW",
    ),
    Case(
        "orders:member-window-pick-list",
        "GET",
        lambda w: _window_picked(w) and _member_window("pick-list/")(w),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-WINDOW-BUYER",
    ),
    Case(
        "orders:member-window-pick-list-csv",
        "GET",
        lambda w: _window_picked(w) and _member_window("pick-list.csv")(w),
        MEMBER_TEAM,
        secret=lambda w: "SECRET-WINDOW-BUYER",
    ),
)

NOT_TENANT.update(
    {
        "GET /api/v1/clusters/{slug}/sales-windows": (
            "a live cluster's active windows, public"
        ),
        "GET /api/v1/clusters/{slug}/sales-windows/{window_id}": (
            "an active window only; inactive ones are 404 (tested)"
        ),
        "marketing:calendar": "a live cluster's upcoming windows and events, public",
        "marketing:window": "an active window, public; inactive ones are 404",
        "marketing:window-notify": "the visitor's own address, for a public window",
        "marketing-feeds:events-ics": "the public calendar as iCalendar",
    }
)


# --- API keys (issue 17, ADR 0019) ---


def _key_of(kind: str) -> Callable[[World], int]:
    return lambda w: w.api_keys[f"key:{kind}:all"].key_id


def _key_secret(kind: str) -> Callable[[World], str]:
    return lambda w: _key_name(kind, "all")


def _key_url(prefix: str, kind: str, suffix: str) -> Callable[[World], str]:
    return lambda w: f"{prefix}/{_key_of(kind)(w)}{suffix}"


_KEY_JSON: dict[str, Any] = {"name": "Made in the matrix", "scopes": ["read_orders"]}
_KEY_PAGES = (
    ("member", "/manage/members/member-a", "apikeys:member", MEMBER_OWNER),
    ("cluster", "/manage/clusters/cluster-x", "apikeys:cluster", CLUSTER_X_ADMIN),
    (
        "trade_account",
        "/c/cluster-x/trade",
        "apikeys:trade",
        frozenset({"trade_buyer"}),
    ),
)
_KEY_APIS = (
    ("member", "/members/member-a/api-keys", "/members/{slug}/api-keys", MEMBER_OWNER),
    (
        "cluster",
        "/clusters/cluster-x/api-keys",
        "/clusters/{slug}/api-keys",
        CLUSTER_X_ADMIN,
    ),
    (
        "trade_account",
        "/clusters/cluster-x/trade-account/api-keys",
        "/clusters/{slug}/trade-account/api-keys",
        frozenset({"trade_buyer"}),
    ),
)


def _key_cases() -> Iterator[Case]:
    for kind, base, name, allowed in _KEY_PAGES:
        yield Case(
            f"{name}-keys",
            "GET",
            _const(f"{base}/api-keys/"),
            allowed,
            secret=_key_secret(kind),
        )
        yield Case(
            f"{name}-key-revoke",
            "POST",
            _key_url(f"{base}/api-keys", kind, "/revoke/"),
            allowed,
        )
    for kind, path, template, allowed in _KEY_APIS:
        yield Case(
            f"GET /api/v1{template}",
            "GET",
            _const(_api(path)),
            allowed,
            secret=_key_secret(kind),
        )
        yield Case(
            f"POST /api/v1{template}",
            "POST",
            _const(_api(path)),
            allowed,
            data=lambda w: _KEY_JSON,
            json=True,
        )
        yield Case(
            f"POST /api/v1{template}/{{key_id}}/revoke",
            "POST",
            _key_url(_api(path), kind, "/revoke"),
            allowed,
            json=True,
        )


CASES = (*CASES, *_key_cases())


# --- privacy: people's own data (docs/privacy.md) ------------------------------------
# A shopper's own data and closing their own account: each logged-in person, of
# their own account only (no id in the address). Closing is refused (403) to the
# only owner of a business and to cluster admins; the matrix posts a wrong
# password, so nobody's account is closed by it.
CAN_CLOSE = LOGGED_IN - {"member_a_owner", "cluster_x_admin", "cluster_y_admin"}
CASES = (
    *CASES,
    Case("privacy:account-data", "GET", _const("/accounts/data/"), LOGGED_IN),
    Case(
        "privacy:account-data-download",
        "GET",
        _const("/accounts/data/download.json"),
        LOGGED_IN,
    ),
    Case("privacy:account-close", "GET", _const("/accounts/close/"), LOGGED_IN),
    Case(
        "privacy:account-close",
        "POST",
        _const("/accounts/close/"),
        CAN_CLOSE,
        data=lambda w: {"password": "not-the-password", "confirm": "on"},
    ),
    Case(
        "GET /api/v1/account/export", "GET", _const(_api("/account/export")), LOGGED_IN
    ),
    Case(
        "privacy:member-data",
        "GET",
        _const("/manage/members/member-a/data/"),
        MEMBER_OWNER,
    ),
    Case(
        "privacy:member-data-export",
        "GET",
        _const("/manage/members/member-a/data/export.zip"),
        MEMBER_OWNER,
    ),
    Case(
        "GET /api/v1/members/{slug}/export",
        "GET",
        _const(_api("/members/member-a/export")),
        MEMBER_OWNER,
    ),
)

# Private files and downloads (core/downloads.py): each goes out as an
# attachment, never sniffed, never kept by a shared cache
# (``test_private_downloads_go_out_private``, for an allowed actor).
PRIVATE_DOWNLOADS: tuple[str, ...] = (
    "members:credential-evidence",
    "catalogue:products-export",
    "trade:quote-pdf",
    "trade:rfq-attachment",
    "trade:statement-csv",
    *(
        f"GET /api/v1/consignments/{{consignment_id}}/{paper}.pdf"
        for paper in ("commercial-invoice", "packing-list", "declaration-of-origin")
    ),
    "ledger:member-statement-pdf",
    "ledger:member-statement-csv",
    "ledger:member-invoice-pdf",
    "ledger:cluster-bank-file",
    "ledger:cluster-statement-pdf",
    "ledger:cluster-statement-csv",
    "ledger:cluster-reports-csv",
    "ledger:cluster-invoice-pdf",
    "ledger:order-invoice-pdf",
    "insights:cluster-download",
    "insights:member-download",
    "marketing:manage-subscribers-csv",
    "cooperation:attachment",
    "cooperation:resource-file",
    "cooperation:vote-minutes",
    "privacy:account-data-download",
    "GET /api/v1/account/export",
    "privacy:member-data-export",
    "GET /api/v1/members/{slug}/export",
)


# --- Webhooks out (issue 17) ---


def _hook(kind: str) -> Callable[[World], int]:
    """Member A's or cluster X's endpoint (made on first use), with one delivery."""

    def make(w: World) -> int:
        from purei.webhooks.models import Delivery, Endpoint, Event

        owner = {"member": w.member_a, "cluster": w.cluster_x}[kind]
        endpoint, created = Endpoint.objects.get_or_create(
            kind=kind,
            **{kind: owner},
            defaults={
                "url": f"https://hooks.example.nz/SECRET-HOOK-{kind}",
                "events": ["order.paid"],
                "secret": f"whsec_matrix_{kind}",
                "created_by": _user(w, KEY_ISSUERS[kind]),
            },
        )
        if created:
            event = Event.objects.create(
                public_id=f"evt_matrix_{kind}",
                name="order.paid",
                payload={},
                created=endpoint.created_at,
            )
            Delivery.objects.create(
                endpoint=endpoint,
                event=event,
                state=Delivery.State.FAILED,
                response_excerpt=f"SECRET-HOOK-LOG-{kind}",
            )
        return int(endpoint.pk)

    return make


def _user(w: World, name: str) -> User:
    user = w.users[name]
    assert user is not None
    return user


def _hook_then(kind: str, url: str) -> Callable[[World], str]:
    """``url``, once the owner's endpoint exists (so its secret is on the page)."""
    return lambda w: (_hook(kind)(w), url)[1]


def _hook_url(prefix: str, kind: str, suffix: str) -> Callable[[World], str]:
    return lambda w: f"{prefix}/{_hook(kind)(w)}{suffix}"


def _hook_delivery_url(prefix: str, kind: str, suffix: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        from purei.webhooks.models import Delivery

        endpoint_id = _hook(kind)(w)
        delivery = Delivery.objects.filter(endpoint_id=endpoint_id).first()
        assert delivery is not None
        return f"{prefix}/{endpoint_id}/deliveries/{delivery.pk}{suffix}"

    return url


_HOOK_JSON: dict[str, Any] = {
    "url": "https://hooks.example.nz/made-in-the-matrix",
    "events": ["order.paid"],
}
_HOOK_PAGES = (
    ("member", "/manage/members/member-a/webhooks", "webhooks:member", MEMBER_OWNER),
    (
        "cluster",
        "/manage/clusters/cluster-x/webhooks",
        "webhooks:cluster",
        CLUSTER_X_ADMIN,
    ),
)
_HOOK_APIS = (
    ("member", "/members/member-a/webhooks", "/members/{slug}/webhooks", MEMBER_OWNER),
    (
        "cluster",
        "/clusters/cluster-x/webhooks",
        "/clusters/{slug}/webhooks",
        CLUSTER_X_ADMIN,
    ),
)


def _hook_secret(kind: str) -> Callable[[World], str]:
    return lambda w: (_hook(kind)(w), f"SECRET-HOOK-{kind}")[1]


def _hook_log_secret(kind: str) -> Callable[[World], str]:
    return lambda w: (_hook(kind)(w), f"SECRET-HOOK-LOG-{kind}")[1]


def _hook_cases() -> Iterator[Case]:
    for kind, base, name, allowed in _HOOK_PAGES:
        yield Case(
            f"{name}-webhooks",
            "GET",
            _hook_then(kind, f"{base}/"),
            allowed,
            secret=_hook_secret(kind),
        )
        yield Case(
            f"{name}-webhook",
            "GET",
            _hook_url(base, kind, "/"),
            allowed,
            secret=_hook_log_secret(kind),
        )
        for action in ("rotate", "disable", "enable"):
            yield Case(
                f"{name}-webhook-{action}",
                "POST",
                _hook_url(base, kind, f"/{action}/"),
                allowed,
            )
        yield Case(
            f"{name}-webhook-replay",
            "POST",
            _hook_delivery_url(base, kind, "/replay/"),
            allowed,
        )
    for kind, path, template, allowed in _HOOK_APIS:
        api = _api(path)
        yield Case(
            f"GET /api/v1{template}",
            "GET",
            _hook_then(kind, api),
            allowed,
            secret=_hook_secret(kind),
        )
        yield Case(
            f"POST /api/v1{template}",
            "POST",
            _const(api),
            allowed,
            data=lambda w: _HOOK_JSON,
            json=True,
        )
        yield Case(
            f"PATCH /api/v1{template}/{{endpoint_id}}",
            "PATCH",
            _hook_url(api, kind, ""),
            allowed,
            data=lambda w: {"description": "Changed in the matrix"},
            json=True,
        )
        for action in ("rotate-secret", "disable"):
            yield Case(
                f"POST /api/v1{template}/{{endpoint_id}}/{action}",
                "POST",
                _hook_url(api, kind, f"/{action}"),
                allowed,
                json=True,
            )
        yield Case(
            f"GET /api/v1{template}/{{endpoint_id}}/deliveries",
            "GET",
            _hook_url(api, kind, "/deliveries"),
            allowed,
            secret=_hook_log_secret(kind),
        )
        yield Case(
            f"POST /api/v1{template}/{{endpoint_id}}/deliveries/{{delivery_id}}/replay",
            "POST",
            _hook_delivery_url(api, kind, "/replay"),
            allowed,
            json=True,
        )


CASES = (*CASES, *_hook_cases())

"""Every email Pūrei sends, rendered with realistic data: a plain-text and an HTML
part, the cluster's name and brand colour in the HTML, the cluster as sender and
reply-to, and every link in either part opening a page of Pūrei.

``EMAILS`` names one builder per email (its ``<prefix>_subject.txt``); a new email
template without one fails ``test_every_email_template_is_covered``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parseaddr
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation

from purei.accounts.models import User
from purei.accounts.selectors import invitation_url
from purei.accounts.services import invitation_create
from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Product
from purei.catalogue.tests.factories import ListingFactory
from purei.clusters.models import Cluster, ClusterApplication
from purei.clusters.tests.factories import ClusterApplicationFactory, ClusterFactory
from purei.cooperation.models import Commitment
from purei.cooperation.tests.factories import group_buy_for
from purei.core.actor import Actor
from purei.core.links import absolute_url
from purei.core.mail import PUREI_BRAND_COLOUR, render_templated_email
from purei.core.money import format_nzd
from purei.marketing.models import Review
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.orders.models import (
    Consignment,
    ConsignmentPackage,
    FreightQuote,
    Order,
)
from purei.orders.tests.factories import (
    PickupEventFactory,
    SalesWindowFactory,
    order_with_parts,
    variant_of,
)
from purei.payments.models import Payment, Refund
from purei.trade.statement import statement_for
from purei.trade.tests.factories import TradeAccountFactory, trade_order_of

PURPLE = "#5b2a86"
SITE = settings.SITE_URL.rstrip("/") if hasattr(settings, "SITE_URL") else ""
URL = re.compile(r"https?://[^\s<>\"')]+")
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class World:
    cluster: Cluster
    member: Member
    owner: User
    admin: User
    order: Order
    pickup_order: Order
    staff: Actor
    made: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Built:
    to: str
    context: dict[str, Any]
    cluster: Cluster | None
    reader: User | None = None  # who may open the main link (None: anyone)
    # What the first link answers: 200 for the reader (logged in), else 200 or a
    # redirect to log in.
    main_link_status: tuple[int, ...] = ()


Builder = Callable[[World], Built]
EMAILS: dict[str, Builder] = {}


def email(prefix: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        EMAILS[prefix] = builder
        return builder

    return register


@pytest.fixture
def world(db: None) -> World:
    cluster = ClusterFactory.create(
        name_en="Wairarapa Makers",
        name_mi="Ngā Kaihanga o Wairarapa",
        colour_primary=PURPLE,
        contact_email="kiaora@wairarapa.example.nz",
        lead_org_address="1 The Square, Martinborough 5711",
    )
    member = MemberFactory.create(trading_name="Huia Pottery", slug="huia-pottery")
    MembershipFactory.create(member=member, cluster=cluster, status="approved")
    owner = UserFactory.create(email="owner@huia.example.nz", full_name="Mere Huia")
    from purei.accounts.models import ClusterRole, MemberRole

    MemberRole.objects.create(user=owner, member=member, role=MemberRole.Role.OWNER)
    admin = UserFactory.create(email="admin@wairarapa.example.nz", full_name="Rangi")
    ClusterRole.objects.create(user=admin, cluster=cluster, role="admin")
    variant = variant_of(member, sku="MUG-1", price_cents=4500)
    Product.objects.filter(pk=variant.product_id).update(status="live")
    ListingFactory.create(product=variant.product, cluster=cluster, status="approved")
    order = order_with_parts(cluster, [(member, [(variant, 2)])])
    event = PickupEventFactory.create(
        cluster=cluster,
        name_en="Martinborough Fair",
        venue="Martinborough Square",
        address="The Square, Martinborough 5711",
        collection_point="Stall 14, beside the war memorial",
    )
    pickup_order = order_with_parts(
        cluster,
        [(member, [(variant, 1)])],
        method="pickup_event",
        pickup_event=event,
    )
    staff = UserFactory.create(email="staff@purei.example.nz", is_staff=True)
    return World(
        cluster=cluster,
        member=member,
        owner=owner,
        admin=admin,
        order=order,
        pickup_order=pickup_order,
        staff=Actor(user=staff),
    )


# --- accounts -------------------------------------------------------------------


@email("accounts/email/welcome")
def _welcome(w: World) -> Built:
    return Built(
        w.owner.email,
        {"user": w.owner, "account_url": absolute_url(reverse("accounts:account"))},
        None,
        reader=w.owner,
    )


@email("accounts/email/email_change")
def _email_change(w: World) -> Built:
    from purei.accounts.selectors import email_change_url

    new = "mere@new.example.nz"
    return Built(
        new,
        {
            "user": w.owner,
            "new_email": new,
            "url": email_change_url(user=w.owner, new_email=new),
            "max_age_days": 3,
        },
        None,
        reader=w.owner,
    )


@email("accounts/email/email_changed")
def _email_changed(w: World) -> Built:
    return Built(
        "old@huia.example.nz",
        {
            "user": w.owner,
            "old_email": "old@huia.example.nz",
            "new_email": w.owner.email,
            "account_url": absolute_url(reverse("accounts:account")),
        },
        None,
        reader=w.owner,
    )


@email("accounts/email/password_reset")
def _password_reset(w: World) -> Built:
    path = reverse(
        "accounts:password-reset-confirm", kwargs={"uidb64": "MQ", "token": "set-pw"}
    )
    return Built(
        w.owner.email,
        {"user": w.owner, "url": absolute_url(path), "max_age_days": 1},
        None,
    )


@email("accounts/email/invitation")
def _invitation(w: World) -> Built:
    admin = Actor(user=w.admin)
    invitation = invitation_create(
        actor=admin, email="new@example.nz", role="curator", cluster=w.cluster
    )
    return Built(
        invitation.email,
        {
            "invitation": invitation,
            "cluster": w.cluster,
            "member": None,
            "target": w.cluster,
            "role": invitation.get_role_display(),
            "inviter": w.admin,
            "applied": False,
            "url": invitation_url(invitation),
            "max_age_days": 14,
        },
        w.cluster,
    )


# --- clusters -------------------------------------------------------------------


def _application(**fields: Any) -> ClusterApplication:
    return ClusterApplicationFactory.create(
        contact_name="Hine Kaihanga", proposed_name_en="Ōtaki Weavers", **fields
    )


@email("clusters/email/application_received")
def _application_received(w: World) -> Built:
    application = _application()
    return Built(application.contact_email, {"application": application}, None)


@email("clusters/email/application_declined")
def _application_declined(w: World) -> Built:
    application = _application(
        status="declined", decline_reason="Tell us more about your members."
    )
    return Built(application.contact_email, {"application": application}, None)


# --- members --------------------------------------------------------------------


def _membership(w: World) -> Membership:
    return Membership.objects.select_related("member", "cluster").get(
        member=w.member, cluster=w.cluster
    )


@email("members/email/membership_applied")
def _membership_applied(w: World) -> Built:
    membership = _membership(w)
    path = reverse("members:cluster-members", kwargs={"slug": w.cluster.slug})
    return Built(
        w.admin.email,
        {"membership": membership, "invited": False, "manage_path": path},
        w.cluster,
        reader=w.admin,
    )


@email("members/email/membership_decided")
def _membership_decided(w: World) -> Built:
    path = reverse("catalogue:cluster-home", kwargs={"slug": w.cluster.slug})
    return Built(
        w.owner.email,
        {"membership": _membership(w), "verb": "approved", "cluster_path": path},
        w.cluster,
    )


@email("members/email/membership_left")
def _membership_left(w: World) -> Built:
    path = reverse("members:cluster-members", kwargs={"slug": w.cluster.slug})
    return Built(
        w.admin.email,
        {"membership": _membership(w), "manage_path": path},
        w.cluster,
        reader=w.admin,
    )


# --- orders ---------------------------------------------------------------------


def _part(order: Order) -> Any:
    return order.fulfilments.select_related("pickup_event", "member").first()


@email("orders/email/order_placed")
def _order_placed(w: World) -> Built:
    return Built(
        w.order.email,
        {
            "order": w.order,
            "fulfilments": list(w.order.fulfilments.all()),
            "freight_waiting": False,
        },
        w.cluster,
    )


@email("orders/email/fulfilment_new")
def _fulfilment_new(w: World) -> Built:
    return Built(
        w.member.email,
        {"order": w.order, "fulfilment": _part(w.order)},
        w.cluster,
        reader=w.owner,
    )


@email("orders/email/fulfilment_shipped")
def _fulfilment_shipped(w: World) -> Built:
    part = _part(w.order)
    part.carrier, part.tracking_number = "NZ Post", "NZ123456789"
    return Built(w.order.email, {"order": w.order, "fulfilment": part}, w.cluster)


@email("orders/email/fulfilment_ready")
def _fulfilment_ready(w: World) -> Built:
    part = _part(w.pickup_order)
    event = part.pickup_event
    return Built(
        w.pickup_order.email,
        {
            "order": w.pickup_order,
            "fulfilment": part,
            "event": event,
            "address": f"{event.venue}, {event.address}",
            "stall": event.collection_point,
            "hours": "Saturday 2 February 2030, 9:00 am to 4:00 pm",
        },
        w.cluster,
    )


@email("orders/email/fulfilment_cancelled")
def _fulfilment_cancelled(w: World) -> Built:
    part = _part(w.order)
    line = part.lines.first()
    return Built(
        w.order.email,
        {
            "order": w.order,
            "fulfilment": part,
            "items": [{"line": line, "quantity": 1}],
            "whole": False,
            "reason": "One mug cracked in the kiln.",
            "refunded": format_nzd(4500),
            "paid": True,
        },
        w.cluster,
    )


def _quote(w: World) -> FreightQuote:
    part = _part(w.order)
    return FreightQuote(
        order=w.order,
        fulfilment=part,
        cluster=w.cluster,
        status=FreightQuote.Status.QUOTED,
        price_cents=2500,
        carrier="Mainfreight",
        expires_at=timezone.now() + dt.timedelta(days=2),
    )


@email("orders/email/freight_quote_requested")
def _freight_requested(w: World) -> Built:
    return Built(
        w.admin.email,
        {"order": w.order, "quotes": [_quote(w)]},
        w.cluster,
        reader=w.admin,
    )


@email("orders/email/freight_quote_answered")
def _freight_answered(w: World) -> Built:
    w.order.hold_until = timezone.now() + dt.timedelta(days=2)
    return Built(w.order.email, {"order": w.order, "quotes": [_quote(w)]}, w.cluster)


def _consignment(w: World, kind: str) -> Consignment:
    return Consignment.objects.create(
        order=w.order,
        kind=kind,
        consolidation_point="Wairarapa hub, 3 Kitchener St",
        status=Consignment.Status.LEFT,
        carrier="Mainfreight",
        waybill="MF-889900",
        left_on=timezone.localdate(),
    )


@email("orders/email/consignment_left")
def _consignment_left(w: World) -> Built:
    consignment = _consignment(w, Consignment.Kind.TRADE)
    package = ConsignmentPackage(
        consignment=consignment,
        kind=ConsignmentPackage.Kind.CARTON,
        contents="Mugs",
        length_mm=400,
        width_mm=300,
        height_mm=300,
        gross_weight_grams=8000,
    )
    return Built(
        w.order.email,
        {"order": w.order, "consignment": consignment, "packages": [package]},
        w.cluster,
        main_link_status=(200, 302, 401, 403),
    )


@email("orders/email/hub_parcel_shipped")
def _hub_parcel(w: World) -> Built:
    parcel = _consignment(w, Consignment.Kind.HUB)
    return Built(
        w.order.email,
        {
            "order": w.order,
            "parcel": parcel,
            "parts": [_part(w.order)],
            "check_id": False,
        },
        w.cluster,
    )


# --- settlement -----------------------------------------------------------------


@email("settlement/email/payment_received")
def _payment_received(w: World) -> Built:
    payment = Payment.objects.filter(order=w.order).first()
    return Built(
        w.order.email,
        {"order": w.order, "payment": payment, "amount": format_nzd(9500)},
        w.cluster,
    )


@email("settlement/email/refund_made")
def _refund_made(w: World) -> Built:
    payment = Payment.objects.filter(order=w.order).first()
    refund = Refund(payment=payment, amount_cents=4500, reason="A cracked mug.")
    return Built(
        w.order.email,
        {
            "order": w.order,
            "refund": refund,
            "amount": format_nzd(4500),
            "by_bank_transfer": False,
        },
        w.cluster,
    )


# --- cooperation ----------------------------------------------------------------


@email("cooperation/email/digest")
def _digest(w: World) -> Built:
    board = absolute_url(reverse("cooperation:board", kwargs={"slug": w.cluster.slug}))
    return Built(
        w.owner.email,
        {
            "cluster": w.cluster,
            "items": [
                {"title": "Stall plan", "new_replies": 2, "is_new": True, "url": board}
            ],
            "board_url": board,
        },
        w.cluster,
        reader=w.owner,
    )


@email("cooperation/email/group_buy_closed")
def _group_buy_closed(w: World) -> Built:
    group_buy = group_buy_for(w.cluster, status="allocated")
    commitment = Commitment(
        group_buy=group_buy,
        member=w.member,
        quantity=100,
        goods_cents=4200,
        shared_cost_cents=300,
    )
    url = absolute_url(
        reverse(
            "cooperation:group-buy",
            kwargs={"slug": w.cluster.slug, "pk": group_buy.pk},
        )
    )
    return Built(
        w.owner.email,
        {"group_buy": group_buy, "commitment": commitment, "met": True, "url": url},
        w.cluster,
        reader=w.owner,
    )


# --- marketing ------------------------------------------------------------------


def _product(w: World) -> Product:
    return Product.objects.filter(member=w.member).first()  # type: ignore[return-value]


def _product_url(w: World) -> str:
    product = _product(w)
    return absolute_url(
        reverse(
            "catalogue:public-product",
            kwargs={
                "slug": w.cluster.slug,
                "member_slug": w.member.slug,
                "product_slug": product.slug,
            },
        )
    )


@email("marketing/newsletter/email/confirm")
def _newsletter_confirm(w: World) -> Built:
    from purei.marketing.models import SubscriptionEvent
    from purei.marketing.tests.factories import SubscriberFactory
    from purei.marketing.tokens import confirm_token_make

    subscriber = SubscriberFactory.create(cluster=w.cluster, status="pending")
    event = SubscriptionEvent.objects.filter(subscriber=subscriber).first()
    assert event is not None
    token = confirm_token_make(subscriber_id=subscriber.pk, event_id=event.pk)
    path = reverse(
        "marketing:newsletter-confirm", kwargs={"slug": w.cluster.slug, "token": token}
    )
    return Built(
        subscriber.email, {"cluster": w.cluster, "url": absolute_url(path)}, w.cluster
    )


def _notify_confirm_url(w: World, kind: str, target_id: int) -> str:
    from purei.marketing.models import NotifyRequest
    from purei.marketing.tokens import notify_token_make

    request = NotifyRequest.objects.create(
        cluster=w.cluster,
        kind=kind,
        target_id=target_id,
        email="reader@example.nz",
        source="test",
    )
    path = reverse(
        "marketing:notify-confirm",
        kwargs={
            "slug": w.cluster.slug,
            "token": notify_token_make(request_id=request.pk),
        },
    )
    return absolute_url(path)


@email("marketing/notify/email/confirm")
def _notify_confirm(w: World) -> Built:
    variant = _product(w).variants.first()
    assert variant is not None
    return Built(
        "reader@example.nz",
        {
            "cluster": w.cluster,
            "product": _product(w),
            "variant": variant,
            "confirm_url": _notify_confirm_url(w, "back_in_stock", variant.pk),
        },
        w.cluster,
    )


@email("marketing/notify/email/back_in_stock")
def _back_in_stock(w: World) -> Built:
    return Built(
        "reader@example.nz",
        {
            "cluster": w.cluster,
            "product": _product(w),
            "variant": _product(w).variants.first(),
            "url": _product_url(w),
        },
        w.cluster,
    )


def _window_context(w: World) -> dict[str, Any]:
    window = SalesWindowFactory.create(cluster=w.cluster, name_en="Christmas box")
    url = absolute_url(
        reverse("marketing:window", kwargs={"slug": w.cluster.slug, "pk": window.pk})
    )
    return {
        "cluster": w.cluster,
        "window": window,
        "opens": "1 December, 9:00 am",
        "closes": "10 December, 5:00 pm",
        "url": url,
        "confirm_url": _notify_confirm_url(w, "window_opens", window.pk),
    }


@email("marketing/notify/email/window_confirm")
def _window_confirm(w: World) -> Built:
    return Built("reader@example.nz", _window_context(w), w.cluster)


@email("marketing/notify/email/window_opens")
def _window_opens(w: World) -> Built:
    return Built("reader@example.nz", _window_context(w), w.cluster)


@email("marketing/reviews/email/review_written")
def _review_written(w: World) -> Built:
    review = Review(
        cluster=w.cluster,
        product=_product(w),
        member=w.member,
        stars=5,
        body="Beautiful glaze.",
        status="pending",
    )
    url = absolute_url(
        reverse("marketing:member-reviews", kwargs={"slug": w.member.slug})
    )
    return Built(
        w.member.email,
        {"review": review, "product": _product(w), "cluster": w.cluster, "url": url},
        w.cluster,
        reader=w.owner,
    )


# --- trade ----------------------------------------------------------------------


def _trade(w: World) -> Any:
    if w.made is None:
        account = TradeAccountFactory.create(
            cluster=w.cluster, trading_name="Harbour Stores", status="approved"
        )
        variant = _product(w).variants.first()
        assert variant is not None
        unpaid = order_with_parts(
            w.cluster,
            [(w.member, [(variant, 3)])],
            paid_with=None,
            email=account.contact_email,
        )
        w.made = trade_order_of(unpaid, account, terms="net_days", terms_days=20)
    return w.made


@email("trade/email/account_applied")
def _account_applied(w: World) -> Built:
    account = _trade(w).account
    path = reverse(
        "trade:cluster-account", kwargs={"slug": w.cluster.slug, "pk": account.pk}
    )
    return Built(
        w.admin.email, {"account": account, "path": path}, w.cluster, reader=w.admin
    )


@email("trade/email/account_decided")
def _account_decided(w: World) -> Built:
    account = _trade(w).account
    path = reverse("trade:statement", kwargs={"slug": w.cluster.slug})
    return Built(
        account.contact_email,
        {"account": account, "verb": "approved", "path": path},
        w.cluster,
        main_link_status=(200, 302, 403),
    )


@email("trade/email/rfq_submitted")
def _rfq_submitted(w: World) -> Built:
    request = _trade(w).quote.request
    path = reverse(
        "trade:cluster-rfq", kwargs={"slug": w.cluster.slug, "pk": request.pk}
    )
    return Built(
        w.admin.email,
        {"request": request, "path": path, "lines": None},
        w.cluster,
        reader=w.admin,
    )


@email("trade/email/quote_sent")
def _quote_sent(w: World) -> Built:
    made = _trade(w)
    request = made.quote.request
    path = reverse("trade:rfq", kwargs={"slug": w.cluster.slug, "pk": request.pk})
    return Built(
        made.account.contact_email,
        {"quote": made.quote, "request": request, "path": path},
        w.cluster,
        main_link_status=(200, 302, 403),
    )


def _made_context(w: World) -> dict[str, Any]:
    made = _trade(w)
    order, request = made.order, made.quote.request
    slug = w.cluster.slug
    return {
        "made": made,
        "order": order,
        "request": request,
        "quote": made.quote,
        "rfq_path": reverse("trade:rfq", kwargs={"slug": slug, "pk": request.pk}),
        "invoice_path": reverse(
            "trade:order-invoice", kwargs={"slug": slug, "number": order.number}
        ),
        "admin_path": reverse(
            "trade:cluster-order", kwargs={"slug": slug, "number": order.number}
        ),
    }


@email("trade/email/order_made")
def _order_made(w: World) -> Built:
    return Built(
        _trade(w).account.contact_email,
        _made_context(w),
        w.cluster,
        main_link_status=(200, 302, 403),
    )


@email("trade/email/order_made_admin")
def _order_made_admin(w: World) -> Built:
    return Built(w.admin.email, _made_context(w), w.cluster, reader=w.admin)


@email("trade/email/order_made_member")
def _order_made_member(w: World) -> Built:
    context = _made_context(w)
    order = context["order"]
    context["part"] = order.fulfilments.first()
    context["member_path"] = reverse(
        "settlement:member-order",
        kwargs={"slug": w.member.slug, "number": order.number},
    )
    return Built(w.member.email, context, w.cluster, reader=w.owner)


def _statement_context(w: World) -> dict[str, Any]:
    made = _trade(w)
    due_on = made.due_on or timezone.localdate()
    statement = statement_for(made.account, due_on + dt.timedelta(days=40))
    return {
        "account": made.account,
        "path": reverse("trade:statement", kwargs={"slug": w.cluster.slug}),
        "statement": statement,
        "overdue": statement.overdue,
        "due": statement.invoices,
    }


@email("trade/email/due_soon")
def _due_soon(w: World) -> Built:
    context = _statement_context(w)
    return Built(
        context["account"].contact_email,
        context,
        w.cluster,
        main_link_status=(200, 302, 403),
    )


@email("trade/email/statement_reminder")
def _statement_reminder(w: World) -> Built:
    context = _statement_context(w)
    return Built(
        context["account"].contact_email,
        context,
        w.cluster,
        main_link_status=(200, 302, 403),
    )


# --- the checks -----------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.html_lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))
        if tag == "html":
            self.html_lang = str(values.get("lang") or "")


def _subject_prefixes() -> set[str]:
    found = set()
    for path in ROOT.glob("purei/*/templates/**/email/*_subject.txt"):
        parts = path.parts
        at = parts.index("templates")
        relative = Path(*parts[at + 1 :])
        found.add(str(relative).removesuffix("_subject.txt"))
    return found


def test_every_email_template_is_covered() -> None:
    # given every email template in the apps
    prefixes = _subject_prefixes()
    # then each has a builder here, and each builder an email
    assert len(prefixes) > 30
    assert prefixes - set(EMAILS) == set(), "add a builder to EMAILS for these"
    assert set(EMAILS) - prefixes == set()


def _assert_link_opens(url: str) -> str:
    """The path resolves, in the language its prefix names (as a browser's request
    does: LocaleMiddleware reads it)."""
    assert url.startswith(f"{settings.SITE_URL.rstrip('/')}/"), url
    path = urlsplit(url).path
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            resolve(path)
    except Resolver404:  # pragma: no cover - the assertion says which
        pytest.fail(f"{url} opens no page")
    return path


@pytest.mark.parametrize("prefix", sorted(EMAILS))
@pytest.mark.parametrize("language", ["en", "mi"])
def test_email_has_both_parts_in_the_clusters_brand_and_working_links(
    world: World, prefix: str, language: str, client: Any
) -> None:
    # given
    built = EMAILS[prefix](world)
    # when
    message = render_templated_email(
        to=built.to,
        template_prefix=prefix,
        context=built.context,
        language=language,
        cluster=built.cluster,
    )
    # then: a text part and an HTML part, in the language asked for
    assert message.body.strip()
    assert message.subject.strip()
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    parser = _Links()
    parser.feed(str(html))
    assert parser.html_lang == language
    assert message.extra_headers["Content-Language"] == language
    # the brand: the cluster's own, else Pūrei's
    if built.cluster is not None:
        with translation.override(language):
            name = built.cluster.name
        assert name in str(html)
        assert PURPLE in str(html)
        display, address = parseaddr(message.from_email)
        assert display == f"{name} via Pūrei"
        assert address == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        assert message.reply_to == ["kiaora@wairarapa.example.nz"]
    else:
        assert "Pūrei" in str(html)
        assert PUREI_BRAND_COLOUR in str(html)
        assert message.from_email == settings.DEFAULT_FROM_EMAIL
        assert message.reply_to == []
    # every link in the text is in the HTML, and every link opens a page
    text_links = URL.findall(str(message.body))
    assert text_links, "an email links to the page it is about"
    html_links = [href for href in parser.hrefs if not href.startswith("mailto:")]
    assert set(text_links) <= set(html_links)
    paths = [_assert_link_opens(url) for url in html_links]
    # and the first page it links to opens for the person it is written to
    if built.reader is not None:
        client.force_login(built.reader)
    response = client.get(
        urlsplit(text_links[0]).path + "?" + urlsplit(text_links[0]).query
    )
    expected = built.main_link_status or ((200,) if built.reader else (200, 302))
    assert response.status_code in expected, (text_links[0], paths)
    mail.outbox.clear()

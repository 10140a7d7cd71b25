import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Variant
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.search.tests.factories import public_product
from purei.trade.models import ExchangeRate, Quote, QuoteRequest, TradeAccount
from purei.trade.selectors import quotes_for, rfq_get, rfq_lines_for
from purei.trade.services import (
    AddressInput,
    AttachmentInput,
    LinePriceInput,
    QuoteInput,
    RFQInput,
    RFQLineInput,
    TradeAccountConflict,
    quote_accept,
    quote_revision_ask,
    quote_send,
    rfq_create,
    rfq_decline,
    rfq_line_assign,
    rfq_line_price,
    rfq_withdraw,
)

pytestmark = pytest.mark.django_db

BRISBANE = AddressInput(
    line1="1 Wharf St", city="Brisbane", region="QLD", postcode="4000", country="AU"
)
PDF = b"%PDF-1.4 a drawing"


def in_a_month() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


@pytest.fixture
def makers(cluster_x):
    """Three members of cluster X, each with a product and an owner."""
    out = {}
    for slug, title in (
        ("beams", "I-beam 310UB"),
        ("pipes", "Steel pipe"),
        ("bearings", "Bearing 6204"),
    ):
        member = MemberFactory.create(slug=f"{slug}-co", gst_registered=True)
        MembershipFactory.create(member=member, cluster=cluster_x)
        owner = UserFactory.create(email=f"owner@{slug}.nz")
        MemberRole.objects.create(user=owner, member=member, role="owner")
        product = public_product(cluster_x, member=member, title_en=title)
        variant = product.variants.get()
        Variant.objects.filter(pk=variant.pk).update(stock=1_000)
        out[slug] = {
            "member": member,
            "owner": Actor(user=owner),
            "variant": variant,
        }
    return out


@pytest.fixture
def account(trade_buyer) -> TradeAccount:
    return TradeAccount.objects.get(pk__in=trade_buyer.trade_account_ids)


@pytest.fixture
def rate(cluster_x) -> ExchangeRate:
    return ExchangeRate.objects.create(
        cluster=cluster_x,
        currency="AUD",
        rate=Decimal("0.9125"),
        source="RBNZ",
        as_of=timezone.now(),
    )


def ask(trade_buyer, account, makers, **overrides) -> QuoteRequest:
    values: dict[str, Any] = {
        "lines": [
            RFQLineInput(quantity=4, variant_id=makers["beams"]["variant"].pk),
            RFQLineInput(quantity=20, variant_id=makers["pipes"]["variant"].pk),
            RFQLineInput(quantity=50, variant_id=makers["bearings"]["variant"].pk),
            RFQLineInput(
                quantity=10,
                description="Custom fabricated bracket, drawing attached",
                attachments=[
                    AttachmentInput(
                        name="bracket.pdf",
                        content=io.BytesIO(PDF),
                        content_type="application/pdf",
                        size=len(PDF),
                    )
                ],
            ),
        ],
        "incoterm": "DAP",
        "named_place": "Brisbane",
        "destination": BRISBANE,
        "needed_by": in_a_month(),
        "notes": "Mixed consignment, one container.",
    }
    values.update(overrides)
    return rfq_create(actor=trade_buyer, account=account, rfq=RFQInput(**values))


def price(line, owner, cents, grams, **extra):
    return rfq_line_price(
        actor=owner,
        line=line,
        price=LinePriceInput(
            unit_price_nzd_cents=cents,
            lead_time_days=14,
            valid_until=in_a_month(),
            unit_weight_grams=grams,
            hs_code=extra.pop("hs_code", "7216.33"),
            **extra,
        ),
    )


def priced_request(trade_buyer, account, makers):
    request = ask(trade_buyer, account, makers)
    beams, pipes, bearings, bracket = request.lines.order_by("position")
    price(beams, makers["beams"]["owner"], 61_500, 242_000)
    price(pipes, makers["pipes"]["owner"], 8_990, 18_500, hs_code="730630")
    price(bearings, makers["bearings"]["owner"], 1_245, 400, hs_code="848210")
    return request, bracket


def test_a_buyer_asks_for_a_quote_across_three_members(
    trade_buyer,
    account,
    makers,
    cluster_x_admin_user,
    django_capture_on_commit_callbacks,
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(trade_buyer, account, makers)
    # then
    assert request.number == f"RFQ-{request.pk:06d}"
    assert request.currency == "AUD"
    assert request.terms_label == "DAP Brisbane"
    assert request.is_export
    lines = list(request.lines.order_by("position"))
    assert [line.member for line in lines] == [
        makers["beams"]["member"],
        makers["pipes"]["member"],
        makers["bearings"]["member"],
        None,
    ]
    assert lines[3].attachments.get().name == "bracket.pdf"
    recipients = sorted(to for m in mail.outbox for to in m.to)
    assert cluster_x_admin_user.email in recipients
    # each member is told of its own lines only
    beams_mail = next(m for m in mail.outbox if makers["beams"]["member"].email in m.to)
    assert "I-beam" in beams_mail.body
    assert "Steel pipe" not in beams_mail.body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"incoterm": "FAS"}, "incoterm"),
        ({"named_place": ""}, "named_place"),
        ({"lines": []}, "lines"),
        ({"lines": [RFQLineInput(quantity=0, description="x")]}, "lines.0.quantity"),
        ({"lines": [RFQLineInput(quantity=1)]}, "lines.0.description"),
        (
            {"lines": [RFQLineInput(quantity=1, variant_id=999_999)]},
            "lines.0.variant_id",
        ),
        (
            {"lines": [RFQLineInput(quantity=1, description="x", member="nobody")]},
            "lines.0.member",
        ),
        (
            {
                "lines": [
                    RFQLineInput(
                        quantity=1,
                        description="x",
                        attachments=[
                            AttachmentInput(
                                name="x.pdf",
                                content=io.BytesIO(b"MZ not a pdf"),
                                content_type="application/pdf",
                                size=12,
                            )
                        ],
                    )
                ]
            },
            "lines.0.attachments",
        ),
        ({"needed_by": dt.date(2020, 1, 1)}, "needed_by"),
        (
            {"destination": AddressInput(line1="x", city="y", postcode="1")},
            "destination.country",
        ),
    ],
)
def test_a_request_is_checked(trade_buyer, account, makers, overrides, field):
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        ask(trade_buyer, account, makers, **overrides)
    assert field in refused.value.errors
    assert not QuoteRequest.objects.exists()


def test_a_product_of_another_cluster_cannot_be_asked_for(
    trade_buyer, account, makers, cluster_y
):
    # given
    elsewhere = public_product(cluster_y).variants.get()
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        ask(
            trade_buyer,
            account,
            makers,
            lines=[RFQLineInput(quantity=1, variant_id=elsewhere.pk)],
        )
    assert "lines.0.variant_id" in refused.value.errors


@pytest.mark.parametrize("status", ["applied", "suspended", "declined"])
def test_only_an_approved_account_asks(trade_buyer, account, makers, status):
    # given
    TradeAccount.objects.filter(pk=account.pk).update(status=status)
    account.refresh_from_db()
    # when / then
    with pytest.raises(TradeAccountConflict):
        ask(trade_buyer, account, makers)


@pytest.mark.parametrize("who", ["customer", "cluster_x_admin", "member_a_owner"])
def test_only_the_accounts_buyers_ask(who, request, account, makers):
    # when / then
    with pytest.raises(NotPermitted):
        ask(request.getfixturevalue(who), account, makers)


def test_each_member_prices_only_its_own_lines(trade_buyer, account, makers):
    # given
    request = ask(trade_buyer, account, makers)
    beams, *_ = request.lines.order_by("position")
    # when / then: the pipe maker can't price the beams
    with pytest.raises(NotPermitted):
        price(beams, makers["pipes"]["owner"], 1, 1)
    priced = price(beams, makers["beams"]["owner"], 61_500, 242_000)
    assert priced.unit_price_nzd_cents == 61_500
    assert priced.hs_code == "721633"
    assert AuditEntry.objects.get(verb="trade.rfq_line_priced").member_id == (
        makers["beams"]["member"].pk
    )


def test_a_member_never_sees_another_members_price(trade_buyer, account, makers):
    # given
    request, _bracket = priced_request(trade_buyer, account, makers)
    pipes_owner = makers["pipes"]["owner"]
    # when
    visible = list(
        rfq_lines_for(
            actor=pipes_owner, request=rfq_get(actor=pipes_owner, pk=request.pk)
        )
    )
    # then
    assert [line.member for line in visible] == [makers["pipes"]["member"]]
    assert quotes_for(actor=pipes_owner, request=request) == []
    # ... while the buyer sees every line
    assert len(rfq_lines_for(actor=trade_buyer, request=request)) == 4


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("unit_price_nzd_cents", {"unit_price_nzd_cents": 0}),
        ("hs_code", {"hs_code": "72"}),
        ("origin_country", {"origin_country": "XX"}),
        ("valid_until", {"valid_until": dt.date(2020, 1, 1)}),
        ("unit_weight_grams", {"unit_weight_grams": None}),
        ("lead_time_days", {"lead_time_days": None}),
    ],
)
def test_a_price_is_checked(trade_buyer, account, makers, field, extra):
    # given
    request = ask(trade_buyer, account, makers)
    beams = request.lines.order_by("position")[0]
    values: dict[str, Any] = {
        "unit_price_nzd_cents": 100,
        "lead_time_days": 3,
        "valid_until": in_a_month(),
        "unit_weight_grams": 10,
        "hs_code": "721633",
        "origin_country": "NZ",
    }
    values.update(extra)
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        rfq_line_price(
            actor=makers["beams"]["owner"], line=beams, price=LinePriceInput(**values)
        )
    assert field in refused.value.errors


def test_the_admin_assigns_a_written_out_line_and_quotes_in_aud(
    trade_buyer,
    account,
    makers,
    cluster_x_admin,
    rate,
    django_capture_on_commit_callbacks,
):
    # given
    request, bracket = priced_request(trade_buyer, account, makers)
    # when: the admin can't quote until every line is priced
    with pytest.raises(ValidationFailed) as waiting:
        quote_send(
            actor=cluster_x_admin,
            request=request,
            quote=QuoteInput(valid_until=in_a_month()),
        )
    assert "lines" in waiting.value.errors
    rfq_line_assign(
        actor=cluster_x_admin, line=bracket, member=makers["beams"]["member"]
    )
    bracket.refresh_from_db()
    rfq_line_price(
        actor=makers["beams"]["owner"],
        line=bracket,
        price=LinePriceInput(cannot_supply=True, note="Not this month."),
    )
    with django_capture_on_commit_callbacks(execute=True):
        quote = quote_send(
            actor=cluster_x_admin,
            request=request,
            quote=QuoteInput(
                basis="weight",
                freight_nzd_cents=185_000,
                insurance_nzd_cents=12_000,
                valid_until=in_a_month(),
            ),
        )
    # then: the worked example of docs/trade.md
    assert quote.revision == 1
    assert (quote.currency, quote.fx_rate, quote.fx_source) == (
        "AUD",
        rate.rate,
        "RBNZ",
    )
    assert quote.export is True
    assert quote.gst_cents == 0
    assert [line.unit_cents for line in quote.lines.all()] == [56_119, 8_203, 1_136]
    assert quote.freight_cents == 168_813
    assert quote.total_cents == 224_476 + 164_060 + 56_800 + 168_813 + 10_950
    assert quote.lines.count() == 3  # the bracket could not be supplied
    request.refresh_from_db()
    assert request.status == QuoteRequest.Status.QUOTED
    assert any(
        account.contact_email in m.to and "quote" in m.subject.lower()
        for m in mail.outbox
    )


def test_a_foreign_currency_quote_needs_a_rate(
    trade_buyer, account, makers, cluster_x_admin
):
    # given
    request, bracket = priced_request(trade_buyer, account, makers)
    rfq_line_assign(
        actor=cluster_x_admin, line=bracket, member=makers["pipes"]["member"]
    )
    bracket.refresh_from_db()
    price(bracket, makers["pipes"]["owner"], 4_500, 2_000)
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        quote_send(
            actor=cluster_x_admin,
            request=request,
            quote=QuoteInput(valid_until=in_a_month()),
        )
    assert "currency" in refused.value.errors


@pytest.fixture
def quoted(trade_buyer, account, makers, cluster_x_admin, rate):
    request, bracket = priced_request(trade_buyer, account, makers)
    rfq_line_assign(
        actor=cluster_x_admin, line=bracket, member=makers["pipes"]["member"]
    )
    bracket.refresh_from_db()
    price(bracket, makers["pipes"]["owner"], 4_500, 2_000)
    return quote_send(
        actor=cluster_x_admin,
        request=request,
        quote=QuoteInput(freight_nzd_cents=10_000, valid_until=in_a_month()),
    )


def test_the_buyer_asks_for_a_revision_and_every_revision_is_kept(
    trade_buyer, quoted, makers, cluster_x_admin
):
    # when
    quote_revision_ask(
        actor=trade_buyer, quote=quoted, note="Can the freight come down?"
    )
    # then: the members may price again, and a new revision supersedes nothing sent
    request = quoted.request
    request.refresh_from_db()
    assert request.status == QuoteRequest.Status.REVISION
    second = quote_send(
        actor=cluster_x_admin,
        request=request,
        quote=QuoteInput(freight_nzd_cents=8_000, valid_until=in_a_month()),
    )
    assert second.revision == 2
    assert [q.revision for q in quotes_for(actor=trade_buyer, request=request)] == [
        2,
        1,
    ]
    quoted.refresh_from_db()
    assert quoted.status == Quote.Status.REVISION_ASKED
    assert quoted.buyer_note == "Can the freight come down?"
    # the old revision can't be accepted any more
    with pytest.raises(TradeAccountConflict):
        quote_accept(actor=trade_buyer, quote=quoted)
    assert quote_accept(actor=trade_buyer, quote=second).status == Quote.Status.ACCEPTED


def test_a_new_revision_supersedes_the_last_one_sent(
    quoted, cluster_x_admin, trade_buyer
):
    # given: the admin sends a better quote before the buyer answers
    request = quoted.request
    QuoteRequest.objects.filter(pk=request.pk).update(
        status=QuoteRequest.Status.REVISION
    )
    request.refresh_from_db()
    second = quote_send(
        actor=cluster_x_admin,
        request=request,
        quote=QuoteInput(valid_until=in_a_month()),
    )
    # then
    quoted.refresh_from_db()
    assert quoted.status == Quote.Status.SUPERSEDED
    assert second.status == Quote.Status.SENT


def test_an_expired_quote_cannot_be_accepted(quoted, trade_buyer):
    # given
    Quote.objects.filter(pk=quoted.pk).update(valid_until=dt.date(2020, 1, 1))
    # when / then
    with pytest.raises(TradeAccountConflict):
        quote_accept(actor=trade_buyer, quote=quoted)


@pytest.mark.parametrize("who", ["cluster_x_admin", "member_a_owner", "customer"])
def test_only_the_buyer_accepts(quoted, who, request):
    # when / then
    with pytest.raises(NotPermitted):
        quote_accept(actor=request.getfixturevalue(who), quote=quoted)


def test_the_buyer_withdraws_and_the_admin_declines(
    trade_buyer, account, makers, cluster_x_admin
):
    # given
    first = ask(trade_buyer, account, makers)
    second = ask(trade_buyer, account, makers)
    # when
    rfq_withdraw(actor=trade_buyer, request=first, reason="Ordered elsewhere.")
    with pytest.raises(ValidationFailed):
        rfq_decline(actor=cluster_x_admin, request=second, reason="")
    rfq_decline(actor=cluster_x_admin, request=second, reason="We can't make these.")
    # then
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("withdrawn", "declined")
    with pytest.raises(TradeAccountConflict):
        rfq_withdraw(actor=trade_buyer, request=second)

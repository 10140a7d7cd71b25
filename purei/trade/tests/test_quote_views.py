"""The web pages of requests for quote and quotes: the buyer's, each member's and
the cluster admin's, who may see each, the whole walk from a request to an accepted
quote, the quote's PDF and the cost of the list pages."""

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.core.actor import Actor
from purei.ledger.tests.test_invoice_pdf import pdf_text
from purei.members.tests.factories import MemberFactory, MembershipFactory
from purei.search.tests.factories import public_product
from purei.trade.models import (
    ExchangeRate,
    Quote,
    QuoteRequest,
    QuoteRequestLine,
    TradeAccount,
)
from purei.trade.services import (
    AddressInput,
    AttachmentInput,
    LinePriceInput,
    QuoteInput,
    RFQInput,
    RFQLineInput,
    quote_send,
    rfq_create,
    rfq_line_assign,
    rfq_line_price,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 a drawing of a bracket"
X = "cluster-x"


def in_a_month() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def makers(cluster_x) -> dict[str, dict[str, Any]]:
    """Two members of cluster X, each with a product (with a trade price) and an
    owner."""
    out = {}
    for slug, title, cents in (
        ("beams", "I-beam 310UB", 61_500),
        ("pipes", "Steel pipe", 8_990),
    ):
        member = MemberFactory.create(
            slug=f"{slug}-co", trading_name=f"{title} Co", gst_registered=True
        )
        MembershipFactory.create(member=member, cluster=cluster_x)
        owner = UserFactory.create(email=f"owner@{slug}.nz")
        MemberRole.objects.create(user=owner, member=member, role="owner")
        product = public_product(cluster_x, member=member, title_en=title)
        variant = product.variants.get()
        variant.trade_price_cents = cents
        variant.min_order_quantity, variant.pack_size = 4, 2
        variant.stock = 1_000
        variant.save(
            update_fields=[
                "trade_price_cents",
                "min_order_quantity",
                "pack_size",
                "stock",
            ]
        )
        out[slug] = {"member": member, "owner": owner, "variant": variant}
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
        source="RBNZ 4 pm rate",
        as_of=timezone.now(),
    )


def ask(trade_buyer, account, makers) -> QuoteRequest:
    """A request: the beams and the pipes by product, a bracket written out."""
    return rfq_create(
        actor=trade_buyer,
        account=account,
        rfq=RFQInput(
            lines=[
                RFQLineInput(quantity=4, variant_id=makers["beams"]["variant"].pk),
                RFQLineInput(quantity=20, variant_id=makers["pipes"]["variant"].pk),
                RFQLineInput(
                    quantity=10,
                    description="Custom bracket",
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
            incoterm="DAP",
            named_place="Brisbane",
            destination=AddressInput(
                line1="1 Wharf St", city="Brisbane", postcode="4000", country="AU"
            ),
        ),
    )


def price(line, owner, cents, grams=1_000):
    return rfq_line_price(
        actor=Actor(user=owner),
        line=line,
        price=LinePriceInput(
            unit_price_nzd_cents=cents,
            lead_time_days=14,
            valid_until=in_a_month(),
            unit_weight_grams=grams,
            hs_code="7216.33",
        ),
    )


@pytest.fixture
def rfq(trade_buyer, account, makers) -> QuoteRequest:
    return ask(trade_buyer, account, makers)


@pytest.fixture
def quoted(rfq, makers, cluster_x_admin, rate) -> Quote:
    beams, pipes, bracket = rfq.lines.order_by("position")
    price(beams, makers["beams"]["owner"], 61_523)
    price(pipes, makers["pipes"]["owner"], 8_977)
    rfq_line_assign(
        actor=cluster_x_admin, line=bracket, member=makers["pipes"]["member"]
    )
    bracket.refresh_from_db()
    price(bracket, makers["pipes"]["owner"], 4_500)
    return quote_send(
        actor=cluster_x_admin,
        request=rfq,
        quote=QuoteInput(freight_nzd_cents=10_000, valid_until=in_a_month()),
    )


# --- The whole walk ------------------------------------------------------------------


def test_a_request_goes_from_the_buyer_to_an_accepted_quote_on_the_web(
    trade_buyer_user, makers, cluster_x_admin_user, rate
):
    # given
    buyer = client_for(trade_buyer_user)
    new = buyer.get(f"/c/{X}/trade/rfqs/new/")
    assert new.status_code == 200
    body = new.content.decode()
    assert "I-beam 310UB Co" in body  # grouped by member
    assert "615.00 NZD ex-GST · MOQ 4 · packs of 2" in body
    assert 'value="Brisbane"' in body  # the account's delivery address
    # when: the buyer asks, with a drawing
    response = buyer.post(
        f"/c/{X}/trade/rfqs/new/",
        {
            "p0-variant": makers["beams"]["variant"].pk,
            "p0-quantity": "4",
            "p1-variant": makers["pipes"]["variant"].pk,
            "p1-quantity": "20",
            "w0-description": "Custom bracket, drawing attached",
            "w0-quantity": "10",
            "w0-unit": "each",
            "w0-file": SimpleUploadedFile("bracket.pdf", PDF, "application/pdf"),
            "incoterm": "DAP",
            "named_place": "Brisbane",
            "destination_line1": "1 Wharf St",
            "destination_city": "Brisbane",
            "destination_postcode": "4000",
            "destination_country": "AU",
            "needed_by": in_a_month().isoformat(),
            "notes": "One container.",
        },
    )
    # then
    assert response.status_code == 302
    rfq = QuoteRequest.objects.get()
    assert response["Location"] == f"/c/{X}/trade/rfqs/{rfq.pk}/"
    beams, pipes, bracket = rfq.lines.order_by("position")
    assert bracket.attachments.get().name == "bracket.pdf"
    # when: each member prices its lines (the form is prefilled with its trade price)
    beams_owner = client_for(makers["beams"]["owner"])
    page = beams_owner.get(f"/manage/members/beams-co/trade/rfqs/{rfq.pk}/")
    assert page.status_code == 200
    assert 'value="615.00"' in page.content.decode()

    def price_form(line, unit_price):
        prefix = f"line-{line.pk}"
        return {
            "line": line.pk,
            f"{prefix}-unit_price": unit_price,
            f"{prefix}-lead_time_days": "14",
            f"{prefix}-valid_until": in_a_month().isoformat(),
            f"{prefix}-unit_weight_grams": "2000",
            f"{prefix}-hs_code": "7216.33",
            f"{prefix}-origin_country": "NZ",
        }

    response = beams_owner.post(
        f"/manage/members/beams-co/trade/rfqs/{rfq.pk}/", price_form(beams, "615.23")
    )
    assert response.status_code == 302
    pipes_owner = client_for(makers["pipes"]["owner"])
    response = pipes_owner.post(
        f"/manage/members/pipes-co/trade/rfqs/{rfq.pk}/", price_form(pipes, "89.77")
    )
    assert response.status_code == 302
    # when: the admin assigns the bracket to the pipe maker, who prices it
    admin = client_for(cluster_x_admin_user)
    admin_page = f"/manage/clusters/{X}/trade/rfqs/{rfq.pk}/"
    response = admin.post(
        admin_page,
        {
            "action": "assign",
            "line": bracket.pk,
            f"assign-{bracket.pk}-member": makers["pipes"]["member"].pk,
        },
    )
    assert response.status_code == 302
    response = pipes_owner.post(
        f"/manage/members/pipes-co/trade/rfqs/{rfq.pk}/", price_form(bracket, "45")
    )
    assert response.status_code == 302
    body = admin.get(admin_page).content.decode()
    assert "615.23 NZD" in body
    assert "89.77 NZD" in body
    # when: the admin sends the quote
    response = admin.post(
        admin_page,
        {
            "action": "quote",
            "quote-basis": "value",
            "quote-freight": "100",
            "quote-insurance": "0",
            "quote-packing": "0",
            "quote-valid_until": in_a_month().isoformat(),
        },
    )
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert quote.currency == "AUD"
    # then: the buyer sees it, with its rate, and accepts it
    body = buyer.get(f"/c/{X}/trade/rfqs/{rfq.pk}/").content.decode()
    assert f"{quote.total_cents // 100:,}.{quote.total_cents % 100:02d} AUD" in body
    assert "RBNZ 4 pm rate" in body
    assert "Zero-rated: export" in body
    assert "DAP Brisbane" in body
    assert "Accept the quote" in body
    response = buyer.post(
        f"/c/{X}/trade/rfqs/{rfq.pk}/", {"action": "accept", "quote": quote.pk}
    )
    assert response.status_code == 302
    rfq.refresh_from_db()
    quote.refresh_from_db()
    assert (rfq.status, quote.status) == ("accepted", "accepted")
    body = buyer.get(f"/c/{X}/trade/rfqs/{rfq.pk}/").content.decode()
    assert "Accept the quote" not in body
    assert "Withdraw" not in body


# --- Who may see what ----------------------------------------------------------------


def test_a_member_sees_only_its_own_lines_and_never_anothers_price(quoted, makers, rfq):
    # when
    body = (
        client_for(makers["pipes"]["owner"])
        .get(f"/manage/members/pipes-co/trade/rfqs/{rfq.pk}/")
        .content.decode()
    )
    # then
    assert "Steel pipe" in body
    assert "89.77" in body
    assert "I-beam" not in body
    assert "615.23" not in body
    assert "bracket" in body.lower()  # assigned to it


def test_the_member_list_counts_its_lines(rfq, makers):
    # given
    beams = rfq.lines.get(member=makers["beams"]["member"])
    price(beams, makers["beams"]["owner"], 61_523)
    # when
    body = (
        client_for(makers["beams"]["owner"])
        .get("/manage/members/beams-co/trade/rfqs/")
        .content.decode()
    )
    # then
    assert rfq.number in body
    assert "<td>1</td>\n    <td>1</td>\n    <td>0</td>" in body


def _status(client: Client, url: str) -> int:
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("customer", 404),
        ("member_a_owner", 404),
        ("cluster_x_admin", 404),
        ("cluster_y_admin", 404),
        ("staff", 404),
        ("trade_buyer", 200),
    ],
)
def test_only_the_buyer_sees_its_pages(who, expected, request, rfq):
    # given
    user = None if who == "anonymous" else request.getfixturevalue(f"{who}_user")
    client = client_for(user)
    # when / then
    for url in (
        f"/c/{X}/trade/rfqs/",
        f"/c/{X}/trade/rfqs/new/",
        f"/c/{X}/trade/rfqs/{rfq.pk}/",
    ):
        assert _status(client, url) == expected, url


@pytest.mark.parametrize("status", ["applied", "suspended", "declined"])
def test_a_buyer_whose_account_is_not_approved_gets_404(
    status, trade_buyer_user, account
):
    # given
    TradeAccount.objects.filter(pk=account.pk).update(status=status)
    # when / then
    assert _status(client_for(trade_buyer_user), f"/c/{X}/trade/rfqs/") == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("customer", 404),
        ("cluster_x_admin", 404),
        ("cluster_y_admin", 404),
        ("trade_buyer", 404),
        ("staff", 200),
        ("beams_owner", 200),
        ("pipes_owner", 404),
    ],
)
def test_only_the_members_team_sees_its_requests(who, expected, request, rfq, makers):
    # given: pipes-co has its own page, but not the beam maker's
    if who.endswith("_owner"):
        user = makers[who.removesuffix("_owner")]["owner"]
    else:
        user = request.getfixturevalue(f"{who}_user")
    client = client_for(user)
    # when / then
    for url in (
        "/manage/members/beams-co/trade/rfqs/",
        f"/manage/members/beams-co/trade/rfqs/{rfq.pk}/",
    ):
        assert _status(client, url) == expected, url


def test_a_member_without_lines_in_a_request_cannot_open_it(rfq, member_a_owner_user):
    # when / then
    url = f"/manage/members/member-a/trade/rfqs/{rfq.pk}/"
    assert _status(client_for(member_a_owner_user), url) == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("customer", 404),
        ("member_a_owner", 404),
        ("cluster_y_admin", 404),
        ("trade_buyer", 404),
        ("cluster_x_admin", 200),
        ("staff", 200),
    ],
)
def test_only_the_clusters_admins_and_staff_see_the_admin_pages(
    who, expected, request, rfq
):
    # given
    client = client_for(request.getfixturevalue(f"{who}_user"))
    # when / then
    for url in (
        f"/manage/clusters/{X}/trade/rfqs/",
        f"/manage/clusters/{X}/trade/rfqs/{rfq.pk}/",
    ):
        assert _status(client, url) == expected, url


def test_platform_staff_read_but_cannot_quote(quoted, rfq, staff_user):
    # given
    Quote.objects.all().delete()
    QuoteRequest.objects.filter(pk=rfq.pk).update(status="open")
    # when
    response = client_for(staff_user).post(
        f"/manage/clusters/{X}/trade/rfqs/{rfq.pk}/",
        {
            "action": "quote",
            "quote-basis": "weight",
            "quote-freight": "10",
            "quote-valid_until": in_a_month().isoformat(),
        },
    )
    # then
    assert response.status_code == 422
    assert "Only the cluster&#x27;s admins can do this." in response.content.decode()
    assert not Quote.objects.exists()


def test_platform_staff_cannot_price_a_line(rfq, makers, staff_user):
    # given
    beams = rfq.lines.get(member=makers["beams"]["member"])
    prefix = f"line-{beams.pk}"
    # when
    response = client_for(staff_user).post(
        f"/manage/members/beams-co/trade/rfqs/{rfq.pk}/",
        {
            "line": beams.pk,
            f"{prefix}-unit_price": "1",
            f"{prefix}-lead_time_days": "1",
            f"{prefix}-valid_until": in_a_month().isoformat(),
            f"{prefix}-unit_weight_grams": "1",
            f"{prefix}-hs_code": "721633",
            f"{prefix}-origin_country": "NZ",
        },
    )
    # then
    assert response.status_code == 422
    beams.refresh_from_db()
    assert beams.unit_price_nzd_cents is None


def test_a_member_cannot_price_another_members_line(rfq, makers):
    # given
    beams = rfq.lines.get(member=makers["beams"]["member"])
    # when
    response = client_for(makers["pipes"]["owner"]).post(
        f"/manage/members/pipes-co/trade/rfqs/{rfq.pk}/",
        {"line": beams.pk, f"line-{beams.pk}-unit_price": "1"},
    )
    # then
    assert response.status_code == 404
    beams.refresh_from_db()
    assert beams.unit_price_nzd_cents is None


# --- Refusals on the forms ------------------------------------------------------------


def test_an_empty_request_is_refused_on_the_form(trade_buyer_user):
    # when
    response = client_for(trade_buyer_user).post(
        f"/c/{X}/trade/rfqs/new/",
        {
            "incoterm": "DAP",
            "named_place": "Brisbane",
            "destination_line1": "1 Wharf St",
            "destination_city": "Brisbane",
            "destination_postcode": "4000",
            "destination_country": "AU",
        },
    )
    # then
    assert response.status_code == 422
    assert "Add at least one line." in response.content.decode()
    assert not QuoteRequest.objects.exists()


def test_a_bad_file_is_refused_on_its_row(trade_buyer_user):
    # when
    response = client_for(trade_buyer_user).post(
        f"/c/{X}/trade/rfqs/new/",
        {
            "w1-description": "A bracket",
            "w1-quantity": "2",
            "w1-file": SimpleUploadedFile("x.pdf", b"MZ not a pdf", "application/pdf"),
            "p0-quantity": "",
            "incoterm": "DAP",
            "named_place": "Brisbane",
            "destination_line1": "1 Wharf St",
            "destination_city": "Brisbane",
            "destination_postcode": "4000",
            "destination_country": "AU",
        },
    )
    # then
    body = response.content.decode()
    assert response.status_code == 422
    assert "This file is not the kind its name says." in body
    assert 'href="#id_w1-file"' in body
    assert not QuoteRequest.objects.exists()


def test_a_quantity_without_a_product_is_refused(trade_buyer_user):
    # when
    response = client_for(trade_buyer_user).post(
        f"/c/{X}/trade/rfqs/new/", {"p2-quantity": "5", "incoterm": "DAP"}
    )
    # then
    assert response.status_code == 422
    assert "Choose a product, or clear the quantity." in response.content.decode()


def test_a_quote_without_a_rate_warns_the_admin(rfq, makers, cluster_x_admin_user):
    # when
    body = (
        client_for(cluster_x_admin_user)
        .get(f"/manage/clusters/{X}/trade/rfqs/{rfq.pk}/")
        .content.decode()
    )
    # then
    assert "No exchange rate for AUD is recorded" in body
    assert f"/manage/clusters/{X}/trade/settings/" in body
    assert "3 lines still wait" in body


def test_the_admin_sees_why_a_quote_cannot_be_sent_yet(rfq, cluster_x_admin_user, rate):
    # when
    response = client_for(cluster_x_admin_user).post(
        f"/manage/clusters/{X}/trade/rfqs/{rfq.pk}/",
        {
            "action": "quote",
            "quote-basis": "weight",
            "quote-freight": "10",
            "quote-valid_until": in_a_month().isoformat(),
        },
    )
    # then
    assert response.status_code == 422
    assert "still wait for their member" in response.content.decode()


# --- The buyer's answers --------------------------------------------------------------


def test_the_buyer_asks_for_a_revision_and_sees_every_revision(
    quoted, rfq, trade_buyer_user, cluster_x_admin
):
    # given
    buyer = client_for(trade_buyer_user)
    url = f"/c/{X}/trade/rfqs/{rfq.pk}/"
    # when: no note
    refused = buyer.post(url, {"action": "revision", "quote": quoted.pk})
    assert refused.status_code == 422
    response = buyer.post(
        url,
        {"action": "revision", "quote": quoted.pk, "revision-note": "Less freight?"},
    )
    # then
    assert response.status_code == 302
    rfq.refresh_from_db()
    second = quote_send(
        actor=cluster_x_admin,
        request=rfq,
        quote=QuoteInput(freight_nzd_cents=5_000, valid_until=in_a_month()),
    )
    body = buyer.get(url).content.decode()
    assert "The quote (revision 2)" in body
    assert "Earlier revisions" in body
    assert f"/c/{X}/trade/quotes/{quoted.pk}.pdf" in body
    assert f"/c/{X}/trade/quotes/{second.pk}.pdf" in body
    assert "Less freight?" in body
    # the old revision can't be accepted
    response = buyer.post(url, {"action": "accept", "quote": quoted.pk})
    assert response.status_code == 422
    assert "only the newest quote sent can be answered" in response.content.decode()


def test_an_expired_quote_offers_no_accept(quoted, rfq, trade_buyer_user):
    # given
    Quote.objects.filter(pk=quoted.pk).update(valid_until=dt.date(2020, 1, 1))
    # when
    body = client_for(trade_buyer_user).get(f"/c/{X}/trade/rfqs/{rfq.pk}/")
    # then
    assert "Accept the quote" not in body.content.decode()


def test_the_buyer_withdraws(rfq, trade_buyer_user):
    # when
    response = client_for(trade_buyer_user).post(
        f"/c/{X}/trade/rfqs/{rfq.pk}/",
        {"action": "withdraw", "withdraw-reason": "Bought elsewhere."},
    )
    # then
    assert response.status_code == 302
    rfq.refresh_from_db()
    assert (rfq.status, rfq.reason) == ("withdrawn", "Bought elsewhere.")


def test_the_admin_declines_with_a_reason(rfq, cluster_x_admin_user):
    # given
    client = client_for(cluster_x_admin_user)
    url = f"/manage/clusters/{X}/trade/rfqs/{rfq.pk}/"
    # when
    assert client.post(url, {"action": "decline"}).status_code == 422
    response = client.post(
        url, {"action": "decline", "decline-reason": "We can't make these."}
    )
    # then
    assert response.status_code == 302
    rfq.refresh_from_db()
    assert rfq.status == "declined"


# --- The PDF and the files ---------------------------------------------------------


def test_the_quote_pdf_shows_the_request_its_currency_and_rate(
    quoted, rfq, trade_buyer_user
):
    # when
    response = client_for(trade_buyer_user).get(f"/c/{X}/trade/quotes/{quoted.pk}.pdf")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert rfq.number in text
    assert "Revision: 1" in text
    assert "Cluster X Wine" in text
    assert "Harbour Steel Distributors Pty Ltd" in text
    assert "DAP Brisbane" in text
    assert "Zero-rated: export" in text
    total = f"{quoted.total_cents // 100:,}.{quoted.total_cents % 100:02d} AUD"
    assert total in text
    assert "NZ$1 = 0.9125 AUD (RBNZ 4 pm rate" in text
    assert "Payment terms: Pro-forma: pay before dispatch" in text
    assert "ABN: 51824753556" in text
    assert "Deliver to: 1 Wharf St, Brisbane 4000, AU" in text


def test_the_deposit_is_shown_on_the_page_and_the_pdf(
    request, account, trade_buyer_user
):
    # given: the account pays a 30 % deposit when it accepts
    TradeAccount.objects.filter(pk=account.pk).update(deposit_percent=30)
    quote = request.getfixturevalue("quoted")
    client = client_for(trade_buyer_user)
    deposit = f"{quote.deposit_cents // 100:,}.{quote.deposit_cents % 100:02d} AUD"
    # when
    body = client.get(f"/c/{X}/trade/rfqs/{quote.request_id}/").content.decode()
    pdf = client.get(f"/c/{X}/trade/quotes/{quote.pk}.pdf").content
    # then
    assert quote.deposit_percent == 30
    assert "Deposit due on acceptance" in body
    assert f"{deposit} (30%)" in body
    assert f"Deposit due on acceptance: {deposit} (30%)" in pdf_text(pdf)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("trade_buyer", 200),
        ("cluster_x_admin", 200),
        ("staff", 200),
        ("cluster_y_admin", 404),
        ("member_a_owner", 404),
        ("customer", 404),
    ],
)
def test_who_may_download_the_quote_pdf(who, expected, request, quoted):
    # when / then
    client = client_for(request.getfixturevalue(f"{who}_user"))
    assert _status(client, f"/c/{X}/trade/quotes/{quoted.pk}.pdf") == expected


def test_the_pdf_of_another_clusters_address_is_404(quoted, trade_buyer_user):
    # when / then
    url = f"/c/cluster-y/trade/quotes/{quoted.pk}.pdf"
    assert _status(client_for(trade_buyer_user), url) == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("trade_buyer", 200),
        ("cluster_x_admin", 200),
        ("staff", 200),
        ("pipes_owner", 200),  # the bracket is assigned to the pipe maker
        ("beams_owner", 404),
        ("cluster_y_admin", 404),
        ("customer", 404),
    ],
)
def test_who_may_download_a_lines_file(who, expected, request, quoted, makers):
    # given
    if who.endswith("_owner"):
        user = makers[who.removesuffix("_owner")]["owner"]
    else:
        user = request.getfixturevalue(f"{who}_user")
    attachment = QuoteRequestLine.objects.get(sku="").attachments.get()
    # when
    response = client_for(user).get(f"/c/{X}/trade/attachments/{attachment.pk}/")
    # then
    assert response.status_code == expected
    if expected == 200:
        assert response.getvalue() == PDF
        assert response["Content-Disposition"].startswith("attachment;")


# --- The trade page and the cost of the lists ----------------------------------------


def test_the_trade_page_links_an_approved_buyer_to_its_quotes(trade_buyer_user):
    # when
    body = client_for(trade_buyer_user).get(f"/c/{X}/trade/").content.decode()
    # then
    assert f'href="/c/{X}/trade/rfqs/"' in body
    assert f'href="/c/{X}/trade/rfqs/new/"' in body


def test_the_list_pages_cost_a_fixed_number_of_queries(
    trade_buyer,
    trade_buyer_user,
    account,
    makers,
    cluster_x_admin_user,
    django_assert_max_num_queries,
):
    # given
    for _ in range(6):
        ask(trade_buyer, account, makers)
    pages = [
        (client_for(trade_buyer_user), f"/c/{X}/trade/rfqs/"),
        (client_for(cluster_x_admin_user), f"/manage/clusters/{X}/trade/rfqs/"),
        (client_for(makers["beams"]["owner"]), "/manage/members/beams-co/trade/rfqs/"),
        (client_for(trade_buyer_user), f"/c/{X}/trade/rfqs/new/"),
    ]
    for client, url in pages:
        # when / then
        with django_assert_max_num_queries(16):
            response = client.get(url)
        assert response.status_code == 200, url
        assert url.endswith("new/") or "RFQ-" in response.content.decode()


def test_a_quote_on_a_closed_request_is_refused_with_the_reason(
    quoted, rfq, cluster_x_admin_user
):
    # given: the buyer accepted
    QuoteRequest.objects.filter(pk=rfq.pk).update(status="accepted")
    # when
    response = client_for(cluster_x_admin_user).post(
        f"/manage/clusters/{X}/trade/rfqs/{rfq.pk}/",
        {
            "action": "quote",
            "quote-basis": "weight",
            "quote-valid_until": in_a_month().isoformat(),
        },
    )
    # then
    assert response.status_code == 422
    assert "This request is accepted: it can&#x27;t be changed." in (
        response.content.decode()
    )
    assert Quote.objects.count() == 1

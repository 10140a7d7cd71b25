"""Tax invoices, credit notes and commission invoices, issued as money moves.

Orders are placed through checkout and paid with the test gateway, so
``capture_book`` (called by settlement) issues the invoices; cancelling and
refunding go through the settlement services, so ``refund_book`` issues the
credit notes. Every figure below is worked by hand in a comment: GST in a
GST-inclusive amount is 3/23 of it, rounded half up, once per line and once for
shipping (purei.orders.money.gst_in).

Shipping in these examples: $8.50 anywhere in the North Island (GST in it
850 x 3/23 = 110.87 → $1.11), $35.00 to Australia.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from purei.accounts.models import MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.catalogue.models import Variant
from purei.clusters.models import Cluster, SellingModel
from purei.clusters.tests.factories import ClusterFactory
from purei.core.actor import Actor
from purei.ledger.models import Invoice, InvoiceLine, InvoiceSequence
from purei.ledger.services.commission_invoices import commission_invoice_for_payout
from purei.ledger.services.credit_notes import credit_notes_issue_for_refund
from purei.ledger.services.invoice_documents import invoice_document
from purei.ledger.services.invoice_issue import band_for, invoice_for_fulfilment
from purei.ledger.services.invoices import (
    invoice_can_view,
    invoices_issue_for_payment,
    invoices_visible_to,
)
from purei.ledger.services.payouts import payout_run
from purei.ledger.split import largest_remainder
from purei.members.models import Member, Membership
from purei.members.tests.factories import MemberFactory
from purei.orders.models import Fulfilment, Order, ShippingPolicy, ShippingRate, Zone
from purei.orders.services.cart import cart_add, cart_get_or_create
from purei.orders.services.checkout import Address, CheckoutDetails, order_place
from purei.orders.services.fulfilment import fulfilment_advance
from purei.payments.gateways import CardDetails
from purei.payments.models import Payment, Refund
from purei.search.tests.factories import public_product
from purei.settlement.services import (
    order_lines_cancel,
    order_refund,
    payment_start,
)

pytestmark = pytest.mark.django_db

GOOD_CARD = CardDetails(card_number="4242 4242 4242 4242", expiry="12/34", cvc="123")
AUCKLAND = Address(
    country="NZ",
    line1="12 Queen Street",
    suburb="Grey Lynn",
    town="Auckland",
    postcode="1021",
    region="NZ-AUK",
)
SYDNEY = Address(
    country="AU", line1="1 George St", town="Sydney", postcode="2000", state="NSW"
)
BANK = {"bank_account": "01-0902-0068389-000", "bank_account_name": "The Maker"}


@pytest.fixture(autouse=True)
def _test_gateway(settings: Any) -> None:
    settings.PAYMENTS_TEST_GATEWAY = True


@pytest.fixture
def cluster() -> Cluster:
    cluster = ClusterFactory.create(
        slug="kai-collective",
        name_en="Kai Collective",
        lead_org_name="Kai Growers Trust",
        lead_org_address="1 Market Lane, Nelson 7010",
        commission_rate=Decimal("10.00"),
    )
    policy = ShippingPolicy.objects.create(cluster=cluster)
    for zone, price in [(Zone.NORTH_ISLAND, 850), (Zone.AUSTRALIA, 3500)]:
        ShippingRate.objects.create(
            policy=policy, zone=zone, max_weight_grams=25_000, price_cents=price
        )
    return cluster


def _member(cluster: Cluster, slug: str, *, registered: bool = True) -> Member:
    member = MemberFactory.create(
        slug=slug,
        trading_name=f"{slug.title()} Kai",
        gst_registered=registered,
        gst_number="49091850" if registered else "",
        nzbn="9429046393921" if slug == "honey" else "",
        town="Motueka",
        **BANK,
    )
    Membership.objects.create(
        member=member, cluster=cluster, status=Membership.Status.APPROVED
    )
    return member


@pytest.fixture
def honey(cluster: Cluster) -> Member:
    return _member(cluster, "honey")


@pytest.fixture
def potter(cluster: Cluster) -> Member:
    return _member(cluster, "potter", registered=False)


def _variant(cluster: Cluster, member: Member, price: int, title: str) -> Variant:
    product = public_product(cluster, member=member, title_en=title)
    variant = Variant.objects.get(product=product)
    variant.price_cents = price
    variant.stock = 100
    variant.weight_grams = 500
    variant.save()
    return variant


def _buy(
    cluster: Cluster,
    *items: tuple[Variant, int],
    address: Address = AUCKLAND,
    user: Any = None,
) -> Order:
    """Check out ``items`` and pay with the test card (the hook issues invoices)."""
    cart = cart_get_or_create(cluster=cluster, user=None, session_key=uuid.uuid4().hex)
    for variant, quantity in items:
        cart_add(cart=cart, variant_id=variant.pk, quantity=quantity)
    order = order_place(
        cart=cart,
        user=user,
        details=CheckoutDetails(
            email="aroha@example.nz",
            name="Aroha Te Wake",
            payment_method="test",
            idempotency_key=uuid.uuid4().hex,
            address=address,
        ),
    )
    payment, _result = payment_start(order=order, gateway_name="test", card=GOOD_CARD)
    assert payment.status == Payment.Status.SUCCEEDED
    order.refresh_from_db()
    return order


def _invoice(order: Order, member: Member) -> Invoice:
    invoice = invoice_for_fulfilment(order.fulfilments.get(member=member))
    assert invoice is not None
    return invoice


def _html(invoice: Invoice) -> str:
    return render_to_string(
        "ledger/invoice_document.html", {"doc": invoice_document(invoice)}
    )


def _owner(member: Member) -> Actor:
    user = UserFactory.create(email=f"owner@{member.slug}.nz")
    MemberRole.objects.create(user=user, member=member, role=MemberRole.Role.OWNER)
    return Actor(user=user)


def _admin(cluster: Cluster) -> Actor:
    from purei.accounts.models import ClusterRole

    user = UserFactory.create(email=f"admin@{cluster.slug}.nz")
    ClusterRole.objects.create(user=user, cluster=cluster, role=ClusterRole.Role.ADMIN)
    return Actor(user=user)


# --- Bands ------------------------------------------------------------------------


def test_bands_follow_the_taxable_supply_thresholds() -> None:
    assert band_for(20_000) == Invoice.Band.LOW  # exactly $200
    assert band_for(20_001) == Invoice.Band.MIDDLE
    assert band_for(100_000) == Invoice.Band.MIDDLE  # exactly $1,000
    assert band_for(100_001) == Invoice.Band.HIGH


def test_an_order_of_180_dollars_gets_a_low_band_tax_invoice(
    cluster: Cluster, honey: Member
) -> None:
    # given: $171.50 of honey + $8.50 shipping = $180.00
    #   GST: 17150 x 3/23 = 2236.96 → 2237; shipping 111; together 2348
    jar = _variant(cluster, honey, 17_150, "Mānuka honey")
    # when
    order = _buy(cluster, (jar, 1))
    # then
    invoice = _invoice(order, honey)
    fulfilment = order.fulfilments.get(member=honey)
    assert invoice.kind == Invoice.Kind.TAX_INVOICE
    assert invoice.band == Invoice.Band.LOW
    assert (invoice.total_cents, invoice.gst_cents) == (18_000, 2348)
    assert invoice.gst_cents == fulfilment.gst_cents
    assert invoice.number == "HONEY-INV-000001"
    assert invoice.member == honey
    assert invoice.agent_name == "Kai Collective"
    assert (invoice.supplier_name, invoice.supplier_gst_number) == (
        "Honey Kai",
        "49091850",
    )
    assert invoice.supplier_nzbn == "9429046393921"
    lines = [
        (line.kind, line.description, line.quantity, line.total_cents, line.gst_cents)
        for line in invoice.lines.all()
    ]
    assert lines == [
        (InvoiceLine.Kind.GOODS, "Mānuka honey", 1, 17_150, 2237),
        (InvoiceLine.Kind.SHIPPING, "Shipping", 1, 850, 111),
    ]
    # the recipient is kept, though a low-band document need not show it
    assert invoice.recipient_name == "Aroha Te Wake"
    assert "12 Queen Street" in invoice.recipient_address
    doc = invoice_document(invoice)
    assert (doc.show_gst_number, doc.show_gst, doc.show_recipient) == (
        False,
        False,
        False,
    )
    html = _html(invoice)
    assert "Tax invoice" in html
    assert "Honey Kai" in html
    assert "Mānuka honey" in html
    assert "$180.00" in html
    assert "49091850" not in html
    assert "Aroha Te Wake" not in html
    assert "Issued by Kai Collective as agent for Honey Kai." in html


def test_an_order_of_450_dollars_shows_gst_number_and_all_three_amounts(
    cluster: Cluster, honey: Member
) -> None:
    # given: $441.50 + $8.50 = $450.00
    #   GST: 44150 x 3/23 = 5758.70 → 5759; + 111 = 5870; excluding GST 39130
    jar = _variant(cluster, honey, 44_150, "Honey hamper")
    # when
    order = _buy(cluster, (jar, 1))
    # then
    invoice = _invoice(order, honey)
    assert invoice.band == Invoice.Band.MIDDLE
    assert (invoice.total_cents, invoice.gst_cents) == (45_000, 5870)
    assert invoice.excl_gst_cents == 39_130
    doc = invoice_document(invoice)
    assert (doc.show_gst_number, doc.show_gst, doc.show_recipient) == (
        True,
        True,
        False,
    )
    html = _html(invoice)
    assert "49091850" in html
    assert "$391.30" in html  # excluding GST
    assert "$58.70" in html  # GST
    assert "$450.00" in html  # including GST
    assert "Aroha Te Wake" not in html


def test_an_order_over_1000_dollars_shows_the_recipient(
    cluster: Cluster, honey: Member
) -> None:
    # given: $1,241.50 + $8.50 = $1,250.00
    #   GST: 124150 x 3/23 = 16193.48 → 16193; + 111 = 16304
    jar = _variant(cluster, honey, 124_150, "A year of honey")
    # when
    order = _buy(cluster, (jar, 1))
    # then
    invoice = _invoice(order, honey)
    assert invoice.band == Invoice.Band.HIGH
    assert (invoice.total_cents, invoice.gst_cents) == (125_000, 16_304)
    assert invoice_document(invoice).show_recipient
    html = _html(invoice)
    assert "Aroha Te Wake" in html
    assert "12 Queen Street" in html
    assert "aroha@example.nz" in html
    assert "$1,250.00" in html
    assert "$163.04" in html


def test_a_supplier_not_registered_for_gst_issues_an_invoice_without_gst(
    cluster: Cluster, potter: Member
) -> None:
    # given: a $300 bowl + $8.50 shipping = $308.50 (middle band), no GST at all
    bowl = _variant(cluster, potter, 30_000, "Bowl")
    # when
    order = _buy(cluster, (bowl, 1))
    # then
    invoice = _invoice(order, potter)
    assert invoice.kind == Invoice.Kind.INVOICE
    assert (invoice.total_cents, invoice.gst_cents) == (30_850, 0)
    assert invoice.supplier_gst_number == ""
    assert not invoice.gst_registered
    assert all(line.gst_cents == 0 for line in invoice.lines.all())
    html = _html(invoice)
    assert ">Invoice<" in html
    assert "Tax invoice" not in html
    assert "GST" not in html
    assert "$308.50" in html


def test_a_zero_rated_export_has_no_gst_and_says_so(
    cluster: Cluster, honey: Member
) -> None:
    # given: exported, the price is without its GST: 17150 - 2237 = 14913;
    #   shipping to Australia 3500 - 457 = 3043; total 17956, GST 0
    jar = _variant(cluster, honey, 17_150, "Mānuka honey")
    # when
    order = _buy(cluster, (jar, 1), address=SYDNEY)
    # then
    assert order.zero_rated
    invoice = _invoice(order, honey)
    assert invoice.kind == Invoice.Kind.TAX_INVOICE
    assert invoice.zero_rated
    assert (invoice.total_cents, invoice.gst_cents) == (17_956, 0)
    assert "Zero-rated export" in _html(invoice)


def test_in_a_reseller_cluster_the_lead_organisation_supplies(
    cluster: Cluster, honey: Member
) -> None:
    # given
    Cluster.objects.filter(pk=cluster.pk).update(
        selling_model=SellingModel.RESELLER,
        lead_org_gst_registered=True,
        lead_org_gst_number="123456788",
    )
    cluster.refresh_from_db()  # checkout records who sells from the cluster
    jar = _variant(cluster, honey, 17_150, "Mānuka honey")
    # when
    order = _buy(cluster, (jar, 1))
    # then: the same GST as the member's would be (2237 + 111)
    invoice = _invoice(order, honey)
    assert invoice.member is None
    assert invoice.number == "KAI-COLLECTIVE-INV-000001"
    assert invoice.supplier_name == "Kai Growers Trust"
    assert invoice.supplier_gst_number == "123456788"
    assert invoice.supplier_address == "1 Market Lane, Nelson 7010"
    assert invoice.agent_name == ""
    assert (invoice.total_cents, invoice.gst_cents) == (18_000, 2348)
    assert invoice.gst_cents == order.fulfilments.get(member=honey).gst_cents
    assert InvoiceSequence.objects.filter(cluster=cluster, member=None).exists()


def test_numbers_run_in_each_members_own_series(
    cluster: Cluster, honey: Member, potter: Member
) -> None:
    # given
    jar = _variant(cluster, honey, 1000, "Honey")
    bowl = _variant(cluster, potter, 2000, "Bowl")
    # when: honey, potter, both, potter, honey
    orders = [
        _buy(cluster, (jar, 1)),
        _buy(cluster, (bowl, 1)),
        _buy(cluster, (jar, 1), (bowl, 1)),
        _buy(cluster, (bowl, 1)),
        _buy(cluster, (jar, 1)),
    ]
    # then
    honey_numbers = list(
        Invoice.objects.filter(member=honey)
        .order_by("pk")
        .values_list("sequence", "number", "order_id")
    )
    potter_numbers = list(
        Invoice.objects.filter(member=potter)
        .order_by("pk")
        .values_list("sequence", "number", "order_id")
    )
    assert honey_numbers == [
        (1, "HONEY-INV-000001", orders[0].pk),
        (2, "HONEY-INV-000002", orders[2].pk),
        (3, "HONEY-INV-000003", orders[4].pk),
    ]
    assert potter_numbers == [
        (1, "POTTER-INV-000001", orders[1].pk),
        (2, "POTTER-INV-000002", orders[2].pk),
        (3, "POTTER-INV-000003", orders[3].pk),
    ]


def test_issuing_again_for_the_same_payment_issues_nothing(
    cluster: Cluster, honey: Member
) -> None:
    # given
    order = _buy(cluster, (_variant(cluster, honey, 1000, "Honey"), 1))
    payment = Payment.objects.get(order=order)
    # when
    again = invoices_issue_for_payment(payment)
    # then
    assert again == []
    assert Invoice.objects.filter(order=order).count() == 1
    assert InvoiceSequence.objects.get(member=honey).next_number == 2


# --- Credit notes -----------------------------------------------------------------


def test_cancelling_one_item_issues_a_credit_note_with_the_exact_gst_change(
    cluster: Cluster, honey: Member
) -> None:
    # given: 3 x $10.75 = $32.25, GST 3225 x 3/23 = 420.65 → 421
    jar = _variant(cluster, honey, 1075, "Honey pot")
    balm = _variant(cluster, honey, 2000, "Kawakawa balm")
    order = _buy(cluster, (jar, 3), (balm, 1))
    invoice = _invoice(order, honey)
    line = order.lines.get(title="Honey pot")
    # when: one pot is cancelled: 2 x $10.75 = $21.50, GST 2150 x 3/23 = 280.43
    #   → 280, so the GST falls by 421 - 280 = 141 (not 1075 x 3/23 → 140)
    outcome = order_lines_cancel(
        actor=_owner(honey),
        fulfilment=order.fulfilments.get(member=honey),
        quantities={line.pk: 1},
        reason="Jar broke in the shed",
    )
    # then
    assert outcome.refund is not None
    assert outcome.refund.amount_cents == 1075
    note = Invoice.objects.get(kind=Invoice.Kind.CREDIT_NOTE)
    assert note.corrects == invoice
    assert note.refund == outcome.refund
    assert note.number == "HONEY-CN-000001"
    assert (note.total_cents, note.gst_cents) == (1075, 141)
    assert [
        (n.kind, n.order_line_id, n.quantity, n.total_cents, n.gst_cents)
        for n in note.lines.all()
    ] == [(InvoiceLine.Kind.GOODS, line.pk, 1, 1075, 141)]
    # what the invoice less the note covers is what the order now says
    fulfilment = order.fulfilments.get(member=honey)
    assert invoice.gst_cents - note.gst_cents == fulfilment.gst_cents
    doc = invoice_document(note)
    assert doc.show_gst_number
    assert doc.show_gst
    html = _html(note)
    assert "Credit note" in html
    assert invoice.number in html
    assert "49091850" in html
    assert "Change in GST" in html
    assert "-$1.41" in html
    assert "Jar broke in the shed" in html


def test_a_goodwill_refund_is_split_across_the_members_it_came_from(
    cluster: Cluster, honey: Member, potter: Member
) -> None:
    # given: honey's part $51.50 + $8.50 = $60.00, the potter's $21.50 + $8.50
    #   = $30.00 (not registered)
    jar = _variant(cluster, honey, 5150, "Honey")
    cup = _variant(cluster, potter, 2150, "Cup")
    order = _buy(cluster, (jar, 1), (cup, 1))
    # when: $10 back for a late delivery: 1000 x 6000/9000 = 666.67 and
    #   1000 x 3000/9000 = 333.33 → 666 + 333, the cent left goes to the larger
    #   remainder (honey): 667 and 333
    refund = order_refund(
        actor=_admin(cluster),
        order=order,
        amount_cents=1000,
        reason="Late delivery",
    )
    # then
    notes = {
        n.member_id: n
        for n in Invoice.objects.filter(refund=refund, kind=Invoice.Kind.CREDIT_NOTE)
    }
    assert set(notes) == {honey.pk, potter.pk}
    honey_note, potter_note = notes[honey.pk], notes[potter.pk]
    # GST in 667: 667 x 3/23 = 87.0 → 87; the potter charges none
    assert (honey_note.total_cents, honey_note.gst_cents) == (667, 87)
    assert (potter_note.total_cents, potter_note.gst_cents) == (333, 0)
    assert honey_note.corrects == _invoice(order, honey)
    assert potter_note.corrects == _invoice(order, potter)
    assert [line.description for line in honey_note.lines.all()] == [
        "Refund: Late delivery"
    ]
    assert potter_note.number == "POTTER-CN-000001"
    # again: nothing more
    assert credit_notes_issue_for_refund(refund) == []
    assert Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).count() == 2


def test_an_automatic_refund_gets_no_credit_note(
    cluster: Cluster, honey: Member
) -> None:
    # given
    order = _buy(cluster, (_variant(cluster, honey, 1000, "Honey"), 1))
    payment = Payment.objects.get(order=order)
    refund = Refund.objects.create(
        payment=payment,
        amount_cents=500,
        reason="Paid twice",
        automatic=True,
        status=Refund.Status.SUCCEEDED,
    )
    # when
    notes = credit_notes_issue_for_refund(refund)
    # then
    assert notes == []
    assert not Invoice.objects.filter(kind=Invoice.Kind.CREDIT_NOTE).exists()


def test_largest_remainder_always_adds_up() -> None:
    assert largest_remainder(1000, [6000, 3000]) == [667, 333]
    assert largest_remainder(100, [1, 1, 1]) == [34, 33, 33]
    assert largest_remainder(5, [0, 10]) == [0, 5]
    assert largest_remainder(0, [0, 0]) == [0, 0]
    with pytest.raises(ValueError, match="no weight"):
        largest_remainder(5, [0, 0])


# --- Commission invoices ----------------------------------------------------------


def _ship_and_pay_out(cluster: Cluster, member: Member, order: Order) -> Any:
    fulfilment_advance(
        actor=_owner(member),
        fulfilment=order.fulfilments.get(member=member),
        to=Fulfilment.Status.SHIPPED,
        carrier="NZ Post",
    )
    run = payout_run(
        actor=_admin(cluster),
        cluster=cluster,
        until=timezone.now() + dt.timedelta(minutes=1),
    )
    return run.payouts.get(member=member)


def test_commission_invoice_with_gst_when_the_lead_organisation_is_registered(
    cluster: Cluster, honey: Member
) -> None:
    # given: 10 % commission on the honey excluding GST: 17150 - 2237 = 14913
    #   → 1491.3 → 1491; GST on it 1491 x 15 % = 223.65 → 224; total 1715
    Cluster.objects.filter(pk=cluster.pk).update(
        lead_org_gst_registered=True, lead_org_gst_number="123456788"
    )
    cluster.refresh_from_db()
    order = _buy(cluster, (_variant(cluster, honey, 17_150, "Mānuka honey"), 1))
    # when: the payout run issues it
    payout = _ship_and_pay_out(cluster, honey, order)
    # then
    invoice = Invoice.objects.get(payout=payout)
    assert invoice.kind == Invoice.Kind.COMMISSION
    assert invoice.member is None
    assert invoice.number == "KAI-COLLECTIVE-COM-000001"
    assert invoice.supplier_name == "Kai Growers Trust"
    assert invoice.recipient_name == honey.legal_name
    assert invoice.recipient_gst_number == "49091850"
    assert (invoice.total_cents, invoice.gst_cents) == (1715, 224)
    assert [
        (line.description, line.total_cents, line.gst_cents)
        for line in invoice.lines.all()
    ] == [(f"Commission on order {order.number}", 1715, 224)]
    assert commission_invoice_for_payout(payout) == invoice  # idempotent
    html = _html(invoice)
    assert "Commission invoice" in html
    assert "123456788" in html
    assert honey.legal_name in html


def test_commission_invoice_without_gst_when_the_lead_organisation_is_not(
    cluster: Cluster, potter: Member
) -> None:
    # given: the potter charges no GST, so the base is the whole $300:
    #   10 % = 3000; no GST on commission
    order = _buy(cluster, (_variant(cluster, potter, 30_000, "Bowl"), 1))
    # when
    payout = _ship_and_pay_out(cluster, potter, order)
    # then
    invoice = Invoice.objects.get(payout=payout)
    assert invoice.kind == Invoice.Kind.COMMISSION
    assert not invoice.gst_registered
    assert (invoice.total_cents, invoice.gst_cents) == (3000, 0)
    assert "GST" not in _html(invoice)


def test_no_commission_means_no_commission_invoice(
    cluster: Cluster, honey: Member
) -> None:
    # given
    Cluster.objects.filter(pk=cluster.pk).update(commission_rate=Decimal("0"))
    cluster.refresh_from_db()
    order = _buy(cluster, (_variant(cluster, honey, 5000, "Honey"), 1))
    # when
    payout = _ship_and_pay_out(cluster, honey, order)
    # then
    assert commission_invoice_for_payout(payout) is None
    assert not Invoice.objects.filter(kind=Invoice.Kind.COMMISSION).exists()


# --- Who may see them -------------------------------------------------------------


def test_who_may_see_an_invoice(
    cluster: Cluster,
    honey: Member,
    potter: Member,
    customer: Actor,
    platform_staff: Actor,
    cluster_y_admin: Actor,
    anonymous: Actor,
) -> None:
    # given: the customer's own order
    jar = _variant(cluster, honey, 1000, "Honey")
    order = _buy(cluster, (jar, 1), user=customer.user)
    invoice = _invoice(order, honey)
    someone = Actor(user=UserFactory.create(email="someone@example.nz"))
    # then
    allowed = [customer, _owner(honey), _admin(cluster), platform_staff]
    refused = [_owner(potter), cluster_y_admin, someone, anonymous]
    assert [invoice_can_view(actor, invoice) for actor in allowed] == [True] * 4
    assert [invoice_can_view(actor, invoice) for actor in refused] == [False] * 4
    for actor in allowed:
        assert list(invoices_visible_to(actor)) == [invoice]
    for actor in refused:
        assert list(invoices_visible_to(actor)) == []

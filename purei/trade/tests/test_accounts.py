from dataclasses import replace
from typing import Any

import pytest
from django.core import mail

from purei.accounts.tests.factories import UserFactory
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.trade.models import TradeAccount, TradeBuyer
from purei.trade.services import (
    AddressInput,
    TradeAccountConflict,
    TradeApplication,
    TradeTermsInput,
    trade_account_apply,
    trade_account_approve,
    trade_account_decline,
    trade_account_suspend,
    trade_account_terms_set,
)
from purei.trade.tests.factories import ABN, NZBN, TradeAccountFactory

pytestmark = pytest.mark.django_db

BRISBANE = AddressInput(
    line1="1 Wharf St", city="Brisbane", region="QLD", postcode="4000", country="AU"
)
AUCKLAND = AddressInput(
    line1="12 Ponsonby Rd", city="Auckland", postcode="1011", country="NZ"
)


def application(**overrides) -> TradeApplication:
    values: dict[str, Any] = {
        "kind": "distributor",
        "legal_name": "Harbour Steel Distributors Pty Ltd",
        "trading_name": "Harbour Steel",
        "country": "AU",
        "abn": "51 824 753 556",
        "gst_registered": True,
        "currency": "AUD",
        "contact_name": "Jo Harbour",
        "contact_email": "Jo@Harbour.example.com.au",
        "delivery_address": BRISBANE,
    }
    values.update(overrides)
    return TradeApplication(**values)


@pytest.fixture
def applicant() -> Actor:
    return Actor(user=UserFactory.create(email="jo@harbour.example.com.au"))


@pytest.fixture
def applied(cluster_x) -> TradeAccount:
    return TradeAccountFactory.create(cluster=cluster_x)


# --- Applying -----------------------------------------------------------------------


def test_a_business_applies_and_its_applicant_becomes_a_trade_buyer(
    applicant, cluster_x, cluster_x_admin_user, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        account = trade_account_apply(
            actor=applicant, cluster=cluster_x, application=application()
        )
    # then
    assert account.status == TradeAccount.Status.APPLIED
    assert account.abn == ABN
    assert account.contact_email == "jo@harbour.example.com.au"
    assert account.billing_address == account.delivery_address
    assert account.delivery_address["city"] == "Brisbane"
    assert TradeBuyer.objects.get(account=account).user == applicant.user
    assert applicant.trade_account_ids == {account.pk}
    assert AuditEntry.objects.get(verb="trade_account.applied").cluster_id == (
        cluster_x.pk
    )
    assert [m.to for m in mail.outbox] == [[cluster_x_admin_user.email]]
    assert f"/manage/clusters/cluster-x/trade/accounts/{account.pk}/" in (
        mail.outbox[0].body
    )


def test_a_new_zealand_business_gives_its_nzbn_and_gst_number(applicant, cluster_x):
    # when
    account = trade_account_apply(
        actor=applicant,
        cluster=cluster_x,
        application=application(
            country="NZ",
            abn="",
            nzbn="94 2904 639 3920",
            gst_number="136-410-132",
            currency="NZD",
            delivery_address=AUCKLAND,
        ),
    )
    # then
    assert account.nzbn == NZBN
    assert account.gst_number == "136410132"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"abn": "51 824 753 557"}, "abn", "check digits"),
        ({"abn": "5182475355"}, "abn", "11 digits"),
        ({"abn": ""}, "abn", "ABN"),
        (
            {"country": "NZ", "abn": "", "delivery_address": AUCKLAND},
            "nzbn",
            "NZBN",
        ),
        (
            {"country": "NZ", "nzbn": "9429046393921", "delivery_address": AUCKLAND},
            "nzbn",
            "last digit",
        ),
        (
            {"country": "NZ", "nzbn": NZBN, "gst_number": "", "abn": ""},
            "gst_number",
            "GST number",
        ),
        ({"kind": "wholesaler"}, "kind", "kind"),
        ({"country": "XX"}, "country", "country"),
        ({"currency": "EUR"}, "currency", "NZD, AUD or USD"),
        ({"legal_name": " "}, "legal_name", "legal name"),
        ({"legal_name": "=HYPERLINK(1)"}, "legal_name", "="),
        ({"contact_email": "not-an-email"}, "contact_email", "valid email"),
        ({"contact_phone": "call me"}, "contact_phone", "digits"),
        (
            {"delivery_address": replace(BRISBANE, postcode="")},
            "delivery_address.postcode",
            "postcode",
        ),
        (
            {"billing_address": AddressInput(line1="x", city="y", postcode="1")},
            "billing_address.country",
            "country",
        ),
    ],
)
def test_an_application_is_checked_field_by_field(
    applicant, cluster_x, overrides, field, words
):
    # when
    with pytest.raises(ValidationFailed) as refused:
        trade_account_apply(
            actor=applicant, cluster=cluster_x, application=application(**overrides)
        )
    # then
    assert field in refused.value.errors
    assert words.lower() in " ".join(refused.value.errors[field]).lower()
    assert not TradeAccount.objects.exists()


def test_nobody_logged_out_applies(anonymous, cluster_x):
    # when / then
    with pytest.raises(NotPermitted):
        trade_account_apply(
            actor=anonymous, cluster=cluster_x, application=application()
        )


def test_a_cluster_not_yet_live_takes_no_application(applicant, cluster_x):
    # given
    Cluster.objects.filter(pk=cluster_x.pk).update(status=Cluster.Status.DRAFT)
    cluster_x.refresh_from_db()
    # when / then
    with pytest.raises(ValidationFailed):
        trade_account_apply(
            actor=applicant, cluster=cluster_x, application=application()
        )


def test_a_business_applies_once_per_cluster_unless_declined(
    applicant, cluster_x, cluster_y, cluster_x_admin
):
    # given
    first = trade_account_apply(
        actor=applicant, cluster=cluster_x, application=application()
    )
    # when / then: the same ABN again here is refused
    with pytest.raises(TradeAccountConflict):
        trade_account_apply(
            actor=applicant, cluster=cluster_x, application=application()
        )
    # ... but another cluster takes it
    trade_account_apply(actor=applicant, cluster=cluster_y, application=application())
    # ... and once declined, it may apply again
    trade_account_decline(actor=cluster_x_admin, account=first, reason="No stock.")
    again = trade_account_apply(
        actor=applicant, cluster=cluster_x, application=application()
    )
    assert again.pk != first.pk


# --- Deciding -----------------------------------------------------------------------


def test_an_admin_approves_with_terms_and_the_business_is_told(
    cluster_x_admin, applied, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        account = trade_account_approve(
            actor=cluster_x_admin,
            account=applied,
            terms=TradeTermsInput(
                payment_terms="twentieth",
                deposit_percent=30,
                credit_limit_cents=2_000_000,
                first_order_proforma=True,
            ),
            reason="Welcome aboard.",
        )
    # then
    assert account.status == TradeAccount.Status.APPROVED
    assert account.payment_terms == "twentieth"
    assert account.deposit_percent == 30
    assert account.credit_limit_cents == 2_000_000
    assert account.decided_by == cluster_x_admin.user
    entry = AuditEntry.objects.get(verb="trade_account.approved")
    assert entry.before["status"] == "applied"
    assert entry.after["payment_terms"] == "twentieth"
    [email] = mail.outbox
    assert email.to == [applied.contact_email]
    assert "20th of the month following" in email.body
    assert "30%" in email.body
    assert "/c/cluster-x/trade/" in email.body


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        (TradeTermsInput(payment_terms="net_days"), "terms_days"),
        (TradeTermsInput(payment_terms="net_days", terms_days=400), "terms_days"),
        (TradeTermsInput(payment_terms="net_60"), "payment_terms"),
        (TradeTermsInput(deposit_percent=101), "deposit_percent"),
        (TradeTermsInput(credit_limit_cents=-1), "credit_limit_cents"),
    ],
)
def test_terms_are_checked(cluster_x_admin, applied, terms, field):
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        trade_account_approve(actor=cluster_x_admin, account=applied, terms=terms)
    assert field in refused.value.errors
    applied.refresh_from_db()
    assert applied.status == TradeAccount.Status.APPLIED


def test_terms_of_days_keep_the_days_and_others_drop_them(cluster_x_admin, applied):
    # given
    account = trade_account_approve(
        actor=cluster_x_admin,
        account=applied,
        terms=TradeTermsInput(payment_terms="net_days", terms_days=45),
    )
    assert account.terms_days == 45
    # when
    account = trade_account_terms_set(
        actor=cluster_x_admin,
        account=account,
        terms=TradeTermsInput(payment_terms="net_7", terms_days=45),
    )
    # then
    assert account.payment_terms == "net_7"
    assert account.terms_days is None
    assert AuditEntry.objects.filter(verb="trade_account.terms_changed").count() == 1


def test_declining_and_suspending_need_a_reason(cluster_x_admin, applied):
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        trade_account_decline(actor=cluster_x_admin, account=applied, reason=" ")
    assert "reason" in refused.value.errors
    approved = trade_account_approve(
        actor=cluster_x_admin, account=applied, terms=TradeTermsInput()
    )
    with pytest.raises(ValidationFailed):
        trade_account_suspend(actor=cluster_x_admin, account=approved, reason="")


def test_moves_follow_the_status(
    cluster_x_admin, applied, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        declined = trade_account_decline(
            actor=cluster_x_admin, account=applied, reason="Outside our market."
        )
    # then
    assert "Outside our market." in mail.outbox[-1].body
    with pytest.raises(TradeAccountConflict):
        trade_account_approve(
            actor=cluster_x_admin, account=declined, terms=TradeTermsInput()
        )
    with pytest.raises(TradeAccountConflict):
        trade_account_suspend(actor=cluster_x_admin, account=declined, reason="x")
    with pytest.raises(TradeAccountConflict):
        trade_account_terms_set(
            actor=cluster_x_admin, account=declined, terms=TradeTermsInput()
        )


def test_a_suspended_account_is_reinstated_by_approving_it(cluster_x_admin, applied):
    # given
    approved = trade_account_approve(
        actor=cluster_x_admin, account=applied, terms=TradeTermsInput()
    )
    suspended = trade_account_suspend(
        actor=cluster_x_admin, account=approved, reason="Overdue invoices."
    )
    # when
    again = trade_account_approve(
        actor=cluster_x_admin, account=suspended, terms=TradeTermsInput()
    )
    # then
    assert again.status == TradeAccount.Status.APPROVED


@pytest.mark.parametrize(
    "who",
    ["cluster_y_admin", "member_a_owner", "platform_staff", "customer", "anonymous"],
)
def test_only_the_clusters_admins_decide(who, request, applied):
    # given
    actor = request.getfixturevalue(who)
    # when / then
    for decide in (
        lambda: trade_account_approve(
            actor=actor, account=applied, terms=TradeTermsInput()
        ),
        lambda: trade_account_decline(actor=actor, account=applied, reason="x"),
        lambda: trade_account_terms_set(
            actor=actor, account=applied, terms=TradeTermsInput()
        ),
    ):
        with pytest.raises(NotPermitted):
            decide()
    applied.refresh_from_db()
    assert applied.status == TradeAccount.Status.APPLIED
    assert not AuditEntry.objects.exists()

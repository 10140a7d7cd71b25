import pytest
from django.core import mail
from django.test import Client

from purei.accounts.tests.factories import UserFactory
from purei.trade.models import ExchangeRate, TradeAccount
from purei.trade.tests.factories import TradeAccountFactory

pytestmark = pytest.mark.django_db

HOME = "/c/cluster-x/trade/"
APPLY = "/c/cluster-x/trade/apply/"


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def application_post(**overrides):
    data = {
        "legal_name": "Harbour Steel Distributors Pty Ltd",
        "trading_name": "Harbour Steel",
        "kind": "distributor",
        "country": "AU",
        "abn": "51 824 753 556",
        "gst_registered": "on",
        "currency": "AUD",
        "contact_name": "Jo Harbour",
        "contact_email": "jo@harbour.example.com.au",
        "delivery_line1": "1 Wharf St",
        "delivery_city": "Brisbane",
        "delivery_region": "QLD",
        "delivery_postcode": "4000",
        "delivery_country": "AU",
        "billing_same": "on",
        "billing_country": "AU",
    }
    data.update(overrides)
    return data


def test_the_trade_page_invites_a_visitor_to_log_in_and_apply(cluster_x):
    # when
    body = client_for().get(HOME).content.decode()
    # then
    assert "Log in to trade" in body
    assert APPLY in body


def test_applying_needs_a_login(cluster_x):
    # when
    response = client_for().get(APPLY)
    # then
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_business_applies_on_the_web(
    cluster_x, cluster_x_admin_user, django_capture_on_commit_callbacks
):
    # given
    user = UserFactory.create(email="jo@harbour.example.com.au")
    client = client_for(user)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, application_post())
    # then
    assert response.status_code == 302
    assert response["Location"] == HOME
    account = TradeAccount.objects.get()
    assert account.abn == "51824753556"
    assert account.buyers.get().user == user
    assert mail.outbox[0].to == [cluster_x_admin_user.email]
    body = client.get(HOME).content.decode()
    assert "Harbour Steel" in body
    assert "Applied" in body
    # and applying again sends them back to the page
    assert client.get(APPLY)["Location"] == HOME


def test_a_refused_application_shows_each_problem_beside_its_field(cluster_x):
    # given
    client = client_for(UserFactory.create())
    # when: a field left empty
    missing = client.post(APPLY, application_post(delivery_postcode=""))
    # then
    assert missing.status_code == 422
    assert 'href="#id_delivery_postcode"' in missing.content.decode()
    # when: what the service refuses (a wrong ABN, a billing address half given)
    response = client.post(
        APPLY,
        application_post(abn="51 824 753 557", billing_same="", billing_line1=""),
    )
    # then
    assert response.status_code == 422
    body = response.content.decode()
    assert "check digits" in body
    assert 'href="#id_abn"' in body
    assert 'href="#id_billing_line1"' in body
    assert not TradeAccount.objects.exists()


def test_an_approved_buyer_sees_its_terms_and_rate(trade_buyer_user, cluster_x):
    # given
    account = TradeAccount.objects.get(buyers__user=trade_buyer_user)
    TradeAccount.objects.filter(pk=account.pk).update(
        payment_terms="twentieth", deposit_percent=30
    )
    ExchangeRate.objects.create(
        cluster=cluster_x,
        currency="AUD",
        rate="0.9125",
        source="RBNZ",
        as_of="2026-12-04T16:00:00+13:00",
    )
    # when
    body = client_for(trade_buyer_user).get(HOME).content.decode()
    # then
    assert "20th of the month following" in body
    assert "30% when you accept a quote" in body
    assert "NZ$1 = 0.912500 AUD" in body


def test_the_admin_lists_and_approves_an_application(
    cluster_x, cluster_x_admin_user, django_assert_max_num_queries
):
    # given
    pending = TradeAccountFactory.create(cluster=cluster_x, legal_name="Pending Ltd")
    TradeAccountFactory.create_batch(5, cluster=cluster_x, abn="")
    client = client_for(cluster_x_admin_user)
    # when
    with django_assert_max_num_queries(12):
        listing = client.get("/manage/clusters/cluster-x/trade/?status=applied")
    # then
    assert "Pending Ltd" in listing.content.decode()
    page = f"/manage/clusters/cluster-x/trade/accounts/{pending.pk}/"
    assert "Approve with terms" in client.get(page).content.decode()
    # when
    response = client.post(
        page,
        {
            "action": "approve",
            "approve-payment_terms": "net_days",
            "approve-terms_days": "30",
            "approve-deposit_percent": "20",
            "approve-credit_limit": "5,000",
            "approve-first_order_proforma": "on",
        },
    )
    # then
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == TradeAccount.Status.APPROVED
    assert pending.terms_days == 30
    assert pending.credit_limit_cents == 500_000


def test_the_admin_must_give_a_reason_to_decline(cluster_x, cluster_x_admin_user):
    # given
    pending = TradeAccountFactory.create(cluster=cluster_x)
    page = f"/manage/clusters/cluster-x/trade/accounts/{pending.pk}/"
    # when
    response = client_for(cluster_x_admin_user).post(
        page, {"action": "decline", "decline-reason": ""}
    )
    # then
    assert response.status_code == 422
    pending.refresh_from_db()
    assert pending.status == TradeAccount.Status.APPLIED


def test_net_days_without_days_is_refused_beside_the_field(
    cluster_x, cluster_x_admin_user
):
    # given
    pending = TradeAccountFactory.create(cluster=cluster_x)
    page = f"/manage/clusters/cluster-x/trade/accounts/{pending.pk}/"
    # when
    response = client_for(cluster_x_admin_user).post(
        page,
        {
            "action": "approve",
            "approve-payment_terms": "net_days",
            "approve-deposit_percent": "0",
        },
    )
    # then
    assert response.status_code == 422
    assert "number of days to pay" in response.content.decode()


def test_the_admin_records_a_rate_and_the_minimum_first_order(
    cluster_x, cluster_x_admin_user
):
    # given
    client = client_for(cluster_x_admin_user)
    page = "/manage/clusters/cluster-x/trade/settings/"
    # when
    refused = client.post(
        page,
        {
            "action": "rate",
            "rate-currency": "AUD",
            "rate-rate": "lots",
            "rate-source": "RBNZ",
        },
    )
    done = client.post(
        page,
        {
            "action": "rate",
            "rate-currency": "AUD",
            "rate-rate": "0.9125",
            "rate-source": "RBNZ",
        },
    )
    minimum = client.post(
        page, {"action": "settings", "settings-min_first_order": "800"}
    )
    # then
    assert refused.status_code == 422
    assert done.status_code == 302
    assert minimum.status_code == 302
    body = client.get(page).content.decode()
    assert "0.912500" in body
    public = client_for().get(HOME).content.decode()
    assert "$800.00" in public

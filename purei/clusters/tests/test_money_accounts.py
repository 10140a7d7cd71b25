"""cluster_money_accounts_update and the money accounts screen: a cluster's own
bank and Stripe accounts, its secrets kept encrypted and never shown, and the
platform fee (docs/adr/0021-cluster-money-accounts.md)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from purei.accounts.models import User
from purei.accounts.tests.factories import UserFactory
from purei.clusters.models import Cluster, ClusterMoneyAccounts, StripeMode
from purei.clusters.money_accounts import (
    MoneyAccountsChanges,
    cluster_gateway_account,
    cluster_money_accounts_update,
    cluster_webhook_route,
    gateway_account_for_key,
    payout_source_account,
    platform_fee_cents,
)
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SECRET_KEY = "sk_test_51ClusterXSecretKeyNeverShownAbCd"
WEBHOOK_SECRET = "whsec_ClusterXSigningSecretNeverShownWxYz"
PUBLISHABLE = "pk_test_51ClusterXPublishable0001"
BANK = "08-6523-1954512-001"  # IRD specification example (algorithm D)
URL = "/manage/clusters/{slug}/money-accounts/"


def own_keys(**more: Any) -> MoneyAccountsChanges:
    return MoneyAccountsChanges(
        **{
            "bank_account_name": "Cluster X Trust",
            "bank_account_number": BANK,
            "stripe_mode": StripeMode.OWN_KEYS,
            "stripe_publishable_key": PUBLISHABLE,
            "stripe_secret_key": SECRET_KEY,
            "stripe_webhook_secret": WEBHOOK_SECRET,
        }
        | more
    )


# --- The service -------------------------------------------------------------------


def test_own_keys_are_stored_encrypted_and_used_decrypted(
    cluster_x: Cluster, cluster_x_admin: Actor
) -> None:
    # when
    row = cluster_money_accounts_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=own_keys()
    )
    # then the columns hold no secret, only ciphertext and the last four
    stored = ClusterMoneyAccounts.objects.values().get(pk=row.pk)
    assert SECRET_KEY not in str(stored)
    assert WEBHOOK_SECRET not in str(stored)
    assert (row.stripe_secret_key_last4, row.stripe_webhook_secret_last4) == (
        "AbCd",
        "WxYz",
    )
    # and the gateways get the decrypted key, in memory
    account = cluster_gateway_account(cluster_id=cluster_x.pk)
    assert account.stripe_secret_key == SECRET_KEY
    assert account.key == f"cluster:{cluster_x.pk}"
    assert account.bank_account_number == BANK
    assert SECRET_KEY not in repr(account)
    assert gateway_account_for_key(account.key).stripe_secret_key == SECRET_KEY
    assert cluster_webhook_route(slug=cluster_x.slug).secrets == (WEBHOOK_SECRET,)
    assert WEBHOOK_SECRET not in repr(cluster_webhook_route(slug=cluster_x.slug))


def test_empty_secret_fields_keep_the_stored_ones(
    cluster_x: Cluster, cluster_x_admin: Actor
) -> None:
    # given
    cluster_money_accounts_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=own_keys()
    )
    # when the form is sent again without the secrets
    cluster_money_accounts_update(
        actor=cluster_x_admin,
        cluster=cluster_x,
        changes=own_keys(stripe_secret_key="", stripe_webhook_secret=""),
    )
    # then
    assert cluster_gateway_account(cluster_id=cluster_x.pk).stripe_secret_key == (
        SECRET_KEY
    )


def test_keys_rotate_under_a_new_encryption_key(
    cluster_x: Cluster, cluster_x_admin: Actor, settings: Any
) -> None:
    # given stored under the old key
    settings.SECRETS_KEYS = ["old-key-material-0123456789"]
    cluster_money_accounts_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=own_keys()
    )
    # when a new key is put first, the old one still opens it
    settings.SECRETS_KEYS = [
        "new-key-material-9876543210",
        "old-key-material-0123456789",
    ]
    # then
    assert cluster_gateway_account(cluster_id=cluster_x.pk).stripe_secret_key == (
        SECRET_KEY
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (own_keys(bank_account_number="01-0242-0100195-00"), "bank_account_number"),
        (own_keys(bank_account_name=""), "bank_account_name"),
        (
            own_keys(stripe_publishable_key="sk_test_wrongbox12345"),
            "stripe_publishable_key",
        ),
        (own_keys(stripe_secret_key="pk_test_notasecret12345"), "stripe_secret_key"),
        (own_keys(stripe_webhook_secret="secret12345678"), "stripe_webhook_secret"),
        (
            MoneyAccountsChanges(
                stripe_mode=StripeMode.CONNECT, stripe_account_id="x1"
            ),
            "stripe_account_id",
        ),
        (MoneyAccountsChanges(stripe_mode="elsewhere"), "stripe_mode"),
    ],
)
def test_refuses_what_breaks_a_rule_and_changes_nothing(
    cluster_x: Cluster,
    cluster_x_admin: Actor,
    changes: MoneyAccountsChanges,
    field: str,
) -> None:
    # when
    with pytest.raises(ValidationFailed) as refused:
        cluster_money_accounts_update(
            actor=cluster_x_admin, cluster=cluster_x, changes=changes
        )
    # then
    assert field in refused.value.errors
    assert not ClusterMoneyAccounts.objects.exists()
    assert not AuditEntry.objects.exists()


def test_connect_account_carries_the_platform_fee_as_application_fee(
    cluster_x: Cluster, platform_staff: Actor
) -> None:
    # given
    cluster_money_accounts_update(
        actor=platform_staff,
        cluster=cluster_x,
        changes=MoneyAccountsChanges(
            stripe_mode=StripeMode.CONNECT,
            stripe_account_id="acct_1ClusterXConnected",
            platform_fee_bps=150,
            platform_fee_fixed_cents=20,
        ),
    )
    # when
    account = cluster_gateway_account(cluster_id=cluster_x.pk, order_total_cents=5000)
    # then 1.5 % of $50.00 = 75 cents, + 20
    assert account.stripe_account == "acct_1ClusterXConnected"
    assert account.key == "connect:acct_1ClusterXConnected"
    assert account.application_fee_cents == 95
    assert account.stripe_secret_key == ""


def test_only_platform_staff_change_the_platform_fee(
    cluster_x: Cluster, cluster_x_admin: Actor
) -> None:
    with pytest.raises(NotPermitted):
        cluster_money_accounts_update(
            actor=cluster_x_admin,
            cluster=cluster_x,
            changes=MoneyAccountsChanges(
                platform_fee_bps=0, platform_fee_fixed_cents=1
            ),
        )
    assert not ClusterMoneyAccounts.objects.exists()


def test_another_clusters_admin_is_refused(
    cluster_x: Cluster, cluster_y_admin: Actor
) -> None:
    with pytest.raises(NotPermitted):
        cluster_money_accounts_update(
            actor=cluster_y_admin, cluster=cluster_x, changes=own_keys()
        )
    assert not ClusterMoneyAccounts.objects.exists()


@pytest.mark.parametrize(
    ("total", "bps", "fixed", "fee"),
    [
        (10000, 150, 0, 150),
        (3333, 150, 0, 50),  # 49.995 → 50 (half up)
        (3300, 150, 0, 50),  # 49.5 → 50 (half up)
        (3299, 150, 0, 49),  # 49.485 → 49
        (1000, 0, 30, 30),
        (20, 0, 30, 20),  # never more than the order
        (0, 150, 30, 0),
    ],
)
def test_platform_fee_rounds_half_up_in_whole_cents(
    total: int, bps: int, fixed: int, fee: int
) -> None:
    assert platform_fee_cents(total, bps=bps, fixed_cents=fixed) == fee


def test_payouts_come_from_the_clusters_account_when_set(
    cluster_x: Cluster, cluster_x_admin: Actor, settings: Any
) -> None:
    settings.BANK_TRANSFER_ACCOUNT = "01-0902-0068389-000"
    assert payout_source_account(cluster_x).bank_account_number == (
        "01-0902-0068389-000"
    )
    cluster_money_accounts_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=own_keys()
    )
    source = payout_source_account(cluster_x)
    assert (source.bank_account_number, source.bank_account_name) == (
        BANK,
        "Cluster X Trust",
    )


# --- Never shown: the screen, the admin, the audit log, the API, the logs -----------


def test_secrets_appear_nowhere_people_or_logs_can_read(
    client: Client,
    cluster_x: Cluster,
    cluster_x_admin_user: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    slug = cluster_x.slug
    # given the admin stores the keys through the screen
    client.force_login(cluster_x_admin_user)
    data = {
        "bank_account_name": "Cluster X Trust",
        "bank_account_number": BANK,
        "stripe_mode": StripeMode.OWN_KEYS,
        "stripe_publishable_key": PUBLISHABLE,
        "stripe_secret_key": SECRET_KEY,
        "stripe_webhook_secret": WEBHOOK_SECRET,
    }
    saved = client.post(URL.format(slug=slug), data, follow=True)
    assert saved.status_code == 200
    # and then sends a broken form with new secrets in it (rendered again)
    broken = client.post(
        URL.format(slug=slug), data | {"bank_account_number": "01-0242-0100195-00"}
    )
    assert broken.status_code == 400
    row = ClusterMoneyAccounts.objects.get(cluster=cluster_x)
    # when everything a person can read is collected
    pages = [
        saved.content.decode(),
        broken.content.decode(),
        client.get(URL.format(slug=slug)).content.decode(),
        client.get(f"/manage/clusters/{slug}/activity/").content.decode(),
    ]
    audit_api = client.get(f"/api/v1/clusters/{slug}/audit")
    assert audit_api.status_code == 200
    assert b"money_accounts_updated" in audit_api.content
    pages.append(audit_api.content.decode())
    client.force_login(
        UserFactory.create(is_staff=True, is_superuser=True, email="root@purei.test")
    )
    pages += [
        client.get("/admin/clusters/clustermoneyaccounts/").content.decode(),
        client.get(
            f"/admin/clusters/clustermoneyaccounts/{row.pk}/change/"
        ).content.decode(),
        client.get(f"/admin/clusters/cluster/{cluster_x.pk}/change/").content.decode(),
    ]
    audit = [str(entry.before) + str(entry.after) for entry in AuditEntry.objects.all()]
    logged = caplog.text
    # then the secrets are in none of it, and the screen shows their last four
    for text in [*pages, *audit, logged]:
        assert SECRET_KEY not in text
        assert WEBHOOK_SECRET not in text
        assert row.stripe_secret_key_encrypted not in text
    assert "•••• AbCd" in pages[2]
    assert "•••• AbCd" in pages[6]
    entry = AuditEntry.objects.get(verb="cluster.money_accounts_updated")
    assert entry.after["stripe_secret_key"] == "changed"
    assert entry.after["stripe_webhook_secret"] == "changed"


def test_the_screen_is_refused_to_another_clusters_admin(
    client: Client, cluster_x: Cluster, cluster_y_admin_user: User
) -> None:
    client.force_login(cluster_y_admin_user)
    url = URL.format(slug=cluster_x.slug)
    assert client.get(url).status_code == 404
    assert client.post(url, {"stripe_mode": "platform"}).status_code == 404
    assert not ClusterMoneyAccounts.objects.exists()


def test_the_admin_sees_the_fee_but_cannot_change_it(
    client: Client, cluster_x: Cluster, cluster_x_admin_user: User
) -> None:
    client.force_login(cluster_x_admin_user)
    url = URL.format(slug=cluster_x.slug)
    response = client.post(
        url,
        {
            "stripe_mode": "platform",
            "platform_fee_bps": "0",
            "platform_fee_fixed_cents": "999",
        },
    )
    assert response.status_code == 302
    row = ClusterMoneyAccounts.objects.get(cluster=cluster_x)
    assert (row.platform_fee_bps, row.platform_fee_fixed_cents) == (0, 0)


def test_keys_no_key_opens_take_no_card_payments(
    cluster_x: Cluster, cluster_x_admin: Actor, settings: Any
) -> None:
    # given keys stored under a key that is then lost
    from purei.payments.gateways import available_gateways

    settings.SECRETS_KEYS = ["lost-key-material-0123456789"]
    settings.STRIPE_SECRET_KEY = "sk_test_platform_offline"
    cluster_money_accounts_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=own_keys()
    )
    settings.SECRETS_KEYS = ["another-key-material-9876543210"]
    # when
    account = cluster_gateway_account(cluster_id=cluster_x.pk)
    # then card payments are not offered (never sent to the platform's account)
    assert account.stripe_blocked
    assert "stripe" not in {gateway.name for gateway in available_gateways(account)}
    assert account.bank_account_number == BANK

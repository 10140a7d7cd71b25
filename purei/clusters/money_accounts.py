"""Each cluster's own money accounts: the bank account its customers pay by
transfer into and that its payouts come from, its Stripe account (a connected
account of the platform's, or its own keys), and the platform's fee
(docs/adr/0021-cluster-money-accounts.md).

Selectors hand the payments layer plain ``GatewayAccount`` values; the one
service (``cluster_money_accounts_update``) validates, encrypts the secrets
(``purei.core.secrets_box``) and records an audit row that says a secret was
changed, never what it is.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.secrets_box import (
    SecretError,
    secret_decrypt,
    secret_encrypt,
    secret_last4,
)
from purei.core.validators import FormatError, bank_account_normalise
from purei.payments.gateways import PLATFORM_ACCOUNT, GatewayAccount

from .errors import ClusterErrorCode
from .models import (
    MAX_PLATFORM_FEE_BPS,
    MAX_PLATFORM_FEE_FIXED_CENTS,
    Cluster,
    ClusterMoneyAccounts,
    StripeMode,
)

logger = logging.getLogger(__name__)

STRIPE_ACCOUNT_ID = re.compile(r"^acct_[A-Za-z0-9]{8,60}$")
STRIPE_PUBLISHABLE_KEY = re.compile(r"^pk_(live|test)_[A-Za-z0-9]{8,240}$")
STRIPE_SECRET_KEY = re.compile(r"^(sk|rk)_(live|test)_[A-Za-z0-9]{8,240}$")
STRIPE_WEBHOOK_SECRET = re.compile(r"^whsec_[A-Za-z0-9+/=]{8,240}$")
CLUSTER_KEY_PREFIX = "cluster:"
CONNECT_KEY_PREFIX = "connect:"

# What the audit log keeps of a change: every field but the secrets, which it
# records only as "changed".
AUDITED = (
    "bank_account_name",
    "bank_account_number",
    "stripe_mode",
    "stripe_account_id",
    "stripe_publishable_key",
    "platform_fee_bps",
    "platform_fee_fixed_cents",
)
SECRET_CHANGED = "changed"  # noqa: S105 - what the audit says, not a secret


# --- Reading ---------------------------------------------------------------------


def money_accounts_of(cluster: Cluster) -> ClusterMoneyAccounts:
    """The cluster's row, or an unsaved empty one (the platform's accounts)."""
    found = ClusterMoneyAccounts.objects.filter(cluster=cluster).first()
    return found or ClusterMoneyAccounts(cluster=cluster)


def money_accounts_get_for(*, actor: Actor, cluster: Cluster) -> ClusterMoneyAccounts:
    """The accounts of ``cluster`` for its admins and platform staff; 404 for
    anyone else."""
    if not (actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)):
        raise Http404
    return money_accounts_of(cluster)


def platform_fee_cents(total_cents: int, *, bps: int, fixed_cents: int) -> int:
    """The platform's fee on an order of ``total_cents``: ``bps`` basis points
    of it, rounded half up to a whole cent, plus ``fixed_cents``; never more than
    the order itself."""
    if total_cents <= 0:
        return 0
    share = (total_cents * bps + 5_000) // 10_000
    return min(total_cents, share + fixed_cents)


def cluster_platform_fee_cents(*, cluster_id: int, total_cents: int) -> int:
    """``platform_fee_cents`` with the cluster's own settings (0 when none)."""
    row = ClusterMoneyAccounts.objects.filter(cluster_id=cluster_id).first()
    if row is None:
        return 0
    return platform_fee_cents(
        total_cents,
        bps=row.platform_fee_bps,
        fixed_cents=row.platform_fee_fixed_cents,
    )


def _gateway_account(row: ClusterMoneyAccounts | None) -> GatewayAccount:
    if row is None:
        return PLATFORM_ACCOUNT
    name, number = row.bank_account_name, row.bank_account_number
    if row.stripe_mode == StripeMode.CONNECT and row.stripe_account_id:
        return GatewayAccount(
            key=f"{CONNECT_KEY_PREFIX}{row.stripe_account_id}",
            stripe_account=row.stripe_account_id,
            bank_account_name=name,
            bank_account_number=number,
        )
    if row.has_own_keys:
        key = f"{CLUSTER_KEY_PREFIX}{row.cluster_id}"
        try:
            secret = secret_decrypt(row.stripe_secret_key_encrypted)
        except SecretError:
            logger.error("cluster %s: its Stripe secret key cannot be decrypted", key)
            return GatewayAccount(
                key=key,
                bank_account_name=name,
                bank_account_number=number,
                stripe_blocked=True,
            )
        return GatewayAccount(
            key=key,
            stripe_publishable_key=row.stripe_publishable_key,
            stripe_secret_key=secret,
            bank_account_name=name,
            bank_account_number=number,
        )
    return GatewayAccount(bank_account_name=name, bank_account_number=number)


def cluster_gateway_account(
    *, cluster_id: int, order_total_cents: int = 0
) -> GatewayAccount:
    """The account a payment to ``cluster_id`` goes into, as the gateways take it
    (its secret key decrypted, in memory only). A Connect account carries the
    platform's fee on ``order_total_cents`` as the charge's application fee."""
    row = ClusterMoneyAccounts.objects.filter(cluster_id=cluster_id).first()
    account = _gateway_account(row)
    if row is not None and account.stripe_account and order_total_cents:
        fee = platform_fee_cents(
            order_total_cents,
            bps=row.platform_fee_bps,
            fixed_cents=row.platform_fee_fixed_cents,
        )
        account = GatewayAccount(
            key=account.key,
            bank_account_name=account.bank_account_name,
            bank_account_number=account.bank_account_number,
            stripe_account=account.stripe_account,
            application_fee_cents=fee,
        )
    return account


def gateway_account_for_key(key: str) -> GatewayAccount:
    """The account a payment was taken into (``Payment.account``), to refund it
    through the same one; the platform's for ``""`` or a key no longer known."""
    if key.startswith(CONNECT_KEY_PREFIX):
        return GatewayAccount(key=key, stripe_account=key[len(CONNECT_KEY_PREFIX) :])
    if key.startswith(CLUSTER_KEY_PREFIX):
        cluster_id = key[len(CLUSTER_KEY_PREFIX) :]
        if cluster_id.isdigit():
            row = ClusterMoneyAccounts.objects.filter(
                cluster_id=int(cluster_id)
            ).first()
            if row is not None and row.has_own_keys:
                return _gateway_account(row)
    return PLATFORM_ACCOUNT


@dataclass(frozen=True)
class BankSource:
    bank_account_number: str
    bank_account_name: str


def payout_source_account(cluster: Cluster) -> BankSource:
    """The account a cluster's payouts come from: its own bank account when it
    has set one, else the platform's (``BANK_TRANSFER_ACCOUNT``)."""
    row = ClusterMoneyAccounts.objects.filter(cluster=cluster).first()
    if row is not None and row.bank_account_number:
        return BankSource(row.bank_account_number, row.bank_account_name)
    number = settings.BANK_TRANSFER_ACCOUNT
    # Else the setting as it is (the demo's default is not a real account).
    with contextlib.suppress(FormatError):
        number = bank_account_normalise(number)
    return BankSource(number[:19], settings.BANK_TRANSFER_ACCOUNT_NAME[:120])


@dataclass(frozen=True)
class WebhookRoute:
    """How a webhook on a route is verified: with ``secrets`` (any of them), and
    for whose payments (``key``, ``""``: the platform's and its connected
    accounts'). ``repr`` never shows the secrets."""

    key: str
    secrets: tuple[str, ...]

    def __repr__(self) -> str:
        return f"WebhookRoute(key={self.key!r}, secrets=<{len(self.secrets)}>)"


def platform_webhook_route() -> WebhookRoute:
    """The platform's endpoint: its own signing secret and, when set, its Connect
    endpoint's (events of connected accounts)."""
    found = (settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_CONNECT_WEBHOOK_SECRET)
    return WebhookRoute(key="", secrets=tuple(s for s in found if s))


def cluster_webhook_route(*, slug: str) -> WebhookRoute:
    """A cluster's endpoint: verified with the cluster's own signing secret when
    it has its own keys, else the platform's (it still works); 404 for no
    cluster."""
    cluster = Cluster.objects.filter(slug=slug).first()
    if cluster is None:
        raise Http404
    row = ClusterMoneyAccounts.objects.filter(cluster=cluster).first()
    if row is None or not row.has_own_keys:
        return platform_webhook_route()
    return WebhookRoute(
        key=f"{CLUSTER_KEY_PREFIX}{cluster.pk}",
        secrets=(secret_decrypt(row.stripe_webhook_secret_encrypted),),
    )


# --- Changing --------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyAccountsChanges:
    """What the manage screen sends. Empty ``stripe_secret_key`` and
    ``stripe_webhook_secret`` keep the ones stored; ``None`` fee fields are left
    as they are (only platform staff may change them)."""

    bank_account_name: str = ""
    bank_account_number: str = ""
    stripe_mode: str = StripeMode.PLATFORM
    stripe_account_id: str = ""
    stripe_publishable_key: str = ""
    stripe_secret_key: str = ""
    stripe_webhook_secret: str = ""
    platform_fee_bps: int | None = None
    platform_fee_fixed_cents: int | None = None

    def __repr__(self) -> str:  # never the secrets, in a log or a traceback
        return (
            f"MoneyAccountsChanges(stripe_mode={self.stripe_mode!r}, "
            f"secret_key={'<new>' if self.stripe_secret_key else '<kept>'}, "
            f"webhook_secret={'<new>' if self.stripe_webhook_secret else '<kept>'})"
        )


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(ClusterErrorCode.INVALID_MONEY_ACCOUNTS, {field: [message]})


def _checked(row: ClusterMoneyAccounts, changes: MoneyAccountsChanges) -> None:
    """Apply ``changes`` to ``row`` (not saved), refusing what breaks a rule."""
    name = changes.bank_account_name.strip()
    number = changes.bank_account_number.strip()
    if number:
        try:
            number = bank_account_normalise(number)
        except FormatError as error:
            raise _invalid("bank_account_number", error.message) from error
        if not name:
            raise _invalid("bank_account_name", _("Give the name on the account."))
    elif name:
        raise _invalid("bank_account_number", _("Give the account number too."))
    row.bank_account_name, row.bank_account_number = name[:120], number
    if changes.stripe_mode not in StripeMode.values:
        raise _invalid("stripe_mode", _("Choose where card payments go."))
    row.stripe_mode = changes.stripe_mode
    account_id = changes.stripe_account_id.strip()
    if row.stripe_mode == StripeMode.CONNECT and not STRIPE_ACCOUNT_ID.match(
        account_id
    ):
        raise _invalid(
            "stripe_account_id",
            _("A connected account's id starts with acct_, as Stripe shows it."),
        )
    row.stripe_account_id = account_id if row.stripe_mode == StripeMode.CONNECT else ""
    publishable = changes.stripe_publishable_key.strip()
    secret = changes.stripe_secret_key.strip()
    signing = changes.stripe_webhook_secret.strip()
    if row.stripe_mode != StripeMode.OWN_KEYS:
        return
    if not STRIPE_PUBLISHABLE_KEY.match(publishable):
        raise _invalid(
            "stripe_publishable_key",
            _("The publishable key starts with pk_live_ or pk_test_."),
        )
    row.stripe_publishable_key = publishable
    if secret and not STRIPE_SECRET_KEY.match(secret):
        raise _invalid(
            "stripe_secret_key",
            _("The secret key starts with sk_live_, sk_test_, rk_live_ or rk_test_."),
        )
    if signing and not STRIPE_WEBHOOK_SECRET.match(signing):
        raise _invalid(
            "stripe_webhook_secret", _("The signing secret starts with whsec_.")
        )
    if secret:
        row.stripe_secret_key_encrypted = secret_encrypt(secret)
        row.stripe_secret_key_last4 = secret_last4(secret)
    if signing:
        row.stripe_webhook_secret_encrypted = secret_encrypt(signing)
        row.stripe_webhook_secret_last4 = secret_last4(signing)
    if not row.stripe_secret_key_encrypted:
        raise _invalid("stripe_secret_key", _("Give the account's secret key."))
    if not row.stripe_webhook_secret_encrypted:
        raise _invalid(
            "stripe_webhook_secret", _("Give the webhook endpoint's signing secret.")
        )


def _fees(
    actor: Actor, row: ClusterMoneyAccounts, changes: MoneyAccountsChanges
) -> None:
    bps, fixed = changes.platform_fee_bps, changes.platform_fee_fixed_cents
    if bps is None and fixed is None:
        return
    bps = row.platform_fee_bps if bps is None else bps
    fixed = row.platform_fee_fixed_cents if fixed is None else fixed
    if (bps, fixed) == (row.platform_fee_bps, row.platform_fee_fixed_cents):
        return
    if not actor.is_platform_staff:
        raise NotPermitted(
            ClusterErrorCode.NOT_PLATFORM_STAFF,
            _("Only Pūrei's staff can change the platform fee."),
        )
    if not 0 <= bps <= MAX_PLATFORM_FEE_BPS:
        raise _invalid("platform_fee_bps", _("Between 0 and 5,000 basis points."))
    if not 0 <= fixed <= MAX_PLATFORM_FEE_FIXED_CENTS:
        raise _invalid("platform_fee_fixed_cents", _("Between 0 and 100,000 cents."))
    row.platform_fee_bps, row.platform_fee_fixed_cents = bps, fixed


def cluster_money_accounts_update(
    *, actor: Actor, cluster: Cluster, changes: MoneyAccountsChanges
) -> ClusterMoneyAccounts:
    """Set the accounts ``cluster``'s customers pay into (its admins and platform
    staff) and the platform's fee (platform staff only). Secrets are stored
    encrypted, and the audit row ``cluster.money_accounts_updated`` says only that
    one was changed."""
    if not (actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)):
        raise NotPermitted(
            ClusterErrorCode.NOT_PLATFORM_STAFF,
            _("Only the cluster's admins can change its accounts."),
        )
    with transaction.atomic():
        row = (
            ClusterMoneyAccounts.objects.select_for_update()
            .filter(cluster=cluster)
            .first()
        ) or ClusterMoneyAccounts(cluster=cluster)
        before = {name: getattr(row, name) for name in AUDITED}
        secrets_before = (
            row.stripe_secret_key_encrypted,
            row.stripe_webhook_secret_encrypted,
        )
        _checked(row, changes)
        _fees(actor, row, changes)
        row.full_clean(exclude=["cluster"])
        row.save()
        after: dict[str, object] = {name: getattr(row, name) for name in AUDITED}
        if row.stripe_secret_key_encrypted != secrets_before[0]:
            before["stripe_secret_key"], after["stripe_secret_key"] = "", SECRET_CHANGED
        if row.stripe_webhook_secret_encrypted != secrets_before[1]:
            before["stripe_webhook_secret"] = ""
            after["stripe_webhook_secret"] = SECRET_CHANGED
        audit_record(
            actor=actor,
            verb="cluster.money_accounts_updated",
            target=cluster,
            cluster_id=cluster.pk,
            before=before,
            after=after,
        )
    return row

"""The one interface every payment gateway implements.

A gateway starts a payment for a ``Payment`` row and refunds part or all of one.
It talks to the outside world only: it never writes to the database (the payments
services record what it answered) and is called outside database transactions.
What a payment is for reaches it as plain values (``StartRequest``): a gateway
knows no order.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from purei.payments.models import Payment

StartStatus = Literal["succeeded", "failed", "pending"]


@dataclass(frozen=True)
class CardDetails:
    """What the customer typed for a card that the gateway takes itself (the test
    card), as typed. Checked by the gateway (``check``); never stored."""

    card_number: str = ""
    expiry: str = ""
    cvc: str = ""


PLATFORM_ACCOUNT_KEY = ""


@dataclass(frozen=True)
class GatewayAccount:
    """Whose account a payment goes into (docs/adr/0021-cluster-money-accounts.md).

    ``key`` is kept on the payment (``Payment.account``) so that its refund and its
    webhook events go to the same account: ``""`` the platform's,
    ``"connect:acct_…"`` a connected account of the platform's (direct charges),
    ``"cluster:<id>"`` a cluster's own Stripe keys. Empty fields fall back to the
    platform's settings. The secret key lives only in memory and never in a repr.
    """

    key: str = PLATFORM_ACCOUNT_KEY
    bank_account_name: str = ""
    bank_account_number: str = ""
    stripe_account: str = ""  # the Stripe-Account header of a connected account
    stripe_publishable_key: str = ""
    stripe_secret_key: str = field(default="", repr=False)
    application_fee_cents: int = 0  # Connect: what the platform keeps of a charge
    # The account's own keys cannot be read (no key in SECRETS_KEYS opens them):
    # card payments are not offered rather than sent to another account.
    stripe_blocked: bool = False

    @property
    def own_stripe(self) -> bool:
        return bool(self.stripe_secret_key)


PLATFORM_ACCOUNT = GatewayAccount()


@dataclass(frozen=True)
class StartRequest:
    """What a gateway is told when asked to take a payment.

    ``reference`` is what the payment is for, as the customer knows it (the order
    number): a bank transfer's reference, Stripe's description and metadata.
    ``email`` is where the gateway may send its receipt; ``card`` the test card's
    details (nothing for the other gateways).
    """

    reference: str
    email: str = ""
    card: CardDetails | None = None
    account: GatewayAccount = PLATFORM_ACCOUNT


@dataclass(frozen=True)
class StartResult:
    """What a gateway answered when asked to take a payment.

    ``pending``: the money comes later (a bank transfer, or a Stripe PaymentIntent
    the browser confirms with ``client_secret``). ``reference`` is the gateway's id
    of the payment; ``message`` is safe to show the customer.
    """

    status: StartStatus
    reference: str
    message: str
    client_secret: str | None = None
    instructions: Mapping[str, str] | None = None


@dataclass(frozen=True)
class RefundResult:
    ok: bool
    reference: str
    message: str


class Gateway(ABC):
    """A way to pay. ``name`` is stored on ``Payment.gateway``; ``label`` is what
    the customer sees."""

    name: ClassVar[str]

    @property
    @abstractmethod
    def label(self) -> str:
        """The gateway's name as the customer sees it, translated."""

    def check(self, card: CardDetails | None) -> None:
        """Refuse malformed input (``ValidationFailed``, per field) before a
        payment is recorded. Most gateways take no input."""
        return

    @abstractmethod
    def start(self, payment: Payment, request: StartRequest) -> StartResult:
        """Take (or begin to take) ``payment.amount_cents`` for ``payment``."""

    @abstractmethod
    def refund(
        self,
        payment: Payment,
        amount_cents: int,
        reason: str,
        *,
        idempotency_key: str = "",
        reference: str = "",
        account: GatewayAccount = PLATFORM_ACCOUNT,
    ) -> RefundResult:
        """Give ``amount_cents`` of ``payment`` back. ``idempotency_key`` makes a
        retried call refund once (gateways that support it); ``reference`` is what
        the payment was for (``StartRequest.reference``); ``account`` the account
        that took it."""

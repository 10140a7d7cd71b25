"""The payment gateways and the registry that says which are offered.

Bank transfer is always offered; the test card when ``PAYMENTS_TEST_GATEWAY`` is
on (DEBUG, the demo); Stripe when ``STRIPE_SECRET_KEY`` is set (docs/payments.md).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from purei.core.errors import ValidationFailed
from purei.payments.errors import PaymentErrorCode

from .bank_transfer import BankTransferGateway
from .base import (
    PLATFORM_ACCOUNT,
    PLATFORM_ACCOUNT_KEY,
    CardDetails,
    Gateway,
    GatewayAccount,
    RefundResult,
    StartRequest,
    StartResult,
)
from .stripe_gateway import StripeGateway
from .test_gateway import CardTestGateway

__all__ = [
    "PLATFORM_ACCOUNT",
    "PLATFORM_ACCOUNT_KEY",
    "BankTransferGateway",
    "CardDetails",
    "CardTestGateway",
    "Gateway",
    "GatewayAccount",
    "RefundResult",
    "StartRequest",
    "StartResult",
    "StripeGateway",
    "available_gateways",
    "gateway_for_refund",
    "get_gateway",
]

_GATEWAYS: dict[str, type[Gateway]] = {
    BankTransferGateway.name: BankTransferGateway,
    CardTestGateway.name: CardTestGateway,
    StripeGateway.name: StripeGateway,
}


def _enabled(name: str, account: GatewayAccount) -> bool:
    if name == CardTestGateway.name:
        return bool(settings.PAYMENTS_TEST_GATEWAY)
    if name == StripeGateway.name:
        if account.stripe_blocked:
            return False
        return account.own_stripe or bool(settings.STRIPE_SECRET_KEY)
    return True


def available_gateways(account: GatewayAccount = PLATFORM_ACCOUNT) -> list[Gateway]:
    """The gateways a customer paying into ``account`` may choose now, in the
    order to offer them (Stripe: the account's own keys, or the platform's)."""
    return [cls() for name, cls in _GATEWAYS.items() if _enabled(name, account)]


def get_gateway(name: str, account: GatewayAccount = PLATFORM_ACCOUNT) -> Gateway:
    """The gateway called ``name`` if it is offered, else ``ValidationFailed``."""
    cls = _GATEWAYS.get(name)
    if cls is None or not _enabled(name, account):
        raise ValidationFailed(
            PaymentErrorCode.UNKNOWN_GATEWAY,
            {"gateway": [_("Choose one of the ways to pay.")]},
        )
    return cls()


def gateway_for_refund(name: str) -> Gateway:
    """The gateway that took a payment, to refund through it: even one no longer
    offered to customers (money goes back the way it came)."""
    cls = _GATEWAYS.get(name)
    if cls is None:
        raise ValidationFailed(
            PaymentErrorCode.UNKNOWN_GATEWAY,
            {"gateway": [_("This payment's gateway is unknown.")]},
        )
    return cls()

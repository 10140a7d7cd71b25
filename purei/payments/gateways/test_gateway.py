"""“Test card”: the demo's gateway. It takes no money and never keeps a card number.

Enabled by ``PAYMENTS_TEST_GATEWAY`` (on with DEBUG and in the demo). Only the
documented numbers do anything (docs/payments.md):

=====================  ===================================
4242 4242 4242 4242    succeeds
4000 0000 0000 0002    declined: “Your card was declined.”
4000 0000 0000 9995    declined for insufficient funds
any other valid number declined: use one of the test cards
=====================  ===================================

(This module's name starts with ``test_`` as the brief names it; it holds no tests.)
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from purei.core.errors import ValidationFailed
from purei.payments.errors import PaymentErrorCode

from .base import (
    PLATFORM_ACCOUNT,
    CardDetails,
    Gateway,
    GatewayAccount,
    RefundResult,
    StartRequest,
    StartResult,
)

if TYPE_CHECKING:
    from purei.payments.models import Payment

__test__ = False  # not a test module, whatever its name

SUCCEEDS = "4242424242424242"
DECLINED = "4000000000000002"
INSUFFICIENT_FUNDS = "4000000000009995"

_EXPIRY = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*$")


def luhn_ok(digits: str) -> bool:
    """True when ``digits`` passes the Luhn check (every card number does)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _card_number(card: CardDetails) -> str:
    return re.sub(r"[\s-]", "", card.card_number)


class CardTestGateway(Gateway):
    name = "test"

    @property
    def label(self) -> str:
        return _("Test card")

    def check(self, card: CardDetails | None) -> None:
        card = card or CardDetails()
        errors: dict[str, list[str]] = {}
        number = _card_number(card)
        if not number.isdigit() or not 12 <= len(number) <= 19 or not luhn_ok(number):
            errors["card_number"] = [_("Enter a valid card number.")]
        match = _EXPIRY.match(card.expiry)
        if match is None or not 1 <= int(match.group(1)) <= 12:
            errors["expiry"] = [_("Enter the expiry date as MM/YY.")]
        else:
            month, year = int(match.group(1)), int(match.group(2)) % 100
            today = timezone.localdate()
            if (year, month) < (today.year % 100, today.month):
                errors["expiry"] = [_("This card has expired.")]
        cvc = card.cvc.strip()
        if not cvc.isdigit() or not 3 <= len(cvc) <= 4:
            errors["cvc"] = [_("Enter the 3 or 4 digit security code.")]
        if errors:
            raise ValidationFailed(PaymentErrorCode.INVALID_CARD, errors)

    def start(self, payment: Payment, request: StartRequest) -> StartResult:
        self.check(request.card)
        number = _card_number(request.card or CardDetails())
        reference = f"test_ch_{secrets.token_hex(8)}"
        last4 = number[-4:]
        if number == SUCCEEDS:
            message = _("Paid with the test card ending %(last4)s.") % {"last4": last4}
            return StartResult("succeeded", reference, message)
        if number == DECLINED:
            return StartResult("failed", reference, _("Your card was declined."))
        if number == INSUFFICIENT_FUNDS:
            return StartResult(
                "failed",
                reference,
                _("Your card was declined: insufficient funds."),
            )
        return StartResult(
            "failed",
            reference,
            _("Use one of the test card numbers: this demo never takes real cards."),
        )

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
        return RefundResult(
            ok=True,
            reference=f"test_re_{secrets.token_hex(8)}",
            message=_("Refunded to the test card."),
        )

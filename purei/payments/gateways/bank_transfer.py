"""Bank transfer: the customer pays into the cluster's account with the order number
as the reference; the order waits until a cluster admin marks the money received
(``payment_mark_received``). Refunds are paid back by hand by the admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from purei.core.money import format_nzd

from .base import (
    PLATFORM_ACCOUNT,
    Gateway,
    GatewayAccount,
    RefundResult,
    StartRequest,
    StartResult,
)

if TYPE_CHECKING:
    from purei.payments.models import Payment


class BankTransferGateway(Gateway):
    name = "bank_transfer"

    @property
    def label(self) -> str:
        return _("Bank transfer")

    def start(self, payment: Payment, request: StartRequest) -> StartResult:
        reference = request.reference
        return StartResult(
            status="pending",
            reference=reference,
            message=_(
                "Your order is waiting for your bank transfer. Use the order "
                "number as the reference."
            ),
            instructions={
                "account_name": request.account.bank_account_name
                or settings.BANK_TRANSFER_ACCOUNT_NAME,
                "account_number": request.account.bank_account_number
                or settings.BANK_TRANSFER_ACCOUNT,
                "amount": format_nzd(payment.amount_cents),
                "reference": reference,
            },
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
            reference="manual",
            message=_(
                "Recorded as a manual refund: pay it back to the customer's bank "
                "account."
            ),
        )

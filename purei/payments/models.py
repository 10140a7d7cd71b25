"""Payments taken for orders through a gateway, their refunds, and the gateways'
webhook events (kept so each is handled once)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped


class Payment(TimeStamped):
    """One attempt to pay for an order through one gateway."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="payments"
    )
    gateway = models.CharField(_("gateway"), max_length=32)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3, default="NZD", editable=False)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    # The gateway's own id (a Stripe PaymentIntent, the test gateway's charge id) or,
    # for a bank transfer, the reference the customer puts on the transfer.
    reference = models.CharField(max_length=128, blank=True, db_index=True)
    failure_message = models.CharField(max_length=300, blank=True)
    # Stripe: what the customer's browser confirms the PaymentIntent with (Stripe.js
    # is made to receive it; it cannot capture anything by itself).
    client_secret = models.CharField(max_length=255, blank=True, editable=False)
    refunded_cents = models.PositiveIntegerField(default=0)
    # Whose account took it (``GatewayAccount.key``): "" the platform's,
    # "connect:acct_…" a connected account, "cluster:<id>" a cluster's own keys.
    # Its refunds go through that account, and only that account's webhook
    # events may change it (docs/adr/0021-cluster-money-accounts.md).
    account = models.CharField(max_length=80, blank=True, default="", editable=False)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refunded_cents__lte=models.F("amount_cents")),
                name="payments_payment_refund_at_most_paid",
            ),
            models.CheckConstraint(
                condition=Q(currency="NZD"), name="payments_payment_currency_nzd"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.reference or self.pk} ({self.status})"

    @property
    def refundable_cents(self) -> int:
        if self.status != self.Status.SUCCEEDED:
            return 0
        return self.amount_cents - self.refunded_cents


class Refund(TimeStamped):
    """Money given back through the gateway that took it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SUCCEEDED = "succeeded", _("Refunded")
        FAILED = "failed", _("Failed")

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds"
    )
    fulfilment = models.ForeignKey(
        "orders.Fulfilment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
    )
    amount_cents = models.PositiveIntegerField()
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    reference = models.CharField(max_length=128, blank=True)
    # What the gateway said (why it failed, or what the admin must do by hand).
    message = models.CharField(max_length=300, blank=True)
    # Made by Pūrei itself: a payment that arrived after its order was cancelled, or
    # a second payment for an order already paid. Not part of the order's refunds.
    automatic = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gte=1), name="payments_refund_positive"
            )
        ]

    def __str__(self) -> str:
        return f"refund {self.amount_cents} of {self.payment_id}"


class WebhookEvent(models.Model):
    """A gateway's webhook event, recorded once: a repeat is acknowledged and
    ignored."""

    gateway = models.CharField(max_length=32)
    event_id = models.CharField(max_length=128)
    event_type = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField(default=dict)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "event_id"], name="payments_webhook_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gateway} {self.event_type} {self.event_id}"

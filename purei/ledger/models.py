"""The money: a double-entry ledger in integer cents, member payouts, and the
invoices New Zealand law asks for (docs/money.md).

Sign convention: a posting's ``amount_cents`` is a **debit when positive** and a
**credit when negative**. Every journal's postings sum to zero. What the cluster owes
a member is the credit balance of the member's payable account (``-sum``).

Journals and postings are only ever added: ``save`` refuses to change a stored row,
``delete`` refuses, and database triggers (migration 0002) refuse ``UPDATE`` on
both engines and ``DELETE`` on PostgreSQL. A mistake is put right with a reversing
journal.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped


class LedgerImmutable(Exception):
    """Raised on an attempt to change or delete a ledger row."""


class _AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise LedgerImmutable("ledger rows are never changed; post a reversal")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise LedgerImmutable("ledger rows are never deleted; post a reversal")


class Account(models.Model):
    """One account of one cluster's books (per member for what it is owed)."""

    class Kind(models.TextChoices):
        CLEARING = "clearing", _("Payments received (clearing)")
        MEMBER_PAYABLE = "member_payable", _("Owed to the member")
        COMMISSION = "commission", _("Commission income")
        COMMISSION_GST = "commission_gst", _("GST on commission")
        GATEWAY_FEES = "gateway_fees", _("Payment gateway fees")
        REFUNDS = "refunds", _("Refunds paid")
        PAYOUTS = "payouts", _("Payouts made")
        ADJUSTMENTS = "adjustments", _("Adjustments")
        # Reseller model only: GST the lead organisation owes on its sales, less
        # what it may claim on its purchases from GST-registered members.
        SALES_GST = "sales_gst", _("GST on resales")
        # Australian GST collected at checkout on goods sent to Australian
        # consumers: owed by the cluster to the ATO, never to a member.
        AU_GST = "au_gst", _("Australian GST owed to the ATO")
        # Trade orders invoiced before they are paid: what trade buyers owe the
        # cluster (debit balance), per order through the journals' ``order``.
        TRADE_RECEIVABLE = "trade_receivable", _("Owed by trade buyers")
        # A foreign payment converted at another rate than the quote's: the
        # cluster's gain (credit) or loss (debit), never a member's.
        FX_GAINS_LOSSES = "fx_gains_losses", _("Exchange gains and losses")
        # Promotions the cluster pays (ADR 0015): what it makes good to members
        # for discounts it gave their customers (debit balance: its expense,
        # set against its commission in the reports).
        PROMOTIONS = "promotions", _("Promotions paid by the cluster")
        # Working together (docs/cooperation.md): what members owe the cluster
        # for group-buy shares and levies charged to them and not yet paid
        # (debit balance; per share or bill through the journal's key), what
        # the cluster owes suppliers of group buys (credit), and levy income.
        MEMBER_RECEIVABLE = "member_receivable", _("Owed by members")
        GROUP_BUYS = "group_buys", _("Group buys owed to suppliers")
        LEVIES = "levies", _("Levies (membership fees)")
        # Pūrei's platform fee per order (ADR 0021), paid by the cluster out of
        # its commission: what the cluster owes Pūrei (credit balance). Zero
        # when Stripe took it at the charge (Connect's application fee).
        PLATFORM_FEE = "platform_fee", _("Platform fee owed to Pūrei")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="ledger_accounts"
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
    )
    kind = models.CharField(max_length=20, choices=Kind)
    currency = models.CharField(max_length=3, default="NZD")

    class Meta:
        ordering = ["cluster_id", "kind", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "member", "kind", "currency"],
                name="ledger_account_once",
            ),
            models.UniqueConstraint(
                fields=["cluster", "kind", "currency"],
                condition=Q(member__isnull=True),
                name="ledger_account_once_per_cluster",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="member_payable", member__isnull=False)
                    | (~Q(kind="member_payable") & Q(member__isnull=True))
                ),
                name="ledger_account_member_iff_payable",
            ),
        ]

    def __str__(self) -> str:
        who = f" {self.member_id}" if self.member_id else ""
        return f"{self.cluster_id}:{self.kind}{who} ({self.currency})"


class Journal(_AppendOnly):
    """One balanced transaction: its postings sum to zero."""

    class Kind(models.TextChoices):
        CAPTURE = "capture", _("Payment received")
        TRADE_INVOICE = "trade_invoice", _("Trade order invoiced")
        TRADE_PAYMENT = "trade_payment", _("Trade payment received")
        COMMISSION = "commission", _("Commission")
        FEE = "fee", _("Payment fee")
        REFUND = "refund", _("Refund")
        PAYOUT = "payout", _("Payout")
        ADJUSTMENT = "adjustment", _("Adjustment")
        REVERSAL = "reversal", _("Reversal")
        MEMBER_CHARGE = "member_charge", _("Charged to a member")
        MEMBER_PAYMENT = "member_payment", _("Paid by a member")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="journals"
    )
    kind = models.CharField(max_length=16, choices=Kind)
    memo = models.CharField(max_length=300)
    occurred_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the journal is for (at most the relevant ones are set).
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journals",
    )
    payment = models.ForeignKey(
        "payments.Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journals",
    )
    refund = models.ForeignKey(
        "payments.Refund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journals",
    )
    payout = models.ForeignKey(
        "Payout",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journals",
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Makes posting idempotent: "capture:payment:12", "refund:40", "payout:7"…
    key = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["cluster", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class Posting(_AppendOnly):
    """One side of a journal on one account: debit when positive, credit when
    negative."""

    journal = models.ForeignKey(
        Journal, on_delete=models.PROTECT, related_name="postings"
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="postings"
    )
    amount_cents = models.BigIntegerField()
    # The member's part of an order the posting belongs to: money for a part still
    # open to cancellation is not paid out (services/payouts.py).
    fulfilment = models.ForeignKey(
        "orders.Fulfilment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postings",
    )
    # What a statement line says (e.g. "Order PUR-12345: 2 x Pinot noir").
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["journal_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount_cents=0), name="ledger_posting_not_zero"
            )
        ]
        indexes = [models.Index(fields=["account", "journal"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount_cents:+d}"


class PayoutRun(TimeStamped):
    """One payout run of a cluster: everything eligible up to ``until``."""

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="payout_runs"
    )
    until = models.DateTimeField(_("money up to"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Members owed money who were not paid, and why: [{"member": id, "name": …,
    # "balance_cents": …, "reason": …}]. Their money stays owed for the next run.
    skipped = models.JSONField(default=list, blank=True)
    total_cents = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, default="NZD")
    # The account the run is paid from, as it was when the run was made: the
    # cluster's own bank account when it has one, else the platform's
    # (docs/adr/0021-cluster-money-accounts.md). Written in the bank file.
    from_account = models.CharField(max_length=19, blank=True, default="")
    from_account_name = models.CharField(max_length=120, blank=True, default="")

    class Meta:
        ordering = ["-until", "-pk"]

    def __str__(self) -> str:
        until = timezone.localtime(self.until)  # the New Zealand day
        return f"payout run {self.pk} of {self.cluster_id} until {until:%Y-%m-%d}"


class Payout(TimeStamped):
    """What one member is paid in one run, with the postings it settles."""

    run = models.ForeignKey(PayoutRun, on_delete=models.PROTECT, related_name="payouts")
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="payouts"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="payouts"
    )
    number = models.CharField(max_length=32)
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="NZD")
    bank_account = models.CharField(max_length=19)
    bank_account_name = models.CharField(max_length=120)
    # The bank batch file's fields (max 12 characters each at NZ banks).
    particulars = models.CharField(max_length=12)
    code = models.CharField(max_length=12)
    reference = models.CharField(max_length=12)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="ledger_payout_positive"
            ),
            models.UniqueConstraint(
                fields=["run", "member"], name="ledger_payout_once_per_run"
            ),
            models.UniqueConstraint(
                fields=["cluster", "number"], name="ledger_payout_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"payout {self.number}"


class PayoutItem(models.Model):
    """A member-payable posting settled by a payout: each posting at most once."""

    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="items")
    posting = models.OneToOneField(
        Posting, on_delete=models.PROTECT, related_name="payout_item"
    )

    class Meta:
        ordering = ["posting_id"]

    def __str__(self) -> str:
        return f"{self.payout_id}:{self.posting_id}"


class InvoiceSequence(models.Model):
    """The next number of one supplier's series (locked while a number is taken,
    so numbers are unique and gapless per supplier)."""

    class Series(models.TextChoices):
        INVOICE = "INV", _("Invoices")
        CREDIT_NOTE = "CN", _("Credit notes")
        COMMISSION = "COM", _("Commission invoices")
        COMMISSION_CREDIT = "CCN", _("Commission credit notes")

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    series = models.CharField(max_length=4, choices=Series)
    next_number = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "series"],
                condition=Q(member__isnull=False),
                name="ledger_sequence_member_once",
            ),
            models.UniqueConstraint(
                fields=["cluster", "series"],
                condition=Q(member__isnull=True),
                name="ledger_sequence_cluster_once",
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | Q(cluster__isnull=False),
                name="ledger_sequence_has_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.member_id or self.cluster_id}: {self.next_number}"


class InvoicePrefix(_AppendOnly):
    """What one supplier's document numbers begin with: ``GREYTOWN-SOAP`` in
    ``GREYTOWN-SOAP-INV-000001``. One per series owner (a member, or with member
    null a cluster's lead organisation), unique across the platform, given when
    the owner's first document is issued and never changed afterwards (a new
    web address does not change it). See ``services/invoice_numbers.py``."""

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    prefix = models.CharField(max_length=24, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["prefix"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(member__isnull=False),
                name="ledger_prefix_member_once",
            ),
            models.UniqueConstraint(
                fields=["cluster"],
                condition=Q(member__isnull=True),
                name="ledger_prefix_cluster_once",
            ),
            models.CheckConstraint(
                condition=(Q(member__isnull=False) & Q(cluster__isnull=True))
                | (Q(member__isnull=True) & Q(cluster__isnull=False)),
                name="ledger_prefix_one_owner",
            ),
            models.CheckConstraint(
                condition=~Q(prefix=""), name="ledger_prefix_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.prefix


class Invoice(_AppendOnly):
    """An invoice, tax invoice or credit note: what the supplier and the recipient
    were when it was issued, kept as it was (a snapshot)."""

    class Kind(models.TextChoices):
        TAX_INVOICE = "tax_invoice", _("Tax invoice")
        INVOICE = "invoice", _("Invoice")  # a supplier not registered for GST
        CREDIT_NOTE = "credit_note", _("Credit note")
        COMMISSION = "commission", _("Commission invoice")
        COMMISSION_CREDIT = "commission_credit", _("Commission credit note")

    class Band(models.TextChoices):
        """Taxable supply information required, by value incl. GST (§1.3)."""

        LOW = "low", _("$200 or less")
        MIDDLE = "middle", _("over $200 up to $1,000")
        HIGH = "high", _("over $1,000")

    kind = models.CharField(max_length=20, choices=Kind)
    series = models.CharField(max_length=4, choices=InvoiceSequence.Series)
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=40)
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="invoices"
    )
    # The series owner: a member (agent model; member invoices) or, with member
    # null, the cluster's lead organisation (reseller model, commission invoices).
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    issued_at = models.DateTimeField()
    # Supplier, as it was.
    supplier_name = models.CharField(max_length=160)
    supplier_gst_number = models.CharField(max_length=16, blank=True)
    supplier_address = models.CharField(max_length=300, blank=True)
    supplier_nzbn = models.CharField(max_length=13, blank=True)
    gst_registered = models.BooleanField()
    # "Issued by <cluster> as agent for <member>" (agent model), else blank.
    agent_name = models.CharField(max_length=160, blank=True)
    # Recipient, as it was (required over $1,000; kept whenever known).
    recipient_name = models.CharField(max_length=160, blank=True)
    recipient_address = models.CharField(max_length=400, blank=True)
    recipient_email = models.EmailField(blank=True)
    recipient_gst_number = models.CharField(max_length=16, blank=True)
    # What it is for.
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    fulfilment = models.ForeignKey(
        "orders.Fulfilment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    refund = models.ForeignKey(
        "payments.Refund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
    )
    payout = models.ForeignKey(
        Payout,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
    )
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    reason = models.CharField(max_length=300, blank=True)
    zero_rated = models.BooleanField(default=False)
    band = models.CharField(max_length=8, choices=Band)
    total_cents = models.BigIntegerField()  # GST-inclusive (credit notes: positive)
    gst_cents = models.BigIntegerField()
    # Australian GST the cluster collected on goods to an Australian consumer
    # (LVIG), contained in ``total_cents``; owed by the cluster to the ATO, not
    # part of the supplier's New Zealand supply (which is zero-rated). With the
    # cluster's Australian registration (ABN or ARN) as it was on the day.
    au_gst_cents = models.BigIntegerField(default=0)
    au_gst_number = models.CharField(max_length=12, blank=True)
    currency = models.CharField(max_length=3, default="NZD")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "series", "sequence"],
                condition=Q(member__isnull=False),
                name="ledger_invoice_member_number",
            ),
            models.UniqueConstraint(
                fields=["cluster", "series", "sequence"],
                condition=Q(member__isnull=True),
                name="ledger_invoice_cluster_number",
            ),
            models.CheckConstraint(
                condition=Q(gst_cents__gte=0) & Q(total_cents__gte=0),
                name="ledger_invoice_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(gst_registered=True) | Q(gst_cents=0),
                name="ledger_invoice_no_gst_unless_registered",
            ),
        ]
        indexes = [models.Index(fields=["cluster", "issued_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def excl_gst_cents(self) -> int:
        return self.total_cents - self.gst_cents


class InvoiceLine(models.Model):
    class Kind(models.TextChoices):
        GOODS = "goods", _("Goods")
        SHIPPING = "shipping", _("Shipping")
        COMMISSION = "commission", _("Commission")
        OTHER = "other", _("Other")

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(max_length=12, choices=Kind)
    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    fulfilment = models.ForeignKey(
        "orders.Fulfilment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    description = models.CharField(max_length=300)
    quantity = models.IntegerField(default=1)
    unit_price_cents = models.BigIntegerField(default=0)  # GST-inclusive
    total_cents = models.BigIntegerField()  # GST-inclusive
    gst_cents = models.BigIntegerField()
    au_gst_cents = models.BigIntegerField(default=0)  # contained in total_cents

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description

"""Trade: the cluster's second channel, selling to businesses (distributors,
retailers, importers, hospitality) at home and abroad.

- ``TradeAccount``: a business's account with one cluster. It applies; the cluster's
  admins approve it (setting its payment terms and credit limit) or decline it with a
  reason. Its people sign in as **trade buyers** (``TradeBuyer``, the user's
  ``trade_roles``).
- ``ExchangeRate``: a cluster's rates for the currencies its trade buyers use, each
  with its source and time (domain-nz.md §2: a business picks one FX source and keeps
  to it). A rate is how many units of the currency one New Zealand dollar buys.
- ``ClusterTrade``: the cluster's trade settings (the minimum first order).

Money is in integer cents of the currency named beside it; NZD unless said.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from purei.core.countries import COUNTRIES
from purei.core.models import TimeStamped
from purei.core.storage import private_storage


class Currency(models.TextChoices):
    NZD = "NZD", _("New Zealand dollars (NZD)")
    AUD = "AUD", _("Australian dollars (AUD)")
    USD = "USD", _("US dollars (USD)")


FOREIGN_CURRENCIES = (Currency.AUD, Currency.USD)


class PaymentTerms(models.TextChoices):
    PROFORMA = "proforma", _("Pro-forma: pay before dispatch")
    NET_7 = "net_7", _("7 days")
    TWENTIETH = "twentieth", _("20th of the month following")
    NET_DAYS = "net_days", _("A number of days")


class TradeAccount(TimeStamped):
    """A business's trade account with one cluster."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        SUSPENDED = "suspended", _("Suspended")

    class Kind(models.TextChoices):
        DISTRIBUTOR = "distributor", _("Distributor")
        RETAILER = "retailer", _("Retailer")
        IMPORTER = "importer", _("Importer")
        HOSPITALITY = "hospitality", _("Hospitality")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="trade_accounts"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.APPLIED
    )
    kind = models.CharField(_("kind of business"), max_length=16, choices=Kind.choices)
    legal_name = models.CharField(_("legal name"), max_length=200)
    trading_name = models.CharField(_("trading name"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    nzbn = models.CharField(_("NZBN"), max_length=13, blank=True)
    abn = models.CharField(_("ABN"), max_length=11, blank=True)
    # Registered for GST where it is based: NZ GST (with its GST number) or
    # Australian GST (an ABN holder's statement, domain-nz.md §2 "B2B").
    gst_registered = models.BooleanField(_("registered for GST"), default=False)
    gst_number = models.CharField(_("GST number"), max_length=9, blank=True)
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.NZD
    )
    contact_name = models.CharField(_("contact name"), max_length=120)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    accounts_email = models.EmailField(
        _("accounts email"),
        blank=True,
        help_text=_("Where invoices and statements go, if not to the contact."),
    )
    delivery_address = models.JSONField(_("delivery address"), default=dict)
    billing_address = models.JSONField(_("billing address"), default=dict)
    message = models.TextField(_("message to the cluster"), blank=True)

    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    # The terms, set by the cluster's admins when they approve the account.
    payment_terms = models.CharField(
        _("payment terms"),
        max_length=16,
        choices=PaymentTerms.choices,
        default=PaymentTerms.PROFORMA,
    )
    terms_days = models.PositiveSmallIntegerField(
        _("days to pay"), null=True, blank=True
    )
    deposit_percent = models.PositiveSmallIntegerField(
        _("deposit (%)"), default=0, help_text=_("Paid when a quote is accepted.")
    )
    credit_limit_cents = models.PositiveBigIntegerField(
        _("credit limit (NZD cents)"), null=True, blank=True
    )
    first_order_proforma = models.BooleanField(
        _("first order pro-forma"),
        default=True,
        help_text=_("The first order is paid before dispatch, whatever the terms."),
    )

    class Meta:
        ordering = ["-applied_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "nzbn"],
                condition=~Q(nzbn="") & ~Q(status="declined"),
                name="trade_account_nzbn_unique_per_cluster",
            ),
            models.UniqueConstraint(
                fields=["cluster", "abn"],
                condition=~Q(abn="") & ~Q(status="declined"),
                name="trade_account_abn_unique_per_cluster",
            ),
            models.CheckConstraint(
                condition=Q(deposit_percent__lte=100),
                name="trade_account_deposit_percent_max",
            ),
            models.CheckConstraint(
                condition=~Q(payment_terms="net_days") | Q(terms_days__gte=1),
                name="trade_account_net_days_given",
            ),
        ]
        indexes = [models.Index(fields=["cluster", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.trading_name or self.legal_name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class TradeBuyer(TimeStamped):
    """A person who signs in and buys for a trade account."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        BUYER = "buyer", _("Buyer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trade_roles"
    )
    account = models.ForeignKey(
        TradeAccount, on_delete=models.CASCADE, related_name="buyers"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.OWNER)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "account"], name="trade_buyer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.account}"


class ExchangeRate(models.Model):
    """One rate a cluster recorded: ``rate`` units of ``currency`` per NZ$1, from
    ``source`` as at ``as_of``. Rows are never changed; the newest is in use."""

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="exchange_rates"
    )
    currency = models.CharField(max_length=3, choices=Currency.choices)
    rate = models.DecimalField(max_digits=12, decimal_places=6)
    source = models.CharField(_("source"), max_length=120)
    as_of = models.DateTimeField(_("as at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__gt=Decimal(0)), name="trade_exchange_rate_positive"
            ),
            models.CheckConstraint(
                condition=~Q(currency="NZD"), name="trade_exchange_rate_foreign"
            ),
        ]
        indexes = [models.Index(fields=["cluster", "currency", "-as_of"])]

    def __str__(self) -> str:
        return (
            f"NZ$1 = {self.rate} {self.currency} ({self.source}, {self.as_of:%Y-%m-%d})"
        )


class ClusterTrade(TimeStamped):
    """A cluster's trade settings."""

    cluster = models.OneToOneField(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="trade_settings"
    )
    min_first_order_cents = models.PositiveIntegerField(
        _("minimum first order (NZD cents, ex-GST, ex-freight)"), default=0
    )

    def __str__(self) -> str:
        return f"Trade settings of {self.cluster}"


# --- Requests for quote and quotes -------------------------------------------------


class Incoterm(models.TextChoices):
    """Incoterms 2020 that NZ forwarders commonly quote (domain-nz.md §2); each is
    named with a place ("FOB Nelson")."""

    EXW = "EXW", _("EXW — Ex Works")
    FCA = "FCA", _("FCA — Free Carrier")
    FOB = "FOB", _("FOB — Free On Board")
    CFR = "CFR", _("CFR — Cost and Freight")
    CIF = "CIF", _("CIF — Cost, Insurance and Freight")
    DAP = "DAP", _("DAP — Delivered At Place")
    DDP = "DDP", _("DDP — Delivered Duty Paid")


class QuoteRequest(TimeStamped):
    """A trade buyer's request for quote (RFQ): lines from any of the cluster's
    members, or written out, to one destination under one Incoterm."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being priced")
        QUOTED = "quoted", _("Quoted")
        REVISION = "revision", _("Revision asked")
        ACCEPTED = "accepted", _("Accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECLINED = "declined", _("Declined")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="quote_requests"
    )
    account = models.ForeignKey(
        TradeAccount, on_delete=models.CASCADE, related_name="quote_requests"
    )
    number = models.CharField(max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.OPEN
    )
    currency = models.CharField(max_length=3, choices=Currency.choices)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices)
    named_place = models.CharField(_("named place"), max_length=120)
    destination = models.JSONField(_("destination"), default=dict)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    reason = models.TextField(_("reason"), blank=True)  # why declined or withdrawn
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cluster", "status"])]

    def __str__(self) -> str:
        return self.number or f"RFQ {self.pk}"

    @property
    def is_export(self) -> bool:
        return str(self.destination.get("country", "NZ")) != "NZ"

    @property
    def terms_label(self) -> str:
        return f"{self.incoterm} {self.named_place}"


class QuoteRequestLine(models.Model):
    """One line of a request, and its member's price for it. A line names a variant
    of the cluster's products, or is written out (a member is then assigned). Only
    its member, the buyer and the cluster's admins ever see its price."""

    request = models.ForeignKey(
        QuoteRequest, on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(default=0)
    variant = models.ForeignKey(
        "catalogue.Variant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quote_lines",
    )
    description = models.CharField(_("description"), max_length=300)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit = models.CharField(_("unit"), max_length=20, default="each")

    # The member's price (NZD, ex-GST) and the facts the papers need.
    unit_price_nzd_cents = models.PositiveIntegerField(null=True, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    unit_weight_grams = models.PositiveIntegerField(null=True, blank=True)
    length_mm = models.PositiveIntegerField(null=True, blank=True)
    width_mm = models.PositiveIntegerField(null=True, blank=True)
    height_mm = models.PositiveIntegerField(null=True, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)
    origin_country = models.CharField(_("country of origin"), max_length=2, blank=True)
    cannot_supply = models.BooleanField(default=False)
    member_note = models.TextField(blank=True)
    priced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    priced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="trade_rfq_line_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.description}"

    @property
    def is_priced(self) -> bool:
        return self.cannot_supply or self.unit_price_nzd_cents is not None


def _attachment_path(instance: QuoteRequestAttachment, filename: str) -> str:
    return f"trade/rfq/{instance.line.request_id}/{filename}"


class QuoteRequestAttachment(models.Model):
    """A file the buyer attached to a written-out line (a drawing, a spec)."""

    line = models.ForeignKey(
        QuoteRequestLine, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        upload_to=_attachment_path, max_length=255, storage=private_storage
    )
    name = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=80)

    def __str__(self) -> str:
        return self.name


class Quote(TimeStamped):
    """One revision of the cluster's quote for a request, in the buyer's currency.
    Revisions are kept; only the newest that was sent can be accepted."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        REVISION_ASKED = "revision_asked", _("Revision asked")
        SUPERSEDED = "superseded", _("Superseded")

    class Basis(models.TextChoices):
        WEIGHT = "weight", _("By weight")
        VALUE = "value", _("By value")

    request = models.ForeignKey(
        QuoteRequest, on_delete=models.CASCADE, related_name="quotes"
    )
    revision = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SENT
    )
    currency = models.CharField(max_length=3, choices=Currency.choices)
    fx_rate = models.DecimalField(max_digits=12, decimal_places=6)
    fx_source = models.CharField(max_length=120)
    fx_as_of = models.DateTimeField()
    basis = models.CharField(max_length=8, choices=Basis.choices)
    freight_nzd_cents = models.PositiveIntegerField(default=0)
    insurance_nzd_cents = models.PositiveIntegerField(default=0)
    packing_nzd_cents = models.PositiveIntegerField(default=0)
    export = models.BooleanField()
    incoterm = models.CharField(max_length=3, choices=Incoterm.choices)
    named_place = models.CharField(max_length=120)
    valid_until = models.DateField()
    payment_terms = models.CharField(max_length=16, choices=PaymentTerms.choices)
    terms_days = models.PositiveSmallIntegerField(null=True, blank=True)
    deposit_percent = models.PositiveSmallIntegerField(default=0)
    goods_cents = models.PositiveBigIntegerField()
    freight_cents = models.PositiveBigIntegerField()
    insurance_cents = models.PositiveBigIntegerField()
    packing_cents = models.PositiveBigIntegerField()
    gst_cents = models.PositiveBigIntegerField()
    total_cents = models.PositiveBigIntegerField()
    weight_grams = models.PositiveBigIntegerField()
    notes = models.TextField(blank=True)
    buyer_note = models.TextField(blank=True)  # the buyer's reason for a revision
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["request", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "revision"], name="trade_quote_revision_unique"
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="accepted"),
                name="trade_quote_one_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request} rev. {self.revision}"

    @property
    def deposit_cents(self) -> int:
        return (self.total_cents * self.deposit_percent + 50) // 100


class QuoteLine(models.Model):
    """A line of a quote: the request's line as its member priced it, converted and
    with its shares of the charges."""

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    request_line = models.ForeignKey(
        QuoteRequestLine, on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=300)
    sku = models.CharField(max_length=64, blank=True)
    quantity = models.PositiveIntegerField()
    unit = models.CharField(max_length=20)
    unit_nzd_cents = models.PositiveIntegerField()
    unit_cents = models.PositiveIntegerField()
    goods_cents = models.PositiveBigIntegerField()
    freight_cents = models.PositiveBigIntegerField()
    insurance_cents = models.PositiveBigIntegerField()
    packing_cents = models.PositiveBigIntegerField()
    gst_cents = models.PositiveBigIntegerField()
    total_cents = models.PositiveBigIntegerField()
    unit_weight_grams = models.PositiveIntegerField(default=0)
    hs_code = models.CharField(max_length=12, blank=True)
    origin_country = models.CharField(max_length=2, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.description}"


class BuyerPrice(TimeStamped):
    """A member's own price for one trade account on one of its variants (the
    account's currency, ex-GST, per unit at any quantity): it overrides the
    variant's trade price list for that buyer."""

    account = models.ForeignKey(
        TradeAccount, on_delete=models.CASCADE, related_name="buyer_prices"
    )
    variant = models.ForeignKey(
        "catalogue.Variant", on_delete=models.CASCADE, related_name="+"
    )
    currency = models.CharField(max_length=3, choices=Currency.choices)
    unit_cents = models.PositiveIntegerField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "variant"], name="trade_buyer_price_unique"
            ),
            models.CheckConstraint(
                condition=Q(unit_cents__gt=0), name="trade_buyer_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} — {self.variant_id}: {self.unit_cents} {self.currency}"


class TradeOrder(TimeStamped):
    """The order an accepted quote became (ADR 0010): ``orders.Order`` holds its
    parts, lines, stock and money in NZD; this keeps what is the trade's own —
    the quote, the buyer's account, its currency and rate, the total in that
    currency, the deposit and the terms."""

    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="trade"
    )
    quote = models.OneToOneField(
        Quote, on_delete=models.PROTECT, related_name="trade_order"
    )
    account = models.ForeignKey(
        TradeAccount, on_delete=models.PROTECT, related_name="orders"
    )
    currency = models.CharField(max_length=3, choices=Currency.choices)
    fx_rate = models.DecimalField(max_digits=12, decimal_places=6)
    total_cents = models.PositiveBigIntegerField()  # in ``currency``
    deposit_cents = models.PositiveBigIntegerField(default=0)  # in ``currency``
    payment_terms = models.CharField(max_length=16, choices=PaymentTerms.choices)
    terms_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Getting paid (docs/trade.md): on account — invoiced at acceptance, fulfilled
    # before payment — or pro-forma, invoiced at its first payment and sent once
    # paid in full. ``terms_note`` says why quoted account terms fell back to
    # pro-forma (a first order, the credit limit).
    on_account = models.BooleanField(default=False)
    terms_note = models.CharField(max_length=300, blank=True)
    invoiced_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    paid_in_full_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Trade order {self.order_id} ({self.quote})"

    @property
    def terms_in_force(self) -> str:
        """The terms the order is on: its quote's account terms when on account,
        else pro-forma."""
        return self.payment_terms if self.on_account else PaymentTerms.PROFORMA


class TradePayment(TimeStamped):
    """Money a trade buyer paid on one trade order, recorded by a cluster admin:
    its deposit, a part payment or the balance. ``payment`` is the NZD that
    arrived (``payments.Payment``, a bank transfer with its own reference);
    ``amount_cents`` what the buyer paid in the order's currency; ``settles_cents``
    the NZD of the order's total it pays off at the quote's rate. When
    ``payment.amount_cents`` differs, the difference was booked to the cluster's
    exchange gains and losses."""

    class Kind(models.TextChoices):
        DEPOSIT = "deposit", _("Deposit")
        PART = "part", _("Part payment")
        BALANCE = "balance", _("Balance")

    trade_order = models.ForeignKey(
        TradeOrder, on_delete=models.PROTECT, related_name="payments"
    )
    payment = models.OneToOneField(
        "payments.Payment", on_delete=models.PROTECT, related_name="trade_payment"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    amount_cents = models.PositiveBigIntegerField()  # in ``currency``
    settles_cents = models.PositiveBigIntegerField()  # NZD
    received_cents = models.PositiveBigIntegerField()  # NZD that arrived
    received_on = models.DateField()
    reference = models.CharField(max_length=32)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["trade_order", "pk"]

    def __str__(self) -> str:
        return f"{self.reference} {self.currency} {self.amount_cents}"

    @property
    def fx_difference_cents(self) -> int:
        return self.received_cents - self.settles_cents


class TradeReminder(models.Model):
    """A reminder email sent about one trade order, kept so that a rerun of the
    reminder tasks sends none twice: ``due_soon`` (three days before it is due),
    or ``overdue_<bucket>`` once per aging bucket it reaches."""

    trade_order = models.ForeignKey(
        TradeOrder, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trade_order", "kind"], name="trade_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.trade_order_id}"

"""Carts, orders and their fulfilments; shipping rates and pickup.

One cart per cluster storefront holds lines from several members. Checkout turns it
into one ``Order`` that splits into one ``Fulfilment`` per member: each member is the
supplier of its own goods (domain-nz.md §1.5), with its own delivery or pickup, its
own shipping charge and GST, and its own state.

Money is integer cents, NZD, GST-inclusive (domain-nz.md §1.2); the GST in an
amount is ``round_half_up(amount * 3 / 23)`` (``purei.orders.money``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from purei.clusters.models import SellingModel
from purei.core.models import TimeStamped
from purei.core.split import largest_remainder


class Zone(models.TextChoices):
    """Where a parcel goes, as couriers price it (domain-nz.md §4.3)."""

    NORTH_ISLAND = "north", _("North Island")
    SOUTH_ISLAND = "south", _("South Island")
    CHATHAM_ISLANDS = "chatham", _("Chatham Islands")
    AUSTRALIA = "au", _("Australia")
    WORLD = "world", _("Rest of the world")


class ShippingPolicy(TimeStamped):
    """How a member — or a cluster, for every member without its own — charges for
    delivery: the rural surcharge, an optional free-shipping threshold, and pickup
    at the member's premises. Rates by zone and weight are ``ShippingRate`` rows."""

    cluster = models.OneToOneField(
        "clusters.Cluster",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shipping_policy",
    )
    member = models.OneToOneField(
        "members.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shipping_policy",
    )
    rural_surcharge_cents = models.PositiveIntegerField(
        _("rural delivery surcharge (cents)"), default=0
    )
    free_over_cents = models.PositiveIntegerField(
        _("free shipping within New Zealand over (cents)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no free shipping."),
    )
    pickup_at_premises = models.BooleanField(
        _("customers may collect from our premises"), default=False
    )
    pickup_address = models.CharField(_("pickup address"), max_length=300, blank=True)
    pickup_instructions = models.CharField(
        _("pickup hours and instructions"), max_length=300, blank=True
    )
    # Delivery days (a member's only): the weekdays it dispatches, 0 Monday to 6
    # Sunday; empty when it sets none (then the shopper picks no day). Orders
    # placed after the cutoff (New Zealand time) on a dispatch day go the next.
    dispatch_weekdays = models.JSONField(_("dispatch days"), default=list, blank=True)
    dispatch_cutoff = models.TimeField(_("order cutoff"), null=True, blank=True)
    transit_days = models.PositiveSmallIntegerField(
        _("ordinary courier days"),
        default=2,
        help_text=_("Days from dispatch to arrival by ordinary courier in NZ."),
    )
    # A cluster's hub delivery has its own rates (docs/orders.md "Hub delivery"):
    # the cluster's, but not its default policy for members without their own.
    hub = models.OneToOneField(
        "HubDelivery",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="policy",
    )

    class Meta:
        verbose_name = _("shipping policy")
        verbose_name_plural = _("shipping policies")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(cluster__isnull=True)
                    & Q(member__isnull=False)
                    & Q(hub__isnull=True)
                )
                | (
                    Q(cluster__isnull=False)
                    & Q(member__isnull=True)
                    & Q(hub__isnull=True)
                )
                | (
                    Q(cluster__isnull=True)
                    & Q(member__isnull=True)
                    & Q(hub__isnull=False)
                ),
                name="orders_shippingpolicy_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"shipping of {self.member or self.cluster or self.hub}"


class ShippingRate(TimeStamped):
    """The charge for one parcel to ``zone`` weighing up to ``max_weight_grams``
    (no limit when empty), GST-inclusive. The lightest tier that fits applies."""

    policy = models.ForeignKey(
        ShippingPolicy, on_delete=models.CASCADE, related_name="rates"
    )
    zone = models.CharField(_("zone"), max_length=16, choices=Zone)
    max_weight_grams = models.PositiveIntegerField(
        _("up to (grams)"), null=True, blank=True
    )
    price_cents = models.PositiveIntegerField(_("price (cents, GST-inclusive)"))

    class Meta:
        ordering = ["zone", models.F("max_weight_grams").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "zone", "max_weight_grams"],
                condition=Q(max_weight_grams__isnull=False),
                name="orders_shippingrate_tier_unique",
            ),
            models.UniqueConstraint(
                fields=["policy", "zone"],
                condition=Q(max_weight_grams__isnull=True),
                name="orders_shippingrate_open_tier_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone} ≤ {self.max_weight_grams or '∞'} g: {self.price_cents}"


class ChilledRate(TimeStamped):
    """A member's chilled courier charge for one zone in New Zealand: one price a
    parcel (GST-inclusive, whatever it weighs) and the days from dispatch to
    arrival. Frozen goods travel at the chilled rate (docs/orders.md)."""

    policy = models.ForeignKey(
        ShippingPolicy, on_delete=models.CASCADE, related_name="chilled_rates"
    )
    zone = models.CharField(_("zone"), max_length=16, choices=Zone)
    price_cents = models.PositiveIntegerField(_("price (cents, GST-inclusive)"))
    transit_days = models.PositiveSmallIntegerField(_("days in transit"), default=1)

    class Meta:
        ordering = ["zone"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "zone"], name="orders_chilledrate_one_per_zone"
            ),
            models.CheckConstraint(
                condition=Q(zone__in=["north", "south", "chatham"]),
                name="orders_chilledrate_nz_only",
            ),
            models.CheckConstraint(
                condition=Q(transit_days__gte=1) & Q(transit_days__lte=14),
                name="orders_chilledrate_transit_days",
            ),
        ]

    def __str__(self) -> str:
        return f"chilled {self.zone}: {self.price_cents}"


class HubSplitRule(models.TextChoices):
    """How one hub delivery charge is shared among the members' parts."""

    WEIGHT = "weight", _("By weight")
    VALUE = "value", _("By value")
    EQUAL = "equal", _("Equally")


class HubDelivery(TimeStamped):
    """A cluster's hub delivery (docs/orders.md "Hub delivery"): members drop
    their parts of an order at the hub by a cutoff, and the hub sends them on as
    one parcel for one delivery charge, priced by zone and weight on the hub's
    own rates (a ``ShippingPolicy`` whose ``hub`` is this) and shared among the
    members by ``split_rule``."""

    class Cutoff(models.TextChoices):
        WEEKLY = "weekly", _("By a weekday and time")
        HOURS = "hours", _("Within hours of the order being paid")

    cluster = models.OneToOneField(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="hub_delivery"
    )
    enabled = models.BooleanField(_("offer hub delivery"), default=False)
    hub_name = models.CharField(_("hub"), max_length=120, blank=True)
    hub_address = models.CharField(_("hub address"), max_length=300, blank=True)
    cutoff_kind = models.CharField(
        _("drop-off cutoff"), max_length=8, choices=Cutoff, default=Cutoff.HOURS
    )
    # Weekly: the weekday (0 Monday … 6 Sunday) and time, New Zealand time, by
    # which parts of orders paid before it must be at the hub.
    cutoff_weekday = models.PositiveSmallIntegerField(null=True, blank=True)
    cutoff_time = models.TimeField(null=True, blank=True)
    # Hours: parts must be at the hub this many hours after the order is paid.
    cutoff_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    split_rule = models.CharField(
        _("share the charge"),
        max_length=8,
        choices=HubSplitRule,
        default=HubSplitRule.WEIGHT,
    )

    class Meta:
        verbose_name = _("hub delivery")
        verbose_name_plural = _("hub deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(cutoff_weekday__isnull=True) | Q(cutoff_weekday__lte=6),
                name="orders_hubdelivery_weekday",
            ),
        ]

    def __str__(self) -> str:
        return f"hub delivery of {self.cluster_id}"


class SalesWindow(TimeStamped):
    """A cluster's sales window: a market day with pre-order and collect, a
    vintage or harvest release, a Christmas box (docs/orders.md "Sales windows",
    ADR 0016).

    Orders open at ``opens_at`` and close at ``closes_at`` (the cutoff), both
    stored in UTC and shown in ``time_zone`` (IANA). Its products, with their caps
    and per-customer limits, are its ``items``; its pickup points are the
    ``PickupEvent`` rows linked to it (``pickup_points``), so checkout's pickup
    choice is the one it already has. ``delivery_from``/``delivery_until``: the
    days its goods are delivered, when it delivers at all.
    """

    class Kind(models.TextChoices):
        MARKET_DAY = "market_day", _("Market day")
        RELEASE = "release", _("Release")
        BOX = "box", _("Box")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="sales_windows"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    name_en = models.CharField(_("name"), max_length=160)
    name_mi = models.CharField(_("name in te reo Māori"), max_length=160, blank=True)
    description = models.TextField(_("description"), blank=True)
    time_zone = models.CharField(_("time zone"), max_length=32)
    opens_at = models.DateTimeField(_("orders open"))
    closes_at = models.DateTimeField(_("orders close"))
    delivery_from = models.DateField(_("delivered from"), null=True, blank=True)
    delivery_until = models.DateField(_("delivered until"), null=True, blank=True)
    restricted_day_exemption = models.TextField(
        _("restricted trading day exemption"),
        blank=True,
        help_text=_(
            "Only for a window on a restricted shop-trading day: who granted it."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["opens_at", "pk"]
        verbose_name = _("sales window")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="orders_saleswindow_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(delivery_until__isnull=True)
                | Q(delivery_from__isnull=True)
                | Q(delivery_until__gte=models.F("delivery_from")),
                name="orders_saleswindow_delivery_days_in_order",
            ),
        ]
        indexes = [models.Index(fields=["cluster", "is_active", "closes_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if get_language() == "mi" and self.name_mi:
            return self.name_mi
        return self.name_en

    @property
    def delivers(self) -> bool:
        return self.delivery_from is not None


class SalesWindowItem(TimeStamped):
    """One product sold in a window: its cap (all its options together, None: no
    cap beyond stock), its limit per customer, and how many are sold — taken
    with a conditional ``UPDATE`` in checkout's transaction, as stock is.

    ``window_only``: the product is sold only through its windows (before one
    opens the shop says when; after the cutoff it can't be ordered). Otherwise
    it sells as usual outside them, and through the window while it is open."""

    window = models.ForeignKey(
        SalesWindow, on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+"
    )
    cap = models.PositiveIntegerField(_("cap"), null=True, blank=True)
    per_customer_limit = models.PositiveIntegerField(
        _("most per customer"), null=True, blank=True
    )
    sold = models.PositiveIntegerField(_("sold"), default=0)
    window_only = models.BooleanField(_("only in this window"), default=True)

    class Meta:
        ordering = ["window", "member", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "product"], name="orders_saleswindowitem_once"
            ),
            models.CheckConstraint(
                condition=Q(cap__isnull=True) | Q(sold__lte=models.F("cap")),
                name="orders_saleswindowitem_within_cap",
            ),
            models.CheckConstraint(
                condition=Q(per_customer_limit__isnull=True)
                | Q(per_customer_limit__gte=1),
                name="orders_saleswindowitem_limit_positive",
            ),
        ]
        indexes = [models.Index(fields=["product", "window"])]

    def __str__(self) -> str:
        return f"{self.product_id} in {self.window_id}"

    @property
    def left(self) -> int | None:
        return None if self.cap is None else max(0, self.cap - self.sold)


class PickupEvent(TimeStamped):
    """A cluster event or market day where customers collect what they ordered.

    Times are stored in UTC and shown in ``time_zone`` (an IANA name: the Chatham
    Islands are 45 minutes ahead of the mainland). Orders for pickup here close at
    ``order_cutoff``. An event on a restricted shop-trading day (Christmas Day, Good
    Friday, Easter Sunday, Anzac Day morning) needs an exemption the admin records.
    """

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="pickup_events"
    )
    name_en = models.CharField(_("name"), max_length=160)
    name_mi = models.CharField(_("name in te reo Māori"), max_length=160, blank=True)
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    collection_point = models.CharField(
        _("collection point"),
        max_length=200,
        help_text=_("Where exactly to collect, e.g. “the Click & Collect table”."),
    )
    time_zone = models.CharField(_("time zone"), max_length=32)
    starts_at = models.DateTimeField(_("pickup from"))
    ends_at = models.DateTimeField(_("pickup until"))
    order_cutoff = models.DateTimeField(_("orders close"))
    restricted_day_exemption = models.TextField(
        _("restricted trading day exemption"),
        blank=True,
        help_text=_(
            "Only for an event on a restricted shop-trading day: who granted it."
        ),
    )
    members = models.ManyToManyField(
        "members.Member",
        blank=True,
        related_name="pickup_events",
        verbose_name=_("members taking part"),
        help_text=_("Leave empty when every member of the cluster takes part."),
    )
    is_active = models.BooleanField(_("open for orders"), default=True)
    # A sales window's pickup point (None: an event of its own).
    sales_window = models.ForeignKey(
        SalesWindow,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pickup_points",
        verbose_name=_("sales window"),
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("pickup event")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="orders_pickupevent_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(order_cutoff__lte=models.F("ends_at")),
                name="orders_pickupevent_cutoff_before_end",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if get_language() == "mi" and self.name_mi:
            return self.name_mi
        return self.name_en


class Cart(TimeStamped):
    """A shopper's cart in one cluster's storefront: a guest's is found by the
    session, a customer's by the account (a guest's cart merges in on login)."""

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="carts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="carts",
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "user"],
                condition=Q(user__isnull=False),
                name="orders_cart_one_per_user",
            ),
            models.UniqueConstraint(
                fields=["cluster", "session_key"],
                condition=~Q(session_key=""),
                name="orders_cart_one_per_session",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(session_key=""),
                name="orders_cart_has_an_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"cart {self.pk} in {self.cluster_id}"


class CartLine(TimeStamped):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalogue.Variant", on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "variant"], name="orders_cartline_unique"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="orders_cartline_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.variant_id}"


class AuGst(models.TextChoices):
    """Whether Australian GST was charged on an order (or one member's part of
    it) delivered to Australia, and why not (domain-nz.md §2; docs/trade.md
    "Australian GST on sales to consumers (LVIG)"). Blank: not delivered to
    Australia."""

    CHARGED = "charged", _("Australian GST charged: goods worth A$1,000 or less")
    OVER_LIMIT = (
        "over_limit",
        _("No Australian GST: goods worth over A$1,000 are taxed at the border"),
    )
    EXCLUDED_GOODS = (
        "excluded_goods",
        _("No Australian GST: alcohol and tobacco are taxed at the border"),
    )
    BUSINESS_BUYER = (
        "business_buyer",
        _("No Australian GST: a GST-registered business buyer gave its ABN"),
    )
    NOT_REGISTERED = (
        "not_registered",
        _("No Australian GST: the cluster is not registered for it"),
    )


# What a shopper agrees to when ticking "hear from the other makers" at checkout
# (kept on the order, in the language it was shown in, with the time).
SHARE_CONTACT_WORDING = _(
    "The other makers in this order may contact me by email about their products. "
    "I can ask any of them to stop at any time."
)


class Order(TimeStamped):
    """What a customer bought in one checkout, from one or more members."""

    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        PAID = "paid", _("Paid")
        # A trade order on account terms (docs/trade.md "Getting paid"): invoiced
        # to the buyer's account, so its members may fulfil and dispatch it before
        # the money is in; it becomes "paid" when the buyer has paid all of it.
        ON_ACCOUNT = "on_account", _("On account")
        CANCELLED = "cancelled", _("Cancelled")

    class PaymentState(models.TextChoices):
        UNPAID = "unpaid", _("Not paid")
        # Some of a trade order's money is in (its deposit, a part payment).
        PART_PAID = "part_paid", _("Part paid")
        PAID = "paid", _("Paid")
        PARTLY_REFUNDED = "partly_refunded", _("Partly refunded")
        REFUNDED = "refunded", _("Refunded")

    class Channel(models.TextChoices):
        RETAIL = "retail", _("Retail")
        TRADE = "trade", _("Trade")

    number = models.CharField(_("order number"), max_length=16, unique=True)
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.RETAIL
    )
    # Trade: each line's unit price excludes GST and its GST is added (retail
    # prices include it).
    prices_exclude_gst = models.BooleanField(default=False)
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.PROTECT, related_name="orders"
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    # --- Contact ---
    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # --- Delivery address (blank when everything is picked up) ---
    country = models.CharField(_("country"), max_length=2, default="NZ")
    address_line1 = models.CharField(_("street address"), max_length=200, blank=True)
    address_line2 = models.CharField(
        _("apartment, unit or RD"), max_length=200, blank=True
    )
    suburb = models.CharField(_("suburb"), max_length=100, blank=True)
    town = models.CharField(_("town or city"), max_length=100, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    region = models.ForeignKey(
        "clusters.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    state = models.CharField(_("state or province"), max_length=100, blank=True)
    rural_delivery = models.BooleanField(_("rural delivery"), default=False)
    zone = models.CharField(_("zone"), max_length=16, choices=Zone, blank=True)
    # Export orders (delivered outside New Zealand) are zero-rated for GST.
    zero_rated = models.BooleanField(_("zero-rated export"), default=False)
    # Who sold, as the cluster had it when the order was placed (docs/money.md):
    # GST, invoices and the books follow it even if the cluster changes later.
    selling_model = models.CharField(
        _("who sells"), max_length=16, choices=SellingModel, default=SellingModel.AGENT
    )
    # --- Australian GST (orders delivered to Australia) ---
    # Charged (cents, NZD; contained in the totals below) and why or why not.
    au_gst_cents = models.PositiveIntegerField(default=0)
    au_gst_reason = models.CharField(max_length=20, choices=AuGst, blank=True)
    # A business buyer's ABN, given with its statement that it is registered for
    # GST and buying for business use (then no AU GST is charged).
    buyer_abn = models.CharField(_("buyer's ABN"), max_length=11, blank=True)
    # The AUD rate the A$1,000 test used (AUD per NZ$1) and where it came from.
    aud_rate = models.DecimalField(
        max_digits=12, decimal_places=6, null=True, blank=True
    )
    aud_rate_source = models.CharField(max_length=160, blank=True)
    # --- R18 ---
    age_confirmed_at = models.DateTimeField(
        _("customer confirmed they are 18 or over"), null=True, blank=True
    )
    # --- Consent to hear from the order's other makers (Privacy Act 2020,
    # IPP 3A): the shopper ticked it at checkout; the words they agreed to and
    # when are kept with it. Read by cooperation's customers page. ---
    share_contact_consent = models.BooleanField(
        _("agreed to hear from the order's other makers"), default=False
    )
    share_contact_wording = models.CharField(max_length=300, blank=True)
    share_contact_at = models.DateTimeField(null=True, blank=True)
    # --- Totals (cents, GST-inclusive) ---
    goods_cents = models.PositiveIntegerField(default=0)
    shipping_cents = models.PositiveIntegerField(default=0)
    gst_cents = models.PositiveIntegerField(default=0)
    total_cents = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="NZD", editable=False)
    # --- Promotions (ADR 0015): the code the shopper gave, as applied, and what
    # the promotions took off when the order was placed (goods and delivery;
    # the totals above are after it). Which ones: ``promotions.PromotionUse``.
    promo_code = models.CharField(_("promo code"), max_length=32, blank=True)
    discount_cents = models.PositiveIntegerField(default=0)
    # --- Payment ---
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.AWAITING_PAYMENT
    )
    payment_state = models.CharField(
        _("payment"), max_length=20, choices=PaymentState, default=PaymentState.UNPAID
    )
    payment_method = models.CharField(_("payment method"), max_length=32)
    payment_reference = models.CharField(
        _("payment reference"), max_length=32, blank=True
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    # Stock is held for an unpaid order until then (docs/orders.md).
    hold_until = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The same checkout submitted twice makes one order.
    idempotency_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("order")
        indexes = [
            models.Index(fields=["cluster", "-created_at"]),
            models.Index(fields=["customer", "-created_at"]),
            models.Index(fields=["status", "hold_until"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(currency="NZD"), name="orders_order_currency_nzd"
            ),
            models.CheckConstraint(
                condition=Q(
                    total_cents=models.F("goods_cents") + models.F("shipping_cents")
                ),
                name="orders_order_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_pickup_only(self) -> bool:
        return not self.zone

    @property
    def may_fulfil(self) -> bool:
        """Whether its members may fulfil it: paid, or a trade order on account."""
        return self.status in FULFILLABLE_ORDER_STATUSES


# Orders whose parts may be packed, sent and handed over.
FULFILLABLE_ORDER_STATUSES = (Order.Status.PAID, Order.Status.ON_ACCOUNT)


class Consignment(TimeStamped):
    """Parts of an order brought to one place and sent on as one (ADR 0010): a
    trade order's parts consolidated at a member's yard or the cluster's depot and
    leaving as one consignment. Its packages and the proof that the goods left
    New Zealand (carrier, waybill or bill of lading, the date) are kept here:
    the evidence of zero-rating an export (domain-nz.md §1.4)."""

    class Status(models.TextChoices):
        GATHERING = "gathering", _("Gathering at the consolidation point")
        LEFT = "left", _("Left")

    class Kind(models.TextChoices):
        TRADE = "trade", _("Trade consignment")
        # A retail order's parts gathered at the cluster's hub and sent on as one
        # parcel (docs/orders.md "Hub delivery"): the waybill is its tracking.
        HUB = "hub", _("One parcel from the hub")

    order = models.OneToOneField(
        "Order", on_delete=models.CASCADE, related_name="consignment"
    )
    kind = models.CharField(
        max_length=8, choices=Kind.choices, default=Kind.TRADE, editable=False
    )
    # Hub delivery: the one delivery charge and how it was shared (the parts'
    # ``shipping_cents`` are the shares, they add up to it).
    charge_cents = models.PositiveIntegerField(default=0)
    split_rule = models.CharField(max_length=8, choices=HubSplitRule, blank=True)
    consolidation_point = models.CharField(_("consolidation point"), max_length=200)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.GATHERING
    )
    carrier = models.CharField(_("carrier"), max_length=120, blank=True)
    waybill = models.CharField(
        _("waybill or bill of lading number"), max_length=60, blank=True
    )
    left_on = models.DateField(_("date it left"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="left")
                | (Q(left_on__isnull=False) & ~Q(carrier="") & ~Q(waybill="")),
                name="orders_consignment_left_has_evidence",
            )
        ]

    def __str__(self) -> str:
        return f"Consignment of {self.order_id}"


class ConsignmentPackage(models.Model):
    """One package of a consignment: what the packing list says of it."""

    class Kind(models.TextChoices):
        PALLET = "pallet", _("Pallet")
        CRATE = "crate", _("Crate")
        CARTON = "carton", _("Carton")
        BUNDLE = "bundle", _("Bundle")

    consignment = models.ForeignKey(
        Consignment, on_delete=models.CASCADE, related_name="packages"
    )
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    marks = models.CharField(_("shipping marks"), max_length=120, blank=True)
    contents = models.CharField(_("contents"), max_length=300)
    length_mm = models.PositiveIntegerField()
    width_mm = models.PositiveIntegerField()
    height_mm = models.PositiveIntegerField()
    net_weight_grams = models.PositiveIntegerField()
    gross_weight_grams = models.PositiveIntegerField()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gross_weight_grams__gte=models.F("net_weight_grams")),
                name="orders_package_gross_at_least_net",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position + 1}"

    @property
    def volume_m3(self) -> Decimal:
        cubic_mm = Decimal(self.length_mm * self.width_mm * self.height_mm)
        return (cubic_mm / Decimal(10**9)).quantize(Decimal("0.001"))


class Fulfilment(TimeStamped):
    """One member's part of an order: its goods, delivery or pickup, and progress."""

    class Method(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        PICKUP_PREMISES = "pickup_premises", _("Pickup from the maker")
        PICKUP_EVENT = "pickup_event", _("Pickup at an event")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        PACKED = "packed", _("Packed")
        SHIPPED = "shipped", _("Shipped")
        READY = "ready", _("Ready for pickup")
        DELIVERED = "delivered", _("Delivered")
        COLLECTED = "collected", _("Collected")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="fulfilments"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="fulfilments"
    )
    # The supplier as it was when the order was placed (for tax invoices).
    supplier_name = models.CharField(max_length=160)
    gst_registered = models.BooleanField()
    gst_number = models.CharField(max_length=16, blank=True)
    method = models.CharField(_("delivery or pickup"), max_length=20, choices=Method)
    pickup_event = models.ForeignKey(
        PickupEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fulfilments",
    )
    pickup_code = models.CharField(_("pickup code"), max_length=8, blank=True)
    goods_cents = models.PositiveIntegerField(default=0)
    shipping_cents = models.PositiveIntegerField(default=0)
    gst_cents = models.PositiveIntegerField(default=0)
    total_cents = models.PositiveIntegerField(default=0)
    # Free delivery (ADR 0015): the delivery charge a promotion took off (the
    # shopper pays ``shipping_cents``, after it), and of that what the cluster
    # pays the member. Nothing when the part is cancelled.
    shipping_discount_cents = models.PositiveIntegerField(default=0)
    shipping_discount_cluster_cents = models.PositiveIntegerField(default=0)
    # What the customer paid for this part: its total when the order was paid
    # (cancelling lowers the total, not this; refunds of the part stop here).
    paid_cents = models.PositiveIntegerField(default=0)
    weight_grams = models.PositiveIntegerField(default=0)
    # Australian GST on this part (contained in its totals), why or why not, and
    # the customs value of its goods in AUD cents (its consignment's value for
    # the A$1,000 test: goods only, without transport).
    au_gst_cents = models.PositiveIntegerField(default=0)
    au_gst_reason = models.CharField(max_length=20, choices=AuGst, blank=True)
    customs_value_aud_cents = models.PositiveIntegerField(null=True, blank=True)
    check_id = models.BooleanField(
        _("check ID on delivery or pickup"),
        default=False,
        help_text=_("The order has R18 goods."),
    )
    chilled = models.BooleanField(
        _("ships chilled"),
        default=False,
        help_text=_("The part has chilled or frozen goods."),
    )
    # The delivery day the shopper chose, and the day the member dispatches for it.
    delivery_on = models.DateField(_("delivery day"), null=True, blank=True)
    dispatch_on = models.DateField(_("dispatch day"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.NEW
    )
    # Hub delivery: the part goes to the cluster's hub and leaves in the order's
    # one parcel (its ``Consignment`` of kind hub); dropped there when.
    via_hub = models.BooleanField(_("via the hub"), default=False)
    hub_dropped_at = models.DateTimeField(null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=64, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)
    packed_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)  # shipped or ready
    completed_at = models.DateTimeField(null=True, blank=True)  # delivered/collected
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order", "supplier_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "member"], name="orders_fulfilment_one_per_member"
            ),
            models.CheckConstraint(
                condition=Q(
                    total_cents=models.F("goods_cents") + models.F("shipping_cents")
                ),
                name="orders_fulfilment_total_adds_up",
            ),
            models.CheckConstraint(
                condition=~Q(method="pickup_event") | Q(pickup_event__isnull=False),
                name="orders_fulfilment_event_pickup_has_event",
            ),
            models.CheckConstraint(
                condition=Q(
                    shipping_discount_cluster_cents__lte=models.F(
                        "shipping_discount_cents"
                    )
                ),
                name="orders_fulfilment_cluster_pays_within_discount",
            ),
        ]
        indexes = [models.Index(fields=["member", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.member_id}"


class OrderLine(models.Model):
    """What was bought, as it was at the time: a snapshot, not a live link."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    fulfilment = models.ForeignKey(
        Fulfilment, on_delete=models.CASCADE, related_name="lines"
    )
    variant = models.ForeignKey(
        "catalogue.Variant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(max_length=160)
    variant_name = models.CharField(max_length=120, blank=True)
    sku = models.CharField(max_length=64)
    unit_price_cents = models.PositiveIntegerField()
    quantity = models.PositiveIntegerField()
    cancelled_quantity = models.PositiveIntegerField(default=0)
    # What the shopper pays for the line: ``unit_price_cents`` x the quantity not
    # cancelled, less its share of ``discount_cents``. Its GST is on that.
    total_cents = models.PositiveIntegerField()
    gst_cents = models.PositiveIntegerField()
    # Promotions (ADR 0015): what they took off the whole ``quantity``, and of that
    # what the cluster pays the member. Cancelling some items keeps the share of
    # the items left (``live_discount_cents``: largest remainder).
    discount_cents = models.PositiveIntegerField(default=0)
    discount_cluster_cents = models.PositiveIntegerField(default=0)
    # Australian GST contained in ``total_cents`` (0 unless charged on the line).
    au_gst_cents = models.PositiveIntegerField(default=0)
    weight_grams = models.PositiveIntegerField(default=0)  # for the whole line
    restricted_r18 = models.BooleanField(default=False)
    alcohol_or_tobacco = models.BooleanField(default=False)
    # The variant's cold chain and dates when it was bought (for the packing slip).
    cold_chain = models.CharField(max_length=16, default="none")
    harvested_on = models.DateField(null=True, blank=True)
    best_before = models.DateField(null=True, blank=True)
    # Sold through a sales window (its cap and limits), or None.
    window_item = models.ForeignKey(
        SalesWindowItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_lines",
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="orders_orderline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(cancelled_quantity__lte=models.F("quantity")),
                name="orders_orderline_cancel_at_most_all",
            ),
            models.CheckConstraint(
                condition=Q(discount_cluster_cents__lte=models.F("discount_cents")),
                name="orders_orderline_cluster_pays_within_discount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"

    @property
    def live_quantity(self) -> int:
        return self.quantity - self.cancelled_quantity

    @property
    def live_discount_cents(self) -> int:
        """The discount on the items not cancelled (see ``discount_share``)."""
        return discount_share(self.discount_cents, self.live_quantity, self.quantity)

    @property
    def live_discount_cluster_cents(self) -> int:
        """Of ``live_discount_cents``, what the cluster pays."""
        return discount_share(
            self.discount_cluster_cents, self.live_quantity, self.quantity
        )

    @property
    def list_total_cents(self) -> int:
        """The items not cancelled at their price, before any promotion."""
        return self.unit_price_cents * self.live_quantity

    @property
    def cold_chain_mark(self) -> str:
        """ "Chilled", "Frozen", "Perishable", or "" (as on the product page)."""
        from purei.catalogue.models import Variant

        if self.cold_chain not in Variant.ColdChain.values or self.cold_chain == "none":
            return ""
        return str(Variant.ColdChain(self.cold_chain).label)


def discount_share(discount_cents: int, live: int, quantity: int) -> int:
    """The share of a line's discount that stays with ``live`` of its
    ``quantity`` items: split between the items kept and the items cancelled by
    the largest remainder (kept first on a tie), so it never depends on how the
    cancellations came, and a refund gives back exactly what was paid for the
    items cancelled (ADR 0015)."""
    if discount_cents <= 0 or live <= 0:
        return 0
    if live >= quantity:
        return discount_cents
    return largest_remainder(discount_cents, [live, quantity - live])[0]


class FreightQuote(TimeStamped):
    """A shopper's request for a freight quote for one member's part, and the
    cluster admin's answer (docs/orders.md "Freight on quote").

    The part is a delivery whose charge is "to be quoted": its fulfilment carries
    no shipping until the admin answers. The answer becomes the part's shipping
    charge (GST-inclusive, as the supplier charges GST), the order's totals grow
    by it, and the shopper may pay. The order holds its stock meanwhile:
    ``expires_at`` for an answer, then the usual hold for the payment."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a quote")
        QUOTED = "quoted", _("Quoted: waiting for payment")
        PAID = "paid", _("Paid")
        DECLINED = "declined", _("Declined by the shopper")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Order cancelled")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="freight_quotes"
    )
    fulfilment = models.OneToOneField(
        Fulfilment, on_delete=models.CASCADE, related_name="freight_quote"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="freight_quotes"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.REQUESTED
    )
    # Why delivery is quoted: goods marked freight on quote, or too heavy for
    # every courier rate of the zone.
    reason = models.CharField(max_length=16, default="goods")
    # The answer: the charge as the shopper pays it (GST-inclusive when the
    # supplier charges GST), the GST in it, the carrier and a note to the shopper.
    price_cents = models.PositiveIntegerField(
        _("freight (cents)"), null=True, blank=True
    )
    gst_cents = models.PositiveIntegerField(default=0)
    carrier = models.CharField(_("carrier"), max_length=64, blank=True)
    note = models.TextField(_("note to the shopper"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # An unanswered request lapses then: the order is cancelled, stock released.
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["expires_at", "pk"]
        indexes = [models.Index(fields=["cluster", "status", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="requested")
                | Q(status="expired")
                | Q(status="declined")
                | Q(status="cancelled")
                | Q(price_cents__isnull=False),
                name="orders_freightquote_quoted_has_price",
            ),
        ]

    def __str__(self) -> str:
        return f"freight quote {self.pk} for {self.fulfilment_id}"

    @property
    def is_open(self) -> bool:
        """Waiting for the admin's answer."""
        return self.status == self.Status.REQUESTED

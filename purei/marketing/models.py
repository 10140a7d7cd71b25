"""Marketing's models (ADR 0013).

Stories and newsletters (docs/marketing.md "Stories and newsletters"):

- ``Story``: the cluster's journal, in English and/or te reo Māori (Markdown), with
  its pictures (``StoryImage``); drafts, then published on the storefront.
- ``Subscriber``: one address on one cluster's newsletter, its status and the
  consent it gave; ``SubscriptionEvent`` is the append-only record of that consent
  (asked, confirmed, withdrawn, bounced…), each with its time, source and the
  wording the person was shown (UEMA 2007 s9(3): the sender must prove consent).
- ``Campaign``: a story sent to the subscribers of a segment; ``CampaignRecipient``
  records each address once, so a rerun never sends twice.
- ``NotifyRequest``: "tell me when…" — back in stock now, the opening of a sales
  window later: a *kind* and a *target* (the variant, the window) so both share it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped
from purei.core.renditions import Picture, picture_of
from purei.core.uploads import stored_upload_name

MAORI = "mi"


def story_image_upload_to(instance: models.Model, filename: str) -> str:
    return stored_upload_name("marketing/stories", filename)


class Story(TimeStamped):
    """One story of a cluster's journal. Either language may be left out, not both:
    a story has an English or a te reo title (``story_create`` checks)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="stories"
    )
    slug = models.SlugField(_("web address name"), max_length=80)
    title_en = models.CharField(_("title in English"), max_length=160, blank=True)
    title_mi = models.CharField(_("title in te reo Māori"), max_length=160, blank=True)
    summary_en = models.CharField(_("summary in English"), max_length=300, blank=True)
    summary_mi = models.CharField(
        _("summary in te reo Māori"), max_length=300, blank=True
    )
    body_en = models.TextField(_("story in English (Markdown)"), blank=True)
    body_mi = models.TextField(_("story in te reo Māori (Markdown)"), blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "slug"], name="marketing_story_slug_per_cluster"
            ),
            models.CheckConstraint(
                condition=~Q(title_en="") | ~Q(title_mi=""),
                name="marketing_story_has_a_title",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="marketing_story_published_at",
            ),
        ]
        indexes = [models.Index(fields=["cluster", "status", "-published_at"])]

    def __str__(self) -> str:
        return self.title_en or self.title_mi

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def has_version(self, language: str) -> bool:
        """Written in ``language``: a title and a story (a te reo title alone is a
        subtitle of the English version, as a product's ``title_mi`` is)."""
        return bool(self.title_in(language) and self.body_in(language).strip())

    @property
    def languages(self) -> list[str]:
        """The languages the story is written in, English first (those with only
        a title when neither has a story yet)."""
        found = [code for code in ("en", MAORI) if self.has_version(code)]
        return found or [code for code in ("en", MAORI) if self.title_in(code)]

    def language_for(self, language: str | None = None) -> str:
        """The version to show to a reader of ``language`` (the active one by
        default): te reo where it is written in te reo, else English, else te reo."""
        wanted = language or get_language() or "en"
        available = self.languages
        if wanted == MAORI and MAORI in available:
            return MAORI
        return "en" if "en" in available else MAORI

    @property
    def subtitle_mi(self) -> str:
        """A te reo title shown under the English one, when there is no te reo
        version of its own."""
        return self.title_mi if MAORI not in self.languages else ""

    def title_in(self, language: str) -> str:
        return self.title_mi if language == MAORI else self.title_en

    def summary_in(self, language: str) -> str:
        return self.summary_mi if language == MAORI else self.summary_en

    def body_in(self, language: str) -> str:
        return self.body_mi if language == MAORI else self.body_en

    @property
    def title(self) -> str:
        return self.title_in(self.language_for())

    @property
    def summary(self) -> str:
        return self.summary_in(self.language_for())

    @property
    def title_lang(self) -> str:
        return self.language_for()

    @property
    def cover(self) -> StoryImage | None:
        """The first picture (from the prefetched ``images``)."""
        images = list(self.images.all())
        return images[0] if images else None


class StoryImage(TimeStamped):
    """A picture of a story, checked and cleaned like every upload
    (``purei.core.images``). Its ``number`` places it in the text:
    ``![A description](image:2)`` on a line of its own."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="images")
    number = models.PositiveSmallIntegerField()
    image = models.ImageField(
        _("picture"),
        upload_to=story_image_upload_to,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt_text = models.CharField(
        _("description for people who can't see it"), max_length=200
    )
    # Smaller WebP and JPEG copies, narrowest first (purei.core.renditions).
    renditions = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "number"], name="marketing_story_image_number"
            )
        ]

    def __str__(self) -> str:
        return self.alt_text

    @property
    def picture(self) -> Picture | None:
        return picture_of(
            self.image,
            self.renditions,
            self.alt_text,
            width=self.width,
            height=self.height,
        )


class Subscriber(TimeStamped):
    """One email address on one cluster's newsletter (double opt-in).

    A newsletter goes only to ``subscribed`` addresses: confirmed from the link
    emailed to them and not withdrawn since. ``email`` is kept lower-case."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        SUBSCRIBED = "subscribed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="subscribers"
    )
    email = models.EmailField(_("email address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscriptions",
    )
    region = models.ForeignKey(
        "clusters.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # The consent in force (a copy of its confirming event, for the export).
    consent_source = models.CharField(max_length=200, blank=True)
    consent_wording = models.TextField(blank=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "email"], name="marketing_subscriber_once"
            )
        ]
        indexes = [models.Index(fields=["cluster", "status"])]

    def __str__(self) -> str:
        return self.email

    @property
    def is_subscribed(self) -> bool:
        return self.status == self.Status.SUBSCRIBED


class SubscriptionEvent(models.Model):
    """One step of a subscriber's consent, never changed or removed."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Asked to subscribe")
        CONFIRMED = "confirmed", _("Confirmed (double opt-in)")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    at = models.DateTimeField()
    # Where it happened: "web: /c/<slug>/newsletter/", "api", "one-click
    # unsubscribe (RFC 8058)", "admin: <email>", "webhook", "demo seed".
    source = models.CharField(max_length=200)
    # The words the person was shown when they asked or confirmed.
    wording = models.TextField(blank=True)
    campaign = models.ForeignKey(
        "Campaign",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.subscriber} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Campaign(TimeStamped):
    """A story emailed to the subscribers of one segment of a cluster's list."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    class Segment(models.TextChoices):
        ALL = "all", _("All subscribers")
        REGION = "region", _("Subscribers in a region")
        CATEGORY = "category", _("Buyers of a category")
        TRADE = "trade", _("Trade buyers")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="campaigns"
    )
    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="campaigns")
    subject = models.CharField(_("subject"), max_length=200)
    segment = models.CharField(
        _("send to"), max_length=16, choices=Segment.choices, default=Segment.ALL
    )
    region = models.ForeignKey(
        "clusters.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    category = models.ForeignKey(
        "catalogue.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    reply_to = models.EmailField(_("replies go to"))
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    queued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["cluster", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(segment="region") | Q(region__isnull=False),
                name="marketing_campaign_region_segment",
            ),
            models.CheckConstraint(
                condition=~Q(segment="category") | Q(category__isnull=False),
                name="marketing_campaign_category_segment",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class CampaignRecipient(models.Model):
    """One address of a campaign, recorded once (the unique constraint): a rerun of
    the sending task finds it sent, or claimed, and sends nothing twice."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (no longer subscribed)")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="recipients"
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    email = models.EmailField()
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscriber"], name="marketing_recipient_once"
            )
        ]
        indexes = [models.Index(fields=["campaign", "status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"


class NotifyRequest(TimeStamped):
    """ "Tell me when…": one address waiting for one event of one target.

    ``kind`` says what the target is: for ``back_in_stock`` the ``target_id`` is a
    catalogue variant; for ``window_opens`` (with sales windows, issue 14) it will
    be the window. Each is emailed once (``notified_at``); an anonymous request is
    confirmed from an emailed link first, as a newsletter is."""

    class Kind(models.TextChoices):
        BACK_IN_STOCK = "back_in_stock", _("Back in stock")
        WINDOW_OPENS = "window_opens", _("Sales window opens")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        WAITING = "waiting", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="notify_requests"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    target_id = models.PositiveBigIntegerField()
    email = models.EmailField(_("email address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(max_length=200)
    wording = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_id", "email"],
                condition=Q(status__in=["pending", "waiting"]),
                name="marketing_notify_once_while_open",
            )
        ]
        indexes = [models.Index(fields=["kind", "status", "target_id"])]

    def __str__(self) -> str:
        return f"{self.email}: {self.kind} {self.target_id}"


# --- Reviews (docs/marketing.md "Reviews") --------------------------------------------


class ReviewSettings(TimeStamped):
    """A cluster's rules for reviews. A cluster without a row has the defaults:
    reviews wait for a curator before they show (``needs_approval``)."""

    cluster = models.OneToOneField(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="review_settings"
    )
    needs_approval = models.BooleanField(
        _("reviews wait for a curator before they show"), default=True
    )

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")

    def __str__(self) -> str:
        return f"{self.cluster_id}: needs approval {self.needs_approval}"


class Review(TimeStamped):
    """A verified buyer's review of a product they received (the fulfilment of
    its order line delivered or collected), with one reply from the maker.

    One per buyer and product. ``cluster`` is the cluster of the order that makes
    its author a verified buyer: its curators moderate it and its product page
    shows it. Its author may change it until a curator decides on it or the maker
    replies (``is_editable``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a curator")
        APPROVED = "approved", _("Shown")
        REJECTED = "rejected", _("Rejected")
        HIDDEN = "hidden", _("Hidden")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="reviews"
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="+"
    )
    # The maker, as the product's member (kept here so a member's reviews and
    # its scope are one indexed filter).
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    # The line that made the author a verified buyer.
    order_line = models.ForeignKey(
        "orders.OrderLine",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    stars = models.PositiveSmallIntegerField(_("rating"))
    body = models.TextField(_("your review"))
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    published_at = models.DateTimeField(null=True, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reply = models.TextField(_("the maker's reply"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "author"], name="marketing_review_once_per_buyer"
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=1) & Q(stars__lte=5),
                name="marketing_review_stars_1_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(published_at__isnull=False),
                name="marketing_review_published_at",
            ),
            models.CheckConstraint(
                condition=Q(reply="") | Q(replied_at__isnull=False),
                name="marketing_review_replied_at",
            ),
        ]
        indexes = [
            models.Index(
                fields=["cluster", "product", "status", "-published_at"],
                name="marketing_review_shown",
            ),
            models.Index(fields=["cluster", "status", "created_at"]),
            models.Index(fields=["member", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.stars}/5 on {self.product_id} by {self.author_id}"

    @property
    def is_editable(self) -> bool:
        """Its author may still change it: no curator has decided on it and the
        maker has not replied."""
        return self.moderated_at is None and not self.reply

    @property
    def has_reply(self) -> bool:
        return bool(self.reply)

    @property
    def author_name(self) -> str:
        """How the author is named in public: first name and the initial of the
        last ("Aroha T."), never the email address."""
        words = (getattr(self.author, "full_name", "") or "").split()
        if not words:
            return str(_("A verified buyer"))
        if len(words) == 1:
            return words[0]
        return f"{words[0]} {words[-1][0]}."

"""The notice board, the library, partner search and the sharing choice.

Working together (issue 15, ADR 0017): everything here belongs to one cluster
and is seen only by the people of that cluster — the teams of its approved members
and its admins and curators. A member's own facts reach other members only through
its ``SharingChoice``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped
from purei.core.storage import private_storage
from purei.core.uploads import stored_upload_name


def attachment_upload_to(instance: models.Model, filename: str) -> str:
    # Never under a public media prefix: served only by the scoped download views.
    return stored_upload_name("cooperation/attachments", filename)


def resource_upload_to(instance: models.Model, filename: str) -> str:
    return stored_upload_name("cooperation/resources", filename)


class Thread(TimeStamped):
    """A notice on a cluster's board, in one category."""

    class Category(models.TextChoices):
        ANNOUNCEMENTS = "announcements", _("Announcements")
        FREIGHT = "freight", _("Freight")
        EVENTS = "events", _("Events")
        HELP_WANTED = "help_wanted", _("Help wanted")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="threads"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("message"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    author_member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: posted for the cluster by one of its admins."),
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_activity_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notice")
        indexes = [
            models.Index(
                fields=["cluster", "-pinned", "-last_activity_at"],
                name="coop_thread_board",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Reply(TimeStamped):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("reply"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_member = models.ForeignKey(
        "members.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"


class Attachment(TimeStamped):
    """A file on a notice or a reply: a PDF, JPEG or PNG checked as credentials'
    evidence is (``core.images.evidence_clean``)."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="attachments"
    )
    reply = models.ForeignKey(
        Reply,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(upload_to=attachment_upload_to, storage=private_storage)
    name = models.CharField(max_length=160)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class Mention(models.Model):
    """A member business or a person named with ``@`` in a notice or a reply."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="mentions"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | models.Q(user__isnull=False),
                name="coop_mention_names_someone",
            )
        ]

    def __str__(self) -> str:
        return f"@{self.member_id or self.user_id} in {self.thread_id}"


class Follow(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="coop_follow_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.thread_id}"


class DigestChoice(TimeStamped):
    """How often a person hears of the notices they follow in one cluster."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        NEVER = "never", _("Never")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency, default=Frequency.WEEKLY
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "cluster"], name="coop_digest_once")
        ]


class Resource(TimeStamped):
    """One entry of a cluster's shared library: a file or a link, with versions."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("All members")
        ADMINS = "admins", _("Admins only")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="resources"
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    visibility = models.CharField(
        _("who may see it"),
        max_length=10,
        choices=Visibility,
        default=Visibility.MEMBERS,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.title


class ResourceVersion(models.Model):
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    file = models.FileField(
        upload_to=resource_upload_to, blank=True, storage=private_storage
    )
    content_type = models.CharField(max_length=60, blank=True)
    url = models.URLField(max_length=500, blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="coop_resource_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"


class PartnerPost(TimeStamped):
    """A member's need or offer (spare cool-store space, half a container to
    Brisbane); it expires."""

    class Kind(models.TextChoices):
        NEED = "need", _("A need")
        OFFER = "offer", _("An offer")

    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="partner_posts"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="partner_posts"
    )
    kind = models.CharField(_("need or offer"), max_length=10, choices=Kind)
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("details"))
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["cluster", "expires_at"], name="coop_post_open")
        ]

    def __str__(self) -> str:
        return self.title


class PartnerInterest(TimeStamped):
    """A member saying "we're interested": seen by the poster's team only."""

    post = models.ForeignKey(
        PartnerPost, on_delete=models.CASCADE, related_name="interests"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField(_("note to the poster"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member"], name="coop_interest_once"
            )
        ]


class SharingChoice(TimeStamped):
    """What a member agreed to show the other members of its clusters, beyond its
    public page. Nothing is shared until its owner says so."""

    member = models.OneToOneField(
        "members.Member", on_delete=models.CASCADE, related_name="sharing"
    )
    makes = models.TextField(_("what we make"), blank=True, max_length=1000)
    capacity = models.TextField(_("capacity"), blank=True, max_length=1000)
    share_makes = models.BooleanField(_("show what we make"), default=False)
    share_capacity = models.BooleanField(_("show our capacity"), default=False)
    share_credentials = models.BooleanField(
        _("show our verified certifications"), default=False
    )
    share_contact = models.BooleanField(
        _("show our contact email and phone"), default=False
    )

    def __str__(self) -> str:
        return f"{self.member_id} sharing"

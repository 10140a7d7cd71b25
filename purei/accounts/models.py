from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import BaseUserManager as DjangoBaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped


class UserManager(DjangoBaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in with an email address; no username."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("platform staff"),
        default=False,
        help_text=_("Platform operators: review cluster applications, use the admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The language emails to this person go out in (a code of settings.LANGUAGES),
    # set from the one they used when they signed up or last switched; empty until
    # then (emails use settings.LANGUAGE_CODE).
    language = models.CharField(_("language"), max_length=8, blank=True, default="")

    objects: ClassVar[UserManager] = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ClusterRole(TimeStamped):
    """A person's role in one cluster. One person may hold roles in many clusters."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Cluster admin")
        CURATOR = "curator", _("Curator")
        KAITIAKI = "kaitiaki", _("Kaitiaki (cultural adviser)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cluster_roles"
    )
    cluster = models.ForeignKey(
        "clusters.Cluster", on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cluster", "role"], name="accounts_clusterrole_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.cluster}"


class MemberRole(TimeStamped):
    """A person's role in one member business: its owner, or one of its staff."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_roles"
    )
    member = models.ForeignKey(
        "members.Member", on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "member", "role"], name="accounts_memberrole_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.member}"


# An invitation for a business to join a cluster (``cluster`` set): it grants no
# role; the invited person's business joins the cluster, approved by the inviter.
MEMBER_BUSINESS = "member"
INVITATION_ROLES = [
    *ClusterRole.Role.choices,
    *MemberRole.Role.choices,
    (MEMBER_BUSINESS, _("Member business")),
]
# The longest personal message an invitation may carry.
INVITATION_MESSAGE_MAX_LENGTH = 1000


class Invitation(TimeStamped):
    """An emailed invitation to take a role in a cluster (admin, curator) or in a
    member business (owner, staff): exactly one of ``cluster`` and ``member`` is set.
    The role ``member`` (``MEMBER_BUSINESS``) invites a business to join ``cluster``
    instead: the invited person joins with one of their businesses.

    The link carries a signed, timestamped token of this row's ``key``; it expires
    after ``settings.INVITATION_MAX_AGE_DAYS`` and stops working once accepted or
    revoked.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    key = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField(_("email address"))
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
    )
    role = models.CharField(max_length=16, choices=INVITATION_ROLES)
    message = models.TextField(
        _("personal message"),
        blank=True,
        max_length=INVITATION_MESSAGE_MAX_LENGTH,
        help_text=_("From the person inviting, quoted in the email."),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(cluster__isnull=False, member__isnull=True)
                    | models.Q(cluster__isnull=True, member__isnull=False)
                ),
                name="accounts_invitation_cluster_xor_member",
            ),
            models.CheckConstraint(
                condition=(
                    ~models.Q(role=MEMBER_BUSINESS) | models.Q(cluster__isnull=False)
                ),
                name="accounts_invitation_business_to_cluster",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.email} → {self.get_role_display()} of {self.cluster or self.member}"
        )

    @property
    def is_for_business(self) -> bool:
        """An invitation for a business to join the cluster (no role to hold)."""
        return self.role == MEMBER_BUSINESS

"""API keys and the API's idempotency records (ADR 0019)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped


class ApiKey(TimeStamped):
    """A key a machine sends as ``Authorization: Bearer pk_live_…``.

    Only the SHA-256 of the whole key is kept (``secret_hash``); ``prefix`` (its first
    16 characters) is shown in lists so a person can tell keys apart. Exactly one
    owner, of the key's ``kind``."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member business")
        CLUSTER = "cluster", _("Cluster")
        TRADE_ACCOUNT = "trade_account", _("Trade account")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
    )
    trade_account = models.ForeignKey(
        "trade.TradeAccount",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_keys",
    )
    prefix = models.CharField(max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="member",
                        member__isnull=False,
                        cluster__isnull=True,
                        trade_account__isnull=True,
                    )
                    | Q(
                        kind="cluster",
                        member__isnull=True,
                        cluster__isnull=False,
                        trade_account__isnull=True,
                    )
                    | Q(
                        kind="trade_account",
                        member__isnull=True,
                        cluster__isnull=True,
                        trade_account__isnull=False,
                    )
                ),
                name="apikeys_key_one_owner_of_its_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def owner_id(self) -> int:
        owner = self.member_id or self.cluster_id or self.trade_account_id
        if owner is None:  # the check constraint forbids it
            raise ValueError("An API key without an owner.")
        return owner

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired


class IdempotencyRecord(models.Model):
    """The first answer to a write sent with an ``Idempotency-Key`` header, kept 24
    hours for its ``principal`` (the key, the account or the guest's cart token).

    ``status`` is null while the first request is still being answered."""

    principal = models.CharField(max_length=80)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["principal", "key"], name="apikeys_idempotency_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"

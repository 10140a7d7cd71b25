"""Webhook endpoints, the events they were sent, and each delivery (docs/api.md
"Webhooks")."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from purei.core.models import TimeStamped


class Endpoint(TimeStamped):
    """A URL that hears a member business's or a cluster's events.

    The signing secret is kept as it is (Pūrei must sign with it); after a
    rotation the previous one signs too, until ``previous_secret_until``."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member business")
        CLUSTER = "cluster", _("Cluster")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
    )
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=80)
    previous_secret = models.CharField(max_length=80, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="member", member__isnull=False, cluster__isnull=True)
                    | Q(kind="cluster", member__isnull=True, cluster__isnull=False)
                ),
                name="webhooks_endpoint_one_owner_of_its_kind",
            )
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def signing_secrets(self, now: dt.datetime | None = None) -> list[str]:
        """The secrets that sign now: the current one, then the previous one
        while its overlap lasts."""
        at = now or timezone.now()
        secrets = [self.secret]
        until = self.previous_secret_until
        if self.previous_secret and until is not None and until > at:
            secrets.append(self.previous_secret)
        return secrets


class Event(models.Model):
    """One thing that happened, as sent: ``public_id`` is the ``id`` of the body
    and the ``Purei-Event-Id`` header (the same on every attempt and replay)."""

    public_id = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=40)
    cluster_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    member_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    payload = models.JSONField(default=dict)
    created = models.DateTimeField()

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.public_id}"


class Delivery(TimeStamped):
    """Sending one event to one endpoint, with its retries.

    A worker *claims* a pending delivery (``claimed_until``: a conditional
    ``UPDATE``) before it sends; one killed mid-delivery leaves it pending, and
    once the claim has expired ``purei webhooks_resume`` queues it again."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)
    replay_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.event_id} → {self.endpoint_id} ({self.state})"

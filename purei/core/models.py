from django.conf import settings
from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One admin action: who did what, when, to what, with the state before and after.

    Scoped by ``cluster`` and/or ``member`` so each cluster's admins see their own.
    Rows are only ever added (see ``purei.core.audit.audit_record``).
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_email = models.CharField(max_length=254, blank=True)
    verb = models.CharField(max_length=64)
    cluster = models.ForeignKey(
        "clusters.Cluster",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["cluster", "-created_at"]),
            models.Index(fields=["member", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.verb}"


class SentEmail(models.Model):
    """The sent marker of one email a task sends (``purei.core.mail``, "Sent exactly
    once"): a task retried after its worker died finds its email here and does not
    send it again.

    ``key`` is a digest of the task run (its id), the email's template and its
    recipient. A row is claimed (``sent_at`` empty) in its own committed
    transaction before the send, and marked sent right after it.
    """

    key = models.CharField(max_length=64, unique=True)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key[:12]} {'sent' if self.sent_at else 'claimed'}"

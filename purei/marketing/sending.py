"""Sending a campaign in batches, and "back in stock" emails: what the tasks run.

**Each recipient once.** ``campaign_recipients_prepare`` records every address of
the segment as a ``CampaignRecipient`` (unique per campaign and subscriber; run
again, it adds none twice). ``campaign_batch_deliver`` then takes up to a batch
of waiting recipients and, for each, first *claims* it with one conditional
``UPDATE`` (waiting → being sent) and only then sends: two workers, or a rerun,
can never both send to one address. A send that fails goes back to waiting with
its next attempt later (``NEWSLETTER_RETRY_SECONDS``), and fails for good after
the last. A worker that dies between claim and send leaves the recipient "being
sent": it is never sent again (at most once), and ``campaign_stale_fail`` marks
it failed after an hour so the campaign can finish.

**Consent at the last moment.** A recipient whose subscription ended after the
campaign was queued (unsubscribed, bounced, complained) is skipped, not sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from purei.marketing.mailing import campaign_message
from purei.marketing.models import (
    Campaign,
    CampaignRecipient,
    NotifyRequest,
    Subscriber,
)
from purei.marketing.selectors import back_in_stock_due, campaign_segment_subscribers

logger = logging.getLogger(__name__)

PREPARE_CHUNK = 1000
STALE_AFTER = dt.timedelta(hours=1)
# What a send can fail with: the server's refusal or the connection's.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def retry_delays() -> list[int]:
    return [int(seconds) for seconds in settings.NEWSLETTER_RETRY_SECONDS]


def campaign_recipients_prepare(*, campaign_id: int) -> int:
    """Record each subscribed address of a queued campaign's segment once, then
    mark the campaign sending. Returns how many recipients it has."""
    campaign = Campaign.objects.select_related("cluster").filter(pk=campaign_id).first()
    if campaign is None or campaign.status != Campaign.Status.QUEUED:
        return 0
    rows = (
        campaign_segment_subscribers(campaign)
        .order_by("pk")
        .values_list("pk", "email")
        .iterator(chunk_size=PREPARE_CHUNK)
    )
    while chunk := list(islice(rows, PREPARE_CHUNK)):
        CampaignRecipient.objects.bulk_create(
            [
                CampaignRecipient(
                    campaign_id=campaign.pk, subscriber_id=pk, email=email
                )
                for pk, email in chunk
            ],
            ignore_conflicts=True,
        )
    total = CampaignRecipient.objects.filter(campaign_id=campaign.pk).count()
    Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.QUEUED).update(
        status=Campaign.Status.SENDING,
        recipient_count=total,
        updated_at=timezone.now(),
    )
    return total


@dataclass(frozen=True)
class BatchOutcome:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0
    more_due: bool = False  # another batch can go at once
    retry_at: dt.datetime | None = None  # the earliest retry waiting, if any
    finished: bool = False


def _claim(recipient: CampaignRecipient) -> bool:
    claimed = CampaignRecipient.objects.filter(
        pk=recipient.pk, status=CampaignRecipient.Status.PENDING
    ).update(
        status=CampaignRecipient.Status.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=None,
        claimed_at=timezone.now(),
    )
    return claimed == 1


def _mark(recipient: CampaignRecipient, status: str, **fields: object) -> None:
    CampaignRecipient.objects.filter(pk=recipient.pk).update(status=status, **fields)


def _due(campaign: Campaign, now: dt.datetime) -> Q:
    return Q(campaign=campaign, status=CampaignRecipient.Status.PENDING) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def campaign_batch_deliver(*, campaign_id: int, batch_size: int) -> BatchOutcome:
    """Send one batch of a sending campaign over one connection to the mail
    server; finish the campaign when no recipient is left waiting."""
    campaign = (
        Campaign.objects.select_related("cluster", "story__cluster")
        .prefetch_related("story__images")
        .filter(pk=campaign_id)
        .first()
    )
    if campaign is None or campaign.status != Campaign.Status.SENDING:
        return BatchOutcome()
    now = timezone.now()
    batch = list(
        CampaignRecipient.objects.filter(_due(campaign, now))
        .select_related("subscriber__cluster")
        .order_by("pk")[:batch_size]
    )
    delays = retry_delays()
    sent = failed = skipped = retried = 0
    if batch:
        mailer = mailers.default
        try:
            mailer.open()
            for recipient in batch:
                if not _claim(recipient):
                    continue  # another worker has it
                subscriber = recipient.subscriber
                if subscriber.status != Subscriber.Status.SUBSCRIBED:
                    _mark(recipient, CampaignRecipient.Status.SKIPPED)
                    skipped += 1
                    continue
                try:
                    mailer.send_messages([campaign_message(campaign, subscriber)])
                except SEND_ERRORS as exc:
                    attempts = recipient.attempts + 1
                    error = f"{type(exc).__name__}: {exc}"[:300]
                    logger.warning(
                        "campaign %s: sending to recipient %s failed (%s)",
                        campaign.pk,
                        recipient.pk,
                        error,
                    )
                    if attempts <= len(delays):
                        retry = timezone.now() + dt.timedelta(
                            seconds=delays[attempts - 1]
                        )
                        _mark(
                            recipient,
                            CampaignRecipient.Status.PENDING,
                            next_attempt_at=retry,
                            error=error,
                        )
                        retried += 1
                    else:
                        _mark(recipient, CampaignRecipient.Status.FAILED, error=error)
                        failed += 1
                    continue
                _mark(
                    recipient,
                    CampaignRecipient.Status.SENT,
                    sent_at=timezone.now(),
                    error="",
                )
                sent += 1
        finally:
            mailer.close()
    now = timezone.now()
    more_due = CampaignRecipient.objects.filter(_due(campaign, now)).exists()
    retry_at = CampaignRecipient.objects.filter(
        campaign=campaign, status=CampaignRecipient.Status.PENDING
    ).aggregate(at=Min("next_attempt_at"))["at"]
    finished = campaign_finish_if_done(campaign_id=campaign.pk)
    return BatchOutcome(
        sent=sent,
        failed=failed,
        skipped=skipped,
        retried=retried,
        more_due=more_due,
        retry_at=retry_at,
        finished=finished,
    )


def campaign_finish_if_done(*, campaign_id: int) -> bool:
    """Mark a sending campaign sent, with its counts, once none of its recipients
    waits or is being sent."""
    open_statuses = (CampaignRecipient.Status.PENDING, CampaignRecipient.Status.SENDING)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.status != Campaign.Status.SENDING:
            return False
        recipients = CampaignRecipient.objects.filter(campaign=campaign)
        if recipients.filter(status__in=open_statuses).exists():
            return False
        counts = {
            status: recipients.filter(status=status).count()
            for status in (
                CampaignRecipient.Status.SENT,
                CampaignRecipient.Status.FAILED,
                CampaignRecipient.Status.SKIPPED,
            )
        }
        campaign.status = Campaign.Status.SENT
        campaign.finished_at = timezone.now()
        campaign.sent_count = counts[CampaignRecipient.Status.SENT]
        campaign.failed_count = counts[CampaignRecipient.Status.FAILED]
        campaign.skipped_count = counts[CampaignRecipient.Status.SKIPPED]
        campaign.save(
            update_fields=[
                "status",
                "finished_at",
                "sent_count",
                "failed_count",
                "skipped_count",
                "updated_at",
            ]
        )
    return True


def campaign_stale_fail(*, now: dt.datetime | None = None) -> int:
    """Recipients claimed over an hour ago and never marked (their worker died):
    failed, not sent again. Returns how many."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = CampaignRecipient.objects.filter(
        status=CampaignRecipient.Status.SENDING,
        campaign__status=Campaign.Status.SENDING,
        claimed_at__lt=cutoff,
    )
    return stale.update(
        status=CampaignRecipient.Status.FAILED,
        error="interrupted while sending; not sent again",
    )


def campaigns_queued_long_ago(*, now: dt.datetime | None = None) -> list[int]:
    """Campaigns queued over five minutes ago whose recipients were never recorded
    (the task was lost): to prepare again."""
    cutoff = (now or timezone.now()) - dt.timedelta(minutes=5)
    return list(
        Campaign.objects.filter(
            status=Campaign.Status.QUEUED, queued_at__lt=cutoff
        ).values_list("pk", flat=True)
    )


def campaigns_finish_all() -> int:
    """Finish every sending campaign with nothing left to send; how many."""
    return sum(
        campaign_finish_if_done(campaign_id=pk)
        for pk in Campaign.objects.filter(status=Campaign.Status.SENDING).values_list(
            "pk", flat=True
        )
    )


def campaigns_due(*, now: dt.datetime | None = None) -> list[int]:
    """Campaigns with recipients due now (to resume after a worker stopped, or
    retries with a backend that cannot defer a task)."""
    now = now or timezone.now()
    sending = (
        CampaignRecipient.objects.filter(
            campaign__status=Campaign.Status.SENDING,
            status=CampaignRecipient.Status.PENDING,
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("campaign_id", flat=True)
        .distinct()
    )
    return sorted(set(sending))


# --- Back in stock ----------------------------------------------------------------


def notify_claim(request: NotifyRequest) -> bool:
    """Take a waiting request for sending (at most once)."""
    return (
        NotifyRequest.objects.filter(
            pk=request.pk, status=NotifyRequest.Status.WAITING
        ).update(
            status=NotifyRequest.Status.SENT,
            notified_at=timezone.now(),
            attempts=F("attempts") + 1,
            updated_at=timezone.now(),
        )
        == 1
    )


def notify_failed(request: NotifyRequest) -> None:
    """Sending failed: back to waiting for the next run, or failed after three."""
    status = (
        NotifyRequest.Status.FAILED
        if request.attempts + 1 >= 3
        else NotifyRequest.Status.WAITING
    )
    NotifyRequest.objects.filter(pk=request.pk).update(
        status=status, notified_at=None, updated_at=timezone.now()
    )


def back_in_stock_batch(*, limit: int) -> list[NotifyRequest]:
    return back_in_stock_due(limit=limit)

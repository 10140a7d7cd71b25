"""``purei campaigns_resume``: carry on sending campaigns — recipients due (retries,
with a task backend that cannot defer a task, and batches a stopped worker left),
campaigns queued whose task was lost — and fail recipients claimed over an hour
ago by a worker that died (never sent twice). Run it from cron every few minutes
(docs/marketing.md "Sending")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from purei.marketing.sending import (
    campaign_stale_fail,
    campaigns_due,
    campaigns_finish_all,
    campaigns_queued_long_ago,
)
from purei.marketing.tasks import campaign_batch_send, campaign_recipients_prepare_task


class Command(BaseCommand):
    help = "Resume sending campaigns with recipients due (retries, stopped workers)."

    def handle(self, *args: Any, **options: Any) -> None:
        stale = campaign_stale_fail()
        lost = campaigns_queued_long_ago()
        for campaign_id in lost:
            campaign_recipients_prepare_task.enqueue(campaign_id=campaign_id)
        due = campaigns_due()
        for campaign_id in due:
            campaign_batch_send.enqueue(campaign_id=campaign_id)
        finished = campaigns_finish_all()
        self.stdout.write(
            f"Campaigns: {len(lost)} prepared again, {len(due)} resumed, {stale} "
            f"interrupted sends failed, {finished} finished."
        )

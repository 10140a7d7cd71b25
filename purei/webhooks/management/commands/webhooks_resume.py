"""``purei webhooks_resume``: queue every webhook delivery that is due — retries
(with a task backend that cannot defer a task) and deliveries a killed worker
left claimed, once the claim has expired. Run it from cron every minute or few
(docs/api.md "Webhooks")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from purei.webhooks.sending import deliveries_due
from purei.webhooks.tasks import webhook_deliver


class Command(BaseCommand):
    help = "Queue webhook deliveries that are due (retries, stopped workers)."

    def handle(self, *args: Any, **options: Any) -> None:
        due = deliveries_due()
        for delivery_id in due:
            webhook_deliver.enqueue(delivery_id=delivery_id)
        self.stdout.write(f"Webhooks: {len(due)} deliveries queued.")

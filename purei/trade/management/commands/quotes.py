"""``purei quotes list --cluster SLUG [--status STATUS]``: a cluster's requests for
quote and where each stands (its newest quote's revision, total and validity), as
its admins see them on ``/manage/clusters/<slug>/trade/``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from purei.clusters.models import Cluster
from purei.trade.models import Quote, QuoteRequest
from purei.trade.money import format_money

HELP = gettext_noop("List a cluster's requests for quote and their newest quotes.")


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="list a cluster's requests")
        listing.add_argument("--cluster", required=True, help="the cluster's slug")
        listing.add_argument(
            "--status",
            choices=QuoteRequest.Status.values,
            default=None,
            help="only requests in this state",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cluster = Cluster.objects.filter(slug=options["cluster"]).first()
        if cluster is None:
            raise CommandError(
                _("No cluster “%(slug)s”.") % {"slug": options["cluster"]}
            )
        requests = (
            QuoteRequest.objects.filter(cluster=cluster)
            .select_related("account")
            .annotate(line_count=Count("lines"))
            .prefetch_related(
                Prefetch("quotes", queryset=Quote.objects.order_by("-revision"))
            )
            .order_by("-created_at", "-pk")
        )
        if options["status"]:
            requests = requests.filter(status=options["status"])
        rows = list(requests)
        if not rows:
            self.stdout.write(_("No requests for quote."))
            return
        self.stdout.write(
            f"{'number':<12} {'status':<10} {'buyer':<32} {'terms':<20} "
            f"{'lines':>5}  {'newest quote'}"
        )
        for request in rows:
            quotes = list(request.quotes.all())
            newest = (
                f"rev. {quotes[0].revision} {quotes[0].get_status_display().lower()}, "
                f"{format_money(quotes[0].total_cents, quotes[0].currency)}, "
                f"valid until {quotes[0].valid_until:%Y-%m-%d}"
                if quotes
                else "—"
            )
            self.stdout.write(
                f"{request.number or '':<12} {request.status:<10} "
                f"{request.account.name[:32]:<32} {request.terms_label[:20]:<20} "
                f"{request.line_count:>5}  {newest}"
            )

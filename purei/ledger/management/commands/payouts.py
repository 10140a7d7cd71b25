"""``purei payouts run --cluster SLUG --until YYYY-MM-DD [--as EMAIL]
[--bank-file PATH]``: run a cluster's payouts (docs/money.md "Payouts").

``purei payouts run --all --until YYYY-MM-DD [--bank-dir DIR]`` runs every live
cluster's, one bank file each (``<slug>-run<id>.csv``): what a weekly schedule
calls (cron or a systemd timer; docs/money.md "Payouts on a schedule").

``--until`` is a date in New Zealand time: money up to the end of that day. Without
``--as`` Pūrei itself runs it (as a scheduled run would); with it, that user must
be an admin of the cluster or Pūrei staff.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from purei.accounts.models import User
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import DomainError
from purei.ledger.bankfile import bank_batch_csv, dollars
from purei.ledger.models import PayoutRun
from purei.ledger.services.payouts import payout_run

HELP = gettext_noop("Run a cluster's member payouts and write the bank batch file.")


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` in the project's time zone (New Zealand)."""
    start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    aware = timezone.make_aware(start, timezone.get_default_timezone())
    return aware - dt.timedelta(microseconds=1)


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        run = actions.add_parser("run", help="run the payouts of one cluster")
        which = run.add_mutually_exclusive_group(required=True)
        which.add_argument("--cluster", help="the cluster's slug")
        which.add_argument(
            "--all", action="store_true", help="every live cluster, one after another"
        )
        run.add_argument(
            "--bank-dir", type=Path, default=None, help="with --all: bank CSVs here"
        )
        run.add_argument(
            "--until", required=True, help="pay money up to this day (YYYY-MM-DD)"
        )
        run.add_argument("--as", dest="as_email", default=None, help="acting user")
        run.add_argument(
            "--bank-file", type=Path, default=None, help="write the bank CSV here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"]:
            clusters = list(
                Cluster.objects.filter(status=Cluster.Status.LIVE).order_by("slug")
            )
        else:
            found = Cluster.objects.filter(slug=options["cluster"]).first()
            if found is None:
                raise CommandError(
                    _("No cluster “%(slug)s”.") % {"slug": options["cluster"]}
                )
            clusters = [found]
        try:
            day = dt.date.fromisoformat(options["until"])
        except ValueError:
            raise CommandError(_("Give --until as a date: YYYY-MM-DD.")) from None
        actor = Actor.system()
        if options["as_email"]:
            user = User.objects.filter(email__iexact=options["as_email"]).first()
            if user is None:
                raise CommandError(
                    _("No user “%(email)s”.") % {"email": options["as_email"]}
                )
            actor = Actor(user=user)
        for cluster in clusters:
            if len(clusters) > 1:
                self.stdout.write(cluster.name_en)
            try:
                run = payout_run(actor=actor, cluster=cluster, until=end_of_day(day))
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            self._report(run, options)

    def _report(self, run: PayoutRun, options: dict[str, Any]) -> None:
        payouts = list(run.payouts.select_related("member").order_by("pk"))
        for payout in payouts:
            self.stdout.write(
                _("Paid %(number)s  %(member)s  $%(amount)s")
                % {
                    "number": payout.number,
                    "member": payout.member.name,
                    "amount": dollars(payout.amount_cents),
                }
            )
        for skipped in run.skipped:
            self.stdout.write(
                _("Skipped %(member)s  $%(amount)s  %(reason)s")
                % {
                    "member": skipped["name"],
                    "amount": dollars(int(skipped["balance_cents"])),
                    "reason": skipped["reason"],
                }
            )
        self.stdout.write(
            _("Payout run %(run)s: %(count)s payouts, $%(total)s in all.")
            % {"run": run.pk, "count": len(payouts), "total": dollars(run.total_cents)}
        )
        path: Path | None = options["bank_file"]
        if options["bank_dir"] is not None and payouts:
            options["bank_dir"].mkdir(parents=True, exist_ok=True)
            path = options["bank_dir"] / f"{run.cluster.slug}-run{run.pk}.csv"
        if path is not None:
            path.write_text(bank_batch_csv(run), encoding="utf-8")
            self.stdout.write(_("Bank file: %(path)s") % {"path": path})

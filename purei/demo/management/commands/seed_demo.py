"""``purei seed_demo``: load the demo's seed clusters, member businesses and logins
(safe to run twice)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from purei.catalogue.seed import (
    ProductSeedError,
    product_seed_load,
    seed_product_count,
)
from purei.catalogue.seed.heroes import cluster_pictures_seed
from purei.clusters.seed import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    SEED_CLUSTERS,
    SeedError,
    seed_load,
)
from purei.cooperation.seed import cooperation_seed_load
from purei.insights.seed import insights_seed_load
from purei.marketing.review_seed import review_seed_load
from purei.marketing.seed import marketing_seed_load
from purei.members.seed import (
    SEED_MEMBERS,
    MemberSeedError,
    demo_logins_by_cluster,
    member_seed_load,
    seed_login_count,
)
from purei.orders.seed import shipping_seed_load
from purei.orders.seed_windows import sales_window_seed_load
from purei.promotions.seed import promotion_seed_load
from purei.settlement.seed import money_seed_load
from purei.trade.seed import TradeSeedError, trade_seed_load


class Command(BaseCommand):
    help = (
        "Load the demo's seed clusters (with locally drawn logos and heroes), their "
        "member businesses, their products (with locally drawn photos) and the demo "
        "logins (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="skip the demo's past orders, payouts and invoices",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                changes = seed_load()
                changes += member_seed_load()
                changes += product_seed_load()
                # Each cluster's logo and hero, drawn from its members' products.
                changes += cluster_pictures_seed()
                changes += shipping_seed_load()
                # Sales windows: the next fair day, a Christmas box, a release.
                changes += sales_window_seed_load()
                # Trade accounts, trade prices and quotes: no paid orders needed.
                trade = trade_seed_load()
                changes += trade
                # Stories and a newsletter sent (printed on the console in the demo).
                newsletter = marketing_seed_load()
                changes += newsletter
            # Past orders, payouts and invoices: after the catalogue is in, as
            # their own transaction (they go through the order and payment services).
            orders = 0 if options["no_history"] else money_seed_load()
            changes += orders
            # After the history (its orders were placed without promotions).
            promotions = promotion_seed_load()
            changes += promotions
            # The members' space: a board at the Fair, a freight post for steel.
            together = cooperation_seed_load()
            changes += together
            # Reviews: only of what the demo shopper received in that history.
            changes += review_seed_load()
            # Wholesale prices and benchmarking opt-ins (the dashboards read the
            # history above).
            insights = insights_seed_load()
            changes += insights
        except SeedError as error:
            raise CommandError(f"The demo seed breaks a rule:\n{error}") from error
        except MemberSeedError as error:
            raise CommandError(
                f"The demo's member seed breaks a rule:\n{error}"
            ) from error
        except ProductSeedError as error:
            raise CommandError(
                f"The demo's product seed breaks a rule:\n{error}"
            ) from error
        except TradeSeedError as error:
            raise CommandError(
                f"The demo's trade seed cannot be loaded:\n{error}"
            ) from error
        verb = "loaded" if changes else "already up to date"
        self.stdout.write(
            f"Seed: {len(SEED_CLUSTERS)} clusters, {len(SEED_MEMBERS)} member "
            f"businesses, {seed_product_count()} products and {seed_login_count()} "
            f"demo logins {verb}."
        )
        if trade:
            self.stdout.write(
                "Trade: trade prices, AUD rates, three approved trade accounts and "
                "one waiting, two quotes sent and one request being priced (see "
                "/c/nz-steel-fabricators/trade/ as trade@riverbank-steel.test)."
            )
        if newsletter:
            self.stdout.write(
                "Stories: two published by the Martinborough Fair, and its newsletter "
                "sent to three demo subscribers (see /c/martinborough-fair/stories/ "
                "and /manage/clusters/martinborough-fair/newsletter/)."
            )
        if promotions:
            self.stdout.write(
                "Promotions: the Martinborough Fair's free delivery over $80, paid "
                "by the cluster (see /manage/clusters/martinborough-fair/promotions/)."
            )
        if together:
            self.stdout.write(
                "Working together: the Martinborough Fair's notice board and paper "
                "bags group buy, Te Tauranga Toi's kaitiaki vote and levy, and an NZ "
                "Steel Fabricators partner post (see /manage/together/"
                "martinborough-fair/board/ as admin@martinborough-fair.test)."
            )
        if insights:
            self.stdout.write(
                "Insights: wholesale prices for two members of each cluster and "
                "benchmarking opt-ins (see /manage/clusters/<slug>/insights/ and "
                "/manage/members/<slug>/insights/)."
            )
        if orders:
            self.stdout.write(
                f"Money: {orders} past orders paid, one payout run done and the "
                "rest due (see /manage/ as a cluster admin or a member)."
            )
        self.stdout.write("\n".join(self._login_lines()))

    def _login_lines(self) -> list[str]:
        width = max(len(login.email) for login in DEMO_LOGINS)
        lines = [
            "",
            "Demo logins:",
            *(
                f"  {login.email:<{width}}  password: {DEMO_PASSWORD}  — {login.can}"
                for login in DEMO_LOGINS
            ),
            "",
            f"Each cluster's logins (password: {DEMO_PASSWORD}):",
        ]
        clusters = demo_logins_by_cluster()
        width = max(len(email) for c in clusters for _, email, _ in c.logins)
        for cluster in clusters:
            lines.append(f"  {cluster.cluster_name}  /c/{cluster.cluster_slug}/")
            lines.extend(
                f"    {role:<5}  {email:<{width}}  — {what}"
                for role, email, what in cluster.logins
            )
        lines += ["Log in at /accounts/login/.", ""]
        return lines

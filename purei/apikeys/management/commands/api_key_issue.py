"""``purei api_key_issue``: issue an API key from the command line, as a person who
may issue it (a member's owner, a cluster's admin), for scripts and operators.

    purei api_key_issue --member kowhai-ceramics --by owner@example.nz --name "POS"
    purei api_key_issue --cluster martinborough-fair --by admin@example.nz \\
        --name "Accounts" --scope read_money --scope read_orders

Without ``--scope`` the key gets every scope its owner may give. The key is
printed once, on standard output alone (so ``$(purei api_key_issue …)`` holds it);
only its hash is kept. The same rules as the screen apply (ADR 0019).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from purei.apikeys.models import ApiKey
from purei.apikeys.scopes import SCOPES_BY_KIND
from purei.apikeys.services import KeyOwner, api_key_create
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.errors import DomainError
from purei.members.models import Member


class Command(BaseCommand):
    help = "Issue an API key for a member or a cluster; prints the key once."

    def add_arguments(self, parser: CommandParser) -> None:
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--member", metavar="SLUG", help="the member business")
        owner.add_argument("--cluster", metavar="SLUG", help="the cluster")
        parser.add_argument(
            "--by", required=True, metavar="EMAIL", help="who issues it"
        )
        parser.add_argument("--name", required=True, help="what the key is for")
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            help="a scope (repeat); default: every scope the owner may give",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(email__iexact=options["by"]).first()
        if user is None:
            raise CommandError(f"No one has the email {options['by']}.")
        if options["member"]:
            member = Member.objects.filter(slug=options["member"]).first()
            if member is None:
                raise CommandError(f"No member {options['member']}.")
            owner = KeyOwner(kind=ApiKey.Kind.MEMBER, target=member)
        else:
            cluster = Cluster.objects.filter(slug=options["cluster"]).first()
            if cluster is None:
                raise CommandError(f"No cluster {options['cluster']}.")
            owner = KeyOwner(kind=ApiKey.Kind.CLUSTER, target=cluster)
        scopes = options["scope"] or [str(s) for s in SCOPES_BY_KIND[owner.kind]]
        try:
            issued = api_key_create(
                actor=Actor(user=user),
                owner=owner,
                name=options["name"],
                scopes=scopes,
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stderr.write(
            f"Key {issued.key.prefix}… for {owner.kind} {owner.target}: "
            f"{', '.join(issued.key.scopes)}. It is shown only now."
        )
        self.stdout.write(issued.secret)

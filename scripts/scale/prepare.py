"""Get a generated catalogue ready for a scale run (run by the runner with the
primary's DATABASE_URL, after ``scripts.bench.generate``):

- **what shoppers buy**: public, counted variants of the live clusters, light
  enough for every courier tier, their stock set high (a run must not sell out);
  their stock is then kept in a snapshot for ``purei verify_books --stock``;
- **members** who set stock through the API while the load runs: an API key each
  (issued as their owner), and counted variants of theirs that shoppers never buy
  (so "stock = initial - sales" holds for the bought ones);
- **an admin** per cluster bought from, who logs in and runs payouts.

Writes a JSON of all that beside the bench's facts.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purei.settings")
django.setup()

from purei.accounts.models import ClusterRole, MemberRole, User  # noqa: E402
from purei.apikeys.models import ApiKey  # noqa: E402
from purei.apikeys.services import KeyOwner, api_key_create  # noqa: E402
from purei.catalogue.models import Variant  # noqa: E402
from purei.catalogue.selectors import public_listings  # noqa: E402
from purei.core.actor import Actor  # noqa: E402
from purei.operations.verify import stock_snapshot  # noqa: E402

STOCK = 1_000_000
ADMIN_PASSWORD = "scale-demo-admin-1"  # noqa: S105 - a loopback demo's login


def addable(slug: str, variant_id: int) -> bool:
    """Whether a guest can put the variant in a cart of the cluster now (not in a
    closed sales window, not trade-only, …): asked of the cart service itself, in
    a transaction rolled back."""
    from django.db import transaction

    from purei.clusters.models import Cluster
    from purei.core.errors import DomainError
    from purei.orders.services.cart import cart_add, cart_get_or_create

    with transaction.atomic():
        cart = cart_get_or_create(
            cluster=Cluster.objects.get(slug=slug), user=None, session_key="scale-probe"
        )
        try:
            cart_add(cart=cart, variant_id=variant_id, quantity=1)
        except DomainError:
            return False
        finally:
            transaction.set_rollback(True)
    return True


def buyable(count: int) -> list[tuple[str, int]]:
    rows = (
        public_listings()
        .filter(
            product__variants__stock_policy=Variant.StockPolicy.TRACKED,
            product__variants__weight_grams__lte=5000,
            product__restricted_r18=False,
            product__category__restricted_r18=False,
        )
        .values_list("cluster__slug", "product__variants__pk")
        .order_by("cluster__slug", "product__variants__pk")
        .distinct()[: count * 2]
    )
    candidates = [(slug, pk) for slug, pk in rows]
    # Stock first (a counted variant at 0 cannot go in a cart), then the cart's say.
    Variant.objects.filter(pk__in=[pk for _slug, pk in candidates]).update(stock=STOCK)
    return [(slug, pk) for slug, pk in candidates if addable(slug, pk)][:count]


def members_with_keys(count: int, bought: set[int]) -> list[dict[str, object]]:
    picked = []
    owners = (
        MemberRole.objects.filter(role=MemberRole.Role.OWNER, user__is_active=True)
        .select_related("member", "user")
        .order_by("member_id")
    )
    seen: set[int] = set()
    for role in owners:
        if role.member_id in seen:
            continue
        skus = list(
            Variant.objects.filter(
                product__member_id=role.member_id,
                stock_policy=Variant.StockPolicy.TRACKED,
            )
            .exclude(pk__in=bought)
            .values_list("sku", flat=True)[:3]
        )
        if not skus:
            continue
        seen.add(role.member_id)
        issued = api_key_create(
            actor=Actor(user=role.user),
            owner=KeyOwner(kind=ApiKey.Kind.MEMBER, target=role.member),
            name="scale demo: stock",
            scopes=["write_catalogue"],
        )
        picked.append({"slug": role.member.slug, "key": issued.secret, "skus": skus})
        if len(picked) == count:
            break
    return picked


def admins(slugs: set[str]) -> list[dict[str, str]]:
    from purei.clusters.models import Cluster

    made = []
    for cluster in Cluster.objects.filter(slug__in=sorted(slugs)):
        email = f"scale-admin@{cluster.slug}.test"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=ADMIN_PASSWORD, full_name="Scale Admin"
            )
        ClusterRole.objects.get_or_create(
            user=user, cluster=cluster, role=ClusterRole.Role.ADMIN
        )
        made.append(
            {"cluster": cluster.slug, "email": email, "password": ADMIN_PASSWORD}
        )
    return made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--snapshot", type=Path, required=True)
    parser.add_argument("--variants", type=int, default=120)
    parser.add_argument("--members", type=int, default=4)
    args = parser.parse_args()
    buy = buyable(args.variants)
    ids = [pk for _slug, pk in buy]
    stock_snapshot(args.snapshot, ids)
    facts = {
        "buy": buy,
        "members": members_with_keys(args.members, set(ids)),
        "admins": admins({slug for slug, _pk in buy}),
    }
    args.out.write_text(json.dumps(facts, indent=1))
    print(  # noqa: T201
        f"Prepared: {len(buy)} variants to buy in {len(facts['admins'])} clusters, "
        f"{len(facts['members'])} members setting stock."
    )


if __name__ == "__main__":
    main()

"""Reads of promotions: what checkout asks (``checkout_terms``: the cluster's
promotions as plain ``Terms`` with their uses), the manage screens' lists and
single promotions (404 outside scope), and what an order used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _

from purei.catalogue.models import Category, Product
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.members.models import Member, Membership

from .models import Promotion, PromotionUse
from .rules import Terms, normalise_code


def _category_tree() -> dict[int | None, list[int]]:
    """Each category's children (one query; the categories are few)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def _with_descendants(
    named: Iterable[int], children: dict[int | None, list[int]]
) -> frozenset[int]:
    """The categories named and every category below them."""
    found = set(named)
    todo = list(found)
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return frozenset(found)


def _terms(promotion: Promotion, customer_uses: int) -> Terms:
    members = frozenset(m.pk for m in promotion.members.all())
    return Terms(
        id=promotion.pk,
        name=promotion.name,
        kind=promotion.kind,
        paid_by=promotion.paid_by,
        member_id=promotion.member_id,
        code=promotion.code,
        percent_bp=promotion.percent_bp,
        amount_cents=promotion.amount_cents,
        buy_quantity=promotion.buy_quantity,
        get_quantity=promotion.get_quantity,
        members=members,
        categories=frozenset(c.pk for c in promotion.categories.all()),
        products=frozenset(p.pk for p in promotion.products.all()),
        starts_at=promotion.starts_at,
        ends_at=promotion.ends_at,
        min_spend_cents=promotion.min_spend_cents,
        max_uses=promotion.max_uses,
        uses=promotion.uses,
        max_uses_per_customer=promotion.max_uses_per_customer,
        customer_uses=customer_uses,
        first_order_only=promotion.first_order_only,
        stackable=promotion.stackable,
        active=promotion.active,
    )


def customer_filter(user_id: int | None, email: str) -> Q:
    """A customer's uses: by their account, or by their email address."""
    email = email.strip().lower()
    match = Q(customer_email=email) if email else Q(pk__in=[])
    if user_id is not None:
        match |= Q(customer_id=user_id)
    return match


def checkout_terms(
    *,
    cluster_id: int,
    code: str = "",
    user_id: int | None = None,
    email: str = "",
    now: dt.datetime,
) -> list[Terms]:
    """The promotions checkout weighs for a basket in ``cluster_id``: the
    automatic ones that are active and not over, and the one with ``code`` (in
    any state, so the shopper can be told why it does not count). One query when
    there are none; otherwise a few more, whatever their number."""
    code = normalise_code(code)
    wanted = Q(code__isnull=True, active=True) & (
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )
    if code:
        wanted |= Q(code__iexact=code)
    found = list(
        Promotion.objects.filter(cluster_id=cluster_id).filter(wanted).order_by("pk")
    )
    if not found:
        return []
    prefetch_related_objects(found, "members", "categories", "products")
    used: dict[int, int] = {}
    limited = [p.pk for p in found if p.max_uses_per_customer is not None]
    if limited and (user_id is not None or email.strip()):
        used = dict(
            PromotionUse.objects.filter(
                customer_filter(user_id, email),
                promotion_id__in=limited,
                released_at__isnull=True,
            )
            .values("promotion_id")
            .annotate(n=Count("pk"))
            .values_list("promotion_id", "n")
        )
    tree = _category_tree() if any(p.categories.all() for p in found) else {}
    terms = []
    for promotion in found:
        one = _terms(promotion, used.get(promotion.pk, 0))
        if one.categories:
            one = replace(one, categories=_with_descendants(one.categories, tree))
        terms.append(one)
    return terms


# --- The manage screens ----------------------------------------------------------


def _scoped(queryset: QuerySet[Promotion]) -> QuerySet[Promotion]:
    return queryset.select_related("cluster", "member").prefetch_related(
        "members", "categories", "products"
    )


def promotion_list_for_cluster(
    *, actor: Actor, cluster: Cluster
) -> QuerySet[Promotion]:
    """Every promotion of ``cluster`` (its own and its members'), newest first:
    for its admins and platform staff."""
    if not (actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)):
        raise Http404(_("No cluster you manage lives at this address."))
    return _scoped(Promotion.objects.filter(cluster=cluster))


def promotion_get_for_cluster(
    *, actor: Actor, cluster: Cluster, promotion_id: int
) -> Promotion:
    found = (
        promotion_list_for_cluster(actor=actor, cluster=cluster)
        .filter(pk=promotion_id)
        .first()
    )
    if found is None:
        raise Http404(_("No such promotion here."))
    return found


def promotion_list_for_member(*, actor: Actor, member: Member) -> QuerySet[Promotion]:
    """A member's own promotions (in every cluster): its team and platform staff."""
    if not (actor.is_platform_staff or actor.is_member_team(member.pk)):
        raise Http404(_("No business you manage lives at this address."))
    return _scoped(Promotion.objects.filter(member=member))


def promotion_get_for_member(
    *, actor: Actor, member: Member, promotion_id: int
) -> Promotion:
    found = (
        promotion_list_for_member(actor=actor, member=member)
        .filter(pk=promotion_id)
        .first()
    )
    if found is None:
        raise Http404(_("No such promotion here."))
    return found


def uses_of_order(order_id: int) -> list[PromotionUse]:
    """The promotions an order used (given back ones too), in order."""
    return list(
        PromotionUse.objects.filter(order_id=order_id)
        .select_related("promotion__cluster", "promotion__member")
        .order_by("pk")
    )


def uses_of_promotion(promotion: Promotion) -> dict[str, int]:
    """How often a promotion was used and what it took off (given back excluded)."""
    sums = PromotionUse.objects.filter(
        promotion=promotion, released_at__isnull=True
    ).values_list("discount_cents", flat=True)
    values = list(sums)
    return {"orders": len(values), "discount_cents": sum(values)}


def scope_choices_for_cluster(cluster: Cluster) -> dict[str, list[Any]]:
    """What a cluster's promotion may name: its approved members, the
    categories, and its members' products (three queries)."""
    members = Member.objects.filter(
        memberships__cluster=cluster, memberships__status=Membership.Status.APPROVED
    ).order_by("trading_name", "legal_name")
    return {
        "members": list(members),
        "categories": list(Category.objects.order_by("position", "name_en")),
        "products": list(
            Product.objects.filter(member__in=members)
            .select_related("member")
            .order_by("member__trading_name", "title_en")
        ),
    }


def scope_choices_for_member(member: Member) -> dict[str, list[Any]]:
    """What a member's own promotion may name: the categories, its products."""
    return {
        "categories": list(Category.objects.order_by("position", "name_en")),
        "products": list(
            Product.objects.filter(member=member)
            .select_related("member")
            .order_by("title_en")
        ),
    }

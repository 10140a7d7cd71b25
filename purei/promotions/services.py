"""Changing promotions, and counting their uses at checkout.

- ``promotion_create`` / ``promotion_update``: a cluster's admins make the
  cluster's promotions (paid by the cluster); a member's team makes the member's
  own (paid by the member, for its own goods only). What was typed is checked
  here (``PromotionInput`` carries it as text), each refusal named by field.
- ``promotion_pause`` / ``promotion_resume``: stop and start one. A cluster's
  admins may pause any promotion in their cluster, a member's included.
- ``promotion_uses_record``: inside checkout's transaction, an order's uses of the
  promotions it got, under the same locking as stock (ADR 0004): a conditional
  ``UPDATE … SET uses = uses + 1 WHERE uses < max_uses`` per promotion (in id
  order), which also holds the row until the order commits, so the per-customer
  count that follows cannot race either. A promotion used up meanwhile refuses
  the whole order.
- ``promotion_uses_release``: an order cancelled before it was paid gives its
  uses back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from purei.catalogue.models import Category, Product
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.money import PriceInvalid, parse_price_cents
from purei.members.models import Member, Membership

from .errors import PromotionErrorCode
from .models import Promotion, PromotionUse
from .rules import Applied, Shopper, normalise_code

NZ = ZoneInfo("Pacific/Auckland")
CODE = re.compile(r"^[A-Z0-9_-]{3,32}$")
MAX_QUANTITY = 99
AUDITED = (
    "name",
    "kind",
    "percent_bp",
    "amount_cents",
    "buy_quantity",
    "get_quantity",
    "code",
    "starts_at",
    "ends_at",
    "min_spend_cents",
    "max_uses",
    "max_uses_per_customer",
    "first_order_only",
    "stackable",
    "paid_by",
    "active",
)


@dataclass(frozen=True)
class PromotionInput:
    """A promotion as typed. Amounts in dollars ("5", "12.50"), the percentage
    in per cent ("10", "12.5"), dates as YYYY-MM-DD in New Zealand time (from the
    start of ``starts_on`` to the end of ``ends_on``; blank: no limit), counts as
    whole numbers (blank: no limit). ``code`` blank: automatic. ``members``,
    ``categories`` and ``products``: ids (none: the whole cluster; a member's own
    promotion is always for its own goods)."""

    name: str = ""
    kind: str = ""
    percent: str | int | Decimal = ""
    amount: str | int | Decimal = ""
    buy_quantity: str | int = ""
    get_quantity: str | int = ""
    code: str = ""
    members: Sequence[int | str] = ()
    categories: Sequence[int | str] = ()
    products: Sequence[int | str] = ()
    starts_on: str | dt.date = ""
    ends_on: str | dt.date = ""
    min_spend: str | int | Decimal = ""
    max_uses: str | int = ""
    max_uses_per_customer: str | int = ""
    first_order_only: bool = False
    stackable: bool = False


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _count(
    value: Any, name: str, errors: dict[str, list[str]], *, low: int, high: int
) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        _add(
            errors,
            name,
            _("Give a whole number from %(low)s to %(high)s.")
            % {"low": low, "high": high},
        )
        return None
    return number


def _cents(value: Any, name: str, errors: dict[str, list[str]]) -> int | None:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        value = str(value)
    text = _text(value)
    if not text:
        return None
    try:
        return parse_price_cents(text)
    except PriceInvalid:
        _add(errors, name, _("Give an amount in dollars, like 5 or 12.50."))
        return None


def _percent_bp(value: Any, errors: dict[str, list[str]]) -> int | None:
    text = _text(value).removesuffix("%").strip()
    if not text:
        _add(errors, "percent", _("Give the percentage off, like 10."))
        return None
    try:
        percent = Decimal(text)
    except InvalidOperation:
        percent = Decimal(-1)
    bp = percent * 100
    if not percent.is_finite() or bp != bp.to_integral_value() or not 0 < bp <= 10_000:
        _add(
            errors,
            "percent",
            _("Give a percentage above 0 and at most 100, with at most two decimals."),
        )
        return None
    return int(bp)


def _date(value: Any, name: str, errors: dict[str, list[str]]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _add(errors, name, _("Give the date as YYYY-MM-DD, like 2027-02-06."))
        return None


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in New Zealand, as an instant."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=NZ).astimezone(dt.UTC)


def local_day(moment: dt.datetime | None, *, end: bool = False) -> dt.date | None:
    """The New Zealand day a start (or, with ``end``, an end) names."""
    if moment is None:
        return None
    day = moment.astimezone(NZ).date()
    return day - dt.timedelta(days=1) if end else day


def _ids(
    values: Sequence[int | str], name: str, errors: dict[str, list[str]]
) -> set[int]:
    ids: set[int] = set()
    for value in values:
        try:
            ids.add(int(str(value)))
        except ValueError:
            _add(errors, name, _("Choose from the list."))
    return ids


@dataclass(frozen=True)
class _Clean:
    fields: dict[str, Any]
    members: list[Member]
    categories: list[Category]
    products: list[Product]


def _clean(
    details: PromotionInput,
    *,
    cluster: Cluster,
    member: Member | None,
    promotion: Promotion | None,
) -> _Clean:
    errors: dict[str, list[str]] = {}
    name = _text(details.name)
    if not name:
        _add(errors, "name", _("Give the promotion a name shoppers will see."))
    elif len(name) > 120:
        _add(errors, "name", _("Keep the name to 120 characters."))
    kind = _text(details.kind)
    if kind not in Promotion.Kind.values:
        _add(errors, "kind", _("Choose what the promotion gives."))
    fields: dict[str, Any] = {
        "name": name[:120],
        "kind": kind,
        "percent_bp": None,
        "amount_cents": None,
        "buy_quantity": None,
        "get_quantity": None,
    }
    if kind == Promotion.Kind.PERCENT:
        fields["percent_bp"] = _percent_bp(details.percent, errors)
    elif kind == Promotion.Kind.FIXED:
        amount = _cents(details.amount, "amount", errors)
        if (amount is None or amount <= 0) and "amount" not in errors:
            _add(errors, "amount", _("Give the amount off, like 5."))
        fields["amount_cents"] = amount
    elif kind == Promotion.Kind.BUY_X_GET_Y:
        for key in ("buy_quantity", "get_quantity"):
            number = _count(
                getattr(details, key), key, errors, low=1, high=MAX_QUANTITY
            )
            if number is None and key not in errors:
                _add(errors, key, _("Give how many, like 2."))
            fields[key] = number
    code = normalise_code(_text(details.code)) or None
    if code is not None:
        if not CODE.match(code):
            _add(
                errors,
                "code",
                _("A code has 3 to 32 letters, digits, - or _ (no spaces)."),
            )
        else:
            taken = Promotion.objects.filter(cluster=cluster, code__iexact=code)
            if promotion is not None:
                taken = taken.exclude(pk=promotion.pk)
            if taken.exists():
                _add(errors, "code", _("Another promotion here has that code."))
    fields["code"] = code
    starts = _date(details.starts_on, "starts_on", errors)
    ends = _date(details.ends_on, "ends_on", errors)
    if starts and ends and ends < starts:
        _add(errors, "ends_on", _("The last day is before the first."))
    fields["starts_at"] = _start_of(starts) if starts else None
    fields["ends_at"] = _start_of(ends + dt.timedelta(days=1)) if ends else None
    fields["min_spend_cents"] = _cents(details.min_spend, "min_spend", errors) or 0
    fields["max_uses"] = _count(details.max_uses, "max_uses", errors, low=1, high=10**9)
    used = promotion.uses if promotion is not None else 0
    if fields["max_uses"] is not None and fields["max_uses"] < used:
        _add(
            errors,
            "max_uses",
            _("It has been used %(n)s times already: give at least that.")
            % {"n": used},
        )
    fields["max_uses_per_customer"] = _count(
        details.max_uses_per_customer,
        "max_uses_per_customer",
        errors,
        low=1,
        high=10**6,
    )
    fields["first_order_only"] = bool(details.first_order_only)
    fields["stackable"] = bool(details.stackable)
    members = _members(details, cluster, member, errors)
    categories = _categories(details, errors)
    products = _products(details, cluster, member, errors)
    if errors:
        raise ValidationFailed(PromotionErrorCode.INVALID, errors)
    return _Clean(fields, members, categories, products)


def _approved(cluster: Cluster) -> Any:
    return Member.objects.filter(
        memberships__cluster=cluster,
        memberships__status=Membership.Status.APPROVED,
    )


def _members(
    details: PromotionInput,
    cluster: Cluster,
    member: Member | None,
    errors: dict[str, list[str]],
) -> list[Member]:
    if member is not None:
        return []  # a member's own promotion is for its own goods: see ``member``
    ids = _ids(details.members, "members", errors)
    found = list(_approved(cluster).filter(pk__in=ids))
    if len(found) != len(ids):
        _add(errors, "members", _("Choose members of this cluster."))
    return found


def _categories(
    details: PromotionInput, errors: dict[str, list[str]]
) -> list[Category]:
    ids = _ids(details.categories, "categories", errors)
    found = list(Category.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        _add(errors, "categories", _("Choose from the list."))
    return found


def _products(
    details: PromotionInput,
    cluster: Cluster,
    member: Member | None,
    errors: dict[str, list[str]],
) -> list[Product]:
    ids = _ids(details.products, "products", errors)
    if not ids:
        return []
    owners = (
        Member.objects.filter(pk=member.pk)
        if member is not None
        else _approved(cluster)
    )
    found = list(Product.objects.filter(pk__in=ids, member__in=owners))
    if len(found) != len(ids):
        _add(
            errors,
            "products",
            _("Choose your own products.")
            if member is not None
            else _("Choose products of this cluster's members."),
        )
    return found


def _require_admin(actor: Actor, cluster: Cluster) -> None:
    if not actor.is_authenticated:
        raise NotPermitted(
            PromotionErrorCode.LOGIN_REQUIRED, _("Log in to change promotions.")
        )
    if not actor.is_cluster_admin(cluster.pk):
        raise NotPermitted(
            PromotionErrorCode.NOT_CLUSTER_ADMIN,
            _("Only the admins of %(cluster)s can change its promotions.")
            % {"cluster": cluster},
        )


def _require_team(actor: Actor, member: Member) -> None:
    if not actor.is_authenticated:
        raise NotPermitted(
            PromotionErrorCode.LOGIN_REQUIRED, _("Log in to change promotions.")
        )
    if not actor.is_member_team(member.pk):
        raise NotPermitted(
            PromotionErrorCode.NOT_MEMBER_TEAM,
            _("Only the team of %(member)s can change its promotions.")
            % {"member": member},
        )


def _require_may_change(actor: Actor, promotion: Promotion) -> None:
    if (
        promotion.member_id is not None
        and actor.is_authenticated
        and actor.is_member_team(promotion.member_id)
    ):
        return
    _require_admin(actor, promotion.cluster)
    if promotion.member_id is not None:
        # The cluster's admins may pause a member's promotion, not rewrite it.
        raise NotPermitted(
            PromotionErrorCode.NOT_MEMBER_TEAM,
            _("A member's promotion is changed by its own team."),
        )


def _save(promotion: Promotion, clean: _Clean, *, member: Member | None) -> Promotion:
    for key, value in clean.fields.items():
        setattr(promotion, key, value)
    try:
        with transaction.atomic():
            promotion.save()
    except IntegrityError:
        raise ValidationFailed(
            PromotionErrorCode.INVALID,
            {"code": [_("Another promotion here has that code.")]},
        ) from None
    promotion.members.set([member] if member is not None else clean.members)
    promotion.categories.set(clean.categories)
    promotion.products.set(clean.products)
    return promotion


def _scope(promotion: Promotion) -> dict[str, Any]:
    return {
        "members": sorted(m.pk for m in promotion.members.all()),
        "categories": sorted(c.pk for c in promotion.categories.all()),
        "products": sorted(p.pk for p in promotion.products.all()),
    }


@transaction.atomic
def promotion_create(
    *,
    actor: Actor,
    cluster: Cluster,
    details: PromotionInput,
    member: Member | None = None,
) -> Promotion:
    """A new promotion of ``cluster``: the cluster's (its admins; the cluster
    pays) or, with ``member``, that member's own (its team; the member pays, for
    its own goods only, in a cluster it is approved in)."""
    if member is None:
        _require_admin(actor, cluster)
    else:
        _require_team(actor, member)
        if not _approved(cluster).filter(pk=member.pk).exists():
            raise ValidationFailed(
                PromotionErrorCode.INVALID,
                {"cluster": [_("Choose a cluster your business sells in.")]},
            )
    clean = _clean(details, cluster=cluster, member=member, promotion=None)
    promotion = Promotion(
        cluster=cluster,
        member=member,
        paid_by=Promotion.PaidBy.MEMBER if member else Promotion.PaidBy.CLUSTER,
        created_by=actor.user if actor.is_authenticated else None,
    )
    _save(promotion, clean, member=member)
    audit_record(
        actor=actor,
        verb="promotion.created",
        target=promotion,
        cluster_id=cluster.pk,
        member_id=member.pk if member else None,
        after={**snapshot(promotion, AUDITED), **_scope(promotion)},
    )
    return promotion


@transaction.atomic
def promotion_update(
    *, actor: Actor, promotion: Promotion, details: PromotionInput
) -> Promotion:
    """Change a promotion: the cluster's by its admins, a member's by its team.
    Orders placed before keep what they got."""
    _require_may_change(actor, promotion)
    locked = Promotion.objects.select_for_update().get(pk=promotion.pk)
    before = {**snapshot(locked, AUDITED), **_scope(locked)}
    clean = _clean(
        details, cluster=locked.cluster, member=locked.member, promotion=locked
    )
    _save(locked, clean, member=locked.member)
    audit_record(
        actor=actor,
        verb="promotion.updated",
        target=locked,
        cluster_id=locked.cluster_id,
        member_id=locked.member_id,
        before=before,
        after={**snapshot(locked, AUDITED), **_scope(locked)},
    )
    return locked


def _set_active(actor: Actor, promotion: Promotion, active: bool) -> Promotion:
    member_team = promotion.member_id is not None and (
        actor.is_authenticated and actor.is_member_team(promotion.member_id)
    )
    if not member_team:
        _require_admin(actor, promotion.cluster)
    with transaction.atomic():
        locked = Promotion.objects.select_for_update().get(pk=promotion.pk)
        if locked.active != active:
            locked.active = active
            locked.save(update_fields=["active", "updated_at"])
            audit_record(
                actor=actor,
                verb="promotion.resumed" if active else "promotion.paused",
                target=locked,
                cluster_id=locked.cluster_id,
                member_id=locked.member_id,
                before={"active": not active},
                after={"active": active},
            )
    return locked


def promotion_pause(*, actor: Actor, promotion: Promotion) -> Promotion:
    """Stop it: no order gets it from now on (orders placed keep it)."""
    return _set_active(actor, promotion, False)


def promotion_resume(*, actor: Actor, promotion: Promotion) -> Promotion:
    return _set_active(actor, promotion, True)


# --- Checkout ---------------------------------------------------------------------


def _used_up(name: str) -> ValidationFailed:
    return ValidationFailed(
        PromotionErrorCode.CODE_REFUSED,
        {
            "promo_code": [
                _(
                    "%(promotion)s was used up while you were checking out: your "
                    "order was not placed. Check the prices and place it again."
                )
                % {"promotion": name}
            ]
        },
    )


def promotion_uses_record(
    *,
    order_id: int,
    applied: Sequence[Applied],
    shopper: Shopper,
) -> list[PromotionUse]:
    """Record ``order_id``'s use of each promotion that took something off it, in
    the caller's transaction (checkout's). Raises ``ValidationFailed`` (field
    ``promo_code``) when one has no use left in total or for this customer: the
    caller's transaction then rolls back, order and all."""
    made: list[PromotionUse] = []
    email = shopper.email.strip().lower()
    for one in sorted(applied, key=lambda a: a.promotion_id):
        if one.discount_cents <= 0:
            continue
        promotion = Promotion.objects.get(pk=one.promotion_id)
        free = Promotion.objects.filter(pk=one.promotion_id)
        if promotion.max_uses is not None:
            free = free.filter(uses__lt=F("max_uses"))
        # The conditional UPDATE takes the row's lock until the order commits: a
        # concurrent checkout of the same promotion waits here, then sees ours.
        if free.update(uses=F("uses") + 1) == 0:
            raise _used_up(promotion.name)
        if promotion.max_uses_per_customer is not None:
            from .selectors import customer_filter

            mine = PromotionUse.objects.filter(
                customer_filter(shopper.user_id, email),
                promotion_id=one.promotion_id,
                released_at__isnull=True,
            ).count()
            if mine >= promotion.max_uses_per_customer:
                raise ValidationFailed(
                    PromotionErrorCode.CODE_REFUSED,
                    {
                        "promo_code": [
                            _("You have already used %(promotion)s.")
                            % {"promotion": promotion.name}
                        ]
                    },
                )
        made.append(
            PromotionUse.objects.create(
                promotion_id=one.promotion_id,
                order_id=order_id,
                customer_id=shopper.user_id,
                customer_email=email,
                code=one.code or "",
                discount_cents=one.discount_cents,
                cluster_cents=one.cluster_cents,
            )
        )
    return made


def promotion_uses_release(*, order_id: int, now: dt.datetime) -> int:
    """Give back an unpaid order's uses (it was cancelled). Returns how many."""
    uses = list(
        PromotionUse.objects.select_for_update()
        .filter(order_id=order_id, released_at__isnull=True)
        .order_by("promotion_id")
    )
    for use in uses:
        Promotion.objects.filter(pk=use.promotion_id, uses__gt=0).update(
            uses=F("uses") - 1
        )
        use.released_at = now
        use.save(update_fields=["released_at"])
    return len(uses)

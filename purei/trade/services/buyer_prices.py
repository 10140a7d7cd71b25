"""A member's own price for one trade buyer on one of its variants (overriding its
price list for that buyer; ``purei.trade.offers``). Set by the member's owners and
staff, for an approved account of a cluster the member belongs to."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from purei.catalogue.models import Variant
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.money import MAX_CENTS
from purei.members.models import Membership
from purei.trade.models import BuyerPrice, TradeAccount

from .accounts import TradeErrorCode


@transaction.atomic
def buyer_price_set(
    *,
    actor: Actor,
    account: TradeAccount,
    variant: Variant,
    unit_cents: int | None,
) -> BuyerPrice | None:
    """Set the variant's unit price for ``account`` (its currency, ex-GST), or
    remove it (``None``): the buyer then pays the variant's price list."""
    if not actor.is_member_team(variant.member_id):
        raise NotPermitted(
            TradeErrorCode.NOT_MEMBER, _("Only the variant's own business sets this.")
        )
    errors: dict[str, list[str]] = {}
    if account.status != TradeAccount.Status.APPROVED:
        errors["account"] = [_("Choose an approved trade account.")]
    elif not Membership.objects.filter(
        member_id=variant.member_id,
        cluster_id=account.cluster_id,
        status=Membership.Status.APPROVED,
    ).exists():
        errors["account"] = [_("This buyer trades with a cluster you're not in.")]
    if variant.trade_price_cents is None:
        errors["variant"] = [_("Give the variant a trade price first.")]
    if unit_cents is not None and not 0 < unit_cents <= MAX_CENTS:
        errors["unit_cents"] = [_("Give a price above $0.")]
    if errors:
        raise ValidationFailed(TradeErrorCode.INVALID_QUOTE, errors)
    existing = (
        BuyerPrice.objects.select_for_update()
        .filter(account=account, variant=variant)
        .first()
    )
    before = {"unit_cents": existing.unit_cents if existing else None}
    if unit_cents is None:
        if existing is not None:
            existing.delete()
        row = None
    elif existing is None:
        row = BuyerPrice.objects.create(
            account=account,
            variant=variant,
            currency=account.currency,
            unit_cents=unit_cents,
            set_by=actor.user,
        )
    else:
        existing.unit_cents = unit_cents
        existing.currency = account.currency
        existing.set_by = actor.user
        existing.save()
        row = existing
    audit_record(
        actor=actor,
        verb="trade.buyer_price_set",
        target=variant,
        cluster_id=account.cluster_id,
        member_id=variant.member_id,
        before=before,
        after={
            "unit_cents": unit_cents,
            "currency": account.currency,
            "account": account.pk,
        },
    )
    return row

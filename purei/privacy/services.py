"""Closing an account (docs/privacy.md "Closing an account").

``account_close`` checks the password and the refusals, then, in one
transaction, asks each app to forget the person in its own way — the orders
keep what tax law needs without the name, email, phone or street; newsletters
end and lose the address; back-in-stock requests go; reviews stay under "A
verified buyer"; audit rows name the closed account — deletes the person's
sessions and login-attempt records, and turns the account into a tombstone
that no password opens.
"""

from __future__ import annotations

from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.accounts.models import User
from purei.accounts.services import account_close_blockers, user_tombstone
from purei.core.actor import Actor
from purei.core.audit import audit_actor_forget, audit_record
from purei.core.errors import NotPermitted, ValidationFailed
from purei.marketing.services.erasure import marketing_person_erase
from purei.orders.services.erasure import orders_person_erase

from .errors import PrivacyErrorCode


@dataclass(frozen=True)
class AccountClosed:
    orders_kept: int
    subscriptions_ended: int
    notify_requests_deleted: int
    reviews_kept: int
    sessions_ended: int


def tombstone_email(user_id: int) -> str:
    """What a closed account's email address becomes (``.invalid`` is never
    delivered, RFC 2606)."""
    return f"closed-{user_id}@closed.invalid"


def account_close_refusal(*, user: User) -> str | None:
    """Why ``user`` may not close their account now, in words; None if they may."""
    sole, admin = account_close_blockers(user=user)
    reasons = []
    if sole:
        reasons.append(
            _(
                "You are the only owner of %(names)s. A business needs an owner "
                "to answer for its orders, payouts and tax records: add another "
                "owner in its Team screen first, or ask the cluster to close it."
            )
            % {"names": ", ".join(sole)}
        )
    if admin:
        reasons.append(
            _(
                "You are an admin of %(names)s. A cluster admin is answerable for "
                "its members' money and records: ask another admin to remove "
                "you first (or hand the cluster over)."
            )
            % {"names": ", ".join(admin)}
        )
    return " ".join(reasons) or None


def _sessions_end(user_id: int) -> int:
    """Delete every live session of ``user_id`` (the database session store)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user_id):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def account_close(*, actor: Actor, password: str) -> AccountClosed:
    """Close the acting person's account, confirmed by their ``password``."""
    if not actor.is_authenticated or actor.user is None:
        raise NotPermitted(PrivacyErrorCode.LOGIN_REQUIRED, _("Log in first."))
    user = User.objects.select_for_update().get(pk=actor.user.pk)
    if not password or not user.check_password(password):
        raise ValidationFailed(
            PrivacyErrorCode.WRONG_PASSWORD,
            {"password": [_("That is not your password.")]},
        )
    if refusal := account_close_refusal(user=user):
        sole, _admin = account_close_blockers(user=user)
        code = PrivacyErrorCode.SOLE_OWNER if sole else PrivacyErrorCode.CLUSTER_ADMIN
        raise NotPermitted(code, refusal)
    email = user.email
    tomb = tombstone_email(user.pk)
    orders = orders_person_erase(user_id=user.pk, email=email, tombstone_email=tomb)
    marketing = marketing_person_erase(user_id=user.pk, email=email)
    audit_actor_forget(user_id=user.pk, label=tomb)
    sessions = _sessions_end(user.pk)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=email).delete()
    user_tombstone(user=user, tombstone_email=tomb)
    audit_record(
        actor=Actor.system(),
        verb="account.closed",
        target=user,
        after={"orders_kept": orders, "subscriptions": marketing.subscriptions},
    )
    return AccountClosed(
        orders_kept=orders,
        subscriptions_ended=marketing.subscriptions,
        notify_requests_deleted=marketing.notify_requests,
        reviews_kept=marketing.reviews_kept,
        sessions_ended=sessions,
    )

"""Signed tokens in the links of newsletter and notification emails.

- **Confirm** (double opt-in): the subscriber and the request it confirms, valid
  ``CONFIRM_MAX_AGE`` (a week). A link from an older request — asked again since,
  or unsubscribed since — confirms nothing.
- **Unsubscribe**: the subscriber (and the campaign it came in, for the record).
  It never expires: UEMA s11 asks for at least 30 days after the message, and an
  unsubscribe link that works for ever does no harm.

Signed with ``SECRET_KEY`` (django.core.signing, a salt each): a token cannot be
made up or changed, so the one-click ``POST`` needs no CSRF token and no login.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

CONFIRM_SALT = "purei.marketing.confirm"
UNSUBSCRIBE_SALT = "purei.marketing.unsubscribe"
NOTIFY_SALT = "purei.marketing.notify"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60


class TokenInvalid(ValueError):
    """The token is damaged, made up, or too old."""


@dataclass(frozen=True)
class ConfirmToken:
    subscriber_id: int
    event_id: int


@dataclass(frozen=True)
class UnsubscribeToken:
    subscriber_id: int
    campaign_id: int | None


def confirm_token_make(*, subscriber_id: int, event_id: int) -> str:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    return signer.sign_object({"s": subscriber_id, "e": event_id})


def confirm_token_read(token: str) -> ConfirmToken:
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        data = signer.unsign_object(token, max_age=CONFIRM_MAX_AGE)
        return ConfirmToken(subscriber_id=int(data["s"]), event_id=int(data["e"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid(str(exc)) from exc


def unsubscribe_token_make(*, subscriber_id: int, campaign_id: int | None) -> str:
    payload: dict[str, int] = {"s": subscriber_id}
    if campaign_id is not None:
        payload["c"] = campaign_id
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(payload)


def unsubscribe_token_read(token: str) -> UnsubscribeToken:
    try:
        data = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
        campaign = data.get("c")
        return UnsubscribeToken(
            subscriber_id=int(data["s"]),
            campaign_id=int(campaign) if campaign is not None else None,
        )
    except (
        signing.BadSignature,
        KeyError,
        TypeError,
        ValueError,
        AttributeError,
    ) as exc:
        raise TokenInvalid(str(exc)) from exc


def notify_token_make(*, request_id: int) -> str:
    return signing.TimestampSigner(salt=NOTIFY_SALT).sign_object({"n": request_id})


def notify_token_read(token: str) -> int:
    signer = signing.TimestampSigner(salt=NOTIFY_SALT)
    try:
        return int(signer.unsign_object(token, max_age=CONFIRM_MAX_AGE)["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TokenInvalid(str(exc)) from exc

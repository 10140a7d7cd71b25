"""Trade accounts: a business applies to buy from a cluster at trade prices; the
cluster's admins approve it with its terms, or decline it with a reason.

Scope: anyone logged in may apply (and becomes the account's owner, a trade buyer);
only the cluster's admins decide and set terms (platform staff read, as everywhere).
Each service is one transaction with an audit row; the emails go once it commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record, snapshot
from purei.core.countries import COUNTRY_CODES
from purei.core.csv_safe import formula_start_message, starts_like_formula
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.validators import (
    FormatError,
    abn_normalise,
    ird_number_normalise,
    nzbn_normalise,
)
from purei.trade.models import Currency, PaymentTerms, TradeAccount, TradeBuyer
from purei.trade.tasks import trade_account_applied_notify, trade_account_decided_notify

MAX_MESSAGE = 2000
MAX_REASON = 2000
MAX_TERMS_DAYS = 365
_PHONE_CHARACTERS = frozenset("0123456789 +-()")


class TradeErrorCode(StrEnum):
    LOGIN_REQUIRED = "login_required"
    NOT_ADMIN = "not_cluster_admin"
    INVALID_ACCOUNT = "invalid_trade_account"
    ALREADY_APPLIED = "trade_account_exists"
    INVALID_TERMS = "invalid_terms"
    REASON_REQUIRED = "reason_required"
    WRONG_STATUS = "trade_wrong_status"
    NOT_BUYER = "not_trade_buyer"
    NOT_MEMBER = "not_line_member"
    INVALID_QUOTE = "invalid_quote"
    INVALID_PAYMENT = "invalid_trade_payment"


class TradeAccountConflict(DomainError):
    status = 409


@dataclass(frozen=True)
class AddressInput:
    line1: str = ""
    line2: str = ""
    city: str = ""
    region: str = ""  # a state in Australia, a region in New Zealand
    postcode: str = ""
    country: str = ""


@dataclass(frozen=True)
class TradeApplication:
    """What a business gives when it applies for a trade account."""

    kind: str
    legal_name: str
    country: str
    contact_name: str
    contact_email: str
    delivery_address: AddressInput
    trading_name: str = ""
    nzbn: str = ""
    abn: str = ""
    gst_registered: bool = False
    gst_number: str = ""
    currency: str = Currency.NZD
    contact_phone: str = ""
    accounts_email: str = ""
    billing_address: AddressInput | None = None  # None: the delivery address
    message: str = ""


@dataclass(frozen=True)
class TradeTermsInput:
    """The terms the cluster's admins give an account."""

    payment_terms: str = PaymentTerms.PROFORMA
    terms_days: int | None = None
    deposit_percent: int = 0
    credit_limit_cents: int | None = None  # None: no limit
    first_order_proforma: bool = True


@dataclass
class _Errors:
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(str(message))


# --- Checking an application ------------------------------------------------------


def _text(errors: _Errors, name: str, value: str, *, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        errors.add(
            name,
            _("Keep it to %(max)s characters (it has %(length)s).")
            % {"max": max_length, "length": len(value)},
        )
    return value


def _name(errors: _Errors, name: str, value: str, *, required: bool) -> str:
    value = _text(errors, name, value, max_length=200)
    if required and not value:
        errors.add(name, _("Give the business's legal name."))
    elif starts_like_formula(value):
        errors.add(name, formula_start_message())
    return value


def _email(errors: _Errors, name: str, value: str, *, required: bool) -> str:
    value = (value or "").strip().lower()
    if not value:
        if required:
            errors.add(name, _("Give an email address."))
        return ""
    try:
        validate_email(value)
    except ValidationError:
        errors.add(name, _("Give a valid email address, like name@example.co.nz."))
    return value


def _identifier(errors: _Errors, name: str, value: str, normalise: Any) -> str:
    if not (value or "").strip():
        return ""
    try:
        return str(normalise(value))
    except FormatError as exc:
        errors.add(name, exc.message)
        return ""


def _address(errors: _Errors, prefix: str, address: AddressInput) -> dict[str, str]:
    values = {
        "line1": _text(errors, f"{prefix}.line1", address.line1, max_length=120),
        "line2": _text(errors, f"{prefix}.line2", address.line2, max_length=120),
        "city": _text(errors, f"{prefix}.city", address.city, max_length=80),
        "region": _text(errors, f"{prefix}.region", address.region, max_length=80),
        "postcode": _text(
            errors, f"{prefix}.postcode", address.postcode, max_length=12
        ),
        "country": (address.country or "").strip().upper(),
    }
    for part, message in (
        ("line1", _("Give the street address.")),
        ("city", _("Give the town or city.")),
        ("postcode", _("Give the postcode.")),
    ):
        if not values[part] and f"{prefix}.{part}" not in errors.errors:
            errors.add(f"{prefix}.{part}", message)
    if values["country"] not in COUNTRY_CODES:
        errors.add(f"{prefix}.country", _("Choose a country from the list."))
    for part, value in values.items():
        if starts_like_formula(value):
            errors.add(f"{prefix}.{part}", formula_start_message())
    return values


def _checked(application: TradeApplication) -> dict[str, Any]:
    """The application's values, cleaned; ``ValidationFailed`` naming each field at
    fault."""
    errors = _Errors()
    values: dict[str, Any] = {}
    if application.kind not in TradeAccount.Kind.values:
        errors.add("kind", _("Choose what kind of business it is."))
    values["kind"] = application.kind
    values["legal_name"] = _name(
        errors, "legal_name", application.legal_name, required=True
    )
    values["trading_name"] = _name(
        errors, "trading_name", application.trading_name, required=False
    )
    country = (application.country or "").strip().upper()
    if country not in COUNTRY_CODES:
        errors.add("country", _("Choose a country from the list."))
    values["country"] = country
    values["nzbn"] = _identifier(errors, "nzbn", application.nzbn, nzbn_normalise)
    values["abn"] = _identifier(errors, "abn", application.abn, abn_normalise)
    if country == "NZ" and not values["nzbn"] and "nzbn" not in errors.errors:
        errors.add("nzbn", _("Give the business's NZBN (13 digits, starting with 94)."))
    if country == "AU" and not values["abn"] and "abn" not in errors.errors:
        errors.add("abn", _("Give the business's ABN (11 digits)."))
    values["gst_registered"] = bool(application.gst_registered)
    values["gst_number"] = ""
    if application.gst_registered and country == "NZ":
        values["gst_number"] = _identifier(
            errors, "gst_number", application.gst_number, ird_number_normalise
        )
        if not values["gst_number"] and "gst_number" not in errors.errors:
            errors.add("gst_number", _("Give the GST number."))
    if application.currency not in Currency.values:
        errors.add("currency", _("Choose NZD, AUD or USD."))
    values["currency"] = application.currency
    values["contact_name"] = _text(
        errors, "contact_name", application.contact_name, max_length=120
    )
    if not values["contact_name"] and "contact_name" not in errors.errors:
        errors.add("contact_name", _("Give the name of the person to contact."))
    values["contact_email"] = _email(
        errors, "contact_email", application.contact_email, required=True
    )
    values["accounts_email"] = _email(
        errors, "accounts_email", application.accounts_email, required=False
    )
    phone = _text(errors, "contact_phone", application.contact_phone, max_length=32)
    if phone and not set(phone) <= _PHONE_CHARACTERS:
        errors.add("contact_phone", _("Use digits, spaces, +, - and brackets only."))
    values["contact_phone"] = phone
    delivery = _address(errors, "delivery_address", application.delivery_address)
    values["delivery_address"] = delivery
    values["billing_address"] = (
        _address(errors, "billing_address", application.billing_address)
        if application.billing_address is not None
        else dict(delivery)
    )
    values["message"] = _text(
        errors, "message", application.message, max_length=MAX_MESSAGE
    )
    if errors.errors:
        raise ValidationFailed(TradeErrorCode.INVALID_ACCOUNT, errors.errors)
    return values


def _already(cluster: Cluster, values: dict[str, Any]) -> TradeAccount | None:
    identifiers = Q()
    if values["nzbn"]:
        identifiers |= Q(nzbn=values["nzbn"])
    if values["abn"]:
        identifiers |= Q(abn=values["abn"])
    if not identifiers:
        return None
    return (
        TradeAccount.objects.filter(identifiers, cluster=cluster)
        .exclude(status=TradeAccount.Status.DECLINED)
        .first()
    )


# --- Applying -----------------------------------------------------------------------


@transaction.atomic
def trade_account_apply(
    *, actor: Actor, cluster: Cluster, application: TradeApplication
) -> TradeAccount:
    """A business applies for a trade account with ``cluster`` (a live one); the
    person applying becomes its owner. Refused, naming each field, when the
    application is incomplete or wrong; refused (409) when the business (by NZBN or
    ABN) already has an account here that was not declined."""
    if not actor.is_authenticated or actor.user is None:
        raise NotPermitted(
            TradeErrorCode.LOGIN_REQUIRED, _("Log in to apply for a trade account.")
        )
    if cluster.status != Cluster.Status.LIVE:
        raise ValidationFailed(
            TradeErrorCode.INVALID_ACCOUNT,
            {"cluster": [_("This cluster is not trading yet.")]},
        )
    values = _checked(application)
    if _already(cluster, values) is not None:
        raise TradeAccountConflict(
            TradeErrorCode.ALREADY_APPLIED,
            _(
                "This business already has a trade account with %(cluster)s. Ask its "
                "owner to add you, or contact the cluster."
            )
            % {"cluster": cluster.name},
        )
    try:
        with transaction.atomic():
            account = TradeAccount.objects.create(
                cluster=cluster, applied_by=actor.user, **values
            )
    except IntegrityError as exc:  # the same business applying twice at once
        raise TradeAccountConflict(
            TradeErrorCode.ALREADY_APPLIED,
            _("This business already has a trade account with %(cluster)s.")
            % {"cluster": cluster.name},
        ) from exc
    TradeBuyer.objects.create(
        user=actor.user, account=account, role=TradeBuyer.Role.OWNER
    )
    actor.forget_roles()
    audit_record(
        actor=actor,
        verb="trade_account.applied",
        target=account,
        cluster_id=cluster.pk,
        after=_audit_snapshot(account),
    )
    transaction.on_commit(
        partial(trade_account_applied_notify.enqueue, account_id=account.pk)
    )
    return account


# --- Deciding -----------------------------------------------------------------------

_AUDITED = (
    "status",
    "kind",
    "legal_name",
    "trading_name",
    "country",
    "nzbn",
    "abn",
    "gst_registered",
    "gst_number",
    "currency",
    "payment_terms",
    "terms_days",
    "deposit_percent",
    "credit_limit_cents",
    "first_order_proforma",
    "reason",
)


def _audit_snapshot(account: TradeAccount) -> dict[str, Any]:
    return snapshot(account, _AUDITED)


def _require_admin(actor: Actor, account: TradeAccount) -> None:
    if not actor.is_cluster_admin(account.cluster_id):
        raise NotPermitted(
            TradeErrorCode.NOT_ADMIN,
            _("Only the cluster's admins decide on trade accounts."),
        )


def terms_checked(terms: TradeTermsInput) -> dict[str, Any]:
    """The terms' values, cleaned; ``ValidationFailed`` naming each field at fault."""
    errors = _Errors()
    if terms.payment_terms not in PaymentTerms.values:
        errors.add("payment_terms", _("Choose the payment terms."))
    days = terms.terms_days
    if terms.payment_terms == PaymentTerms.NET_DAYS:
        if days is None or not 1 <= days <= MAX_TERMS_DAYS:
            errors.add(
                "terms_days",
                _("Give the number of days to pay, from 1 to %(max)s.")
                % {"max": MAX_TERMS_DAYS},
            )
    else:
        days = None
    if not 0 <= terms.deposit_percent <= 100:
        errors.add("deposit_percent", _("Give a deposit from 0 to 100 %."))
    if terms.credit_limit_cents is not None and terms.credit_limit_cents < 0:
        errors.add("credit_limit_cents", _("A credit limit can't be negative."))
    if errors.errors:
        raise ValidationFailed(TradeErrorCode.INVALID_TERMS, errors.errors)
    return {
        "payment_terms": terms.payment_terms,
        "terms_days": days,
        "deposit_percent": terms.deposit_percent,
        "credit_limit_cents": terms.credit_limit_cents,
        "first_order_proforma": terms.first_order_proforma,
    }


def _locked(account: TradeAccount) -> TradeAccount:
    return TradeAccount.objects.select_for_update().get(pk=account.pk)


def _wrong_status(account: TradeAccount, action: str) -> TradeAccountConflict:
    return TradeAccountConflict(
        TradeErrorCode.WRONG_STATUS,
        _("This account is %(status)s: it can't be %(action)s.")
        % {"status": account.get_status_display().lower(), "action": action},
    )


def _reason(reason: str, *, required: bool) -> str:
    errors = _Errors()
    value = _text(errors, "reason", reason, max_length=MAX_REASON)
    if required and not value:
        errors.add("reason", _("Give the business a reason."))
    if errors.errors:
        raise ValidationFailed(TradeErrorCode.REASON_REQUIRED, errors.errors)
    return value


def _decide(
    *,
    actor: Actor,
    account: TradeAccount,
    verb: str,
    status: str,
    allowed_from: tuple[str, ...],
    action: str,
    reason: str,
    reason_required: bool,
    terms: TradeTermsInput | None = None,
) -> TradeAccount:
    _require_admin(actor, account)
    value = _reason(reason, required=reason_required)
    term_values = terms_checked(terms) if terms is not None else {}
    locked = _locked(account)
    if locked.status not in allowed_from:
        raise _wrong_status(locked, action)
    before = _audit_snapshot(locked)
    locked.status = status
    locked.reason = value
    locked.decided_by = actor.user
    locked.decided_at = timezone.now()
    for name, term in term_values.items():
        setattr(locked, name, term)
    locked.save()
    audit_record(
        actor=actor,
        verb=f"trade_account.{verb}",
        target=locked,
        cluster_id=locked.cluster_id,
        before=before,
        after=_audit_snapshot(locked),
    )
    transaction.on_commit(
        partial(trade_account_decided_notify.enqueue, account_id=locked.pk, verb=verb)
    )
    return locked


@transaction.atomic
def trade_account_approve(
    *,
    actor: Actor,
    account: TradeAccount,
    terms: TradeTermsInput,
    reason: str = "",
) -> TradeAccount:
    """Approve an application (or reinstate a suspended account) with its terms."""
    return _decide(
        actor=actor,
        account=account,
        verb="approved",
        status=TradeAccount.Status.APPROVED,
        allowed_from=(TradeAccount.Status.APPLIED, TradeAccount.Status.SUSPENDED),
        action=_("approved"),
        reason=reason,
        reason_required=False,
        terms=terms,
    )


@transaction.atomic
def trade_account_decline(
    *, actor: Actor, account: TradeAccount, reason: str
) -> TradeAccount:
    """Decline an application, with the reason the business is told."""
    return _decide(
        actor=actor,
        account=account,
        verb="declined",
        status=TradeAccount.Status.DECLINED,
        allowed_from=(TradeAccount.Status.APPLIED,),
        action=_("declined"),
        reason=reason,
        reason_required=True,
    )


@transaction.atomic
def trade_account_suspend(
    *, actor: Actor, account: TradeAccount, reason: str
) -> TradeAccount:
    """Stop an approved account buying, with the reason the business is told."""
    return _decide(
        actor=actor,
        account=account,
        verb="suspended",
        status=TradeAccount.Status.SUSPENDED,
        allowed_from=(TradeAccount.Status.APPROVED,),
        action=_("suspended"),
        reason=reason,
        reason_required=True,
    )


@transaction.atomic
def trade_account_terms_set(
    *, actor: Actor, account: TradeAccount, terms: TradeTermsInput
) -> TradeAccount:
    """Change an account's terms (any status but declined)."""
    _require_admin(actor, account)
    values = terms_checked(terms)
    locked = _locked(account)
    if locked.status == TradeAccount.Status.DECLINED:
        raise _wrong_status(locked, _("given terms"))
    before = _audit_snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    audit_record(
        actor=actor,
        verb="trade_account.terms_changed",
        target=locked,
        cluster_id=locked.cluster_id,
        before=before,
        after=_audit_snapshot(locked),
    )
    return locked

"""Request for quote → one quote → acceptance.

1. A trade buyer (of an approved account) asks for a quote (``rfq_create``): lines
   of any of the cluster's public products, by variant, or written out (with a
   member named or left for the cluster's admin to assign, ``rfq_line_assign``),
   a destination, an Incoterm 2020 with its named place, a needed-by date, notes.
2. Each member involved prices **its own lines** (``rfq_line_price``): unit price
   (NZD, ex-GST), lead time, validity, weight and dimensions, HS code, country of
   origin — or says it can't supply one.
3. The cluster's admin assembles **one quote** (``quote_send``) in the buyer's
   currency at the newest recorded rate (its rate, source and time kept on the
   quote), with freight, insurance and packing shared by weight or value
   (``purei.trade.quoting``), validity and the account's payment terms. Sending a
   new revision supersedes the last; every revision is kept.
4. The buyer accepts the newest quote while it is valid (``quote_accept``), or asks
   for a revision with a note (``quote_revision_ask``); it may withdraw its request
   (``rfq_withdraw``) and the admin may decline it (``rfq_decline``).

Scope is checked in each service: the buyer's own account's people, the cluster's
admins, and for pricing the line's member team. Each is one transaction with an
audit row; emails go once it commits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from purei.catalogue.models import Variant
from purei.catalogue.selectors import public_listings
from purei.clusters.models import Cluster
from purei.core.actor import Actor
from purei.core.audit import audit_record
from purei.core.countries import COUNTRY_CODES
from purei.core.csv_safe import formula_start_message, starts_like_formula
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.events import emit
from purei.core.money import MAX_CENTS
from purei.members.models import Member, Membership
from purei.orders.events import order_event
from purei.trade.models import (
    Currency,
    Incoterm,
    Quote,
    QuoteLine,
    QuoteRequest,
    QuoteRequestAttachment,
    QuoteRequestLine,
    TradeAccount,
)
from purei.trade.quoting import (
    Charges,
    NothingToShareBy,
    PricedLine,
    ShareBasis,
    quote_figures,
)
from purei.trade.selectors import exchange_rates_current
from purei.trade.tasks import (
    quote_sent_notify,
    rfq_submitted_notify,
    trade_order_made_notify,
)

from .accounts import AddressInput, TradeAccountConflict, TradeErrorCode, _address
from .accounts import _Errors as Errors
from .orders import supplier_registered, trade_order_from_quote

MAX_LINES = 100
MAX_QUANTITY = 1_000_000
MAX_NOTES = 2000
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
}
MAX_LEAD_DAYS = 365
MAX_VALID_DAYS = 366
_HS_CODE = re.compile(r"^\d{6,10}$")


# --- Inputs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentInput:
    name: str
    content: IO[bytes]
    content_type: str
    size: int


@dataclass(frozen=True)
class RFQLineInput:
    """A line by variant (``variant_id``), or written out (``description``, with a
    member's slug when the buyer knows who makes it)."""

    quantity: int
    variant_id: int | None = None
    description: str = ""
    member: str = ""  # a member's slug, for a written-out line
    unit: str = "each"
    attachments: Sequence[AttachmentInput] = ()


@dataclass(frozen=True)
class RFQInput:
    lines: Sequence[RFQLineInput]
    incoterm: str
    named_place: str
    destination: AddressInput
    needed_by: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class LinePriceInput:
    """A member's price for one line (NZD cents, ex-GST), or ``cannot_supply``."""

    unit_price_nzd_cents: int | None = None
    lead_time_days: int | None = None
    valid_until: dt.date | None = None
    unit_weight_grams: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    hs_code: str = ""
    origin_country: str = "NZ"
    cannot_supply: bool = False
    note: str = ""


@dataclass(frozen=True)
class QuoteInput:
    """What the cluster's admin adds to assemble a quote (charges in NZD cents,
    ex-GST)."""

    basis: str = ShareBasis.WEIGHT
    freight_nzd_cents: int = 0
    insurance_nzd_cents: int = 0
    packing_nzd_cents: int = 0
    valid_until: dt.date | None = None
    notes: str = ""


@dataclass
class _Line:
    values: dict[str, Any] = field(default_factory=dict)
    attachments: Sequence[AttachmentInput] = ()


# --- Scope ----------------------------------------------------------------------------


def _require_buyer(actor: Actor, account: TradeAccount) -> None:
    if account.pk not in actor.trade_account_ids:
        raise NotPermitted(
            TradeErrorCode.NOT_BUYER,
            _("Only the account's own buyers can do this."),
        )


def _require_admin(actor: Actor, cluster_id: int) -> None:
    if not actor.is_cluster_admin(cluster_id):
        raise NotPermitted(
            TradeErrorCode.NOT_ADMIN, _("Only the cluster's admins can do this.")
        )


def _refuse(errors: Errors) -> None:
    if errors.errors:
        raise ValidationFailed(TradeErrorCode.INVALID_QUOTE, errors.errors)


def _conflict(message: str) -> TradeAccountConflict:
    return TradeAccountConflict(TradeErrorCode.WRONG_STATUS, message)


# --- Asking for a quote ------------------------------------------------------------


def _members_of(cluster: Cluster) -> dict[str, Member]:
    return {
        m.slug: m
        for m in Member.objects.filter(
            memberships__cluster=cluster,
            memberships__status=Membership.Status.APPROVED,
        )
    }


def _check_attachments(
    errors: Errors, name: str, attachments: Sequence[AttachmentInput]
) -> None:
    if len(attachments) > 5:
        errors.add(name, _("Attach at most 5 files to a line."))
    for attachment in attachments:
        if attachment.content_type not in ATTACHMENT_TYPES:
            errors.add(name, _("Attach PDF, PNG or JPEG files only."))
        elif attachment.size > MAX_ATTACHMENT_BYTES:
            errors.add(name, _("A file may be at most 10 MB."))
        else:
            head = attachment.content.read(8)
            attachment.content.seek(0)
            ok = (
                head.startswith(b"%PDF")
                if attachment.content_type == "application/pdf"
                else head.startswith(b"\x89PNG")
                if attachment.content_type == "image/png"
                else head.startswith(b"\xff\xd8")
            )
            if not ok:
                errors.add(name, _("This file is not the kind its name says."))


def _checked_lines(
    errors: Errors, cluster: Cluster, lines: Sequence[RFQLineInput]
) -> list[_Line]:
    if not lines:
        errors.add("lines", _("Add at least one line."))
        return []
    if len(lines) > MAX_LINES:
        errors.add("lines", _("A request has at most 100 lines."))
        return []
    variant_ids = [line.variant_id for line in lines if line.variant_id is not None]
    variants = {
        v.pk: v
        for v in Variant.objects.filter(
            pk__in=variant_ids,
            product_id__in=public_listings(cluster).values("product_id"),
        ).select_related("product", "member")
    }
    members = _members_of(cluster)
    checked: list[_Line] = []
    for index, line in enumerate(lines):
        name = f"lines.{index}"
        values: dict[str, Any] = {"position": index}
        if not 1 <= line.quantity <= MAX_QUANTITY:
            errors.add(f"{name}.quantity", _("Give a quantity from 1 to 1,000,000."))
        values["quantity"] = line.quantity
        unit = (line.unit or "each").strip()[:20]
        values["unit"] = unit
        if line.variant_id is not None:
            variant = variants.get(line.variant_id)
            if variant is None:
                errors.add(
                    f"{name}.variant_id",
                    _("This product is not sold in this cluster."),
                )
                continue
            title = variant.product.title_en
            values.update(
                variant=variant,
                member=variant.member,
                sku=variant.sku,
                description=f"{title} — {variant.name}" if variant.name else title,
            )
            if line.attachments:
                errors.add(
                    f"{name}.attachments",
                    _("Attach files to written-out lines only."),
                )
        else:
            description = (line.description or "").strip()
            if not description:
                errors.add(f"{name}.description", _("Say what you need."))
            elif len(description) > 300:
                errors.add(f"{name}.description", _("Keep a line to 300 characters."))
            elif starts_like_formula(description):
                errors.add(f"{name}.description", formula_start_message())
            values["description"] = description
            if line.member:
                member = members.get(line.member)
                if member is None:
                    errors.add(
                        f"{name}.member", _("No member of this cluster has this name.")
                    )
                values["member"] = member
            _check_attachments(errors, f"{name}.attachments", line.attachments)
        checked.append(_Line(values=values, attachments=line.attachments))
    return checked


def _next_number(request: QuoteRequest) -> str:
    return f"RFQ-{request.pk:06d}"


@transaction.atomic
def rfq_create(*, actor: Actor, account: TradeAccount, rfq: RFQInput) -> QuoteRequest:
    """A trade buyer asks its cluster for a quote. The account must be approved."""
    _require_buyer(actor, account)
    if account.status != TradeAccount.Status.APPROVED:
        raise _conflict(_("Your trade account isn't approved: you can't ask yet."))
    errors = Errors()
    if rfq.incoterm not in Incoterm.values:
        errors.add(
            "incoterm", _("Choose an Incoterm (EXW, FCA, FOB, CFR, CIF, DAP, DDP).")
        )
    place = (rfq.named_place or "").strip()
    if not place:
        errors.add("named_place", _("Name the place, e.g. Brisbane or Nelson port."))
    elif len(place) > 120 or starts_like_formula(place):
        errors.add("named_place", _("Name the place in at most 120 characters."))
    destination = _address(errors, "destination", rfq.destination)
    today = timezone.localdate()
    if rfq.needed_by is not None and rfq.needed_by < today:
        errors.add("needed_by", _("The date you need it by has passed."))
    notes = (rfq.notes or "").strip()
    if len(notes) > MAX_NOTES:
        errors.add("notes", _("Keep the notes to 2,000 characters."))
    lines = _checked_lines(errors, account.cluster, rfq.lines)
    _refuse(errors)
    request = QuoteRequest.objects.create(
        cluster=account.cluster,
        account=account,
        currency=account.currency,
        incoterm=rfq.incoterm,
        named_place=place,
        destination=destination,
        needed_by=rfq.needed_by,
        notes=notes,
        created_by=actor.user,
    )
    request.number = _next_number(request)
    request.save(update_fields=["number"])
    for line in lines:
        row = QuoteRequestLine.objects.create(request=request, **line.values)
        for attachment in line.attachments:
            stored = QuoteRequestAttachment(
                line=row,
                name=attachment.name[:120],
                size=attachment.size,
                content_type=attachment.content_type,
            )
            extension = ATTACHMENT_TYPES[attachment.content_type]
            stored.file.save(
                f"line-{row.pk}{extension}", File(attachment.content), save=True
            )
    audit_record(
        actor=actor,
        verb="trade.rfq_created",
        target=request,
        cluster_id=request.cluster_id,
        after={
            "number": request.number,
            "lines": len(lines),
            "incoterm": request.terms_label,
        },
    )
    emit(
        "quote.requested",
        cluster_id=request.cluster_id,
        member_id=None,
        payload={
            "request": request.number,
            "trade_account_id": account.pk,
            "currency": request.currency,
            "incoterm": request.incoterm,
            "named_place": request.named_place,
            "needed_by": request.needed_by.isoformat() if request.needed_by else None,
            "lines": len(lines),
        },
    )
    transaction.on_commit(partial(rfq_submitted_notify.enqueue, request_id=request.pk))
    return request


def _open_request(request: QuoteRequest) -> QuoteRequest:
    locked = QuoteRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status not in (QuoteRequest.Status.OPEN, QuoteRequest.Status.REVISION):
        raise _conflict(
            _("This request is %(status)s: it can't be changed.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


@transaction.atomic
def rfq_line_assign(
    *, actor: Actor, line: QuoteRequestLine, member: Member
) -> QuoteRequestLine:
    """The cluster's admin names the member who prices a written-out line."""
    request = line.request
    _require_admin(actor, request.cluster_id)
    _open_request(request)
    if line.variant_id is not None:
        raise _conflict(_("A product's line is priced by its own member."))
    if not Membership.objects.filter(
        member=member, cluster_id=request.cluster_id, status=Membership.Status.APPROVED
    ).exists():
        raise ValidationFailed(
            TradeErrorCode.INVALID_QUOTE,
            {"member": [_("Choose a member of this cluster.")]},
        )
    before = {"member": line.member_id}
    line.member = member
    line.unit_price_nzd_cents = None
    line.cannot_supply = False
    line.priced_at = None
    line.save()
    audit_record(
        actor=actor,
        verb="trade.rfq_line_assigned",
        target=line,
        cluster_id=request.cluster_id,
        member_id=member.pk,
        before=before,
        after={"member": member.pk},
    )
    return line


def _positive(errors: Errors, name: str, value: int | None, *, maximum: int) -> None:
    if value is not None and not 0 < value <= maximum:
        errors.add(name, _("Give a number above 0."))


@transaction.atomic
def rfq_line_price(
    *, actor: Actor, line: QuoteRequestLine, price: LinePriceInput
) -> QuoteRequestLine:
    """The line's member prices it (or says it can't supply it), while the request
    is open or a revision is asked. Its owners and staff only."""
    if line.member_id is None or not actor.is_member_team(line.member_id):
        raise NotPermitted(
            TradeErrorCode.NOT_MEMBER, _("Only the line's member prices it.")
        )
    _open_request(line.request)
    errors = Errors()
    values: dict[str, Any] = {"member_note": (price.note or "").strip()[:MAX_NOTES]}
    if price.cannot_supply:
        values.update(cannot_supply=True, unit_price_nzd_cents=None)
    else:
        if price.unit_price_nzd_cents is None:
            errors.add("unit_price_nzd_cents", _("Give the unit price."))
        _positive(
            errors,
            "unit_price_nzd_cents",
            price.unit_price_nzd_cents,
            maximum=MAX_CENTS,
        )
        _positive(errors, "lead_time_days", price.lead_time_days, maximum=MAX_LEAD_DAYS)
        if price.lead_time_days is None:
            errors.add("lead_time_days", _("Give the lead time in days."))
        today = timezone.localdate()
        if price.valid_until is None or not (
            today <= price.valid_until <= today + dt.timedelta(days=MAX_VALID_DAYS)
        ):
            errors.add("valid_until", _("Give a date from today to a year ahead."))
        if price.unit_weight_grams is None:
            errors.add("unit_weight_grams", _("Give the weight of one unit."))
        for name in ("unit_weight_grams", "length_mm", "width_mm", "height_mm"):
            _positive(errors, name, getattr(price, name), maximum=100_000_000)
        hs_code = re.sub(r"[\s.]", "", price.hs_code or "")
        if not _HS_CODE.match(hs_code):
            errors.add(
                "hs_code",
                _("Give the HS code: 6 to 10 digits, e.g. 7216.33 for I-beams."),
            )
        origin = (price.origin_country or "").strip().upper()
        if origin not in COUNTRY_CODES:
            errors.add("origin_country", _("Choose the country of origin."))
        values.update(
            cannot_supply=False,
            unit_price_nzd_cents=price.unit_price_nzd_cents,
            lead_time_days=price.lead_time_days,
            valid_until=price.valid_until,
            unit_weight_grams=price.unit_weight_grams,
            length_mm=price.length_mm,
            width_mm=price.width_mm,
            height_mm=price.height_mm,
            hs_code=hs_code,
            origin_country=origin,
        )
    _refuse(errors)
    before = {"unit_price_nzd_cents": line.unit_price_nzd_cents}
    for name, value in values.items():
        setattr(line, name, value)
    line.priced_by = actor.user
    line.priced_at = timezone.now()
    line.save()
    audit_record(
        actor=actor,
        verb="trade.rfq_line_priced",
        target=line,
        cluster_id=line.request.cluster_id,
        member_id=line.member_id,
        before=before,
        after={
            "unit_price_nzd_cents": line.unit_price_nzd_cents,
            "cannot_supply": line.cannot_supply,
        },
    )
    return line


# --- The quote ------------------------------------------------------------------------


def _rate(request: QuoteRequest) -> tuple[Decimal, str, dt.datetime]:
    if request.currency == Currency.NZD:
        return Decimal(1), "NZD", timezone.now()
    rate = exchange_rates_current(request.cluster).get(request.currency)
    if rate is None:
        raise ValidationFailed(
            TradeErrorCode.INVALID_QUOTE,
            {
                "currency": [
                    _(
                        "Record a rate for %(currency)s on the trade settings before "
                        "you quote."
                    )
                    % {"currency": request.currency}
                ]
            },
        )
    return rate.rate, rate.source, rate.as_of


@transaction.atomic
def quote_send(*, actor: Actor, request: QuoteRequest, quote: QuoteInput) -> Quote:
    """The cluster's admin assembles a quote from the priced lines and sends it to
    the buyer (a new revision; the last one sent is superseded)."""
    _require_admin(actor, request.cluster_id)
    locked = _open_request(request)
    lines = list(locked.lines.select_related("member").order_by("position", "pk"))
    errors = Errors()
    unpriced = [line for line in lines if not line.is_priced]
    if unpriced:
        errors.add(
            "lines",
            _("%(count)s line(s) still wait for their member's price.")
            % {"count": len(unpriced)},
        )
    quoted = [line for line in lines if not line.cannot_supply]
    if lines and not unpriced and not quoted:
        errors.add("lines", _("No member can supply any line: decline the request."))
    if quote.basis not in ShareBasis:
        errors.add("basis", _("Share the charges by weight or by value."))
    for name in ("freight_nzd_cents", "insurance_nzd_cents", "packing_nzd_cents"):
        if not 0 <= getattr(quote, name) <= MAX_CENTS:
            errors.add(name, _("Give an amount from $0 to $1,000,000."))
    today = timezone.localdate()
    if quote.valid_until is None or not (
        today <= quote.valid_until <= today + dt.timedelta(days=MAX_VALID_DAYS)
    ):
        errors.add("valid_until", _("Give a date from today to a year ahead."))
    notes = (quote.notes or "").strip()
    if len(notes) > MAX_NOTES:
        errors.add("notes", _("Keep the notes to 2,000 characters."))
    _refuse(errors)
    valid_until = quote.valid_until or today  # given: checked above
    rate, source, as_of = _rate(locked)
    priced = [
        PricedLine(
            key=line.pk,
            quantity=line.quantity,
            unit_nzd_cents=int(line.unit_price_nzd_cents or 0),
            unit_weight_grams=int(line.unit_weight_grams or 0),
            gst_registered=supplier_registered(locked, line.member.gst_registered)
            if line.member
            else False,
        )
        for line in quoted
    ]
    try:
        figures = quote_figures(
            priced,
            Charges(
                quote.freight_nzd_cents,
                quote.insurance_nzd_cents,
                quote.packing_nzd_cents,
            ),
            rate=rate,
            basis=ShareBasis(quote.basis),
            export=locked.is_export,
        )
    except NothingToShareBy:
        raise ValidationFailed(
            TradeErrorCode.INVALID_QUOTE,
            {"basis": [_("No line has a weight: share the charges by value.")]},
        ) from None
    last = locked.quotes.aggregate(last=Max("revision"))["last"] or 0
    locked.quotes.filter(status=Quote.Status.SENT).update(
        status=Quote.Status.SUPERSEDED
    )
    account = locked.account
    sent = Quote.objects.create(
        request=locked,
        revision=last + 1,
        currency=locked.currency,
        fx_rate=rate,
        fx_source=source,
        fx_as_of=as_of,
        basis=quote.basis,
        freight_nzd_cents=quote.freight_nzd_cents,
        insurance_nzd_cents=quote.insurance_nzd_cents,
        packing_nzd_cents=quote.packing_nzd_cents,
        export=locked.is_export,
        incoterm=locked.incoterm,
        named_place=locked.named_place,
        valid_until=valid_until,
        payment_terms=account.payment_terms,
        terms_days=account.terms_days,
        deposit_percent=account.deposit_percent,
        goods_cents=figures.goods_cents,
        freight_cents=figures.freight_cents,
        insurance_cents=figures.insurance_cents,
        packing_cents=figures.packing_cents,
        gst_cents=figures.gst_cents,
        total_cents=figures.total_cents,
        weight_grams=figures.weight_grams,
        notes=notes,
        created_by=actor.user,
    )
    by_key = {line.pk: line for line in quoted}
    QuoteLine.objects.bulk_create(
        QuoteLine(
            quote=sent,
            request_line=by_key[q.key],
            member=by_key[q.key].member,
            position=position,
            description=by_key[q.key].description,
            sku=by_key[q.key].sku,
            quantity=q.quantity,
            unit=by_key[q.key].unit,
            unit_nzd_cents=int(by_key[q.key].unit_price_nzd_cents or 0),
            unit_cents=q.unit_cents,
            goods_cents=q.goods_cents,
            freight_cents=q.freight_cents,
            insurance_cents=q.insurance_cents,
            packing_cents=q.packing_cents,
            gst_cents=q.gst_cents,
            total_cents=q.total_cents,
            unit_weight_grams=int(by_key[q.key].unit_weight_grams or 0),
            hs_code=by_key[q.key].hs_code,
            origin_country=by_key[q.key].origin_country,
            lead_time_days=by_key[q.key].lead_time_days,
        )
        for position, q in enumerate(figures.lines)
    )
    locked.status = QuoteRequest.Status.QUOTED
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb="trade.quote_sent",
        target=sent,
        cluster_id=locked.cluster_id,
        after={
            "request": locked.number,
            "revision": sent.revision,
            "currency": sent.currency,
            "total_cents": sent.total_cents,
            "fx_rate": str(rate),
        },
    )
    transaction.on_commit(partial(quote_sent_notify.enqueue, quote_id=sent.pk))
    return sent


def _newest_sent(actor: Actor, quote: Quote) -> tuple[QuoteRequest, Quote]:
    request = QuoteRequest.objects.select_for_update().get(pk=quote.request_id)
    _require_buyer(actor, request.account)
    locked = Quote.objects.select_for_update().get(pk=quote.pk)
    if locked.status != Quote.Status.SENT:
        raise _conflict(
            _("This quote is %(status)s: only the newest quote sent can be answered.")
            % {"status": locked.get_status_display().lower()}
        )
    return request, locked


@transaction.atomic
def quote_accept(*, actor: Actor, quote: Quote) -> Quote:
    """The buyer accepts the newest quote, while it is valid: its trade order is
    made in the same transaction (``trade_order_from_quote``: parts per member,
    the stock taken). When a counted product has sold out meanwhile, nothing
    changes and ``ValidationFailed`` (``sold_out``) says which."""
    request, locked = _newest_sent(actor, quote)
    if locked.valid_until < timezone.localdate():
        raise _conflict(
            _("This quote expired on %(date)s: ask for a revision.")
            % {"date": locked.valid_until.strftime("%-d %B %Y")}
        )
    locked.status = Quote.Status.ACCEPTED
    locked.decided_at = timezone.now()
    locked.decided_by = actor.user
    locked.save()
    request.status = QuoteRequest.Status.ACCEPTED
    request.save(update_fields=["status", "updated_at"])
    made = trade_order_from_quote(actor=actor, request=request, quote=locked)
    audit_record(
        actor=actor,
        verb="trade.quote_accepted",
        target=locked,
        cluster_id=request.cluster_id,
        after={
            "request": request.number,
            "revision": locked.revision,
            "order": made.order.number,
        },
    )
    order_event(
        "quote.accepted",
        made.order,
        extra={
            "request": request.number,
            "revision": locked.revision,
            "trade_account_id": request.account_id,
        },
    )
    transaction.on_commit(
        partial(trade_order_made_notify.enqueue, trade_order_id=made.pk)
    )
    return locked


@transaction.atomic
def quote_revision_ask(*, actor: Actor, quote: Quote, note: str) -> Quote:
    """The buyer asks for a revision of the newest quote, saying what to change;
    the members may price their lines again."""
    request, locked = _newest_sent(actor, quote)
    text = (note or "").strip()
    if not text or len(text) > MAX_NOTES:
        raise ValidationFailed(
            TradeErrorCode.INVALID_QUOTE,
            {"note": [_("Say what should change (at most 2,000 characters).")]},
        )
    locked.status = Quote.Status.REVISION_ASKED
    locked.buyer_note = text
    locked.decided_at = timezone.now()
    locked.decided_by = actor.user
    locked.save()
    request.status = QuoteRequest.Status.REVISION
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        verb="trade.quote_revision_asked",
        target=locked,
        cluster_id=request.cluster_id,
        after={"request": request.number, "revision": locked.revision},
    )
    return locked


def _close(
    actor: Actor, request: QuoteRequest, status: str, reason: str, verb: str
) -> QuoteRequest:
    locked = QuoteRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status in (
        QuoteRequest.Status.ACCEPTED,
        QuoteRequest.Status.WITHDRAWN,
        QuoteRequest.Status.DECLINED,
    ):
        raise _conflict(
            _("This request is %(status)s already.")
            % {"status": locked.get_status_display().lower()}
        )
    locked.status = status
    locked.reason = (reason or "").strip()[:MAX_NOTES]
    locked.save(update_fields=["status", "reason", "updated_at"])
    locked.quotes.filter(status=Quote.Status.SENT).update(
        status=Quote.Status.SUPERSEDED
    )
    audit_record(
        actor=actor,
        verb=verb,
        target=locked,
        cluster_id=locked.cluster_id,
        after={"status": status, "reason": locked.reason},
    )
    return locked


@transaction.atomic
def rfq_withdraw(
    *, actor: Actor, request: QuoteRequest, reason: str = ""
) -> QuoteRequest:
    """The buyer withdraws its request (before it accepts a quote)."""
    _require_buyer(actor, request.account)
    return _close(
        actor, request, QuoteRequest.Status.WITHDRAWN, reason, "trade.rfq_withdrawn"
    )


@transaction.atomic
def rfq_decline(*, actor: Actor, request: QuoteRequest, reason: str) -> QuoteRequest:
    """The cluster's admin declines a request, with the reason the buyer is told."""
    _require_admin(actor, request.cluster_id)
    if not (reason or "").strip():
        raise ValidationFailed(
            TradeErrorCode.REASON_REQUIRED, {"reason": [_("Give the buyer a reason.")]}
        )
    return _close(
        actor, request, QuoteRequest.Status.DECLINED, reason, "trade.rfq_declined"
    )

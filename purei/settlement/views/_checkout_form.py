"""The checkout page's form (and the order page's pay form): what the shopper
typed, kept as typed, turned into ``CheckoutDetails`` for ``order_place`` and the
test card's ``CardDetails`` for ``payment_start``; the per-member delivery and
pickup options to show; and each service error placed beside its field (and in
the summary).

It checks nothing itself: the checkout and payment services do, and their
``ValidationFailed`` errors come back here by field name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.accounts.models import User
from purei.core.errors import ValidationFailed
from purei.core.money import format_nzd
from purei.orders.models import AuGst
from purei.orders.pickup import event_cutoff_label, event_window_label
from purei.orders.services.checkout import (
    Address,
    CheckoutDetails,
    Choice,
    PartQuote,
    Quote,
    au_business_buyer,
)
from purei.payments.gateways import CardDetails, Gateway
from purei.payments.gateways.test_gateway import (
    DECLINED,
    INSUFFICIENT_FUNDS,
    SUCCEEDS,
    CardTestGateway,
)

TEST_CARDS = (
    (SUCCEEDS, gettext_lazy("succeeds")),
    (DECLINED, gettext_lazy("is declined")),
    (INSUFFICIENT_FUNDS, gettext_lazy("is declined for insufficient funds")),
)
CARD_FIELDS = ("card_number", "expiry", "cvc")
ADDRESS_FIELDS = (
    "country",
    "line1",
    "line2",
    "suburb",
    "town",
    "postcode",
    "region",
    "state",
)
TEXT_FIELDS = (
    "email",
    "name",
    "phone",
    *ADDRESS_FIELDS,
    "buyer_abn",
    "promo_code",
    "payment_method",
    *CARD_FIELDS,
)


FIELD_LABELS = {
    "email": gettext_lazy("Email address"),
    "name": gettext_lazy("Name"),
    "phone": gettext_lazy("Phone"),
    "country": gettext_lazy("Country"),
    "line1": gettext_lazy("Street address"),
    "line2": gettext_lazy("Apartment, unit or RD"),
    "suburb": gettext_lazy("Suburb"),
    "town": gettext_lazy("Town or city"),
    "postcode": gettext_lazy("Postcode"),
    "region": gettext_lazy("Region"),
    "state": gettext_lazy("State or province"),
    "age_confirmed": gettext_lazy("Age"),
    "buyer_abn": gettext_lazy("The business's ABN"),
    "business_use": gettext_lazy("Business purchase"),
    "promo_code": gettext_lazy("Promo code"),
    "payment_method": gettext_lazy("Payment"),
    "card_number": gettext_lazy("Card number"),
    "expiry": gettext_lazy("Expiry date"),
    "cvc": gettext_lazy("Security code (CVC)"),
}
# Where a service's field name shows on this page.
FIELD_MAP = {"address": "line1", "gateway": "payment_method", "hub": "delivery_mode"}


def form_fields(form: CheckoutForm) -> dict[str, dict[str, Any]]:
    """Each input's id, label, value and errors, for the templates."""
    return {
        name: {
            "name": name,
            "id": f"id_{name}",
            "label": FIELD_LABELS[name],
            "value": form.values.get(name, ""),
            "errors": form.errors.get(name, []),
        }
        for name in (*TEXT_FIELDS, "age_confirmed", "business_use")
    }


@dataclass
class CheckoutForm:
    """What the shopper typed, as typed, and the errors to show beside it."""

    values: dict[str, str]
    choices: dict[int, str]  # member id → "delivery", "pickup_premises", "event-<id>"
    days: dict[int, str] = field(default_factory=dict)  # member id → "2026-03-03"
    rural: bool = False
    age_confirmed: bool = False
    business_use: bool = False
    hub: bool = False  # "One parcel from the hub" chosen
    share_contact: bool = False  # agreed to hear from the order's other makers
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def initial(cls, user: User | None, gateways: list[Gateway]) -> CheckoutForm:
        values = dict.fromkeys(TEXT_FIELDS, "")
        values["country"] = "NZ"
        values["idempotency_key"] = uuid.uuid4().hex
        names = [gateway.name for gateway in gateways]
        values["payment_method"] = (
            CardTestGateway.name if CardTestGateway.name in names else names[0]
        )
        if user is not None:
            values["email"] = user.email
            values["name"] = user.full_name
        return cls(values=values, choices={})

    @classmethod
    def from_post(cls, request: HttpRequest) -> CheckoutForm:
        post = request.POST
        values = {name: str(post.get(name, "")).strip() for name in TEXT_FIELDS}
        values["idempotency_key"] = str(post.get("idempotency_key", ""))[:64]
        choices: dict[int, str] = {}
        days: dict[int, str] = {}
        for key, value in post.items():
            if key.startswith("choice-") and key[7:].isdigit():
                choices[int(key[7:])] = str(value)
            elif key.startswith("day-") and key[4:].isdigit():
                days[int(key[4:])] = str(value)[:10]
        return cls(
            values=values,
            choices=choices,
            days=days,
            rural=bool(post.get("rural")),
            age_confirmed=bool(post.get("age_confirmed")),
            business_use=bool(post.get("business_use")),
            hub=post.get("delivery_mode") == "hub",
            share_contact=bool(post.get("share_contact")),
        )

    def address(self) -> Address:
        v = self.values
        return Address(
            country=v["country"] or "NZ",
            line1=v["line1"],
            line2=v["line2"],
            suburb=v["suburb"],
            town=v["town"],
            postcode=v["postcode"],
            region=v["region"],
            state=v["state"],
            rural=self.rural,
        )

    def parsed_choices(self) -> dict[int, Choice]:
        parsed: dict[int, Choice] = {}
        for member_id, value in self.choices.items():
            if value == "delivery":
                parsed[member_id] = Choice(
                    "delivery", delivery_day=self.days.get(member_id) or None
                )
            elif value == "pickup_premises":
                parsed[member_id] = Choice("pickup_premises")
            elif value == "freight_quote":
                parsed[member_id] = Choice("freight_quote")
            elif value.startswith("event-") and value[6:].isdigit():
                parsed[member_id] = Choice("pickup_event", int(value[6:]))
        return parsed

    def details(self) -> CheckoutDetails:
        v = self.values
        return CheckoutDetails(
            email=v["email"],
            name=v["name"],
            phone=v["phone"],
            payment_method=v["payment_method"],
            idempotency_key=v["idempotency_key"],
            address=self.address(),
            choices=self.parsed_choices(),
            age_confirmed=self.age_confirmed,
            buyer_abn=v["buyer_abn"],
            business_use=self.business_use,
            hub=self.hub,
            promo_code=v["promo_code"],
            share_contact=self.share_contact,
        )

    def au_business(self) -> bool:
        """A valid ABN and the business statement (for pricing the page)."""
        return au_business_buyer(self.values["buyer_abn"], self.business_use)

    def card(self) -> CardDetails | None:
        """The test card's details as typed (None for the other gateways)."""
        if self.values["payment_method"] != CardTestGateway.name:
            return None
        return CardDetails(
            card_number=self.values["card_number"],
            expiry=self.values["expiry"],
            cvc=self.values["cvc"],
        )

    def add_errors(self, error: ValidationFailed) -> None:
        for name, messages_ in error.errors.items():
            target = FIELD_MAP.get(name, name)
            if target.startswith("choice.") and target.endswith(".delivery_day"):
                target = "day-" + target[7 : -len(".delivery_day")]
            elif target.startswith("choice."):
                target = "choice-" + target[7:]
            self.errors.setdefault(target, []).extend(messages_)


def _choice_value(choice: Choice | None) -> str:
    if choice is None:
        return ""  # nothing checked: the shopper chooses
    if choice.method == "pickup_event":
        return f"event-{choice.event_id}"
    return choice.method


def _delivery_detail(
    part: PartQuote, priced: PartQuote | None, zone_known: bool
) -> str:
    if not zone_known:
        return _("Give your address to see the price.")
    if priced is None or not priced.can_deliver:
        return _("Does not deliver to this address.")
    if priced.shipping_cents == 0:
        return _("Free")
    return format_nzd(priced.shipping_cents)


def member_options(
    form: CheckoutForm,
    quote: Quote,
    delivery_quote: Quote | None,
    instructions: dict[int, str],
) -> list[dict[str, Any]]:
    priced = {
        part.group.member_id: part
        for part in (delivery_quote.parts if delivery_quote else ())
    }
    parts = []
    for part in quote.parts:
        member_id = part.group.member_id
        name = f"choice-{member_id}"
        chosen = _choice_value(part.choice)
        options: list[dict[str, Any]] = []
        if any(way.method == "freight_quote" for way in part.options):
            options.append(freight_option(part))
        if any(way.method == "delivery" for way in part.options):
            options.append(
                {
                    "value": "delivery",
                    "label": _("Delivery"),
                    "details": [
                        _delivery_detail(
                            part, priced.get(member_id), quote.zone is not None
                        )
                    ],
                }
            )
        if part.pickup_premises:
            options.append(
                {
                    "value": "pickup_premises",
                    "label": _("Pickup from %(member)s")
                    % {"member": part.group.member_name},
                    "details": [
                        text
                        for text in (
                            part.pickup_address,
                            instructions.get(member_id, ""),
                        )
                        if text
                    ]
                    + [_("Free")],
                }
            )
        for event in part.events:
            options.append(
                {
                    "value": f"event-{event.pk}",
                    "label": _("Pickup at %(event)s") % {"event": event.name},
                    "details": [
                        ", ".join(
                            text
                            for text in (event.venue, event.collection_point)
                            if text
                        ),
                        event_window_label(event),
                        _("Order by %(cutoff)s")
                        % {"cutoff": event_cutoff_label(event)},
                    ],
                }
            )
        for index, option in enumerate(options):
            option["id"] = f"id_{name}_{index}"
            option["checked"] = option["value"] == chosen
        errors = form.errors.get(name, [])
        parts.append(
            {
                "part": part,
                "name": name,
                "options": options,
                "errors": errors,
                "problem": "" if part.problem in errors else part.problem,
                "days": _day_options(form, part, member_id),
                "day_name": f"day-{member_id}",
                "day_errors": form.errors.get(f"day-{member_id}", []),
            }
        )
    return parts


def freight_option(part: PartQuote) -> dict[str, Any]:
    """ "Request a freight quote": delivery of heavy or bulky goods, priced by
    the cluster after the order is placed (docs/orders.md "Freight on quote")."""
    why = (
        _("Too heavy for the courier rates.")
        if part.freight == "weight"
        else _("Heavy or bulky goods: delivery is quoted for each order.")
    )
    return {
        "value": "freight_quote",
        "label": _("Request a freight quote"),
        "details": [
            why,
            _(
                "The cluster emails you the freight price; you pay then, or "
                "decline. Your items are held meanwhile."
            ),
        ],
    }


def _day_options(form: CheckoutForm, part: PartQuote, member_id: int) -> list[Any]:
    """The delivery days to pick from (none pre-selected), when delivery is
    chosen and the member sets delivery days."""
    if part.choice is None or part.choice.method != "delivery":
        return []
    chosen = form.days.get(member_id, "")
    return [
        {
            "value": day.arrival.isoformat(),
            "label": day.label,
            "selected": day.arrival.isoformat() == chosen,
        }
        for day in part.days
    ]


def _aud(cents: int) -> str:
    return "A" + format_nzd(cents)


def au_gst_notes(quote: Quote) -> list[str]:
    """What an order to Australia says about Australian GST, part by part."""
    au = quote.au
    if au is None:
        return []
    notes: list[str] = []
    charged = quote.au_gst_cents
    if charged:
        notes.append(
            _(
                "Prices include Australian GST of %(gst)s (10 %%), collected for the "
                "ATO: there is no GST to pay when the goods arrive."
            )
            % {"gst": format_nzd(charged)}
        )
    for part in quote.parts:
        name = part.group.member_name
        value = _aud(part.customs_value_aud_cents or 0)
        if part.au_gst_reason == AuGst.OVER_LIMIT:
            notes.append(
                _(
                    "The goods from %(member)s are worth %(value)s, over A$1,000: no "
                    "Australian GST is charged here. Australia charges GST (and any "
                    "duty) at the border when they arrive."
                )
                % {"member": name, "value": value}
            )
        elif part.au_gst_reason == AuGst.EXCLUDED_GOODS or (
            part.au_gst_reason == AuGst.CHARGED
            and any(line.item.alcohol_or_tobacco for line in part.lines)
        ):
            notes.append(
                _(
                    "Alcohol and tobacco from %(member)s carry no Australian GST "
                    "here: Australia charges GST and duty on them at the border."
                )
                % {"member": name}
            )
    if any(part.au_gst_reason == AuGst.BUSINESS_BUYER for part in quote.parts):
        notes.append(
            _(
                "No Australian GST: your business gave its ABN and stated it is "
                "registered for GST and buying for business use."
            )
        )
    if any(part.customs_value_aud_cents is not None for part in quote.parts):
        rate = (
            _("an assumed NZ$1 = A$1.00 (no rate recorded)")
            if au.rate.assumed
            else _("NZ$1 = A$%(rate)s (%(source)s)")
            % {"rate": au.rate.rate.normalize(), "source": au.rate.source}
        )
        notes.append(
            _("Values in Australian dollars are at %(rate)s.") % {"rate": rate}
        )
    return notes


def error_summary(
    form: CheckoutForm, parts: list[dict[str, Any]]
) -> list[dict[str, str]]:
    """The error summary: each error links to its field."""
    rows: list[dict[str, str]] = []
    for message in form.errors.get("__all__", []):
        rows.append({"anchor": "", "label": "", "message": message})
    for message in form.errors.get("delivery_mode", []):
        rows.append(
            {
                "anchor": "id_delivery_mode_hub",
                "label": str(_("One parcel from the hub")),
                "message": message,
            }
        )
    order = [*TEXT_FIELDS, "age_confirmed", "business_use"]
    for name in order:
        for message in form.errors.get(name, []):
            anchor = f"id_{name}_0" if name == "payment_method" else f"id_{name}"
            rows.append(
                {"anchor": anchor, "label": str(FIELD_LABELS[name]), "message": message}
            )
    for part in parts:
        for message in part["errors"]:
            rows.append(
                {
                    "anchor": part["options"][0]["id"],
                    "label": part["part"].group.member_name,
                    "message": message,
                }
            )
        for message in part["day_errors"]:
            rows.append(
                {
                    "anchor": f"id_{part['day_name']}"
                    if part["days"]
                    else part["options"][0]["id"],
                    "label": part["part"].group.member_name,
                    "message": message,
                }
            )
    return rows


def documented_test_cards() -> list[dict[str, Any]]:
    """The documented test card numbers, grouped in fours as printed on cards."""
    return [
        {"number": " ".join(n[i : i + 4] for i in range(0, 16, 4)), "outcome": o}
        for n, o in TEST_CARDS
    ]

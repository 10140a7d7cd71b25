"""HTML forms of requests for quote and quotes. They only parse input: the rules
live in ``purei.trade.services.quotes``, whose refusals come back onto these forms
(``form_add_domain_error``, with the maps below from the services' field names)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from purei.catalogue.models import Variant
from purei.core.countries import COUNTRIES
from purei.core.money import PriceInvalid, format_cents, parse_price_cents
from purei.members.models import Member
from purei.trade.money import format_money

from .forms import ADDRESS_PARTS
from .models import Incoterm, Quote, QuoteRequestLine, TradeAccount
from .services import (
    AddressInput,
    AttachmentInput,
    LinePriceInput,
    QuoteInput,
    RFQInput,
    RFQLineInput,
)

PRODUCT_ROWS = 8
WRITTEN_ROWS = 3

# The request's service field names → the main form's names.
RFQ_FIELD_MAP = {f"destination.{part}": f"destination_{part}" for part in ADDRESS_PARTS}
# A line's service field names → the row form's names.
PRODUCT_LINE_MAP = {"variant_id": "variant", "quantity": "quantity"}
WRITTEN_LINE_MAP = {
    "description": "description",
    "member": "member",
    "quantity": "quantity",
    "attachments": "file",
}
PRICE_FIELD_MAP = {"unit_price_nzd_cents": "unit_price"}
QUOTE_FIELD_MAP = {
    "freight_nzd_cents": "freight",
    "insurance_nzd_cents": "insurance",
    "packing_nzd_cents": "packing",
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _dollars(value: object, example: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return parse_price_cents(text)
    except PriceInvalid:
        raise forms.ValidationError(
            _("Give an amount in dollars, like %(example)s.") % {"example": example}
        ) from None


# --- The buyer's request -----------------------------------------------------------


def variant_label(variant: Variant) -> str:
    """``SKU — Title — Name · 12.50 NZD ex-GST · MOQ 12 · packs of 6``."""
    title = variant.product.title_en
    parts = [variant.sku, f"{title} — {variant.name}" if variant.name else title]
    text = " — ".join(parts)
    if variant.trade_price_cents is not None:
        text += " · " + str(
            _("%(price)s ex-GST")
            % {"price": format_money(variant.trade_price_cents, "NZD")}
        )
    if variant.min_order_quantity > 1:
        text += " · " + str(_("MOQ %(n)s") % {"n": variant.min_order_quantity})
    if variant.pack_size > 1:
        text += " · " + str(_("packs of %(n)s") % {"n": variant.pack_size})
    return text


def variant_choices(variants: Sequence[Variant]) -> list[Any]:
    """The variants as a select's choices, grouped by member."""
    groups: dict[int, tuple[str, list[tuple[str, str]]]] = {}
    for variant in variants:
        group = groups.setdefault(variant.member_id, (variant.member.name, []))
        group[1].append((str(variant.pk), variant_label(variant)))
    return [("", _("Choose a product")), *groups.values()]


class RFQForm(forms.Form):
    incoterm = forms.ChoiceField(
        label=_("Incoterm (2020)"),
        choices=Incoterm.choices,
        initial=Incoterm.DAP,
        help_text=_("Who pays for and carries the goods to where."),
    )
    named_place = forms.CharField(
        label=_("Named place"),
        max_length=120,
        help_text=_("The place the Incoterm names, e.g. Brisbane or Nelson port."),
    )
    destination_line1 = forms.CharField(label=_("Street address"), max_length=120)
    destination_line2 = forms.CharField(
        label=_("Address line 2"), max_length=120, required=False
    )
    destination_city = forms.CharField(label=_("Town or city"), max_length=80)
    destination_region = forms.CharField(
        label=_("Region or state"), max_length=80, required=False
    )
    destination_postcode = forms.CharField(label=_("Postcode"), max_length=12)
    destination_country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES)
    needed_by = forms.DateField(
        label=_("Needed by"), required=False, widget=DateInput()
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    @classmethod
    def for_account(cls, account: TradeAccount) -> RFQForm:
        address = account.delivery_address or {}
        return cls(
            initial={
                f"destination_{part}": address.get(part, "") for part in ADDRESS_PARTS
            }
            | {"named_place": address.get("city", "")}
        )

    def destination(self) -> AddressInput:
        data = self.cleaned_data
        return AddressInput(
            **{
                part: str(data.get(f"destination_{part}") or "")
                for part in ADDRESS_PARTS
            }
        )


class ProductLineForm(forms.Form):
    variant = forms.ChoiceField(label=_("Product"), required=False)
    quantity = forms.IntegerField(
        label=_("Quantity"), required=False, min_value=1, max_value=1_000_000
    )

    def __init__(self, *args: Any, choices: list[Any], row: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.row = row
        self.fields["variant"].choices = choices  # type: ignore[attr-defined]  # ChoiceField
        self.fields["variant"].label = _("Product %(n)s") % {"n": row}
        self.fields["quantity"].label = _("Quantity of product %(n)s") % {"n": row}

    def is_empty(self) -> bool:
        data = self.cleaned_data
        return not data.get("variant") and data.get("quantity") is None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("variant") and data.get("quantity") is None:
            self.add_error("quantity", _("Give a quantity."))
        if not data.get("variant") and data.get("quantity") is not None:
            self.add_error("variant", _("Choose a product, or clear the quantity."))
        return data

    def line(self) -> RFQLineInput:
        data = self.cleaned_data
        return RFQLineInput(quantity=data["quantity"], variant_id=int(data["variant"]))


class WrittenLineForm(forms.Form):
    description = forms.CharField(label=_("What you need"), required=False)
    member = forms.ChoiceField(label=_("Member"), required=False)
    quantity = forms.IntegerField(
        label=_("Quantity"), required=False, min_value=1, max_value=1_000_000
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    file = forms.FileField(
        label=_("Drawing or specification"),
        required=False,
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/png,image/jpeg"}
        ),
    )

    def __init__(self, *args: Any, members: Sequence[Member], row: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.row = row
        self.fields["member"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            ("", _("Not sure: the cluster chooses")),
            *((m.slug, m.name) for m in members),
        ]
        labels = {
            "description": _("What you need, line %(n)s"),
            "member": _("Member who makes it, line %(n)s"),
            "quantity": _("Quantity, line %(n)s"),
            "unit": _("Unit, line %(n)s"),
            "file": _("Drawing or specification, line %(n)s"),
        }
        for name, label in labels.items():
            self.fields[name].label = label % {"n": row}
        self.fields["unit"].help_text = _("e.g. each, metres, kg (each if empty).")

    def is_empty(self) -> bool:
        data = self.cleaned_data
        return (
            not data.get("description")
            and data.get("quantity") is None
            and not data.get("file")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_empty():
            return data
        if data.get("quantity") is None and "quantity" not in self.errors:
            self.add_error("quantity", _("Give a quantity."))
        return data

    def line(self) -> RFQLineInput:
        data = self.cleaned_data
        upload: UploadedFile[bytes] | None = data.get("file") or None
        attachments: tuple[AttachmentInput, ...] = ()
        if upload is not None:
            attachments = (
                AttachmentInput(
                    name=upload.name or "file",
                    content=upload,
                    content_type=upload.content_type or "",
                    size=upload.size or 0,
                ),
            )
        return RFQLineInput(
            quantity=data["quantity"],
            description=data.get("description", ""),
            member=data.get("member", ""),
            unit=data.get("unit") or "each",
            attachments=attachments,
        )


def rfq_input(
    form: RFQForm, rows: Sequence[ProductLineForm | WrittenLineForm]
) -> RFQInput:
    data = form.cleaned_data
    return RFQInput(
        lines=[row.line() for row in rows],
        incoterm=data["incoterm"],
        named_place=data["named_place"],
        destination=form.destination(),
        needed_by=data.get("needed_by"),
        notes=data.get("notes", ""),
    )


# --- The buyer's answer ------------------------------------------------------------


class RevisionForm(forms.Form):
    note = forms.CharField(
        label=_("What should change?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- A member's price --------------------------------------------------------------


class LinePriceForm(forms.Form):
    unit_price = forms.CharField(
        label=_("Unit price (NZ$, excluding GST)"), required=False, max_length=20
    )
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"), required=False, min_value=1, max_value=365
    )
    valid_until = forms.DateField(
        label=_("Price valid until"), required=False, widget=DateInput()
    )
    unit_weight_grams = forms.IntegerField(
        label=_("Weight of one unit (grams)"),
        required=False,
        min_value=1,
        max_value=100_000_000,
    )
    length_mm = forms.IntegerField(
        label=_("Length (mm)"), required=False, min_value=1, max_value=100_000_000
    )
    width_mm = forms.IntegerField(
        label=_("Width (mm)"), required=False, min_value=1, max_value=100_000_000
    )
    height_mm = forms.IntegerField(
        label=_("Height (mm)"), required=False, min_value=1, max_value=100_000_000
    )
    hs_code = forms.CharField(
        label=_("HS code"),
        required=False,
        max_length=16,
        help_text=_("6 to 10 digits, e.g. 7216.33."),
    )
    origin_country = forms.ChoiceField(
        label=_("Country of origin"), choices=COUNTRIES, initial="NZ"
    )
    cannot_supply = forms.BooleanField(label=_("We can't supply this"), required=False)
    note = forms.CharField(
        label=_("Note to the cluster"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_unit_price(self) -> int | None:
        return _dollars(self.cleaned_data.get("unit_price"), "24.50")

    def price(self) -> LinePriceInput:
        data = self.cleaned_data
        return LinePriceInput(
            unit_price_nzd_cents=data.get("unit_price"),
            lead_time_days=data.get("lead_time_days"),
            valid_until=data.get("valid_until"),
            unit_weight_grams=data.get("unit_weight_grams"),
            length_mm=data.get("length_mm"),
            width_mm=data.get("width_mm"),
            height_mm=data.get("height_mm"),
            hs_code=data.get("hs_code", ""),
            origin_country=data.get("origin_country", "NZ"),
            cannot_supply=bool(data.get("cannot_supply")),
            note=data.get("note", ""),
        )

    @classmethod
    def for_line(cls, line: QuoteRequestLine, **kwargs: Any) -> LinePriceForm:
        """Prefilled from the line's price, or (not priced yet) its variant's trade
        price, weight and dimensions."""
        cents = line.unit_price_nzd_cents
        variant = line.variant if not line.is_priced else None
        if cents is None and variant is not None:
            cents = variant.trade_price_cents

        def known(name: str) -> object:
            value = getattr(line, name)
            return getattr(variant, name, None) if value is None else value

        return cls(
            initial={
                "unit_price": format_cents(cents) if cents is not None else "",
                "lead_time_days": line.lead_time_days,
                "valid_until": line.valid_until,
                "unit_weight_grams": line.unit_weight_grams
                if line.unit_weight_grams is not None or variant is None
                else variant.weight_grams,
                "length_mm": known("length_mm"),
                "width_mm": known("width_mm"),
                "height_mm": known("height_mm"),
                "hs_code": line.hs_code,
                "origin_country": line.origin_country or "NZ",
                "cannot_supply": line.cannot_supply,
                "note": line.member_note,
            },
            **kwargs,
        )


# --- The cluster admin's screens ---------------------------------------------------


class AssignForm(forms.Form):
    member = forms.ChoiceField(label=_("Member who prices it"))

    def __init__(self, *args: Any, members: Sequence[Member], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            ("", _("Choose a member")),
            *((str(m.pk), m.name) for m in members),
        ]


class QuoteForm(forms.Form):
    basis = forms.ChoiceField(
        label=_("Share freight, insurance and packing"),
        choices=Quote.Basis.choices,
        initial=Quote.Basis.WEIGHT,
    )
    freight = forms.CharField(
        label=_("Freight (NZ$, excluding GST)"), required=False, initial="0"
    )
    insurance = forms.CharField(label=_("Insurance (NZ$)"), required=False, initial="0")
    packing = forms.CharField(
        label=_("Packing (NZ$, excluding GST)"), required=False, initial="0"
    )
    valid_until = forms.DateField(label=_("Quote valid until"), widget=DateInput())
    notes = forms.CharField(
        label=_("Notes to the buyer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_freight(self) -> int:
        return _dollars(self.cleaned_data.get("freight"), "1850") or 0

    def clean_insurance(self) -> int:
        return _dollars(self.cleaned_data.get("insurance"), "120") or 0

    def clean_packing(self) -> int:
        return _dollars(self.cleaned_data.get("packing"), "80") or 0

    def quote(self) -> QuoteInput:
        data = self.cleaned_data
        return QuoteInput(
            basis=data["basis"],
            freight_nzd_cents=data["freight"],
            insurance_nzd_cents=data["insurance"],
            packing_nzd_cents=data["packing"],
            valid_until=data["valid_until"],
            notes=data.get("notes", ""),
        )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the buyer)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

"""HTML forms of trade. They only parse input: the rules live in the services, whose
refusals come back onto these forms (``form_add_domain_error``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from purei.core.countries import COUNTRIES
from purei.core.money import PriceInvalid, format_cents, parse_price_cents

from .models import Currency, PaymentTerms, TradeAccount
from .services import AddressInput, TradeApplication, TradeTermsInput

ADDRESS_PARTS = ("line1", "line2", "city", "region", "postcode", "country")
# Service field names ("delivery_address.city") → form field names.
FIELD_MAP = {
    f"{kind}_address.{part}": f"{kind}_{part}"
    for kind in ("delivery", "billing")
    for part in ADDRESS_PARTS
}


def _address_fields(kind: str, required: bool) -> dict[str, forms.Field]:
    return {
        f"{kind}_line1": forms.CharField(
            label=_("Street address"), max_length=120, required=required
        ),
        f"{kind}_line2": forms.CharField(
            label=_("Address line 2"), max_length=120, required=False
        ),
        f"{kind}_city": forms.CharField(
            label=_("Town or city"), max_length=80, required=required
        ),
        f"{kind}_region": forms.CharField(
            label=_("Region or state"), max_length=80, required=False
        ),
        f"{kind}_postcode": forms.CharField(
            label=_("Postcode"), max_length=12, required=required
        ),
        f"{kind}_country": forms.ChoiceField(
            label=_("Country"), choices=COUNTRIES, required=required
        ),
    }


class TradeApplicationForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    trading_name = forms.CharField(
        label=_("Trading name"), max_length=200, required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of business"), choices=TradeAccount.Kind.choices
    )
    country = forms.ChoiceField(
        label=_("Country the business is in"), choices=COUNTRIES
    )
    nzbn = forms.CharField(
        label=_("NZBN"),
        max_length=20,
        required=False,
        help_text=_("New Zealand businesses: 13 digits, starting with 94."),
    )
    abn = forms.CharField(
        label=_("ABN"),
        max_length=20,
        required=False,
        help_text=_("Australian businesses: 11 digits."),
    )
    gst_registered = forms.BooleanField(
        label=_("The business is registered for GST"),
        required=False,
        help_text=_(
            "In Australia this is your statement that you are registered for GST "
            "and buy for use in your business: no Australian GST is charged then."
        ),
    )
    gst_number = forms.CharField(
        label=_("GST number"),
        max_length=16,
        required=False,
        help_text=_("New Zealand businesses registered for GST."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    contact_name = forms.CharField(label=_("Contact name"), max_length=120)
    contact_email = forms.EmailField(label=_("Contact email"))
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=32, required=False
    )
    accounts_email = forms.EmailField(
        label=_("Accounts email"),
        required=False,
        help_text=_("Where invoices and statements go, if not to the contact."),
    )
    billing_same = forms.BooleanField(
        label=_("Bill to the delivery address"), required=False, initial=True
    )
    message = forms.CharField(
        label=_("Message to the cluster"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_address_fields("delivery", required=True))
        self.fields.update(_address_fields("billing", required=False))

    def _address(self, kind: str) -> AddressInput:
        data = self.cleaned_data
        return AddressInput(
            **{part: str(data.get(f"{kind}_{part}") or "") for part in ADDRESS_PARTS}
        )

    def application(self) -> TradeApplication:
        data = self.cleaned_data
        return TradeApplication(
            kind=data["kind"],
            legal_name=data["legal_name"],
            trading_name=data.get("trading_name", ""),
            country=data["country"],
            nzbn=data.get("nzbn", ""),
            abn=data.get("abn", ""),
            gst_registered=bool(data.get("gst_registered")),
            gst_number=data.get("gst_number", ""),
            currency=data["currency"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data.get("contact_phone", ""),
            accounts_email=data.get("accounts_email", ""),
            delivery_address=self._address("delivery"),
            billing_address=(
                None if data.get("billing_same") else self._address("billing")
            ),
            message=data.get("message", ""),
        )


class TermsForm(forms.Form):
    payment_terms = forms.ChoiceField(
        label=_("Payment terms"), choices=PaymentTerms.choices
    )
    terms_days = forms.IntegerField(
        label=_("Days to pay"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Only for “A number of days”."),
    )
    deposit_percent = forms.IntegerField(
        label=_("Deposit (%)"), min_value=0, max_value=100, initial=0
    )
    credit_limit = forms.CharField(
        label=_("Credit limit (NZ$)"),
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    first_order_proforma = forms.BooleanField(
        label=_("First order paid before dispatch (pro-forma)"),
        required=False,
        initial=True,
    )
    reason = forms.CharField(
        label=_("Message to the business"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_credit_limit(self) -> int | None:
        value = str(self.cleaned_data.get("credit_limit") or "").strip()
        if not value:
            return None
        try:
            return parse_price_cents(value)
        except PriceInvalid:
            raise forms.ValidationError(
                _("Give an amount in dollars, like 5000.")
            ) from None

    def terms(self) -> TradeTermsInput:
        data = self.cleaned_data
        return TradeTermsInput(
            payment_terms=data["payment_terms"],
            terms_days=data.get("terms_days"),
            deposit_percent=data.get("deposit_percent") or 0,
            credit_limit_cents=data.get("credit_limit"),
            first_order_proforma=bool(data.get("first_order_proforma")),
        )

    @classmethod
    def for_account(cls, account: TradeAccount, **kwargs: Any) -> TermsForm:
        limit = account.credit_limit_cents
        return cls(
            initial={
                "payment_terms": account.payment_terms,
                "terms_days": account.terms_days,
                "deposit_percent": account.deposit_percent,
                "credit_limit": format_cents(limit) if limit is not None else "",
                "first_order_proforma": account.first_order_proforma,
            },
            **kwargs,
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the business)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RateForm(forms.Form):
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=[(c.value, c.label) for c in Currency if c != Currency.NZD],
    )
    rate = forms.CharField(
        label=_("One New Zealand dollar buys"),
        max_length=20,
        help_text=_("e.g. 0.9125"),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=120,
        help_text=_(
            "Where the rate comes from, e.g. RBNZ 4 pm rate. Keep to one source."
        ),
    )


class TradeSettingsForm(forms.Form):
    min_first_order = forms.CharField(
        label=_("Minimum first order (NZ$, ex-GST, ex-freight)"),
        required=False,
        help_text=_("Leave empty or 0 for none."),
    )

    def clean_min_first_order(self) -> int:
        value = str(self.cleaned_data.get("min_first_order") or "").strip()
        if not value:
            return 0
        try:
            return parse_price_cents(value)
        except PriceInvalid:
            raise forms.ValidationError(
                _("Give an amount in dollars, like 800.")
            ) from None

"""The forms of the webhooks' manage pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from purei.core.events import EVENT_NAMES

EVENT_LABELS = {
    "order.paid": _("An order is paid"),
    "order.cancelled": _("An order or part of it is cancelled"),
    "order.refunded": _("Money goes back for an order"),
    "fulfilment.changed": _("A part of an order moves (packed, shipped…)"),
    "stock.low": _("Stock runs low"),
    "product.changed": _("A product changes"),
    "payout.made": _("A payout is made"),
    "quote.requested": _("A trade buyer asks for a quote"),
    "quote.accepted": _("A trade buyer accepts a quote"),
}
FIELD_MAP = {"url": "url", "events": "events", "description": "description"}


def _choices() -> list[tuple[str, str]]:
    return [(name, f"{EVENT_LABELS[name]} ({name})") for name in EVENT_NAMES]


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        help_text=_("Where Pūrei posts each event: https:// only."),
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        max_length=200,
        required=False,
        help_text=_("What listens, such as “Xero sync”."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events it hears"),
        widget=forms.CheckboxSelectMultiple,
        choices=_choices,
    )

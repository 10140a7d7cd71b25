"""The sales windows' manage forms (docs/orders.md "Sales windows"): each input
is checked here (a date is a date, a cap a whole number from 1), then the
services check the rules (``services/sales_windows.py``) and their refusals land
on the same fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from purei.orders.models import PickupEvent, SalesWindow
from purei.orders.pickup import event_window_label
from purei.orders.services.sales_windows import (
    DESCRIPTION_LIMIT,
    SalesWindowInput,
)

TIME_ZONES = (
    ("Pacific/Auckland", _("New Zealand mainland")),
    ("Pacific/Chatham", _("Chatham Islands (45 minutes ahead)")),
)
LIMIT_MAX = 1_000_000
DATE = {"type": "date"}
TIME = {"type": "time"}


class SalesWindowForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=SalesWindow.Kind.choices, widget=forms.RadioSelect
    )
    name_en = forms.CharField(label=_("Name"), max_length=160)
    name_mi = forms.CharField(
        label=_("Name in te reo Māori"), max_length=160, required=False
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"), choices=TIME_ZONES, initial="Pacific/Auckland"
    )
    open_date = forms.DateField(
        label=_("Orders open on"), widget=forms.DateInput(attrs=DATE)
    )
    open_time = forms.TimeField(
        label=_("Orders open at (local time)"), widget=forms.TimeInput(attrs=TIME)
    )
    close_date = forms.DateField(
        label=_("Orders close on"),
        required=False,
        help_text=_("Empty: the day orders open."),
        widget=forms.DateInput(attrs=DATE),
    )
    close_time = forms.TimeField(
        label=_("Orders close at (local time)"),
        help_text=_("The cutoff: no orders after it."),
        widget=forms.TimeInput(attrs=TIME),
    )
    delivery_from = forms.DateField(
        label=_("First delivery day"),
        required=False,
        help_text=_(
            "Only if the window delivers: orders delivered for it arrive on "
            "these days. Empty: its goods are collected at its pickup points."
        ),
        widget=forms.DateInput(attrs=DATE),
    )
    delivery_until = forms.DateField(
        label=_("Last delivery day"),
        required=False,
        help_text=_("Empty: the first delivery day only."),
        widget=forms.DateInput(attrs=DATE),
    )
    restricted_day_exemption = forms.CharField(
        label=_("Restricted trading day exemption"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only when a delivery day is Christmas Day, Good Friday, Easter Sunday "
            "or Anzac Day: who granted the exemption, and its reference."
        ),
    )
    is_active = forms.BooleanField(
        label=_("Active: shown to shoppers and open for orders in its times"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone_field = self.fields["time_zone"]
        assert isinstance(zone_field, forms.ChoiceField)  # noqa: S101  # for mypy
        current = self.initial.get("time_zone") or ""
        if current and current not in dict(TIME_ZONES):
            zone_field.choices = [*TIME_ZONES, (current, current)]

    def service_data(self) -> SalesWindowInput:
        """The checked values (the service checks the rules between them)."""
        data = self.cleaned_data
        return SalesWindowInput(
            kind=data["kind"],
            name_en=data["name_en"],
            name_mi=data.get("name_mi") or "",
            description=data.get("description") or "",
            time_zone=data["time_zone"],
            open_date=data["open_date"],
            open_time=data["open_time"],
            close_date=data.get("close_date") or "",
            close_time=data["close_time"],
            delivery_from=data.get("delivery_from") or "",
            delivery_until=data.get("delivery_until") or "",
            restricted_day_exemption=data.get("restricted_day_exemption") or "",
            is_active=bool(data.get("is_active")),
        )


def _limit_field(label: Any, help_text: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=LIMIT_MAX,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class WindowItemForm(forms.Form):
    """A product in a window: which one (when it is added), its cap, its limit
    per customer and whether it sells only in windows."""

    product = forms.ChoiceField(label=_("Product"))
    cap = _limit_field(
        _("Cap"),
        _(
            "How many the window sells in all, every option together. Empty: no cap "
            "beyond stock."
        ),
    )
    per_customer_limit = _limit_field(
        _("Most per customer"), _("Empty: no limit per customer.")
    )
    window_only = forms.BooleanField(
        label=_("Sold only in windows"),
        required=False,
        initial=True,
        help_text=_(
            "Before the window opens the shop says when, and after it closes the "
            "product can't be ordered. Unticked: it sells as usual outside its "
            "windows."
        ),
    )

    def __init__(
        self,
        *args: Any,
        products: list[tuple[str, list[tuple[str, str]]]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # for mypy
        if products is None:  # changing a product already in the window
            del self.fields["product"]
        else:
            field.choices = [("", _("Choose a product")), *products]


def _label(event: PickupEvent) -> str:
    label = f"{event.name_en} — {event.collection_point}, {event_window_label(event)}"
    if not event.is_active:
        label += " (" + str(_("cancelled")) + ")"
    return label


class WindowPickupsForm(forms.Form):
    """The window's pickup points: the cluster's pickup events, ticked."""

    events = forms.MultipleChoiceField(
        label=_("Pickup points"),
        required=False,
        help_text=_(
            "The cluster's pickup events still to come that belong to no other "
            "window. Tick none: the window's goods go by delivery (when it has "
            "delivery days) or the members' usual ways."
        ),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )

    def __init__(self, *args: Any, events: list[PickupEvent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["events"]
        assert isinstance(field, forms.MultipleChoiceField)  # noqa: S101  # for mypy
        field.choices = [
            (
                str(e.pk),
                _label(e),
            )
            for e in events
        ]

"""The insights screens' forms: a member's wholesale prices, and benchmarking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purei.catalogue.models import Variant
from purei.core.money import PriceInvalid, format_cents, parse_price_cents


class WholesalePricesForm(forms.Form):
    """One optional price field per variant (dollars, excluding GST); blank
    takes the price away."""

    def __init__(
        self, *args: Any, rows: list[tuple[Variant, int | None]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for variant, price in rows:
            label = variant.product.title_en
            if variant.name:
                label = f"{label} \u2014 {variant.name}"
            self.fields[f"price-{variant.pk}"] = forms.CharField(
                label=f"{label} ({variant.sku})",
                required=False,
                initial=format_cents(price) if price is not None else "",
                max_length=16,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 10}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for variant, _price in self.rows:
            name = f"price-{variant.pk}"
            text = (data.get(name) or "").strip()
            if not text:
                data[name] = None
                continue
            try:
                data[name] = parse_price_cents(text)
            except PriceInvalid:
                self.add_error(name, _("Give a price in dollars, like 12.50."))
        return data

    def changes(self) -> list[tuple[int, int | None]]:
        """(variant id, new price or None) for each price that changed."""
        out = []
        for variant, price in self.rows:
            new = self.cleaned_data.get(f"price-{variant.pk}")
            if new != price:
                out.append((variant.pk, new))
        return out


class BenchmarkForm(forms.Form):
    cluster = forms.IntegerField(widget=forms.HiddenInput)
    opted_in = forms.TypedChoiceField(
        label=gettext_lazy("Counted in the benchmarks"),
        choices=[("1", gettext_lazy("Yes")), ("0", gettext_lazy("No"))],
        coerce=lambda v: v == "1",
    )

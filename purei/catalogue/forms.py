"""HTML forms of the catalogue's manage screens. They parse input; the services
hold the rules (and their refusals land back on these forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from purei.core.money import format_cents
from purei.members.forms import PhotoForm, _region_choices
from purei.members.models import Credential

from .models import SEO_DESCRIPTION_MAX, SEO_TITLE_MAX, Category, Product, Variant
from .services import (
    CurrencyPrices,
    PriceBreak,
    ProductInput,
    TradePricingInput,
    VariantInput,
    breaks_parse,
)
from .trade_selectors import FOREIGN_CURRENCIES, TradeTerms, breaks_text

ATTRIBUTE_PREFIX = "attr_"


class ProductForm(forms.Form):
    title_en = forms.CharField(label=_("Title in English"), max_length=160)
    title_mi = forms.CharField(
        label=_("Title in te reo Māori"), max_length=160, required=False
    )
    slug = forms.SlugField(
        label=_("Web address name"),
        max_length=80,
        required=False,
        help_text=_("Letters, numbers and hyphens; made from the title if left empty."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=())
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=600,
        help_text=_("Separate them with commas, e.g. “mānuka, gift, Northland”."),
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea
    )
    description_mi = forms.CharField(
        label=_("Description in te reo Māori"), required=False, widget=forms.Textarea
    )
    seo_title = forms.CharField(
        label=_("Title for search engines"),
        max_length=SEO_TITLE_MAX,
        required=False,
        help_text=_("The page title search results show; empty: the title."),
    )
    seo_description = forms.CharField(
        label=_("Description for search engines"),
        max_length=SEO_DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The text under it in search results; empty: the description."),
    )
    maker = forms.CharField(label=_("Maker"), max_length=160, required=False)
    iwi_affiliation = forms.CharField(
        label=_("Iwi or hapū affiliation"),
        max_length=160,
        required=False,
        help_text=_("Only if the maker chooses to give it."),
    )
    origin_region = forms.ChoiceField(
        label=_("Region of origin"), choices=(), required=False
    )
    piece_story = forms.CharField(
        label=_("The story of this piece"), required=False, widget=forms.Textarea
    )
    credentials = forms.MultipleChoiceField(
        label=_("Credentials that apply"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
        help_text=_(
            "Your business's own licences and marks. One that lapses stops showing "
            "on its own."
        ),
    )
    restricted_r18 = forms.BooleanField(
        label=_("Restricted to people 18 or over"), required=False
    )
    alcohol_or_tobacco = forms.BooleanField(
        label=_("Alcohol or tobacco"),
        required=False,
        help_text=_(
            "Wine, beer, spirits and tobacco: Australia taxes them at the border, so "
            "an Australian checkout never adds its GST to them."
        ),
    )
    carries_cultural_designs = forms.BooleanField(
        label=_("Carries cultural designs"),
        required=False,
        help_text=_("Clusters with a cultural review step ask their kaitiaki first."),
    )

    def __init__(
        self,
        *args: Any,
        categories: list[Category],
        credentials: list[Credential],
        category: Category | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {c.slug: c for c in categories}
        self.fields["category"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            ("", _("Choose a category")),
            *((c.slug, c.name) for c in categories),
        ]
        self.fields["origin_region"].choices = _region_choices()  # type: ignore[attr-defined]  # ChoiceField
        self.fields["credentials"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            (str(c.pk), self._credential_label(c)) for c in credentials
        ]
        chosen = self.data.get("category") if self.is_bound else None
        self.chosen_category = self.categories.get(str(chosen)) if chosen else category
        self.attribute_names: list[str] = []
        for spec in self.chosen_category.attributes if self.chosen_category else []:
            name = ATTRIBUTE_PREFIX + str(spec["key"])
            label = str(spec.get("label", spec["key"]))
            field: forms.Field
            if spec.get("type") == "choice":
                field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "—"), *((c, c) for c in spec.get("choices", []))],
                )
            else:
                field = forms.CharField(label=label, required=False, max_length=200)
            self.fields[name] = field
            self.attribute_names.append(name)

    @staticmethod
    def _credential_label(credential: Credential) -> str:
        state = _("verified") if credential.is_verified else _("not verified")
        return f"{credential} ({state})"

    @classmethod
    def initial_for(cls, product: Product) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(product, name)
            for name in (
                "title_en",
                "title_mi",
                "slug",
                "description_en",
                "description_mi",
                "seo_title",
                "seo_description",
                "maker",
                "iwi_affiliation",
                "piece_story",
                "restricted_r18",
                "alcohol_or_tobacco",
                "carries_cultural_designs",
            )
        }
        initial["category"] = product.category.slug
        initial["origin_region"] = (
            product.origin_region.code if product.origin_region else ""
        )
        initial["tags"] = ", ".join(tag.name for tag in product.tags.all())
        initial["credentials"] = [str(c.pk) for c in product.credentials.all()]
        for key, value in (product.attributes or {}).items():
            initial[ATTRIBUTE_PREFIX + key] = value
        return initial

    @property
    def attribute_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.attribute_names]

    def service_data(self) -> ProductInput:
        data = {
            name: self.cleaned_data[name]
            for name in (
                "title_en",
                "title_mi",
                "slug",
                "category",
                "tags",
                "description_en",
                "description_mi",
                "seo_title",
                "seo_description",
                "maker",
                "iwi_affiliation",
                "origin_region",
                "piece_story",
                "credentials",
                "restricted_r18",
                "alcohol_or_tobacco",
                "carries_cultural_designs",
            )
        }
        data["attributes"] = {
            name.removeprefix(ATTRIBUTE_PREFIX): self.cleaned_data.get(name, "")
            for name in self.attribute_names
        }
        return ProductInput(**data)


class VariantForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64)
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
        help_text=_("e.g. “750 ml” or “6-pack”."),
    )
    price = forms.CharField(
        label=_("Price (NZD, including GST)"),
        max_length=20,
        help_text=_("In dollars and cents, e.g. 24.50."),
    )
    was_price = forms.CharField(
        label=_("Was price (NZD, including GST, optional)"),
        max_length=20,
        required=False,
        help_text=_(
            "The price before a reduction, e.g. 30.00: shoppers see it struck "
            "through while it is higher than the price. Empty: none."
        ),
    )
    stock_policy = forms.ChoiceField(
        label=_("Stock"), choices=Variant.StockPolicy.choices
    )
    stock = forms.IntegerField(label=_("In stock"), min_value=0, required=False)
    lead_time_days = forms.IntegerField(
        label=_("Lead time (days)"),
        min_value=0,
        required=False,
        help_text=_("For made-to-order items: how long it takes to make."),
    )
    weight_grams = forms.IntegerField(
        label=_("Weight (g)"), min_value=0, required=False
    )
    length_mm = forms.IntegerField(label=_("Length (mm)"), min_value=0, required=False)
    width_mm = forms.IntegerField(label=_("Width (mm)"), min_value=0, required=False)
    height_mm = forms.IntegerField(label=_("Height (mm)"), min_value=0, required=False)
    cold_chain = forms.ChoiceField(
        label=_("Cold chain"),
        choices=Variant.ColdChain.choices,
        initial=Variant.ColdChain.NONE,
        required=False,
        help_text=_(
            "Chilled and frozen goods go by chilled courier and never arrive on a "
            "weekend; perishable goods travel as usual but keep only a short time."
        ),
    )
    harvested_on = forms.DateField(
        label=_("Harvested on"),
        required=False,
        help_text=_("When this batch was picked, caught or made. Shown to shoppers."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    best_before = forms.DateField(
        label=_("Best before"),
        required=False,
        help_text=_("Shown to shoppers and on the packing slip."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    freight_on_quote = forms.BooleanField(
        label=_("Freight on quote"),
        required=False,
        help_text=_(
            "Heavy or bulky goods: the shopper asks for a freight quote at "
            "checkout, the cluster's admins price the delivery, then the shopper "
            "pays."
        ),
    )

    def service_data(self) -> VariantInput:
        data = dict(self.cleaned_data)
        if data.get("stock") is None:
            data["stock"] = 0
        return VariantInput(**data)


BREAKS_HELP = _(
    "From a quantity on, the price of each unit: quantity:price, separated by "
    "semicolons, e.g. 12:17.50; 48:16.00. Leave empty for none."
)


class TradePricingForm(forms.Form):
    """One variant's trade pricing, all of it (``variant_trade_pricing_set``
    replaces what the variant had). Prices exclude GST."""

    trade_price = forms.CharField(
        label=_("Trade price (NZD, excluding GST)"),
        max_length=20,
        required=False,
        help_text=_("Per unit, e.g. 18.50. Empty: not offered to trade buyers."),
    )
    min_order_quantity = forms.CharField(
        label=_("Minimum order (units)"), max_length=10, required=False
    )
    pack_size = forms.CharField(
        label=_("Case or pack size (units)"),
        max_length=10,
        required=False,
        help_text=_("Trade orders are whole packs; the minimum order too."),
    )
    breaks = forms.CharField(
        label=_("Quantity breaks (NZD)"),
        max_length=400,
        required=False,
        help_text=BREAKS_HELP,
    )
    aud_price = forms.CharField(
        label=_("Trade price in AUD (optional)"), max_length=20, required=False
    )
    aud_breaks = forms.CharField(
        label=_("Quantity breaks in AUD"), max_length=400, required=False
    )
    usd_price = forms.CharField(
        label=_("Trade price in USD (optional)"), max_length=20, required=False
    )
    usd_breaks = forms.CharField(
        label=_("Quantity breaks in USD"), max_length=400, required=False
    )

    # The service's fields → this form's.
    FIELD_MAP = {
        "currency_prices": "aud_price",
        "currency_prices.AUD": "aud_price",
        "currency_prices.USD": "usd_price",
    }

    @staticmethod
    def initial_for(terms: TradeTerms) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "trade_price": format_cents(terms.price_cents)
            if terms.price_cents is not None
            else "",
            "min_order_quantity": terms.min_order_quantity,
            "pack_size": terms.pack_size,
            "breaks": breaks_text(terms.breaks),
        }
        for currency in FOREIGN_CURRENCIES:
            steps = terms.lists.get(currency, ())
            prefix = currency.lower()
            initial[f"{prefix}_price"] = format_cents(steps[0][1]) if steps else ""
            initial[f"{prefix}_breaks"] = breaks_text(steps[1:])
        return initial

    def _breaks(self, name: str) -> tuple[PriceBreak, ...]:
        found = breaks_parse(self.cleaned_data.get(name, ""))
        if found is None:
            self.add_error(
                name,
                _("Write each break as quantity:price, e.g. 12:17.50; 48:16.00."),
            )
            return ()
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.parsed = {
            name: self._breaks(name)
            for name in ("breaks", "aud_breaks", "usd_breaks")
            if name not in self.errors
        }
        return cleaned

    def service_data(self) -> TradePricingInput:
        data = self.cleaned_data
        return TradePricingInput(
            trade_price=data["trade_price"],
            min_order_quantity=data["min_order_quantity"],
            pack_size=data["pack_size"],
            breaks=self.parsed["breaks"],
            currency_prices={
                currency: CurrencyPrices(
                    data[f"{currency.lower()}_price"],
                    self.parsed[f"{currency.lower()}_breaks"],
                )
                for currency in FOREIGN_CURRENCIES
            },
        )


class ProductPhotoForm(PhotoForm):
    pass


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The business sees it."),
    )


# --- Categories (platform staff) ---------------------------------------------------

ATTRIBUTE_TYPE_CHOICES = [
    ("text", _("Text")),
    ("int", _("Whole number")),
    ("decimal", _("Number (with decimals)")),
    ("choice", _("A choice from a list")),
]


class CategoryForm(forms.Form):
    """A category's own fields; its key attributes are ``CategoryAttributeFormSet``.
    Sent to ``category_create`` / ``category_update``, which check them all."""

    name_en = forms.CharField(label=_("Name in English"), max_length=80)
    name_mi = forms.CharField(
        label=_("Name in te reo Māori"), max_length=80, required=False
    )
    slug = forms.CharField(
        label=_("Web address name"),
        max_length=64,
        required=False,
        help_text=_(
            "Lower-case letters, digits and hyphens, e.g. fresh-produce: used in "
            "shop filters, spreadsheets and the API. Made from the English name "
            "if left empty."
        ),
    )
    parent = forms.ChoiceField(label=_("Sits under"), choices=(), required=False)
    restricted_r18 = forms.BooleanField(
        label=_("Restricted to people 18 or over (alcohol)"), required=False
    )
    position = forms.IntegerField(
        label=_("Position in lists"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("Lower numbers come first; equal ones go by name."),
    )

    def __init__(self, *args: Any, categories: list[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            ("", _("Nothing: a top-level category")),
            *((c.slug, c.name) for c in categories),
        ]

    @staticmethod
    def initial_for(category: Category) -> dict[str, Any]:
        return {
            "name_en": category.name_en,
            "name_mi": category.name_mi,
            "slug": category.slug,
            "parent": category.parent.slug if category.parent else "",
            "restricted_r18": category.restricted_r18,
            "position": category.position,
        }


class CategoryAttributeForm(forms.Form):
    """One key attribute; a row left empty is no attribute."""

    key = forms.CharField(
        label=_("Key"),
        max_length=64,
        required=False,
        help_text=_("e.g. vintage: lower-case letters, digits and _ (in URLs)."),
    )
    label = forms.CharField(label=_("Label"), max_length=80, required=False)
    type = forms.ChoiceField(
        label=_("Kind of value"), choices=ATTRIBUTE_TYPE_CHOICES, initial="text"
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For a choice from a list: one choice per line."),
    )
    facet = forms.BooleanField(
        label=_("Shoppers can filter by it (a facet with counts)"), required=False
    )

    def has_changed(self) -> bool:
        # The kind of value has an initial choice: a row with no key, label or
        # choices is still an empty row.
        return any(
            name in self.changed_data for name in ("key", "label", "choices", "facet")
        )


CategoryAttributeFormSet = forms.formset_factory(
    CategoryAttributeForm, extra=2, can_delete=True, max_num=20, absolute_max=40
)


def category_attribute_initial(category: Category) -> list[dict[str, Any]]:
    """The formset's rows for ``category``'s attributes as stored."""
    return [
        {
            "key": str(spec.get("key", "")),
            "label": str(spec.get("label", "")),
            "type": str(spec.get("type", "text")),
            "choices": "\n".join(str(c) for c in spec.get("choices") or ()),
            "facet": bool(spec.get("facet", False)),
        }
        for spec in category.attributes or ()
    ]


# --- Spreadsheet imports -------------------------------------------------------------


class CategoryMapForm(forms.Form):
    """One of Pūrei's categories for each category a spreadsheet names that is not
    Pūrei's (``map-0``, ``map-1``… in the order the import report lists them)."""

    def __init__(
        self,
        *args: Any,
        unknown: list[tuple[str, int]],
        categories: list[Category],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unknown = [name for name, _rows in unknown]
        choices = [
            ("", _("Choose a category")),
            *((c.slug, c.name) for c in categories),
        ]
        for index, name in enumerate(self.unknown):
            message = _("Choose a category for “%(name)s”.") % {"name": name}
            self.fields[f"map-{index}"] = forms.ChoiceField(
                label=_("Import “%(name)s” as") % {"name": name},
                choices=choices,
                error_messages={"required": message, "invalid_choice": message},
            )

    def mapping(self) -> dict[str, str]:
        """The file's category → the chosen category's slug."""
        return {
            name: self.cleaned_data[f"map-{index}"]
            for index, name in enumerate(self.unknown)
        }

"""The promotion form of the manage screens: it renders and carries the text;
``purei.promotions.services`` checks it (``PromotionInput``)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from purei.catalogue.models import Category, Product
from purei.clusters.models import Cluster
from purei.core.money import format_cents
from purei.members.models import Member

from .models import Promotion
from .services import PromotionInput, local_day

TEXT_FIELDS = (
    "name",
    "kind",
    "percent",
    "amount",
    "buy_quantity",
    "get_quantity",
    "code",
    "starts_on",
    "ends_on",
    "min_spend",
    "max_uses",
    "max_uses_per_customer",
)
LIST_FIELDS = ("members", "categories", "products")


class PromotionForm(forms.Form):
    cluster = forms.ChoiceField(
        label=_("Cluster"),
        help_text=_("Where shoppers get it: one of the clusters you sell in."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("Shoppers see it, e.g. “Free delivery over $80”."),
    )
    kind = forms.ChoiceField(
        label=_("What it gives"),
        choices=Promotion.Kind.choices,
        widget=forms.RadioSelect,
    )
    percent = forms.CharField(
        label=_("Percentage off"),
        required=False,
        max_length=8,
        help_text=_("For a percentage off, e.g. 10 or 12.5."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    amount = forms.CharField(
        label=_("Amount off ($)"),
        required=False,
        max_length=12,
        help_text=_("For an amount off the goods it is for, e.g. 5."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    buy_quantity = forms.CharField(
        label=_("Buy (items)"),
        required=False,
        max_length=3,
        help_text=_("For buy some, get some free: how many to buy, e.g. 2."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    get_quantity = forms.CharField(
        label=_("Get free (items)"),
        required=False,
        max_length=3,
        help_text=_("How many of the cheapest come free with them, e.g. 1."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    code = forms.CharField(
        label=_("Promo code"),
        required=False,
        max_length=32,
        help_text=_(
            "Leave empty for an automatic promotion that every order gets when "
            "it qualifies. Letters, digits, - or _; capitals or not, the same."
        ),
    )
    members = forms.MultipleChoiceField(
        label=_("Members"),
        required=False,
        help_text=_("Tick none for every member."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        required=False,
        help_text=_("Tick none for every category (a category includes those in it)."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    products = forms.MultipleChoiceField(
        label=_("Products"),
        required=False,
        help_text=_("Tick none for every product."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    starts_on = forms.CharField(
        label=_("First day"),
        required=False,
        help_text=_("From midnight, New Zealand time. Empty: from now."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = forms.CharField(
        label=_("Last day"),
        required=False,
        help_text=_("To the end of that day. Empty: no end."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    min_spend = forms.CharField(
        label=_("Minimum spend ($)"),
        required=False,
        max_length=12,
        help_text=_("On the goods it is for, at their prices. Empty: none."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    max_uses = forms.CharField(
        label=_("Uses in total"),
        required=False,
        max_length=10,
        help_text=_("How many orders may have it. Empty: no limit."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    max_uses_per_customer = forms.CharField(
        label=_("Uses per customer"),
        required=False,
        max_length=7,
        help_text=_("By account or email address. Empty: no limit."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    first_order_only = forms.BooleanField(
        label=_("For a customer's first order here only"), required=False
    )
    stackable = forms.BooleanField(
        label=_("Combines with other promotions"), required=False
    )

    def __init__(
        self,
        *args: Any,
        members: Iterable[Member] = (),
        categories: Iterable[Category] = (),
        products: Iterable[Product] = (),
        clusters: Iterable[Cluster] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("members", [(str(m.pk), m.name) for m in members])
        self._choices("categories", [(str(c.pk), c.name) for c in categories])
        self._choices(
            "products",
            [(str(p.pk), f"{p.title} — {p.member.name}") for p in products],
        )
        if clusters is None:
            del self.fields["cluster"]
        else:
            self._choices("cluster", [(str(c.pk), c.name) for c in clusters])
        if not members:
            del self.fields["members"]

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        if isinstance(field, forms.ChoiceField):
            field.choices = choices

    def service_data(self) -> PromotionInput:
        """The raw text of each input (the service parses and checks it)."""
        data: dict[str, Any] = {
            name: str(self.data.get(self.add_prefix(name), "")) for name in TEXT_FIELDS
        }
        getlist = getattr(self.data, "getlist", None)
        for name in LIST_FIELDS:
            data[name] = (
                getlist(self.add_prefix(name))
                if callable(getlist)
                else self.data.get(self.add_prefix(name), [])
            )
        data["first_order_only"] = bool(self.data.get("first_order_only"))
        data["stackable"] = bool(self.data.get("stackable"))
        return PromotionInput(**data)


def promotion_initial(promotion: Promotion) -> dict[str, Any]:
    """A promotion as the form shows it."""
    percent = ""
    if promotion.percent_bp is not None:
        percent = f"{(Decimal(promotion.percent_bp) / 100).normalize():f}"
    starts = local_day(promotion.starts_at)
    ends = local_day(promotion.ends_at, end=True)
    return {
        "cluster": str(promotion.cluster_id),
        "name": promotion.name,
        "kind": promotion.kind,
        "percent": percent,
        "amount": format_cents(promotion.amount_cents)
        if promotion.amount_cents
        else "",
        "buy_quantity": promotion.buy_quantity or "",
        "get_quantity": promotion.get_quantity or "",
        "code": promotion.code or "",
        "members": [str(m.pk) for m in promotion.members.all()],
        "categories": [str(c.pk) for c in promotion.categories.all()],
        "products": [str(p.pk) for p in promotion.products.all()],
        "starts_on": starts.isoformat() if starts else "",
        "ends_on": ends.isoformat() if ends else "",
        "min_spend": format_cents(promotion.min_spend_cents)
        if promotion.min_spend_cents
        else "",
        "max_uses": promotion.max_uses or "",
        "max_uses_per_customer": promotion.max_uses_per_customer or "",
        "first_order_only": promotion.first_order_only,
        "stackable": promotion.stackable,
    }

"""A member's own prices for particular trade buyers,
``/manage/members/<slug>/trade/buyer-prices/``: each overrides the variant's trade
price list for that buyer (``purei.trade.offers``). The member's owners and staff
set them; platform staff read (the service refuses their changes)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from purei.catalogue.models import Variant
from purei.core.actor import actor_from
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.core.money import PriceInvalid, parse_price_cents
from purei.members.models import Member, Membership
from purei.members.selectors import member_get_for_team, member_team_for
from purei.trade.models import BuyerPrice, TradeAccount
from purei.trade.services import buyer_price_set
from purei.web.shell import member_manage_context


class BuyerPriceForm(forms.Form):
    account = forms.ModelChoiceField(
        label=gettext_lazy("Trade buyer"), queryset=TradeAccount.objects.none()
    )
    sku = forms.CharField(label=gettext_lazy("SKU"), max_length=64)
    price = forms.CharField(
        label=gettext_lazy("Unit price, ex-GST, in the buyer's currency"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("Leave empty to remove the buyer's own price."),
    )

    def __init__(self, *args: object, member: Member, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.member = member
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = _accounts_for(member)
        field.label_from_instance = _account_label  # type: ignore[method-assign,assignment]

    def clean_sku(self) -> Variant:
        sku = str(self.cleaned_data["sku"]).strip()
        variant = Variant.objects.filter(member=self.member, sku=sku).first()
        if variant is None:
            raise forms.ValidationError(_("None of your products has this SKU."))
        return variant

    def clean_price(self) -> int | None:
        value = str(self.cleaned_data.get("price") or "").strip()
        if not value:
            return None
        try:
            return parse_price_cents(value)
        except PriceInvalid:
            raise forms.ValidationError(_("Give a price like 17.50.")) from None


def _account_label(account: TradeAccount) -> str:
    return f"{account.name} ({account.currency})"


def _accounts_for(member: Member) -> QuerySet[TradeAccount]:
    clusters = Membership.objects.filter(
        member=member, status=Membership.Status.APPROVED
    ).values("cluster_id")
    return TradeAccount.objects.filter(
        cluster_id__in=clusters, status=TradeAccount.Status.APPROVED
    ).order_by("legal_name")


@login_required
@require_http_methods(["GET", "POST"])
def buyer_prices_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    here = reverse("trade:member-buyer-prices", kwargs={"slug": member.slug})
    form = BuyerPriceForm(member=member)
    status = 200
    if request.method == "POST":
        form = BuyerPriceForm(request.POST, member=member)
        if form.is_valid():
            try:
                row = buyer_price_set(
                    actor=actor,
                    account=form.cleaned_data["account"],
                    variant=form.cleaned_data["sku"],
                    unit_cents=form.cleaned_data["price"],
                )
            except DomainError as exc:
                form_add_domain_error(
                    form, exc, field_map={"variant": "sku", "unit_cents": "price"}
                )
            else:
                messages.success(
                    request, _("Price saved.") if row else _("Price removed.")
                )
                return redirect(here)
        status = 422
    prices = (
        BuyerPrice.objects.filter(variant__member=member)
        .select_related("account", "variant__product")
        .order_by("account__legal_name", "variant__sku")
    )
    context = member_manage_context(
        member=member,
        section="products",
        team=member_team_for(actor=actor, member=member),
    )
    context.update(form=form, prices=prices)
    return render(request, "trade/member_buyer_prices.html", context, status=status)

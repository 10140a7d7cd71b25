"""A cluster admin's trade orders, under ``/manage/clusters/<slug>/trade/orders/``:
the list, and one order — its parts, what its export needs (an export entry, leaving
within 28 days), and its consignment: the consolidation point, the packages, and
the evidence that it left — and its money: the terms it is on, its invoice and due
dates, the payments recorded (deposit, part payments, balance; a foreign payment
with the NZD the bank credited) and a form to record one. The cluster's admins
and platform staff get in (staff read only: the services refuse their changes);
anyone else gets 404."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.core.actor import actor_from
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.orders.models import Consignment, ConsignmentPackage
from purei.orders.services.consignments import (
    PackageInput,
    consignment_left,
    consignment_open,
    consignment_packages_set,
    export_warnings,
)
from purei.trade.selectors import trade_order_get, trade_orders_for_cluster
from purei.trade.services import (
    TradePaymentInput,
    trade_order_outstanding,
    trade_payment_record,
)
from purei.web.shell import cluster_manage_context

PACKAGE_ROWS = 6


class ConsolidationForm(forms.Form):
    consolidation_point = forms.CharField(
        label=gettext_lazy("Consolidation point"),
        max_length=200,
        help_text=gettext_lazy(
            "Where the parts are brought together, with its address."
        ),
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PackageForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=[("", "—"), *ConsignmentPackage.Kind.choices],
        required=False,
    )
    contents = forms.CharField(
        label=gettext_lazy("Contents"), max_length=300, required=False
    )
    marks = forms.CharField(
        label=gettext_lazy("Shipping marks"), max_length=120, required=False
    )
    length_mm = forms.IntegerField(label=gettext_lazy("Length (mm)"), required=False)
    width_mm = forms.IntegerField(label=gettext_lazy("Width (mm)"), required=False)
    height_mm = forms.IntegerField(label=gettext_lazy("Height (mm)"), required=False)
    net_weight_grams = forms.IntegerField(
        label=gettext_lazy("Net weight (g)"), required=False
    )
    gross_weight_grams = forms.IntegerField(
        label=gettext_lazy("Gross weight (g)"), required=False
    )

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.fields)

    def package(self) -> PackageInput:
        data = self.cleaned_data
        return PackageInput(
            kind=data.get("kind") or "",
            contents=data.get("contents") or "",
            marks=data.get("marks") or "",
            length_mm=data.get("length_mm") or 0,
            width_mm=data.get("width_mm") or 0,
            height_mm=data.get("height_mm") or 0,
            net_weight_grams=data.get("net_weight_grams") or 0,
            gross_weight_grams=data.get("gross_weight_grams") or 0,
        )


class PaymentForm(forms.Form):
    """A payment that arrived for a trade order: in the order's currency, and for
    AUD or USD the NZD the bank credited."""

    amount = forms.DecimalField(
        label=gettext_lazy("Amount received"), min_value=0, decimal_places=2
    )
    received_nzd = forms.DecimalField(
        label=gettext_lazy("NZD credited by the bank"),
        min_value=0,
        decimal_places=2,
        required=False,
        help_text=gettext_lazy(
            "For a payment in AUD or USD: what reached the account."
        ),
    )
    received_on = forms.DateField(
        label=gettext_lazy("Date received"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args: object, currency: str = "NZD", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["amount"].label = _("Amount received (%(currency)s)") % {
            "currency": currency
        }
        if currency == "NZD":
            del self.fields["received_nzd"]

    def payment(self) -> TradePaymentInput:
        data = self.cleaned_data
        nzd = data.get("received_nzd")
        return TradePaymentInput(
            amount_cents=int(data["amount"] * 100),
            received_nzd_cents=int(nzd * 100) if nzd is not None else None,
            received_on=data.get("received_on"),
            note=data.get("note") or "",
        )


class LeftForm(forms.Form):
    carrier = forms.CharField(label=gettext_lazy("Carrier"), max_length=120)
    waybill = forms.CharField(
        label=gettext_lazy("Waybill or bill of lading number"), max_length=60
    )
    left_on = forms.DateField(
        label=gettext_lazy("Date it left"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


@login_required
@require_GET
def orders_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    page = Paginator(
        trade_orders_for_cluster(actor=actor, cluster=cluster), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "trade/cluster_admin/orders.html",
        cluster_manage_context(cluster, "trade", page=page),
    )


def _package_forms(
    data: object | None, consignment: Consignment | None
) -> list[PackageForm]:
    existing = list(consignment.packages.all()) if consignment else []
    rows = []
    for i in range(max(PACKAGE_ROWS, len(existing) + 1)):
        initial = {}
        if i < len(existing):
            p = existing[i]
            initial = {
                name: getattr(p, name)
                for name in (
                    "kind",
                    "contents",
                    "marks",
                    "length_mm",
                    "width_mm",
                    "height_mm",
                    "net_weight_grams",
                    "gross_weight_grams",
                )
            }
        rows.append(PackageForm(data, prefix=f"pkg{i}", initial=initial))  # type: ignore[arg-type]
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def order_view(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    made = trade_order_get(actor=actor, number=number)
    if made.order.cluster_id != cluster.pk:
        raise Http404(_("No trade order of yours has this number."))
    order = made.order
    consignment = Consignment.objects.filter(order=order).first()
    here = reverse("trade:cluster-order", kwargs={"slug": slug, "number": number})
    consolidation = ConsolidationForm(
        prefix="point",
        initial={
            "consolidation_point": consignment.consolidation_point
            if consignment
            else "",
            "notes": consignment.notes if consignment else "",
        },
    )
    packages = _package_forms(None, consignment)
    left = LeftForm(prefix="left")
    owed = trade_order_outstanding(made)
    pay = PaymentForm(
        prefix="pay",
        currency=made.currency,
        initial={
            "amount": Decimal(owed.deposit_due_cents or owed.due_cents) / 100,
        },
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "point":
                consolidation = ConsolidationForm(request.POST, prefix="point")
                if consolidation.is_valid():
                    consignment_open(
                        actor=actor,
                        order=order,
                        consolidation_point=consolidation.cleaned_data[
                            "consolidation_point"
                        ],
                        notes=consolidation.cleaned_data["notes"],
                    )
                    messages.success(request, _("Consolidation point saved."))
                    return redirect(here)
            elif action == "packages":
                packages = _package_forms(request.POST, consignment)
                if all(form.is_valid() for form in packages):
                    consignment_packages_set(
                        actor=actor,
                        order=order,
                        packages=[f.package() for f in packages if not f.is_blank()],
                    )
                    messages.success(request, _("Packages saved."))
                    return redirect(here)
            elif action == "payment":
                pay = PaymentForm(request.POST, prefix="pay", currency=made.currency)
                if pay.is_valid():
                    recorded = trade_payment_record(
                        actor=actor, made=made, payment=pay.payment()
                    )
                    messages.success(
                        request,
                        _("Recorded: %(kind)s %(reference)s.")
                        % {
                            "kind": recorded.get_kind_display().lower(),
                            "reference": recorded.reference,
                        },
                    )
                    return redirect(here)
            elif action == "left":
                left = LeftForm(request.POST, prefix="left")
                if left.is_valid():
                    consignment_left(
                        actor=actor,
                        order=order,
                        carrier=left.cleaned_data["carrier"],
                        waybill=left.cleaned_data["waybill"],
                        left_on=left.cleaned_data["left_on"],
                    )
                    messages.success(request, _("Recorded: the consignment left."))
                    return redirect(here)
            else:
                raise Http404(_("There is no such action."))
        except DomainError as exc:
            target: forms.Form = (
                consolidation
                if action == "point"
                else left
                if action == "left"
                else pay
                if action == "payment"
                else packages[0]
            )
            form_add_domain_error(target, exc)
        status = 422
    return render(
        request,
        "trade/cluster_admin/order.html",
        cluster_manage_context(
            cluster,
            "trade",
            made=made,
            order=order,
            parts=list(order.fulfilments.select_related("member").order_by("pk")),
            consignment=consignment,
            package_list=list(consignment.packages.all()) if consignment else [],
            warnings=export_warnings(order),
            consolidation=consolidation,
            packages=packages,
            left=left,
            owed=owed,
            pay=pay,
            payments=list(made.payments.order_by("pk")),
            invoice_date=(
                timezone.localdate(made.invoiced_at) if made.invoiced_at else None
            ),
        ),
        status=status,
    )

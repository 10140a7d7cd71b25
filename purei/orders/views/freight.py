"""Freight on quote's pages (docs/orders.md "Freight on quote").

- ``/manage/clusters/<slug>/freight-quotes/``: the cluster's requests waiting for
  an answer (or all of them), soonest to lapse first; its admins and platform
  staff see it.
- ``/manage/clusters/<slug>/freight-quotes/<id>/``: one request — the goods,
  weight and address — and the answer form (the cluster's admins only).
- ``POST /orders/<number>/freight/decline/``: the shopper declines the freight
  (whoever may open the order's page: its account, session or signed link).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.core.actor import actor_from
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.orders.freight_selectors import (
    FREIGHT_FILTERS,
    freight_quote_get_for,
    freight_quotes_for_cluster,
)
from purei.orders.services.freight import (
    FreightAnswer,
    freight_quote_answer,
    freight_quote_decline,
)
from purei.orders.shopper import order_get_for_request
from purei.web.shell import cluster_manage_context


class FreightAnswerForm(forms.Form):
    price = forms.CharField(
        label=gettext_lazy("Freight (NZD)"),
        max_length=20,
        help_text=gettext_lazy("What the shopper pays for the delivery, e.g. 184.00."),
    )
    carrier = forms.CharField(
        label=gettext_lazy("Carrier"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("Optional, e.g. Mainfreight."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note to the shopper"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Optional: timing, a tail-lift, site access."),
    )


@login_required
@require_GET
def cluster_freight_quotes_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    show = request.GET.get("show", "open")
    if show not in FREIGHT_FILTERS:
        show = "open"
    quotes = list(
        freight_quotes_for_cluster(actor=actor, cluster=cluster, show=show)[:100]
    )
    context = cluster_manage_context(cluster, "orders")
    context.update(quotes=quotes, show=show)
    return render(request, "orders/manage/freight_quotes.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_freight_quote_view(
    request: HttpRequest, slug: str, quote_id: int
) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    quote = freight_quote_get_for(actor=actor, quote_id=quote_id)
    if quote.cluster_id != cluster.pk:
        raise Http404(_("No such freight quote."))
    if request.method == "POST" and not actor.is_cluster_admin(cluster.pk):
        raise PermissionDenied(_("Only the cluster's admins answer freight quotes."))
    form = FreightAnswerForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                freight_quote_answer(
                    actor=actor,
                    quote=quote,
                    answer=FreightAnswer(
                        price=form.cleaned_data["price"],
                        carrier=form.cleaned_data["carrier"],
                        note=form.cleaned_data["note"],
                    ),
                )
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Freight quoted: the shopper is emailed a link to pay."),
                )
                return redirect(
                    "orders:cluster-freight-quote", slug=cluster.slug, quote_id=quote.pk
                )
        status = 422
    context = cluster_manage_context(cluster, "orders")
    context.update(
        quote=quote,
        order=quote.order,
        fulfilment=quote.fulfilment,
        form=form,
        can_answer=quote.is_open
        and actor.is_cluster_admin(cluster.pk)
        and quote.order.status == "awaiting_payment",
        taxed=quote.fulfilment.gst_registered and not quote.order.zero_rated,
    )
    return render(request, "orders/manage/freight_quote.html", context, status=status)


@require_POST
def order_freight_decline_view(request: HttpRequest, number: str) -> HttpResponse:
    key = str(request.POST.get("key", ""))[:100]
    order = order_get_for_request(request, number=number, key=key)
    try:
        freight_quote_decline(order=order)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "You declined the freight quote: the order is cancelled and "
                "nothing was charged."
            ),
        )
    url = reverse("settlement:order-detail", kwargs={"number": order.number})
    return HttpResponseRedirect(f"{url}?key={key}" if key else url)

"""The trade buyer's pages of a cluster, under ``/c/<slug>/trade/``: what trade with
the cluster means and where the business's account stands (``home``), and the
application (``apply``). A live cluster only; the application needs a login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.trade.forms import FIELD_MAP, TradeApplicationForm
from purei.trade.models import TradeAccount
from purei.trade.selectors import (
    cluster_trade_settings,
    exchange_rates_current,
    trade_account_for_buyer,
)
from purei.trade.services import trade_account_apply


@require_GET
def home_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    account = trade_account_for_buyer(actor=actor, cluster=cluster)
    approved = account is not None and account.is_approved
    rate = None
    if approved and account is not None and account.currency != "NZD":
        rate = exchange_rates_current(cluster).get(account.currency)
    return render(
        request,
        "trade/home.html",
        {
            "cluster": cluster,
            "account": account,
            "approved": approved,
            "rate": rate,
            "settings": cluster_trade_settings(cluster),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    account = trade_account_for_buyer(actor=actor, cluster=cluster)
    home = reverse("trade:home", kwargs={"slug": cluster.slug})
    if account is not None and account.status != TradeAccount.Status.DECLINED:
        return redirect(home)
    user = request.user
    form = TradeApplicationForm(
        initial={
            "contact_email": getattr(user, "email", ""),
            "contact_name": user.get_full_name()
            if hasattr(user, "get_full_name")
            else "",
        }
    )
    status = 200
    if request.method == "POST":
        form = TradeApplicationForm(request.POST)
        if form.is_valid():
            try:
                trade_account_apply(
                    actor=actor, cluster=cluster, application=form.application()
                )
            except DomainError as exc:
                form_add_domain_error(form, exc, field_map=FIELD_MAP)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your application is with %(cluster)s's admins. "
                        "We'll email you when they decide."
                    )
                    % {"cluster": cluster.name},
                )
                return redirect(home)
        status = 422
    return render(
        request,
        "trade/apply.html",
        {"cluster": cluster, "form": form},
        status=status,
    )

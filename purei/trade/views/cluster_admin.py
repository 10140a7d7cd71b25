"""A cluster admin's trade screens, under ``/manage/clusters/<slug>/trade/``: the
trade accounts (applications to decide, terms to set) and the trade settings
(exchange rates with their source, the minimum first order). The cluster's admins
and platform staff get in (staff read only: the services refuse their changes);
anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.core.actor import actor_from
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.trade.au_gst import au_gst_threshold_for
from purei.trade.forms import RateForm, ReasonForm, TermsForm, TradeSettingsForm
from purei.trade.models import TradeAccount
from purei.trade.selectors import (
    cluster_trade_settings,
    exchange_rate_history,
    exchange_rates_current,
    trade_account_counts,
    trade_account_get_for_admin,
    trade_account_list_for_cluster,
)
from purei.trade.services import (
    cluster_trade_settings_set,
    exchange_rate_record,
    trade_account_approve,
    trade_account_decline,
    trade_account_suspend,
    trade_account_terms_set,
)
from purei.web.shell import cluster_manage_context

PAGE_SIZE = 50
TERMS_FIELDS = {"credit_limit_cents": "credit_limit"}


@login_required
@require_GET
def accounts_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    status = request.GET.get("status", "")
    if status not in TradeAccount.Status.values:
        status = ""
    accounts = trade_account_list_for_cluster(
        actor=actor, cluster=cluster, status=status or None
    )
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = trade_account_counts(actor=actor, cluster=cluster)
    return render(
        request,
        "trade/cluster_admin/accounts.html",
        cluster_manage_context(
            cluster,
            "trade",
            page=page,
            status=status,
            statuses=[
                (value, label, counts.get(value, 0))
                for value, label in TradeAccount.Status.choices
            ],
        ),
    )


def _decide(
    request: HttpRequest, account: TradeAccount, action: str
) -> tuple[TradeAccount | None, dict[str, object]]:
    """Carry out ``action`` from the POST; the account after it, or the forms with
    their errors."""
    actor = actor_from(request)
    forms: dict[str, object] = {}
    try:
        if action in ("approve", "terms"):
            form = TermsForm(request.POST, prefix=action)
            forms[action] = form
            if not form.is_valid():
                return None, forms
            if action == "approve":
                done = trade_account_approve(
                    actor=actor,
                    account=account,
                    terms=form.terms(),
                    reason=form.cleaned_data.get("reason", ""),
                )
            else:
                done = trade_account_terms_set(
                    actor=actor, account=account, terms=form.terms()
                )
            return done, forms
        reason_form = ReasonForm(request.POST, prefix=action)
        forms[action] = reason_form
        if not reason_form.is_valid():
            return None, forms
        service = (
            trade_account_decline if action == "decline" else trade_account_suspend
        )
        return service(
            actor=actor, account=account, reason=reason_form.cleaned_data["reason"]
        ), forms
    except DomainError as exc:
        form_add_domain_error(forms[action], exc, field_map=TERMS_FIELDS)  # type: ignore[arg-type]
        return None, forms


DONE_MESSAGES = {
    "approve": _("Approved: the business is emailed with its terms."),
    "terms": _("Terms saved."),
    "decline": _("Declined: the business is emailed your reason."),
    "suspend": _("Suspended: the business is emailed your reason."),
}


@login_required
@require_http_methods(["GET", "POST"])
def account_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    account = trade_account_get_for_admin(actor=actor, cluster=cluster, account_id=pk)
    forms: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in DONE_MESSAGES:
            done, forms = _decide(request, account, action)
            if done is not None:
                messages.success(request, str(DONE_MESSAGES[action]))
                return redirect(
                    reverse(
                        "trade:cluster-account",
                        kwargs={"slug": cluster.slug, "pk": account.pk},
                    )
                )
            status = 422
    S = TradeAccount.Status
    if account.status == S.APPLIED:
        forms.setdefault("approve", TermsForm.for_account(account, prefix="approve"))
        forms.setdefault("decline", ReasonForm(prefix="decline"))
    elif account.status == S.APPROVED:
        forms.setdefault("terms", TermsForm.for_account(account, prefix="terms"))
        forms.setdefault("suspend", ReasonForm(prefix="suspend"))
    elif account.status == S.SUSPENDED:
        forms.setdefault("approve", TermsForm.for_account(account, prefix="approve"))
    return render(
        request,
        "trade/cluster_admin/account.html",
        cluster_manage_context(cluster, "trade", account=account, forms=forms),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    here = reverse("trade:cluster-settings", kwargs={"slug": cluster.slug})
    rate_form = RateForm(prefix="rate")
    settings = cluster_trade_settings(cluster)
    settings_form = TradeSettingsForm(
        prefix="settings",
        initial={"min_first_order": f"{settings.min_first_order_cents / 100:.2f}"},
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "rate":
                rate_form = RateForm(request.POST, prefix="rate")
                if rate_form.is_valid():
                    data = rate_form.cleaned_data
                    exchange_rate_record(
                        actor=actor,
                        cluster=cluster,
                        currency=data["currency"],
                        rate=data["rate"],
                        source=data["source"],
                    )
                    messages.success(request, _("Rate recorded."))
                    return redirect(here)
            elif action == "settings":
                settings_form = TradeSettingsForm(request.POST, prefix="settings")
                if settings_form.is_valid():
                    cluster_trade_settings_set(
                        actor=actor,
                        cluster=cluster,
                        min_first_order_cents=settings_form.cleaned_data[
                            "min_first_order"
                        ],
                    )
                    messages.success(request, _("Trade settings saved."))
                    return redirect(here)
        except DomainError as exc:
            target = rate_form if action == "rate" else settings_form
            form_add_domain_error(
                target, exc, field_map={"min_first_order_cents": "min_first_order"}
            )
        status = 422
    return render(
        request,
        "trade/cluster_admin/settings.html",
        cluster_manage_context(
            cluster,
            "trade",
            rate_form=rate_form,
            settings_form=settings_form,
            current=exchange_rates_current(cluster),
            history=exchange_rate_history(cluster),
            au_threshold=au_gst_threshold_for(actor=actor, cluster=cluster),
        ),
        status=status,
    )

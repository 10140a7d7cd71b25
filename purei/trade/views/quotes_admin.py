"""A cluster admin's requests for quote, under ``/manage/clusters/<slug>/trade/``:
the list with a status filter (``cluster-rfqs``), and one request
(``cluster-rfq``): every line with its member's price, a member assigned to a
written-out line, the quote assembled and sent, every revision, a decline. The
cluster's admins act; platform staff read (the services refuse their changes,
shown on the form); anyone else gets 404."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.core.actor import Actor, actor_from
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.members.models import Member
from purei.trade.models import QuoteRequest, QuoteRequestLine
from purei.trade.quote_forms import QUOTE_FIELD_MAP, AssignForm, DeclineForm, QuoteForm
from purei.trade.quote_selectors import rfq_members_for, rfq_with_line_counts
from purei.trade.selectors import (
    exchange_rates_current,
    quotes_for,
    rfq_get_for_admin,
    rfq_lines_for,
    rfq_list_for_cluster,
)
from purei.trade.services import quote_send, rfq_decline, rfq_line_assign
from purei.web.shell import cluster_manage_context

PAGE_SIZE = 50
OPEN = (QuoteRequest.Status.OPEN, QuoteRequest.Status.REVISION)


@login_required
@require_GET
def cluster_rfq_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    status = request.GET.get("status", "")
    if status not in QuoteRequest.Status.values:
        status = ""
    requests = rfq_with_line_counts(
        rfq_list_for_cluster(actor=actor, cluster=cluster, status=status or None)
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "trade/cluster_admin/rfqs.html",
        cluster_manage_context(
            cluster,
            "trade",
            page=page,
            status=status,
            statuses=QuoteRequest.Status.choices,
        ),
    )


def _act(
    request: HttpRequest,
    actor: Actor,
    rfq: QuoteRequest,
    lines: list[QuoteRequestLine],
    members: list[Member],
    forms: dict[str, object],
) -> str | None:
    """Carry out the POST's action; the message to show, or None (the form in
    ``forms`` holds the errors)."""
    action = request.POST.get("action", "")
    if action == "assign":
        value = request.POST.get("line", "")
        line = next((x for x in lines if str(x.pk) == value), None)
        if line is None:
            raise Http404(_("No line of yours has this number."))
        assign = AssignForm(request.POST, prefix=f"assign-{line.pk}", members=members)
        forms[f"assign-{line.pk}"] = assign
        if not assign.is_valid():
            return None
        member = next(m for m in members if str(m.pk) == assign.cleaned_data["member"])
        try:
            rfq_line_assign(actor=actor, line=line, member=member)
        except DomainError as exc:
            form_add_domain_error(assign, exc)
            return None
        return _("%(member)s is asked to price line %(n)s.") % {
            "member": member.name,
            "n": line.position + 1,
        }
    if action == "quote":
        form = QuoteForm(request.POST, prefix="quote")
        forms["quote"] = form
        if not form.is_valid():
            return None
        try:
            sent = quote_send(actor=actor, request=rfq, quote=form.quote())
        except DomainError as exc:
            form_add_domain_error(form, exc, field_map=QUOTE_FIELD_MAP)
            return None
        return _("Revision %(n)s sent to the buyer.") % {"n": sent.revision}
    if action == "decline":
        decline = DeclineForm(request.POST, prefix="decline")
        forms["decline"] = decline
        if not decline.is_valid():
            return None
        try:
            rfq_decline(actor=actor, request=rfq, reason=decline.cleaned_data["reason"])
        except DomainError as exc:
            form_add_domain_error(decline, exc)
            return None
        return _("Declined: the buyer is told your reason.")
    raise Http404(_("There is no such action."))


@login_required
@require_http_methods(["GET", "POST"])
def cluster_rfq_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    rfq = rfq_get_for_admin(actor=actor, cluster=cluster, pk=pk)
    lines = list(rfq_lines_for(actor=actor, request=rfq))
    members = rfq_members_for(cluster)
    forms: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        done = _act(request, actor, rfq, lines, members, forms)
        if done is not None:
            messages.success(request, done)
            return redirect(
                reverse(
                    "trade:cluster-rfq", kwargs={"slug": cluster.slug, "pk": rfq.pk}
                )
            )
        status = 422
    is_open = rfq.status in OPEN
    assign_rows = []
    for line in lines:
        key = f"assign-{line.pk}"
        if is_open and line.variant_id is None:
            forms.setdefault(
                key,
                AssignForm(
                    prefix=key,
                    members=members,
                    initial={"member": line.member_id or ""},
                ),
            )
        assign_rows.append((line, forms.get(key)))
    default_valid = timezone.localdate() + dt.timedelta(days=30)
    forms.setdefault(
        "quote", QuoteForm(prefix="quote", initial={"valid_until": default_valid})
    )
    forms.setdefault("decline", DeclineForm(prefix="decline"))
    no_rate = rfq.currency != "NZD" and rfq.currency not in exchange_rates_current(
        cluster
    )
    return render(
        request,
        "trade/cluster_admin/rfq.html",
        cluster_manage_context(
            cluster,
            "trade",
            rfq=rfq,
            rows=assign_rows,
            quotes=quotes_for(actor=actor, request=rfq),
            forms=forms,
            is_open=is_open,
            no_rate=no_rate,
            waiting=sum(1 for line in lines if not line.is_priced),
        ),
        status=status,
    )

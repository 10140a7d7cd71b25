"""A member business's requests for quote, under ``/manage/members/<slug>/trade/``:
the requests with lines for it (``member-rfqs``), and one request showing only its
own lines, each with its price form (``member-rfq``). Its owners and staff price;
platform staff read (the service refuses their prices); anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.core.actor import actor_from
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.members.selectors import member_get_for_team, member_team_for
from purei.trade.quote_forms import PRICE_FIELD_MAP, LinePriceForm
from purei.trade.quote_selectors import rfq_member_line_counts
from purei.trade.selectors import rfq_get_for_member, rfq_lines_for, rfq_list_for_member
from purei.trade.services import rfq_line_price
from purei.web.shell import member_manage_context

PAGE_SIZE = 50


@login_required
@require_GET
def member_rfq_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    page = Paginator(
        rfq_list_for_member(actor=actor, member=member), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    counts = rfq_member_line_counts(
        actor=actor, member=member, request_ids=[r.pk for r in page.object_list]
    )
    rows = [(rfq, counts.get(rfq.pk)) for rfq in page.object_list]
    context = member_manage_context(
        member=member,
        section="trade",
        team=member_team_for(actor=actor, member=member),
    )
    context.update(page=page, rows=rows)
    return render(request, "trade/member/rfqs.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_rfq_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    rfq = rfq_get_for_member(actor=actor, member=member, pk=pk)
    # Only this member's lines, whoever looks (platform staff included).
    lines = list(rfq_lines_for(actor=actor, request=rfq).filter(member=member))
    forms = {
        line.pk: LinePriceForm.for_line(line, prefix=f"line-{line.pk}")
        for line in lines
    }
    status = 200
    if request.method == "POST":
        value = request.POST.get("line", "")
        line = next((x for x in lines if str(x.pk) == value), None)
        if line is None:
            raise Http404(_("No line of yours has this number."))
        form = LinePriceForm(request.POST, prefix=f"line-{line.pk}")
        forms[line.pk] = form
        if form.is_valid():
            try:
                rfq_line_price(actor=actor, line=line, price=form.price())
            except DomainError as exc:
                form_add_domain_error(form, exc, field_map=PRICE_FIELD_MAP)
            else:
                messages.success(
                    request,
                    _("Line %(n)s saved.") % {"n": line.position + 1},
                )
                return redirect(
                    reverse(
                        "trade:member-rfq", kwargs={"slug": member.slug, "pk": rfq.pk}
                    )
                )
        status = 422
    editable = rfq.status in ("open", "revision")
    context = member_manage_context(
        member=member,
        section="trade",
        team=member_team_for(actor=actor, member=member),
    )
    context.update(
        rfq=rfq,
        rows=[(line, forms[line.pk]) for line in lines],
        editable=editable,
    )
    return render(request, "trade/member/rfq.html", context, status=status)

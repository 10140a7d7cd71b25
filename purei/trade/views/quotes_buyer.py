"""A trade buyer's requests for quote, under ``/c/<slug>/trade/``: the list
(``rfqs``), a new request (``rfq-new``), one request with its quotes (``rfq``:
accept, ask for a revision, withdraw), and a quote as a PDF (``quote-pdf``, also
for the cluster's admins and platform staff). The buyer of an approved account
with the cluster gets in; anyone else gets 404 (or is asked to log in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.clusters.models import Cluster
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import Actor, actor_from
from purei.core.downloads import private_download, private_stored_file
from purei.core.errors import DomainError, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.trade.models import Quote, QuoteRequest, TradeAccount
from purei.trade.quote_forms import (
    PRODUCT_LINE_MAP,
    PRODUCT_ROWS,
    RFQ_FIELD_MAP,
    WRITTEN_LINE_MAP,
    WRITTEN_ROWS,
    ProductLineForm,
    RevisionForm,
    RFQForm,
    WithdrawForm,
    WrittenLineForm,
    rfq_input,
    variant_choices,
)
from purei.trade.quote_pdf import quote_pdf
from purei.trade.quote_selectors import (
    rfq_attachment_get,
    rfq_members_for,
    rfq_variants_for,
    rfq_with_line_counts,
)
from purei.trade.selectors import (
    quote_get,
    quotes_for,
    rfq_get_for_buyer,
    rfq_lines_for,
    rfq_list_for_buyer,
    trade_account_for_buyer,
)
from purei.trade.services import (
    quote_accept,
    quote_revision_ask,
    rfq_create,
    rfq_withdraw,
)

PAGE_SIZE = 50


def _buyer(request: HttpRequest, slug: str) -> tuple[Actor, Cluster, TradeAccount]:
    """The actor, the live cluster and the actor's approved account with it."""
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    account = trade_account_for_buyer(actor=actor, cluster=cluster)
    if account is None or not account.is_approved:
        raise Http404(_("You have no approved trade account with this cluster."))
    return actor, cluster, account


@login_required
@require_GET
def rfq_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, cluster, account = _buyer(request, slug)
    requests = rfq_with_line_counts(rfq_list_for_buyer(actor=actor, cluster=cluster))
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "trade/rfqs.html",
        {"cluster": cluster, "account": account, "page": page},
    )


def _rows(
    request: HttpRequest, cluster: Cluster
) -> tuple[list[ProductLineForm], list[WrittenLineForm]]:
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    choices = variant_choices(rfq_variants_for(cluster))
    members = rfq_members_for(cluster)
    products = [
        ProductLineForm(data, prefix=f"p{i}", choices=choices, row=i + 1)
        for i in range(PRODUCT_ROWS)
    ]
    written = [
        WrittenLineForm(data, files, prefix=f"w{i}", members=members, row=i + 1)
        for i in range(WRITTEN_ROWS)
    ]
    return products, written


def _lines_error(
    exc: DomainError,
    form: RFQForm,
    rows: list[ProductLineForm | WrittenLineForm],
) -> None:
    """Put each ``lines.<n>.<field>`` refusal on its row; the rest on the form."""
    errors = getattr(exc, "errors", None) or {exc.field or "": [exc.message]}
    rest: dict[str, list[str]] = {}
    for field, texts in errors.items():
        parts = field.split(".")
        if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(rows):
                row = rows[index]
                names = (
                    PRODUCT_LINE_MAP
                    if isinstance(row, ProductLineForm)
                    else WRITTEN_LINE_MAP
                )
                name = names.get(parts[2])
                for text in texts:
                    row.add_error(name, text)
                continue
        rest[field] = list(texts)
    for field, texts in rest.items():
        name = RFQ_FIELD_MAP.get(field, field)
        for text in texts:
            form.add_error(name if name in form.fields else None, text)


@login_required
@require_http_methods(["GET", "POST"])
def rfq_new_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, cluster, account = _buyer(request, slug)
    products, written = _rows(request, cluster)
    form = RFQForm.for_account(account)
    status = 200
    if request.method == "POST":
        form = RFQForm(request.POST)
        valid = [f.is_valid() for f in (form, *products, *written)]
        if all(valid):
            rows: list[ProductLineForm | WrittenLineForm] = [
                *(row for row in products if not row.is_empty()),
                *(row for row in written if not row.is_empty()),
            ]
            try:
                created = rfq_create(
                    actor=actor, account=account, rfq=rfq_input(form, rows)
                )
            except DomainError as exc:
                _lines_error(exc, form, rows)
            else:
                messages.success(
                    request,
                    _(
                        "Request %(number)s sent: the members price their lines and "
                        "the cluster emails you its quote."
                    )
                    % {"number": created.number},
                )
                return redirect(
                    reverse(
                        "trade:rfq", kwargs={"slug": cluster.slug, "pk": created.pk}
                    )
                )
        status = 422
    rows_with_errors = [row for row in (*products, *written) if row.errors]
    return render(
        request,
        "trade/rfq_new.html",
        {
            "cluster": cluster,
            "account": account,
            "form": form,
            "products": products,
            "written": written,
            "rows_with_errors": rows_with_errors,
        },
        status=status,
    )


def _answer(
    request: HttpRequest, actor: Actor, rfq: QuoteRequest, forms: dict[str, object]
) -> str | None:
    """Carry out the POST's action; the message to show, or None (forms hold
    the errors)."""
    action = request.POST.get("action", "")
    try:
        if action == "withdraw":
            withdraw = WithdrawForm(request.POST, prefix="withdraw")
            forms["withdraw"] = withdraw
            if not withdraw.is_valid():
                return None
            rfq_withdraw(
                actor=actor, request=rfq, reason=withdraw.cleaned_data["reason"]
            )
            return _("Request withdrawn.")
        quote = _quote_of(actor, rfq, request.POST.get("quote", ""))
        if action == "accept":
            quote_accept(actor=actor, quote=quote)
            return _("Quote accepted: it is now an order.")
        if action == "revision":
            revision = RevisionForm(request.POST, prefix="revision")
            forms["revision"] = revision
            if not revision.is_valid():
                return None
            quote_revision_ask(
                actor=actor, quote=quote, note=revision.cleaned_data["note"]
            )
            return _("Revision asked: the cluster sends a new quote.")
    except DomainError as exc:
        target = forms.get(action)
        if target is None or not isinstance(exc, ValidationFailed):
            # Accepting has no form, and a move refused stands alone.
            forms["problem"] = exc.message
        else:
            form_add_domain_error(target, exc)  # type: ignore[arg-type]
        return None
    raise Http404(_("There is no such action."))


def _quote_of(actor: Actor, rfq: QuoteRequest, value: str) -> Quote:
    if not value.isdigit():
        raise Http404(_("No quote of yours has this number."))
    quote = quote_get(actor=actor, pk=int(value))
    if quote.request_id != rfq.pk:
        raise Http404(_("No quote of yours has this number."))
    return quote


@login_required
@require_http_methods(["GET", "POST"])
def rfq_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, cluster, account = _buyer(request, slug)
    rfq = rfq_get_for_buyer(actor=actor, cluster=cluster, pk=pk)
    forms: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        done = _answer(request, actor, rfq, forms)
        if done is not None:
            messages.success(request, done)
            return redirect(
                reverse("trade:rfq", kwargs={"slug": cluster.slug, "pk": rfq.pk})
            )
        status = 422
        rfq.refresh_from_db()
    quotes = quotes_for(actor=actor, request=rfq)
    newest = quotes[0] if quotes else None
    answerable = (
        newest is not None
        and newest.status == Quote.Status.SENT
        and newest.valid_until >= timezone.localdate()
    )
    is_open = rfq.status not in (
        QuoteRequest.Status.ACCEPTED,
        QuoteRequest.Status.WITHDRAWN,
        QuoteRequest.Status.DECLINED,
    )
    forms.setdefault("revision", RevisionForm(prefix="revision"))
    forms.setdefault("withdraw", WithdrawForm(prefix="withdraw"))
    return render(
        request,
        "trade/rfq.html",
        {
            "cluster": cluster,
            "account": account,
            "rfq": rfq,
            "lines": list(rfq_lines_for(actor=actor, request=rfq)),
            "newest": newest,
            "earlier": quotes[1:],
            "answerable": answerable,
            "is_open": is_open,
            "forms": forms,
        },
        status=status,
    )


@login_required
@require_GET
def quote_pdf_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The quote as a PDF: its buyer, the cluster's admins and platform staff."""
    actor = actor_from(request)
    quote = quote_get(actor=actor, pk=pk)
    rfq = quote.request
    if rfq.cluster.slug != slug:
        raise Http404(_("No quote of yours has this number."))
    lines = list(quote.lines.select_related("member"))
    filename = f"{rfq.number}-rev{quote.revision}.pdf"
    return private_download(quote_pdf(quote, lines), "application/pdf", filename)


@login_required
@require_GET
def rfq_attachment_view(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """A file a buyer attached to a line: the buyer, the cluster's admins,
    platform staff and the team of the line's member."""
    attachment = rfq_attachment_get(actor=actor_from(request), pk=pk)
    if attachment.line.request.cluster.slug != slug:
        raise Http404(_("No file of yours has this number."))
    return private_stored_file(
        attachment.file.storage,
        str(attachment.file.name),
        attachment.content_type,
        attachment.name,
    )

"""The dashboards' pages and downloads (docs/insights.md): a cluster's for its
admins, a member's for its team, the member's wholesale prices, and its choice
to be counted in benchmarks. Thin: a selector or a service, then a template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purei.core.actor import actor_from
from purei.core.downloads import private_download
from purei.core.errors import DomainError
from purei.members.selectors import member_team_for
from purei.web.shell import cluster_manage_context, member_manage_context

from .charts import Table
from .downloads import CSV_TYPE, XLSX_TYPE, tables_csv, tables_xlsx
from .forms import BenchmarkForm, WholesalePricesForm
from .ranges import DateRange, RangeForm, presets, range_from
from .selectors import (
    cluster_dashboard,
    dashboard_cluster_get_for,
    dashboard_member_get_for,
    member_benchmarks,
    member_clusters,
    member_dashboard,
    member_margin,
    wholesale_price_list_for_member,
)
from .services import benchmark_opt_in_set, wholesale_price_set
from .tables import (
    benchmark_table,
    cluster_charts,
    margin_chart,
    member_charts,
    summary_table,
)

FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}


def _download(tables: list[Table], fmt: str, name: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    content: bytes | str = tables_xlsx(tables) if fmt == "xlsx" else tables_csv(tables)
    return private_download(content, FORMATS[fmt], f"{name}.{fmt}")


def _range_context(form: RangeForm, rng: DateRange) -> dict[str, Any]:
    return {"form": form, "range": rng, "presets": presets(rng), "query": rng.query()}


@login_required
@require_GET
def cluster_dashboard_view(request: HttpRequest, slug: str) -> HttpResponse:
    cluster = dashboard_cluster_get_for(actor=actor_from(request), slug=slug)
    form, rng = range_from(request.GET)
    board = cluster_dashboard(cluster, rng)
    context = cluster_manage_context(
        cluster,
        "insights",
        board=board,
        summary=summary_table(board),
        charts=cluster_charts(board),
        **_range_context(form, rng),
    )
    status = 422 if form.errors else 200
    return render(request, "insights/cluster_dashboard.html", context, status=status)


@login_required
@require_GET
def cluster_download_view(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    cluster = dashboard_cluster_get_for(actor=actor_from(request), slug=slug)
    _form, rng = range_from(request.GET)
    board = cluster_dashboard(cluster, rng)
    tables = [summary_table(board), *(c.table for c in cluster_charts(board))]
    name = f"insights-{cluster.slug}-{rng.start}-{rng.end}"
    return _download(tables, fmt, name)


def _member_tables(
    request: HttpRequest, slug: str
) -> tuple[Any, RangeForm, DateRange, dict[str, Any]]:
    actor = actor_from(request)
    member = dashboard_member_get_for(actor=actor, slug=slug)
    form, rng = range_from(request.GET)
    board = member_dashboard(member, rng)
    margin = member_margin(member, rng)
    benchmarks = member_benchmarks(member, rng)
    return (
        member,
        form,
        rng,
        {
            "board": board,
            "summary": summary_table(board),
            "charts": member_charts(board),
            "margin": margin,
            "margin_chart": margin_chart(margin, rng.label),
            "benchmarks": [
                (b, benchmark_table(b, rng.label) if b.shown else None)
                for b in benchmarks
            ],
        },
    )


@login_required
@require_GET
def member_dashboard_view(request: HttpRequest, slug: str) -> HttpResponse:
    member, form, rng, figures = _member_tables(request, slug)
    actor = actor_from(request)
    context = member_manage_context(
        member=member,
        section="insights",
        team=member_team_for(actor=actor, member=member),
        can_manage=actor.is_member_team(member.pk),
        **figures,
        **_range_context(form, rng),
    )
    status = 422 if form.errors else 200
    return render(request, "insights/member_dashboard.html", context, status=status)


@login_required
@require_GET
def member_download_view(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    member, _form, rng, figures = _member_tables(request, slug)
    tables = [
        figures["summary"],
        *(c.table for c in figures["charts"]),
        figures["margin_chart"].table,
        *(table for _b, table in figures["benchmarks"] if table is not None),
    ]
    return _download(tables, fmt, f"insights-{member.slug}-{rng.start}-{rng.end}")


@login_required
@require_http_methods(["GET", "POST"])
def member_wholesale_prices_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = dashboard_member_get_for(actor=actor, slug=slug)
    rows = wholesale_price_list_for_member(member)
    can_manage = actor.is_member_team(member.pk)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(_("Only the business's team can change its prices."))
    if request.method == "POST":
        form = WholesalePricesForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                changes = form.changes()
                for variant_id, price in changes:
                    wholesale_price_set(
                        actor=actor,
                        member=member,
                        variant_id=variant_id,
                        price_cents=price,
                    )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Wholesale prices saved (%(count)s changed).")
                    % {"count": len(changes)},
                )
                return redirect("insights:member-wholesale-prices", slug=member.slug)
    else:
        form = WholesalePricesForm(rows=rows)
    context = member_manage_context(
        member=member,
        section="insights",
        team=member_team_for(actor=actor, member=member),
        can_manage=can_manage,
        form=form,
    )
    status = 422 if form.errors else 200
    return render(request, "insights/wholesale_prices.html", context, status=status)


@login_required
@require_POST
def member_benchmarking_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = dashboard_member_get_for(actor=actor, slug=slug)
    if not actor.is_member_owner(member.pk):
        raise PermissionDenied(_("Only the business's owners can choose this."))
    form = BenchmarkForm(request.POST)
    clusters = {c.pk: c for c in member_clusters(member)}
    if not form.is_valid() or form.cleaned_data["cluster"] not in clusters:
        messages.error(request, _("Choose a cluster your business sells in."))
        return redirect("insights:member-dashboard", slug=member.slug)
    opted_in = bool(form.cleaned_data["opted_in"])
    benchmark_opt_in_set(
        actor=actor,
        member=member,
        cluster=clusters[form.cleaned_data["cluster"]],
        opted_in=opted_in,
    )
    if opted_in:
        messages.success(request, _("Your figures are counted in the benchmarks."))
    else:
        messages.success(request, _("Your figures are no longer counted."))
    return redirect("insights:member-dashboard", slug=member.slug)

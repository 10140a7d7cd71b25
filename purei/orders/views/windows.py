"""Sales windows' manage screens (docs/orders.md "Sales windows", ADR 0016).

- ``/manage/clusters/<slug>/windows/…``: the cluster's windows (open, upcoming,
  closed), adding and changing one, its products with caps and per-customer
  limits, its pickup points, what each product sold against its cap, and the
  whole window's pick list (also as CSV). Its admins change them; platform
  staff read them; anyone else gets 404.
- ``/manage/members/<slug>/windows/…``: the windows a member sells in, and its
  own pick list per pickup point (then delivery), on the page and as CSV. Its
  team (and platform staff) only.

The forms check each input; the services (``services/sales_windows.py``) check
the rules and their refusals land on the same fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.models import Cluster
from purei.core.actor import Actor, actor_from
from purei.core.csv_safe import csv_text
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.members.models import Member
from purei.members.selectors import member_get_for_team, member_team_for
from purei.orders.models import SalesWindow, SalesWindowItem
from purei.orders.services.sales_windows import (
    WindowItemRow,
    sales_window_create,
    sales_window_items_set,
    sales_window_pickups_set,
    sales_window_update,
)
from purei.orders.window_selectors import (
    PickGroup,
    admin_window_get,
    admin_windows,
    member_window_get,
    member_windows,
    pick_list,
    pick_list_totals,
    sales_window_initial,
    window_pickup_choices,
    window_product_choices,
    window_totals,
    window_view,
)
from purei.orders.windows import (
    CLOSED,
    OPEN,
    UPCOMING,
    closes_label,
    opens_label,
    window_state,
)
from purei.web.shell import cluster_manage_context, member_manage_context

from .window_forms import SalesWindowForm, WindowItemForm, WindowPickupsForm

SECTION = "windows"

# --- Helpers ----------------------------------------------------------------------


def _admin_only(actor: Actor, cluster: Cluster) -> None:
    if not actor.is_cluster_admin(cluster.pk):
        raise PermissionDenied(_("Only the cluster's admins change its sales windows."))


def _window(request: HttpRequest, slug: str, pk: int) -> tuple[Actor, Cluster, Any]:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    window = admin_window_get(actor=actor, cluster=cluster, window_id=pk)
    return actor, cluster, window


def _take_service_errors(form: Any, exc: ValidationFailed, **field_map: str) -> None:
    """The service's messages replace the form's own for the same field."""
    for name in list(form.errors):
        if name in exc.errors:
            del form.errors[name]
    form_add_domain_error(form, exc, field_map=field_map)


def _rows(window: SalesWindow) -> list[WindowItemRow]:
    return [
        WindowItemRow(
            product_id=i.product_id,
            cap=i.cap,
            per_customer_limit=i.per_customer_limit,
            window_only=i.window_only,
        )
        for i in window.items.all()
    ]


def _item(window: SalesWindow, product_id: int) -> SalesWindowItem:
    found = next((i for i in window.items.all() if i.product_id == product_id), None)
    if found is None:
        raise Http404(_("That product is not in this window."))
    return found


def _csv(groups: list[PickGroup], filename: str) -> HttpResponse:
    """One row per item of each order (member's part), then each pickup point's
    totals and the window's (``Total`` in the order column)."""
    rows: list[list[object]] = [
        [
            _("Pickup point"),
            _("When"),
            _("Order"),
            _("Customer"),
            _("Pickup code"),
            _("Status"),
            _("Delivery day"),
            _("Member"),
            _("Item"),
            _("Quantity"),
        ]
    ]
    for group in groups:
        for order in group.orders:
            for name, quantity in order["items"]:  # type: ignore[attr-defined]
                rows.append(
                    [
                        group.label,
                        group.when,
                        order["number"],
                        order["name"],
                        order["pickup_code"],
                        order["status"],
                        order["delivery_on"],
                        order["member"],
                        name,
                        quantity,
                    ]
                )
    total = _("Total")
    for group in groups:
        for name, quantity in group.totals:
            rows.append(
                [group.label, group.when, total, "", "", "", "", "", name, quantity]
            )
    for name, quantity in pick_list_totals(groups):
        rows.append(
            [
                _("All pickup points and delivery"),
                "",
                total,
                "",
                "",
                "",
                "",
                "",
                name,
                quantity,
            ]
        )
    response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- A cluster's windows ------------------------------------------------------------


@login_required
@require_GET
def cluster_windows_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    now = timezone.now()
    groups: dict[str, list[dict[str, Any]]] = {OPEN: [], UPCOMING: [], CLOSED: []}
    for window in admin_windows(actor=actor, cluster=cluster):
        state = window_state(window, now)
        groups[state].append({"window": window, **_labels(window)})
    # Upcoming soonest first; closed most recent first (as listed).
    groups[UPCOMING].reverse()
    groups[OPEN].sort(key=lambda r: (r["window"].closes_at, r["window"].pk))
    context = cluster_manage_context(
        cluster,
        SECTION,
        sections=[
            ("open", _("Open now"), groups[OPEN]),
            ("upcoming", _("Upcoming"), groups[UPCOMING]),
            ("closed", _("Closed"), groups[CLOSED]),
        ],
        can_manage=actor.is_cluster_admin(cluster.pk),
    )
    return render(request, "orders/manage/windows.html", context)


def _labels(window: SalesWindow) -> dict[str, str]:
    return {"opens": opens_label(window), "closes": closes_label(window)}


def _window_form_page(
    request: HttpRequest, actor: Actor, cluster: Cluster, window: SalesWindow | None
) -> HttpResponse:
    can_manage = actor.is_cluster_admin(cluster.pk)
    initial = sales_window_initial(window) if window else {}
    form = SalesWindowForm(initial=initial)
    status = 200
    if request.method == "POST":
        _admin_only(actor, cluster)
        form = SalesWindowForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                if window is None:
                    saved = sales_window_create(
                        actor=actor, cluster=cluster, details=form.service_data()
                    )
                    messages.success(
                        request, _("%(name)s is added.") % {"name": saved.name_en}
                    )
                else:
                    saved = sales_window_update(
                        actor=actor, window=window, details=form.service_data()
                    )
                    messages.success(
                        request, _("%(name)s is saved.") % {"name": saved.name_en}
                    )
            except ValidationFailed as exc:
                _take_service_errors(form, exc)
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            else:
                return redirect("orders:cluster-window", slug=cluster.slug, pk=saved.pk)
        status = 422
    context = cluster_manage_context(
        cluster, SECTION, form=form, window=window, can_manage=can_manage
    )
    if window is not None:
        context.update(_labels(window))
    return render(request, "orders/manage/window_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_window_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    _admin_only(actor, cluster)
    return _window_form_page(request, actor, cluster, None)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_window_update_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    actor, cluster, window = _window(request, slug, pk)
    return _window_form_page(request, actor, cluster, window)


@login_required
@require_GET
def cluster_window_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The window: its times, products sold against their caps, pickup points
    and the whole window's pick list."""
    actor, cluster, window = _window(request, slug, pk)
    groups = pick_list(member=None, window=window)
    context = cluster_manage_context(
        cluster,
        SECTION,
        window=window,
        view=window_view(window),
        totals=window_totals(window),
        points=list(window.pickup_points.all()),
        groups=groups,
        pick_totals=pick_list_totals(groups),
        can_manage=actor.is_cluster_admin(cluster.pk),
    )
    return render(request, "orders/manage/window.html", context)


def _item_page(
    request: HttpRequest,
    actor: Actor,
    cluster: Cluster,
    window: SalesWindow,
    item: SalesWindowItem | None,
) -> HttpResponse:
    _admin_only(actor, cluster)
    products = (
        window_product_choices(cluster=cluster, window=window) if item is None else None
    )
    initial: dict[str, Any] = (
        {
            "cap": item.cap,
            "per_customer_limit": item.per_customer_limit,
            "window_only": item.window_only,
        }
        if item is not None
        else {}
    )
    form = WindowItemForm(initial=initial, products=products)
    status = 200
    if request.method == "POST":
        form = WindowItemForm(request.POST, initial=initial, products=products)
        if form.is_valid():
            product_id = item.product_id if item else int(form.cleaned_data["product"])
            row = WindowItemRow(
                product_id=product_id,
                cap=form.cleaned_data["cap"],
                per_customer_limit=form.cleaned_data["per_customer_limit"],
                window_only=form.cleaned_data["window_only"],
            )
            rows = [r for r in _rows(window) if r.product_id != product_id] + [row]
            try:
                sales_window_items_set(actor=actor, window=window, rows=rows)
            except ValidationFailed as exc:
                _take_service_errors(
                    form,
                    exc,
                    items="product",
                    **{
                        f"items.{product_id}.cap": "cap",
                        f"items.{product_id}.per_customer_limit": (
                            "per_customer_limit"
                        ),
                    },
                )
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            else:
                messages.success(request, _("The window's products are saved."))
                return redirect(
                    "orders:cluster-window", slug=cluster.slug, pk=window.pk
                )
        status = 422
    context = cluster_manage_context(
        cluster, SECTION, form=form, window=window, item=item, can_manage=True
    )
    return render(
        request, "orders/manage/window_item_form.html", context, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def cluster_window_item_create_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    actor, cluster, window = _window(request, slug, pk)
    return _item_page(request, actor, cluster, window, None)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_window_item_update_view(
    request: HttpRequest, slug: str, pk: int, product_id: int
) -> HttpResponse:
    actor, cluster, window = _window(request, slug, pk)
    return _item_page(request, actor, cluster, window, _item(window, product_id))


@login_required
@require_POST
def cluster_window_item_remove_view(
    request: HttpRequest, slug: str, pk: int, product_id: int
) -> HttpResponse:
    """Take a product out of the window (refused once some are sold)."""
    actor, cluster, window = _window(request, slug, pk)
    _admin_only(actor, cluster)
    item = _item(window, product_id)
    rows = [r for r in _rows(window) if r.product_id != product_id]
    try:
        sales_window_items_set(actor=actor, window=window, rows=rows)
    except ValidationFailed as exc:
        for problems in exc.errors.values():
            for problem in problems:
                messages.error(request, problem)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    else:
        messages.success(
            request,
            _("%(product)s is taken out of the window.")
            % {"product": item.product.title_en},
        )
    return redirect("orders:cluster-window", slug=cluster.slug, pk=window.pk)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_window_pickups_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    """Link and unlink the cluster's pickup events as the window's pickup points."""
    actor, cluster, window = _window(request, slug, pk)
    _admin_only(actor, cluster)
    events = window_pickup_choices(window=window)
    initial = {"events": [str(e.pk) for e in window.pickup_points.all()]}
    form = WindowPickupsForm(initial=initial, events=events)
    status = 200
    if request.method == "POST":
        form = WindowPickupsForm(request.POST, events=events)
        if form.is_valid():
            try:
                sales_window_pickups_set(
                    actor=actor, window=window, event_ids=form.cleaned_data["events"]
                )
            except ValidationFailed as exc:
                _take_service_errors(form, exc, pickup_points="events")
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            else:
                messages.success(request, _("The window's pickup points are saved."))
                return redirect(
                    "orders:cluster-window", slug=cluster.slug, pk=window.pk
                )
        status = 422
    context = cluster_manage_context(
        cluster, SECTION, form=form, window=window, has_events=bool(events)
    )
    return render(request, "orders/manage/window_pickups.html", context, status=status)


@login_required
@require_GET
def cluster_window_pick_list_csv_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    _actor, cluster, window = _window(request, slug, pk)
    return _csv(
        pick_list(member=None, window=window),
        f"{cluster.slug}-window-{window.pk}-pick-list.csv",
    )


# --- A member's windows -------------------------------------------------------------


def _member_context(actor: Actor, member: Member, **more: Any) -> dict[str, Any]:
    return member_manage_context(
        member=member,
        section=SECTION,
        team=member_team_for(actor=actor, member=member),
        **more,
    )


@login_required
@require_GET
def member_windows_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    now = timezone.now()
    rows = [
        {"window": w, "state": window_state(w, now), **_labels(w)}
        for w in member_windows(member=member)
    ]
    context = _member_context(actor, member, rows=rows)
    return render(request, "orders/manage/member_windows.html", context)


@login_required
@require_GET
def member_window_pick_list_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    window = member_window_get(member=member, window_id=pk)
    groups = pick_list(member=member, window=window)
    context = _member_context(
        actor,
        member,
        window=window,
        groups=groups,
        pick_totals=pick_list_totals(groups),
        **_labels(window),
    )
    return render(request, "orders/manage/member_pick_list.html", context)


@login_required
@require_GET
def member_window_pick_list_csv_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponse:
    member = member_get_for_team(actor=actor_from(request), slug=slug)
    window = member_window_get(member=member, window_id=pk)
    return _csv(
        pick_list(member=member, window=window),
        f"{member.slug}-window-{window.pk}-pick-list.csv",
    )

"""Hub delivery's screens (docs/orders.md "Hub delivery"):

- ``/manage/clusters/<slug>/hub/`` the hub: paid orders whose parts gather at
  the hub, which parts have arrived, and sending each order's one parcel
  (carrier, tracking number); its admins act, platform staff read;
- ``/manage/clusters/<slug>/hub/settings/`` the cluster's hub delivery: on or
  off, the hub, the drop-off cutoff, the split rule and the hub's own rates;
- ``/manage/members/<slug>/orders/<number>/hub-drop/`` (POST) a member's team
  says its part is at the hub (from the part's screen).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.core.actor import actor_from
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.core.money import format_cents
from purei.members.selectors import member_get_for_team
from purei.orders.delivery_days import weekday_names
from purei.orders.hub import cutoff_label
from purei.orders.hub_selectors import (
    hub_delivery_of,
    hub_parcels_for_cluster,
    hub_rates_of,
)
from purei.orders.models import HubDelivery, HubSplitRule
from purei.orders.selectors import fulfilment_get_for_team, order_get_for_admin
from purei.orders.services.hub import (
    HubSettingsInput,
    hub_drop_mark,
    hub_parcel_dispatch,
    hub_settings_save,
)
from purei.orders.services.shipping import RateRow
from purei.orders.shipping_selectors import rate_rows_initial
from purei.web.shell import cluster_manage_context

from .shipping import RateFormSet, _rate_formset_for_more, _rates_display, _rows_from


class HubSettingsForm(forms.Form):
    enabled = forms.BooleanField(
        label=gettext_lazy("Offer hub delivery"),
        required=False,
        help_text=gettext_lazy(
            "Shoppers buying from two or more members can choose one parcel from "
            "the hub, for one delivery charge."
        ),
    )
    hub_name = forms.CharField(
        label=gettext_lazy("Hub"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("The cluster's depot, or a member's premises."),
    )
    hub_address = forms.CharField(
        label=gettext_lazy("Hub address"), required=False, max_length=300
    )
    cutoff_kind = forms.ChoiceField(
        label=gettext_lazy("Members drop their parts at the hub"),
        choices=HubDelivery.Cutoff.choices,
        widget=forms.RadioSelect,
    )
    cutoff_weekday = forms.ChoiceField(
        label=gettext_lazy("Day of the week"), required=False
    )
    cutoff_time = forms.CharField(
        label=gettext_lazy("By (New Zealand time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    cutoff_hours = forms.CharField(
        label=gettext_lazy("Within hours of payment"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    split_rule = forms.ChoiceField(
        label=gettext_lazy("Share the one delivery charge among the members"),
        choices=HubSplitRule.choices,
        widget=forms.RadioSelect,
    )
    rural_surcharge = forms.CharField(
        label=gettext_lazy("Rural delivery surcharge ($)"),
        required=False,
        max_length=20,
    )
    free_over = forms.CharField(
        label=gettext_lazy("Free hub delivery within New Zealand over ($)"),
        required=False,
        max_length=20,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        day = self.fields["cutoff_weekday"]
        assert isinstance(day, forms.ChoiceField)  # noqa: S101  # for mypy
        day.choices = [("", "—"), *((str(n), name) for n, name in weekday_names())]


class DispatchForm(forms.Form):
    carrier = forms.CharField(label=gettext_lazy("Carrier"), max_length=64)
    tracking_number = forms.CharField(
        label=gettext_lazy("Tracking number"), max_length=64
    )


def _money(cents: int | None) -> str:
    return "" if not cents else format_cents(cents)


def _initial(hub: HubDelivery | None) -> dict[str, Any]:
    if hub is None:
        return {"cutoff_kind": "hours", "cutoff_hours": "24", "split_rule": "weight"}
    policy = getattr(hub, "policy", None)
    return {
        "enabled": hub.enabled,
        "hub_name": hub.hub_name,
        "hub_address": hub.hub_address,
        "cutoff_kind": hub.cutoff_kind,
        "cutoff_weekday": "" if hub.cutoff_weekday is None else str(hub.cutoff_weekday),
        "cutoff_time": hub.cutoff_time.strftime("%H:%M") if hub.cutoff_time else "",
        "cutoff_hours": "" if hub.cutoff_hours is None else str(hub.cutoff_hours),
        "split_rule": hub.split_rule,
        "rural_surcharge": _money(policy.rural_surcharge_cents if policy else 0),
        "free_over": _money(policy.free_over_cents if policy else None),
    }


def _put_errors(
    exc: ValidationFailed, form: HubSettingsForm, formset: Any
) -> list[tuple[int, str, str]]:
    rest: dict[str, list[str]] = {}
    row_errors: list[tuple[int, str, str]] = []
    for key, messages_ in exc.errors.items():
        if key.startswith("rates."):
            _rates, index, field = key.split(".", 2)
            row = formset.forms[int(index)]
            for message in messages_:
                row.add_error(field if field in row.fields else None, message)
                row_errors.append((int(index), field, message))
        else:
            rest[key] = messages_
    if rest:
        form_add_domain_error(form, ValidationFailed(exc.code, rest))
    return row_errors


@login_required
@require_http_methods(["GET", "POST"])
def hub_settings_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    can_manage = actor.is_cluster_admin(cluster.pk)
    hub = hub_delivery_of(cluster)
    policy = getattr(hub, "policy", None) if hub else None
    form = HubSettingsForm(initial=_initial(hub), prefix="hub")
    formset = RateFormSet(initial=rate_rows_initial(policy), prefix="rates")
    row_errors: list[tuple[int, str, str]] = []
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You can see this hub; you can't change it."))
        form = HubSettingsForm(request.POST, prefix="hub")
        form.is_valid()
        if request.POST.get("action") == "more":
            formset = _rate_formset_for_more(request)
        else:
            formset = RateFormSet(request.POST, prefix="rates")
            if not formset.management_form.is_valid():
                form.add_error(None, _("The rate table was incomplete: try again."))
                status = 422
            else:
                typed = {
                    name: request.POST.get(f"hub-{name}", "") for name in form.fields
                }
                try:
                    hub_settings_save(
                        actor=actor,
                        cluster=cluster,
                        details=HubSettingsInput(
                            **typed,
                            rates=[RateRow(**row) for row in _rows_from(formset)],
                        ),
                    )
                except ValidationFailed as exc:
                    row_errors = _put_errors(exc, form, formset)
                    status = 422
                except NotPermitted as exc:
                    raise PermissionDenied(exc.message) from exc
                else:
                    messages.success(request, _("Hub delivery saved."))
                    return redirect("orders:cluster-hub-settings", slug=cluster.slug)
    context = cluster_manage_context(cluster, "shipping")
    context.update(
        hub=hub,
        cutoff=cutoff_label(hub) if hub else "",
        rates=_rates_display(hub_rates_of(hub)),
        form=form,
        formset=formset,
        row_errors=row_errors,
        can_manage=can_manage,
    )
    return render(request, "orders/manage/hub_settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def hub_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The hub's parcels; POST ``number`` with a carrier and tracking number sends
    that order's parcel."""
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    can_manage = actor.is_cluster_admin(cluster.pk)
    failed: tuple[str, DispatchForm] | None = None
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You can see the hub; you can't send parcels."))
        number = str(request.POST.get("number", ""))[:16]
        order = order_get_for_admin(actor, cluster, number)
        form = DispatchForm(request.POST, prefix=number)
        form.is_valid()
        try:
            hub_parcel_dispatch(
                actor=actor,
                order=order,
                carrier=str(request.POST.get(f"{number}-carrier", "")),
                tracking_number=str(request.POST.get(f"{number}-tracking_number", "")),
            )
        except ValidationFailed as exc:
            form_add_domain_error(form, exc)
            failed, status = (number, form), 422
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("orders:cluster-hub", slug=cluster.slug)
        else:
            messages.success(
                request,
                _("Order %(number)s's parcel is on its way: the shopper is told.")
                % {"number": number},
            )
            return redirect("orders:cluster-hub", slug=cluster.slug)
    parcels = []
    for parcel in hub_parcels_for_cluster(cluster)[:200]:
        parts = [part for part in parcel.order.fulfilments.all() if part.via_hub]
        live = [part for part in parts if part.status != "cancelled"]
        number = parcel.order.number
        form = (
            failed[1] if failed and failed[0] == number else DispatchForm(prefix=number)
        )
        parcels.append(
            {
                "parcel": parcel,
                "order": parcel.order,
                "parts": parts,
                "all_in": bool(live) and all(p.hub_dropped_at for p in live),
                "form": form,
            }
        )
    context = cluster_manage_context(cluster, "shipping")
    context.update(
        hub=hub_delivery_of(cluster),
        parcels=parcels,
        can_manage=can_manage,
    )
    return render(request, "orders/manage/hub.html", context, status=status)


@login_required
@require_POST
def member_hub_drop_view(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    fulfilment = fulfilment_get_for_team(actor, member, number)
    try:
        hub_drop_mark(actor=actor, fulfilment=fulfilment)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Marked as dropped at the hub."))
    return redirect("settlement:member-order", slug=member.slug, number=number)

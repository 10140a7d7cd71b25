"""Shipping and pickup manage screens.

- ``/manage/members/<slug>/shipping/``: a member's own policy and rate table. Its
  team (owners and staff) change it; platform staff read it; anyone else gets 404.
- ``/manage/clusters/<slug>/shipping/``: the cluster's default policy and rates,
  which every member without rates of its own falls back to.
- ``/manage/clusters/<slug>/pickup-events/…``: the cluster's market days and
  events where customers collect orders. Cluster admins change both; platform
  staff read them.

Everything works without JavaScript: the rate table is a formset with blank rows
to fill in, a "remove" box on each row, and a button that adds more blank rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseFormSet, formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.models import Cluster
from purei.core.actor import Actor, actor_from
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.core.money import format_cents
from purei.core.times import time_nz
from purei.members.models import Member
from purei.members.selectors import member_get_for_team, member_team_for
from purei.orders.delivery_days import weekday_names
from purei.orders.models import PickupEvent, ShippingPolicy, ShippingRate, Zone
from purei.orders.pickup import event_cutoff_label, event_window_label
from purei.orders.services import (
    ChilledRateRow,
    PickupEventInput,
    RateRow,
    ShippingPolicyInput,
    pickup_event_cancel,
    pickup_event_create,
    pickup_event_update,
    shipping_settings_save,
)
from purei.orders.shipping import NZ_ZONES
from purei.orders.shipping_selectors import (
    approved_members_of,
    chilled_rows_initial,
    cluster_defaults_for_member,
    pickup_event_get_for,
    pickup_event_initial,
    pickup_event_list_for_cluster,
    policy_initial,
    rate_rows_initial,
    shipping_policy_get_for,
)
from purei.web.shell import cluster_manage_context, member_manage_context

BLANK_ROWS = 3
TIME_ZONES = (
    ("Pacific/Auckland", gettext_lazy("New Zealand mainland")),
    ("Pacific/Chatham", gettext_lazy("Chatham Islands (45 minutes ahead)")),
)

# --- Forms: they only render and carry the text; the services check it ------------


class ShippingPolicyForm(forms.Form):
    rural_surcharge = forms.CharField(
        label=gettext_lazy("Rural delivery surcharge ($, incl. GST)"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "Added for an RD address in New Zealand, e.g. 5.75. Empty for none."
        ),
    )
    free_over = forms.CharField(
        label=gettext_lazy("Free shipping within New Zealand over ($)"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "Orders of at least this much ship free within New Zealand (not "
            "overseas). Empty for no free shipping."
        ),
    )


class MemberShippingPolicyForm(ShippingPolicyForm):
    pickup_at_premises = forms.BooleanField(
        label=gettext_lazy("Customers may collect from our premises"), required=False
    )
    pickup_address = forms.CharField(
        label=gettext_lazy("Pickup address"), required=False, max_length=300
    )
    pickup_instructions = forms.CharField(
        label=gettext_lazy("Pickup hours and instructions"),
        required=False,
        max_length=300,
    )
    dispatch_weekdays = forms.MultipleChoiceField(
        label=gettext_lazy("Days you dispatch"),
        required=False,
        help_text=gettext_lazy(
            "Shoppers pick a delivery day from these. Chilled and frozen goods "
            "are sent only when they arrive Monday to Friday. None ticked: "
            "shoppers pick no day (and you can't send chilled goods)."
        ),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    dispatch_cutoff = forms.CharField(
        label=gettext_lazy("Order cutoff (New Zealand time)"),
        required=False,
        help_text=gettext_lazy(
            "Orders in by this time on a dispatch day go that day, e.g. 12:00."
        ),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    transit_days = forms.CharField(
        label=gettext_lazy("Ordinary courier days"),
        required=False,
        max_length=3,
        help_text=gettext_lazy(
            "Days from dispatch to arrival for goods that need no chilling. Empty: 2."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days = self.fields["dispatch_weekdays"]
        assert isinstance(days, forms.MultipleChoiceField)  # noqa: S101  # for mypy
        days.choices = [(str(n), name) for n, name in weekday_names()]


class ChilledRateForm(forms.Form):
    """One zone's chilled rate: the zone is fixed (hidden), shown as the row's
    heading."""

    zone = forms.CharField(widget=forms.HiddenInput, required=False)
    price = forms.CharField(
        label=gettext_lazy("Chilled price a parcel ($, incl. GST)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    transit_days = forms.CharField(
        label=gettext_lazy("Days in transit"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


ChilledRateFormSet = formset_factory(
    ChilledRateForm, extra=0, max_num=len(NZ_ZONES), absolute_max=len(NZ_ZONES)
)


class RateForm(forms.Form):
    zone = forms.ChoiceField(
        label=gettext_lazy("Zone"),
        required=False,
        choices=[("", gettext_lazy("Choose a zone")), *Zone.choices],
    )
    max_weight = forms.CharField(
        label=gettext_lazy("Up to (grams)"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    price = forms.CharField(
        label=gettext_lazy("Price ($, incl. GST)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


RateFormSet = formset_factory(
    RateForm, extra=BLANK_ROWS, can_delete=True, max_num=60, absolute_max=200
)


class PickupEventForm(forms.Form):
    name_en = forms.CharField(label=gettext_lazy("Name"), max_length=160)
    name_mi = forms.CharField(
        label=gettext_lazy("Name in te reo Māori"), max_length=160, required=False
    )
    venue = forms.CharField(label=gettext_lazy("Venue"), max_length=200)
    address = forms.CharField(
        label=gettext_lazy("Address"), max_length=300, required=False
    )
    collection_point = forms.CharField(
        label=gettext_lazy("Collection point"),
        max_length=200,
        help_text=gettext_lazy(
            "Where exactly to collect, e.g. “the Click & Collect table”."
        ),
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"), choices=TIME_ZONES, initial="Pacific/Auckland"
    )
    start_date = forms.CharField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_time = forms.CharField(
        label=gettext_lazy("Pickup from (local time)"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    end_date = forms.CharField(
        label=gettext_lazy("Last day"),
        required=False,
        help_text=gettext_lazy("Only if the event runs over more than one day."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end_time = forms.CharField(
        label=gettext_lazy("Pickup until (local time)"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    cutoff_date = forms.CharField(
        label=gettext_lazy("Orders close on"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    cutoff_time = forms.CharField(
        label=gettext_lazy("Orders close at (local time)"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    members = forms.MultipleChoiceField(
        label=gettext_lazy("Members taking part"),
        required=False,
        help_text=gettext_lazy("Tick none when every member takes part."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    restricted_day_exemption = forms.CharField(
        label=gettext_lazy("Restricted trading day exemption"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Only for Christmas Day, Good Friday, Easter Sunday or Anzac Day "
            "before 1 pm: who granted the exemption, and its reference."
        ),
    )

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members_field = self.fields["members"]
        assert isinstance(members_field, forms.MultipleChoiceField)  # noqa: S101  # for mypy
        members_field.choices = [
            (str(m.pk), m.name) for m in approved_members_of(cluster)
        ]
        zone_field = self.fields["time_zone"]
        assert isinstance(zone_field, forms.ChoiceField)  # noqa: S101  # for mypy
        current = self.initial.get("time_zone") or (self.data.get("time_zone") or "")
        if current and current not in dict(TIME_ZONES):
            zone_field.choices = [*TIME_ZONES, (current, current)]

    def service_data(self) -> PickupEventInput:
        """The raw text of each input (the service parses and checks it)."""
        data: dict[str, Any] = {
            name: self.data.get(self.add_prefix(name), "")
            for name in self.fields
            if name != "members"
        }
        getlist = getattr(self.data, "getlist", None)
        data["members"] = (
            getlist(self.add_prefix("members"))
            if callable(getlist)
            else self.data.get(self.add_prefix("members"), [])
        )
        return PickupEventInput(**data)


# --- Helpers ---------------------------------------------------------------------


def _money(cents: int | None) -> str:
    return "" if not cents else "$" + format_cents(cents)


def _zone_order(rate: ShippingRate) -> tuple[int, bool, int]:
    """Zones as listed in ``Zone`` (north to abroad), then lightest tier first."""
    weight = rate.max_weight_grams
    return (Zone.values.index(rate.zone), weight is None, weight or 0)


def _rates_display(rates: Iterable[ShippingRate]) -> list[dict[str, str]]:
    """Rates as text to read: zone, "up to 1,000 g" or "any weight", "$8.50"."""
    return [
        {
            "zone": str(Zone(rate.zone).label),
            "up_to": _("any weight")
            if rate.max_weight_grams is None
            else _("%(grams)s g") % {"grams": f"{rate.max_weight_grams:,}"},
            "price": "$" + format_cents(rate.price_cents),
        }
        for rate in sorted(rates, key=_zone_order)
    ]


def _summary(policy: ShippingPolicy | None) -> dict[str, Any]:
    if policy is None:
        return {"rural": "", "free_over": "", "rates": []}
    return {
        "rural": _money(policy.rural_surcharge_cents),
        "free_over": _money(policy.free_over_cents),
        "rates": _rates_display(policy.rates.all()),
    }


def _rows_from(formset: BaseFormSet[RateForm]) -> list[dict[str, str]]:
    """Each row's raw text, in order; a row marked for removal is blank (skipped)."""
    rows: list[dict[str, str]] = []
    for form in formset.forms:

        def raw(name: str, form: RateForm = form) -> str:
            return str(form.data.get(form.add_prefix(name), "") or "")

        if raw("DELETE"):
            rows.append({})
        else:
            rows.append({name: raw(name) for name in ("zone", "max_weight", "price")})
    return rows


def _put_errors(
    exc: ValidationFailed,
    policy_form: ShippingPolicyForm,
    formset: BaseFormSet[RateForm],
    chilled: BaseFormSet[ChilledRateForm] | None = None,
) -> None:
    rest: dict[str, list[str]] = {}
    for key, messages_ in exc.errors.items():
        if key.startswith("chilled.") and chilled is not None:
            _chilled, index, field = key.split(".", 2)
            chilled_form = chilled.forms[int(index)]
            for message in messages_:
                chilled_form.add_error(
                    field if field in chilled_form.fields else None, message
                )
        elif key.startswith("rates."):
            _rates, index, field = key.split(".", 2)
            form = formset.forms[int(index)]
            for message in messages_:
                form.add_error(field if field in form.fields else None, message)
        else:
            rest[key] = messages_
    if rest:
        form_add_domain_error(policy_form, ValidationFailed(exc.code, rest))


def _chilled_from(chilled: BaseFormSet[ChilledRateForm]) -> list[ChilledRateRow]:
    """Each zone's row as typed (the zone from the row, not from the post)."""
    rows = []
    for form in chilled.forms:

        def raw(name: str, form: ChilledRateForm = form) -> str:
            return str(form.data.get(form.add_prefix(name), "") or "")

        rows.append(
            ChilledRateRow(
                zone=str(form.initial.get("zone", "")),
                price=raw("price"),
                transit_days=raw("transit_days"),
            )
        )
    return rows


def _chilled_display(policy: ShippingPolicy | None) -> list[dict[str, str]]:
    if policy is None:
        return []
    return [
        {
            "zone": str(Zone(rate.zone).label),
            "price": "$" + format_cents(rate.price_cents),
            "days": str(rate.transit_days),
        }
        for rate in sorted(
            policy.chilled_rates.all(), key=lambda r: Zone.values.index(r.zone)
        )
    ]


def _dispatch_display(policy: ShippingPolicy | None) -> str:
    if policy is None or not policy.dispatch_weekdays:
        return ""
    names = dict(weekday_names())
    days = ", ".join(names[n] for n in policy.dispatch_weekdays if n in names)
    if policy.dispatch_cutoff is None:
        return days
    return _("%(days)s; orders by %(time)s") % {
        "days": days,
        "time": time_nz(policy.dispatch_cutoff),
    }


def _rate_formset_for_more(request: HttpRequest) -> BaseFormSet[RateForm]:
    """The posted rows as an unbound formset, with more blank rows to fill in."""
    posted = RateFormSet(request.POST, prefix="rates")
    rows = [row for row in _rows_from(posted) if any(row.values())]
    return RateFormSet(initial=rows, prefix="rates")


def _shipping_page(
    request: HttpRequest,
    actor: Actor,
    *,
    owner: Member | Cluster,
    can_manage: bool,
    context: dict[str, Any],
    template_context: dict[str, Any],
    here: HttpResponse,
) -> HttpResponse:
    is_member = isinstance(owner, Member)
    form_class: type[ShippingPolicyForm] = (
        MemberShippingPolicyForm if is_member else ShippingPolicyForm
    )
    member = owner if isinstance(owner, Member) else None
    cluster = owner if isinstance(owner, Cluster) else None
    policy = shipping_policy_get_for(actor=actor, member=member, cluster=cluster)
    status = 200
    policy_form = form_class(initial=policy_initial(policy), prefix="policy")
    formset = RateFormSet(initial=rate_rows_initial(policy), prefix="rates")
    chilled_initial = chilled_rows_initial(policy)
    chilled = (
        ChilledRateFormSet(initial=chilled_initial, prefix="chilled")
        if is_member
        else None
    )
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You can see this shipping; you can't change it."))
        action = request.POST.get("action", "save")
        policy_form = form_class(request.POST, prefix="policy")
        if is_member:
            chilled = ChilledRateFormSet(
                request.POST, initial=chilled_initial, prefix="chilled"
            )
        if action == "more":
            formset = _rate_formset_for_more(request)
            policy_form.is_valid()
        else:
            formset = RateFormSet(request.POST, prefix="rates")
            policy_form.is_valid()
            if not formset.management_form.is_valid():
                policy_form.add_error(
                    None, _("The rate table was incomplete: please try again.")
                )
                status = 422
            else:
                typed: dict[str, Any] = {
                    name: request.POST.get(f"policy-{name}", "")
                    for name in policy_form.fields
                    if name != "dispatch_weekdays"
                }
                if is_member:
                    typed["dispatch_weekdays"] = request.POST.getlist(
                        "policy-dispatch_weekdays"
                    )
                details = ShippingPolicyInput(**typed)
                try:
                    shipping_settings_save(
                        actor=actor,
                        details=details,
                        rows=[RateRow(**row) for row in _rows_from(formset)],
                        chilled=_chilled_from(chilled)
                        if chilled is not None and chilled.management_form.is_valid()
                        else None,
                        member=member,
                        cluster=cluster,
                    )
                except ValidationFailed as exc:
                    _put_errors(exc, policy_form, formset, chilled)
                    status = 422
                except NotPermitted as exc:
                    raise PermissionDenied(exc.message) from exc
                else:
                    messages.success(request, _("Shipping saved."))
                    return here
    row_errors = [
        (index, field, error)
        for index, form in enumerate(formset.forms)
        for field, errors in form.errors.items()
        for error in errors
    ]
    chilled_forms = list(chilled.forms) if chilled else []
    chilled_rows = [
        {"form": form, "zone": str(Zone(form.initial.get("zone", "north")).label)}
        for form in chilled_forms
    ]
    chilled_errors = [
        (index, str(Zone(form.initial.get("zone", "north")).label), field, error)
        for index, form in enumerate(chilled_forms)
        for field, errors in form.errors.items()
        for error in errors
    ]
    context.update(
        template_context,
        policy=policy,
        summary=_summary(policy),
        policy_form=policy_form,
        formset=formset,
        row_errors=row_errors,
        chilled=chilled,
        chilled_rows=chilled_rows,
        chilled_errors=chilled_errors,
        chilled_summary=_chilled_display(policy),
        dispatch_summary=_dispatch_display(policy),
        can_manage=can_manage,
        is_member_policy=is_member,
    )
    return render(request, "orders/manage/shipping.html", context, status=status)


# --- Member shipping -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_shipping_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A member's own shipping: rates, surcharge, free shipping, pickup."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    context = member_manage_context(
        member=member,
        section="shipping",
        team=member_team_for(actor=actor, member=member),
    )
    can_manage = actor.is_member_team(member.pk)
    return _shipping_page(
        request,
        actor,
        owner=member,
        can_manage=can_manage,
        context=context,
        template_context={
            "defaults": [
                {"cluster": default.cluster, **_summary(default.policy)}
                for default in cluster_defaults_for_member(actor=actor, member=member)
            ]
        },
        here=redirect("orders:member-shipping", slug=member.slug),
    )


# --- Cluster shipping ------------------------------------------------------------


def _cluster_context(cluster: Cluster, section: str) -> dict[str, Any]:
    return cluster_manage_context(cluster, section)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_shipping_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The cluster's default shipping, for every member without its own rates."""
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    return _shipping_page(
        request,
        actor,
        owner=cluster,
        can_manage=actor.is_cluster_admin(cluster.pk),
        context=_cluster_context(cluster, "shipping"),
        template_context={"defaults": []},
        here=redirect("orders:cluster-shipping", slug=cluster.slug),
    )


# --- Pickup events ---------------------------------------------------------------


def _admin_only(actor: Actor, cluster: Cluster) -> None:
    if not actor.is_cluster_admin(cluster.pk):
        raise PermissionDenied(_("Only the cluster's admins change pickup events."))


@login_required
@require_http_methods(["GET"])
def pickup_event_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    events = [
        {
            "event": event,
            "window": event_window_label(event),
            "cutoff": event_cutoff_label(event),
            "members": list(event.members.all()),
        }
        for event in pickup_event_list_for_cluster(actor=actor, cluster=cluster)
    ]
    context = _cluster_context(cluster, "pickup-events")
    context.update(events=events, can_manage=actor.is_cluster_admin(cluster.pk))
    return render(request, "orders/manage/pickup_events.html", context)


def _event_form_page(
    request: HttpRequest,
    actor: Actor,
    cluster: Cluster,
    event: PickupEvent | None,
) -> HttpResponse:
    can_manage = actor.is_cluster_admin(cluster.pk)
    initial = pickup_event_initial(event) if event else {}
    form = PickupEventForm(initial=initial, cluster=cluster)
    status = 200
    if request.method == "POST":
        _admin_only(actor, cluster)
        form = PickupEventForm(request.POST, cluster=cluster)
        form.is_valid()
        try:
            if event is None:
                saved = pickup_event_create(
                    actor=actor, cluster=cluster, details=form.service_data()
                )
                messages.success(
                    request, _("%(name)s is added.") % {"name": saved.name_en}
                )
            else:
                saved = pickup_event_update(
                    actor=actor, event=event, details=form.service_data()
                )
                messages.success(
                    request, _("%(name)s is saved.") % {"name": saved.name_en}
                )
        except ValidationFailed as exc:
            # The service's messages replace the form's own (they say more).
            for name in list(form.errors):
                if name in exc.errors:
                    del form.errors[name]
            form_add_domain_error(form, exc)
            status = 422
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        else:
            return redirect("orders:pickup-events", slug=cluster.slug)
    context = _cluster_context(cluster, "pickup-events")
    context.update(form=form, event=event, can_manage=can_manage)
    if event is not None:
        context.update(
            window=event_window_label(event), cutoff=event_cutoff_label(event)
        )
    return render(
        request, "orders/manage/pickup_event_form.html", context, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def pickup_event_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    _admin_only(actor, cluster)
    return _event_form_page(request, actor, cluster, None)


@login_required
@require_http_methods(["GET", "POST"])
def pickup_event_update_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    event = pickup_event_get_for(actor=actor, cluster=cluster, event_id=pk)
    return _event_form_page(request, actor, cluster, event)


@login_required
@require_http_methods(["GET", "POST"])
def pickup_event_cancel_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    event = pickup_event_get_for(actor=actor, cluster=cluster, event_id=pk)
    _admin_only(actor, cluster)
    if request.method == "POST":
        try:
            pickup_event_cancel(actor=actor, event=event)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, _("%(name)s is cancelled.") % {"name": event.name_en})
        return redirect("orders:pickup-events", slug=cluster.slug)
    context = _cluster_context(cluster, "pickup-events")
    context.update(
        event=event,
        window=event_window_label(event),
        cutoff=event_cutoff_label(event),
    )
    return render(request, "orders/manage/pickup_event_cancel.html", context)

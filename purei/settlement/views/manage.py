"""One order in ``/manage/``, where its parts are worked, cancelled and refunded.

- ``/manage/members/<slug>/orders/<number>/``: one fulfilment of a member: its
  lines, where it goes, the next moves, cancelling lines or all of it (its money
  goes back), refunds made.
- ``/manage/clusters/<slug>/orders/<number>/``: a cluster admin's view of one
  order: marking a bank transfer received, refunds, cancelling a part.

They live in settlement because their actions move money (``payment_mark_received``,
``order_refund``, ``fulfilment_cancel``, ``order_lines_cancel``); the lists and the
packing slip are orders' own (``purei.orders.views.lists``).

The member's team and the cluster's admins change things; platform staff read (a
POST from them is a 403); anyone else gets a 404. Everything works without
JavaScript: each action is a small form posting ``action``.
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
from django.views.decorators.http import require_http_methods

from purei.clusters.manage_selectors import cluster_get_for_admin
from purei.clusters.models import Cluster
from purei.core.actor import Actor, actor_from
from purei.core.errors import DomainError, NotPermitted
from purei.core.forms import form_add_domain_error
from purei.core.money import PriceInvalid, parse_price_cents
from purei.members.models import Member
from purei.members.selectors import member_get_for_team, member_team_for
from purei.orders.hub_selectors import hub_drop_info
from purei.orders.models import Fulfilment, Order
from purei.orders.pickup import pickup_details
from purei.orders.selectors import fulfilment_get_for_team, order_get_for_admin
from purei.orders.services.fulfilment import (
    can_cancel,
    fulfilment_advance,
    moves_for,
)
from purei.orders.shipping import policies_for
from purei.settlement.services import (
    CancelOutcome,
    fulfilment_cancel,
    order_lines_cancel,
    order_refund,
    payment_mark_received,
)
from purei.web.shell import cluster_manage_context, member_manage_context

S = Fulfilment.Status

# What the button for each move says.
MOVE_LABELS = {
    S.PACKED: gettext_lazy("Mark packed"),
    S.SHIPPED: gettext_lazy("Mark shipped"),
    S.READY: gettext_lazy("Mark ready for pickup"),
    S.DELIVERED: gettext_lazy("Mark delivered"),
    S.COLLECTED: gettext_lazy("Mark collected"),
}


# --- Forms: they render and carry text; the services check it -----------------------


class ShipForm(forms.Form):
    carrier = forms.CharField(
        label=gettext_lazy("Carrier"),
        max_length=64,
        help_text=gettext_lazy("e.g. NZ Post, CourierPost, Aramex, NZ Couriers."),
    )
    tracking_number = forms.CharField(
        label=gettext_lazy("Tracking number"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("Recommended: the customer gets it by email."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the customer is told)"),
        max_length=300,
        widget=forms.TextInput,
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note (e.g. the bank statement line)"),
        max_length=300,
        required=False,
    )


class RefundForm(forms.Form):
    amount = forms.CharField(
        label=gettext_lazy("Amount ($)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (the customer is told)"), max_length=300
    )


# --- Helpers ----------------------------------------------------------------------


def _refused(exc: NotPermitted) -> PermissionDenied:
    return PermissionDenied(exc.message)


def _outcome_message(request: HttpRequest, outcome: CancelOutcome) -> None:
    if outcome.refund is not None:
        messages.success(
            request,
            _("Cancelled. %(amount)s was refunded to the customer.")
            % {"amount": "$" + _cents(outcome.refund.amount_cents)},
        )
    elif outcome.refund_error:
        messages.error(
            request,
            _(
                "Cancelled, but the refund failed: %(error)s The cluster's admins "
                "can refund it from the order."
            )
            % {"error": outcome.refund_error},
        )
    else:
        messages.success(request, _("Cancelled. The customer has been told."))


def _cents(cents: int) -> str:
    from purei.core.money import format_cents

    return format_cents(cents)


def _line_quantities(request: HttpRequest, fulfilment: Fulfilment) -> dict[int, int]:
    """``cancel-<line id>`` inputs to {line id: n}; bad numbers become errors in
    the service (as -1)."""
    out: dict[int, int] = {}
    for line in fulfilment.lines.all():
        raw = request.POST.get(f"cancel-{line.pk}", "").strip()
        if not raw:
            continue
        out[line.pk] = int(raw) if raw.isdigit() else -1
    return out


# --- Member: one fulfilment -------------------------------------------------------


def _member_order_post(
    request: HttpRequest,
    actor: Actor,
    member: Member,
    fulfilment: Fulfilment,
    forms_: dict[str, forms.Form],
) -> HttpResponse | None:
    """Do the posted action; a redirect when done, None to show the page again with
    the errors on its form."""
    action = request.POST.get("action", "")
    here = redirect(
        "settlement:member-order", slug=member.slug, number=fulfilment.order.number
    )
    try:
        if action == "advance":
            to = request.POST.get("to", "")
            form = ShipForm(request.POST) if to == S.SHIPPED else None
            if form is not None:
                forms_["ship"] = form
                form.is_valid()
            fulfilment_advance(
                actor=actor,
                fulfilment=fulfilment,
                to=to,
                carrier=request.POST.get("carrier", ""),
                tracking_number=request.POST.get("tracking_number", ""),
            )
            messages.success(
                request,
                _("Marked %(status)s.") % {"status": S(to).label.lower()},
            )
            return here
        if action == "cancel_lines":
            forms_["cancel_lines"] = ReasonForm(request.POST, prefix="lines")
            outcome = order_lines_cancel(
                actor=actor,
                fulfilment=fulfilment,
                quantities=_line_quantities(request, fulfilment),
                reason=request.POST.get("lines-reason", ""),
            )
            _outcome_message(request, outcome)
            return here
        if action == "cancel_all":
            forms_["cancel_all"] = ReasonForm(request.POST, prefix="all")
            outcome = fulfilment_cancel(
                actor=actor,
                fulfilment=fulfilment,
                reason=request.POST.get("all-reason", ""),
            )
            _outcome_message(request, outcome)
            return here
    except NotPermitted as exc:
        raise _refused(exc) from exc
    except DomainError as exc:
        target = {
            "advance": "ship" if "ship" in forms_ else "",
            "cancel_lines": "cancel_lines",
            "cancel_all": "cancel_all",
        }.get(action, "")
        if target and target in forms_:
            form_add_domain_error(forms_[target], exc)
        else:
            messages.error(request, exc.message)
            return here
        return None
    messages.error(request, _("Choose what to do."))
    return here


@login_required
@require_http_methods(["GET", "POST"])
def member_order_view(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    """One fulfilment of the member: lines, where it goes, what to do next."""
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    fulfilment = fulfilment_get_for_team(actor, member, number)
    can_manage = actor.is_member_team(member.pk)
    forms_: dict[str, forms.Form] = {}
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You can see this order; you can't change it."))
        done = _member_order_post(request, actor, member, fulfilment, forms_)
        if done is not None:
            return done
        status = 422
    order = fulfilment.order
    moves = moves_for(fulfilment) if order.may_fulfil else []
    context = member_manage_context(
        member=member,
        section="orders",
        team=member_team_for(actor=actor, member=member),
    )
    context.update(
        fulfilment=fulfilment,
        order=order,
        lines=list(fulfilment.lines.all()),
        refunds=list(fulfilment.refunds.all()),
        pickup=pickup_details(fulfilment, order.cluster),
        moves=[
            {"to": to, "label": MOVE_LABELS[S(to)]} for to in moves if to != S.SHIPPED
        ],
        can_ship=S.SHIPPED in moves,
        ship_form=forms_.get("ship") or ShipForm(),
        cancel_lines_form=forms_.get("cancel_lines") or ReasonForm(prefix="lines"),
        cancel_all_form=forms_.get("cancel_all") or ReasonForm(prefix="all"),
        can_cancel=can_cancel(fulfilment),
        can_manage=can_manage,
        is_paid=order.may_fulfil,
        hub_drop=hub_drop_info(fulfilment),
    )
    return render(request, "orders/manage/member_order.html", context, status=status)


# --- Cluster admins --------------------------------------------------------------


def _cluster_context(cluster: Cluster) -> dict[str, Any]:
    return cluster_manage_context(cluster, "orders")


def _cluster_order_post(
    request: HttpRequest,
    actor: Actor,
    order: Order,
    forms_: dict[str, forms.Form],
) -> HttpResponse | None:
    action = request.POST.get("action", "")
    here = redirect(
        "settlement:cluster-order", slug=order.cluster.slug, number=order.number
    )
    try:
        if action == "mark_received":
            forms_["received"] = NoteForm(request.POST)
            payment_mark_received(
                actor=actor, order=order, note=request.POST.get("note", "")
            )
            messages.success(request, _("Bank transfer recorded as received."))
            return here
        if action == "refund":
            form = RefundForm(request.POST)
            forms_["refund"] = form
            try:
                cents = parse_price_cents(request.POST.get("amount", ""))
            except PriceInvalid:
                form.add_error("amount", _("Give an amount like 12.50."))
                return None
            refund = order_refund(
                actor=actor,
                order=order,
                amount_cents=cents,
                reason=request.POST.get("reason", ""),
            )
            messages.success(
                request,
                _("%(amount)s refunded.")
                % {"amount": "$" + _cents(refund.amount_cents)},
            )
            return here
        if action == "cancel_fulfilment":
            forms_["cancel"] = ReasonForm(request.POST, prefix="cancel")
            chosen = request.POST.get("fulfilment", "")
            fulfilment = next(
                (f for f in order.fulfilments.all() if str(f.pk) == chosen), None
            )
            if fulfilment is None:
                messages.error(request, _("Choose which part to cancel."))
                return here
            outcome = fulfilment_cancel(
                actor=actor,
                fulfilment=fulfilment,
                reason=request.POST.get("cancel-reason", ""),
            )
            _outcome_message(request, outcome)
            return here
    except NotPermitted as exc:
        raise _refused(exc) from exc
    except DomainError as exc:
        target = {
            "mark_received": "received",
            "refund": "refund",
            "cancel_fulfilment": "cancel",
        }.get(action, "")
        if target in forms_:
            form_add_domain_error(
                forms_[target], exc, field_map={"amount_cents": "amount"}
            )
            return None
        messages.error(request, exc.message)
        return here
    messages.error(request, _("Choose what to do."))
    return here


@login_required
@require_http_methods(["GET", "POST"])
def cluster_order_view(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    """One order of the cluster, every part of it, its payments and refunds."""
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=slug)
    order = order_get_for_admin(actor, cluster, number)
    can_manage = actor.is_cluster_admin(cluster.pk)
    forms_: dict[str, forms.Form] = {}
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied(_("You can see this order; you can't change it."))
        done = _cluster_order_post(request, actor, order, forms_)
        if done is not None:
            return done
        status = 422
    payments = list(order.payments.all())
    refunds = [refund for payment in payments for refund in payment.refunds.all()]
    fulfilments = list(order.fulfilments.all())
    # One read of the shipping of every part collected at the maker's premises.
    policies = policies_for(
        cluster,
        [
            f.member_id
            for f in fulfilments
            if f.method != Fulfilment.Method.DELIVERY and f.pickup_event_id is None
        ],
    )
    context = _cluster_context(cluster)
    context.update(
        order=order,
        fulfilments=[
            {
                "fulfilment": f,
                "can_cancel": can_cancel(f),
                "pickup": pickup_details(f, cluster, policies),
            }
            for f in fulfilments
        ],
        payments=payments,
        refunds=refunds,
        pending_transfer=any(
            p.gateway == "bank_transfer" and p.status == "pending" for p in payments
        ),
        refundable_cents=sum(p.refundable_cents for p in payments),
        received_form=forms_.get("received") or NoteForm(),
        refund_form=forms_.get("refund") or RefundForm(),
        cancel_form=forms_.get("cancel") or ReasonForm(prefix="cancel"),
        can_manage=can_manage,
    )
    return render(request, "orders/manage/cluster_order.html", context, status=status)

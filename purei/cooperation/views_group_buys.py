"""Group buys' pages, under ``/manage/together/<cluster>/group-buys/…``
(docs/cooperation.md "Group buying"), and the page of customers who agreed to
hear from the other makers of their order."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.core.errors import DomainError

from .forms import CommitmentForm, GroupBuyForm, lines_of_pairs
from .models import GroupBuy, Settlement
from .selectors import (
    commitment_get,
    commitments_visible,
    group_buy_get,
    group_buy_list,
    shared_customers,
)
from .services.group_buys import (
    GroupBuyInput,
    commitment_set,
    group_buy_close,
    group_buy_propose,
    share_offset,
    share_payment_record,
)
from .views import _access, _context, _refused


@login_required
@require_GET
def group_buys_view(request: HttpRequest, slug: str) -> HttpResponse:
    _actor, access = _access(request, slug)
    group_buys = list(group_buy_list(access=access)[:200])
    return render(
        request,
        "cooperation/group_buys.html",
        _context(access, "group_buys", group_buys=group_buys, now=timezone.now()),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_buy_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, access = _access(request, slug)
    form = GroupBuyForm(members=access.members)
    status = 200
    if request.method == "POST":
        form = GroupBuyForm(request.POST, members=access.members)
        form.is_valid()
        post = request.POST
        details = GroupBuyInput(
            kind=post.get("kind", ""),
            title=post.get("title", ""),
            description=post.get("description", ""),
            supplier=post.get("supplier", ""),
            unit=post.get("unit", ""),
            target_quantity=post.get("target_quantity", ""),
            cap=post.get("cap") or None,
            deadline=post.get("deadline", ""),
            arrangement=post.get("arrangement", ""),
            arrangement_details=post.get("arrangement_details", ""),
            shared_cost=post.get("shared_cost", "") or 0,
            tiers=lines_of_pairs(post.get("tiers", "")),
            member=post.get("member") or None,
        )
        try:
            group_buy = group_buy_propose(actor=actor, access=access, details=details)
        except DomainError as exc:
            _refused(form, exc)
            status = 422
        else:
            messages.success(request, _("Your group buy is open for commitments."))
            return redirect("cooperation:group-buy", slug=slug, pk=group_buy.pk)
    return render(
        request,
        "cooperation/group_buy_form.html",
        _context(access, "group_buys", form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_buy_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, access = _access(request, slug)
    group_buy = group_buy_get(access=access, group_buy_id=pk)
    commitments = commitments_visible(access=access, group_buy=group_buy)
    own = {c.member_id: c for c in commitments if c.member_id in access.member_ids}
    first = next(iter(own.values()), None)
    form = CommitmentForm(
        members=access.members,
        initial={
            "quantity": first.quantity if first else "",
            "settle_by": first.settle_by if first else Settlement.OFFSET,
        },
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "commit")
        form = CommitmentForm(request.POST, members=access.members)
        form.is_valid()
        try:
            if action == "close":
                group_buy_close(actor=actor, group_buy=group_buy)
                messages.success(request, _("The group buy is closed."))
            elif action in {"paid", "offset"}:
                commitment = commitment_get(
                    access=access,
                    commitment_id=int(request.POST.get("commitment", "0") or 0),
                )
                if action == "paid":
                    share_payment_record(
                        actor=actor, access=access, commitment=commitment
                    )
                    messages.success(request, _("The payment is recorded."))
                else:
                    share_offset(actor=actor, access=access, commitment=commitment)
                    messages.success(
                        request, _("Your share will be taken off your next payout.")
                    )
            else:
                if not access.members:
                    raise PermissionDenied(_("Only member businesses commit."))
                commitment_set(
                    actor=actor,
                    access=access,
                    group_buy=group_buy,
                    quantity=request.POST.get("quantity", ""),
                    settle_by=request.POST.get("settle_by", ""),
                    member=request.POST.get("member") or None,
                )
                messages.success(request, _("Your commitment is saved."))
        except DomainError as exc:
            _refused(form, exc)
            status = 422
        else:
            return redirect("cooperation:group-buy", slug=slug, pk=group_buy.pk)
    now = timezone.now()
    context = _context(
        access,
        "group_buys",
        group_buy=group_buy,
        commitments=commitments,
        own=own,
        form=form,
        is_open=group_buy.status == GroupBuy.Status.OPEN and group_buy.deadline > now,
        left=(
            max(group_buy.cap - group_buy.committed_quantity, 0)
            if group_buy.cap is not None
            else None
        ),
        owner_ids={m.pk for m in access.members if actor.is_member_owner(m.pk)},
    )
    return render(request, "cooperation/group_buy.html", context, status=status)


@login_required
@require_GET
def customers_view(request: HttpRequest, slug: str) -> HttpResponse:
    _actor, access = _access(request, slug)
    if not access.members:
        raise PermissionDenied(_("Only member businesses see their customers here."))
    wanted = request.GET.get("member", "")
    member = next((m for m in access.members if m.slug == wanted), access.members[0])
    context = _context(
        access,
        "customers",
        member=member,
        customers=shared_customers(access=access, member=member),
    )
    return render(request, "cooperation/customers.html", context)

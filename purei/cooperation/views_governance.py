"""Governing the cluster: levies and votes, under
``/manage/together/<cluster>/levies/…`` and ``…/votes/…``
(docs/cooperation.md "Levies" and "Votes")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.core.errors import DomainError

from .forms import LevyForm, MinutesForm, MotionForm, lines_of_pairs
from .selectors import (
    levy_bill_get,
    levy_bills_overdue,
    levy_bills_visible,
    levy_get,
    levy_list,
    motion_get,
    motion_list,
    own_ballots,
)
from .services.levies import (
    LevyInput,
    levy_bill,
    levy_create,
    levy_offset,
    levy_payment_record,
)
from .services.votes import (
    MotionInput,
    ballot_cast,
    minutes_attach,
    motion_close,
    motion_open,
)
from .views import _access, _context, _download, _refused

# --- Levies ---------------------------------------------------------------------


@login_required
@require_GET
def levies_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, access = _access(request, slug)
    context = _context(
        access,
        "levies",
        levies=list(levy_list(access=access)),
        bills=list(levy_bills_visible(access=access)[:300]),
        overdue=levy_bills_overdue(access=access),
        today=timezone.localdate(),
        owner_ids={m.pk for m in access.members if actor.is_member_owner(m.pk)},
    )
    return render(request, "cooperation/levies.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def levy_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, access = _access(request, slug)
    if not access.is_admin:
        raise PermissionDenied(_("Only the cluster's admins set levies."))
    form = LevyForm()
    status = 200
    if request.method == "POST":
        form = LevyForm(request.POST)
        form.is_valid()
        post = request.POST
        details = LevyInput(
            name=post.get("name", ""),
            period=post.get("period", ""),
            basis=post.get("basis", ""),
            amount=post.get("amount", "") or 0,
            due_days=post.get("due_days", "") or 30,
            bands=lines_of_pairs(post.get("bands", "")),
        )
        try:
            levy = levy_create(actor=actor, access=access, details=details)
        except DomainError as exc:
            _refused(form, exc)
            status = 422
        else:
            messages.success(request, _("The levy is set. Bill the members from it."))
            return redirect("cooperation:levy", slug=slug, pk=levy.pk)
    return render(
        request,
        "cooperation/levy_form.html",
        _context(access, "levies", form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def levy_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, access = _access(request, slug)
    levy = levy_get(access=access, levy_id=pk)
    status = 200
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "bill":
                made = levy_bill(actor=actor, access=access, levy=levy)
                messages.success(
                    request,
                    _("%(n)s members billed for this period.") % {"n": len(made)},
                )
            elif action in {"paid", "offset"}:
                bill = levy_bill_get(
                    access=access, bill_id=int(request.POST.get("bill", "0") or 0)
                )
                if action == "paid":
                    levy_payment_record(actor=actor, access=access, bill=bill)
                    messages.success(request, _("The payment is recorded."))
                else:
                    levy_offset(actor=actor, access=access, bill=bill)
                    messages.success(
                        request, _("The levy will be taken off your next payout.")
                    )
            else:
                raise Http404
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            error = exc.message
            status = 422
        else:
            return redirect("cooperation:levy", slug=slug, pk=levy.pk)
    bills = [b for b in levy_bills_visible(access=access) if b.levy_id == levy.pk]
    context = _context(
        access,
        "levies",
        levy=levy,
        bills=bills,
        error=error,
        today=timezone.localdate(),
        owner_ids={m.pk for m in access.members if actor.is_member_owner(m.pk)},
    )
    return render(request, "cooperation/levy.html", context, status=status)


# --- Votes ----------------------------------------------------------------------


@login_required
@require_GET
def votes_view(request: HttpRequest, slug: str) -> HttpResponse:
    _actor, access = _access(request, slug)
    context = _context(access, "votes", motions=list(motion_list(access=access)[:100]))
    return render(request, "cooperation/votes.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def vote_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, access = _access(request, slug)
    if not access.is_admin:
        raise PermissionDenied(_("Only the cluster's admins open votes."))
    form = MotionForm()
    status = 200
    if request.method == "POST":
        form = MotionForm(request.POST)
        form.is_valid()
        post = request.POST
        details = MotionInput(
            title=post.get("title", ""),
            body=post.get("body", ""),
            kind=post.get("kind", ""),
            options=post.get("options", "").splitlines(),
            quorum_percent=post.get("quorum_percent", "") or 0,
            closes_at=post.get("closes_at", ""),
        )
        try:
            motion = motion_open(actor=actor, access=access, details=details)
        except DomainError as exc:
            _refused(form, exc)
            status = 422
        else:
            messages.success(request, _("The vote is open."))
            return redirect("cooperation:vote", slug=slug, pk=motion.pk)
    return render(
        request,
        "cooperation/vote_form.html",
        _context(access, "votes", form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def vote_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, access = _access(request, slug)
    motion = motion_get(access=access, motion_id=pk)
    minutes_form = MinutesForm()
    status = 200
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "vote")
        try:
            if action == "close":
                motion_close(actor=actor, motion=motion)
                messages.success(request, _("The vote is closed."))
            elif action == "minutes":
                minutes_form = MinutesForm(request.POST, request.FILES)
                minutes_attach(
                    actor=actor,
                    access=access,
                    motion=motion,
                    upload=request.FILES.get("minutes"),
                )
                messages.success(request, _("The minutes are attached."))
            else:
                if not access.members:
                    raise PermissionDenied(_("Member businesses vote."))
                ballot_cast(
                    actor=actor,
                    access=access,
                    motion=motion,
                    option=request.POST.get("option", ""),
                    member=request.POST.get("member") or None,
                )
                messages.success(request, _("Your vote is recorded."))
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            error = exc.message
            if action == "minutes":
                _refused(minutes_form, exc)
            status = 422
        else:
            return redirect("cooperation:vote", slug=slug, pk=motion.pk)
    ballots = own_ballots(access=access, motion=motion)
    options = list(motion.options.all())
    tally = [
        (option, (motion.tally or {}).get(str(option.pk), 0)) for option in options
    ]
    context = _context(
        access,
        "votes",
        motion=motion,
        options=options,
        tally=tally,
        ballots=ballots,
        voters=[
            (m, ballots.get(m.pk))
            for m in access.members
            if actor.is_member_owner(m.pk)
        ],
        is_open=motion.closed_at is None and motion.closes_at > timezone.now(),
        minutes_form=minutes_form,
        error=error,
    )
    return render(request, "cooperation/vote.html", context, status=status)


@login_required
@require_GET
def vote_minutes_view(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    _actor, access = _access(request, slug)
    motion = motion_get(access=access, motion_id=pk)
    name = str(motion.minutes.name or "")
    extension = name.rsplit(".", 1)[-1]
    return _download(name, f"minutes-{motion.pk}.{extension}")

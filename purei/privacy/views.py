"""Pages of people's own data: a shopper's (``/accounts/data/``,
``/accounts/close/``) and a member business's export (``/manage/members/<slug>/
data/``). Thin: each calls one selector, export or service."""

from __future__ import annotations

import tempfile
import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.accounts.models import User
from purei.core.actor import actor_from
from purei.core.downloads import private_download, private_file
from purei.core.errors import DomainError
from purei.core.forms import form_add_domain_error
from purei.members.selectors import member_team_for
from purei.web.shell import member_manage_context

from .exports import (
    member_export_filename,
    member_export_write,
    shopper_export_json,
)
from .forms import AccountCloseForm
from .selectors import member_get_for_export
from .services import account_close, account_close_refusal


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required before
    return user


@login_required
@require_GET
def account_data_view(request: HttpRequest) -> HttpResponse:
    """What Pūrei keeps about the person, the download, and the way out."""
    user = _user(request)
    return render(
        request,
        "privacy/account_data.html",
        {"refusal": account_close_refusal(user=user)},
    )


@login_required
@require_GET
def account_data_download_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return private_download(
        shopper_export_json(user=user),
        "application/json",
        "purei-account-data.json",
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_close_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    user = _user(request)
    refusal = account_close_refusal(user=user)
    form = AccountCloseForm(request.POST or None)
    status = 403 if refusal and request.method == "POST" else 200
    if request.method == "POST" and refusal is None:
        if form.is_valid():
            try:
                account_close(actor=actor, password=form.cleaned_data["password"])
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                logout(request)
                messages.success(
                    request,
                    _(
                        "Your account is closed. Orders that the law makes us "
                        "keep stay, without your name or contact details."
                    ),
                )
                return redirect("web:home")
        status = 400
    return render(
        request,
        "privacy/account_close.html",
        {"form": form, "refusal": refusal},
        status=status,
    )


@login_required
@require_GET
def member_data_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_export(actor=actor, slug=slug)
    context = member_manage_context(
        member=member, section="data", team=member_team_for(actor=actor, member=member)
    )
    return render(request, "privacy/member_data.html", context)


@login_required
@require_GET
def member_data_export_view(request: HttpRequest, slug: str) -> FileResponse:
    """The member's ZIP, written to a temporary file and sent from it."""
    actor = actor_from(request)
    member = member_get_for_export(actor=actor, slug=slug)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    started = time.monotonic()
    member_export_write(actor=actor, member=member, out=handle)
    handle.seek(0)
    response = private_file(handle, "application/zip", member_export_filename(member))
    response["Server-Timing"] = f"export;dur={(time.monotonic() - started) * 1000:.0f}"
    return response

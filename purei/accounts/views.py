"""Accepting an emailed invitation: confirm, create the account, or log in first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from purei.core.errors import DomainError, ValidationFailed
from purei.core.forms import form_add_domain_error

from .errors import InvitationUnusable
from .forms import InvitationSignupForm
from .models import Invitation, User
from .selectors import invitation_get_by_token, user_get_by_email
from .services import invitation_accept, invitation_accept_with_signup

# The service names the new password "password"; the form shows it as password1.
SIGNUP_FIELD_MAP = {"password": "password1", "email": "email"}


def _unusable(request: HttpRequest, exc: InvitationUnusable) -> HttpResponse:
    return render(
        request, "accounts/invitation_invalid.html", {"error": exc}, status=exc.status
    )


def _accepted(request: HttpRequest, invitation: Invitation, user: User) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    cluster = invitation.cluster
    messages.success(
        request,
        _("Kia ora! You're now %(role)s of %(cluster)s.")
        % {"role": invitation.get_role_display(), "cluster": cluster.name},
    )
    return redirect("clusters:home", slug=cluster.slug)


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_get_by_token(token)
    except InvitationUnusable as exc:
        return _unusable(request, exc)
    here = reverse("accounts:invitation-accept", kwargs={"token": token})
    context: dict[str, object] = {
        "invitation": invitation,
        "cluster": invitation.cluster,
        "here": here,
    }
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(
                request,
                "accounts/invitation_wrong_user.html",
                context,
                status=403,
            )
        if request.method == "POST":
            try:
                invitation_accept(invitation=invitation, user=user)
            except InvitationUnusable as exc:
                return _unusable(request, exc)
            return _accepted(request, invitation, user)
        return render(request, "accounts/invitation_confirm.html", context)

    if user_get_by_email(invitation.email) is not None:
        return render(request, "accounts/invitation_login.html", context)

    form = InvitationSignupForm(
        request.POST if request.method == "POST" else None,
        invited_email=invitation.email,
    )
    if request.method == "POST" and form.is_valid():
        try:
            new_user = invitation_accept_with_signup(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except InvitationUnusable as exc:
            return _unusable(request, exc)
        except (ValidationFailed, DomainError) as exc:
            form_add_domain_error(form, exc, field_map=SIGNUP_FIELD_MAP)
        else:
            return _accepted(request, invitation, new_user)
    return render(request, "accounts/invitation_signup.html", {**context, "form": form})

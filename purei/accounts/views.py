"""Accounts on the web: sign up, the account page, email and password changes,
password reset by email, and accepting an emailed invitation."""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from purei.core.actor import actor_from
from purei.core.errors import DomainError, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.core.ratelimit import rate_limit_request

from .errors import EmailChangeUnusable, InvitationUnusable
from .forms import (
    EmailChangeForm,
    InvitationSignupForm,
    SignupForm,
    SiteUrlPasswordResetForm,
)
from .models import Invitation, User
from .selectors import (
    EMAIL_CHANGE_MAX_AGE,
    account_roles_for,
    email_change_get_by_token,
    invitation_get_by_token,
    invitation_target,
    user_get_by_email,
)
from .services import (
    email_change_confirm,
    email_change_request,
    invitation_accept,
    invitation_accept_with_signup,
    user_signup,
)

# Logins made by Pūrei itself (after sign-up, invitation or password reset) name the
# backend: django-axes's backend comes first in AUTHENTICATION_BACKENDS.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _manage_url() -> str:
    """The management screens (``members:dashboard``), where people land after
    accepting a member-business role."""
    try:
        return reverse("members:dashboard")
    except NoReverseMatch:
        return "/manage/"


# The service names the new password "password"; the form shows it as password1.
SIGNUP_FIELD_MAP = {"password": "password1", "email": "email"}


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


# --- Sign up and the account page -------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:account")
    if request.method == "POST":
        rate_limit_request(request, "signup", email=request.POST.get("email"))
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_signup(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                language=get_language(),
            )
        except (ValidationFailed, DomainError) as exc:
            form_add_domain_error(form, exc, field_map=SIGNUP_FIELD_MAP)
        else:
            login(request, user, backend=MODEL_BACKEND)
            messages.success(
                request,
                _("Kia ora %(name)s, welcome to Pūrei! Your account is ready.")
                % {"name": user.get_short_name()},
            )
            return redirect(_safe_next(request) or reverse("accounts:account"))
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "next": _safe_next(request) or ""},
    )


def _safe_path(request: HttpRequest, value: object) -> str:
    """``value`` if it is a URL on this site (no other host, no scheme switch)."""
    url = str(value or "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


class PureiLoginView(auth_views.LoginView):
    """Log in, then go on:

    1. to ``next`` when a page asked for it (a page behind the login, an
       invitation, the trade portal), if it is on this site;
    2. otherwise, people with a manage role to ``/manage/``;
    3. otherwise back where they were (``back``, set by the header's link),
       if it is on this site;
    4. otherwise the home page.
    """

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        explicit = _safe_path(self.request, self.request.POST.get("next"))
        if explicit:
            return explicit
        if actor_from(self.request).has_manage_role:
            return reverse("members:dashboard")
        back = _safe_path(self.request, self.request.POST.get("back"))
        if back and not back.startswith(reverse("accounts:login")):
            return back
        return str(self.get_default_redirect_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        source = (
            self.request.POST if self.request.method == "POST" else self.request.GET
        )
        context["back"] = _safe_path(self.request, source.get("back"))
        return context


@login_required
@require_http_methods(["GET"])
def account_view(request: HttpRequest) -> HttpResponse:
    roles = account_roles_for(actor=actor_from(request))
    return render(
        request, "accounts/account.html", {"roles": roles, "manage_url": _manage_url()}
    )


# --- Changing the email address ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def email_change_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        rate_limit_request(
            request,
            "email_change",
            account=request.user.pk,
            email=request.POST.get("new_email"),
        )
    form = EmailChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            new_email = email_change_request(
                actor=actor_from(request),
                new_email=form.cleaned_data["new_email"],
                password=form.cleaned_data["password"],
                language=get_language(),
            )
        except ValidationFailed as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "We've sent a link to %(email)s. Open it within %(days)s days to "
                    "confirm your new address; until then, keep logging in with "
                    "%(current)s."
                )
                % {
                    "email": new_email,
                    "days": EMAIL_CHANGE_MAX_AGE.days,
                    "current": getattr(request.user, "email", ""),
                },
            )
            return redirect("accounts:account")
    return render(request, "accounts/email_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def email_change_confirm_view(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to the new address: shows what will change, changes it on POST
    (a GET never changes anything, so link scanners in mail systems are harmless)."""
    try:
        if request.method != "POST":
            user, new_email = email_change_get_by_token(token)
            return render(
                request,
                "accounts/email_change_confirm.html",
                {"account": user, "new_email": new_email, "token": token},
            )
        user = email_change_confirm(token=token, language=get_language())
    except EmailChangeUnusable as exc:
        return render(
            request,
            "accounts/email_change_invalid.html",
            {"error": exc},
            status=exc.status,
        )
    if request.user.is_authenticated and request.user.pk == user.pk:
        # The session stays, with a fresh key.
        update_session_auth_hash(request, user)
        messages.success(
            request,
            _("Your email address is now %(email)s.") % {"email": user.email},
        )
        return redirect("accounts:account")
    messages.success(
        request,
        _("Your email address is now %(email)s. Log in with it.")
        % {"email": user.email},
    )
    if request.user.is_authenticated:
        return redirect("web:home")
    return redirect("accounts:login")


# --- Passwords ----------------------------------------------------------------------


class AccountPasswordChangeView(auth_views.PasswordChangeView):
    """Change the password; the person stays logged in (Django keeps the session,
    with a fresh key and the new password's hash)."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


class AccountPasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link; limited per address and per inbox (a refusal sends
    nothing, whether or not an account has that address)."""

    form_class = SiteUrlPasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password-reset-done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        rate_limit_request(request, "password_reset", email=request.POST.get("email"))
        return super().post(request, *args, **kwargs)


class AccountPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class AccountPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Set a new password from the emailed link, then log straight in (which also
    lifts a login pause on the account: the link proves the person owns it)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
    post_reset_login = True
    post_reset_login_backend = MODEL_BACKEND

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username().lower())
        return response


class AccountPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


password_change_view = AccountPasswordChangeView.as_view()
password_reset_view = AccountPasswordResetView.as_view()
password_reset_done_view = AccountPasswordResetDoneView.as_view()
password_reset_confirm_view = AccountPasswordResetConfirmView.as_view()
password_reset_complete_view = AccountPasswordResetCompleteView.as_view()


# --- Invitations --------------------------------------------------------------------


def _unusable(request: HttpRequest, exc: InvitationUnusable) -> HttpResponse:
    return render(
        request, "accounts/invitation_invalid.html", {"error": exc}, status=exc.status
    )


def _business_join_url(invitation: Invitation, token: str) -> str:
    """The cluster's join page, carrying the invitation (checked again there)."""
    path = reverse("members:join", kwargs={"slug": invitation_target(invitation).slug})
    return f"{path}?{urlencode({'invitation': token})}"


def _accepted(request: HttpRequest, invitation: Invitation, user: User) -> HttpResponse:
    login(request, user, backend=MODEL_BACKEND)
    target = invitation_target(invitation)
    messages.success(
        request,
        _("Kia ora! You're now %(role)s of %(cluster)s.")
        % {"role": invitation.get_role_display(), "cluster": target.name},
    )
    if invitation.cluster is not None:
        return redirect("catalogue:cluster-home", slug=invitation.cluster.slug)
    return redirect(_manage_url())


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_get_by_token(token)
    except InvitationUnusable as exc:
        return _unusable(request, exc)
    here = reverse("accounts:invitation-accept", kwargs={"token": token})
    context: dict[str, Any] = {
        "invitation": invitation,
        "cluster": invitation.cluster,
        "target": invitation_target(invitation),
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
        if invitation.is_for_business:
            # Nothing to accept here: the business joins on the join page.
            return redirect(_business_join_url(invitation, token))
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
                language=get_language(),
            )
        except InvitationUnusable as exc:
            return _unusable(request, exc)
        except (ValidationFailed, DomainError) as exc:
            form_add_domain_error(form, exc, field_map=SIGNUP_FIELD_MAP)
        else:
            if invitation.is_for_business:
                login(request, new_user, backend=MODEL_BACKEND)
                messages.success(
                    request,
                    _(
                        "Kia ora %(name)s, your account is ready. Now choose the "
                        "business that joins %(cluster)s, or register it."
                    )
                    % {
                        "name": new_user.get_short_name(),
                        "cluster": invitation_target(invitation).name,
                    },
                )
                return redirect(_business_join_url(invitation, token))
            return _accepted(request, invitation, new_user)
    return render(request, "accounts/invitation_signup.html", {**context, "form": form})

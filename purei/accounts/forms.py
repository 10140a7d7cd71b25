"""Forms of the accounts app. Rules live in services; these parse input and give
each field a clear error."""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from purei.core.links import absolute_url
from purei.core.mail import send_templated_email

from .models import User
from .ratelimit import cooloff
from .selectors import user_get_by_email

logger = logging.getLogger(__name__)

PASSWORD_HELP = _(
    "At least 8 characters; not a common password, not only numbers and not too "
    "like your name or email."
)


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_username(self) -> str:
        # Accounts are stored lower-case; "Mere@Example.NZ" logs in as mere@….
        return str(self.cleaned_data.get("username") or "").strip().lower()

    def get_invalid_login_error(self) -> ValidationError:
        error = super().get_invalid_login_error()
        failures = getattr(self.request, "axes_failures_since_start", None)
        limit = self._failure_limit()
        if not isinstance(failures, int) or limit is None:
            return error
        left = limit - failures
        if not 0 < left <= 3:
            return error
        minutes = max(1, int(cooloff().total_seconds() // 60))
        warning = ngettext(
            "%(count)s more failed attempt and logging in will be paused for "
            "%(minutes)s minutes.",
            "%(count)s more failed attempts and logging in will be paused for "
            "%(minutes)s minutes.",
            left,
        ) % {"count": left, "minutes": minutes}
        return ValidationError([error, ValidationError(warning, code="attempts_left")])

    @staticmethod
    def _failure_limit() -> int | None:
        limit = getattr(settings, "AXES_FAILURE_LIMIT", None)
        return limit if isinstance(limit, int) else None


class _NewAccountForm(forms.Form):
    """A name and a new password typed twice, checked by Django's validators."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Tell us your name.")},
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HELP,
        error_messages={"required": _("Choose a password.")},
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again, to be sure."),
        error_messages={"required": _("Type the password again.")},
    )

    def account_email(self) -> str:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords don't match."))
        elif password1:
            user = User(
                email=self.account_email(), full_name=cleaned.get("full_name", "")
            )
            try:
                password_validation.validate_password(password1, user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class SignupForm(_NewAccountForm):
    """A new account: email, name and password."""

    field_order = ["email", "full_name", "password1", "password2"]

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("You'll log in with it, and we'll write to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter a valid email address, like name@example.nz."),
        },
    )

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email") or "").strip().lower()
        if email and user_get_by_email(email) is not None:
            raise ValidationError(
                _(
                    "An account with this email address already exists. Log in, or "
                    "reset your password if you've forgotten it."
                ),
                code="email_taken",
            )
        return email

    def account_email(self) -> str:
        return str(self.cleaned_data.get("email") or self.data.get("email") or "")


class InvitationSignupForm(_NewAccountForm):
    """Create the invited person's account: the email is fixed to the invited one."""

    field_order = ["email", "full_name", "password1", "password2"]

    email = forms.EmailField(
        label=_("Email address"),
        disabled=True,
        required=False,
        help_text=_("The invitation was sent to this address; you'll log in with it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, invited_email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invited_email = invited_email
        self.fields["email"].initial = invited_email

    def account_email(self) -> str:
        return self.invited_email


class EmailChangeForm(forms.Form):
    """A new email address, confirmed with the current password."""

    new_email = forms.EmailField(
        label=_("New email address"),
        max_length=254,
        help_text=_(
            "We'll send a link to this address. Your email changes when you open it."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter the new email address."),
            "invalid": _("Enter a valid email address, like name@example.nz."),
        },
    )
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it's you."),
        error_messages={"required": _("Enter your current password.")},
    )


class SiteUrlPasswordResetForm(PasswordResetForm):
    """Django's reset form, emailing our own templates with a link on SITE_URL."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter the email address you log in with."),
            "invalid": _("Enter a valid email address, like name@example.nz."),
        },
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        path = reverse(
            "accounts:password-reset-confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        try:
            send_templated_email(
                to=to_email,
                template_prefix="accounts/email/password_reset",
                context={
                    "user": context["user"],
                    "url": absolute_url(path),
                    "max_age_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
                },
                language=translation.get_language(),
            )
        except Exception:  # Django's own form does the same: log, never leak.
            logger.exception(
                "Failed to send a password reset email to user %s", context["user"].pk
            )

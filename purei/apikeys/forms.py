"""The form that makes an API key (the manage pages)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scopes import SCOPE_LABELS, Scope

FIELD_MAP = {"name": "name", "scopes": "scopes", "expires_at": "expires_on"}


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, such as “Xero sync” or “Market stall POS”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose only what the software needs."),
    )
    expires_on = forms.DateField(
        label=_("Last day it works (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a key that works until you revoke it."),
    )

    def __init__(self, *args: object, scopes: tuple[Scope, ...], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scopes"].choices = [  # type: ignore[attr-defined]
            (scope.value, f"{SCOPE_LABELS[scope]} ({scope.value})") for scope in scopes
        ]

    def expires_at(self) -> dt.datetime | None:
        """The end of the chosen day, in New Zealand time."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
        return timezone.make_aware(start, timezone.get_default_timezone())

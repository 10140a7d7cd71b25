"""The forms of reviews' pages: a buyer's review (stars as radio buttons), the
maker's reply, a curator's decision and the cluster's setting."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from purei.marketing.services.reviews import MAX_BODY, MAX_REASON, MAX_REPLY

STAR_CHOICES = [
    (1, _("1 star: poor")),
    (2, _("2 stars: fair")),
    (3, _("3 stars: good")),
    (4, _("4 stars: very good")),
    (5, _("5 stars: excellent")),
]


class ReviewForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from 1 to 5 stars.")},
    )
    body = forms.CharField(
        label=_("Your review"),
        help_text=_(
            "What was it like? Shown with your first name and the initial of your "
            "last name."
        ),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say something about it.")},
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your reply"),
        help_text=_("One reply, shown under the review. It can't be changed."),
        max_length=MAX_REPLY,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerateForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", "approve"), ("reject", "reject"), ("hide", "hide")]
    )
    reason = forms.CharField(max_length=MAX_REASON, required=False)


class ReviewSettingsForm(forms.Form):
    needs_approval = forms.TypedChoiceField(
        label=_("New reviews"),
        choices=[
            (True, _("wait for a curator before they show")),
            (False, _("show at once (curators can hide them later)")),
        ],
        coerce=lambda value: value in (True, "True", "true", "1"),
        widget=forms.RadioSelect,
    )

"""HTML forms of the clusters app: applying to form a cluster, and deciding it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .finder import GRAPH
from .models import ClusterApplication, ClusterType, LeadOrganisationKind, Region
from .rules import type_rule_errors
from .services import (
    APPLICATION_FORM_FIELDS,
    MAX_EXPECTED_MEMBERS,
    MIN_EXPECTED_MEMBERS,
    SLUG_MAX_LENGTH,
    ApplicationInput,
    required_messages,
)

FINDER_KEYS = GRAPH.keys
_YES = {"yes", "y", "true", "1", "on"}
_NO = {"no", "n", "false", "0", "off"}


def yes_no(value: object) -> bool | None:
    """ "yes"/"no" (and true/false, 1/0) as a bool; anything else is None."""
    text = str(value or "").strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


def _type_from_answers(answers: dict[str, bool]) -> str | None:
    place, specialisation = (answers.get(key) for key in FINDER_KEYS)
    if place is None or specialisation is None:
        return None
    if place and specialisation:
        return ClusterType.TRADITIONAL
    if specialisation:
        return ClusterType.VIRTUAL
    if place:
        return ClusterType.LOCAL
    return None


def finder_summary(answers: dict[str, Any]) -> list[str]:
    """Stored finder answers in words: ["you share a place", …]."""
    phrases = {
        ("shared_place", True): _("you share a place"),
        ("shared_place", False): _("you don't share a place"),
        ("shared_specialisation", True): _("you share a specialisation"),
        ("shared_specialisation", False): _("you don't share a specialisation"),
    }
    return [
        str(phrases[(key, answers[key])])
        for key in FINDER_KEYS
        if isinstance(answers.get(key), bool)
    ]


class RegionChoiceField(forms.ModelMultipleChoiceField[Region]):
    """Regions in their table order, each with its te reo name where it differs."""

    def label_from_instance(self, obj: Region) -> str:
        if obj.name_mi and obj.name_mi != obj.name_en:
            label: SafeString = format_html(
                '<span>{} <span class="muted">— <span lang="mi">{}</span>'
                "</span></span>",
                obj.name_en,
                obj.name_mi,
            )
            return label
        return obj.name_en


TYPE_CHOICES = [
    (
        ClusterType.TRADITIONAL.value,
        _("Traditional — one place and one specialisation (e.g. Marlborough wine)"),
    ),
    (
        ClusterType.VIRTUAL.value,
        _("Virtual — one specialisation, anywhere (e.g. Aotearoa craft beer)"),
    ),
    (
        ClusterType.LOCAL.value,
        _("Local — one place, many kinds of business (e.g. a town's makers)"),
    ),
]


class ClusterApplicationForm(forms.ModelForm[ClusterApplication]):
    """A founding group's application; the finder's answers ride along hidden."""

    lead_org_kind = forms.ChoiceField(
        label=_("Kind of lead organisation"),
        choices=[("", _("Choose one…")), *LeadOrganisationKind.choices],
        help_text=_("The kind of organisation that facilitates the cluster."),
    )
    cluster_type = forms.ChoiceField(
        label=_("Cluster type"),
        choices=TYPE_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "choice-list"}),
        help_text=_(
            "Traditional and local clusters need regions; traditional and virtual "
            "clusters need a specialisation."
        ),
    )
    regions = RegionChoiceField(
        label=_("Regions"),
        queryset=Region.objects.order_by("position"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
        help_text=_(
            "Tick every region your members are in. Traditional and local clusters "
            "share a place, so they need at least one; virtual clusters may leave "
            "this empty."
        ),
    )
    expected_members = forms.IntegerField(
        label=_("Expected number of members"),
        min_value=MIN_EXPECTED_MEMBERS,
        max_value=MAX_EXPECTED_MEMBERS,
        help_text=_(
            "Roughly how many businesses you expect to join in the first year."
        ),
    )
    finder_shared_place = forms.CharField(required=False, widget=forms.HiddenInput)
    finder_shared_specialisation = forms.CharField(
        required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = ClusterApplication
        fields = list(APPLICATION_FORM_FIELDS)
        labels = {"about": _("About your group")}
        help_texts = {
            "contact_name": _("The person we talk to about this application."),
            "contact_email": _(
                "We email the decision here. If the cluster is approved, this "
                "address is invited to be its first admin."
            ),
            "contact_phone": _("Optional. A number we can call with questions."),
            "lead_org_name": _(
                "For example a trade body, chamber of commerce, iwi or hapū group, "
                "trust, council, collective or market."
            ),
            "proposed_name_en": _("You can change it before the cluster goes live."),
            "proposed_name_mi": _("Optional: the cluster's name in te reo Māori."),
            "specialisation": _(
                "What your members have in common: an industry, a crop or a way of "
                "distributing, e.g. “Oysters” or “Craft beer”."
            ),
            "about": _(
                "Your group's story, what you want to sell together, and anything we "
                "should know. It becomes the cluster's story; you can edit it later."
            ),
        }
        widgets = {
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(
                attrs={"autocomplete": "tel", "type": "tel"}
            ),
            "lead_org_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "proposed_name_mi": forms.TextInput(attrs={"lang": "mi"}),
            "about": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, message in required_messages().items():
            self.fields[name].error_messages["required"] = message
        self.fields["expected_members"].error_messages.update(
            dict.fromkeys(
                ["required", "invalid", "min_value", "max_value"],
                _("Give a whole number of members between %(min)s and %(max)s.")
                % {"min": MIN_EXPECTED_MEMBERS, "max": f"{MAX_EXPECTED_MEMBERS:,}"},
            )
        )

    @classmethod
    def initial_from_finder(cls, query: QueryDict) -> dict[str, Any]:
        """Initial values from the finder's link: ``?type=local&shared_place=yes…``.

        Values that make no sense are ignored, never an error.
        """
        initial: dict[str, Any] = {}
        answers: dict[str, bool] = {}
        for key in FINDER_KEYS:
            answer = yes_no(query.get(key))
            if answer is not None:
                answers[key] = answer
                initial[f"finder_{key}"] = "yes" if answer else "no"
        cluster_type = query.get("type", "").strip().lower()
        if cluster_type in ClusterType.values:
            initial["cluster_type"] = cluster_type
        elif inferred := _type_from_answers(answers):
            initial["cluster_type"] = inferred
        return initial

    def finder_answers(self) -> dict[str, bool]:
        """The finder's answers this form carries (bound data, else initial)."""
        answers: dict[str, bool] = {}
        for key in FINDER_KEYS:
            name = f"finder_{key}"
            raw = self.data.get(name) if self.is_bound else self.initial.get(name)
            answer = yes_no(raw)
            if answer is not None:
                answers[key] = answer
        return answers

    def finder_summary(self) -> list[str]:
        """The finder's answers in words, e.g. ["you share a place", …]."""
        return finder_summary(self.finder_answers())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cluster_type = cleaned.get("cluster_type")
        if cluster_type:
            errors = type_rule_errors(
                cluster_type=cluster_type,
                region_count=len(cleaned.get("regions") or []),
                specialisation=cleaned.get("specialisation") or "",
            )
            for field, messages in errors.items():
                if field not in self.errors:
                    for message in messages:
                        self.add_error(field, message)
        return cleaned

    def service_data(self) -> ApplicationInput:
        """What ``application_submit`` takes, from the cleaned form."""
        data: dict[str, Any] = {
            name: self.cleaned_data.get(name) for name in self.Meta.fields
        }
        data["regions"] = list(self.cleaned_data.get("regions") or [])
        data["finder_answers"] = self.finder_answers()
        return ApplicationInput(**data)


class ApplicationApproveForm(forms.Form):
    slug = forms.SlugField(
        label=_("Web address name (optional)"),
        max_length=SLUG_MAX_LENGTH,
        required=False,
        help_text=_(
            "Lower-case letters, numbers and hyphens. Leave empty to make one from "
            "the proposed English name."
        ),
    )


class ApplicationDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Emailed to the applicant as written. Say what would make the "
            "application succeed."
        ),
        error_messages={
            "required": _("Say why the application is declined: the group reads it.")
        },
    )

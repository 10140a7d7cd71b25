"""The members' space's forms: they carry what was typed; the services check it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    DigestChoice,
    GroupBuy,
    Levy,
    Motion,
    PartnerPost,
    Resource,
    Settlement,
    Thread,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


def _member_field(members: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Posting for"),
        choices=[(m.slug, m.name) for m in members],
        required=False,
    )


class _AsMember(forms.Form):
    def __init__(self, *args: Any, members: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(members) > 1:
            self.fields["member"] = _member_field(members)


class ThreadForm(_AsMember):
    category = forms.ChoiceField(label=_("Category"), choices=Thread.Category.choices)
    title = forms.CharField(label=_("Title"), max_length=160, required=False)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "Markdown: **bold**, *italic*, lists and links. Name a member business "
            "with @its-web-address-name, a person with @their@email."
        ),
    )
    attachments = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("Up to five PDF, JPEG or PNG files of at most 10 MB each."),
    )


class ReplyForm(_AsMember):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    attachments = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("Up to five PDF, JPEG or PNG files of at most 10 MB each."),
    )


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Email me about notices I follow"),
        choices=DigestChoice.Frequency.choices,
    )


class ModerateForm(forms.Form):
    action = forms.CharField()
    reason = forms.CharField(
        label=_("Reason (shown to members)"), max_length=300, required=False
    )
    reply = forms.IntegerField(required=False)


class ResourceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    kind = forms.ChoiceField(
        label=_("File or link"), choices=Resource.Kind.choices, widget=forms.RadioSelect
    )
    visibility = forms.ChoiceField(
        label=_("Who may see it"),
        choices=Resource.Visibility.choices,
        widget=forms.RadioSelect,
        initial=Resource.Visibility.MEMBERS,
    )
    url = forms.CharField(label=_("Link"), max_length=500, required=False)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("A PDF, JPEG or PNG file of at most 10 MB."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class VersionForm(forms.Form):
    url = forms.CharField(label=_("New link"), max_length=500, required=False)
    file = forms.FileField(
        label=_("New file"),
        required=False,
        help_text=_("A PDF, JPEG or PNG file of at most 10 MB."),
    )
    note = forms.CharField(label=_("What changed"), max_length=300, required=False)


class PartnerPostForm(_AsMember):
    kind = forms.ChoiceField(
        label=_("Need or offer"),
        choices=PartnerPost.Kind.choices,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=160, required=False)
    body = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    days = forms.CharField(
        label=_("Days it stays up"), initial="30", max_length=3, required=False
    )


class InterestForm(_AsMember):
    note = forms.CharField(
        label=_("A note to the poster"), max_length=500, required=False
    )


class SharingForm(forms.Form):
    makes = forms.CharField(
        label=_("What we make"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )
    capacity = forms.CharField(
        label=_("Capacity"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        help_text=_("E.g. 2,000 bottles a month; a chiller with room for 4 pallets."),
    )
    share_makes = forms.BooleanField(label=_("Show what we make"), required=False)
    share_capacity = forms.BooleanField(label=_("Show our capacity"), required=False)
    share_credentials = forms.BooleanField(
        label=_("Show our verified certifications"), required=False
    )
    share_contact = forms.BooleanField(
        label=_("Show our contact email and phone"), required=False
    )


# --- Group buys, levies, votes ------------------------------------------------


def lines_of_pairs(value: str) -> list[tuple[str, str]]:
    """``"500 0.42"`` a line → ``[("500", "0.42")]`` (a malformed line is kept
    as ``(line, "")`` so that the service names it)."""
    pairs: list[tuple[str, str]] = []
    for line in (value or "").splitlines():
        parts = line.replace(",", " ").replace("$", " ").split()
        if not parts:
            continue
        pairs.append((parts[0], parts[1]) if len(parts) == 2 else (line, ""))
    return pairs


class GroupBuyForm(forms.Form):
    def __init__(self, *args: Any, members: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(members) > 1:
            self.fields["member"] = _member_field(members)
            self.fields["member"].label = _("Proposed by")

    kind = forms.ChoiceField(label=_("What is bought"), choices=GroupBuy.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=160, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    unit = forms.CharField(
        label=_("Unit"), max_length=40, required=False, help_text=_("e.g. bags, m³")
    )
    tiers = forms.CharField(
        label=_("Price tiers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "One a line: the total quantity it starts at, then the unit price, "
            "e.g. “1 0.55”, “500 0.42”."
        ),
    )
    target_quantity = forms.CharField(label=_("Target quantity"), required=False)
    cap = forms.CharField(
        label=_("Most units (leave empty for no cap)"), required=False
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        required=False,
    )
    shared_cost = forms.CharField(
        label=_("Shared cost, e.g. freight ($)"),
        required=False,
        help_text=_("Split between members in proportion to their quantities."),
    )
    arrangement = forms.ChoiceField(
        label=_("Delivery or collection"), choices=GroupBuy.Arrangement.choices
    )
    arrangement_details = forms.CharField(
        label=_("Where and when"), max_length=300, required=False
    )


class CommitmentForm(_AsMember):
    quantity = forms.CharField(
        label=_("Quantity"), required=False, help_text=_("0 to leave the group buy.")
    )
    settle_by = forms.ChoiceField(
        label=_("How you pay your share"),
        choices=Settlement.choices,
        widget=forms.RadioSelect,
        initial=Settlement.OFFSET,
    )


class LevyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    period = forms.ChoiceField(label=_("Billed"), choices=Levy.Period.choices)
    basis = forms.ChoiceField(label=_("Amount"), choices=Levy.Basis.choices)
    amount = forms.CharField(label=_("Flat amount ($)"), required=False)
    bands = forms.CharField(
        label=_("Turnover bands"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "One a line: the turnover in the period before it starts at, then the "
            "levy, e.g. “0 50.00”, “20000 150.00”."
        ),
    )
    due_days = forms.CharField(label=_("Days to pay"), initial="30", required=False)


class MotionForm(forms.Form):
    title = forms.CharField(label=_("Motion"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    kind = forms.ChoiceField(label=_("Kind of vote"), choices=Motion.Kind.choices)
    options = forms.CharField(
        label=_("Options (for a choice)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("One a line."),
    )
    quorum_percent = forms.CharField(
        label=_("Quorum (per cent of member businesses)"), initial="50", required=False
    )
    closes_at = forms.DateTimeField(
        label=_("Voting closes"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        required=False,
    )


class MinutesForm(forms.Form):
    minutes = forms.FileField(
        label=_("Minutes"),
        required=False,
        help_text=_("A PDF, JPEG or PNG of at most 10 MB."),
    )

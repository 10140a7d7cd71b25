"""Forms of the stories and newsletter pages: they parse what was typed; the
services check the rules (and their refusals go back on the form)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from purei.catalogue.models import Category
from purei.clusters.models import Region
from purei.marketing.models import Campaign, Story, Subscriber
from purei.marketing.services import CampaignInput, StoryInput

MARKDOWN_HELP = _(
    "Markdown: a blank line between paragraphs, **bold**, *italic*, [a link]"
    "(https://example.nz), lists with - or 1. Put a picture on a line of its own as "
    "![A caption](image:1), with its number from the pictures below."
)


class StoryForm(forms.Form):
    title_en = forms.CharField(
        label=_("Title in English"), max_length=160, required=False
    )
    summary_en = forms.CharField(
        label=_("Summary in English"),
        max_length=300,
        required=False,
        help_text=_("One or two sentences for the list of stories and the feed."),
    )
    body_en = forms.CharField(
        label=_("Story in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=MARKDOWN_HELP,
    )
    title_mi = forms.CharField(
        label=_("Title in te reo Māori"), max_length=160, required=False
    )
    summary_mi = forms.CharField(
        label=_("Summary in te reo Māori"), max_length=300, required=False
    )
    body_mi = forms.CharField(
        label=_("Story in te reo Māori"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "lang": "mi"}),
        help_text=MARKDOWN_HELP,
    )
    slug = forms.CharField(
        label=_("Web address name"),
        max_length=80,
        required=False,
        help_text=_("Leave blank to make it from the title."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("title_mi", "summary_mi"):
            self.fields[name].widget.attrs["lang"] = "mi"

    @classmethod
    def for_story(cls, story: Story) -> StoryForm:
        return cls(
            initial={
                name: getattr(story, name)
                for name in (
                    "title_en",
                    "summary_en",
                    "body_en",
                    "title_mi",
                    "summary_mi",
                    "body_mi",
                    "slug",
                )
            }
        )

    def story_input(self) -> StoryInput:
        data = self.cleaned_data
        return StoryInput(
            title_en=data["title_en"],
            title_mi=data["title_mi"],
            summary_en=data["summary_en"],
            summary_mi=data["summary_mi"],
            body_en=data["body_en"],
            body_mi=data["body_mi"],
            slug=data["slug"],
        )


class StoryImageForm(forms.Form):
    image = forms.ImageField(
        label=_("Picture"),
        help_text=_("JPEG, PNG or WebP, at most 8 MB and at least 200 pixels a side."),
    )
    alt_text = forms.CharField(
        label=_("Description for people who can't see it"), max_length=200
    )


def _region_choices() -> list[tuple[str, str]]:
    return [
        (region.code, region.name) for region in Region.objects.order_by("position")
    ]


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        help_text=_("Optional: for news of market days and events near you."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Anywhere")), *_region_choices()]  # type: ignore[attr-defined]  # ChoiceField


class CampaignForm(forms.Form):
    story = forms.TypedChoiceField(label=_("Story"), coerce=int)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    segment = forms.ChoiceField(
        label=_("Send to"),
        choices=Campaign.Segment.choices,
        widget=forms.RadioSelect,
        initial=Campaign.Segment.ALL,
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        help_text=_("For “Subscribers in a region”: the region they gave."),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        help_text=_(
            "For “Buyers of a category”: subscribers who bought from it (or a "
            "category under it) in this cluster."
        ),
    )
    reply_to = forms.EmailField(label=_("Replies go to"), max_length=254)

    def __init__(self, *args: Any, stories: list[Story], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["story"].choices = [(s.pk, str(s)) for s in stories]  # type: ignore[attr-defined]  # ChoiceField
        self.fields["region"].choices = [("", "—"), *_region_choices()]  # type: ignore[attr-defined]  # ChoiceField
        self.fields["category"].choices = [  # type: ignore[attr-defined]  # ChoiceField
            ("", "—"),
            *(
                (c.slug, c.name)
                for c in Category.objects.order_by("position", "name_en")
            ),
        ]

    def campaign_input(self) -> CampaignInput:
        data = self.cleaned_data
        return CampaignInput(
            story_id=data["story"],
            subject=data["subject"],
            segment=data["segment"],
            region=data.get("region") or "",
            category=data.get("category") or "",
            reply_to=data["reply_to"],
        )


class MarkAddressForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (Subscriber.Status.BOUNCED, _("It bounced (the address does not exist)")),
            (Subscriber.Status.COMPLAINED, _("Its owner marked our email as spam")),
            (Subscriber.Status.UNSUBSCRIBED, _("Its owner asked us to stop")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Optional: who told you, e.g. “the mail provider's report”."),
    )


class NotifyForm(forms.Form):
    variant = forms.IntegerField(widget=forms.HiddenInput)
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class WindowNotifyForm(forms.Form):
    """ "Tell me when it opens": a sales window's notify-me button (issue 14)."""

    window = forms.IntegerField(widget=forms.HiddenInput)
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

"""HTML forms of the members app. They only parse input: the rules live in the
services, whose refusals come back onto these forms (``form_add_domain_error``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from purei.accounts.models import MemberRole
from purei.clusters.models import Region

from .memberships import (
    MAX_MESSAGE_LENGTH,
    MAX_REASON_LENGTH,
)
from .models import Credential, Member
from .services import CredentialInput, MemberDetails
from .story import MAX_STORY_LENGTH

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
EVIDENCE_ACCEPT = "application/pdf,image/jpeg,image/png"
# An account that passes the banks' check digits (ASB, Blenheim branch range).
BANK_ACCOUNT_EXAMPLE = "12-3140-0123452-00"

STORY_HELP = _(
    "Tell customers who you are and how you make what you make. Formatting: "
    "**bold**, _italic_, [a link](https://example.nz), a blank line between "
    "paragraphs, lines starting with “- ” for a list, “### ” for a heading."
)


def _region_choices() -> list[tuple[str, str]]:
    regions = Region.objects.order_by("position")
    return [
        ("", str(_("Choose a region"))),
        *(
            (
                region.code,
                f"{region.name_en} — {region.name_mi}"
                if region.name_mi and region.name_mi != region.name_en
                else region.name_en,
            )
            for region in regions
        ),
    ]


def _text(
    label: Any, max_length: int, *, required: bool = False, **attrs: str
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
    )


class MemberForm(forms.Form):
    """The business profile. The bank account is never shown back: leave the field
    empty to keep the one on file."""

    legal_name = _text(_("Legal name"), 160, required=True, autocomplete="organization")
    trading_name = _text(_("Trading name"), 160)
    nzbn = _text(_("NZBN"), 20, inputmode="numeric", autocomplete="off")
    gst_registered = forms.BooleanField(
        label=_("The business is registered for GST"), required=False
    )
    gst_number = _text(_("GST number"), 16, inputmode="numeric", autocomplete="off")
    in_trade = forms.BooleanField(
        label=_("We sell in trade (as a business, not as private sellers)"),
        required=False,
        help_text=_(
            "The Fair Trading Act asks businesses selling online to say so. Your "
            "pages will say that you sell in trade. A cluster can only approve "
            "businesses that do."
        ),
    )
    story = forms.CharField(
        label=_("Your story"),
        required=False,
        max_length=MAX_STORY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=STORY_HELP,
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=())
    town = _text(_("Town"), 80, autocomplete="address-level2")
    latitude = _text(_("Latitude"), 20, inputmode="decimal")
    longitude = _text(_("Longitude"), 20, inputmode="decimal")
    contact_name = _text(_("Contact person"), 150, autocomplete="name")
    email = forms.CharField(
        label=_("Email address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    website = forms.CharField(
        label=_("Website"),
        max_length=200,
        required=False,
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_(
            "A JPEG, PNG or WebP picture, at least 200 pixels a side, at most 8 MB."
        ),
    )
    logo_clear = forms.BooleanField(label=_("Remove the logo"), required=False)
    bank_account = _text(_("Bank account"), 32, inputmode="numeric", autocomplete="off")
    bank_account_remove = forms.BooleanField(
        label=_("Remove the bank account"), required=False
    )
    bank_account_name = _text(_("Name on the bank account"), 120)

    def __init__(self, *args: Any, member: Member | None = None, **kwargs: Any) -> None:
        self.member = member
        if member is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(member)
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)  # noqa: S101  # declared above
        region_field.choices = _region_choices()
        self.fields["nzbn"].help_text = _(
            "13 digits starting with 94, from the NZBN register. Optional."
        )
        self.fields["gst_number"].help_text = _(
            "Your IRD number, e.g. 123-456-789. Only if you are registered for GST."
        )
        self.fields["latitude"].help_text = _(
            "Optional: where to find you, in decimal degrees, e.g. -41.5139."
        )
        self.fields["longitude"].help_text = _("Optional, e.g. 173.9612.")
        has_account = bool(member and member.bank_account)
        self.fields["bank_account"].label = (
            _("New bank account") if has_account else _("Bank account for payouts")
        )
        self.fields["bank_account"].help_text = (
            _(
                "Leave this empty to keep the account on file. To change it, enter "
                "the whole new number: bank-branch-account-suffix."
            )
            if has_account
            else _("Bank-branch-account-suffix, e.g. %(example)s.")
            % {"example": BANK_ACCOUNT_EXAMPLE}
        )
        if member is None or not member.logo:
            del self.fields["logo_clear"]
        if not has_account:
            del self.fields["bank_account_remove"]
        if member is not None and member.logo:
            self.fields["logo"].label = _("New logo")

    @staticmethod
    def initial_from(member: Member) -> dict[str, Any]:
        return {
            "legal_name": member.legal_name,
            "trading_name": member.trading_name,
            "nzbn": member.nzbn,
            "gst_registered": member.gst_registered,
            "gst_number": member.gst_number,
            "in_trade": member.in_trade,
            "story": member.story,
            "region": member.region.code if member.region else "",
            "town": member.town,
            "latitude": "" if member.latitude is None else f"{member.latitude:f}",
            "longitude": "" if member.longitude is None else f"{member.longitude:f}",
            "contact_name": member.contact_name,
            "email": member.email,
            "phone": member.phone,
            "website": member.website,
            "bank_account_name": member.bank_account_name,
        }

    def service_data(self) -> MemberDetails:
        """The cleaned values as ``member_create`` / ``member_update`` take them."""
        data = dict(self.cleaned_data)
        remove_account = data.pop("bank_account_remove", False)
        if remove_account:
            data["bank_account"] = ""
        elif not data.get("bank_account"):
            data.pop("bank_account", None)  # empty: keep the account on file
        if not data.get("gst_registered"):
            data.pop("gst_number", None)  # cleared by the service
        if not data.get("logo"):
            data.pop("logo", None)
        data["logo_clear"] = bool(data.pop("logo_clear", False))
        return MemberDetails(**data)


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_(
            "A JPEG, PNG or WebP picture, at least 200 pixels a side, at most 8 MB. "
            "We remove its location and camera data."
        ),
    )
    alt_text = forms.CharField(
        label=_("Describe the photo"),
        max_length=200,
        help_text=_(
            "For people who can't see it, e.g. “Hemi carving a waka huia from tōtara”."
        ),
    )


class PhotoAltForm(forms.Form):
    alt_text = forms.CharField(label=_("Description"), max_length=200)


class CredentialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Credential.Kind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
        help_text=_("For “Other”: what it is."),
    )
    issuer = forms.CharField(
        label=_("Issued by"),
        max_length=160,
        help_text=_("e.g. Marlborough District Council, Toi Iho Charitable Trust."),
    )
    number = forms.CharField(label=_("Number"), max_length=64)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty if it does not expire."),
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
        help_text=_(
            "A scan or photo of the licence or certificate: PDF, JPEG or PNG, at most "
            "10 MB. Only your team and the admins of your clusters can open it."
        ),
    )
    evidence_clear = forms.BooleanField(
        label=_("Remove the evidence file"), required=False
    )

    def __init__(
        self, *args: Any, credential: Credential | None = None, **kwargs: Any
    ) -> None:
        if credential is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": credential.kind,
                "name": credential.name,
                "issuer": credential.issuer,
                "number": credential.number,
                "expires_on": credential.expires_on,
            }
        super().__init__(*args, **kwargs)
        if credential is None or not credential.evidence:
            del self.fields["evidence_clear"]
        elif credential.evidence:
            self.fields["evidence"].label = _("New evidence file")

    def service_data(self) -> CredentialInput:
        data = dict(self.cleaned_data)
        if not data.get("evidence"):
            data.pop("evidence", None)
        data["evidence_clear"] = bool(data.pop("evidence_clear", False))
        return CredentialInput(**data)


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("verified", _("Verified: we checked it and it is current")),
            ("rejected", _("Not verified")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the member"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when it is not verified: say why."),
    )


class StaffInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (MemberRole.Role.STAFF.value, _("Staff: sees the business's screens")),
            (
                MemberRole.Role.OWNER.value,
                _("Owner: also edits the profile and manages the team"),
            ),
        ],
        initial=MemberRole.Role.STAFF.value,
        widget=forms.RadioSelect,
    )


# --- Joining a cluster, and its admins' decisions -------------------------------


class JoinForm(forms.Form):
    """Choose one of your businesses and, if you like, say something to the admins."""

    member = forms.ChoiceField(
        label=_("Which business is joining?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the business that is joining.")},
    )
    message = forms.CharField(
        label=_("Message to the cluster's admins"),
        help_text=_("Optional: what you make or sell, and why you'd like to join."),
        required=False,
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, members: list[Member], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  # for mypy
        field.choices = [(member.slug, member.name) for member in members]
        if len(members) == 1:
            field.initial = members[0].slug


class DecisionForm(forms.Form):
    """A note or reason for a membership decision (required where the service says
    so: declining and suspending)."""

    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Emailed to the business."),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MemberCommissionForm(forms.Form):
    """One member's own commission rate in this cluster (empty: the cluster's)."""

    commission_rate = forms.CharField(
        label=_("This member's commission rate (%)"),
        max_length=7,
        required=False,
        help_text=_(
            "From 0 to 100 with at most two decimals, e.g. 5 or 7.25. Leave it "
            "empty to charge the cluster's rate."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

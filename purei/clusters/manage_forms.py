"""HTML forms for running a cluster (people, brand, money): they parse input; the
rules (and their messages) live in the services. Joining and the membership
decisions have their forms in ``purei.members.forms``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from purei.accounts.models import INVITATION_MESSAGE_MAX_LENGTH, ClusterRole
from purei.clusters.models import (
    MAX_PLATFORM_FEE_BPS,
    MAX_PLATFORM_FEE_FIXED_CENTS,
    Cluster,
    SellingModel,
    StripeMode,
)
from purei.web.widgets import ColourInput

from .brand import BRAND_TEXT_FIELDS, BrandChanges
from .brand_money import LEAD_ORG_ADDRESS_MAX
from .listing_rules import ListingRules


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Give the email address to send the invitation to."),
            "invalid": _("Enter a valid email address, e.g. name@example.nz."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ClusterRole.Role.choices,
        initial=ClusterRole.Role.CURATOR,
        widget=forms.RadioSelect,
        help_text=_(
            "Admins run the cluster: members, people and brand. Curators approve "
            "the products listed in it."
        ),
        error_messages={"required": _("Choose a role: admin or curator.")},
    )


class BusinessInviteForm(forms.Form):
    """Invite a business to join the cluster: whoever opens the emailed link joins
    with one of their businesses, approved at once."""

    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The business owner's address: they log in or sign up with it."),
        error_messages={
            "required": _("Give the email address to send the invitation to."),
            "invalid": _("Enter a valid email address, e.g. name@example.nz."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    message = forms.CharField(
        label=_("Personal message"),
        help_text=_("Optional: a few words of welcome, quoted in the email."),
        required=False,
        max_length=INVITATION_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BrandForm(forms.Form):
    """The brand screen. Every field is sent to ``cluster_brand_update``, which
    checks them all (contrast, images, domain) and names each one at fault."""

    name_en = forms.CharField(
        label=_("Name in English"), max_length=BRAND_TEXT_FIELDS["name_en"]
    )
    name_mi = forms.CharField(
        label=_("Name in te reo Māori"),
        max_length=BRAND_TEXT_FIELDS["name_mi"],
        required=False,
    )
    tagline = forms.CharField(
        label=_("Tagline"),
        max_length=BRAND_TEXT_FIELDS["tagline"],
        required=False,
        help_text=_("One line under the name, shown in the directory too."),
    )
    story = forms.CharField(
        label=_("Story"),
        max_length=BRAND_TEXT_FIELDS["story"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at least 64 pixels a side."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    logo_clear = forms.BooleanField(label=_("Remove the logo"), required=False)
    hero_image = forms.FileField(
        label=_("Hero image"),
        required=False,
        help_text=_(
            "A wide photo for the top of the cluster's home page: JPEG, PNG or "
            "WebP, at least 300 pixels a side."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    hero_clear = forms.BooleanField(label=_("Remove the hero image"), required=False)
    hero_alt = forms.CharField(
        label=_("Description of the hero image"),
        max_length=BRAND_TEXT_FIELDS["hero_alt"],
        required=False,
        help_text=_(
            "For people who can't see it, e.g. “Rows of vines below the Richmond "
            "Range at dawn”. Needed when there is a hero image."
        ),
    )
    colour_primary = forms.CharField(
        label=_("Brand colour"),
        max_length=7,
        required=False,
        widget=ColourInput(picker_label=_("Pick the brand colour"), default="#0b5d4b"),
        help_text=_(
            "# and six hexadecimal digits, e.g. #0b5d4b. Buttons and the header use "
            "it with white text, and links are drawn in it: it must be dark enough "
            "(a contrast of at least 4.5:1). Leave empty for Pūrei's green."
        ),
    )
    colour_accent = forms.CharField(
        label=_("Accent colour"),
        max_length=7,
        required=False,
        widget=ColourInput(picker_label=_("Pick the accent colour"), default="#9a3412"),
        help_text=_(
            "For highlights and links under the pointer, on white and on the page "
            "background (a contrast of at least 4.5:1). Leave empty for Pūrei's "
            "kōkōwai."
        ),
    )
    join_requires_approval = forms.BooleanField(
        label=_("Businesses need an admin's approval to join"), required=False
    )
    domain = forms.CharField(
        label=_("Own domain"),
        max_length=253,
        required=False,
        help_text=_(
            "Optional, e.g. shop.marlboroughwine.nz. Point the domain at Pūrei first; "
            "its address then serves this cluster's pages."
        ),
    )

    def service_data(self) -> BrandChanges:
        """The cleaned form as ``cluster_brand_update`` takes it (files only when
        one was uploaded)."""
        data = dict(self.cleaned_data)
        for field in ("logo", "hero_image"):
            if not data.get(field):
                data.pop(field, None)
        return BrandChanges(**data)


SELLING_MODEL_CHOICES = [
    (
        SellingModel.AGENT.value,
        _(
            "Each member sells its own goods. The member is the supplier: its name "
            "and GST number go on the invoice, and GST is charged only when the "
            "member is registered. The cluster collects the payment as the "
            "members' agent and passes it on, less commission."
        ),
    ),
    (
        SellingModel.RESELLER.value,
        _(
            "The lead organisation buys from the members and sells on. It is the "
            "supplier on every order: its name and GST number go on the invoice, "
            "and GST is charged on everything when it is registered, whoever made "
            "the goods."
        ),
    ),
]


class MoneyForm(forms.Form):
    """The money screen: who sells, the lead organisation's GST details,
    commission and the price split. Sent to ``cluster_brand_update``, which checks
    every field (the GST number too)."""

    selling_model = forms.ChoiceField(
        label=_("Who sells to customers?"),
        choices=SELLING_MODEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who sells to customers.")},
    )
    lead_org_gst_registered = forms.BooleanField(
        label=_("The lead organisation is registered for GST"), required=False
    )
    lead_org_gst_number = forms.CharField(
        label=_("The lead organisation's GST number"),
        max_length=16,
        required=False,
        help_text=_(
            "The IRD number it is registered under, e.g. 123-456-789. Needed when "
            "it is registered for GST."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    lead_org_address = forms.CharField(
        label=_("The lead organisation's address"),
        max_length=LEAD_ORG_ADDRESS_MAX,
        required=False,
        help_text=_("Shown on its invoices, e.g. 12 Main Street, Blenheim 7201."),
    )
    commission_rate = forms.CharField(
        label=_("Commission rate (%)"),
        max_length=7,
        help_text=_(
            "The share of each sale, before GST, the cluster keeps: from 0 to 100, "
            "e.g. 12.5. A member's own rate, set on its page, replaces it."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    show_price_split = forms.BooleanField(
        label=_("Show customers where their money goes"),
        required=False,
        help_text=_(
            "Product pages and orders show the maker's share, the cluster's "
            "commission, GST and the payment fee."
        ),
    )
    au_gst_number = forms.CharField(
        label=_("Australian GST: the cluster's ABN or ARN"),
        max_length=20,
        required=False,
        help_text=_(
            "Once registered for Australian GST, e.g. 51 824 753 556 (an ABN) or "
            "the 12-digit ARN of the simplified registration for non-residents. "
            "Leave empty while not registered."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    au_gst_registered_on = forms.DateField(
        label=_("Registered for Australian GST from"),
        required=False,
        help_text=_(
            "The date the registration took effect, e.g. 2026-07-01. From that "
            "day, checkout charges Australian GST on eligible orders to Australia."
        ),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give the date as a date, e.g. 2026-07-01.")},
    )


YES, NO = "yes", "no"


def _yes(value: str) -> bool:
    return value == YES


class ListingRulesForm(forms.Form):
    """The listing rules screen: each rule a choice between two plain sentences,
    sent to ``cluster_listing_rules_update``."""

    listings_need_approval = forms.TypedChoiceField(
        label=_("When does a member's product show in the shop?"),
        choices=[
            (
                YES,
                _(
                    "A curator approves each product first. When a member makes a "
                    "product live, it waits on the listings screen until one of the "
                    "cluster's curators or admins approves it, or declines it with a "
                    "reason for the member."
                ),
            ),
            (
                NO,
                _(
                    "Products are listed at once. A product shows in the cluster's "
                    "shop as soon as its member makes it live; nobody checks it "
                    "first."
                ),
            ),
        ],
        coerce=_yes,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether curators approve products first."),
            "invalid_choice": _("Choose whether curators approve products first."),
        },
    )
    cultural_review = forms.TypedChoiceField(
        label=_("Works that carry cultural designs"),
        choices=[
            (
                YES,
                _(
                    "They wait for the cluster's kaitiaki. A member says when a "
                    "product carries cultural designs (such as Māori motifs); it "
                    "shows only once one of the cluster's kaitiaki approves it, "
                    "as well as a curator when curators approve products."
                ),
            ),
            (
                NO,
                _(
                    "No cultural review. Works that carry cultural designs are "
                    "listed like any other product."
                ),
            ),
        ],
        coerce=_yes,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether a kaitiaki reviews cultural designs."),
            "invalid_choice": _("Choose whether a kaitiaki reviews cultural designs."),
        },
    )

    @staticmethod
    def initial_for(cluster: Cluster) -> dict[str, str]:
        return {
            "listings_need_approval": YES if cluster.listings_need_approval else NO,
            "cultural_review": YES if cluster.cultural_review else NO,
        }

    def rules(self) -> ListingRules:
        return ListingRules(
            listings_need_approval=self.cleaned_data["listings_need_approval"],
            cultural_review=self.cleaned_data["cultural_review"],
        )


class MoneyAccountsForm(forms.Form):
    """The money accounts screen: the bank account and Stripe account customers
    pay into, and (platform staff only) the platform fee. Sent to
    ``cluster_money_accounts_update``, which checks every field. The two secrets
    are never shown back: an empty box keeps the stored one."""

    bank_account_name = forms.CharField(
        label=_("Name on the bank account"), max_length=120, required=False
    )
    bank_account_number = forms.CharField(
        label=_("Bank account number"),
        max_length=24,
        required=False,
        help_text=_(
            "Customers paying by bank transfer pay into it, and payouts to members "
            "are paid from it. New Zealand form, e.g. 12-3140-0123456-00. Empty: "
            "Pūrei's account."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    stripe_mode = forms.ChoiceField(
        label=_("Card payments go to"),
        choices=StripeMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where card payments go.")},
    )
    stripe_account_id = forms.CharField(
        label=_("Connected account id"),
        max_length=64,
        required=False,
        help_text=_("Stripe Connect only: it starts with acct_."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    stripe_publishable_key = forms.CharField(
        label=_("Publishable key"),
        max_length=255,
        required=False,
        help_text=_("Own keys only: it starts with pk_live_ or pk_test_."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    stripe_secret_key = forms.CharField(
        label=_("Secret key"),
        max_length=255,
        required=False,
        strip=True,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password"}
        ),
    )
    stripe_webhook_secret = forms.CharField(
        label=_("Webhook signing secret"),
        max_length=255,
        required=False,
        strip=True,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "new-password"}
        ),
    )
    platform_fee_bps = forms.IntegerField(
        label=_("Platform fee (basis points of each order)"),
        min_value=0,
        max_value=MAX_PLATFORM_FEE_BPS,
        required=False,
        help_text=_("100 basis points are 1 %. Set by Pūrei's staff."),
    )
    platform_fee_fixed_cents = forms.IntegerField(
        label=_("Platform fee per order (cents)"),
        min_value=0,
        max_value=MAX_PLATFORM_FEE_FIXED_CENTS,
        required=False,
        help_text=_("Set by Pūrei's staff."),
    )

    def __init__(
        self,
        *args: object,
        fee_editable: bool,
        stored: dict[str, str],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]  # Form's own
        for name in ("platform_fee_bps", "platform_fee_fixed_cents"):
            self.fields[name].disabled = not fee_editable
        for name, last4 in stored.items():
            self.fields[name].help_text = (
                _(
                    "Stored: •••• %(last4)s. Leave empty to keep it; type a new one "
                    "to replace it."
                )
                % {"last4": last4}
                if last4
                else _("Own keys only. Not stored yet.")
            )

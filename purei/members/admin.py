"""Admin for member businesses, their photos and credentials, and memberships.

The admin is platform staff's tool. A change to a member's profile is checked and
made by the members service (``member_details_errors``, then
``member_update_by_staff``), so the same rules hold as on the member's own screens
and every change — the bank account included, masked — leaves an audit row. The
bank account is never shown in clear; evidence files open through the scoped
download view. Memberships are read here and decided on the cluster admins' screens.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from purei.core.actor import actor_from
from purei.core.csv_safe import validate_not_formula
from purei.core.validators import (
    FormatError,
    bank_account_normalise,
    ird_number_normalise,
    nzbn_normalise,
)
from purei.search.cache import catalogue_changed_on_commit

from .models import Credential, Member, MemberPhoto, Membership
from .services import (
    MEMBER_FIELDS,
    MemberDetails,
    member_details_errors,
    member_search_text,
    member_update_by_staff,
)
from .story import render_story

# What the admin changes through ``member_update_by_staff`` (the slug is set when
# the member is added and then kept: the shop's links carry it).
ADMIN_PROFILE_FIELDS = frozenset(MEMBER_FIELDS) - {"logo", "bank_account"}


class MemberAdminForm(forms.ModelForm[Member]):
    # Wider than the stored values: people type NZBNs and GST numbers with spaces.
    nzbn = forms.CharField(label=_("NZBN"), required=False, max_length=20)
    gst_number = forms.CharField(label=_("GST number"), required=False, max_length=16)
    new_bank_account = forms.CharField(
        label=_("New bank account"),
        required=False,
        help_text=_("Leave empty to keep the account on file."),
    )

    class Meta:
        model = Member
        fields = [
            "legal_name",
            "trading_name",
            "slug",
            "nzbn",
            "gst_registered",
            "gst_number",
            "in_trade",
            "story",
            "region",
            "town",
            "latitude",
            "longitude",
            "contact_name",
            "email",
            "phone",
            "website",
            "bank_account_name",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # As the services do: names reach spreadsheets (docs/spreadsheets.md).
        for name in ("legal_name", "trading_name", "bank_account_name"):
            self.fields[name].validators.append(validate_not_formula)

    def _normalised(self, name: str, normalise: Any) -> str:
        value = str(self.cleaned_data.get(name) or "").strip()
        if not value:
            return ""
        try:
            return str(normalise(value))
        except FormatError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc

    def clean_nzbn(self) -> str:
        return self._normalised("nzbn", nzbn_normalise)

    def clean_gst_number(self) -> str:
        return self._normalised("gst_number", ird_number_normalise)

    def clean_new_bank_account(self) -> str:
        return self._normalised("new_bank_account", bank_account_normalise)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        missing_gst_number = cleaned.get("gst_registered") and not cleaned.get(
            "gst_number"
        )
        if missing_gst_number and "gst_number" not in self.errors:
            self.add_error("gst_number", _("Give the GST number."))
        if not cleaned.get("gst_registered"):
            cleaned["gst_number"] = ""
        if self.instance.pk is not None and not self.errors:
            self._check_with_the_service()
        return cleaned

    def details(self) -> MemberDetails | None:
        """The profile fields changed in the form, as the members service takes them
        (a new bank account only when one was typed); None when nothing changed."""
        changed: dict[str, Any] = {
            name: self.cleaned_data.get(name)
            for name in self.changed_data
            if name in ADMIN_PROFILE_FIELDS
        }
        if "gst_registered" in changed or "gst_number" in self.changed_data:
            changed["gst_registered"] = bool(self.cleaned_data.get("gst_registered"))
            changed["gst_number"] = self.cleaned_data.get("gst_number", "")
        if self.cleaned_data.get("new_bank_account"):
            changed["bank_account"] = self.cleaned_data["new_bank_account"]
        return MemberDetails(**changed) if changed else None

    def _check_with_the_service(self) -> None:
        details = self.details()
        if details is None:
            return
        stored = Member.objects.select_related("region").get(pk=self.instance.pk)
        for name, messages in member_details_errors(stored, details).items():
            field = "new_bank_account" if name == "bank_account" else name
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def save(self, commit: bool = True) -> Member:
        member = super().save(commit=False)
        if member.pk is None and self.cleaned_data.get("new_bank_account"):
            member.bank_account = self.cleaned_data["new_bank_account"]
        member.story_html = render_story(member.story)
        member.search_text = member_search_text(member)
        if commit:
            member.save()
        return member


class MemberPhotoInline(admin.TabularInline[MemberPhoto, Member]):
    model = MemberPhoto
    fields = ["image", "alt_text", "position"]
    readonly_fields = ["image"]
    extra = 0
    can_delete = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # photos are added (resized, cleaned) on the member's screens


class CredentialInline(admin.TabularInline[Credential, Member]):
    model = Credential
    fields = ["kind", "issuer", "number", "expires_on", "verification"]
    readonly_fields = ["verification"]
    extra = 0
    show_change_link = True


class MembershipInline(admin.TabularInline[Membership, Member]):
    model = Membership
    fields = ("cluster", "status", "applied_at", "decided_at", "decided_by")
    readonly_fields = ("cluster", "status", "applied_at", "decided_at", "decided_by")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin[Member]):
    form = MemberAdminForm
    list_display = ["name", "legal_name", "nzbn", "region", "town", "in_trade"]
    list_filter = ["in_trade", "gst_registered", "region"]
    search_fields = ["legal_name", "trading_name", "nzbn", "town", "email"]
    list_select_related = ["region"]
    readonly_fields = ("logo", "bank_account_masked", "created_at", "updated_at")
    prepopulated_fields = {"slug": ["trading_name"]}
    inlines = [MembershipInline, CredentialInline, MemberPhotoInline]
    fieldsets = [
        (None, {"fields": ["legal_name", "trading_name", "slug", "nzbn"]}),
        (_("Tax and trade"), {"fields": ["gst_registered", "gst_number", "in_trade"]}),
        (
            _("Story and place"),
            {"fields": ["story", "region", "town", "latitude", "longitude"]},
        ),
        (
            _("Contact"),
            {"fields": ["contact_name", "email", "phone", "website", "logo"]},
        ),
        (
            _("Payouts"),
            {
                "fields": [
                    "bank_account_masked",
                    "new_bank_account",
                    "bank_account_name",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Member | None = None
    ) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "slug") if obj is not None else fields

    def get_prepopulated_fields(
        self, request: HttpRequest, obj: Member | None = None
    ) -> dict[str, Any]:
        return {} if obj is not None else dict(self.prepopulated_fields)

    def save_model(
        self, request: HttpRequest, obj: Member, form: Any, change: bool
    ) -> None:
        """A new member is saved as typed; a change goes through
        ``member_update_by_staff`` (checked again, audited), not through the form."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        details = form.details()
        if details is not None:
            updated = member_update_by_staff(
                actor=actor_from(request),
                member=Member.objects.get(pk=obj.pk),
                details=details,
            )
            form.instance = updated

    @admin.display(description=_("bank account"))
    def bank_account_masked(self, obj: Member) -> str:
        return obj.bank_account_masked or "—"

    # The shop shows members' names and credentials (cached by catalogue
    # version): told explicitly, no signals reach the search app.
    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        catalogue_changed_on_commit()

    def delete_model(self, request: HttpRequest, obj: Member) -> None:
        super().delete_model(request, obj)
        catalogue_changed_on_commit()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Member]) -> None:
        super().delete_queryset(request, queryset)
        catalogue_changed_on_commit()


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin[Credential]):
    list_display = ["__str__", "member", "issuer", "expires_on", "verification"]
    list_filter = ["kind", "verification"]
    search_fields = ["number", "issuer", "member__legal_name", "member__trading_name"]
    list_select_related = ["member"]
    autocomplete_fields = ["member"]
    exclude = ["evidence"]
    readonly_fields = [
        "evidence_link",
        "verification",
        "verified_by",
        "verified_in",
        "verified_at",
        "verification_note",
    ]

    def save_model(
        self, request: HttpRequest, obj: Credential, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        catalogue_changed_on_commit()  # shop filters and facets count credentials

    def delete_model(self, request: HttpRequest, obj: Credential) -> None:
        super().delete_model(request, obj)
        catalogue_changed_on_commit()

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[Credential]
    ) -> None:
        super().delete_queryset(request, queryset)
        catalogue_changed_on_commit()

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj: Credential) -> SafeString | str:
        if not obj.pk or not obj.evidence:
            return "—"
        url = reverse(
            "members:credential-evidence",
            kwargs={"slug": obj.member.slug, "pk": obj.pk},
        )
        return format_html('<a href="{}">{}</a>', url, _("Download"))


@admin.register(MemberPhoto)
class MemberPhotoAdmin(admin.ModelAdmin[MemberPhoto]):
    list_display = ["alt_text", "member", "position", "width", "height"]
    search_fields = ["alt_text", "member__legal_name", "member__trading_name"]
    list_select_related = ["member"]
    fields = ["member", "image", "alt_text", "position"]
    readonly_fields = ["member", "image"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # photos are added (resized, cleaned) on the member's screens


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    """Read-only: memberships are decided on the cluster admins' screens."""

    list_display = ["member", "cluster", "status", "applied_at", "decided_at"]
    list_filter = ["status", "cluster"]
    search_fields = ["member__legal_name", "member__trading_name", "cluster__name_en"]
    list_select_related = ["member", "cluster"]
    readonly_fields = [
        "member",
        "cluster",
        "status",
        "applied_at",
        "decided_at",
        "decided_by",
        "reason",
        "left_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""Admin for regions, clusters and cluster applications (with the type rules)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from purei.accounts.models import User
from purei.core.actor import Actor
from purei.core.csv_safe import validate_not_formula
from purei.core.errors import DomainError
from purei.core.validators import bank_account_mask
from purei.search.cache import catalogue_changed_on_commit
from purei.search.shelf import cluster_changed

from .listing_rules import (
    LISTING_RULE_FIELDS,
    ListingRules,
    cluster_listing_rules_update,
)
from .models import Cluster, ClusterApplication, ClusterMoneyAccounts, Region
from .rules import type_rule_errors
from .search import cluster_search_text_refresh
from .services import (
    APPLICATION_FORM_FIELDS,
    APPLICATION_NAME_FIELDS,
    CLUSTER_NAME_FIELDS,
    application_approve,
)


def _add_type_rule_errors(
    form: forms.ModelForm[Any], cleaned: dict[str, Any], type_field: str
) -> None:
    cluster_type = cleaned.get(type_field)
    if not cluster_type:
        return
    errors = type_rule_errors(
        cluster_type=cluster_type,
        region_count=len(cleaned.get("regions") or []),
        specialisation=cleaned.get("specialisation") or "",
    )
    for field, field_messages in errors.items():
        if field in form.fields and field not in form.errors:
            for message in field_messages:
                form.add_error(field, message)


def _refuse_formula_names(form: forms.BaseForm, names: Iterable[str]) -> None:
    """As the services do: names starting with =, +, - or @ are refused."""
    for name in names:
        if name in form.fields:
            form.fields[name].validators.append(validate_not_formula)


class ClusterAdminForm(forms.ModelForm[Cluster]):
    # The listing rules are not model fields of this form: ``ClusterAdmin`` sets
    # them through ``cluster_listing_rules_update`` (scope check, audit row).
    listings_need_approval = forms.BooleanField(
        label=_("A curator approves each product before it is listed"),
        required=False,
        help_text=_("Unticked: products are listed as soon as they go live."),
    )
    cultural_review = forms.BooleanField(
        label=_("Works that carry cultural designs wait for the cluster's kaitiaki"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in LISTING_RULE_FIELDS:
            self.fields[name].initial = getattr(self.instance, name)
        _refuse_formula_names(self, CLUSTER_NAME_FIELDS)

    def listing_rules(self) -> ListingRules:
        return ListingRules(
            listings_need_approval=self.cleaned_data["listings_need_approval"],
            cultural_review=self.cleaned_data["cultural_review"],
        )

    class Meta:
        model = Cluster
        fields = [
            "name_en",
            "name_mi",
            "slug",
            "status",
            "type",
            "regions",
            "specialisation",
            "lead_org_kind",
            "lead_org_name",
            "contact_email",
            "tagline",
            "story",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _add_type_rule_errors(self, cleaned, "type")
        return cleaned


class ClusterApplicationAdminForm(forms.ModelForm[ClusterApplication]):
    class Meta:
        model = ClusterApplication
        fields = list(APPLICATION_FORM_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _refuse_formula_names(self, APPLICATION_NAME_FIELDS)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _add_type_rule_errors(self, cleaned, "cluster_type")
        return cleaned


def _actor(request: HttpRequest) -> Actor:
    return Actor(user=request.user if isinstance(request.user, User) else None)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin[Region]):
    list_display = ("code", "name_en", "name_mi", "island", "time_zone", "position")
    list_editable = ("name_mi",)
    search_fields = ("code", "name_en", "name_mi", "other_names")
    ordering = ("position",)


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin[Cluster]):
    form = ClusterAdminForm
    list_display = ("name_en", "slug", "type", "status", "lead_org_name")
    list_filter = ("status", "type", "regions")
    search_fields = ("name_en", "name_mi", "slug", "lead_org_name", "specialisation")
    prepopulated_fields = {"slug": ("name_en",)}
    filter_horizontal = ("regions",)
    # The fieldsets' names become the form's model fields; excluded, the listing
    # rules (the form's own fields) never reach the cluster in a bare save: they
    # go through the service in ``save_model``.
    exclude = LISTING_RULE_FIELDS
    fieldsets = (
        (None, {"fields": ("name_en", "name_mi", "slug", "status")}),
        (
            _("Type and lead organisation"),
            {
                "fields": (
                    "type",
                    "regions",
                    "specialisation",
                    "lead_org_kind",
                    "lead_org_name",
                    "contact_email",
                )
            },
        ),
        (_("Story"), {"fields": ("tagline", "story")}),
        (_("Listing rules"), {"fields": LISTING_RULE_FIELDS}),
    )

    def view_on_site(self, obj: Cluster) -> str:
        return reverse("catalogue:cluster-home", kwargs={"slug": obj.slug})

    def save_model(
        self,
        request: HttpRequest,
        obj: Cluster,
        form: forms.ModelForm[Cluster],
        change: bool,
    ) -> None:
        cluster_search_text_refresh(obj)
        super().save_model(request, obj, form, change)
        assert isinstance(form, ClusterAdminForm)  # noqa: S101  # for mypy
        updated = cluster_listing_rules_update(
            actor=_actor(request), cluster=obj, rules=form.listing_rules()
        )
        for name in LISTING_RULE_FIELDS:
            setattr(obj, name, getattr(updated, name))
        # Whether its shop is open, told explicitly (no signals reach the shelf).
        cluster_changed(
            cluster_id=obj.pk,
            live=obj.status == Cluster.Status.LIVE,
            names=(obj.name_en, obj.name_mi),
        )

    def delete_model(self, request: HttpRequest, obj: Cluster) -> None:
        super().delete_model(request, obj)  # its shelf rows go with it
        catalogue_changed_on_commit()

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[Cluster]
    ) -> None:
        super().delete_queryset(request, queryset)
        catalogue_changed_on_commit()


@admin.register(ClusterApplication)
class ClusterApplicationAdmin(admin.ModelAdmin[ClusterApplication]):
    form = ClusterApplicationAdminForm
    list_display = (
        "proposed_name_en",
        "cluster_type",
        "lead_org_name",
        "contact_email",
        "status",
        "created_at",
    )
    list_filter = ("status", "cluster_type", "lead_org_kind")
    search_fields = (
        "proposed_name_en",
        "proposed_name_mi",
        "lead_org_name",
        "contact_name",
        "contact_email",
    )
    date_hierarchy = "created_at"
    filter_horizontal = ("regions",)
    readonly_fields = (
        "review_link",
        "finder_answers",
        "applicant",
        "status",
        "decided_by",
        "decided_at",
        "decline_reason",
        "cluster",
        "created_at",
    )
    actions = ["approve_selected"]

    @admin.display(description=_("Review"))
    def review_link(self, obj: ClusterApplication) -> SafeString | str:
        if obj.pk is None:
            return ""
        url = reverse("clusters:review-detail", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("Open the review page"))

    @admin.action(description=_("Approve the selected applications and invite admins"))
    def approve_selected(
        self, request: HttpRequest, queryset: QuerySet[ClusterApplication]
    ) -> None:
        actor = _actor(request)
        for application in queryset:
            try:
                cluster = application_approve(actor=actor, application=application)
            except DomainError as exc:
                self.message_user(
                    request,
                    f"{application.proposed_name_en}: {exc.message}",
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    _("%(name)s approved: /c/%(slug)s/")
                    % {"name": cluster.name_en, "slug": cluster.slug},
                    messages.SUCCESS,
                )


@admin.register(ClusterMoneyAccounts)
class ClusterMoneyAccountsAdmin(admin.ModelAdmin[ClusterMoneyAccounts]):
    """Read-only here: a cluster's accounts are changed on its manage screen
    (``cluster_money_accounts_update``: checked, encrypted, audited). The secrets
    show only as their last four characters; the encrypted text is never shown."""

    list_display = ("cluster", "stripe_mode", "bank_account_masked")
    fields = (
        "cluster",
        "bank_account_name",
        "bank_account_masked",
        "stripe_mode",
        "stripe_account_id",
        "stripe_publishable_key",
        "stripe_secret_key_masked",
        "stripe_webhook_secret_masked",
        "platform_fee_bps",
        "platform_fee_fixed_cents",
    )
    readonly_fields = fields

    @admin.display(description=_("bank account number"))
    def bank_account_masked(self, obj: ClusterMoneyAccounts) -> str:
        return bank_account_mask(obj.bank_account_number)

    @admin.display(description=_("Stripe secret key"))
    def stripe_secret_key_masked(self, obj: ClusterMoneyAccounts) -> str:
        return _masked(obj.stripe_secret_key_last4)

    @admin.display(description=_("webhook signing secret"))
    def stripe_webhook_secret_masked(self, obj: ClusterMoneyAccounts) -> str:
        return _masked(obj.stripe_webhook_secret_last4)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ClusterMoneyAccounts | None = None
    ) -> bool:
        return False


def _masked(last4: str) -> str:
    return f"•••• {last4}" if last4 else "—"

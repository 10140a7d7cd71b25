"""Admin for people (email login), their cluster and member roles, and invitations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from purei.core.actor import Actor
from purei.core.errors import DomainError

from .models import ClusterRole, Invitation, MemberRole, User
from .services import invitation_revoke


class UserCreationAdminForm(AdminUserCreationForm[User]):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email", "")).strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A person with this email address exists."))
        return email


class UserChangeAdminForm(UserChangeForm[User]):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email", "")).strip().lower()
        others = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("A person with this email address exists."))
        return email


class ClusterRoleInline(admin.TabularInline[ClusterRole, User]):
    model = ClusterRole
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["cluster"]


class MemberRoleInline(admin.TabularInline[MemberRole, User]):
    model = MemberRole
    fk_name = "user"
    extra = 0
    raw_id_fields = ["member"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "full_name")
    readonly_fields = ("last_login", "date_joined")
    inlines = [ClusterRoleInline, MemberRoleInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name",)}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_inlines(
        self, request: HttpRequest, obj: User | None
    ) -> list[type[InlineModelAdmin[Any, Any]]]:
        # Roles are added once the person exists (the add page stays Django's own).
        return [] if obj is None else list(self.inlines)

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(ClusterRole)
class ClusterRoleAdmin(admin.ModelAdmin[ClusterRole]):
    list_display = ("user", "cluster", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "user__full_name", "cluster__name_en")
    autocomplete_fields = ["user", "cluster"]
    list_select_related = ["user", "cluster"]


@admin.register(MemberRole)
class MemberRoleAdmin(admin.ModelAdmin[MemberRole]):
    list_display = ("user", "member", "role", "created_at")
    list_filter = ("role",)
    search_fields = (
        "user__email",
        "user__full_name",
        "member__trading_name",
        "member__legal_name",
    )
    raw_id_fields = ["user", "member"]
    list_select_related = ["user", "member"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = (
        "email",
        "cluster",
        "member",
        "role",
        "status",
        "invited_by",
        "created_at",
    )
    list_filter = ("status", "role")
    search_fields = ("email", "cluster__name_en", "member__trading_name")
    list_select_related = ["cluster", "member", "invited_by"]
    readonly_fields = (
        "email",
        "cluster",
        "member",
        "role",
        "invited_by",
        "status",
        "accepted_by",
        "decided_at",
        "created_at",
    )
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Invitations are made by invitation_create (it emails the link).
        return False

    @admin.action(description=_("Revoke the selected pending invitations"))
    def revoke_selected(
        self, request: HttpRequest, queryset: QuerySet[Invitation]
    ) -> None:
        actor = Actor(user=request.user if isinstance(request.user, User) else None)
        revoked = 0
        for invitation in queryset.select_related("cluster", "member"):
            try:
                invitation_revoke(actor=actor, invitation=invitation)
            except DomainError as exc:
                self.message_user(
                    request, f"{invitation.email}: {exc.message}", messages.WARNING
                )
            else:
                revoked += 1
        self.message_user(
            request,
            _("%(count)s invitation(s) revoked.") % {"count": revoked},
            messages.SUCCESS,
        )

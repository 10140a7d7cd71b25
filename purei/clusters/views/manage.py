"""A cluster admin's screens, under ``/manage/clusters/<slug>/``: people (roles and
invitations), brand, money and the activity log. The overview and the members
screens read memberships, so they live in ``purei.members.views.cluster_admin``.

Only the cluster's admins and platform staff get in; anyone else logged in gets
404, and an anonymous visitor is sent to log in. The views parse input and call one
service or selector each; the rules live there.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from purei.accounts.models import Invitation
from purei.accounts.selectors import (
    cluster_role_get_for,
    cluster_role_list_for,
    invitation_get_for,
    invitation_list_for,
)
from purei.accounts.services import (
    cluster_role_remove,
    invitation_create,
    invitation_revoke,
)
from purei.clusters.brand import BrandChanges, cluster_brand_update
from purei.clusters.brand_colours import (
    MIN_TEXT_CONTRAST,
    PAGE_BACKGROUND,
    WHITE,
    contrast_ratio,
    ratio_label,
)
from purei.clusters.manage_forms import (
    BrandForm,
    InviteForm,
    MoneyAccountsForm,
    MoneyForm,
)
from purei.clusters.manage_selectors import (
    audit_list_for_cluster,
    cluster_get_for_admin,
)
from purei.clusters.models import Cluster, ClusterMoneyAccounts
from purei.clusters.money_accounts import (
    MoneyAccountsChanges,
    cluster_money_accounts_update,
    money_accounts_get_for,
)
from purei.core.actor import Actor, actor_from
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.core.validators import ABN_LENGTH, abn_format, ird_number_format
from purei.web.shell import cluster_manage_context

PAGE_SIZE = 50


# What each audit verb means, for the activity log.
VERB_LABELS: dict[str, Promise] = {
    "membership.applied": gettext_lazy("Applied to join"),
    "membership.auto_approved": gettext_lazy("Admitted automatically"),
    "membership.invited_approved": gettext_lazy("Admitted by invitation"),
    "membership.approved": gettext_lazy("Approved a membership"),
    "membership.declined": gettext_lazy("Declined an application"),
    "membership.suspended": gettext_lazy("Suspended a member"),
    "membership.reinstated": gettext_lazy("Reinstated a member"),
    "membership.left": gettext_lazy("Left the cluster"),
    "cluster.brand_updated": gettext_lazy("Changed the brand"),
    "cluster.money_updated": gettext_lazy("Changed who sells or the money settings"),
    "cluster.money_accounts_updated": gettext_lazy("Changed the money accounts"),
    "cluster.listing_rules_updated": gettext_lazy("Changed the listing rules"),
    "membership.commission_changed": gettext_lazy("Changed a member's commission"),
    "invitation.created": gettext_lazy("Invited someone"),
    "invitation.accepted": gettext_lazy("Accepted an invitation"),
    "invitation.revoked": gettext_lazy("Revoked an invitation"),
    "cluster_role.removed": gettext_lazy("Removed a role"),
    "credential.verified": gettext_lazy("Verified a credential"),
    "credential.rejected": gettext_lazy("Rejected a credential"),
}


def _admin_cluster(request: HttpRequest, slug: str) -> tuple[Actor, Cluster]:
    actor = actor_from(request)
    return actor, cluster_get_for_admin(actor=actor, slug=slug)


def _context(cluster: Cluster, current: str, **more: Any) -> dict[str, Any]:
    return cluster_manage_context(cluster, current, **more)


# --- People -------------------------------------------------------------------------


def _revoke_invitation(request: HttpRequest, actor: Actor, cluster: Cluster) -> None:
    """Revoke one of this cluster's pending invitations (404 for another's)."""
    invitation_id = _int(request.POST.get("invitation"))
    invitation = invitation_get_for(actor=actor, invitation_id=invitation_id or 0)
    if invitation.cluster_id != cluster.pk:
        raise Http404
    try:
        invitation_revoke(actor=actor, invitation=invitation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s is revoked: its link no longer works.")
            % {"email": invitation.email},
        )


def _back_to(request: HttpRequest, cluster: Cluster, default: str) -> str:
    """Where a form posted from another of this cluster's screens goes back to."""
    back = request.POST.get("next", "")
    prefix = f"/manage/clusters/{cluster.slug}/"
    if back.startswith(prefix) and "//" not in back and "\\" not in back:
        return back
    return default


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def people_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, cluster = _admin_cluster(request, slug)
    here = reverse("clusters:manage-people", kwargs={"slug": cluster.slug})
    invite_form = InviteForm(prefix="invite")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "invite":
            invite_form = InviteForm(request.POST, prefix="invite")
            if invite_form.is_valid():
                try:
                    invitation_create(
                        actor=actor,
                        email=invite_form.cleaned_data["email"],
                        role=invite_form.cleaned_data["role"],
                        cluster=cluster,
                    )
                except DomainError as exc:
                    form_add_domain_error(invite_form, exc)
                else:
                    messages.success(
                        request,
                        _("Invitation emailed to %(email)s.")
                        % {"email": invite_form.cleaned_data["email"]},
                    )
                    return redirect(here)
        elif action == "remove":
            role_id = _int(request.POST.get("role"))
            role = cluster_role_get_for(actor=actor, role_id=role_id or 0)
            if role.cluster_id != cluster.pk:
                raise Http404
            try:
                cluster_role_remove(actor=actor, role=role)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("%(person)s is no longer %(role)s.")
                    % {
                        "person": role.user.get_full_name(),
                        "role": role.get_role_display().lower(),
                    },
                )
                if not (actor.is_platform_staff or actor.is_cluster_admin(cluster.pk)):
                    return redirect("members:dashboard")
            return redirect(here)
        elif action == "revoke":
            _revoke_invitation(request, actor, cluster)
            return redirect(_back_to(request, cluster, here))
        else:
            messages.error(request, _("Choose what to do."))
            return redirect(here)
    # Invitations for a business to join are on the members screen.
    invitations = list(
        invitation_list_for(actor=actor, cluster=cluster, kind="role")[:PAGE_SIZE]
    )
    return render(
        request,
        "clusters/manage/people.html",
        _context(
            cluster,
            "people",
            roles=list(cluster_role_list_for(actor=actor, cluster=cluster)),
            pending=[i for i in invitations if i.status == Invitation.Status.PENDING],
            decided=[i for i in invitations if i.status != Invitation.Status.PENDING],
            invite_form=invite_form,
        ),
        status=400 if invite_form.errors else 200,
    )


# --- Brand --------------------------------------------------------------------------


def _brand_initial(cluster: Cluster) -> dict[str, Any]:
    return {
        "name_en": cluster.name_en,
        "name_mi": cluster.name_mi,
        "tagline": cluster.tagline,
        "story": cluster.story,
        "hero_alt": cluster.hero_alt,
        "colour_primary": cluster.colour_primary,
        "colour_accent": cluster.colour_accent,
        "join_requires_approval": cluster.join_requires_approval,
        "domain": cluster.domain or "",
    }


def _contrast_notes(cluster: Cluster) -> list[str]:
    """What the current colours measure, in words."""
    notes = []
    if cluster.colour_primary:
        notes.append(
            _("White text on %(colour)s: %(ratio)s:1 (at least %(minimum)s:1 needed).")
            % {
                "colour": cluster.colour_primary,
                "ratio": ratio_label(contrast_ratio(cluster.colour_primary, WHITE)),
                "minimum": f"{MIN_TEXT_CONTRAST:.1f}",
            }
        )
    if cluster.colour_accent:
        notes.append(
            _(
                "Text in %(colour)s on the page background: %(ratio)s:1 (at least "
                "%(minimum)s:1 needed)."
            )
            % {
                "colour": cluster.colour_accent,
                "ratio": ratio_label(
                    contrast_ratio(cluster.colour_accent, PAGE_BACKGROUND)
                ),
                "minimum": f"{MIN_TEXT_CONTRAST:.1f}",
            }
        )
    return notes


@login_required
@require_http_methods(["GET", "POST"])
def brand_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, cluster = _admin_cluster(request, slug)
    if request.method == "POST":
        form = BrandForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                cluster = cluster_brand_update(
                    actor=actor, cluster=cluster, changes=form.service_data()
                )
            except ValidationFailed as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, _("The brand is saved."))
                return redirect("clusters:manage-brand", slug=cluster.slug)
    else:
        form = BrandForm(initial=_brand_initial(cluster))
    return render(
        request,
        "clusters/manage/brand.html",
        _context(
            cluster,
            "brand",
            form=form,
            contrast_notes=_contrast_notes(cluster),
        ),
        status=400 if form.errors else 200,
    )


# --- Money --------------------------------------------------------------------------


def _money_initial(cluster: Cluster) -> dict[str, Any]:
    return {
        "selling_model": cluster.selling_model,
        "lead_org_gst_registered": cluster.lead_org_gst_registered,
        "lead_org_gst_number": ird_number_format(cluster.lead_org_gst_number),
        "lead_org_address": cluster.lead_org_address,
        "commission_rate": cluster.commission_rate,
        "show_price_split": cluster.show_price_split,
        "au_gst_number": (
            abn_format(cluster.au_gst_number)
            if len(cluster.au_gst_number) == ABN_LENGTH
            else cluster.au_gst_number
        ),
        "au_gst_registered_on": cluster.au_gst_registered_on,
    }


@login_required
@require_http_methods(["GET", "POST"])
def money_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Who sells (agent or reseller), the lead organisation's GST details, the
    commission rate and whether shoppers see where their money goes."""
    actor, cluster = _admin_cluster(request, slug)
    refused = False
    if request.method == "POST":
        form = MoneyForm(request.POST)
        if form.is_valid():
            try:
                cluster = cluster_brand_update(
                    actor=actor,
                    cluster=cluster,
                    changes=BrandChanges(**form.cleaned_data),
                )
            except ValidationFailed as exc:
                form_add_domain_error(form, exc)
            except NotPermitted as exc:  # platform staff: the AU GST registration
                form.add_error(None, exc.message)
                refused = True
            else:
                messages.success(request, _("The money settings are saved."))
                return redirect("clusters:manage-money", slug=cluster.slug)
    else:
        form = MoneyForm(initial=_money_initial(cluster))
    return render(
        request,
        "clusters/manage/money.html",
        _context(cluster, "money", form=form),
        status=403 if refused else 400 if form.errors else 200,
    )


# --- Money accounts -----------------------------------------------------------------


def _accounts_initial(row: ClusterMoneyAccounts) -> dict[str, Any]:
    return {
        "bank_account_name": row.bank_account_name,
        "bank_account_number": row.bank_account_number,
        "stripe_mode": row.stripe_mode,
        "stripe_account_id": row.stripe_account_id,
        "stripe_publishable_key": row.stripe_publishable_key,
        "platform_fee_bps": row.platform_fee_bps,
        "platform_fee_fixed_cents": row.platform_fee_fixed_cents,
    }


@login_required
@require_http_methods(["GET", "POST"])
def money_accounts_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The accounts the cluster's customers pay into (bank, Stripe) and the
    platform fee. The secrets are never shown: only their last four characters."""
    actor, cluster = _admin_cluster(request, slug)
    row = money_accounts_get_for(actor=actor, cluster=cluster)
    stored = {
        "stripe_secret_key": row.stripe_secret_key_last4,
        "stripe_webhook_secret": row.stripe_webhook_secret_last4,
    }
    fee_editable = actor.is_platform_staff
    initial = _accounts_initial(row)
    status = 200
    if request.method == "POST":
        form = MoneyAccountsForm(
            request.POST, initial=initial, fee_editable=fee_editable, stored=stored
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            if not actor.is_platform_staff:
                data["platform_fee_bps"] = data["platform_fee_fixed_cents"] = None
            try:
                cluster_money_accounts_update(
                    actor=actor, cluster=cluster, changes=MoneyAccountsChanges(**data)
                )
            except ValidationFailed as exc:
                form_add_domain_error(form, exc)
            except NotPermitted as exc:
                form.add_error(None, exc.message)
                status = 403
            else:
                messages.success(request, _("The money accounts are saved."))
                return redirect("clusters:manage-money-accounts", slug=cluster.slug)
    else:
        form = MoneyAccountsForm(
            initial=initial, fee_editable=fee_editable, stored=stored
        )
    webhook_url = request.build_absolute_uri(
        reverse("stripe-cluster-webhook", kwargs={"slug": cluster.slug})
    )
    return render(
        request,
        "clusters/manage/money_accounts.html",
        _context(
            cluster,
            "money-accounts",
            form=form,
            accounts=row,
            webhook_url=webhook_url,
        ),
        status=status if status != 200 else 400 if form.errors else 200,
    )


# --- Activity -----------------------------------------------------------------------


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    fields = list(dict.fromkeys([*before, *after]))
    return [
        {"field": field, "before": before.get(field), "after": after.get(field)}
        for field in fields
    ]


@login_required
@require_GET
def activity_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, cluster = _admin_cluster(request, slug)
    entries = audit_list_for_cluster(actor=actor, cluster=cluster)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "label": VERB_LABELS.get(entry.verb, entry.verb),
            "changes": _changes(entry.before or {}, entry.after or {}),
        }
        for entry in page.object_list
    ]
    return render(
        request,
        "clusters/manage/activity.html",
        _context(cluster, "activity", page=page, rows=rows),
    )

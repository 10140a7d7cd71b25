"""Credentials: a member's team keeps them (``/manage/members/<slug>/credentials/``),
a cluster's admins verify them (``/manage/clusters/<slug>/credentials/<id>/verify/``)
and the evidence file is downloaded only by those who may see it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from purei.core.actor import actor_from
from purei.core.downloads import private_stored_file
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.core.images import content_type_for
from purei.members.forms import CredentialForm, VerifyForm
from purei.members.selectors import (
    cluster_get_for_admin,
    credential_get_for_cluster_admin,
    credential_get_for_evidence,
    credential_get_for_team,
    credential_list_for_team,
    member_get_for_team,
)
from purei.members.services import (
    credential_add,
    credential_remove,
    credential_update,
    credential_verify,
)

from .manage import manage_context, refused, safe_next


@login_required
@require_GET
def credential_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    context = manage_context(actor, member, "credentials")
    context["credentials"] = credential_list_for_team(actor=actor, member=member)
    return render(request, "members/manage/credentials.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def credential_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    context = manage_context(actor, member, "credentials")
    if not context["is_owner"]:
        raise PermissionDenied(_("Only the business's owners can add credentials."))
    form = CredentialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            credential_add(actor=actor, member=member, details=form.service_data())
        except ValidationFailed as exc:
            form_add_domain_error(form, exc)
        except NotPermitted as exc:
            raise refused(exc) from exc
        else:
            messages.success(
                request,
                _(
                    "Added. It shows on your public page once a cluster admin "
                    "verifies it."
                ),
            )
            return redirect("members:credentials", slug=member.slug)
    context.update({"form": form, "credential": None})
    return render(
        request,
        "members/manage/credential_form.html",
        context,
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def credential_update_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    credential = credential_get_for_team(actor=actor, member=member, credential_id=pk)
    context = manage_context(actor, member, "credentials")
    if not context["is_owner"]:
        raise PermissionDenied(_("Only the business's owners can change credentials."))
    form = CredentialForm(
        request.POST or None, request.FILES or None, credential=credential
    )
    if request.method == "POST" and form.is_valid():
        try:
            credential_update(
                actor=actor, credential=credential, details=form.service_data()
            )
        except ValidationFailed as exc:
            form_add_domain_error(form, exc)
        except NotPermitted as exc:
            raise refused(exc) from exc
        else:
            messages.success(request, _("Saved."))
            return redirect("members:credentials", slug=member.slug)
    context.update({"form": form, "credential": credential})
    return render(
        request,
        "members/manage/credential_form.html",
        context,
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def credential_delete_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    credential = credential_get_for_team(actor=actor, member=member, credential_id=pk)
    context = manage_context(actor, member, "credentials")
    if not context["is_owner"]:
        raise PermissionDenied(_("Only the business's owners can remove credentials."))
    if request.method == "POST":
        try:
            credential_remove(actor=actor, credential=credential)
        except NotPermitted as exc:
            raise refused(exc) from exc
        messages.success(request, _("Credential removed."))
        return redirect("members:credentials", slug=member.slug)
    context["credential"] = credential
    return render(request, "members/manage/credential_delete.html", context)


@login_required
@require_GET
def credential_evidence_view(
    request: HttpRequest, slug: str, pk: int
) -> HttpResponseBase:
    """The evidence file, to the member's team, admins of clusters the member is
    approved in, and platform staff; 404 to anyone else."""
    actor = actor_from(request)
    credential = credential_get_for_evidence(
        actor=actor, member_slug=slug, credential_id=pk
    )
    name = str(credential.evidence.name or "") if credential.evidence else ""
    content_type = content_type_for(name)
    storage = credential.evidence.storage
    if not name or content_type is None or not storage.exists(name):
        raise Http404(_("This credential has no evidence file."))
    extension = name.rsplit(".", 1)[-1]
    return private_stored_file(
        storage,
        name,
        content_type,
        f"{credential.member.slug}-{credential.kind}-evidence.{extension}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def credential_verify_view(
    request: HttpRequest, cluster_slug: str, pk: int
) -> HttpResponse:
    """A cluster admin verifies (or not) a credential of a member approved there."""
    actor = actor_from(request)
    cluster = cluster_get_for_admin(actor=actor, slug=cluster_slug)
    credential = credential_get_for_cluster_admin(
        actor=actor, cluster=cluster, credential_id=pk
    )
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = form.cleaned_data["decision"] == "verified"
        try:
            credential_verify(
                actor=actor,
                credential=credential,
                cluster=cluster,
                verified=verified,
                note=form.cleaned_data["note"],
            )
        except ValidationFailed as exc:
            form_add_domain_error(form, exc, field_map={"verified": "decision"})
        except NotPermitted as exc:
            raise refused(exc) from exc
        else:
            messages.success(
                request,
                _("%(credential)s of %(member)s: verified.")
                % {
                    "credential": credential.get_kind_display(),
                    "member": credential.member,
                }
                if verified
                else _(
                    "%(credential)s of %(member)s: not verified; the note is shown "
                    "to its team."
                )
                % {
                    "credential": credential.get_kind_display(),
                    "member": credential.member,
                },
            )
            next_path = safe_next(request)
            if next_path:
                return redirect(next_path)
            return redirect(
                "members:credential-verify", cluster_slug=cluster.slug, pk=credential.pk
            )
    return render(
        request,
        "members/manage/credential_verify.html",
        {
            "cluster": cluster,
            "credential": credential,
            "member": credential.member,
            "form": form,
            "next": safe_next(request) or "",
        },
        status=422 if form.errors else 200,
    )

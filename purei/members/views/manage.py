"""A member business's own screens: ``/manage/members/…``.

Its owners and staff (and platform staff) see them; only owners change anything
(a refused change is a 403). Anyone else gets a 404, as if the business did not
exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from purei.core.actor import Actor, actor_from
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.members.forms import MemberForm, PhotoAltForm, PhotoForm
from purei.members.models import Member
from purei.members.selectors import (
    member_get_for_team,
    member_team_for,
    photo_get_for_team,
    photo_list_for_team,
)
from purei.members.services import (
    MAX_PHOTOS,
    member_create,
    member_not_ready_reasons,
    member_photo_add,
    member_photo_move,
    member_photo_remove,
    member_photo_update,
    member_update,
)
from purei.members.story import render_story
from purei.web.shell import member_manage_context


def manage_context(actor: Actor, member: Member, section: str) -> dict[str, Any]:
    """What every manage page of a member shows: its name, tabs and public pages."""
    return member_manage_context(
        member=member, section=section, team=member_team_for(actor=actor, member=member)
    )


def refused(exc: NotPermitted) -> PermissionDenied:
    return PermissionDenied(exc.message)


def safe_next(request: HttpRequest) -> str | None:
    """The ``next`` address when it is a path on this site, else None."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    local = target.startswith("/") and not target.startswith(("//", "/\\"))
    if local and url_has_allowed_host_and_scheme(
        target,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return target
    return None


@login_required
@require_http_methods(["GET", "POST"])
def member_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_from(request)
    next_path = safe_next(request)
    form = MemberForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = member_create(actor=actor, details=form.service_data())
        except ValidationFailed as exc:
            form_add_domain_error(form, exc)
        except NotPermitted as exc:
            raise refused(exc) from exc
        else:
            messages.success(
                request,
                _("%(name)s is on Pūrei, and you are its owner.")
                % {"name": member.name},
            )
            if next_path:
                return redirect(next_path)
            return redirect("members:manage", slug=member.slug)
    return render(
        request,
        "members/manage/create.html",
        {"form": form, "next": next_path or ""},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_update_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    context = manage_context(actor, member, "profile")
    status = 200
    if request.method == "POST":
        form = MemberForm(request.POST, request.FILES, member=member)
        if not context["is_owner"]:
            raise PermissionDenied(_("Only the business's owners can change it."))
        if request.POST.get("action") == "preview":
            context["preview"] = render_story(request.POST.get("story", ""))
        elif form.is_valid():
            try:
                member = member_update(
                    actor=actor, member=member, details=form.service_data()
                )
            except ValidationFailed as exc:
                form_add_domain_error(form, exc)
            except NotPermitted as exc:
                raise refused(exc) from exc
            else:
                messages.success(request, _("Saved."))
                return redirect("members:manage", slug=member.slug)
        if form.errors:
            status = 422
    else:
        form = MemberForm(member=member)
    if not context["is_owner"]:
        for field in form.fields.values():
            field.disabled = True
    context.update(
        {
            "form": form,
            "not_ready": member_not_ready_reasons(member),
        }
    )
    return render(request, "members/manage/update.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def member_photos_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    context = manage_context(actor, member, "photos")
    form = PhotoForm()
    status = 200
    here = reverse("members:photos", kwargs={"slug": member.slug})
    if request.method == "POST":
        if not context["is_owner"]:
            raise PermissionDenied(_("Only the business's owners can change photos."))
        action = request.POST.get("action", "")
        try:
            if action == "add":
                form = PhotoForm(request.POST, request.FILES)
                if form.is_valid():
                    try:
                        member_photo_add(
                            actor=actor,
                            member=member,
                            image=form.cleaned_data["image"],
                            alt_text=form.cleaned_data["alt_text"],
                        )
                    except ValidationFailed as exc:
                        form_add_domain_error(form, exc)
                    else:
                        messages.success(request, _("Photo added."))
                        return redirect(here)
                status = 422
            elif action in {"alt", "remove", "up", "down"}:
                photo_id = _int(request.POST.get("photo"))
                photo = photo_get_for_team(
                    actor=actor, member=member, photo_id=photo_id
                )
                if action == "alt":
                    alt_form = PhotoAltForm(request.POST)
                    if alt_form.is_valid():
                        member_photo_update(
                            actor=actor,
                            photo=photo,
                            alt_text=alt_form.cleaned_data["alt_text"],
                        )
                        messages.success(request, _("Description saved."))
                    else:
                        messages.error(
                            request,
                            _("Describe the photo for people who can't see it."),
                        )
                elif action == "remove":
                    member_photo_remove(actor=actor, photo=photo)
                    messages.success(request, _("Photo removed."))
                else:
                    offset = -1 if action == "up" else 1
                    member_photo_move(actor=actor, photo=photo, offset=offset)
                    messages.success(request, _("Order saved."))
                return redirect(here)
            else:
                messages.error(request, _("Choose what to do with the photos."))
                return redirect(here)
        except NotPermitted as exc:
            raise refused(exc) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(here)
    photos = photo_list_for_team(actor=actor, member=member)
    context.update(
        {
            "form": form,
            "photos": photos,
            "max_photos": MAX_PHOTOS,
            "can_add": len(photos) < MAX_PHOTOS,
        }
    )
    return render(request, "members/manage/photos.html", context, status=status)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0

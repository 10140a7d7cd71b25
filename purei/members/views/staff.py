"""A business's team: ``/manage/members/<slug>/staff/``. Its owners (and platform
staff) see who holds which role and the pending invitations, invite people by email
as staff or owner, revoke invitations and remove people."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from purei.accounts.models import Invitation
from purei.accounts.selectors import (
    invitation_get_for,
    invitation_list_for,
    member_role_get_for,
    member_role_list_for,
)
from purei.accounts.services import (
    invitation_create,
    invitation_revoke,
    member_role_remove,
)
from purei.core.actor import actor_from
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.members.forms import StaffInviteForm
from purei.members.selectors import member_get_for_team

from .manage import _int, manage_context, refused


@login_required
@require_http_methods(["GET", "POST"])
def member_staff_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    # Only the owners (and platform staff) manage people: others get a 404 here.
    roles = list(member_role_list_for(actor=actor, member=member))
    here = reverse("members:staff", kwargs={"slug": member.slug})
    form = StaffInviteForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "invite":
                form = StaffInviteForm(request.POST)
                if form.is_valid():
                    try:
                        invitation = invitation_create(
                            actor=actor,
                            email=form.cleaned_data["email"],
                            role=form.cleaned_data["role"],
                            member=member,
                            language=get_language(),
                        )
                    except ValidationFailed as exc:
                        form_add_domain_error(form, exc)
                    except NotPermitted:
                        raise
                    except DomainError as exc:
                        form_add_domain_error(form, exc)
                    else:
                        messages.success(
                            request,
                            _("Invitation emailed to %(email)s.")
                            % {"email": invitation.email},
                        )
                        return redirect(here)
                status = 422
            elif action == "revoke":
                invitation = invitation_get_for(
                    actor=actor, invitation_id=_int(request.POST.get("invitation"))
                )
                if invitation.member_id != member.pk:
                    return redirect(here)
                invitation_revoke(actor=actor, invitation=invitation)
                messages.success(request, _("Invitation revoked."))
                return redirect(here)
            elif action == "remove":
                role = member_role_get_for(
                    actor=actor, role_id=_int(request.POST.get("role"))
                )
                if role.member_id != member.pk:
                    return redirect(here)
                member_role_remove(actor=actor, role=role)
                messages.success(
                    request,
                    _("%(person)s no longer has that role.")
                    % {"person": role.user.get_full_name()},
                )
                if role.user_id == getattr(request.user, "pk", None):
                    return redirect("web:home")
                return redirect(here)
            else:
                messages.error(request, _("Choose what to do."))
                return redirect(here)
        except NotPermitted as exc:
            raise refused(exc) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(here)
    context = manage_context(actor, member, "staff")
    invitations = [
        invitation
        for invitation in invitation_list_for(actor=actor, member=member)
        if invitation.status == Invitation.Status.PENDING
    ]
    context.update({"roles": roles, "invitations": invitations, "form": form})
    return render(request, "members/manage/staff.html", context, status=status)

"""Working together's pages, under ``/manage/together/<cluster>/…`` for the
cluster's members' teams, admins and curators (everyone else: 404), and a
member's sharing choice at ``/manage/members/<slug>/together/``.

Everything works without JavaScript. Files are downloaded through scoped views
only (never ``/media/``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from purei.core.actor import Actor, actor_from
from purei.core.downloads import private_stored_file
from purei.core.errors import DomainError, NotPermitted, ValidationFailed
from purei.core.forms import form_add_domain_error
from purei.core.images import content_type_for
from purei.core.storage import private_storage
from purei.members.selectors import member_get_for_team, member_team_for
from purei.members.story import render_story
from purei.web.shell import member_manage_context

from .forms import (
    DigestForm,
    InterestForm,
    ModerateForm,
    PartnerPostForm,
    ReplyForm,
    ResourceForm,
    SharingForm,
    ThreadForm,
    VersionForm,
)
from .models import PartnerPost, Thread
from .selectors import (
    Access,
    attachment_get,
    clusters_for_member,
    digest_frequency,
    directory_list,
    interests_for_poster,
    is_following,
    is_poster,
    own_interests,
    partner_post_get,
    partner_post_list,
    resource_get,
    resource_list,
    resource_version_get,
    sharing_get,
    thread_get,
    thread_list,
    together_access,
)
from .services.board import (
    ReplyInput,
    ThreadInput,
    digest_choose,
    reply_create,
    reply_moderate,
    thread_create,
    thread_follow,
    thread_moderate,
    thread_unfollow,
)
from .services.partners import (
    PartnerPostInput,
    partner_interest_express,
    partner_interest_withdraw,
    partner_post_close,
    partner_post_create,
)
from .services.resources import (
    ResourceInput,
    VersionInput,
    resource_create,
    resource_version_add,
)
from .services.sharing import SharingInput, sharing_update

SECTIONS = (
    ("board", "cooperation:board", _("Notice board")),
    ("resources", "cooperation:resources", _("Shared resources")),
    ("partners", "cooperation:partners", _("Partner search")),
    ("directory", "cooperation:directory", _("Members' directory")),
    ("group_buys", "cooperation:group-buys", _("Group buys")),
    ("votes", "cooperation:votes", _("Votes")),
    ("levies", "cooperation:levies", _("Levies")),
    ("customers", "cooperation:customers", _("Shared customers")),
)


def _context(access: Access, section: str, **more: Any) -> dict[str, Any]:
    return {
        "access": access,
        "cluster": access.cluster,
        "section": section,
        "sections": SECTIONS,
        **more,
    }


def _access(request: HttpRequest, slug: str) -> tuple[Actor, Access]:
    actor = actor_from(request)
    return actor, together_access(actor=actor, slug=slug)


def _refused(form: Form, exc: DomainError) -> None:
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(exc.message) from exc
    if isinstance(exc, ValidationFailed):
        for name in list(form.errors):
            if name in exc.errors:
                del form.errors[name]
    form_add_domain_error(form, exc)


def _download(name: str, filename: str) -> HttpResponseBase:
    """A private file (attachment, library file, minutes: all in the private
    storage) saved as ``filename``."""
    content_type = content_type_for(name)
    storage = private_storage()
    if not name or content_type is None or not storage.exists(name):
        raise Http404(_("No such file here."))
    return private_stored_file(storage, name, content_type, filename)


# --- The notice board ---------------------------------------------------------


@login_required
@require_GET
def board_view(request: HttpRequest, slug: str) -> HttpResponse:
    _actor, access = _access(request, slug)
    category = request.GET.get("category", "")
    if category not in Thread.Category.values:
        category = ""
    following = request.GET.get("following") == "1"
    threads = list(
        thread_list(access=access, category=category, following=following)[:100]
    )
    context = _context(
        access,
        "board",
        threads=threads,
        categories=Thread.Category.choices,
        category=category,
        following=following,
        digest_form=DigestForm(initial={"frequency": digest_frequency(access=access)}),
    )
    return render(request, "cooperation/board.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def thread_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, access = _access(request, slug)
    form = ThreadForm(members=access.members)
    status = 200
    if request.method == "POST":
        form = ThreadForm(request.POST, request.FILES, members=access.members)
        form.is_valid()
        details = ThreadInput(
            category=request.POST.get("category", ""),
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
            member=request.POST.get("member") or None,
            attachments=request.FILES.getlist("attachments"),
        )
        try:
            thread = thread_create(actor=actor, access=access, details=details)
        except DomainError as exc:
            _refused(form, exc)
            status = 422
        else:
            messages.success(request, _("Your notice is on the board."))
            return redirect("cooperation:thread", slug=slug, pk=thread.pk)
    return render(
        request,
        "cooperation/thread_form.html",
        _context(access, "board", form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def thread_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, access = _access(request, slug)
    thread = thread_get(access=access, thread_id=pk)
    form = ReplyForm(members=access.members)
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES, members=access.members)
        form.is_valid()
        details = ReplyInput(
            body=request.POST.get("body", ""),
            member=request.POST.get("member") or None,
            attachments=request.FILES.getlist("attachments"),
        )
        try:
            reply_create(actor=actor, access=access, thread=thread, details=details)
        except DomainError as exc:
            _refused(form, exc)
            status = 422
        else:
            messages.success(request, _("Your reply is posted."))
            return redirect("cooperation:thread", slug=slug, pk=thread.pk)
    replies = [{"reply": r, "html": render_story(r.body)} for r in thread.replies.all()]
    context = _context(
        access,
        "board",
        thread=thread,
        body_html=render_story(thread.body),
        replies=replies,
        form=form,
        following=is_following(access=access, thread=thread),
        can_reply=not thread.locked or access.is_moderator,
        moderate_form=ModerateForm(),
    )
    return render(request, "cooperation/thread.html", context, status=status)


@login_required
@require_POST
def thread_follow_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, access = _access(request, slug)
    thread = thread_get(access=access, thread_id=pk)
    if request.POST.get("action") == "unfollow":
        thread_unfollow(actor=actor, access=access, thread=thread)
        messages.success(request, _("You no longer follow this notice."))
    else:
        thread_follow(actor=actor, access=access, thread=thread)
        messages.success(request, _("You follow this notice."))
    return redirect("cooperation:thread", slug=slug, pk=thread.pk)


@login_required
@require_POST
def thread_moderate_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, access = _access(request, slug)
    if not access.is_moderator:
        raise PermissionDenied(_("Only the cluster's admins and curators moderate."))
    thread = thread_get(access=access, thread_id=pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    reply_id = request.POST.get("reply", "")
    try:
        if reply_id:
            found = [r for r in thread.replies.all() if str(r.pk) == reply_id]
            if not found:
                raise Http404(_("No such reply here."))
            reply_moderate(
                actor=actor, access=access, reply=found[0], action=action, reason=reason
            )
        else:
            thread_moderate(
                actor=actor, access=access, thread=thread, action=action, reason=reason
            )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("cooperation:thread", slug=slug, pk=thread.pk)


@login_required
@require_POST
def digest_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, access = _access(request, slug)
    try:
        digest_choose(
            actor=actor, access=access, frequency=request.POST.get("frequency", "")
        )
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your digest choice is saved."))
    return redirect("cooperation:board", slug=slug)


@login_required
@require_GET
def attachment_view(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    _actor, access = _access(request, slug)
    attachment = attachment_get(access=access, attachment_id=pk)
    name = str(attachment.file.name or "")
    extension = name.rsplit(".", 1)[-1]
    return _download(name, f"notice-{attachment.thread_id}-{attachment.pk}.{extension}")


# --- Shared resources ---------------------------------------------------------


@login_required
@require_GET
def resources_view(request: HttpRequest, slug: str) -> HttpResponse:
    _actor, access = _access(request, slug)
    context = _context(
        access, "resources", resources=list(resource_list(access=access))
    )
    return render(request, "cooperation/resources.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def resource_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, access = _access(request, slug)
    if not access.is_admin:
        raise PermissionDenied(_("Only the cluster's admins add to the library."))
    form = ResourceForm()
    status = 200
    if request.method == "POST":
        form = ResourceForm(request.POST, request.FILES)
        form.is_valid()
        details = ResourceInput(
            title=request.POST.get("title", ""),
            description=request.POST.get("description", ""),
            kind=request.POST.get("kind", ""),
            visibility=request.POST.get("visibility", ""),
            url=request.POST.get("url", ""),
            file=request.FILES.get("file"),
            note=request.POST.get("note", ""),
        )
        try:
            resource = resource_create(actor=actor, access=access, details=details)
        except DomainError as exc:
            _refused(form, exc)
            status = 422
        else:
            messages.success(request, _("Added to the library."))
            return redirect("cooperation:resource", slug=slug, pk=resource.pk)
    return render(
        request,
        "cooperation/resource_form.html",
        _context(access, "resources", form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, access = _access(request, slug)
    resource = resource_get(access=access, resource_id=pk)
    form = VersionForm()
    status = 200
    if request.method == "POST":
        if not access.is_admin:
            raise PermissionDenied(_("Only the cluster's admins change the library."))
        form = VersionForm(request.POST, request.FILES)
        form.is_valid()
        details = VersionInput(
            url=request.POST.get("url", ""),
            file=request.FILES.get("file"),
            note=request.POST.get("note", ""),
        )
        try:
            resource_version_add(
                actor=actor, access=access, resource=resource, details=details
            )
        except DomainError as exc:
            _refused(form, exc)
            status = 422
        else:
            messages.success(request, _("The new version is in the library."))
            return redirect("cooperation:resource", slug=slug, pk=resource.pk)
    context = _context(access, "resources", resource=resource, form=form)
    return render(request, "cooperation/resource.html", context, status=status)


@login_required
@require_GET
def resource_file_view(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    _actor, access = _access(request, slug)
    version = resource_version_get(access=access, version_id=pk)
    name = str(version.file.name or "")
    extension = name.rsplit(".", 1)[-1]
    return _download(
        name, f"resource-{version.resource_id}-v{version.number}.{extension}"
    )


# --- Partner search -----------------------------------------------------------


@login_required
@require_GET
def partners_view(request: HttpRequest, slug: str) -> HttpResponse:
    _actor, access = _access(request, slug)
    now = timezone.now()
    posts = [
        {
            "post": post,
            "own": post.member_id in access.member_ids,
            "open": post.closed_at is None and post.expires_at > now,
        }
        for post in partner_post_list(access=access, now=now)[:200]
    ]
    context = _context(access, "partners", posts=posts)
    return render(request, "cooperation/partners.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def partner_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor, access = _access(request, slug)
    if not access.members:
        raise PermissionDenied(_("Only the cluster's member businesses post here."))
    form = PartnerPostForm(members=access.members)
    status = 200
    if request.method == "POST":
        form = PartnerPostForm(request.POST, members=access.members)
        form.is_valid()
        details = PartnerPostInput(
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
            days=request.POST.get("days", ""),
            member=request.POST.get("member") or None,
        )
        try:
            post = partner_post_create(actor=actor, access=access, details=details)
        except DomainError as exc:
            _refused(form, exc)
            status = 422
        else:
            messages.success(request, _("Your post is up."))
            return redirect("cooperation:partner", slug=slug, pk=post.pk)
    return render(
        request,
        "cooperation/partner_form.html",
        _context(access, "partners", form=form),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    actor, access = _access(request, slug)
    post = partner_post_get(access=access, post_id=pk)
    others = tuple(m for m in access.members if m.pk != post.member_id)
    form = InterestForm(members=others)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "interest")
        form = InterestForm(request.POST, members=others)
        form.is_valid()
        try:
            if action == "close":
                partner_post_close(actor=actor, access=access, post=post)
                messages.success(request, _("Your post is closed."))
            elif action == "withdraw":
                partner_interest_withdraw(actor=actor, access=access, post=post)
                messages.success(request, _("You are no longer listed as interested."))
            else:
                if not others:
                    raise PermissionDenied(_("Only other member businesses say so."))
                partner_interest_express(
                    actor=actor,
                    access=access,
                    post=post,
                    note=request.POST.get("note", ""),
                    member=request.POST.get("member") or others[0].slug,
                )
                messages.success(request, _("The poster can see you are interested."))
        except DomainError as exc:
            _refused(form, exc)
            status = 422
        else:
            return redirect("cooperation:partner", slug=slug, pk=post.pk)
    now = timezone.now()
    context = _context(
        access,
        "partners",
        post=post,
        body_html=render_story(post.body),
        is_poster=is_poster(access=access, post=post),
        is_open=post.closed_at is None and post.expires_at > now,
        interests=interests_for_poster(access=access, post=post),
        mine=own_interests(access=access, post=post),
        can_express=bool(others),
        form=form,
        kinds=dict(PartnerPost.Kind.choices),
    )
    return render(request, "cooperation/partner.html", context, status=status)


# --- The members' directory ---------------------------------------------------


@login_required
@require_GET
def directory_view(request: HttpRequest, slug: str) -> HttpResponse:
    _actor, access = _access(request, slug)
    context = _context(access, "directory", entries=directory_list(access=access))
    return render(request, "cooperation/directory.html", context)


# --- A member's own: its clusters' spaces and its sharing choice ---------------


@login_required
@require_http_methods(["GET", "POST"])
def member_together_view(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    if not actor.is_member_team(member.pk):
        raise Http404(_("No business you manage lives at this address."))
    choice = sharing_get(member=member)
    form = SharingForm(
        initial={
            "makes": choice.makes,
            "capacity": choice.capacity,
            "share_makes": choice.share_makes,
            "share_capacity": choice.share_capacity,
            "share_credentials": choice.share_credentials,
            "share_contact": choice.share_contact,
        }
    )
    status = 200
    if request.method == "POST":
        form = SharingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                sharing_update(
                    actor=actor,
                    member_id=member.pk,
                    details=SharingInput(
                        makes=data["makes"],
                        capacity=data["capacity"],
                        share_makes=data["share_makes"],
                        share_capacity=data["share_capacity"],
                        share_credentials=data["share_credentials"],
                        share_contact=data["share_contact"],
                    ),
                )
            except DomainError as exc:
                _refused(form, exc)
                status = 422
            else:
                messages.success(request, _("Your sharing choice is saved."))
                return redirect("cooperation:member-together", slug=member.slug)
        else:
            status = 422
    context = member_manage_context(
        member=member,
        section="together",
        team=member_team_for(actor=actor, member=member),
        clusters=clusters_for_member(member=member),
        form=form,
        can_manage=actor.is_member_owner(member.pk),
    )
    return render(request, "cooperation/member_together.html", context, status=status)

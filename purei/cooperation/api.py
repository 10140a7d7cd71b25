"""Working together over JSON (browser session; docs/cooperation.md "API").

For the teams of a cluster's approved members and its admins and curators; 401
anonymous, 404 for anyone else (platform staff included), 403 for what they may
see but not do, 422 naming each field at fault. Files (notices' and replies'
attachments, library files) are posted as ``multipart/form-data`` to the
``threads-with-files``, ``replies-with-files``, ``resources-with-file`` and
``…/versions`` operations and go through the same services, checks and limits
as the web pages; they are downloaded only through the access-checked pages
named by each ``download_url``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.params.functions import File as FileParam
from ninja.security import django_auth
from pydantic import ConfigDict

from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema
from purei.members.selectors import member_get_for_team
from purei.members.story import render_story

from .models import Attachment, PartnerPost, Resource, Thread
from .selectors import (
    Access,
    directory_list,
    interests_for_poster,
    partner_post_get,
    partner_post_list,
    resource_get,
    resource_list,
    sharing_get,
    thread_get,
    thread_list,
    together_access,
)
from .services.board import (
    MAX_ATTACHMENTS,
    ReplyInput,
    ThreadInput,
    reply_create,
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

# At most MAX_ATTACHMENTS files per post (the schema says so; so does the service).
ATTACHMENTS = FileParam(..., max_length=MAX_ATTACHMENTS)

router = Router(tags=["working together"])


def _access(request: HttpRequest, slug: str) -> Access:
    return together_access(actor=actor_from(request), slug=slug)


# --- Schemas ------------------------------------------------------------------


class ThreadIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    category: Literal["announcements", "freight", "events", "help_wanted"]
    title: str = Field(max_length=160)
    body: str = Field(description="Markdown; @member-slug or @person@email mentions.")
    member: str = Field("", description="Your business's slug (if you have several).")


class BoardReplyIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    body: str
    member: str = ""


class BoardModerateIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    action: Literal["pin", "unpin", "lock", "unlock", "hide", "unhide"]
    reason: str = Field("", max_length=300, description="Needed to hide.")


class ThreadFormIn(InputSchema):
    """A notice posted with files (``multipart/form-data``); checked by the
    same service as the web form."""

    category: str = Field(description="announcements, freight, events, help_wanted")
    title: str = ""
    body: str = ""
    member: str = ""


class ReplyFormIn(InputSchema):
    body: str = ""
    member: str = ""


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    download_url: str = Field(description="The access-checked download page.")


class ReplyOut(Schema):
    id: int
    body: str
    body_html: str
    member: str | None
    created_at: dt.datetime
    hidden: bool
    hidden_reason: str
    attachments: list[AttachmentOut]


class ThreadOut(Schema):
    id: int
    category: str
    title: str
    member: str | None = Field(description="The posting business; null: the cluster.")
    pinned: bool
    locked: bool
    hidden: bool
    hidden_reason: str
    created_at: dt.datetime
    last_activity_at: dt.datetime


class ThreadDetailOut(ThreadOut):
    body: str
    body_html: str = Field(description="Sanitised as members' stories are.")
    attachments: list[AttachmentOut]
    replies: list[ReplyOut]


def _attachment(slug: str, a: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=a.pk,
        name=a.name,
        content_type=a.content_type,
        size=a.size,
        download_url=reverse("cooperation:attachment", args=[slug, a.pk]),
    )


def thread_out(thread: Thread) -> ThreadOut:
    return ThreadOut(
        id=thread.pk,
        category=thread.category,
        title=thread.title,
        member=thread.author_member.slug if thread.author_member else None,
        pinned=thread.pinned,
        locked=thread.locked,
        hidden=thread.hidden_at is not None,
        hidden_reason=thread.hidden_reason,
        created_at=thread.created_at,
        last_activity_at=thread.last_activity_at,
    )


def thread_detail_out(thread: Thread, slug: str) -> ThreadDetailOut:
    return ThreadDetailOut(
        **thread_out(thread).model_dump(),
        body=thread.body,
        body_html=render_story(thread.body),
        attachments=[_attachment(slug, a) for a in thread.attachments.all()],
        replies=[
            ReplyOut(
                id=r.pk,
                body=r.body,
                body_html=render_story(r.body),
                member=r.author_member.slug if r.author_member else None,
                created_at=r.created_at,
                hidden=r.hidden_at is not None,
                hidden_reason=r.hidden_reason,
                attachments=[_attachment(slug, a) for a in r.attachments.all()],
            )
            for r in thread.replies.all()
        ],
    )


# --- The notice board ---------------------------------------------------------


@router.get(
    "/clusters/{slug}/board/threads",
    response=list[ThreadOut],
    auth=django_auth,
    summary="The cluster's notices (its members and admins)",
)
def thread_list_api(
    request: HttpRequest, slug: str, category: Annotated[str, Query(max_length=32)] = ""
) -> list[ThreadOut]:
    access = _access(request, slug)
    found = thread_list(access=access, category=category)[:200]
    return [thread_out(t) for t in found]


@router.post(
    "/clusters/{slug}/board/threads",
    response={201: ThreadDetailOut},
    auth=django_auth,
    summary="Post a notice",
)
def thread_create_api(
    request: HttpRequest, slug: str, payload: ThreadIn
) -> Status[ThreadDetailOut]:
    access = _access(request, slug)
    made = thread_create(
        actor=actor_from(request),
        access=access,
        details=ThreadInput(
            category=payload.category,
            title=payload.title,
            body=payload.body,
            member=payload.member or None,
        ),
    )
    found = thread_get(access=access, thread_id=made.pk)
    return Status(201, thread_detail_out(found, slug))


@router.get(
    "/clusters/{slug}/board/threads/{thread_id}",
    response=ThreadDetailOut,
    auth=django_auth,
    summary="One notice with its replies",
)
def thread_get_api(request: HttpRequest, slug: str, thread_id: int) -> ThreadDetailOut:
    access = _access(request, slug)
    return thread_detail_out(thread_get(access=access, thread_id=thread_id), slug)


@router.post(
    "/clusters/{slug}/board/threads/{thread_id}/replies",
    response={201: ThreadDetailOut},
    auth=django_auth,
    summary="Reply to a notice",
)
def reply_create_api(
    request: HttpRequest, slug: str, thread_id: int, payload: BoardReplyIn
) -> Status[ThreadDetailOut]:
    access = _access(request, slug)
    thread = thread_get(access=access, thread_id=thread_id)
    reply_create(
        actor=actor_from(request),
        access=access,
        thread=thread,
        details=ReplyInput(body=payload.body, member=payload.member or None),
    )
    found = thread_get(access=access, thread_id=thread_id)
    return Status(201, thread_detail_out(found, slug))


@router.post(
    "/clusters/{slug}/board/threads-with-files",
    response={201: ThreadDetailOut},
    auth=django_auth,
    summary="Post a notice with files (multipart: up to five PDF, JPEG or PNG)",
)
def thread_create_files_api(
    request: HttpRequest,
    slug: str,
    payload: Form[ThreadFormIn],
    attachments: list[UploadedFile] = ATTACHMENTS,
) -> Status[ThreadDetailOut]:
    access = _access(request, slug)
    made = thread_create(
        actor=actor_from(request),
        access=access,
        details=ThreadInput(
            category=payload.category,
            title=payload.title,
            body=payload.body,
            member=payload.member or None,
            attachments=attachments,
        ),
    )
    found = thread_get(access=access, thread_id=made.pk)
    return Status(201, thread_detail_out(found, slug))


@router.post(
    "/clusters/{slug}/board/threads/{thread_id}/replies-with-files",
    response={201: ThreadDetailOut},
    auth=django_auth,
    summary="Reply with files (multipart: up to five PDF, JPEG or PNG)",
)
def reply_create_files_api(
    request: HttpRequest,
    slug: str,
    thread_id: int,
    payload: Form[ReplyFormIn],
    attachments: list[UploadedFile] = ATTACHMENTS,
) -> Status[ThreadDetailOut]:
    access = _access(request, slug)
    thread = thread_get(access=access, thread_id=thread_id)
    reply_create(
        actor=actor_from(request),
        access=access,
        thread=thread,
        details=ReplyInput(
            body=payload.body,
            member=payload.member or None,
            attachments=attachments,
        ),
    )
    found = thread_get(access=access, thread_id=thread_id)
    return Status(201, thread_detail_out(found, slug))


@router.post(
    "/clusters/{slug}/board/threads/{thread_id}/follow",
    response={204: None},
    auth=django_auth,
    summary="Follow a notice (its news in your digest)",
)
def thread_follow_api(request: HttpRequest, slug: str, thread_id: int) -> Status[None]:
    access = _access(request, slug)
    thread = thread_get(access=access, thread_id=thread_id)
    thread_follow(actor=actor_from(request), access=access, thread=thread)
    return Status(204, None)


@router.post(
    "/clusters/{slug}/board/threads/{thread_id}/unfollow",
    response={204: None},
    auth=django_auth,
    summary="Stop following a notice",
)
def thread_unfollow_api(
    request: HttpRequest, slug: str, thread_id: int
) -> Status[None]:
    access = _access(request, slug)
    thread = thread_get(access=access, thread_id=thread_id)
    thread_unfollow(actor=actor_from(request), access=access, thread=thread)
    return Status(204, None)


@router.post(
    "/clusters/{slug}/board/threads/{thread_id}/moderate",
    response=ThreadOut,
    auth=django_auth,
    summary="Pin, lock or hide a notice (the cluster's admins and curators)",
)
def thread_moderate_api(
    request: HttpRequest, slug: str, thread_id: int, payload: BoardModerateIn
) -> ThreadOut:
    access = _access(request, slug)
    thread = thread_get(access=access, thread_id=thread_id)
    done = thread_moderate(
        actor=actor_from(request),
        access=access,
        thread=thread,
        action=payload.action,
        reason=payload.reason,
    )
    return thread_out(done)


# --- Shared resources ---------------------------------------------------------


class ResourceIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(max_length=160)
    description: str = ""
    visibility: Literal["members", "admins"] = "members"
    url: str = Field(description="A link (files are uploaded on the web page).")
    note: str = ""


class ResourceFormIn(InputSchema):
    """A file for the library (``multipart/form-data``, with ``file``)."""

    title: str = ""
    description: str = ""
    visibility: str = Field("members", description="members or admins")
    note: str = ""


class VersionFormIn(InputSchema):
    """A new version (``multipart/form-data``): a ``file`` for a file entry,
    ``url`` for a link."""

    url: str = ""
    note: str = ""


class VersionOut(Schema):
    id: int
    number: int
    url: str
    has_file: bool
    download_url: str | None = Field(
        description="The access-checked download page of the file; null: a link."
    )
    note: str
    created_at: dt.datetime


class ResourceOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    visibility: str
    versions: list[VersionOut] = Field(description="Newest first.")


def resource_out(resource: Resource, slug: str) -> ResourceOut:
    return ResourceOut(
        id=resource.pk,
        title=resource.title,
        description=resource.description,
        kind=resource.kind,
        visibility=resource.visibility,
        versions=[
            VersionOut(
                id=v.pk,
                number=v.number,
                url=v.url,
                has_file=bool(v.file),
                download_url=(
                    reverse("cooperation:resource-file", args=[slug, v.pk])
                    if v.file
                    else None
                ),
                note=v.note,
                created_at=v.created_at,
            )
            for v in resource.versions.all()
        ],
    )


@router.get(
    "/clusters/{slug}/resources",
    response=list[ResourceOut],
    auth=django_auth,
    summary="The cluster's shared library (admins-only entries to admins)",
)
def resource_list_api(request: HttpRequest, slug: str) -> list[ResourceOut]:
    found = resource_list(access=_access(request, slug))
    return [resource_out(r, slug) for r in found]


@router.post(
    "/clusters/{slug}/resources",
    response={201: ResourceOut},
    auth=django_auth,
    summary="Add a link to the library (the cluster's admins)",
)
def resource_create_api(
    request: HttpRequest, slug: str, payload: ResourceIn
) -> Status[ResourceOut]:
    access = _access(request, slug)
    made = resource_create(
        actor=actor_from(request),
        access=access,
        details=ResourceInput(
            title=payload.title,
            description=payload.description,
            kind=Resource.Kind.LINK,
            visibility=payload.visibility,
            url=payload.url,
            note=payload.note,
        ),
    )
    found = resource_get(access=access, resource_id=made.pk)
    return Status(201, resource_out(found, slug))


@router.get(
    "/clusters/{slug}/resources/{resource_id}",
    response=ResourceOut,
    auth=django_auth,
    summary="One library entry with its version history",
)
def resource_get_api(request: HttpRequest, slug: str, resource_id: int) -> ResourceOut:
    access = _access(request, slug)
    return resource_out(resource_get(access=access, resource_id=resource_id), slug)


@router.post(
    "/clusters/{slug}/resources-with-file",
    response={201: ResourceOut},
    auth=django_auth,
    summary="Add a file to the library (the cluster's admins; PDF, JPEG or PNG)",
)
def resource_create_file_api(
    request: HttpRequest,
    slug: str,
    payload: Form[ResourceFormIn],
    file: File[UploadedFile],
) -> Status[ResourceOut]:
    access = _access(request, slug)
    made = resource_create(
        actor=actor_from(request),
        access=access,
        details=ResourceInput(
            title=payload.title,
            description=payload.description,
            kind=Resource.Kind.FILE,
            visibility=payload.visibility,
            file=file,
            note=payload.note,
        ),
    )
    found = resource_get(access=access, resource_id=made.pk)
    return Status(201, resource_out(found, slug))


@router.post(
    "/clusters/{slug}/resources/{resource_id}/versions",
    response={201: ResourceOut},
    auth=django_auth,
    summary="Add a new version: a file or a link (the cluster's admins)",
)
def resource_version_add_api(
    request: HttpRequest,
    slug: str,
    resource_id: int,
    payload: Form[VersionFormIn],
    file: File[UploadedFile | None] = None,
) -> Status[ResourceOut]:
    access = _access(request, slug)
    resource = resource_get(access=access, resource_id=resource_id)
    resource_version_add(
        actor=actor_from(request),
        access=access,
        resource=resource,
        details=VersionInput(url=payload.url, file=file, note=payload.note),
    )
    found = resource_get(access=access, resource_id=resource_id)
    return Status(201, resource_out(found, slug))


# --- Partner search -----------------------------------------------------------


class PartnerPostIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["need", "offer"]
    title: str = Field(max_length=160)
    body: str
    days: int = Field(30, ge=1, le=90, description="How long it stays up.")
    member: str = ""


class InterestIn(InputSchema):
    model_config = ConfigDict(extra="forbid")
    note: str = Field("", max_length=500)
    member: str = ""


class InterestOut(Schema):
    member: str
    member_name: str
    note: str
    created_at: dt.datetime


class PartnerPostOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    member: str
    member_name: str
    expires_at: dt.datetime
    closed: bool
    interested: list[InterestOut] = Field(
        description="Who is interested: to the poster's team only, else empty."
    )


def post_out(access: Access, post: PartnerPost, *, detail: bool) -> PartnerPostOut:
    interests = interests_for_poster(access=access, post=post) if detail else []
    return PartnerPostOut(
        id=post.pk,
        kind=post.kind,
        title=post.title,
        body=post.body,
        member=post.member.slug,
        member_name=post.member.name,
        expires_at=post.expires_at,
        closed=post.closed_at is not None,
        interested=[
            InterestOut(
                member=i.member.slug,
                member_name=i.member.name,
                note=i.note,
                created_at=i.created_at,
            )
            for i in interests
        ],
    )


@router.get(
    "/clusters/{slug}/partner-posts",
    response=list[PartnerPostOut],
    auth=django_auth,
    summary="Open needs and offers (and your own)",
)
def partner_post_list_api(request: HttpRequest, slug: str) -> list[PartnerPostOut]:
    access = _access(request, slug)
    return [
        post_out(access, p, detail=False)
        for p in partner_post_list(access=access)[:200]
    ]


@router.post(
    "/clusters/{slug}/partner-posts",
    response={201: PartnerPostOut},
    auth=django_auth,
    summary="Post a need or an offer",
)
def partner_post_create_api(
    request: HttpRequest, slug: str, payload: PartnerPostIn
) -> Status[PartnerPostOut]:
    access = _access(request, slug)
    made = partner_post_create(
        actor=actor_from(request),
        access=access,
        details=PartnerPostInput(
            kind=payload.kind,
            title=payload.title,
            body=payload.body,
            days=payload.days,
            member=payload.member or None,
        ),
    )
    return Status(201, post_out(access, made, detail=True))


@router.get(
    "/clusters/{slug}/partner-posts/{post_id}",
    response=PartnerPostOut,
    auth=django_auth,
    summary="One need or offer (the poster also sees who is interested)",
)
def partner_post_get_api(
    request: HttpRequest, slug: str, post_id: int
) -> PartnerPostOut:
    access = _access(request, slug)
    post = partner_post_get(access=access, post_id=post_id)
    return post_out(access, post, detail=True)


@router.post(
    "/clusters/{slug}/partner-posts/{post_id}/interest",
    response={204: None},
    auth=django_auth,
    summary="Tell the poster your business is interested",
)
def partner_interest_api(
    request: HttpRequest, slug: str, post_id: int, payload: InterestIn
) -> Status[None]:
    access = _access(request, slug)
    post = partner_post_get(access=access, post_id=post_id)
    others = [m for m in access.members if m.pk != post.member_id]
    partner_interest_express(
        actor=actor_from(request),
        access=access,
        post=post,
        note=payload.note,
        member=payload.member or (others[0].slug if len(others) == 1 else None),
    )
    return Status(204, None)


@router.post(
    "/clusters/{slug}/partner-posts/{post_id}/withdraw",
    response={204: None},
    auth=django_auth,
    summary="Your business is no longer interested",
)
def partner_withdraw_api(request: HttpRequest, slug: str, post_id: int) -> Status[None]:
    access = _access(request, slug)
    post = partner_post_get(access=access, post_id=post_id)
    partner_interest_withdraw(actor=actor_from(request), access=access, post=post)
    return Status(204, None)


@router.post(
    "/clusters/{slug}/partner-posts/{post_id}/close",
    response=PartnerPostOut,
    auth=django_auth,
    summary="Close your own post",
)
def partner_close_api(request: HttpRequest, slug: str, post_id: int) -> PartnerPostOut:
    access = _access(request, slug)
    post = partner_post_get(access=access, post_id=post_id)
    closed = partner_post_close(actor=actor_from(request), access=access, post=post)
    return post_out(access, closed, detail=True)


# --- The members' directory and sharing ----------------------------------------


class PartnerCredentialOut(Schema):
    kind: str
    name: str


class DirectoryOut(Schema):
    member: str
    name: str
    town: str
    makes: str
    capacity: str
    credentials: list[PartnerCredentialOut]
    email: str
    phone: str


@router.get(
    "/clusters/{slug}/member-directory",
    response=list[DirectoryOut],
    auth=django_auth,
    summary="The cluster's members, with what each chose to share",
)
def directory_api(request: HttpRequest, slug: str) -> list[DirectoryOut]:
    return [
        DirectoryOut(
            member=e.member.slug,
            name=e.member.name,
            town=e.member.town,
            makes=e.makes,
            capacity=e.capacity,
            credentials=[
                PartnerCredentialOut(kind=c.kind, name=c.name) for c in e.credentials
            ],
            email=e.email,
            phone=e.phone,
        )
        for e in directory_list(access=_access(request, slug))
    ]


class SharingIO(InputSchema):
    model_config = ConfigDict(extra="forbid")
    makes: str = Field("", max_length=1000)
    capacity: str = Field("", max_length=1000)
    share_makes: bool = False
    share_capacity: bool = False
    share_credentials: bool = False
    share_contact: bool = False


@router.get(
    "/members/{slug}/sharing",
    response=SharingIO,
    auth=django_auth,
    summary="What the business shares with its clusters' members (its team)",
)
def sharing_get_api(request: HttpRequest, slug: str) -> SharingIO:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    if not actor.is_member_team(member.pk):
        raise Http404
    choice = sharing_get(member=member)
    return SharingIO(
        makes=choice.makes,
        capacity=choice.capacity,
        share_makes=choice.share_makes,
        share_capacity=choice.share_capacity,
        share_credentials=choice.share_credentials,
        share_contact=choice.share_contact,
    )


@router.put(
    "/members/{slug}/sharing",
    response=SharingIO,
    auth=django_auth,
    summary="Change what the business shares (its owners)",
)
def sharing_put_api(request: HttpRequest, slug: str, payload: SharingIO) -> SharingIO:
    actor = actor_from(request)
    member = member_get_for_team(actor=actor, slug=slug)
    sharing_update(
        actor=actor, member_id=member.pk, details=SharingInput(**payload.model_dump())
    )
    return sharing_get_api(request, slug)

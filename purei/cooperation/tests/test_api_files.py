"""Working together's files over the API (multipart): a notice's and a reply's
attachments, library files and versions, and a vote's minutes. Each goes
through the same service (and upload check) as the web page; each is then
downloaded only through the access-checked page its ``download_url`` names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from purei.cooperation.models import Attachment, Resource, ResourceVersion
from purei.cooperation.selectors import together_access
from purei.cooperation.services.votes import MotionInput, motion_open
from purei.cooperation.tests.factories import ThreadFactory
from purei.core.actor import Actor

pytestmark = pytest.mark.django_db


def _pdf(name: str = "rates.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 rates", "application/pdf")


def _exe() -> SimpleUploadedFile:
    return SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/octet-stream")


def _text_as_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("notes.pdf", b"just some words", "application/pdf")


def _assert_refused_file(response: Any, field: str) -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    assert set(body) == {"code", "message", "field", "errors"}
    assert body["field"] == field
    assert field in body["errors"]


def _assert_private_download(client: Client, url: str, content: bytes) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response) == content
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


# --- The notice board -----------------------------------------------------------


def test_a_member_posts_a_notice_with_files_listed_and_downloaded(
    client: Client, cluster_x, member_a_owner_user
):
    # given
    client.force_login(member_a_owner_user)
    base = f"/api/v1/clusters/{cluster_x.slug}/board"
    # when
    made = client.post(
        f"{base}/threads-with-files",
        {
            "category": "freight",
            "title": "Pallet",
            "body": "Half spare",
            "attachments": [_pdf("a.pdf"), _pdf("b.pdf")],
        },
    )
    # then
    assert made.status_code == 201, made.content
    listed = client.get(f"{base}/threads/{made.json()['id']}").json()
    assert [a["name"] for a in listed["attachments"]] == ["a.pdf", "b.pdf"]
    assert listed["member"] == "member-a"
    _assert_private_download(
        client, listed["attachments"][0]["download_url"], b"%PDF-1.4 rates"
    )


@pytest.mark.parametrize("upload", [_exe, _text_as_pdf])
def test_a_notice_with_a_file_that_is_not_pdf_or_picture_is_refused(
    client: Client, cluster_x, member_a_owner_user, upload
):
    # given
    client.force_login(member_a_owner_user)
    # when
    response = client.post(
        f"/api/v1/clusters/{cluster_x.slug}/board/threads-with-files",
        {
            "category": "events",
            "title": "Fair",
            "body": "Come",
            "attachments": upload(),
        },
    )
    # then
    _assert_refused_file(response, "attachments")
    assert Attachment.objects.exists() is False


def test_at_most_five_files_a_notice(client: Client, cluster_x, member_a_owner_user):
    # given
    client.force_login(member_a_owner_user)
    # when
    response = client.post(
        f"/api/v1/clusters/{cluster_x.slug}/board/threads-with-files",
        {
            "category": "events",
            "title": "Fair",
            "body": "Come",
            "attachments": [_pdf(f"{n}.pdf") for n in range(6)],
        },
    )
    # then
    _assert_refused_file(response, "attachments")


def test_only_the_clusters_people_post_files(
    client: Client, cluster_x, member_a, cluster_y_admin_user, customer_user
):
    # given
    thread = ThreadFactory.create(cluster=cluster_x, author_member=member_a)
    base = f"/api/v1/clusters/{cluster_x.slug}/board"
    data = {"category": "events", "title": "Fair", "body": "Come"}
    # then anonymous: 401
    assert client.post(f"{base}/threads-with-files", data).status_code == 401
    for outsider in (cluster_y_admin_user, customer_user):
        client.force_login(outsider)
        notice = client.post(
            f"{base}/threads-with-files", {**data, "attachments": _pdf()}
        )
        reply = client.post(
            f"{base}/threads/{thread.pk}/replies-with-files",
            {"body": "Me", "attachments": _pdf()},
        )
        assert (notice.status_code, reply.status_code) == (404, 404)
    assert Attachment.objects.exists() is False


def test_a_reply_with_files_by_staff_and_locked_notices_as_on_the_web(
    client: Client, cluster_x, member_a, member_a_staff_user, cluster_x_admin_user
):
    # given
    thread = ThreadFactory.create(cluster=cluster_x, author_member=member_a)
    url = f"/api/v1/clusters/{cluster_x.slug}/board/threads/{thread.pk}"
    client.force_login(member_a_staff_user)
    # when
    replied = client.post(
        f"{url}/replies-with-files", {"body": "Quote", "attachments": _pdf("q.pdf")}
    )
    # then
    assert replied.status_code == 201, replied.content
    listed = client.get(url).json()
    assert [a["name"] for r in listed["replies"] for a in r["attachments"]] == ["q.pdf"]
    assert listed["attachments"] == []
    bad = client.post(
        f"{url}/replies-with-files", {"body": "x", "attachments": _text_as_pdf()}
    )
    _assert_refused_file(bad, "attachments")
    # and once locked, members are refused (403) but moderators still reply
    thread.locked = True
    thread.save()
    locked = client.post(
        f"{url}/replies-with-files", {"body": "More", "attachments": _pdf()}
    )
    assert locked.status_code == 403
    client.force_login(cluster_x_admin_user)
    moderator = client.post(
        f"{url}/replies-with-files", {"body": "Noted", "attachments": _pdf()}
    )
    assert moderator.status_code == 201
    assert Attachment.objects.count() == 2


# --- Shared resources -------------------------------------------------------------


def test_an_admin_adds_a_file_and_a_new_version(
    client: Client, cluster_x, cluster_x_admin_user, member_a_owner_user
):
    # given
    client.force_login(cluster_x_admin_user)
    base = f"/api/v1/clusters/{cluster_x.slug}/resources"
    # when
    made = client.post(
        f"{base}-with-file",
        {"title": "Brand kit", "note": "First", "file": _pdf("kit.pdf")},
    )
    # then
    assert made.status_code == 201, made.content
    resource_id = made.json()["id"]
    assert made.json()["kind"] == "file"
    versioned = client.post(
        f"{base}/{resource_id}/versions", {"note": "Second", "file": _pdf("kit2.pdf")}
    )
    assert versioned.status_code == 201, versioned.content
    listed = next(r for r in client.get(base).json() if r["id"] == resource_id)
    assert [(v["number"], v["note"]) for v in listed["versions"]] == [
        (2, "Second"),
        (1, "First"),
    ]
    # and a member of the cluster downloads it through the access-checked page
    client.force_login(member_a_owner_user)
    _assert_private_download(
        client, listed["versions"][0]["download_url"], b"%PDF-1.4 rates"
    )


def test_library_files_are_for_admins_and_checked(
    client: Client,
    cluster_x,
    cluster_x_admin_user,
    member_a_owner_user,
    cluster_y_admin_user,
):
    # given
    shared = Resource.objects.create(cluster=cluster_x, title="Kit", kind="file")
    admins = Resource.objects.create(
        cluster=cluster_x, title="Board", kind="file", visibility="admins"
    )
    link = Resource.objects.create(cluster=cluster_x, title="Guide", kind="link")
    base = f"/api/v1/clusters/{cluster_x.slug}/resources"
    # then a member is refused (403), or not told an admins-only entry exists
    client.force_login(member_a_owner_user)
    assert (
        client.post(f"{base}-with-file", {"title": "X", "file": _pdf()}).status_code
        == 403
    )
    assert (
        client.post(f"{base}/{shared.pk}/versions", {"file": _pdf()}).status_code == 403
    )
    assert (
        client.post(f"{base}/{admins.pk}/versions", {"file": _pdf()}).status_code == 404
    )
    # and another cluster's admin gets 404
    client.force_login(cluster_y_admin_user)
    assert (
        client.post(f"{base}-with-file", {"title": "X", "file": _pdf()}).status_code
        == 404
    )
    assert (
        client.post(f"{base}/{shared.pk}/versions", {"file": _pdf()}).status_code == 404
    )
    # and the admin's bad files are refused as on the web
    client.force_login(cluster_x_admin_user)
    for upload in (_exe, _text_as_pdf):
        _assert_refused_file(
            client.post(f"{base}-with-file", {"title": "X", "file": upload()}), "file"
        )
        _assert_refused_file(
            client.post(f"{base}/{shared.pk}/versions", {"file": upload()}), "file"
        )
    _assert_refused_file(client.post(f"{base}/{shared.pk}/versions", {}), "file")
    assert ResourceVersion.objects.exists() is False
    # and a link gets its new version by url
    linked = client.post(
        f"{base}/{link.pk}/versions", {"url": "https://example.nz/guide-2"}
    )
    assert linked.status_code == 201, linked.content
    assert linked.json()["versions"][0]["download_url"] is None


# --- Votes' minutes -----------------------------------------------------------------


def _motion(cluster, admin_user) -> int:
    admin = Actor(user=admin_user)
    motion = motion_open(
        actor=admin,
        access=together_access(actor=admin, slug=cluster.slug),
        details=MotionInput(
            title="Budget",
            kind="yes_no",
            closes_at=timezone.now() + dt.timedelta(days=1),
        ),
    )
    return motion.pk


def test_an_admin_attaches_minutes_members_download_them(
    client: Client, cluster_x, cluster_x_admin_user, member_a_owner_user
):
    # given
    motion_id = _motion(cluster_x, cluster_x_admin_user)
    url = f"/api/v1/clusters/{cluster_x.slug}/votes/{motion_id}"
    client.force_login(cluster_x_admin_user)
    # when
    response = client.post(f"{url}/minutes", {"minutes": _pdf("minutes.pdf")})
    # then
    assert response.status_code == 200, response.content
    client.force_login(member_a_owner_user)
    listed = client.get(url).json()
    assert listed["minutes"] is True
    _assert_private_download(client, listed["minutes_url"], b"%PDF-1.4 rates")


def test_minutes_are_for_admins_and_checked(
    client: Client,
    cluster_x,
    member_a,
    cluster_x_admin_user,
    member_a_owner_user,
    cluster_y_admin_user,
):
    # given
    motion_id = _motion(cluster_x, cluster_x_admin_user)
    url = f"/api/v1/clusters/{cluster_x.slug}/votes/{motion_id}/minutes"
    # then
    assert client.post(url, {"minutes": _pdf()}).status_code == 401
    client.force_login(member_a_owner_user)
    assert client.post(url, {"minutes": _pdf()}).status_code == 403
    client.force_login(cluster_y_admin_user)
    assert client.post(url, {"minutes": _pdf()}).status_code == 404
    client.force_login(cluster_x_admin_user)
    for upload in (_exe, _text_as_pdf):
        _assert_refused_file(client.post(url, {"minutes": upload()}), "minutes")
    detail = client.get(f"/api/v1/clusters/{cluster_x.slug}/votes/{motion_id}")
    assert detail.json()["minutes_url"] is None

"""Working together's pages, end to end through the test client."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from purei.cooperation.models import DigestChoice, PartnerPost, Thread
from purei.cooperation.tests.factories import ThreadFactory

pytestmark = pytest.mark.django_db


def test_a_member_posts_reads_and_downloads(
    client: Client, cluster_x, member_a_owner_user
):
    # given
    client.force_login(member_a_owner_user)
    base = f"/manage/together/{cluster_x.slug}/board/"
    # when
    posted = client.post(
        base + "new/",
        {
            "category": "freight",
            "title": "Pallet north",
            "body": "**Half** a pallet <script>x</script>",
            "attachments": SimpleUploadedFile(
                "a.pdf", b"%PDF-1.4 a", "application/pdf"
            ),
        },
    )
    # then
    assert posted.status_code == 302
    thread = Thread.objects.get()
    page = client.get(posted["Location"]).content.decode()
    assert "<strong>Half</strong>" in page
    assert "<script>" not in page
    assert "Pallet north" in client.get(base).content.decode()
    download = client.get(
        f"/manage/together/{cluster_x.slug}/board/files/{thread.attachments.get().pk}/"
    )
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"


def test_a_form_with_errors_is_sent_back(
    client: Client, cluster_x, member_a_owner_user
):
    # given
    client.force_login(member_a_owner_user)
    # when
    response = client.post(
        f"/manage/together/{cluster_x.slug}/board/new/", {"category": "freight"}
    )
    # then
    assert response.status_code == 422
    assert "Give your notice a title." in response.content.decode()


def test_an_admin_moderates_on_the_page(
    client: Client, cluster_x, cluster_x_admin_user
):
    # given
    thread = ThreadFactory.create(cluster=cluster_x)
    client.force_login(cluster_x_admin_user)
    url = f"/manage/together/{cluster_x.slug}/board/{thread.pk}/moderate/"
    # when
    client.post(url, {"action": "pin"})
    client.post(url, {"action": "hide", "reason": "Off topic"})
    # then
    thread.refresh_from_db()
    assert thread.pinned
    assert thread.hidden_reason == "Off topic"


def test_partner_post_and_interest_pages(
    client: Client, cluster_x, member_a_owner_user, member_c_owner_user
):
    # given: member A posts
    client.force_login(member_a_owner_user)
    client.post(
        f"/manage/together/{cluster_x.slug}/partners/new/",
        {
            "kind": "offer",
            "title": "Half a container",
            "body": "To Brisbane",
            "days": "14",
        },
    )
    post = PartnerPost.objects.get()
    url = f"/manage/together/{cluster_x.slug}/partners/{post.pk}/"
    # when: member C is interested
    client.force_login(member_c_owner_user)
    client.post(url, {"action": "interest", "note": "We have 3 pallets"})
    # then: the poster sees who; C does not see the list
    assert "We have 3 pallets" not in client.get(url).content.decode()
    client.force_login(member_a_owner_user)
    assert "We have 3 pallets" in client.get(url).content.decode()


def test_the_sharing_choice_and_directory(
    client: Client, cluster_x, member_a, member_a_owner_user, member_c_owner_user
):
    # given
    client.force_login(member_a_owner_user)
    # when
    saved = client.post(
        "/manage/members/member-a/together/",
        {
            "capacity": "SECRET-CAPACITY",
            "share_capacity": "on",
            "makes": "SECRET-MAKES",
        },
    )
    # then
    assert saved.status_code == 302
    client.force_login(member_c_owner_user)
    page = client.get(f"/manage/together/{cluster_x.slug}/directory/").content.decode()
    assert "SECRET-CAPACITY" in page
    assert "SECRET-MAKES" not in page


def test_the_digest_is_sent_once(
    cluster_x, member_a_owner, member_a_owner_user, client: Client
):
    # given: member A follows a notice that has news, and wants a daily digest
    from purei.cooperation.models import Follow

    thread = ThreadFactory.create(cluster=cluster_x, title="Market day")
    Follow.objects.create(thread=thread, user=member_a_owner_user)
    DigestChoice.objects.create(
        user=member_a_owner_user, cluster=cluster_x, frequency="daily"
    )
    # when: cron runs it twice (tasks run at once in tests)
    call_command("board_digest", "--daily")
    call_command("board_digest", "--daily")
    # then
    assert len(mail.outbox) == 1
    assert "Market day" in mail.outbox[0].body
    assert mail.outbox[0].to == ["owner@member-a.nz"]


def test_no_digest_after_leaving_the_cluster(cluster_x, member_a, member_a_owner_user):
    # given
    from purei.cooperation.models import Follow
    from purei.members.models import Membership

    thread = ThreadFactory.create(cluster=cluster_x)
    Follow.objects.create(thread=thread, user=member_a_owner_user)
    Membership.objects.filter(member=member_a).update(status=Membership.Status.LEFT)
    # when
    call_command("board_digest", "--weekly")
    # then
    assert mail.outbox == []

"""Working together's services: who may do what, and nothing leaks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from purei.clusters.models import Cluster
from purei.cooperation.models import (
    Attachment,
    Follow,
    Mention,
    PartnerInterest,
    PartnerPost,
    Resource,
    Thread,
)
from purei.cooperation.selectors import (
    access_for,
    directory_list,
    interests_for_poster,
    partner_post_list,
    resource_list,
    thread_get,
    thread_list,
    together_access,
)
from purei.cooperation.services.board import (
    ReplyInput,
    ThreadInput,
    reply_create,
    reply_moderate,
    thread_create,
    thread_moderate,
)
from purei.cooperation.services.partners import (
    PartnerPostInput,
    partner_interest_express,
    partner_post_create,
)
from purei.cooperation.services.resources import (
    ResourceInput,
    VersionInput,
    resource_create,
    resource_version_add,
)
from purei.cooperation.services.sharing import SharingInput, sharing_update
from purei.cooperation.tests.factories import PartnerPostFactory, ThreadFactory
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.members.models import Member
from purei.members.tests.factories import CredentialFactory

pytestmark = pytest.mark.django_db


def test_who_enters_a_clusters_space(
    cluster_x,
    member_a_owner,
    member_a_staff,
    cluster_x_admin,
    cluster_y_admin,
    platform_staff,
    customer,
    anonymous,
):
    # when / then: the members' teams and the admins; nobody else
    assert access_for(actor=member_a_owner, cluster=cluster_x) is not None
    assert access_for(actor=member_a_staff, cluster=cluster_x) is not None
    admin = access_for(actor=cluster_x_admin, cluster=cluster_x)
    assert admin is not None
    assert admin.is_moderator
    for outsider in (cluster_y_admin, platform_staff, customer, anonymous):
        with pytest.raises(Http404):
            together_access(actor=outsider, slug=cluster_x.slug)


def test_a_member_posts_a_notice_with_a_mention_and_a_file(
    cluster_x, member_a_owner, member_c, member_c_owner_user
):
    # given
    access = together_access(actor=member_a_owner, slug=cluster_x.slug)
    pdf = SimpleUploadedFile("rates.pdf", b"%PDF-1.4 rates", "application/pdf")
    # when
    thread = thread_create(
        actor=member_a_owner,
        access=access,
        details=ThreadInput(
            category="freight",
            title="Pallet to Auckland",
            body="Half a pallet spare, @member-c and @nobody-here?",
            attachments=[pdf],
        ),
    )
    # then
    assert thread.author_member is not None
    assert thread.author_member.slug == "member-a"
    assert Mention.objects.get().member == member_c
    assert set(Follow.objects.values_list("user_id", flat=True)) == {
        member_a_owner.user.pk,
        member_c_owner_user.pk,
    }
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert not str(attachment.file.name).endswith("rates.pdf")  # a fresh name
    assert AuditEntry.objects.filter(verb="board.thread_posted").count() == 1


def test_an_upload_that_is_not_a_pdf_or_picture_is_refused(cluster_x, member_a_owner):
    # given
    access = together_access(actor=member_a_owner, slug=cluster_x.slug)
    script = SimpleUploadedFile(
        "x.pdf", b"<script>alert(1)</script>", "application/pdf"
    )
    # when
    with pytest.raises(ValidationFailed) as refused:
        thread_create(
            actor=member_a_owner,
            access=access,
            details=ThreadInput(
                category="events", title="Fair", body="Come", attachments=[script]
            ),
        )
    # then
    assert "attachments" in refused.value.errors
    assert Thread.objects.exists() is False


def test_only_moderators_announce(cluster_x, member_a_owner, cluster_x_admin):
    # when
    with pytest.raises(ValidationFailed):
        thread_create(
            actor=member_a_owner,
            access=together_access(actor=member_a_owner, slug=cluster_x.slug),
            details=ThreadInput(category="announcements", title="Hi", body="Hi"),
        )
    made = thread_create(
        actor=cluster_x_admin,
        access=together_access(actor=cluster_x_admin, slug=cluster_x.slug),
        details=ThreadInput(category="announcements", title="AGM", body="**Tuesday**"),
    )
    # then: for the cluster itself
    assert made.author_member is None


def test_hiding_a_notice_needs_a_reason_is_audited_and_hides_it(
    cluster_x, member_a, member_a_owner, cluster_x_admin
):
    # given
    thread = ThreadFactory.create(cluster=cluster_x, author_member=member_a)
    admin = together_access(actor=cluster_x_admin, slug=cluster_x.slug)
    member = together_access(actor=member_a_owner, slug=cluster_x.slug)
    # when: no reason
    with pytest.raises(ValidationFailed):
        thread_moderate(
            actor=cluster_x_admin, access=admin, thread=thread, action="hide"
        )
    # then nothing changed
    thread.refresh_from_db()
    assert thread.hidden_at is None
    # when: with a reason
    thread_moderate(
        actor=cluster_x_admin, access=admin, thread=thread, action="hide", reason="Spam"
    )
    # then
    assert list(thread_list(access=member)) == []
    with pytest.raises(Http404):
        thread_get(access=member, thread_id=thread.pk)
    assert [t.pk for t in thread_list(access=admin)] == [thread.pk]
    entry = AuditEntry.objects.get(verb="board.thread_hide")
    assert entry.after["reason"] == "Spam"


def test_members_may_not_moderate(cluster_x, member_a_owner):
    # given
    thread = ThreadFactory.create(cluster=cluster_x)
    access = together_access(actor=member_a_owner, slug=cluster_x.slug)
    # when
    with pytest.raises(NotPermitted):
        thread_moderate(
            actor=member_a_owner, access=access, thread=thread, action="pin"
        )
    # then
    thread.refresh_from_db()
    assert thread.pinned is False


def test_a_locked_notice_takes_no_replies_and_hidden_replies_vanish(
    cluster_x, member_a_owner, cluster_x_admin
):
    # given
    thread = ThreadFactory.create(cluster=cluster_x)
    admin = together_access(actor=cluster_x_admin, slug=cluster_x.slug)
    member = together_access(actor=member_a_owner, slug=cluster_x.slug)
    reply = reply_create(
        actor=member_a_owner, access=member, thread=thread, details=ReplyInput("Yes")
    )
    reply_moderate(
        actor=cluster_x_admin, access=admin, reply=reply, action="hide", reason="Rude"
    )
    thread_moderate(actor=cluster_x_admin, access=admin, thread=thread, action="lock")
    # when
    with pytest.raises(NotPermitted):
        reply_create(
            actor=member_a_owner, access=member, thread=thread, details=ReplyInput("x")
        )
    # then
    assert list(thread_get(access=member, thread_id=thread.pk).replies.all()) == []
    assert len(thread_get(access=admin, thread_id=thread.pk).replies.all()) == 1


def test_admins_only_resources_and_versions(cluster_x, member_a_owner, cluster_x_admin):
    # given
    admin = together_access(actor=cluster_x_admin, slug=cluster_x.slug)
    member = together_access(actor=member_a_owner, slug=cluster_x.slug)
    kit = resource_create(
        actor=cluster_x_admin,
        access=admin,
        details=ResourceInput(
            title="Brand kit", kind="link", url="https://example.nz/kit-v1"
        ),
    )
    resource_create(
        actor=cluster_x_admin,
        access=admin,
        details=ResourceInput(
            title="Board minutes",
            kind="link",
            visibility="admins",
            url="https://example.nz/minutes",
        ),
    )
    # when
    resource_version_add(
        actor=cluster_x_admin,
        access=admin,
        resource=kit,
        details=VersionInput(url="https://example.nz/kit-v2", note="New logo"),
    )
    # then
    assert [r.title for r in resource_list(access=member)] == ["Brand kit"]
    assert len(resource_list(access=admin)) == 2
    assert [v.number for v in kit.versions.order_by("-number")] == [2, 1]
    with pytest.raises(NotPermitted):
        resource_create(
            actor=member_a_owner,
            access=member,
            details=ResourceInput(title="x", kind="link", url="https://x.nz"),
        )
    assert Resource.objects.count() == 2


def test_partner_interest_is_seen_by_the_poster_only(
    cluster_x, member_a, member_a_owner, member_c, member_c_owner, cluster_x_admin
):
    # given: member A offers, member C is interested
    a = together_access(actor=member_a_owner, slug=cluster_x.slug)
    c = together_access(actor=member_c_owner, slug=cluster_x.slug)
    admin = together_access(actor=cluster_x_admin, slug=cluster_x.slug)
    post = partner_post_create(
        actor=member_a_owner,
        access=a,
        details=PartnerPostInput(kind="offer", title="Cool store", body="2 pallets"),
    )
    # when
    partner_interest_express(actor=member_c_owner, access=c, post=post, note="Yes!")
    partner_interest_express(actor=member_c_owner, access=c, post=post, note="Again")
    # then
    assert [i.member for i in interests_for_poster(access=a, post=post)] == [member_c]
    assert interests_for_poster(access=c, post=post) == []
    assert interests_for_poster(access=admin, post=post) == []
    assert PartnerInterest.objects.get().note == "Again"
    with pytest.raises(ValidationFailed):
        partner_interest_express(actor=member_a_owner, access=a, post=post)


def test_posts_expire(cluster_x, member_a, member_c_owner):
    # given
    PartnerPostFactory.create(
        cluster=cluster_x,
        member=member_a,
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    live = PartnerPostFactory.create(cluster=cluster_x, member=member_a)
    c = together_access(actor=member_c_owner, slug=cluster_x.slug)
    # then
    assert list(partner_post_list(access=c)) == [live]
    expired = PartnerPost.objects.exclude(pk=live.pk).get()
    with pytest.raises(NotPermitted):
        partner_interest_express(actor=member_c_owner, access=c, post=expired)


def test_the_directory_shows_only_what_each_member_shares(
    cluster_x, member_a, member_a_owner, member_c, member_c_owner, member_a_staff
):
    # given: member A shares capacity only; member C shares nothing
    member_a.email = "secret@member-a.nz"
    member_a.save()
    CredentialFactory.create(member=member_a, verification="verified")
    sharing_update(
        actor=member_a_owner,
        member_id=member_a.pk,
        details=SharingInput(
            makes="Pinot", capacity="2,000 bottles a month", share_capacity=True
        ),
    )
    # when
    entries = {
        e.member.slug: e
        for e in directory_list(
            access=together_access(actor=member_c_owner, slug=cluster_x.slug)
        )
    }
    # then
    assert entries["member-a"].capacity == "2,000 bottles a month"
    assert entries["member-a"].makes == ""
    assert entries["member-a"].email == ""
    assert entries["member-a"].credentials == []
    assert entries["member-c"].shares_anything is False
    # and staff may not change the choice
    with pytest.raises(NotPermitted):
        sharing_update(
            actor=member_a_staff,
            member_id=member_a.pk,
            details=SharingInput(share_contact=True),
        )


def test_nothing_crosses_clusters(cluster_x, cluster_y, member_a, cluster_y_admin):
    # given: a notice and a post in cluster X
    ThreadFactory.create(cluster=cluster_x, title="SECRET")
    PartnerPostFactory.create(cluster=cluster_x, member=member_a)
    y = together_access(actor=cluster_y_admin, slug=cluster_y.slug)
    # then
    assert list(thread_list(access=y)) == []
    assert list(partner_post_list(access=y)) == []
    assert [e.member for e in directory_list(access=y)] == []
    assert isinstance(y.cluster, Cluster)
    assert Member.objects.count() >= 1

"""Admins invite a business from /manage/clusters/<slug>/members/; the invited person
follows the emailed link, and their business joins on /c/<slug>/join/ approved at
once by the inviter."""

import re
import time
from unittest import mock
from urllib.parse import quote

import pytest
from django.core import mail, signing
from django.test import Client

from purei.accounts.models import MEMBER_BUSINESS, ClusterRole, Invitation, User
from purei.accounts.selectors import INVITATION_SALT, invitation_token
from purei.accounts.services import invitation_create, invitation_revoke
from purei.accounts.tests.factories import PASSWORD, UserFactory
from purei.core.actor import Actor
from purei.core.models import AuditEntry
from purei.members.memberships import (
    membership_apply,
)
from purei.members.models import Member, Membership
from purei.members.tests.test_manage_member_views import profile_post

pytestmark = pytest.mark.django_db

MEMBERS_X = "/manage/clusters/cluster-x/members/"
MEMBERS_Y = "/manage/clusters/cluster-y/members/"
# The members screen's "Revoke" buttons post to the people screen, which revokes
# every kind of invitation of the cluster and comes back.
PEOPLE_X = "/manage/clusters/cluster-x/people/"
PEOPLE_Y = "/manage/clusters/cluster-y/people/"
GOOD_PASSWORD = "kūmara-harvest-2025"
LINK = re.compile(r"http://127\.0\.0\.1:8000(/accounts/invitations/[^/\s]+/)")


def body_of(response) -> str:
    return str(response.content.decode())


def _invite(actor: Actor, cluster, email: str = "owner@member-a.nz") -> Invitation:
    return invitation_create(
        actor=actor, cluster=cluster, email=email, role=MEMBER_BUSINESS
    )


def _join_url(slug: str, token: str) -> str:
    return f"/c/{slug}/join/?invitation={quote(token)}"


# --- The admin's side: inviting from the members screen -------------------------------


def test_the_members_screen_offers_to_invite_a_business(
    client: Client, cluster_x_admin_user
):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    response = client.get(MEMBERS_X)
    # then
    body = body_of(response)
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert ">Invite a business</h2>" in body
    assert 'name="business-email"' in body
    assert 'name="business-message"' in body
    assert 'name="action" value="invite"' in body


@pytest.mark.parametrize("user_fixture", ["cluster_x_admin_user", "staff_user"])
def test_admins_and_platform_staff_invite_a_business_by_email(
    request, client: Client, cluster_x, user_fixture, django_capture_on_commit_callbacks
):
    # given
    client.force_login(request.getfixturevalue(user_fixture))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            MEMBERS_X,
            {
                "action": "invite",
                "business-email": "Hemi@Example.NZ",
                "business-message": "Haere mai!",
            },
        )
    # then
    assert response.status_code == 302
    assert response["Location"] == MEMBERS_X
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("hemi@example.nz", "member")
    assert invitation.cluster == cluster_x
    assert invitation.message == "Haere mai!"
    assert [m.to for m in mail.outbox] == [["hemi@example.nz"]]
    assert "Cluster X Wine invites your business" in mail.outbox[0].subject
    page = body_of(client.get(MEMBERS_X))
    assert "Invitation emailed to hemi@example.nz" in page
    assert "hemi@example.nz" in page.split("Businesses invited")[1]


def test_a_bad_address_is_explained_and_nothing_is_sent(
    client: Client, cluster_x_admin_user, django_capture_on_commit_callbacks
):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            MEMBERS_X, {"action": "invite", "business-email": "not-an-email"}
        )
    # then
    assert response.status_code == 400
    body = body_of(response)
    assert 'class="error-summary" role="alert"' in body
    assert 'href="#id_business-email"' in body
    assert "Enter a valid email address" in body
    assert Invitation.objects.exists() is False
    assert mail.outbox == []


@pytest.mark.parametrize(
    "user_fixture",
    [
        "customer_user",
        "member_a_staff_user",
        "member_a_owner_user",
        "cluster_y_admin_user",
    ],
)
def test_others_cannot_invite_to_cluster_x(
    request, client: Client, cluster_x, user_fixture
):
    # given
    client.force_login(request.getfixturevalue(user_fixture))
    # when
    response = client.post(
        MEMBERS_X, {"action": "invite", "business-email": "hemi@example.nz"}
    )
    # then
    assert response.status_code == 404
    assert Invitation.objects.exists() is False


def test_anonymous_is_sent_to_log_in(client: Client, cluster_x):
    # when
    response = client.post(
        MEMBERS_X, {"action": "invite", "business-email": "hemi@example.nz"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Invitation.objects.exists() is False


def test_admins_revoke_a_business_invitation(
    client: Client, cluster_x_admin, cluster_x_admin_user, cluster_x
):
    # given
    invitation = _invite(cluster_x_admin, cluster_x, "hemi@example.nz")
    client.force_login(cluster_x_admin_user)
    # when
    page = body_of(client.get(MEMBERS_X))
    assert f'action="{PEOPLE_X}"' in page
    response = client.post(
        PEOPLE_X,
        {"action": "revoke", "invitation": str(invitation.pk), "next": MEMBERS_X},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == MEMBERS_X
    # then
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    body = body_of(response)
    assert "The invitation to hemi@example.nz is revoked" in body
    assert "hemi@example.nz" not in body.split("Businesses invited")[1]
    assert AuditEntry.objects.filter(verb="invitation.revoked").count() == 1


def test_an_invitation_of_another_cluster_cannot_be_revoked_here(
    client: Client, cluster_x_admin, cluster_x, cluster_y_admin_user
):
    # given
    invitation = _invite(cluster_x_admin, cluster_x, "hemi@example.nz")
    client.force_login(cluster_y_admin_user)
    # when
    response = client.post(
        PEOPLE_Y,
        {"action": "revoke", "invitation": str(invitation.pk), "next": MEMBERS_Y},
    )
    # then
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_an_unknown_action_changes_nothing(client: Client, cluster_x_admin_user):
    # given
    client.force_login(cluster_x_admin_user)
    # when
    response = client.post(MEMBERS_X, {"action": "delete"}, follow=True)
    # then
    assert "Choose what to do." in body_of(response)
    assert Invitation.objects.exists() is False


def test_the_people_screen_keeps_to_roles(
    client: Client, cluster_x_admin, cluster_x_admin_user, cluster_x
):
    # given
    _invite(cluster_x_admin, cluster_x, "hemi@example.nz")
    client.force_login(cluster_x_admin_user)
    # when
    body = body_of(client.get("/manage/clusters/cluster-x/people/"))
    # then
    assert "hemi@example.nz" not in body
    assert 'value="member"' not in body
    assert "Member business" not in body


def test_the_activity_log_names_an_invited_approval(
    client: Client, cluster_x_admin_user, cluster_y_admin, cluster_y, member_a_owner
):
    # given
    invitation = _invite(cluster_y_admin, cluster_y)
    member = Member.objects.get(slug="member-a")
    membership_apply(
        actor=member_a_owner,
        member=member,
        cluster=cluster_y,
        invitation_token=invitation_token(invitation),
    )
    client.force_login(User.objects.get(email="admin@cluster-y.nz"))
    # when
    body = body_of(client.get("/manage/clusters/cluster-y/activity/"))
    # then
    assert "Admitted by invitation" in body


# --- The invitee's side: the whole flow -----------------------------------------------


def test_a_new_person_signs_up_registers_a_business_and_joins_approved(
    client: Client,
    cluster_y,
    cluster_y_admin_user,
    django_capture_on_commit_callbacks,
):
    # given: cluster Y's admin invites hemi@example.nz (Y requires approval)
    assert cluster_y.join_requires_approval is True
    admin = Client()
    admin.force_login(cluster_y_admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(
            MEMBERS_Y,
            {
                "action": "invite",
                "business-email": "hemi@example.nz",
                "business-message": "Your oysters belong here.",
            },
        )
    (email,) = mail.outbox
    link = LINK.search(str(email.body))
    assert link is not None
    accept_url = link.group(1)
    token = accept_url.split("/")[-2]

    # when: the link asks them to sign up, telling what the invitation is
    page = client.get(accept_url)
    assert page.status_code == 200
    assert "Cluster Y Oysters</strong> invites your business" in body_of(page)
    assert "Your oysters belong here." in body_of(page)
    signed_up = client.post(
        accept_url,
        {
            "full_name": "Hemi Walker",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )
    # then: they land on the join page, carrying the invitation
    assert signed_up.status_code == 302
    join_url = signed_up["Location"]
    assert join_url == _join_url("cluster-y", token)
    hemi = User.objects.get(email="hemi@example.nz")
    assert ClusterRole.objects.filter(user=hemi).exists() is False
    assert Invitation.objects.get().status == Invitation.Status.PENDING

    # when: with no business yet, they register one and come back
    join_page = body_of(client.get(join_url))
    assert "You're invited" in join_page
    assert "Register your business first" in join_page
    register = f"/manage/members/new/?next={quote(join_url, safe='/')}"
    assert f'href="{register}"' in join_page.replace("&amp;", "&")
    registered = client.post(register, profile_post())
    assert registered.status_code == 302
    assert registered["Location"] == join_url

    # when: they choose the business and join
    form_page = body_of(client.get(join_url))
    assert f'<input type="hidden" name="invitation" value="{token}">' in form_page
    with django_capture_on_commit_callbacks(execute=True):
        joined = client.post(
            "/c/cluster-y/join/", {"member": "te-whare-toi", "invitation": token}
        )

    # then: the business is a member at once, decided by the inviting admin
    assert joined.status_code == 302
    assert joined["Location"] == "/c/cluster-y/join/te-whare-toi/"
    membership = Membership.objects.get(cluster=cluster_y)
    assert membership.member.slug == "te-whare-toi"
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == cluster_y_admin_user
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by == hemi
    assert AuditEntry.objects.filter(verb="membership.invited_approved").count() == 1
    status_page = body_of(client.get(joined["Location"]))
    assert "You're a member of Cluster Y Oysters" in status_page
    assert "is now a member of Cluster Y Oysters, on the cluster" in status_page
    # and the link is used up
    again = client.get(accept_url)
    assert again.status_code == 410


def test_a_logged_in_owner_goes_straight_to_the_join_page(
    client: Client,
    member_a_owner_user,
    cluster_y_admin,
    cluster_y,
    cluster_y_admin_user,
):
    # given
    token = invitation_token(_invite(cluster_y_admin, cluster_y))
    client.force_login(member_a_owner_user)
    # when
    response = client.get(f"/accounts/invitations/{token}/")
    joined = client.post(
        "/c/cluster-y/join/", {"member": "member-a", "invitation": token}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == _join_url("cluster-y", token)
    assert joined.status_code == 302
    membership = Membership.objects.get(cluster=cluster_y)
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by == cluster_y_admin_user


def test_someone_with_an_account_is_asked_to_log_in_and_comes_back(
    client: Client, member_a_owner_user, cluster_y_admin, cluster_y
):
    # given
    token = invitation_token(_invite(cluster_y_admin, cluster_y))
    accept_url = f"/accounts/invitations/{token}/"
    # when
    page = client.get(accept_url)
    logged_in = client.post(
        f"/accounts/login/?next={accept_url}",
        {"username": "owner@member-a.nz", "password": PASSWORD, "next": accept_url},
    )
    onwards = client.get(logged_in["Location"])
    # then
    assert page.status_code == 200
    body = body_of(page)
    assert "invites your business to join it" in body
    assert f'href="/accounts/login/?next={quote(accept_url)}"' in body
    assert logged_in["Location"] == accept_url
    assert onwards.status_code == 302
    assert onwards["Location"] == _join_url("cluster-y", token)


def test_anonymous_on_the_join_page_keeps_the_invitation_through_log_in(
    client: Client, cluster_y_admin, cluster_y
):
    # given
    token = invitation_token(_invite(cluster_y_admin, cluster_y))
    # when
    page = client.get(_join_url("cluster-y", token))
    posted = client.post("/c/cluster-y/join/", {"invitation": token})
    # then
    here = _join_url("cluster-y", token)
    assert f'href="/accounts/login/?next={quote(here)}"' in body_of(page)
    assert posted.status_code == 302
    assert posted["Location"] == f"/accounts/login/?next={quote(here, safe='')}"
    assert Membership.objects.filter(cluster=cluster_y).exists() is False


# --- Links that can't be used: explained, and an ordinary application instead ---------


def _expired_token(invitation: Invitation) -> str:
    past = time.time() - 15 * 24 * 60 * 60
    with mock.patch("time.time", return_value=past):
        return signing.TimestampSigner(salt=INVITATION_SALT).sign(invitation.key)


def test_an_expired_invitation_says_so_and_falls_back_to_applying(
    client: Client, member_a_owner_user, cluster_y_admin, cluster_y
):
    # given
    invitation = _invite(cluster_y_admin, cluster_y)
    token = _expired_token(invitation)
    client.force_login(member_a_owner_user)
    # when
    page = client.get(_join_url("cluster-y", token))
    refused = client.post(
        "/c/cluster-y/join/", {"member": "member-a", "invitation": token}
    )
    # then: explained, and nothing changed
    assert page.status_code == 200
    body = body_of(page)
    assert 'class="message message--error" role="alert"' in body
    assert "This invitation has expired" in body
    assert "your application will wait for the cluster's admins" in body
    assert 'name="invitation"' not in body
    assert "Send the application" in body
    assert refused.status_code == 400
    assert "This invitation has expired" in body_of(refused)
    assert Membership.objects.filter(cluster=cluster_y).exists() is False
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING

    # when: they apply the ordinary way
    applied = client.post("/c/cluster-y/join/", {"member": "member-a"})
    # then: the application waits for approval
    assert applied.status_code == 302
    membership = Membership.objects.get(cluster=cluster_y)
    assert membership.status == Membership.Status.APPLIED
    assert membership.decided_by is None


def test_a_revoked_invitation_says_so(
    client: Client, member_a_owner_user, cluster_y_admin, cluster_y
):
    # given
    invitation = _invite(cluster_y_admin, cluster_y)
    token = invitation_token(invitation)
    client.force_login(member_a_owner_user)
    page = client.get(_join_url("cluster-y", token))
    assert 'name="invitation"' in body_of(page)
    invitation_revoke(actor=cluster_y_admin, invitation=invitation)
    # when: the form shown before the revocation is sent
    response = client.post(
        "/c/cluster-y/join/", {"member": "member-a", "invitation": token}
    )
    # then
    assert response.status_code == 400
    body = body_of(response)
    assert "This invitation was withdrawn (revoked)" in body
    assert 'name="invitation"' not in body
    assert Membership.objects.filter(cluster=cluster_y).exists() is False


def test_an_invitation_for_another_email_is_refused(
    client: Client, member_a_owner_user, cluster_y_admin, cluster_y
):
    # given
    invitation = _invite(cluster_y_admin, cluster_y, "someone@else.nz")
    token = invitation_token(invitation)
    client.force_login(member_a_owner_user)
    # when
    accept = client.get(f"/accounts/invitations/{token}/")
    page = client.get(_join_url("cluster-y", token))
    response = client.post(
        "/c/cluster-y/join/", {"member": "member-a", "invitation": token}
    )
    # then
    assert accept.status_code == 403
    assert "This invitation is for someone else" in body_of(accept)
    assert "This invitation is for someone@else.nz" in body_of(page)
    assert response.status_code == 400
    assert Membership.objects.filter(cluster=cluster_y).exists() is False
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_an_invitation_to_another_cluster_is_refused(
    client: Client, member_a_owner_user, cluster_x_admin, cluster_x, cluster_y
):
    # given
    invitation = _invite(cluster_x_admin, cluster_x)
    token = invitation_token(invitation)
    client.force_login(member_a_owner_user)
    # when
    page = client.get(_join_url("cluster-y", token))
    response = client.post(
        "/c/cluster-y/join/", {"member": "member-a", "invitation": token}
    )
    # then
    assert "This invitation is for Cluster X Wine, not for Cluster Y Oysters" in (
        body_of(page)
    )
    assert response.status_code == 400
    assert Membership.objects.filter(cluster=cluster_y).exists() is False
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_an_already_approved_business_is_refused_and_nothing_changes(
    client: Client, member_a_owner_user, cluster_x_admin, cluster_x
):
    # given: member A is already an approved member of cluster X
    invitation = _invite(cluster_x_admin, cluster_x)
    token = invitation_token(invitation)
    client.force_login(member_a_owner_user)
    # when
    page = client.get(_join_url("cluster-x", token))
    response = client.post(
        "/c/cluster-x/join/", {"member": "member-a", "invitation": token}
    )
    # then
    assert "All your businesses have already applied here or are members." in (
        body_of(page)
    )
    assert response.status_code == 400
    membership = Membership.objects.get(cluster=cluster_x)
    assert membership.status == Membership.Status.APPROVED
    assert membership.decided_by is None
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_business_not_in_trade_is_told_and_keeps_the_invitation(
    client: Client, member_a_owner_user, cluster_y_admin, cluster_y
):
    # given
    Member.objects.filter(slug="member-a").update(in_trade=False)
    invitation = _invite(cluster_y_admin, cluster_y)
    token = invitation_token(invitation)
    client.force_login(member_a_owner_user)
    # when
    response = client.post(
        "/c/cluster-y/join/", {"member": "member-a", "invitation": token}
    )
    # then
    assert response.status_code == 400
    body = body_of(response)
    assert "has not declared that it is in trade" in body
    assert f'name="invitation" value="{token}"' in body
    assert Membership.objects.filter(cluster=cluster_y).exists() is False
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_a_role_invitation_link_on_the_join_page_is_refused(
    client: Client, cluster_y_admin, cluster_y
):
    # given
    curator = invitation_create(
        actor=cluster_y_admin,
        cluster=cluster_y,
        email="hemi@example.nz",
        role="curator",
    )
    client.force_login(UserFactory.create(email="hemi@example.nz"))
    # when
    page = client.get(_join_url("cluster-y", invitation_token(curator)))
    # then
    assert page.status_code == 200
    assert "This link invites you to take a role" in body_of(page)
    curator.refresh_from_db()
    assert curator.status == Invitation.Status.PENDING


def test_revoking_goes_back_only_to_this_clusters_screens(
    client: Client, cluster_x_admin, cluster_x_admin_user, cluster_x
):
    # given
    invitation = _invite(cluster_x_admin, cluster_x, "hemi@example.nz")
    client.force_login(cluster_x_admin_user)
    # when the form names a page elsewhere to go back to
    response = client.post(
        PEOPLE_X,
        {
            "action": "revoke",
            "invitation": str(invitation.pk),
            "next": "/manage/clusters/cluster-y/members/",
        },
    )
    # then it goes back to the people screen instead
    assert response["Location"] == PEOPLE_X

"""A cluster admin's screens under /manage/clusters/<slug>/."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from purei.accounts.models import ClusterRole, Invitation
from purei.clusters.brand import BrandChanges, cluster_brand_update
from purei.clusters.tests.factories import image_upload
from purei.core.models import AuditEntry
from purei.members.models import Membership
from purei.members.tests.factories import (
    CredentialFactory,
    MemberFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

PAGES = ["", "members/", "people/", "brand/", "activity/"]
DENIED = [
    "customer_user",
    "member_a_staff_user",
    "member_a_owner_user",
    "cluster_y_admin_user",
]
ALLOWED = ["cluster_x_admin_user", "staff_user"]


@pytest.fixture
def admin_client(client: Client, cluster_x_admin_user) -> Client:
    client.force_login(cluster_x_admin_user)
    return client


@pytest.fixture
def applicant(cluster_x) -> Membership:
    member = MemberFactory.create(slug="kauri-carvers", trading_name="Kauri Carvers")
    return MembershipFactory.create(
        member=member, cluster=cluster_x, status=Membership.Status.APPLIED
    )


def body_of(response) -> str:
    return str(response.content.decode())


# --- Who gets in --------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_log_in(client: Client, cluster_x, page):
    response = client.get(f"/manage/clusters/cluster-x/{page}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("user_name", DENIED)
def test_everyone_but_its_admins_gets_404(
    client: Client, request, member_a, cluster_x, page, user_name
):
    # given
    client.force_login(request.getfixturevalue(user_name))
    # when
    response = client.get(f"/manage/clusters/cluster-x/{page}")
    # then
    assert response.status_code == 404
    assert "Cluster X Wine" not in body_of(response)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("user_name", ALLOWED)
def test_its_admins_and_platform_staff_get_in(
    client: Client, request, member_a, cluster_x, page, user_name
):
    # given
    client.force_login(request.getfixturevalue(user_name))
    # when
    response = client.get(f"/manage/clusters/cluster-x/{page}")
    # then
    assert response.status_code == 200
    body = body_of(response)
    assert "Cluster X Wine" in body
    assert len(re.findall(r"<h1[ >]", body)) == 1
    assert not re.search(r"\sstyle\s*=", body)
    assert "<style" not in body


def test_an_unknown_cluster_is_404(admin_client: Client):
    assert admin_client.get("/manage/clusters/nowhere/").status_code == 404


# --- Overview and members -----------------------------------------------------------


def test_overview_counts_memberships(admin_client: Client, member_a, applicant):
    # when
    body = body_of(admin_client.get("/manage/clusters/cluster-x/"))
    # then
    assert "One application is waiting for your decision." in body
    assert 'href="/manage/clusters/cluster-x/members/?status=applied">1</a>' in body


def test_members_list_shows_trader_status_and_credentials(
    admin_client: Client, member_a, applicant
):
    # given
    credential = CredentialFactory.create(member=member_a, number="51/OFF/001/2025")
    applicant.member.in_trade = False
    applicant.member.save(update_fields=["in_trade"])
    # when
    body = body_of(admin_client.get("/manage/clusters/cluster-x/members/"))
    # then
    assert "Member A Wines" in body
    assert "Kauri Carvers" in body
    assert "Not declared in trade" in body
    assert "51/OFF/001/2025" in body
    assert (
        f'href="/manage/clusters/cluster-x/credentials/{credential.pk}/verify/"' in body
    )


def test_members_list_filters_by_status(admin_client: Client, member_a, applicant):
    # when
    body = body_of(
        admin_client.get("/manage/clusters/cluster-x/members/?status=applied")
    )
    # then
    assert "Kauri Carvers" in body
    assert "Member A Wines" not in body


def test_members_list_explains_an_unknown_status(admin_client: Client, member_a):
    # when
    response = admin_client.get("/manage/clusters/cluster-x/members/?status=bogus")
    # then
    assert response.status_code == 400
    assert "Unknown status" in body_of(response)
    assert "Member A Wines" in body_of(response)


def test_members_list_costs_a_fixed_number_of_queries(
    admin_client: Client, cluster_x, django_assert_max_num_queries
):
    # given
    for _ in range(30):
        member = MemberFactory.create()
        CredentialFactory.create(member=member)
        MembershipFactory.create(member=member, cluster=cluster_x)
    # when / then
    with django_assert_max_num_queries(12):
        admin_client.get("/manage/clusters/cluster-x/members/")


def test_admin_approves_from_the_list(
    admin_client: Client, applicant, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/manage/clusters/cluster-x/members/{applicant.pk}/",
            {
                "action": "approve",
                "next": "/manage/clusters/cluster-x/members/?status=applied",
            },
        )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/manage/clusters/cluster-x/members/?status=applied"
    applicant.refresh_from_db()
    assert applicant.status == Membership.Status.APPROVED
    assert AuditEntry.objects.filter(verb="membership.approved").count() == 1
    assert [m.to for m in mail.outbox] == [[applicant.member.email]]


def test_next_outside_the_members_list_is_ignored(admin_client: Client, applicant):
    response = admin_client.post(
        f"/manage/clusters/cluster-x/members/{applicant.pk}/",
        {"action": "approve", "next": "https://evil.example.com/"},
    )
    assert response["Location"] == f"/manage/clusters/cluster-x/members/{applicant.pk}/"


def test_declining_needs_a_reason_on_the_form(admin_client: Client, applicant):
    # when
    response = admin_client.post(
        f"/manage/clusters/cluster-x/members/{applicant.pk}/",
        {"action": "decline", "decline-reason": ""},
    )
    # then
    assert response.status_code == 400
    body = body_of(response)
    assert 'role="alert"' in body
    assert "Say why the application is declined" in body
    assert 'id="id_decline-reason_error"' in body
    applicant.refresh_from_db()
    assert applicant.status == Membership.Status.APPLIED


def test_admin_declines_with_a_reason(admin_client: Client, applicant):
    # when
    response = admin_client.post(
        f"/manage/clusters/cluster-x/members/{applicant.pk}/",
        {"action": "decline", "decline-reason": "Not carved in Tauranga Moana."},
        follow=True,
    )
    # then
    applicant.refresh_from_db()
    assert applicant.status == Membership.Status.DECLINED
    assert applicant.reason == "Not carved in Tauranga Moana."
    assert "Declined. We emailed the reason to Kauri Carvers." in body_of(response)


def test_suspend_then_reinstate(admin_client: Client, member_a, cluster_x):
    # given
    membership = Membership.objects.get(member=member_a, cluster=cluster_x)
    url = f"/manage/clusters/cluster-x/members/{membership.pk}/"
    # when
    admin_client.post(url, {"action": "suspend", "suspend-reason": "Unpaid fees."})
    membership.refresh_from_db()
    suspended = membership.status
    admin_client.post(url, {"action": "reinstate"})
    membership.refresh_from_db()
    # then
    assert suspended == Membership.Status.SUSPENDED
    assert membership.status == Membership.Status.APPROVED


def test_a_refused_move_is_explained(admin_client: Client, member_a, cluster_x):
    # given: already approved
    membership = Membership.objects.get(member=member_a, cluster=cluster_x)
    # when
    response = admin_client.post(
        f"/manage/clusters/cluster-x/members/{membership.pk}/",
        {"action": "approve"},
        follow=True,
    )
    # then
    assert "Only an application can be approved" in body_of(response)


def test_an_unknown_action_changes_nothing(admin_client: Client, applicant):
    admin_client.post(
        f"/manage/clusters/cluster-x/members/{applicant.pk}/", {"action": "delete"}
    )
    applicant.refresh_from_db()
    assert applicant.status == Membership.Status.APPLIED


def test_admin_of_another_cluster_cannot_decide(
    client: Client, cluster_y_admin_user, applicant
):
    # given
    client.force_login(cluster_y_admin_user)
    # when
    for url in (
        f"/manage/clusters/cluster-x/members/{applicant.pk}/",
        f"/manage/clusters/cluster-y/members/{applicant.pk}/",
    ):
        response = client.post(url, {"action": "approve"})
        # then
        assert response.status_code == 404
    applicant.refresh_from_db()
    assert applicant.status == Membership.Status.APPLIED


def test_a_membership_is_reached_only_through_its_own_cluster(
    client: Client, staff_user, cluster_y, applicant
):
    # given: platform staff may see both clusters
    client.force_login(staff_user)
    # when
    response = client.get(f"/manage/clusters/cluster-y/members/{applicant.pk}/")
    # then
    assert response.status_code == 404


def test_membership_page_shows_the_applicants_message(admin_client: Client, applicant):
    # given
    Membership.objects.filter(pk=applicant.pk).update(reason="We carve kauri.")
    # when
    body = body_of(
        admin_client.get(f"/manage/clusters/cluster-x/members/{applicant.pk}/")
    )
    # then
    assert "Their message" in body
    assert "We carve kauri." in body
    assert 'value="approve"' in body
    assert 'value="decline"' in body


# --- People -------------------------------------------------------------------------


def test_people_lists_roles_and_pending_invitations(
    admin_client: Client, cluster_x, cluster_x_admin_user
):
    # given
    Invitation.objects.create(
        key="k1", email="curator@example.nz", cluster=cluster_x, role="curator"
    )
    # when
    body = body_of(admin_client.get("/manage/clusters/cluster-x/people/"))
    # then
    assert "admin@cluster-x.nz" in body
    assert "Cluster admin" in body
    assert "curator@example.nz" in body


def test_admin_invites_a_curator(
    admin_client: Client, cluster_x, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/manage/clusters/cluster-x/people/",
            {
                "action": "invite",
                "invite-email": "Mere@Example.NZ",
                "invite-role": "curator",
            },
            follow=True,
        )
    # then
    invitation = Invitation.objects.get(cluster=cluster_x)
    assert invitation.email == "mere@example.nz"
    assert invitation.role == "curator"
    assert "Invitation emailed to" in body_of(response)
    assert [m.to for m in mail.outbox] == [["mere@example.nz"]]


def test_a_bad_invitation_is_explained(admin_client: Client, cluster_x):
    # when
    response = admin_client.post(
        "/manage/clusters/cluster-x/people/",
        {"action": "invite", "invite-email": "not-an-email", "invite-role": "owner"},
    )
    # then
    assert response.status_code == 400
    body = body_of(response)
    assert 'role="alert"' in body
    assert "Enter a valid email address" in body
    assert not Invitation.objects.exists()


def test_admin_revokes_an_invitation(admin_client: Client, cluster_x):
    # given
    invitation = Invitation.objects.create(
        key="k2", email="curator@example.nz", cluster=cluster_x, role="curator"
    )
    # when
    admin_client.post(
        "/manage/clusters/cluster-x/people/",
        {"action": "revoke", "invitation": str(invitation.pk)},
    )
    # then
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED


def test_admin_of_another_cluster_cannot_revoke_here(
    client: Client, cluster_y_admin_user, cluster_x
):
    # given
    invitation = Invitation.objects.create(
        key="k3", email="curator@example.nz", cluster=cluster_x, role="curator"
    )
    client.force_login(cluster_y_admin_user)
    # when
    response = client.post(
        "/manage/clusters/cluster-y/people/",
        {"action": "revoke", "invitation": str(invitation.pk)},
    )
    # then
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_admin_removes_a_curator(admin_client: Client, cluster_x, customer_user):
    # given
    role = ClusterRole.objects.create(
        user=customer_user, cluster=cluster_x, role="curator"
    )
    # when
    admin_client.post(
        "/manage/clusters/cluster-x/people/", {"action": "remove", "role": str(role.pk)}
    )
    # then
    assert not ClusterRole.objects.filter(pk=role.pk).exists()


def test_the_last_admin_cannot_be_removed(
    admin_client: Client, cluster_x, cluster_x_admin_user
):
    # given
    role = ClusterRole.objects.get(user=cluster_x_admin_user, cluster=cluster_x)
    # when
    response = admin_client.post(
        "/manage/clusters/cluster-x/people/",
        {"action": "remove", "role": str(role.pk)},
        follow=True,
    )
    # then
    assert ClusterRole.objects.filter(pk=role.pk).exists()
    assert "only admin" in body_of(response)


def test_a_role_of_another_cluster_is_404(
    admin_client: Client, cluster_y, cluster_y_admin_user
):
    # given
    role = ClusterRole.objects.get(user=cluster_y_admin_user, cluster=cluster_y)
    # when
    response = admin_client.post(
        "/manage/clusters/cluster-x/people/", {"action": "remove", "role": str(role.pk)}
    )
    # then
    assert response.status_code == 404
    assert ClusterRole.objects.filter(pk=role.pk).exists()


# --- Brand --------------------------------------------------------------------------


def brand_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name_en": "Cluster X Wine",
        "name_mi": "",
        "tagline": "Made together",
        "story": "A group of makers.",
        "hero_alt": "",
        "colour_primary": "",
        "colour_accent": "",
        "join_requires_approval": "on",
        "domain": "",
    }
    data.update(overrides)
    return data


def test_brand_form_shows_the_current_brand(admin_client: Client, cluster_x):
    body = body_of(admin_client.get("/manage/clusters/cluster-x/brand/"))
    assert 'value="Cluster X Wine"' in body
    assert 'enctype="multipart/form-data"' in body


def test_low_contrast_is_explained_on_its_field(admin_client: Client, cluster_x):
    # when
    response = admin_client.post(
        "/manage/clusters/cluster-x/brand/",
        brand_post(colour_primary="#ffcc00", tagline="Changed"),
    )
    # then
    assert response.status_code == 400
    body = body_of(response)
    assert 'role="alert"' in body
    assert 'id="id_colour_primary_error"' in body
    assert "White text on #ffcc00 has a contrast of 1.5:1" in body
    cluster_x.refresh_from_db()
    assert cluster_x.tagline == "Made together"


def test_admin_saves_the_brand_with_a_logo(admin_client: Client, cluster_x):
    # when
    response = admin_client.post(
        "/manage/clusters/cluster-x/brand/",
        brand_post(
            colour_primary="#5b2333",
            join_requires_approval="",
            logo=image_upload(),
        ),
    )
    # then
    assert response.status_code == 302
    cluster_x.refresh_from_db()
    assert cluster_x.colour_primary == "#5b2333"
    assert cluster_x.join_requires_approval is False
    assert cluster_x.logo
    body = body_of(admin_client.get("/manage/clusters/cluster-x/brand/"))
    assert "White text on #5b2333:" in body


def test_a_non_image_logo_is_explained(admin_client: Client, cluster_x):
    # given
    upload = SimpleUploadedFile("logo.png", b"%PDF-1.4 not a picture", "image/png")
    # when
    response = admin_client.post(
        "/manage/clusters/cluster-x/brand/", brand_post(logo=upload)
    )
    # then
    assert response.status_code == 400
    assert 'id="id_logo_error"' in body_of(response)
    cluster_x.refresh_from_db()
    assert not cluster_x.logo


# --- Activity -----------------------------------------------------------------------


def test_activity_lists_this_clusters_actions_newest_first(
    admin_client: Client, cluster_x_admin, cluster_y_admin, cluster_x, cluster_y
):
    # given
    cluster_brand_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=BrandChanges(tagline="One")
    )
    cluster_brand_update(
        actor=cluster_x_admin, cluster=cluster_x, changes=BrandChanges(tagline="Two")
    )
    cluster_brand_update(
        actor=cluster_y_admin,
        cluster=cluster_y,
        changes=BrandChanges(tagline="Y secret"),
    )
    # when
    body = body_of(admin_client.get("/manage/clusters/cluster-x/activity/"))
    # then
    assert "Changed the brand" in body
    assert "admin@cluster-x.nz" in body
    assert body.index("<ins>Two</ins>") < body.index("<ins>One</ins>")
    assert "<del>One</del>" in body
    assert "Y secret" not in body
    assert "admin@cluster-y.nz" not in body


def test_activity_is_paginated(admin_client: Client, cluster_x_admin, cluster_x):
    # given
    for n in range(55):
        cluster_brand_update(
            actor=cluster_x_admin,
            cluster=cluster_x,
            changes=BrandChanges(tagline=f"Line {n}"),
        )
    # when
    first = body_of(admin_client.get("/manage/clusters/cluster-x/activity/"))
    second = body_of(admin_client.get("/manage/clusters/cluster-x/activity/?page=2"))
    # then
    assert "<ins>Line 54</ins>" in first
    assert "Page 1 of 2" in first
    assert "<ins>Line 0</ins>" in second
    assert "<ins>Line 54</ins>" not in second


def test_brand_colours_have_a_picker_with_the_text_beside_it(
    admin_client: Client, cluster_x
):
    # given
    cluster_x.colour_primary = "#5B2333"
    cluster_x.save()
    # when
    body = body_of(admin_client.get("/manage/clusters/cluster-x/brand/"))
    # then: a labelled picker and a labelled text input for each colour
    assert (
        '<input type="color" name="colour_primary_picker" '
        'id="id_colour_primary_picker" value="#5b2333" data-colour-picker>'
    ) in body
    assert '<label for="id_colour_primary_picker"' in body
    assert "Pick the brand colour" in body
    assert '<label for="id_colour_primary">' in body
    assert 'type="text" name="colour_primary" value="#5B2333"' in body
    # an empty colour shows Pūrei's own in the picker
    assert 'id="id_colour_accent_picker" value="#9a3412"' in body
    assert "web/js/colour-input.js" in body


def test_without_javascript_a_changed_picker_is_saved(admin_client: Client, cluster_x):
    # when: only the picker moved (the text still says what the page showed)
    admin_client.post(
        "/manage/clusters/cluster-x/brand/",
        brand_post(
            colour_primary="",
            colour_primary_was="",
            colour_primary_picker="#5b2333",
            colour_accent="",
            colour_accent_was="",
            colour_accent_picker="#9a3412",
        ),
    )
    # then
    cluster_x.refresh_from_db()
    assert cluster_x.colour_primary == "#5b2333"
    assert cluster_x.colour_accent == ""


def test_typed_text_wins_over_the_picker(admin_client: Client, cluster_x):
    admin_client.post(
        "/manage/clusters/cluster-x/brand/",
        brand_post(
            colour_primary="#3a2c6b",
            colour_primary_was="",
            colour_primary_picker="#5b2333",
        ),
    )
    cluster_x.refresh_from_db()
    assert cluster_x.colour_primary == "#3a2c6b"

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from purei.accounts.models import Invitation, MemberRole
from purei.accounts.tests.factories import UserFactory
from purei.core.models import AuditEntry
from purei.core.tests.pictures import PDF_BYTES, picture_bytes, upload
from purei.members.models import Credential, Member, MemberPhoto
from purei.members.tests.factories import CredentialFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)
CAST = [
    ("customer_user", 404),
    ("member_a_staff_user", 200),
    ("member_a_owner_user", 200),
    ("cluster_x_admin_user", 404),
    ("cluster_y_admin_user", 404),
    ("staff_user", 200),
]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def profile_post(**overrides):
    data = {
        "legal_name": "Te Whare Toi Limited",
        "trading_name": "Te Whare Toi",
        "nzbn": "9429046393920",
        "gst_registered": "on",
        "gst_number": "136-410-132",
        "in_trade": "on",
        "story": "We carve **tōtara**.",
        "region": "NZ-BOP",
        "town": "Tauranga",
        "latitude": "",
        "longitude": "",
        "contact_name": "",
        "email": "kiaora@toi.example.nz",
        "phone": "",
        "website": "",
        "bank_account": "",
        "bank_account_name": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- Adding a business --------------------------------------------------------


def test_adding_a_business_needs_a_login(client):
    # when
    response = client.get("/manage/members/new/")
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_person_adds_their_business_and_manages_it(customer_user):
    # given
    client = client_for(customer_user)
    # when
    form = client.get("/manage/members/new/")
    response = client.post("/manage/members/new/", profile_post())
    # then
    assert form.status_code == 200
    assert form.content.decode().count("<h1") == 1
    assert response.status_code == 302
    assert response["Location"] == "/manage/members/te-whare-toi/"
    member = Member.objects.get()
    assert member.gst_number == "136410132"
    assert MemberRole.objects.filter(
        user=customer_user, member=member, role="owner"
    ).exists()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "is on Pūrei, and you are its owner" in page.content.decode()


def test_after_adding_the_join_flow_gets_its_person_back(customer_user):
    # when
    response = client_for(customer_user).post(
        "/manage/members/new/?next=/c/cluster-x/join/", profile_post()
    )
    # then
    assert response["Location"] == "/c/cluster-x/join/"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_a_next_address_elsewhere_is_ignored(customer_user, target):
    # when
    response = client_for(customer_user).post(
        "/manage/members/new/", {**profile_post(), "next": target}
    )
    # then
    assert response["Location"] == "/manage/members/te-whare-toi/"


def test_the_next_address_is_kept_in_the_form(customer_user):
    # when
    body = client_for(customer_user).get("/manage/members/new/?next=/c/cluster-x/join/")
    # then
    assert (
        '<input type="hidden" name="next" value="/c/cluster-x/join/">'
        in body.content.decode()
    )


def test_bad_input_is_shown_on_the_fields_and_summarised(customer_user):
    # when
    response = client_for(customer_user).post(
        "/manage/members/new/",
        profile_post(
            nzbn="9429046393921", gst_number="", bank_account="12-3140-0123456-00"
        ),
    )
    # then
    assert response.status_code == 422
    body = response.content.decode()
    assert 'class="error-summary" role="alert"' in body
    assert '<a href="#id_nzbn">NZBN: This is not a valid NZBN' in body
    assert 'id="id_gst_number_error"' in body
    assert 'id="id_bank_account_error"' in body
    assert not Member.objects.exists()


# --- The profile --------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), CAST)
def test_the_profile_is_seen_by_its_team_and_platform_staff(
    who, status, request, member_a
):
    # when
    response = client_for(request.getfixturevalue(who)).get("/manage/members/member-a/")
    # then
    assert response.status_code == status


def test_anonymous_people_are_sent_to_log_in(client, member_a):
    # then
    for url in (
        "/manage/members/member-a/",
        "/manage/members/member-a/photos/",
        "/manage/members/member-a/credentials/",
        "/manage/members/member-a/staff/",
    ):
        assert client.get(url).status_code == 302


def test_the_bank_account_is_shown_masked_never_in_clear(member_a_owner_user, member_a):
    # given
    Member.objects.filter(pk=member_a.pk).update(
        bank_account="01-0902-0068389-000", bank_account_name="Member A"
    )
    # when
    body = (
        client_for(member_a_owner_user)
        .get("/manage/members/member-a/")
        .content.decode()
    )
    # then
    assert "••-••••-•••8389-•••" in body
    assert "0068389" not in body
    assert 'name="bank_account" ' in body
    assert re.search(r'<input type="text" name="bank_account"[^>]*>', body)
    assert 'value="01' not in body
    assert "Remove the bank account" in body


def test_an_empty_bank_field_keeps_the_account_and_the_box_removes_it(
    member_a_owner_user, member_a
):
    # given
    Member.objects.filter(pk=member_a.pk).update(
        bank_account="01-0902-0068389-000", bank_account_name="Member A"
    )
    client = client_for(member_a_owner_user)
    data = profile_post(
        legal_name="Member A Limited", nzbn="", bank_account_name="Member A"
    )
    # when
    client.post("/manage/members/member-a/", data)
    # then
    member_a.refresh_from_db()
    assert member_a.bank_account == "01-0902-0068389-000"
    assert member_a.legal_name == "Member A Limited"
    # when
    client.post("/manage/members/member-a/", {**data, "bank_account_remove": "on"})
    # then
    member_a.refresh_from_db()
    assert member_a.bank_account == ""


def test_the_owner_saves_changes_and_a_logo(member_a_owner_user, member_a):
    # when
    response = client_for(member_a_owner_user).post(
        "/manage/members/member-a/",
        {
            **profile_post(nzbn="", gst_registered=None, gst_number="73"),
            "logo": upload("logo.png", picture_bytes(900, 900, "PNG"), "image/png"),
        },
    )
    # then
    assert response.status_code == 302
    member_a.refresh_from_db()
    assert member_a.town == "Tauranga"
    assert member_a.gst_registered is False
    assert member_a.gst_number == ""  # unticked: the number is dropped
    assert member_a.logo.name.startswith("members/logos/")
    assert member_a.logo_width == 800


def test_a_bad_logo_is_a_field_error_on_the_page(member_a_owner_user, member_a):
    # when
    response = client_for(member_a_owner_user).post(
        "/manage/members/member-a/",
        {**profile_post(nzbn=""), "logo": upload("logo.jpg", b"GIF89a nope")},
    )
    # then
    assert response.status_code == 422
    assert 'id="id_logo_error"' in response.content.decode()


def test_the_story_preview_is_sanitised_and_not_saved(member_a_owner_user, member_a):
    # when
    response = client_for(member_a_owner_user).post(
        "/manage/members/member-a/",
        {
            **profile_post(story="Hi **there** <script>alert(1)</script>"),
            "action": "preview",
        },
    )
    # then
    body = response.content.decode()
    assert "Preview (not saved yet)" in body
    assert "<p>Hi <strong>there</strong>" in body
    assert "<script>alert(1)" not in body
    member_a.refresh_from_db()
    assert "there" not in member_a.story


@pytest.mark.parametrize("who", ["member_a_staff_user", "staff_user"])
def test_staff_see_the_profile_read_only_and_cannot_post(who, request, member_a):
    # given
    client = client_for(request.getfixturevalue(who))
    # when
    page = client.get("/manage/members/member-a/").content.decode()
    response = client.post("/manage/members/member-a/", profile_post())
    # then
    assert "only its owners can change them" in page
    assert re.search(r'name="legal_name"[^>]*disabled', page)
    assert response.status_code == 403
    member_a.refresh_from_db()
    assert member_a.town == "Blenheim"


def test_a_member_not_in_trade_is_told_what_to_do(member_a_owner_user, member_a):
    # given
    Member.objects.filter(pk=member_a.pk).update(in_trade=False)
    # then
    body = (
        client_for(member_a_owner_user)
        .get("/manage/members/member-a/")
        .content.decode()
    )
    assert "Before a cluster can approve this business" in body


# --- Photos -------------------------------------------------------------------


def test_the_owner_adds_describes_moves_and_removes_photos(
    member_a_owner_user, member_a
):
    # given
    client = client_for(member_a_owner_user)
    url = "/manage/members/member-a/photos/"
    # when
    for alt in ("First", "Second"):
        response = client.post(
            url,
            {
                "action": "add",
                "alt_text": alt,
                "image": upload(data=picture_bytes(gps=True)),
            },
        )
        assert response.status_code == 302
    first, second = MemberPhoto.objects.order_by("position")
    client.post(url, {"action": "down", "photo": first.pk})
    client.post(url, {"action": "alt", "photo": second.pk, "alt_text": "Now first"})
    # then
    assert list(member_a.photos.values_list("alt_text", flat=True)) == [
        "Now first",
        "First",
    ]
    body = client.get(url).content.decode()
    assert 'alt="Now first"' in body
    # when
    client.post(url, {"action": "remove", "photo": first.pk})
    # then
    assert list(member_a.photos.values_list("alt_text", flat=True)) == ["Now first"]


def test_a_photo_without_a_description_is_refused_on_the_form(
    member_a_owner_user, member_a
):
    # when
    response = client_for(member_a_owner_user).post(
        "/manage/members/member-a/photos/",
        {"action": "add", "alt_text": "", "image": upload()},
    )
    # then
    assert response.status_code == 422
    assert 'id="id_alt_text_error"' in response.content.decode()
    assert not MemberPhoto.objects.exists()


def test_staff_cannot_change_photos_on_the_page(member_a_staff_user, member_a):
    # when
    response = client_for(member_a_staff_user).post(
        "/manage/members/member-a/photos/",
        {"action": "add", "alt_text": "x", "image": upload()},
    )
    # then
    assert response.status_code == 403


def test_a_photo_of_another_business_is_not_found(
    member_a_owner_user, member_a, customer
):
    # given
    from purei.members.services import MemberDetails, member_create, member_photo_add

    other = member_create(actor=customer, details=MemberDetails(legal_name="Other"))
    photo = member_photo_add(actor=customer, member=other, image=upload(), alt_text="x")
    # when
    response = client_for(member_a_owner_user).post(
        "/manage/members/member-a/photos/", {"action": "remove", "photo": photo.pk}
    )
    # then
    assert response.status_code == 404
    assert MemberPhoto.objects.filter(pk=photo.pk).exists()


# --- Credentials --------------------------------------------------------------


def test_the_owner_adds_edits_and_removes_a_credential(member_a_owner_user, member_a):
    # given
    client = client_for(member_a_owner_user)
    # when
    response = client.post(
        "/manage/members/member-a/credentials/new/",
        {
            "kind": "liquor_licence",
            "issuer": "Marlborough District Licensing Committee",
            "number": "51/OFF/012/2025",
            "expires_on": NEXT_YEAR.isoformat(),
            "evidence": upload("licence.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    # then
    assert response.status_code == 302
    credential = Credential.objects.get()
    listing = client.get("/manage/members/member-a/credentials/").content.decode()
    assert "51/OFF/012/2025" in listing
    assert "Waiting for verification" in listing
    # when
    client.post(
        f"/manage/members/member-a/credentials/{credential.pk}/",
        {"kind": "liquor_licence", "issuer": "MDLC", "number": "51/OFF/013/2025"},
    )
    # then
    credential.refresh_from_db()
    assert credential.number == "51/OFF/013/2025"
    assert credential.evidence  # kept when no new file is sent
    # when
    confirm = client.get(
        f"/manage/members/member-a/credentials/{credential.pk}/delete/"
    )
    client.post(f"/manage/members/member-a/credentials/{credential.pk}/delete/")
    # then
    assert confirm.status_code == 200
    assert not Credential.objects.exists()


def test_a_bad_credential_is_shown_on_the_form(member_a_owner_user, member_a):
    # when
    response = client_for(member_a_owner_user).post(
        "/manage/members/member-a/credentials/new/",
        {
            "kind": "other",
            "issuer": "x",
            "number": "1",
            "evidence": upload("a.pdf", b"nope"),
        },
    )
    # then
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_name_error"' in body
    assert 'id="id_evidence_error"' in body


@pytest.mark.parametrize("who", ["member_a_staff_user", "staff_user"])
def test_only_owners_change_credentials_on_the_pages(who, request, member_a):
    # given
    credential = CredentialFactory.create(member=member_a)
    client = client_for(request.getfixturevalue(who))
    # then
    assert client.get("/manage/members/member-a/credentials/").status_code == 200
    for url in (
        "/manage/members/member-a/credentials/new/",
        f"/manage/members/member-a/credentials/{credential.pk}/",
        f"/manage/members/member-a/credentials/{credential.pk}/delete/",
    ):
        assert client.post(url, {"kind": "other"}).status_code == 403
    assert Credential.objects.filter(pk=credential.pk).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("customer_user", 404),
        ("member_a_staff_user", 200),
        ("member_a_owner_user", 200),
        ("cluster_x_admin_user", 200),
        ("cluster_y_admin_user", 404),
        ("staff_user", 200),
    ],
)
def test_evidence_downloads_only_for_those_who_may_see_it(
    who, status, request, member_a
):
    # given
    credential = CredentialFactory.create(member=member_a)
    credential.evidence.save("licence.pdf", upload("l.pdf", PDF_BYTES), save=True)
    # when
    response = client_for(request.getfixturevalue(who)).get(
        f"/manage/members/member-a/credentials/{credential.pk}/evidence"
    )
    # then
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "private" in response["Cache-Control"]
        assert response.getvalue() == PDF_BYTES


def test_evidence_needs_a_login_and_a_file(client, member_a_owner_user, member_a):
    # given
    credential = CredentialFactory.create(member=member_a)
    url = f"/manage/members/member-a/credentials/{credential.pk}/evidence"
    # then
    assert client.get(url).status_code == 302
    assert client_for(member_a_owner_user).get(url).status_code == 404
    assert (
        client_for(member_a_owner_user)
        .get(f"/manage/members/other/credentials/{credential.pk}/evidence")
        .status_code
        == 404
    )


# --- Verifying, as a cluster admin --------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("customer_user", 404),
        ("member_a_staff_user", 404),
        ("member_a_owner_user", 404),
        ("cluster_x_admin_user", 200),
        ("cluster_y_admin_user", 404),
        ("staff_user", 404),
    ],
)
def test_the_verify_page_is_for_the_clusters_admins(who, status, request, member_a):
    # given
    credential = CredentialFactory.create(member=member_a)
    # when
    response = client_for(request.getfixturevalue(who)).get(
        f"/manage/clusters/cluster-x/credentials/{credential.pk}/verify/"
    )
    # then
    assert response.status_code == status


def test_an_admin_verifies_and_returns_where_they_came_from(
    cluster_x_admin_user, member_a
):
    # given
    credential = CredentialFactory.create(member=member_a, expires_on=NEXT_YEAR)
    client = client_for(cluster_x_admin_user)
    url = f"/manage/clusters/cluster-x/credentials/{credential.pk}/verify/"
    # when
    response = client.post(
        url, {"decision": "verified", "note": "", "next": "/manage/"}
    )
    # then
    assert response["Location"] == "/manage/"
    credential.refresh_from_db()
    assert credential.is_verified
    assert AuditEntry.objects.filter(verb="credential.verified").exists()


def test_not_verified_without_a_note_is_a_field_error(cluster_x_admin_user, member_a):
    # given
    credential = CredentialFactory.create(member=member_a)
    # when
    response = client_for(cluster_x_admin_user).post(
        f"/manage/clusters/cluster-x/credentials/{credential.pk}/verify/",
        {"decision": "rejected", "note": ""},
    )
    # then
    assert response.status_code == 422
    assert 'id="id_note_error"' in response.content.decode()


def test_another_clusters_admin_cannot_post_a_verification(
    cluster_y_admin_user, member_a
):
    # given
    credential = CredentialFactory.create(member=member_a)
    # when
    response = client_for(cluster_y_admin_user).post(
        f"/manage/clusters/cluster-x/credentials/{credential.pk}/verify/",
        {"decision": "verified"},
    )
    # then
    assert response.status_code == 404
    credential.refresh_from_db()
    assert credential.verification == Credential.Verification.PENDING


# --- The team -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("customer_user", 404),
        ("member_a_staff_user", 404),
        ("member_a_owner_user", 200),
        ("cluster_x_admin_user", 404),
        ("cluster_y_admin_user", 404),
        ("staff_user", 200),
    ],
)
def test_the_team_page_is_for_owners_and_platform_staff(who, status, request, member_a):
    # when
    response = client_for(request.getfixturevalue(who)).get(
        "/manage/members/member-a/staff/"
    )
    # then
    assert response.status_code == status


def test_the_owner_invites_revokes_and_removes_people(
    member_a_owner_user,
    member_a_staff_user,
    member_a,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    # given
    client = client_for(member_a_owner_user)
    url = "/manage/members/member-a/staff/"
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "invite", "email": "Mere@Example.NZ", "role": "staff"}
        )
    # then
    assert response.status_code == 302
    invitation = Invitation.objects.get(member=member_a)
    assert invitation.email == "mere@example.nz"
    assert invitation.role == "staff"
    assert len(mailoutbox) == 1
    body = client.get(url).content.decode()
    assert "mere@example.nz" in body
    assert "staff@member-a.nz" in body
    # when
    client.post(url, {"action": "revoke", "invitation": invitation.pk})
    staff_role = MemberRole.objects.get(user=member_a_staff_user)
    client.post(url, {"action": "remove", "role": staff_role.pk})
    # then
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert not MemberRole.objects.filter(pk=staff_role.pk).exists()


def test_a_bad_invitation_is_shown_on_the_form(member_a_owner_user, member_a):
    # when
    response = client_for(member_a_owner_user).post(
        "/manage/members/member-a/staff/",
        {"action": "invite", "email": "nope", "role": "admin"},
    )
    # then
    assert response.status_code == 422
    assert 'id="id_email_error"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_last_owner_cannot_be_removed(member_a_owner_user, member_a):
    # given
    role = MemberRole.objects.get(user=member_a_owner_user)
    # when
    response = client_for(member_a_owner_user).post(
        "/manage/members/member-a/staff/",
        {"action": "remove", "role": role.pk},
        follow=True,
    )
    # then
    assert "only owner" in response.content.decode()
    assert MemberRole.objects.filter(pk=role.pk).exists()


def test_roles_of_another_business_are_untouchable(
    member_a_owner_user, member_a, customer
):
    # given
    from purei.members.services import MemberDetails, member_create

    member_create(actor=customer, details=MemberDetails(legal_name="Other"))
    other_role = MemberRole.objects.get(user=customer.user)
    extra = UserFactory.create()
    MemberRole.objects.create(user=extra, member=other_role.member, role="staff")
    # when
    response = client_for(member_a_owner_user).post(
        "/manage/members/member-a/staff/", {"action": "remove", "role": other_role.pk}
    )
    # then
    assert response.status_code == 404
    assert MemberRole.objects.filter(pk=other_role.pk).exists()

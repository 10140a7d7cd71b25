import pytest
from django.test import Client

from purei.core.tests.pictures import PDF_BYTES, upload
from purei.members.models import Member
from purei.members.tests.factories import CredentialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db) -> Client:
    from purei.accounts.models import User

    user = User.objects.create_superuser(email="root@purei.test", password="x")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", ["member", "credential", "memberphoto", "membership"])
def test_every_members_admin_list_opens(admin, member_a, path):
    # when
    response = admin.get(f"/admin/members/{path}/")
    # then
    assert response.status_code == 200


def test_the_member_change_page_masks_the_bank_account(admin, member_a):
    # given
    Member.objects.filter(pk=member_a.pk).update(bank_account="01-0902-0068389-000")
    # when
    body = admin.get(f"/admin/members/member/{member_a.pk}/change/").content.decode()
    # then
    assert "••-••••-•••8389-•••" in body
    assert "0068389" not in body


def admin_post(member, **overrides):
    data = {
        "legal_name": member.legal_name,
        "trading_name": member.trading_name,
        "slug": member.slug,
        "nzbn": "",
        "gst_number": "",
        "in_trade": "on",
        "story": "New **story**",
        "region": member.region_id,
        "town": member.town,
        "latitude": "",
        "longitude": "",
        "contact_name": "",
        "email": member.email,
        "phone": "",
        "website": "",
        "new_bank_account": "",
        "bank_account_name": "",
    }
    for prefix in ("memberships", "credentials", "photos"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def test_the_admin_form_checks_and_normalises_identifiers(admin, member_a):
    # when
    refused = admin.post(
        f"/admin/members/member/{member_a.pk}/change/",
        admin_post(
            member_a, nzbn="9429046393921", new_bank_account="12-3140-0123456-00"
        ),
    )
    # then
    assert refused.status_code == 200
    assert "last digit" in refused.content.decode()
    # when
    saved = admin.post(
        f"/admin/members/member/{member_a.pk}/change/",
        admin_post(
            member_a,
            nzbn="94 2904 639 3920",
            gst_registered="on",
            gst_number="136-410-132",
            new_bank_account="01 902 0068389 00",
            bank_account_name="Member A Wines Ltd",
        ),
    )
    # then
    assert saved.status_code == 302
    member_a.refresh_from_db()
    assert member_a.nzbn == "9429046393920"
    assert member_a.gst_number == "136410132"
    assert member_a.bank_account == "01-0902-0068389-000"
    assert member_a.story_html == "<p>New <strong>story</strong></p>"


def test_the_credential_admin_links_evidence_through_the_scoped_view(admin, member_a):
    # given
    credential = CredentialFactory.create(member=member_a)
    credential.evidence.save("x.pdf", upload("x.pdf", PDF_BYTES), save=True)
    # when
    body = admin.get(
        f"/admin/members/credential/{credential.pk}/change/"
    ).content.decode()
    # then
    assert f"/manage/members/member-a/credentials/{credential.pk}/evidence" in body
    assert "/media/members/evidence/" not in body


def test_an_admin_change_goes_through_the_service_and_is_audited(admin, member_a):
    # given
    from purei.core.models import AuditEntry

    before = AuditEntry.objects.filter(verb="member.updated").count()
    # when
    saved = admin.post(
        f"/admin/members/member/{member_a.pk}/change/",
        admin_post(
            member_a,
            new_bank_account="01-0902-0068389-000",
            bank_account_name="Member A Wines Ltd",
        ),
    )
    # then
    assert saved.status_code == 302
    member_a.refresh_from_db()
    assert member_a.bank_account == "01-0902-0068389-000"
    entries = AuditEntry.objects.filter(verb="member.updated").order_by("pk")
    assert entries.count() == before + 1
    entry = entries.last()
    assert entry is not None
    assert entry.actor_email == "root@purei.test"
    assert entry.after["bank_account"] == "••-••••-•••8389-•••"
    assert "0068389" not in str(entry.before) + str(entry.after)
    assert entry.after["story"] == "New **story**"


def test_an_admin_change_refused_by_the_service_shows_beside_the_field(admin, member_a):
    # when: a website the service refuses (the form's URL field lets it by)
    refused = admin.post(
        f"/admin/members/member/{member_a.pk}/change/",
        admin_post(member_a, website="not a web address"),
    )
    # then
    assert refused.status_code == 200
    assert "errornote" in refused.content.decode()
    member_a.refresh_from_db()
    assert member_a.website == ""


def test_an_unchanged_admin_form_writes_nothing(admin, member_a):
    # given
    from purei.core.models import AuditEntry

    member_a.story = "Same"
    member_a.save()
    before = AuditEntry.objects.count()
    # when
    saved = admin.post(
        f"/admin/members/member/{member_a.pk}/change/",
        admin_post(member_a, story="Same"),
    )
    # then
    assert saved.status_code == 302
    assert AuditEntry.objects.count() == before


def test_the_slug_is_kept_once_the_member_exists(admin, member_a):
    # when
    admin.post(
        f"/admin/members/member/{member_a.pk}/change/",
        admin_post(member_a, slug="another-slug"),
    )
    # then
    member_a.refresh_from_db()
    assert member_a.slug == "member-a"

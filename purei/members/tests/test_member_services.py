import json
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage

from purei.accounts.models import MemberRole
from purei.core.actor import Actor
from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.core.tests.pictures import picture_bytes, upload
from purei.members.models import Member, MemberPhoto
from purei.members.services import (
    MAX_PHOTOS,
    MemberDetails,
    member_create,
    member_is_ready_to_trade,
    member_photo_add,
    member_photo_move,
    member_photo_remove,
    member_photo_reorder,
    member_photo_update,
    member_update,
    member_update_by_staff,
)
from purei.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

VALID_ACCOUNT = "01-902-0068389-00"


def member_data(**overrides):
    data = {
        "legal_name": "Te Whare Toi Limited",
        "trading_name": "Te Whare Toi",
        "nzbn": "9429046393920",
        "gst_registered": True,
        "gst_number": "136-410-132",
        "in_trade": True,
        "story": "We carve **tōtara** in Tauranga Moana.",
        "region": "NZ-BOP",
        "town": "Tauranga",
        "latitude": "-37.6878",
        "longitude": "176.1651",
        "contact_name": "Hemi Walker",
        "email": "kiaora@tewharetoi.example.nz",
        "phone": "07 578 0000",
        "website": "tewharetoi.example.nz",
        "bank_account": VALID_ACCOUNT,
        "bank_account_name": "Te Whare Toi Ltd",
    }
    data.update(overrides)
    return data


def errors_of(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        call(**kwargs)
    return caught.value.errors


# --- member_create ------------------------------------------------------------


def test_anyone_logged_in_adds_a_business_and_becomes_its_owner(customer):
    # when
    member = member_create(actor=customer, details=MemberDetails(**member_data()))
    # then
    assert member.slug == "te-whare-toi"
    assert member.nzbn == "9429046393920"
    assert member.gst_number == "136410132"
    assert member.bank_account == "01-0902-0068389-000"
    assert member.website == "https://tewharetoi.example.nz"
    assert member.latitude == Decimal("-37.687800")
    assert member.region is not None
    assert member.region.code == "NZ-BOP"
    assert member.story_html == (
        "<p>We carve <strong>tōtara</strong> in Tauranga Moana.</p>"
    )
    assert "totara" in member.search_text
    assert "bay of plenty" in member.search_text
    assert MemberRole.objects.filter(
        user=customer.user, member=member, role=MemberRole.Role.OWNER
    ).exists()
    assert customer.is_member_owner(member.pk)  # the actor's roles are refreshed


def test_creating_records_an_audit_row_with_the_account_masked(customer):
    # when
    member = member_create(actor=customer, details=MemberDetails(**member_data()))
    # then
    entry = AuditEntry.objects.get(verb="member.created")
    assert entry.member_id == member.pk
    assert entry.actor == customer.user
    assert entry.after["bank_account"] == "••-••••-•••8389-•••"
    assert "0068389" not in json.dumps(entry.after)


def test_slugs_are_unique_and_folded(customer):
    # given
    MemberFactory.create(slug="kumara-kai")
    # when
    first = member_create(
        actor=customer, details=MemberDetails(legal_name="Kūmara Kai")
    )
    second = member_create(
        actor=customer, details=MemberDetails(legal_name="Kūmara Kai")
    )
    reserved = member_create(actor=customer, details=MemberDetails(legal_name="New"))
    # then
    assert first.slug == "kumara-kai-2"
    assert second.slug == "kumara-kai-3"
    assert reserved.slug == "new-business"


def test_only_a_legal_name_is_needed(customer):
    # when
    member = member_create(
        actor=customer, details=MemberDetails(legal_name="Aroha Pottery")
    )
    # then
    assert member.name == "Aroha Pottery"
    assert member.gst_number == ""
    assert member.in_trade is False
    assert member_is_ready_to_trade(member) is False


def test_anonymous_cannot_add_a_business(anonymous):
    # when
    with pytest.raises(NotPermitted):
        member_create(actor=anonymous, details=MemberDetails(**member_data()))
    # then
    assert not Member.objects.exists()


def test_every_bad_field_is_named_and_nothing_is_saved(customer):
    # when
    errors = errors_of(
        member_create,
        actor=customer,
        details=MemberDetails(
            **member_data(
                legal_name=" ",
                nzbn="9429046393921",
                gst_number="136410133",
                region="NZ-XXX",
                latitude="north",
                email="not-an-email",
                phone="call me",
                website="javascript:alert(1)",
                bank_account="01-0242-0100195-00",
            )
        ),
    )
    # then
    assert list(errors) == [
        "legal_name",
        "nzbn",
        "gst_number",
        "region",
        "latitude",
        "email",
        "phone",
        "website",
        "bank_account",
    ]
    assert "last digit" in errors["nzbn"][0]
    assert not Member.objects.exists()
    assert not AuditEntry.objects.exists()
    assert not MemberRole.objects.exists()


def test_gst_number_is_needed_when_registered_and_refused_when_not(customer):
    # then
    assert "gst_number" in errors_of(
        member_create,
        actor=customer,
        details=MemberDetails(**member_data(gst_number="")),
    )
    refused = errors_of(
        member_create,
        actor=customer,
        details=MemberDetails(**member_data(gst_registered=False)),
    )
    assert "registered for GST" in refused["gst_number"][0]


def test_a_duplicate_nzbn_is_refused(customer):
    # given
    MemberFactory.create(nzbn="9429046393920")
    # when
    errors = errors_of(
        member_create, actor=customer, details=MemberDetails(**member_data())
    )
    # then
    assert list(errors) == ["nzbn"]


def test_coordinates_come_in_pairs_inside_new_zealand(customer):
    # then
    assert "longitude" in errors_of(
        member_create,
        actor=customer,
        details=MemberDetails(**member_data(longitude="")),
    )
    errors = errors_of(
        member_create,
        actor=customer,
        details=MemberDetails(**member_data(latitude="51.5", longitude="-0.12")),
    )
    assert set(errors) == {"latitude", "longitude"}
    chathams = member_create(
        actor=customer,
        details=MemberDetails(
            **member_data(nzbn="", latitude="-43.95", longitude="-176.56")
        ),
    )
    assert chathams.longitude == Decimal("-176.560000")


def test_a_bank_account_needs_the_name_on_it(customer):
    # then
    assert list(
        errors_of(
            member_create,
            actor=customer,
            details=MemberDetails(**member_data(bank_account_name="")),
        )
    ) == ["bank_account_name"]


def test_booleans_must_be_booleans(customer):
    # then
    assert "in_trade" in errors_of(
        member_create,
        actor=customer,
        details=MemberDetails(**member_data(in_trade="yes")),
    )


def test_a_logo_is_cleaned_and_stored_under_a_fresh_name(customer):
    # when
    member = member_create(
        actor=customer,
        details=MemberDetails(
            **member_data(
                logo=upload("my-house.jpg", picture_bytes(1600, 1200, gps=True))
            )
        ),
    )
    # then
    name = str(member.logo.name)
    assert name.startswith("members/logos/")
    assert "my-house" not in name
    assert (member.logo_width, member.logo_height) == (800, 600)
    assert default_storage.exists(name)


def test_a_bad_logo_is_a_field_error(customer):
    # then
    errors = errors_of(
        member_create,
        actor=customer,
        details=MemberDetails(**member_data(logo=upload("logo.jpg", b"not a picture"))),
    )
    assert list(errors) == ["logo"]


# --- member_update ------------------------------------------------------------


@pytest.fixture
def owned(customer) -> Member:
    return member_create(actor=customer, details=MemberDetails(**member_data()))


def test_owner_changes_only_what_is_sent(customer, owned):
    # when
    member = member_update(
        actor=customer, member=owned, details=MemberDetails(town="Mount Maunganui")
    )
    # then
    assert member.town == "Mount Maunganui"
    assert member.legal_name == "Te Whare Toi Limited"
    assert member.bank_account == "01-0902-0068389-000"
    assert "mount maunganui" in member.search_text
    entry = AuditEntry.objects.get(verb="member.updated")
    assert entry.before == {"town": "Tauranga"}
    assert entry.after == {"town": "Mount Maunganui"}


def test_a_new_bank_account_is_audited_masked(customer, owned):
    # when
    member = member_update(
        actor=customer,
        member=owned,
        details=MemberDetails(bank_account="08 6523 1954512 001"),
    )
    # then
    assert member.bank_account == "08-6523-1954512-001"
    entry = AuditEntry.objects.get(verb="member.updated")
    assert entry.before == {"bank_account": "••-••••-•••8389-•••"}
    assert entry.after == {"bank_account": "••-••••-•••4512-•••"}
    dumped = json.dumps([entry.before, entry.after])
    assert "0068389" not in dumped
    assert "1954512" not in dumped


def test_an_empty_bank_account_removes_it(customer, owned):
    # when
    member = member_update(
        actor=customer, member=owned, details=MemberDetails(bank_account="")
    )
    # then
    assert member.bank_account == ""
    assert member.bank_account_masked == ""


def test_leaving_gst_clears_the_number(customer, owned):
    # when
    member = member_update(
        actor=customer, member=owned, details=MemberDetails(gst_registered=False)
    )
    # then
    assert member.gst_number == ""


def test_the_story_html_follows_the_story(customer, owned):
    # when
    member = member_update(
        actor=customer,
        member=owned,
        details=MemberDetails(
            story="Kia ora <script>alert(1)</script>[x](javascript:y)"
        ),
    )
    # then
    assert "script" not in member.story_html
    assert "javascript" not in member.story_html


def test_a_refused_update_changes_nothing(customer, owned):
    # when
    errors_of(
        member_update,
        actor=customer,
        member=owned,
        details=MemberDetails(town="Rotorua", nzbn="123"),
    )
    # then
    owned.refresh_from_db()
    assert owned.town == "Tauranga"
    assert not AuditEntry.objects.filter(verb="member.updated").exists()


def test_replacing_and_clearing_the_logo_removes_the_old_file(
    customer, owned, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        first = (
            member_update(
                actor=customer,
                member=owned,
                details=MemberDetails(logo=upload(data=picture_bytes())),
            ).logo.name
            or ""
        )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        second = (
            member_update(
                actor=customer,
                member=owned,
                details=MemberDetails(logo=upload(data=picture_bytes())),
            ).logo.name
            or ""
        )
    # then
    assert first != second
    assert not default_storage.exists(first)
    assert default_storage.exists(second)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        member = member_update(
            actor=customer, member=owned, details=MemberDetails(logo_clear=True)
        )
    # then
    assert not member.logo
    assert member.logo_width is None
    assert not default_storage.exists(second)


@pytest.mark.parametrize(
    "who", ["member_a_staff", "cluster_x_admin", "cluster_y_admin", "platform_staff"]
)
def test_only_owners_update(who, request, member_a):
    # given
    actor: Actor = request.getfixturevalue(who)
    # when
    with pytest.raises(NotPermitted):
        member_update(
            actor=actor, member=member_a, details=MemberDetails(town="Picton")
        )
    # then
    member_a.refresh_from_db()
    assert member_a.town == "Blenheim"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "who", ["member_a_owner", "member_a_staff", "cluster_x_admin", "customer"]
)
def test_only_platform_staff_update_as_staff(who, request, member_a):
    # given
    actor: Actor = request.getfixturevalue(who)
    # when
    with pytest.raises(NotPermitted):
        member_update_by_staff(
            actor=actor, member=member_a, details=MemberDetails(town="Picton")
        )
    # then
    member_a.refresh_from_db()
    assert member_a.town == "Blenheim"


def test_platform_staff_update_as_staff_and_are_audited(platform_staff, member_a):
    # when
    member = member_update_by_staff(
        actor=platform_staff,
        member=member_a,
        details=MemberDetails(
            town="Picton",
            bank_account="01-0902-0068389-000",
            bank_account_name="Member A Wines Ltd",
        ),
    )
    # then
    assert member.town == "Picton"
    entry = AuditEntry.objects.get(verb="member.updated")
    assert entry.actor == platform_staff.user
    assert entry.after["bank_account"] == "••-••••-•••8389-•••"


def test_the_owner_of_member_a_updates_it(member_a_owner, member_a):
    # when
    member = member_update(
        actor=member_a_owner, member=member_a, details=MemberDetails(town="Picton")
    )
    # then
    assert member.town == "Picton"


# --- Photos -------------------------------------------------------------------


def add_photo(actor, member, alt="Carving a tekoteko", **picture):
    return member_photo_add(
        actor=actor,
        member=member,
        image=upload("IMG.jpg", picture_bytes(**picture)),
        alt_text=alt,
    )


def test_owner_adds_photos_in_order(member_a_owner, member_a):
    # when
    first = add_photo(member_a_owner, member_a, width=3000, height=2000)
    second = add_photo(member_a_owner, member_a, alt="Our studio")
    # then
    assert (first.position, second.position) == (0, 1)
    assert (first.width, first.height) == (1600, 1067)
    assert first.image.name.startswith("members/photos/")
    assert AuditEntry.objects.filter(verb="member.photo_added").count() == 2


def test_a_photo_needs_a_description_and_a_picture(member_a_owner, member_a):
    # then
    errors = errors_of(
        member_photo_add,
        actor=member_a_owner,
        member=member_a,
        image=upload(data=b"nope"),
        alt_text=" ",
    )
    assert list(errors) == ["image", "alt_text"]
    assert not MemberPhoto.objects.exists()


def test_a_business_shows_at_most_twelve_photos(member_a_owner, member_a):
    # given
    for _number in range(MAX_PHOTOS):
        add_photo(member_a_owner, member_a)
    # when
    errors = errors_of(
        member_photo_add,
        actor=member_a_owner,
        member=member_a,
        image=upload(),
        alt_text="One more",
    )
    # then
    assert "at most 12" in errors["image"][0]


def test_photos_are_reordered_moved_described_and_removed(
    member_a_owner, member_a, django_capture_on_commit_callbacks
):
    # given
    a, b, c = (add_photo(member_a_owner, member_a, alt=alt) for alt in "abc")
    # when
    member_photo_reorder(
        actor=member_a_owner, member=member_a, photo_ids=[c.pk, a.pk, b.pk]
    )
    # then
    assert list(member_a.photos.values_list("alt_text", flat=True)) == ["c", "a", "b"]
    # when
    member_photo_move(
        actor=member_a_owner, photo=MemberPhoto.objects.get(pk=b.pk), offset=-1
    )
    # then
    assert list(member_a.photos.values_list("alt_text", flat=True)) == ["c", "b", "a"]
    # when
    member_photo_update(actor=member_a_owner, photo=a, alt_text="Aroha at the loom")
    with django_capture_on_commit_callbacks(execute=True):
        member_photo_remove(actor=member_a_owner, photo=c)
    # then
    assert list(member_a.photos.values_list("alt_text", flat=True)) == [
        "b",
        "Aroha at the loom",
    ]
    assert not default_storage.exists(str(c.image.name))


def test_reordering_needs_every_photo_once(member_a_owner, member_a):
    # given
    a = add_photo(member_a_owner, member_a)
    b = add_photo(member_a_owner, member_a)
    # then
    for ids in ([a.pk], [a.pk, a.pk], [a.pk, b.pk, 999]):
        assert "photo_ids" in errors_of(
            member_photo_reorder, actor=member_a_owner, member=member_a, photo_ids=ids
        )


def test_staff_cannot_change_photos(member_a_owner, member_a_staff, member_a):
    # given
    photo = add_photo(member_a_owner, member_a)
    # then
    with pytest.raises(NotPermitted):
        add_photo(member_a_staff, member_a)
    with pytest.raises(NotPermitted):
        member_photo_remove(actor=member_a_staff, photo=photo)
    with pytest.raises(NotPermitted):
        member_photo_update(actor=member_a_staff, photo=photo, alt_text="x")
    with pytest.raises(NotPermitted):
        member_photo_reorder(
            actor=member_a_staff, member=member_a, photo_ids=[photo.pk]
        )
    assert MemberPhoto.objects.count() == 1

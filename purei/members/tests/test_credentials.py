import datetime

import pytest
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone

from purei.core.errors import NotPermitted, ValidationFailed
from purei.core.models import AuditEntry
from purei.core.tests.pictures import PDF_BYTES, picture_bytes, upload
from purei.members.models import Credential, Membership
from purei.members.selectors import (
    credential_get_for_cluster_admin,
    credential_get_for_evidence,
    credential_list_for_cluster_admin,
    verified_credentials,
)
from purei.members.services import (
    CredentialInput,
    credential_add,
    credential_remove,
    credential_update,
    credential_verify,
)
from purei.members.tests.factories import CredentialFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def licence_data(**overrides):
    data = {
        "kind": Credential.Kind.LIQUOR_LICENCE,
        "issuer": "Marlborough District Licensing Committee",
        "number": "51/OFF/012/2025",
        "expires_on": NEXT_YEAR.isoformat(),
    }
    data.update(overrides)
    return data


def errors_of(call, **kwargs):
    with pytest.raises(ValidationFailed) as caught:
        call(**kwargs)
    return caught.value.errors


@pytest.fixture
def credential(member_a_owner, member_a) -> Credential:
    return credential_add(
        actor=member_a_owner,
        member=member_a,
        details=CredentialInput(
            **licence_data(evidence=upload("licence.pdf", PDF_BYTES, "application/pdf"))
        ),
    )


# --- Adding, changing, removing -----------------------------------------------


def test_owner_adds_a_credential_waiting_for_verification(credential, member_a):
    # then
    assert credential.member == member_a
    assert credential.verification == Credential.Verification.PENDING
    assert credential.expires_on == NEXT_YEAR
    assert credential.evidence.name.startswith("members/evidence/")
    assert credential.evidence.name.endswith(".pdf")
    assert default_storage.open(credential.evidence.name).read() == PDF_BYTES
    entry = AuditEntry.objects.get(verb="credential.added")
    assert entry.member_id == member_a.pk
    assert entry.after["number"] == "51/OFF/012/2025"


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"issuer": "", "number": " "}, ["issuer", "number"]),
        ({"kind": "driving_licence"}, ["kind"]),
        ({"kind": Credential.Kind.OTHER}, ["name"]),
        ({"expires_on": YESTERDAY.isoformat()}, ["expires_on"]),
        ({"expires_on": "31/12/2027"}, ["expires_on"]),
        ({"evidence": upload("x.pdf", b"MZ\x90\x00 not a pdf")}, ["evidence"]),
        ({"number": "x" * 65}, ["number"]),
    ],
)
def test_bad_credentials_are_refused_field_by_field(
    member_a_owner, member_a, overrides, fields
):
    # when
    errors = errors_of(
        credential_add,
        actor=member_a_owner,
        member=member_a,
        details=CredentialInput(**licence_data(**overrides)),
    )
    # then
    assert list(errors) == fields
    assert not Credential.objects.exists()


def test_other_kinds_carry_a_name(member_a_owner, member_a):
    # when
    credential = credential_add(
        actor=member_a_owner,
        member=member_a,
        details=CredentialInput(
            **licence_data(
                kind=Credential.Kind.OTHER, name="Māori Made mark", expires_on=""
            )
        ),
    )
    # then
    assert credential.name == "Māori Made mark"
    assert credential.expires_on is None


def test_changing_a_verified_fact_sends_it_back_for_verification(
    credential, cluster_x, cluster_x_admin, member_a_owner
):
    # given
    credential_verify(
        actor=cluster_x_admin, credential=credential, cluster=cluster_x, verified=True
    )
    # when: the same values again change nothing
    same = credential_update(
        actor=member_a_owner,
        credential=credential,
        details=CredentialInput(**licence_data()),
    )
    # then
    assert same.verification == Credential.Verification.VERIFIED
    # when
    changed = credential_update(
        actor=member_a_owner,
        credential=credential,
        details=CredentialInput(number="51/OFF/099/2026"),
    )
    # then
    assert changed.verification == Credential.Verification.PENDING
    assert changed.verified_by is None
    assert changed.verified_in is None
    entry = AuditEntry.objects.filter(verb="credential.updated").first()
    assert entry is not None
    assert entry.after["verification"] == "pending"


def test_new_evidence_replaces_the_old_file(
    credential, member_a_owner, django_capture_on_commit_callbacks
):
    # given
    old = credential.evidence.name
    # when
    with django_capture_on_commit_callbacks(execute=True):
        updated = credential_update(
            actor=member_a_owner,
            credential=credential,
            details=CredentialInput(
                evidence=upload("scan.png", picture_bytes(300, 300, "PNG"))
            ),
        )
    # then
    assert str(updated.evidence.name).endswith(".png")
    assert not default_storage.exists(old)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        cleared = credential_update(
            actor=member_a_owner,
            credential=updated,
            details=CredentialInput(evidence_clear=True),
        )
    # then
    assert not cleared.evidence
    assert not default_storage.exists(str(updated.evidence.name))


def test_owner_removes_a_credential_and_its_file(
    credential, member_a_owner, django_capture_on_commit_callbacks
):
    # given
    name = credential.evidence.name
    # when
    with django_capture_on_commit_callbacks(execute=True):
        credential_remove(actor=member_a_owner, credential=credential)
    # then
    assert not Credential.objects.exists()
    assert not default_storage.exists(name)
    assert AuditEntry.objects.filter(verb="credential.removed").exists()


@pytest.mark.parametrize("who", ["member_a_staff", "cluster_x_admin", "platform_staff"])
def test_only_owners_keep_credentials(who, request, credential, member_a):
    # given
    actor = request.getfixturevalue(who)
    # then
    with pytest.raises(NotPermitted):
        credential_add(
            actor=actor, member=member_a, details=CredentialInput(**licence_data())
        )
    with pytest.raises(NotPermitted):
        credential_update(
            actor=actor, credential=credential, details=CredentialInput(number="x")
        )
    with pytest.raises(NotPermitted):
        credential_remove(actor=actor, credential=credential)
    assert Credential.objects.get().number == "51/OFF/012/2025"


# --- Verification -------------------------------------------------------------


def test_an_admin_of_the_cluster_verifies(credential, cluster_x, cluster_x_admin):
    # when
    verified = credential_verify(
        actor=cluster_x_admin,
        credential=credential,
        cluster=cluster_x,
        verified=True,
        note="Checked with the council.",
    )
    # then
    assert verified.verification == Credential.Verification.VERIFIED
    assert verified.verified_by == cluster_x_admin.user
    assert verified.verified_in == cluster_x
    assert verified.verified_at is not None
    assert verified.is_verified
    entry = AuditEntry.objects.get(verb="credential.verified")
    assert entry.cluster_id == cluster_x.pk
    assert entry.member_id == credential.member_id
    assert entry.before["verification"] == "pending"
    assert entry.after["verification"] == "verified"


def test_not_verified_needs_a_note(credential, cluster_x, cluster_x_admin):
    # then
    assert list(
        errors_of(
            credential_verify,
            actor=cluster_x_admin,
            credential=credential,
            cluster=cluster_x,
            verified=False,
        )
    ) == ["note"]
    # when
    rejected = credential_verify(
        actor=cluster_x_admin,
        credential=credential,
        cluster=cluster_x,
        verified=False,
        note="The number is not on the register.",
    )
    # then
    assert rejected.verification == Credential.Verification.REJECTED
    assert AuditEntry.objects.filter(verb="credential.rejected").exists()


def test_an_expired_credential_cannot_be_verified(member_a, cluster_x, cluster_x_admin):
    # given
    expired = CredentialFactory.create(member=member_a, expires_on=YESTERDAY)
    # then
    assert "verified" in errors_of(
        credential_verify,
        actor=cluster_x_admin,
        credential=expired,
        cluster=cluster_x,
        verified=True,
    )


@pytest.mark.parametrize(
    "who", ["cluster_y_admin", "member_a_owner", "platform_staff", "customer"]
)
def test_only_admins_of_that_cluster_verify(who, request, credential, cluster_x):
    # given
    actor = request.getfixturevalue(who)
    # when
    with pytest.raises(NotPermitted):
        credential_verify(
            actor=actor, credential=credential, cluster=cluster_x, verified=True
        )
    # then
    credential.refresh_from_db()
    assert credential.verification == Credential.Verification.PENDING
    assert not AuditEntry.objects.filter(verb__startswith="credential.verif").exists()


def test_admins_verify_only_members_approved_in_their_cluster(
    credential, cluster_y, cluster_y_admin, member_a
):
    # given: member A has only applied to cluster Y
    MembershipFactory.create(
        member=member_a, cluster=cluster_y, status=Membership.Status.APPLIED
    )
    # when
    with pytest.raises(NotPermitted) as caught:
        credential_verify(
            actor=cluster_y_admin,
            credential=credential,
            cluster=cluster_y,
            verified=True,
        )
    # then
    assert caught.value.code == "member_not_approved_in_cluster"


def test_a_verified_credential_stops_being_verified_when_it_expires(member_a):
    # given
    credential = CredentialFactory.create(
        member=member_a,
        expires_on=NEXT_YEAR,
        verification=Credential.Verification.VERIFIED,
    )
    # then
    assert credential.is_verified
    assert not credential.is_verified_on(NEXT_YEAR + datetime.timedelta(days=1))
    assert list(verified_credentials()) == [credential]
    Credential.objects.filter(pk=credential.pk).update(expires_on=YESTERDAY)
    assert list(verified_credentials()) == []


# --- Who sees what ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("anonymous", False),
        ("customer", False),
        ("member_a_staff", True),
        ("member_a_owner", True),
        ("cluster_x_admin", True),
        ("cluster_y_admin", False),
        ("platform_staff", True),
    ],
)
def test_evidence_is_for_the_team_its_cluster_admins_and_platform_staff(
    who, allowed, request, member_a
):
    # given
    credential = CredentialFactory.create(member=member_a)
    actor = request.getfixturevalue(who)
    # then
    if allowed:
        found = credential_get_for_evidence(
            actor=actor, member_slug="member-a", credential_id=credential.pk
        )
        assert found == credential
    else:
        with pytest.raises(Http404):
            credential_get_for_evidence(
                actor=actor, member_slug="member-a", credential_id=credential.pk
            )


def test_cluster_admins_of_a_suspended_membership_no_longer_see_evidence(
    member_a, cluster_x, cluster_x_admin
):
    # given
    credential = CredentialFactory.create(member=member_a)
    Membership.objects.filter(member=member_a).update(
        status=Membership.Status.SUSPENDED
    )
    # then
    with pytest.raises(Http404):
        credential_get_for_evidence(
            actor=cluster_x_admin, member_slug="member-a", credential_id=credential.pk
        )
    with pytest.raises(Http404):
        credential_get_for_cluster_admin(
            actor=cluster_x_admin, cluster=cluster_x, credential_id=credential.pk
        )


def test_cluster_admins_list_credentials_waiting_first(
    member_a, cluster_x, cluster_x_admin
):
    # given
    done = CredentialFactory.create(
        member=member_a, verification=Credential.Verification.VERIFIED
    )
    waiting = CredentialFactory.create(member=member_a)
    # then
    assert credential_list_for_cluster_admin(
        actor=cluster_x_admin, cluster=cluster_x
    ) == [
        waiting,
        done,
    ]
    assert credential_list_for_cluster_admin(
        actor=cluster_x_admin, cluster=cluster_x, pending_only=True
    ) == [waiting]


def test_other_admins_cannot_list_a_clusters_credentials(cluster_x, cluster_y_admin):
    # then
    with pytest.raises(Http404):
        credential_list_for_cluster_admin(actor=cluster_y_admin, cluster=cluster_x)

"""Credential evidence in the private bucket: the access-checked view stays the
gate and answers a short-lived signed URL; nothing else reaches the file."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from purei.core.storage import private_storage
from purei.core.tests.pictures import PDF_BYTES, upload
from purei.members.services import CredentialInput, credential_add

from .fetch import fetch

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(s3, member_a_owner, member_a):
    return credential_add(
        actor=member_a_owner,
        member=member_a,
        details=CredentialInput(
            kind="liquor_licence",
            issuer="Marlborough District Licensing Committee",
            number="51/OFF/012/2025",
            evidence=upload("licence.pdf", PDF_BYTES, "application/pdf"),
        ),
    )


def _url(credential) -> str:
    return f"/manage/members/member-a/credentials/{credential.pk}/evidence"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_evidence_is_kept_in_the_private_bucket(s3, credential):
    # then
    name = str(credential.evidence.name)
    assert name.startswith("members/evidence/")
    assert getattr(private_storage(), "bucket_name", None) == s3.buckets[1]
    assert private_storage().exists(name)
    assert not default_storage.exists(name)  # not in the public pictures' bucket
    listed = s3.client().list_objects_v2(Bucket=s3.buckets[1], Prefix=name)
    assert [entry["Key"] for entry in listed["Contents"]] == [name]


def test_the_owner_is_redirected_to_a_signed_url_saved_as_an_attachment(
    s3, credential, member_a_owner_user
):
    # when
    response = _client(member_a_owner_user).get(_url(credential))
    # then
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    signed = response["Location"]
    assert signed.startswith(f"{s3.endpoint_url}/{s3.buckets[1]}/members/evidence/")
    fetched = fetch(signed)
    assert fetched.status == 200
    assert fetched.body == PDF_BYTES
    assert fetched.headers["Content-Type"] == "application/pdf"
    assert fetched.headers["Content-Disposition"] == (
        'attachment; filename="member-a-liquor_licence-evidence.pdf"'
    )
    assert fetched.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["customer_user", "cluster_y_admin_user"])
def test_others_get_nothing(s3, credential, who, request):
    # when
    response = _client(request.getfixturevalue(who)).get(_url(credential))
    # then
    assert response.status_code == 404
    assert "Location" not in response


def test_anonymous_is_sent_to_log_in_and_the_raw_object_is_refused(s3, credential):
    # when
    response = _client().get(_url(credential))
    # then
    assert response.status_code == 302
    assert (
        response["Location"].startswith("/accounts/login/")
        or "login" in (response["Location"])
    )
    raw = f"{s3.endpoint_url}/{s3.buckets[1]}/{credential.evidence.name}"
    assert fetch(raw).status == 403
    signed = private_storage().url(str(credential.evidence.name))
    parts = urlsplit(signed)
    public_bucket = signed.replace(f"/{s3.buckets[1]}/", f"/{s3.buckets[0]}/")
    assert fetch(public_bucket).status == 403  # a signature is for one object
    assert fetch(f"{parts.scheme}://{parts.netloc}{parts.path}").status == 403


def test_removing_the_credential_deletes_its_evidence_once_committed(
    s3, credential, member_a_owner, django_capture_on_commit_callbacks
):
    # given
    from purei.members.services import credential_remove

    name = str(credential.evidence.name)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        credential_remove(actor=member_a_owner, credential=credential)
    # then
    assert not private_storage().exists(name)

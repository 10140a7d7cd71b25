import pytest
from django.core import mail

from purei.clusters.errors import ApplicationAlreadyDecided, ClusterErrorCode
from purei.clusters.models import ClusterApplication
from purei.clusters.services import application_approve, application_decline
from purei.clusters.tasks import application_declined_notify
from purei.clusters.tests.factories import ClusterApplicationFactory
from purei.core.errors import NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db

REASON = "Tokoroa is already served by another cluster; join them instead."


@pytest.fixture
def application() -> ClusterApplication:
    return ClusterApplicationFactory.create(
        contact_name="Aroha",
        contact_email="aroha@tokoroa.example.nz",
        proposed_name_en="Tokoroa Makers",
    )


def test_records_the_decision_and_reason(platform_staff, application):
    # when
    application_decline(actor=platform_staff, application=application, reason=REASON)
    # then
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.DECLINED
    assert application.decline_reason == REASON
    assert application.decided_by == platform_staff.user
    assert application.decided_at is not None
    assert application.cluster is None


def test_emails_the_reason_to_the_contact(
    platform_staff, application, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        application_decline(
            actor=platform_staff, application=application, reason=REASON
        )
    # then
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["aroha@tokoroa.example.nz"]
    assert "Tokoroa Makers" in message.subject
    assert REASON in message.body
    assert "Kia ora Aroha" in message.body
    assert "http://127.0.0.1:8000/apply/" in message.body


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_requires_a_reason(
    platform_staff, application, reason, django_capture_on_commit_callbacks
):
    # when
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationFailed) as caught,
    ):
        application_decline(
            actor=platform_staff, application=application, reason=reason
        )
    # then
    assert caught.value.code == ClusterErrorCode.REASON_REQUIRED
    assert caught.value.field == "reason"
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.PENDING
    assert mail.outbox == []


@pytest.mark.parametrize("actor_name", ["anonymous", "customer"])
def test_refuses_anyone_but_platform_staff_and_changes_nothing(
    request, application, actor_name, django_capture_on_commit_callbacks
):
    # given
    actor = request.getfixturevalue(actor_name)
    # when
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(NotPermitted),
    ):
        application_decline(actor=actor, application=application, reason=REASON)
    # then
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.PENDING
    assert application.decline_reason == ""
    assert application.decided_by is None
    assert mail.outbox == []


def test_refuses_to_decline_an_approved_application(platform_staff, application):
    # given
    application_approve(actor=platform_staff, application=application)
    # when
    with pytest.raises(ApplicationAlreadyDecided):
        application_decline(
            actor=platform_staff, application=application, reason=REASON
        )
    # then
    application.refresh_from_db()
    assert application.status == ClusterApplication.Status.APPROVED
    assert application.decline_reason == ""


def test_the_email_task_does_nothing_unless_still_declined(application):
    # when
    sent = application_declined_notify.call(application_id=application.pk)
    # then
    assert sent is False
    assert mail.outbox == []

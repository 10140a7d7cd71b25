"""Emails of tasks sent exactly once (purei/core/mail.py "Sent exactly once"): a
task run again — a retry — does not send its email twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from purei.accounts.models import User
from purei.accounts.tasks import account_welcome_send
from purei.accounts.tests.factories import UserFactory
from purei.core.mail import EmailInFlight, send_once, task_run
from purei.core.models import SentEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def aroha(db: Any) -> User:
    user: User = UserFactory.create(email="aroha@example.nz")
    return user


def test_a_task_run_twice_sends_its_email_once(aroha: User) -> None:
    # when: the same run (a retry keeps the task's result id) twice
    for _attempt in range(2):
        with task_run("purei.accounts.tasks.account_welcome_send:r1"):
            account_welcome_send.call(user_id=aroha.pk)
    # then
    assert [message.to for message in mail.outbox] == [["aroha@example.nz"]]
    marker = SentEmail.objects.get()
    assert marker.sent_at is not None


def test_the_same_task_enqueued_again_sends_again(aroha: User) -> None:
    # when: two runs (a second enqueue is a second wish to send)
    for run in ("r1", "r2"):
        with task_run(f"purei.accounts.tasks.account_welcome_send:{run}"):
            account_welcome_send.call(user_id=aroha.pk)
    # then
    assert len(mail.outbox) == 2
    assert SentEmail.objects.filter(sent_at__isnull=False).count() == 2


def test_a_worker_of_the_database_backend_sends_once_per_task_result(
    aroha: User, settings: Any
) -> None:
    # given: the task on the database backend, run by its worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    # (its loop closes the connection between tasks, which a test's transaction
    # does not survive on PostgreSQL: the worker's own step, run_task, is run)
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    result = account_welcome_send.enqueue(user_id=aroha.pk)
    worker.run_task(DBTaskResult.objects.get(pk=result.id))
    assert len(mail.outbox) == 1
    # when: the same task result run again (as after a worker died)
    worker.run_task(DBTaskResult.objects.get(pk=result.id))
    # then
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"


def test_a_fresh_claim_without_a_send_is_in_flight_and_a_stale_one_is_sent(
    settings: Any,
) -> None:
    # given: a claim whose sender died before sending
    settings.EMAIL_CLAIM_TIMEOUT_SECONDS = 120
    sent: list[str] = []
    send_once("k", lambda: sent.append("first"))
    SentEmail.objects.update(sent_at=None, claimed_at=timezone.now())
    # when / then: while the claim is fresh, the task is to be tried later
    with pytest.raises(EmailInFlight):
        send_once("k", lambda: sent.append("second"))
    # when: the claim is older than the timeout
    SentEmail.objects.update(claimed_at=timezone.now() - timedelta(seconds=121))
    assert send_once("k", lambda: sent.append("third"))
    # then: sent again once, marked; a further try sends nothing
    assert not send_once("k", lambda: sent.append("fourth"))
    assert sent == ["first", "third"]
    assert SentEmail.objects.get().sent_at is not None


def test_a_send_that_fails_takes_its_claim_back(aroha: User) -> None:
    # given
    def refused() -> None:
        raise ConnectionRefusedError("smtp down")

    # when
    with pytest.raises(ConnectionRefusedError):
        send_once("k", refused)
    # then: nothing claimed, so the retry sends at once
    assert not SentEmail.objects.exists()
    assert send_once("k", lambda: None)


def test_outside_a_task_an_email_is_sent_without_a_marker(aroha: User) -> None:
    # when: the immediate backend of the tests (the task runs in the request)
    account_welcome_send.enqueue(user_id=aroha.pk)
    # then
    assert len(mail.outbox) == 1
    assert not SentEmail.objects.exists()

"""A task for the worker tests only (purei/accounts/tests/test_email_once_rq.py): the
welcome email, sent after ``PUREI_TEST_TASK_DELAY`` seconds — the window in which
the test kills the worker running it."""

from __future__ import annotations

import os
import time

from django.tasks import task

from purei.accounts.tasks import account_welcome_send


@task
def slow_welcome(*, user_id: int) -> bool:
    time.sleep(float(os.environ.get("PUREI_TEST_TASK_DELAY", "0")))
    return bool(account_welcome_send.call(user_id=user_id))

"""The Python verification snippet in docs/api.md "Webhooks", run as written
against a real delivery to a local receiver."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from purei.core.events import emit

from .factories import endpoint_for
from .receiver import receiver

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def _snippet() -> Any:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Webhooks") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOC), "exec"), namespace)  # noqa: S102 - our docs
    return namespace["purei_verify"]


@pytest.mark.django_db
def test_the_documented_python_check_verifies_a_real_delivery(
    member_a, member_a_owner, django_capture_on_commit_callbacks
):
    # given
    purei_verify = _snippet()
    with receiver() as hooks:
        shown = endpoint_for(member_a_owner, member_a, hooks.url)
        # when
        with django_capture_on_commit_callbacks(execute=True):
            emit("stock.low", cluster_id=None, member_id=member_a.pk, payload={"a": 1})
    # then
    got = hooks.received[0]
    header = got.headers["Purei-Signature"]
    assert purei_verify(shown.secret, header, got.body) is True
    assert purei_verify("whsec_other", header, got.body) is False
    assert purei_verify(shown.secret, header, got.body + b" ") is False
    assert purei_verify(shown.secret, header, got.body, tolerance=-1) is False

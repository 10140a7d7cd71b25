"""scripts/audit_deps.py judges pip-audit's JSON report against the allowlist:
an unknown vulnerability fails, an allowed one passes until its entry expires,
an expired entry fails, and a dependency pip-audit could not audit (as when its
service is unreachable) is never taken for a pass."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from scripts.audit_deps import (
    CLEAN,
    FOUND,
    NOT_AUDITED,
    AllowlistError,
    allowlist_load,
    judge,
    main,
)

TODAY = dt.date(2026, 6, 1)
ALLOWLIST = """
[[allow]]
id = "PYSEC-2026-1"
package = "django"
reason = "Only the Oracle backend; we use SQLite and PostgreSQL"
expires = 2026-07-01
"""


def _report(*vulns: dict[str, Any], skipped: bool = False) -> dict[str, Any]:
    deps: list[dict[str, Any]] = [
        {"name": "django", "version": "6.1.0", "vulns": list(vulns)},
        {"name": "whitenoise", "version": "6.12.0", "vulns": []},
    ]
    if skipped:
        deps.append(
            {
                "name": "pillow",
                "skip_reason": "Dependency not found on PyPI and could not be "
                "audited: pillow (12.0.0)",
            }
        )
    return {"dependencies": deps, "fixes": []}


def _vuln(vuln_id: str, *aliases: str) -> dict[str, Any]:
    return {
        "id": vuln_id,
        "aliases": list(aliases),
        "fix_versions": ["6.1.1"],
        "description": "…",
    }


def test_a_clean_report_passes():
    # when
    verdict = judge(_report(), allowlist_load(ALLOWLIST), TODAY)
    # then (the unused entry is only a note)
    assert verdict.code == CLEAN
    assert verdict.failures == []
    assert verdict.notes == ["allowlist entry PYSEC-2026-1 matches nothing: remove it"]


def test_an_unknown_vulnerability_fails():
    # when
    verdict = judge(_report(_vuln("GHSA-aaaa-bbbb-cccc")), [], TODAY)
    # then
    assert verdict.code == FOUND
    assert verdict.failures == ["django 6.1.0: GHSA-aaaa-bbbb-cccc (fixed in: 6.1.1)"]


def test_an_allowed_vulnerability_passes_by_id_or_alias():
    # given the advisory reported under another id, with ours as an alias
    report = _report(_vuln("GHSA-aaaa-bbbb-cccc", "PYSEC-2026-1"))
    # when
    verdict = judge(report, allowlist_load(ALLOWLIST), TODAY)
    # then
    assert verdict.code == CLEAN
    assert len(verdict.allowed) == 1
    assert "allowed until 2026-07-01" in verdict.allowed[0]


def test_an_entry_for_another_package_does_not_allow_it():
    # given the entry is for django, the advisory for whitenoise
    report = {
        "dependencies": [
            {
                "name": "whitenoise",
                "version": "6.12.0",
                "vulns": [_vuln("PYSEC-2026-1")],
            }
        ]
    }
    # when
    verdict = judge(report, allowlist_load(ALLOWLIST), TODAY)
    # then
    assert verdict.code == FOUND


def test_an_expired_entry_fails_even_when_it_matches():
    # when the day after its expiry comes
    verdict = judge(
        _report(_vuln("PYSEC-2026-1")), allowlist_load(ALLOWLIST), dt.date(2026, 7, 2)
    )
    # then both the entry and the vulnerability fail
    assert verdict.code == FOUND
    assert verdict.failures[0].startswith("allowlist entry PYSEC-2026-1 expired on")
    assert verdict.failures[1].startswith("django 6.1.0: PYSEC-2026-1")


def test_an_expired_entry_fails_when_nothing_matches_it_any_more():
    # when
    verdict = judge(_report(), allowlist_load(ALLOWLIST), dt.date(2026, 7, 2))
    # then
    assert verdict.code == FOUND


def test_dependencies_not_audited_are_never_a_pass():
    # given pip-audit's report when its service does not answer: every
    # dependency skipped, no vulnerability, and pip-audit itself exits 0
    report = {
        "dependencies": [
            {
                "name": "django",
                "skip_reason": "Dependency not found on PyPI and could not be "
                "audited: django (6.1.0)",
            }
        ],
        "fixes": [],
    }
    # when
    verdict = judge(report, [], TODAY)
    # then
    assert verdict.code == NOT_AUDITED
    assert verdict.not_audited == [
        "django: Dependency not found on PyPI and could not be audited: django (6.1.0)"
    ]


def test_one_dependency_not_audited_fails_the_whole_audit():
    verdict = judge(_report(skipped=True), [], TODAY)
    assert verdict.code == NOT_AUDITED


@pytest.mark.parametrize(
    "text",
    [
        '[[allow]]\nid = "X"\nexpires = 2026-01-01\n',  # no reason
        '[[allow]]\nid = "X"\nreason = "r"\nexpires = "soon"\n',  # not a date
        '[[allow]]\nid = "X"\nreason = "r"\n',  # no expiry
        "[[allow]\n",  # not TOML
    ],
)
def test_a_bad_allowlist_is_refused(text):
    with pytest.raises(AllowlistError):
        allowlist_load(text)


def test_the_command_judges_a_saved_report(tmp_path: Path, capsys):
    # given a saved report with an unknown vulnerability
    report = tmp_path / "report.json"
    report.write_text(json.dumps(_report(_vuln("GHSA-aaaa-bbbb-cccc"))))
    allowlist = tmp_path / "allow.toml"
    allowlist.write_text("")
    # when
    code = main(["--report", str(report), "--allowlist", str(allowlist)])
    # then
    assert code == FOUND
    assert "FAIL: django 6.1.0: GHSA-aaaa-bbbb-cccc" in capsys.readouterr().err


def test_the_project_allowlist_is_valid():
    root = Path(__file__).resolve().parents[2]
    allowlist_load((root / "audit-allowlist.toml").read_text())

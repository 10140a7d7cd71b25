#!/usr/bin/env python3
"""Audit the pinned dependencies (requirements.lock) for known vulnerabilities.

    python scripts/audit_deps.py [--lock requirements.lock]
        [--allowlist audit-allowlist.toml] [--service pypi|osv]
        [--report pip-audit.json]

Runs ``pip-audit`` (a dev dependency) on the lock file, without resolving or
installing anything (``--no-deps --disable-pip``), and judges its JSON report:

* a vulnerability fails the audit unless ``audit-allowlist.toml`` records it
  (by its id or any of its aliases) with a reason and an expiry date not yet
  passed;
* an expired allowlist entry fails the audit even if nothing matches it any
  more, so every exception is looked at again;
* a dependency pip-audit could not audit fails it too: pip-audit itself reports
  such a dependency as skipped and still answers "No known vulnerabilities
  found" with exit 0 (it does exactly that when the vulnerability service cannot
  be reached or does not know the packages), which would be a false pass;
* when pip-audit is not installed, or the vulnerability service cannot be
  reached, it says so and fails (exit 3), never passing quietly.

Exit codes: 0 clean, 1 vulnerabilities or expired entries, 2 a bad allowlist
or usage, 3 the audit could not be done (no pip-audit, service unreachable,
dependencies not audited). ``--report`` judges a saved pip-audit JSON report
instead of running pip-audit.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
CLEAN, FOUND, BAD_INPUT, NOT_AUDITED = 0, 1, 2, 3
UNREACHABLE_SIGNS = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Failed to resolve",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "timed out",
)


class AllowlistError(ValueError):
    """The allowlist file is not as documented."""


class AuditUnavailable(RuntimeError):
    """The audit could not be done; the message says why."""


@dataclass(frozen=True)
class Allowed:
    id: str
    reason: str
    expires: dt.date
    package: str = ""


@dataclass
class Verdict:
    failures: list[str] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def code(self) -> int:
        if self.not_audited:
            return NOT_AUDITED
        return FOUND if self.failures else CLEAN


def allowlist_load(text: str) -> list[Allowed]:
    """The ``[[allow]]`` entries of an allowlist (TOML), each with ``id``,
    ``reason`` and ``expires`` (a date), and optionally ``package``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AllowlistError(f"the allowlist is not valid TOML: {error}") from error
    entries = []
    for n, raw in enumerate(data.get("allow", []), start=1):
        vuln_id = str(raw.get("id", "")).strip()
        reason = str(raw.get("reason", "")).strip()
        expires = raw.get("expires")
        if not vuln_id or not reason:
            raise AllowlistError(f"entry {n}: an id and a reason are required")
        if isinstance(expires, dt.datetime) or not isinstance(expires, dt.date):
            raise AllowlistError(
                f"entry {n} ({vuln_id}): expires must be a date (expires = 2026-06-30)"
            )
        entries.append(
            Allowed(
                id=vuln_id,
                reason=reason,
                expires=expires,
                package=str(raw.get("package", "")).strip().lower(),
            )
        )
    return entries


def judge(report: dict[str, Any], allowlist: list[Allowed], today: dt.date) -> Verdict:
    """What pip-audit's JSON ``report`` means against ``allowlist`` on ``today``."""
    verdict = Verdict()
    for entry in allowlist:
        if entry.expires < today:
            verdict.failures.append(
                f"allowlist entry {entry.id} expired on {entry.expires.isoformat()} "
                f"({entry.reason}): fix the dependency, or look again and renew it"
            )
    live = {entry.id: entry for entry in allowlist if entry.expires >= today}
    used: set[str] = set()
    dependencies = report.get("dependencies", [])
    for dep in dependencies:
        name = str(dep.get("name", "?"))
        version = str(dep.get("version", ""))
        if "skip_reason" in dep:
            verdict.not_audited.append(f"{name}: {dep['skip_reason']}")
            continue
        for vuln in dep.get("vulns", []):
            ids = [str(vuln.get("id", "?")), *map(str, vuln.get("aliases", []))]
            match = next(
                (
                    live[i]
                    for i in ids
                    if i in live and live[i].package in {"", name.lower()}
                ),
                None,
            )
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            label = f"{name} {version}: {' / '.join(ids)} (fixed in: {fixes})"
            if match is None:
                verdict.failures.append(label)
            else:
                used.add(match.id)
                verdict.allowed.append(
                    f"{label}, allowed until {match.expires.isoformat()}: "
                    f"{match.reason}"
                )
    verdict.notes.extend(
        f"allowlist entry {entry_id} matches nothing: remove it"
        for entry_id in sorted(set(live) - used)
    )
    if not dependencies:
        verdict.not_audited.append("the report lists no dependency at all")
    return verdict


def pip_audit_run(lock: Path, service: str) -> dict[str, Any]:
    """pip-audit's JSON report on ``lock``; ``AuditUnavailable`` when it is not
    installed or cannot reach its vulnerability service."""
    program = shutil.which("pip-audit") or shutil.which(
        "pip-audit", path=str(Path(sys.executable).parent)
    )
    if program is None:
        raise AuditUnavailable(
            "pip-audit is not installed: add it to the dev dependencies "
            "(pip-audit==2.10.1) and install them."
        )
    args = [
        program,
        "--requirement",
        str(lock),
        "--no-deps",
        "--disable-pip",
        "--vulnerability-service",
        service,
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    result = subprocess.run(  # noqa: S603 - a fixed program, our own arguments
        args, capture_output=True, text=True, check=False, timeout=600
    )
    try:
        report: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = {}
    if result.returncode not in (0, 1) or not report:
        if any(sign in result.stderr for sign in UNREACHABLE_SIGNS):
            raise AuditUnavailable(
                f"the vulnerability service ({service}) cannot be reached from "
                f"this machine: {_last_line(result.stderr)}"
            )
        raise AuditUnavailable(
            f"pip-audit gave no report (exit {result.returncode}): "
            f"{_last_line(result.stderr)}"
        )
    return report


def _say(text: str, *, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no message)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument("--allowlist", type=Path, default=ROOT / "audit-allowlist.toml")
    parser.add_argument("--service", choices=("pypi", "osv"), default="pypi")
    parser.add_argument("--report", type=Path, help="judge a saved pip-audit JSON")
    args = parser.parse_args(argv)
    try:
        text = args.allowlist.read_text() if args.allowlist.exists() else ""
        allowlist = allowlist_load(text)
    except AllowlistError as error:
        _say(f"audit: {args.allowlist}: {error}", err=True)
        return BAD_INPUT
    try:
        if args.report is not None:
            report = json.loads(args.report.read_text())
        else:
            report = pip_audit_run(args.lock, args.service)
    except AuditUnavailable as error:
        _say(f"audit: NOT DONE: {error}", err=True)
        return NOT_AUDITED
    today = dt.datetime.now(ZoneInfo("Pacific/Auckland")).date()
    verdict = judge(report, allowlist, today)
    for line in verdict.allowed:
        _say(f"allowed: {line}")
    for line in verdict.notes:
        _say(f"note: {line}")
    for line in verdict.failures:
        _say(f"FAIL: {line}", err=True)
    if verdict.not_audited:
        _say(
            f"audit: NOT DONE: {len(verdict.not_audited)} dependencies could not be "
            "audited (pip-audit skips what its vulnerability service does not "
            "answer for, and would call that a pass). Is the service reachable? "
            f"First: {verdict.not_audited[0]}",
            err=True,
        )
    elif verdict.code == CLEAN:
        _say(f"audit: {len(report.get('dependencies', []))} dependencies, clean")
    return verdict.code


if __name__ == "__main__":
    sys.exit(main())

"""schemathesis against the live API, with every check on, and 0 failures.

Two runs over every operation of /api/v1/openapi.json: anonymous, and with a member
owner's API key. The settings are in ``schemathesis.toml`` (seed, examples per
operation, the response-time limit). The last test fails if a check is turned off,
in that file or on the command line used here: CI cannot go green by not looking.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FuzzTarget

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "schemathesis.toml"
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
REPORTS = ROOT / "test-results" / "schemathesis"


def command(base: str, *, key: str | None, name: str) -> list[str]:
    """The command line of one run (also checked by the last test)."""
    line = [
        str(SCHEMATHESIS),
        "--config-file",
        str(CONFIG),
        "run",
        f"{base}/api/v1/openapi.json",
        "--checks",
        "all",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(REPORTS / f"{name}.xml"),
    ]
    if seed := os.environ.get("SCHEMATHESIS_SEED"):
        line += ["--seed", seed]
    if examples := os.environ.get("SCHEMATHESIS_MAX_EXAMPLES"):
        line += ["--max-examples", examples]
    if key:
        line += ["--header", f"Authorization: Bearer {key}"]
    return line


def _run(line: list[str]) -> None:
    REPORTS.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        line, capture_output=True, text=True, timeout=1200, check=False
    )
    if done.returncode != 0:
        pytest.fail(
            f"schemathesis found failures (exit {done.returncode}):\n"
            + done.stdout[-20000:]
            + done.stderr[-2000:],
            pytrace=False,
        )


def test_schemathesis_anonymous(fuzz_target: FuzzTarget) -> None:
    _run(command(fuzz_target.base, key=None, name="anonymous"))


def test_schemathesis_owner_key(fuzz_target: FuzzTarget) -> None:
    _run(command(fuzz_target.base, key=fuzz_target.owner_key, name="owner-key"))


def test_every_check_is_on() -> None:
    """Every check schemathesis has is enabled by the config and the command line."""
    import schemathesis  # noqa: F401 - registers the OpenAPI checks
    from schemathesis.checks import CHECKS
    from schemathesis.config import SchemathesisConfig
    from schemathesis.config._checks import _BUILTIN_CHECK_NAMES

    names = set(CHECKS.get_all_names()) | set(_BUILTIN_CHECK_NAMES)
    assert len(names) >= 15, sorted(names)
    config = SchemathesisConfig.from_path(CONFIG)
    project = config.projects.default
    off = [n for n in names if not project.checks.get_by_name(name=n).enabled]
    assert not off, f"schemathesis.toml turns checks off: {sorted(off)}"
    # No operation may turn a check off for itself either.
    for operation in project.operations.operations:
        off = [n for n in names if not operation.checks.get_by_name(name=n).enabled]
        assert not off, f"an [[operations]] entry turns checks off: {sorted(off)}"
    for key in (None, "pk_live_x"):
        line = command("http://127.0.0.1:1", key=key, name="x")
        assert line[line.index("--checks") + 1] == "all"
        assert not any(arg.startswith("--exclude-checks") for arg in line)
        assert line.count("--checks") == 1

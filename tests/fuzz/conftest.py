"""The API fuzz runs against the demo served by gunicorn (tests/live_demo.py),
with a member owner's API key issued on the command line (``purei
api_key_issue``), as an integrator would get one from the screen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Generator
from dataclasses import dataclass

import pytest

from tests.live_demo import build_demo, demo_env, free_port, purei, served

# A member of the demo whose owner issues the key (Marlborough Wine).
MEMBER = "wairau-terrace-wines"
OWNER = "owner@wairau-terrace-wines.test"


@dataclass(frozen=True)
class FuzzTarget:
    base: str
    owner_key: str  # pk_live_…: every scope a member owner may give


@pytest.fixture(scope="session")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Generator[FuzzTarget]:
    data_dir = tmp_path_factory.mktemp("fuzz-demo")
    env = demo_env(data_dir, free_port())
    build_demo(env)
    key = purei(
        env, "api_key_issue", "--member", MEMBER, "--by", OWNER, "--name", "fuzz"
    ).strip()
    try:
        with served(env) as base:
            yield FuzzTarget(base=base, owner_key=key)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Out of `make test`: these need a served demo (make test-api-fuzz).
    for item in items:
        path = str(item.path).replace(os.sep, "/")
        if "tests/fuzz/" in path and item.name.startswith("test_schemathesis_"):
            item.add_marker(pytest.mark.fuzz)

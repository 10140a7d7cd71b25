"""The layers are held by a machine: ``lint-imports`` (import-linter, its contracts in
``pyproject.toml``) passes on the code as it is, and fails when a change breaks a
contract — an app importing one above it (even lazily, inside a function), a domain
module importing a view, or ``core`` importing a domain. And no import hides from
it behind ``importlib`` or a dotted string.

Each breaking case copies the package to a temporary folder, adds one offending
module there, and runs ``lint-imports`` on the copy (the tree itself is never
touched).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        [str(LINT_IMPORTS), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("layers")
    shutil.copytree(
        ROOT / "purei",
        tree / "purei",
        ignore=shutil.ignore_patterns("__pycache__", "static", "locale", "fonts"),
    )
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_contracts_hold_on_the_code_as_it_is():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("path", "source", "contract"),
    [
        pytest.param(
            "purei/clusters/oops.py",
            "def f():\n    from purei.ledger import models\n    return models\n",
            "The apps in order",
            id="a lazy import of an app above",
        ),
        pytest.param(
            "purei/payments/oops.py",
            "import purei.orders.models\n",
            "The apps in order",
            id="payments reading orders",
        ),
        pytest.param(
            "purei/orders/services/oops.py",
            "from purei.orders import views\n",
            "Domain modules",
            id="a service importing a view",
        ),
        pytest.param(
            "purei/members/selectors_oops.py",
            "",
            None,
            id="(control: an empty module breaks nothing)",
        ),
        pytest.param(
            "purei/core/oops.py",
            "from purei.accounts import models\n",
            "core knows no domain",
            id="core importing a domain",
        ),
    ],
)
def test_breaking_a_contract_fails(copy, path, source, contract):
    # given
    offender = copy / path
    offender.write_text(source)
    try:
        # when
        result = _lint(copy)
    finally:
        offender.unlink()
    # then
    if contract is None:
        assert result.returncode == 0, result.stdout
    else:
        assert result.returncode != 0
        text = " ".join(result.stdout.split())  # long names wrap over two lines
        verdict = re.search(re.escape(contract) + r".*?(KEPT|BROKEN)", text)
        assert verdict is not None, result.stdout
        assert verdict.group(1) == "BROKEN", result.stdout
        assert "oops" in result.stdout


HIDDEN = ("importlib", "import_module", "__import__", "import_string")


def _hidden_imports(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in HIDDEN:
                found.append(f"{path}:{node.lineno} {name}")
        elif isinstance(node, ast.alias) and node.name.split(".")[0] in HIDDEN:
            found.append(f"{path}:{node.lineno} import {node.name}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_router"
            and any(
                isinstance(arg, ast.Constant)
                and isinstance(arg.value, str)
                and arg.value.startswith("purei.")
                for arg in node.args
            )
        ):
            found.append(f"{path}:{node.lineno} a router named by a string")
    return found


def test_no_import_hides_behind_importlib_or_a_string():
    sources = [
        path
        for path in (ROOT / "purei").rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    hidden = [hit for path in sources for hit in _hidden_imports(path)]
    assert hidden == []


# Issue 11 removed every known break: no import may be excused in pyproject.toml
# except a test's.
def test_no_break_is_excused():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    ignored = {
        line
        for contract in contracts
        for line in contract.get("ignore_imports", [])
        if not line.startswith("purei.*.tests.")
    }
    assert ignored == set()

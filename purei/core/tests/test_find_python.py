"""scripts/find-python: a Python >= 3.12 on PATH first, then under pyenv."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "find-python"


def _run(path: str, pyenv_root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script
        ["/bin/sh", str(SCRIPT)],
        env={"PATH": path, "PYENV_ROOT": str(pyenv_root), "HOME": str(pyenv_root)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _fake_python(folder: Path, version: tuple[int, int]) -> Path:
    """A stand-in interpreter that reports ``version`` and its own path."""
    folder.mkdir(parents=True)
    exe = folder / "python3"
    exe.write_text(
        "#!/bin/sh\n"
        'case "$2" in *version_info*) '
        f"exit {0 if version >= (3, 12) else 1};; esac\n"
        f'echo "{exe}"\n'
    )
    exe.chmod(0o755)
    return exe


def test_prefers_a_suitable_python_on_path(tmp_path: Path):
    # given: a good interpreter on PATH and another under pyenv
    on_path = _fake_python(tmp_path / "bin", (3, 13))
    _fake_python(tmp_path / "pyenv" / "versions" / "3.12.1" / "bin", (3, 12))
    # when
    result = _run(f"{on_path.parent}:/usr/bin:/bin", tmp_path / "pyenv")
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(on_path)


def test_falls_back_to_the_newest_pyenv_version(tmp_path: Path):
    # given: only an old python on PATH; versions under a pyenv root with a dot in it
    old = _fake_python(tmp_path / "bin", (3, 11))
    root = tmp_path / ".pyenv"
    _fake_python(root / "versions" / "3.12.9" / "bin", (3, 12))
    newest = _fake_python(root / "versions" / "3.12.10" / "bin", (3, 12))
    _fake_python(root / "versions" / "3.11.7" / "bin", (3, 11))
    # when
    result = _run(f"{old.parent}:/bin", root)
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(newest)


def test_says_what_to_do_when_there_is_none(tmp_path: Path):
    # given
    old = _fake_python(tmp_path / "bin", (3, 11))
    # when
    result = _run(f"{old.parent}:/bin", tmp_path / "no-pyenv")
    # then
    assert result.returncode == 1
    assert "no Python >= 3.12" in result.stderr


def test_finds_the_interpreter_running_these_tests():
    # The real machine: whatever it finds is a Python >= 3.12 (this one, or another).
    result = subprocess.run(  # noqa: S603
        ["/bin/sh", str(SCRIPT)],
        env={**os.environ},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found = result.stdout.strip()
    check = subprocess.run(  # noqa: S603
        [found, "-c", "import sys; print(sys.version_info >= (3, 12))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert check.stdout.strip() == "True"
    assert sys.version_info >= (3, 12)

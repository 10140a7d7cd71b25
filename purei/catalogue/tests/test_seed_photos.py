"""The demo pictures' caches (``purei.catalogue.seed.photos``): processes that need
the same pictures at once paint them once."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from purei.catalogue.seed import photos
from purei.catalogue.seed.photos import EncodedPhoto, PhotoSpec
from purei.core.renditions import EncodedRendition

SPEC = PhotoSpec(
    subject="jar",
    colour="#aa5500",
    background="#eeeeee",
    maker=("#111111", "#222222"),
    words=("Jam",),
    code="J1",
    detail=False,
)
PAINTED = EncodedPhoto(
    b"original", (EncodedRendition(w=320, h=240, webp=b"webp", jpeg=b"jpeg"),)
)


@pytest.fixture
def painter(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[Sequence[PhotoSpec]]:
    """An empty cache folder, nothing in memory, and a painter that only counts."""
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(photos, "_MEMORY", {})
    painted: list[Sequence[PhotoSpec]] = []

    def paint_all(specs: Sequence[PhotoSpec]) -> list[EncodedPhoto]:
        painted.append(specs)
        return [PAINTED for _ in specs]

    monkeypatch.setattr(photos, "_paint_all", paint_all)
    return painted


def test_a_missing_picture_is_painted_and_kept_on_disk(
    painter: list[Sequence[PhotoSpec]],
) -> None:
    # when
    found = photos.photos_encoded([SPEC])
    # then
    assert painter == [[SPEC]]
    assert found[SPEC.key] == PAINTED
    assert photos._read(SPEC.key) == PAINTED


def test_a_process_waits_for_the_one_painting_and_reads_its_pictures(
    painter: list[Sequence[PhotoSpec]],
) -> None:
    # given: another process is painting (it holds the lock)
    folder = photos._cache_dir()
    folder.mkdir(parents=True)
    with (folder / ".painting").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found: dict[str, EncodedPhoto] = {}
        waiting = threading.Thread(
            target=lambda: found.update(photos.photos_encoded([SPEC]))
        )
        # when
        waiting.start()
        waiting.join(0.5)
        # then: this one waits
        assert waiting.is_alive()
        # when the other one has written its pictures and is done
        photos._write(SPEC.key, PAINTED)
        fcntl.flock(lock, fcntl.LOCK_UN)
    waiting.join(30)
    # then: this one read them, painting nothing
    assert not waiting.is_alive()
    assert found[SPEC.key] == PAINTED
    assert painter == []

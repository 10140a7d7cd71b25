"""Files saved in a test are undone with it, as its rows are.

The test settings keep uploaded files in memory (``InMemoryStorage``), one store per
test process that nothing empties: before this, every photo, rendition, PDF and
attachment a test saved stayed there for the rest of the run (the demo's products
alone are some 3,300 files a seed; a test process grew past 2 GB). ``files_kept()``
remembers which files the store holds and puts it back as it was afterwards:
files saved inside are forgotten, files deleted inside come back. Files are shared,
not copied, so it costs a walk over the folders.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.storage import InMemoryStorage, storages
from django.core.files.storage.memory import (  # type: ignore[attr-defined]
    InMemoryDirNode,
)


def _folders_copied(folder: Any) -> Any:
    twin = copy.copy(folder)
    twin._children = {
        name: _folders_copied(child) if isinstance(child, InMemoryDirNode) else child
        for name, child in folder._children.items()
    }
    return twin


@contextmanager
def files_kept() -> Iterator[None]:
    """The default storage's files, put back as they were on leaving (when it is
    an ``InMemoryStorage``; otherwise nothing is done)."""
    storage = storages["default"]
    if not isinstance(storage, InMemoryStorage):
        yield
        return
    before = _folders_copied(storage._root)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        storage._root = before  # type: ignore[attr-defined]

"""The static files' storage: whitenoise's hashed names and gzipped copies, and no
Brotli copies.

whitenoise writes a Brotli copy of every file whenever the ``brotli`` package is
importable, at Brotli's highest quality. Since locust (the scale demo's load
generator) brought ``brotli`` in, that made ``collectstatic`` take 86 s instead of
6.7 s on this machine (34 MB of files, most of them the admin's and the API docs'
scripts and their source maps; measured side by side, 2026-12-07), and with it every
``make demo``, the API fuzz and Lighthouse runs. The gzipped copies are what was
served before, and what nginx's ``gzip_static`` serves in the scale demo.
"""

from __future__ import annotations

from typing import Any

from whitenoise.compress import Compressor  # type: ignore[import-untyped]
from whitenoise.storage import (  # type: ignore[import-untyped]
    CompressedManifestStaticFilesStorage,
)


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]  # untyped base
    def create_compressor(self, **kwargs: Any) -> Compressor:
        kwargs["use_brotli"] = False
        return super().create_compressor(**kwargs)

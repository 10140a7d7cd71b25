"""Private files and downloads go out one way (docs/privacy.md "Downloads"):
saved, never shown inline (``Content-Disposition: attachment``), never
content-sniffed (``X-Content-Type-Options: nosniff``) and never kept by a shared
cache (``Cache-Control: private, no-store``). Credential evidence, invoices and
statements, board attachments and library files, quotes and their attachments,
export papers, spreadsheets and data exports all use these helpers.

Public pictures (``members.views.media``) and public feeds are not private and
keep their own long-lived headers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.utils.http import content_disposition_header

PRIVATE_CACHE_CONTROL = "private, no-store"


def private_headers[R: HttpResponseBase](response: R, filename: str) -> R:
    """``response`` marked as a private attachment named ``filename``."""
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    return response


def private_download(
    content: bytes | str, content_type: str, filename: str
) -> HttpResponse:
    """``content`` (made in memory: a PDF, a CSV) saved as ``filename``."""
    return private_headers(HttpResponse(content, content_type=content_type), filename)


def private_stream(
    chunks: Iterable[bytes | str], content_type: str, filename: str
) -> StreamingHttpResponse:
    """``chunks`` streamed as they are made, saved as ``filename``."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    return private_headers(response, filename)


def private_file(handle: IO[bytes], content_type: str, filename: str) -> FileResponse:
    """A stored file (opened for reading) saved as ``filename``."""
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    return private_headers(response, filename)

"""Private files and downloads go out one way (docs/privacy.md "Downloads"):
saved, never shown inline (``Content-Disposition: attachment``), never
content-sniffed (``X-Content-Type-Options: nosniff``) and never kept by a shared
cache (``Cache-Control: private, no-store``). Credential evidence, invoices and
statements, board attachments and library files, quotes and their attachments,
export papers, spreadsheets and data exports all use these helpers.

Stored files go out through ``private_stored_file``: streamed from the storage,
or, with object storage, redirected (302) to a URL of the private bucket signed
for ``S3_SIGNED_URL_SECONDS`` that makes the store answer with the same three
headers' worth of care (attachment, the known content type, ``no-store``); the
redirect itself is ``no-store`` and sends no referrer. The permission check stays
in the view that answers the redirect.

Public pictures (``members.views.media``) and public feeds are not private and
keep their own long-lived headers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from django.core.files.storage import Storage
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.http import content_disposition_header

from purei.core.storage import signed_url, signs_urls

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


def private_stored_file(
    storage: Storage, name: str, content_type: str, filename: str
) -> HttpResponseBase:
    """The file ``name`` of ``storage`` saved as ``filename``: streamed, or a
    redirect to a short-lived signed URL when the storage signs its URLs."""
    if not signs_urls(storage):
        return private_file(storage.open(name, "rb"), content_type, filename)
    disposition = content_disposition_header(as_attachment=True, filename=filename)
    url = signed_url(
        storage,
        name,
        parameters={
            "ResponseContentDisposition": disposition or "attachment",
            "ResponseContentType": content_type,
            "ResponseCacheControl": PRIVATE_CACHE_CONTROL,
        },
    )
    response = HttpResponseRedirect(url)
    response["Cache-Control"] = PRIVATE_CACHE_CONTROL
    response["Referrer-Policy"] = "no-referrer"
    return response

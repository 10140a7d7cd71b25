"""Public pictures from the default storage: ``/media/<path>``.

Only the prefixes of pictures meant for everyone are served — member logos and
photos, cluster brand images. Evidence files and anything else under ``/media/`` are
never served here (they have their own scoped download views). Stored names are
fresh random names, so a file never changes: it may be cached for a year.

In production a web server or object store may serve these prefixes itself; it must
not serve ``members/evidence/``. With object storage (``S3_ENDPOINT_URL``) this view
answers a redirect to a signed URL of the bucket, valid ``S3_SIGNED_URL_SECONDS``,
without asking the store anything (signing is local): pages keep stable ``/media/``
addresses, so rendering them signs nothing, and links kept elsewhere (feeds, shared
cards, emails) never expire. The redirect may be cached for half that time.
"""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect
from django.views.decorators.http import require_safe

from purei.core.images import content_type_for
from purei.core.storage import signed_url, signs_urls

# Pictures shown on public pages (their names are random; a product's photos are
# shown once it is listed, and a draft's photos are no secret worth a lookup each).
PUBLIC_MEDIA_PREFIXES = (
    "members/logos/",
    "members/photos/",
    "clusters/brand/",
    "catalogue/products/",
    # Their smaller copies (purei.core.renditions), which pages show.
    "renditions/members/logos/",
    "renditions/members/photos/",
    "renditions/clusters/brand/",
    "renditions/catalogue/products/",
    # A story's pictures (drafts' too: random names, as products' photos).
    "marketing/stories/",
    "renditions/marketing/stories/",
)
PUBLIC_MEDIA_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
ONE_YEAR = 365 * 24 * 60 * 60


def public_media_name(path: str) -> str | None:
    """The storage name for a public media ``path``; None if it is not public."""
    if "\\" in path or "\x00" in path:
        return None
    name = posixpath.normpath(path)
    if name != path or name.startswith(("/", "..")):
        return None
    if not name.startswith(PUBLIC_MEDIA_PREFIXES):
        return None
    if content_type_for(name) not in PUBLIC_MEDIA_TYPES:
        return None
    return name


@require_safe
def public_media_view(
    request: HttpRequest, path: str
) -> FileResponse | HttpResponseRedirect:
    name = public_media_name(path)
    if name is not None and signs_urls(default_storage):
        redirect = HttpResponseRedirect(signed_url(default_storage, name))
        cache_seconds = int(settings.S3_SIGNED_URL_SECONDS) // 2
        redirect["Cache-Control"] = f"public, max-age={cache_seconds}"
        return redirect
    if name is None or not default_storage.exists(name):
        raise Http404
    content_type = content_type_for(name)
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

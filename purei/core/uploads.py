"""Names for uploaded files."""

import uuid

from django.utils import timezone


def stored_upload_name(folder: str, filename: str) -> str:
    """A fresh name under ``folder``, grouped by month: never the uploader's own file
    name (it may carry personal data), only its extension."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    month = timezone.now().strftime("%Y/%m")
    return f"{folder}/{month}/{uuid.uuid4().hex}.{ext}"

"""Emails rendered from text templates, in the recipient's language.

Tasks call :func:`send_templated_email`; nothing else in Pūrei builds mail by hand.
"""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from .links import site_url


def send_templated_email(
    *,
    to: str,
    template_prefix: str,
    context: dict[str, Any],
    language: str | None = None,
) -> None:
    """Render ``<prefix>_subject.txt`` and ``<prefix>_body.txt`` and send them.

    ``language`` is the recipient's (default: settings.LANGUAGE_CODE); links in the
    templates are absolute: ``{{ site_url }}{{ path }}``, or a ``url`` built with
    ``purei.core.links.absolute_url`` (both from settings.SITE_URL).
    """
    full_context = {"site_url": site_url(), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_prefix}_subject.txt", full_context)
        body = render_to_string(f"{template_prefix}_body.txt", full_context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        to=[to],
    )
    message.send()

"""Emails rendered from text templates, in the recipient's language, with a plain-text
and an HTML part.

Tasks call :func:`send_templated_email`; nothing else in Pūrei builds mail by hand
(the newsletter, ``purei.marketing.mailing``, builds its own message for its list
headers but wraps its HTML in the same layout, :func:`email_html`).

How the HTML part is made (one wording, two parts): each email's
``<prefix>_body.txt`` is the source. Its text becomes the HTML part's content:
blank lines separate paragraphs, line breaks are kept, every ``http(s)://`` link is
made clickable, a link on a line of its own becomes a button, and a ``--`` line
becomes a rule. That content goes in one shared layout,
``core/email/layout.html``: inline styles, no tables, ``lang`` set, the cluster's
name in a band of its brand colour. So a wording change (and its translation) is
made once, and the two parts never say different things. An email that needs more
than text may add ``<prefix>_body.html``: it is rendered with the same context and
used as the content instead (none needs it today).

Who it is from: for an email about one cluster (``cluster=``), ``From`` is
"<cluster name> via Pūrei" on the address of ``DEFAULT_FROM_EMAIL``, and
``Reply-To`` is the cluster's contact address when it has one, so replies reach the
people who run it. Other emails come from ``DEFAULT_FROM_EMAIL`` as it is.

The language: the recipient's own, once they have one (``User.language`` of the
account with that address), else the ``language`` the caller gives (the language
they used, e.g. an applicant's), else ``settings.LANGUAGE_CODE``.

Sent exactly once (docs/scaling.md "Data tier"): a task may run twice — RQ retries
it when its worker dies mid-run (``TASKS_BACKEND=rq``). Every email a task sends
therefore carries an idempotency key: a digest of the task run (the task and the id
of its enqueued result, the same on every retry), the template, the recipient and
the how-manieth such email of the run it is (``once_key=`` gives one explicitly).
The protocol, on the ``core.SentEmail`` marker:

1. claim the key: INSERT a row (unique ``key``), committed on its own before the
   send (the worker runs in autocommit; a task must not send inside its own
   transaction);
2. send;
3. mark it: ``sent_at`` = now. A send that raises takes its claim back.

A retry that finds the key marked sent skips the email. One that finds it claimed
but unsent re-claims and sends it once the claim is older than
``EMAIL_CLAIM_TIMEOUT_SECONDS`` (the longest a send takes: its sender died); a
younger claim may still be in flight, so the task fails with
:class:`EmailInFlight` and RQ retries it later. The one window no marker closes:
the SMTP server accepted the message and the process died before step 3 — that
email is sent again after the timeout (at least once, never silently lost).
Tasks run by the immediate backend (the demo, the tests) run once in the request
and send without a marker.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from email.headerregistry import Address
from email.utils import parseaddr
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.html import escape, urlize
from django.utils.safestring import SafeString, mark_safe

from .languages import language_code
from .links import site_url
from .models import SentEmail

logger = logging.getLogger(__name__)

# Pūrei's own brand colour (--color-brand in purei.css), for emails of no cluster.
PUREI_BRAND_COLOUR = "#0b5d4b"
PUREI_NAME = "Pūrei"
_URL_ONLY = re.compile(r"^https?://\S+$")
_LINK_OPEN = re.compile(r"<a href=")


class MailCluster(Protocol):
    """What an email needs of the cluster it is about (a ``clusters.Cluster``)."""

    @property
    def name(self) -> str: ...

    @property
    def brand_colour(self) -> str: ...

    contact_email: str


def recipient_language(email: str, fallback: str | None = None) -> str:
    """The language to write to ``email`` in: its account's, else ``fallback``
    (the language the person used), else the site's default."""
    stored = (
        get_user_model()
        ._default_manager.filter(email__iexact=email)
        .values_list("language", flat=True)
        .first()
    )
    for candidate in (stored, fallback):
        if code := language_code(candidate):
            return code
    return str(settings.LANGUAGE_CODE)


def sender_address(cluster_name: str | None) -> str:
    """``"<cluster name> via Pūrei" <address of DEFAULT_FROM_EMAIL>``, or
    ``DEFAULT_FROM_EMAIL`` itself for an email of no cluster."""
    if not cluster_name:
        return str(settings.DEFAULT_FROM_EMAIL)
    _name, address = parseaddr(str(settings.DEFAULT_FROM_EMAIL))
    # Not encoded here: Django encodes the header when it sends the message.
    return str(
        Address(display_name=f"{cluster_name} via {PUREI_NAME}", addr_spec=address)
    )


def text_to_html(text: str, *, link_colour: str = PUREI_BRAND_COLOUR) -> SafeString:
    """An email's plain text as HTML paragraphs with clickable links (escaped)."""
    link_style = f'<a style="color:{escape(link_colour)};" href='
    button_style = (
        f"display:inline-block;padding:10px 16px;border-radius:6px;"
        f"background:{escape(link_colour)};color:#ffffff;font-weight:bold;"
        f"text-decoration:none;word-break:break-all;margin-top:4px;"
    )
    parts: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        lines = [line.rstrip() for line in block.strip("\n").split("\n")]
        if lines == ["--"]:
            parts.append('<hr style="border:0;border-top:1px solid #d0d5d2;">')
            continue
        if lines and lines[0] == "--":
            parts.append('<hr style="border:0;border-top:1px solid #d0d5d2;">')
            lines = lines[1:]
        html_lines = []
        for line in lines:
            if _URL_ONLY.match(line.strip()):  # a link on its own line: a button
                url = escape(line.strip())
                html_lines.append(f'<a href="{url}" style="{button_style}">{url}</a>')
            else:
                html_lines.append(
                    _LINK_OPEN.sub(
                        link_style,
                        urlize(line.strip(), nofollow=False, autoescape=True),
                    )
                )
        parts.append(
            '<p style="margin:0 0 16px;">' + "<br>\n".join(html_lines) + "</p>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every piece escaped above


def email_html(
    *,
    content: str,
    subject: str,
    language: str,
    cluster: MailCluster | None = None,
    heading: bool = True,
) -> str:
    """The shared layout around ``content`` (safe HTML), in ``language``;
    ``heading``: the subject is its first heading (the newsletter has its own)."""
    with translation.override(language):
        return render_to_string(
            "core/email/layout.html",
            {
                "content": content,
                "subject": subject,
                "language": language,
                "brand_name": cluster.name if cluster is not None else PUREI_NAME,
                "brand_colour": (
                    cluster.brand_colour if cluster is not None else PUREI_BRAND_COLOUR
                ),
                "of_cluster": cluster is not None,
                "heading": heading,
                "site_url": site_url(),
            },
        )


def render_templated_email(
    *,
    to: str,
    template_prefix: str,
    context: dict[str, Any],
    language: str | None = None,
    cluster: MailCluster | None = None,
) -> EmailMultiAlternatives:
    """The message :func:`send_templated_email` sends (see the module's docstring)."""
    language = recipient_language(to, language)
    colour = cluster.brand_colour if cluster is not None else PUREI_BRAND_COLOUR
    full_context = {"site_url": site_url(), "cluster": cluster, **context}
    with translation.override(language):
        subject = " ".join(
            render_to_string(f"{template_prefix}_subject.txt", full_context).split()
        )
        body = render_to_string(f"{template_prefix}_body.txt", full_context).strip()
        try:
            own_html = get_template(f"{template_prefix}_body.html")
        except TemplateDoesNotExist:
            content = text_to_html(body, link_colour=colour)
        else:
            content = mark_safe(own_html.render(full_context))  # noqa: S308 - a template
        cluster_name = cluster.name if cluster is not None else None
    message = EmailMultiAlternatives(
        subject=subject,
        body=body + "\n",
        from_email=sender_address(cluster_name),
        to=[to],
        reply_to=[cluster.contact_email]
        if cluster is not None and cluster.contact_email
        else None,
        headers={"Content-Language": language},
    )
    message.attach_alternative(
        email_html(
            content=content, subject=subject, language=language, cluster=cluster
        ),
        "text/html",
    )
    return message


# --- Sent exactly once ------------------------------------------------------------


class EmailInFlight(Exception):
    """Another attempt of this task claimed the email moments ago and may still be
    sending it: the task fails, to be retried once the claim is stale."""


@dataclass
class _TaskRun:
    run_id: str
    sent: dict[tuple[str, str], int] = field(default_factory=dict)


# The task runs under way in this context (innermost last).
_task_runs: ContextVar[tuple[_TaskRun, ...]] = ContextVar("task_runs", default=())


@contextmanager
def task_run(run_id: str) -> Iterator[None]:
    """Inside, every :func:`send_templated_email` is sent once per ``run_id`` (the
    task's name and the id of its enqueued result: the same on a retry)."""
    token = _task_runs.set((*_task_runs.get(), _TaskRun(run_id)))
    try:
        yield
    finally:
        _task_runs.reset(token)


def task_run_started(run_id: str) -> None:
    """:func:`task_run` for the tasks framework's signals (a start and a finish)."""
    _task_runs.set((*_task_runs.get(), _TaskRun(run_id)))


def task_run_finished(run_id: str) -> None:
    runs = _task_runs.get()
    if runs and runs[-1].run_id == run_id:
        _task_runs.set(runs[:-1])


def _task_once_key(template_prefix: str, to: str) -> str | None:
    runs = _task_runs.get()
    if not runs:
        return None
    run = runs[-1]
    what = (template_prefix, to.strip().lower())
    run.sent[what] = nth = run.sent.get(what, 0) + 1
    return f"task:{run.run_id}:{what[0]}:{what[1]}:{nth}"


def send_once(key: str, send: Callable[[], object]) -> bool:
    """Run ``send`` unless the email of ``key`` was sent already (the protocol in
    the module's docstring); whether it was sent now."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    now = timezone.now()
    try:
        with transaction.atomic():
            marker = SentEmail.objects.create(key=digest, claimed_at=now)
    except IntegrityError:
        stale = now - timedelta(seconds=settings.EMAIL_CLAIM_TIMEOUT_SECONDS)
        reclaimed = SentEmail.objects.filter(
            key=digest, sent_at__isnull=True, claimed_at__lt=stale
        ).update(claimed_at=now)
        if not reclaimed:
            if SentEmail.objects.filter(key=digest, sent_at__isnull=False).exists():
                logger.info("email %s already sent: not sent again", digest[:12])
                return False
            raise EmailInFlight(digest[:12]) from None
        marker = SentEmail.objects.get(key=digest)
    try:
        send()
    except BaseException:
        SentEmail.objects.filter(pk=marker.pk, sent_at__isnull=True).delete()
        raise
    SentEmail.objects.filter(pk=marker.pk).update(sent_at=timezone.now())
    return True


def send_templated_email(
    *,
    to: str,
    template_prefix: str,
    context: dict[str, Any],
    language: str | None = None,
    cluster: MailCluster | None = None,
    once_key: str | None = None,
) -> None:
    """Render ``<prefix>_subject.txt`` and ``<prefix>_body.txt`` (and the HTML part
    from them) and send them to ``to``.

    ``language``: the one the recipient used, when they have no account with a
    language of its own (see the module's docstring). ``cluster``: the cluster the
    email is about, if one: its name and brand colour head the HTML part, and it
    is the sender's name and the reply-to. Links in the templates are absolute:
    ``{{ site_url }}{{ path }}``, or a ``url`` built with
    ``purei.core.links.absolute_url`` (both from settings.SITE_URL).
    ``once_key``: sent once per key (inside a task, a key of the task run is made
    when none is given; see "Sent exactly once").
    """
    message = render_templated_email(
        to=to,
        template_prefix=template_prefix,
        context=context,
        language=language,
        cluster=cluster,
    )
    key = once_key or _task_once_key(template_prefix, to)
    if key is None:
        message.send()
    else:
        send_once(key, message.send)

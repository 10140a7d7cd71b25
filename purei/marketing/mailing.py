"""The newsletter email of one campaign for one subscriber.

Built here rather than by ``purei.core.mail.send_templated_email`` because each
message carries its own headers and an HTML part:

- ``From``: "<the cluster's name> via Pūrei" on Pūrei's sending address (the
  sender identified, UEMA, domain-nz.md §5.1); ``Reply-To``: the address the admin
  chose for the campaign;
- ``List-Unsubscribe``: the subscriber's own https link, and
  ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058): a mail
  provider's "Unsubscribe" button POSTs to that link, no login, no page;
- ``List-Id``: the cluster's list, so filters and providers group it;
- a plain-text part and an HTML part (in Pūrei's one email layout,
  ``purei.core.mail.email_html``), both ending with who sent it, why the reader
  gets it, and the unsubscribe link (UEMA s11).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from purei.clusters.models import Cluster
from purei.core.links import absolute_url, site_url
from purei.core.mail import email_html
from purei.core.mail import sender_address as mail_sender_address
from purei.marketing.models import Campaign, Story, Subscriber
from purei.marketing.rendering import story_html
from purei.marketing.story_text import story_plain_text
from purei.marketing.tokens import unsubscribe_token_make

ONE_CLICK = "List-Unsubscribe=One-Click"


def sender_address(cluster: Cluster) -> str:
    """``"<cluster name> via Pūrei" <Pūrei's sending address>``, as every email
    about a cluster (``purei.core.mail.sender_address``)."""
    return mail_sender_address(cluster.name_en)


def list_id(cluster: Cluster) -> str:
    host = site_url().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"{cluster.name_en} <{cluster.slug}.newsletter.{host or 'purei'}>"


def unsubscribe_url(subscriber: Subscriber, campaign: Campaign | None) -> str:
    token = unsubscribe_token_make(
        subscriber_id=subscriber.pk,
        campaign_id=campaign.pk if campaign is not None else None,
    )
    return absolute_url(
        reverse(
            "marketing:newsletter-unsubscribe",
            kwargs={"slug": subscriber.cluster.slug, "token": token},
        )
    )


def story_url(story: Story, language: str) -> str:
    with translation.override(language):
        path = reverse(
            "marketing:story",
            kwargs={"slug": story.cluster.slug, "story": story.slug},
        )
    return absolute_url(path)


def campaign_context(campaign: Campaign, subscriber: Subscriber) -> dict[str, Any]:
    story = campaign.story
    language = story.language_for(subscriber.language)
    return {
        "campaign": campaign,
        "cluster": campaign.cluster,
        "story": story,
        "language": language,
        "title": story.title_in(language),
        "summary": story.summary_in(language),
        "body_text": story_plain_text(story.body_in(language)),
        "body_html": story_html(story, language),
        "story_url": story_url(story, language),
        "subscriber": subscriber,
        "unsubscribe_url": unsubscribe_url(subscriber, campaign),
        "site_url": site_url(),
    }


def campaign_message(
    campaign: Campaign, subscriber: Subscriber
) -> EmailMultiAlternatives:
    """The campaign's email to ``subscriber`` (``campaign.story`` with its
    pictures, and ``subscriber.cluster``, loaded by the caller)."""
    context = campaign_context(campaign, subscriber)
    language = subscriber.language or settings.LANGUAGE_CODE
    with translation.override(language):
        text = render_to_string("marketing/newsletter/email/campaign_body.txt", context)
        html = render_to_string(
            "marketing/newsletter/email/campaign_body.html", context
        )
    message = EmailMultiAlternatives(
        subject=" ".join(campaign.subject.split()),
        body=text.strip() + "\n",
        from_email=sender_address(campaign.cluster),
        to=[subscriber.email],
        reply_to=[campaign.reply_to],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": ONE_CLICK,
            "List-Id": list_id(campaign.cluster),
        },
    )
    message.attach_alternative(
        email_html(
            content=mark_safe(html),  # noqa: S308 - rendered from a template
            subject=str(message.subject),
            language=language,
            cluster=campaign.cluster,
            heading=False,
        ),
        "text/html",
    )
    return message

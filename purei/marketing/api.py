"""Stories and the newsletter over JSON.

- ``GET /clusters/{slug}/stories``: a live cluster's published stories, newest
  first (paged); anyone.
- ``GET /clusters/{slug}/stories/{story_slug}``: one published story, each
  language version as sanitised HTML with absolute picture addresses; anyone.
- ``POST /clusters/{slug}/newsletter/subscribers``: ask to subscribe; anyone,
  rate limited. The address gets a confirmation link (double opt-in); 202 whatever
  the address's state, so nobody learns who is subscribed. The client shows the
  consent wording (``GET …/newsletter`` gives it) and says so in ``consent_wording``.
- ``GET /clusters/{slug}/newsletter``: the consent wording to show, and the
  cluster's identity as its emails give it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from purei.clusters.regions import REGION_CODE_OR_BLANK_PATTERN
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.core.api_inputs import InputSchema
from purei.core.errors import ValidationFailed
from purei.core.links import absolute_url
from purei.core.pagination import Mapped, Paginated
from purei.core.ratelimit import rate_limit_request
from purei.marketing.errors import MarketingErrorCode
from purei.marketing.models import Story
from purei.marketing.rendering import picture_src, story_html
from purei.marketing.selectors import story_get_public, story_list_public
from purei.marketing.services import (
    SubscriptionInput,
    consent_wording,
    subscription_request,
)

router = Router(tags=["stories and newsletter"])


class StoryVersionOut(Schema):
    language: Literal["en", "mi"]
    title: str
    summary: str
    body_html: str = Field(description="Sanitised HTML, absolute picture addresses.")


class StorySummaryOut(Schema):
    slug: str
    language: Literal["en", "mi"] = Field(description="The version shown first.")
    languages: list[str]
    title: str
    summary: str
    published_at: dt.datetime
    url: str
    picture: str | None = Field(description="The first picture (JPEG), if any.")


class StoryOut(StorySummaryOut):
    versions: list[StoryVersionOut]


def _url(story: Story) -> str:
    return absolute_url(
        reverse(
            "marketing:story", kwargs={"slug": story.cluster.slug, "story": story.slug}
        )
    )


def _summary(story: Story) -> StorySummaryOut:
    language = story.language_for("en")
    cover = story.cover
    return StorySummaryOut(
        slug=story.slug,
        language=language,  # type: ignore[arg-type]  # "en" or "mi"
        languages=story.languages,
        title=story.title_in(language),
        summary=story.summary_in(language),
        published_at=story.published_at,  # type: ignore[arg-type]  # published
        url=_url(story),
        picture=picture_src(cover) if cover is not None else None,
    )


@router.get(
    "/clusters/{slug}/stories",
    response=list[StorySummaryOut],
    url_name="story-list",
    summary="A cluster's published stories, newest first",
)
@paginate(Paginated)
def story_list_api(request: HttpRequest, slug: str) -> Mapped[Story, StorySummaryOut]:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    stories = story_list_public(cluster=cluster).select_related("cluster")
    return Mapped(stories, _summary)


@router.get(
    "/clusters/{slug}/stories/{story_slug}",
    response=StoryOut,
    url_name="story-get",
    summary="One published story, in each language it is written in",
)
def story_get_api(request: HttpRequest, slug: str, story_slug: str) -> StoryOut:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    story = story_get_public(cluster=cluster, slug=story_slug)
    summary = _summary(story)
    return StoryOut(
        **summary.model_dump(),
        versions=[
            StoryVersionOut(
                language=language,  # type: ignore[arg-type]  # "en" or "mi"
                title=story.title_in(language),
                summary=story.summary_in(language),
                body_html=str(story_html(story, language)),
            )
            for language in story.languages
        ],
    )


class NewsletterOut(Schema):
    cluster: str
    sender: str = Field(description="Who the emails come from.")
    consent_wording: str = Field(description="Show this beside the subscribe button.")


@router.get(
    "/clusters/{slug}/newsletter",
    response=NewsletterOut,
    url_name="newsletter-get",
    summary="A cluster's newsletter: the consent wording to show",
)
def newsletter_get_api(request: HttpRequest, slug: str) -> NewsletterOut:
    cluster = cluster_get_live(actor=actor_from(request), slug=slug)
    return NewsletterOut(
        cluster=cluster.slug,
        sender=f"{cluster.name_en} ({cluster.lead_org_name})",
        consent_wording=consent_wording(cluster),
    )


class SubscribeIn(InputSchema):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254)
    language: Literal["en", "mi"] = "en"
    region: str = Field(
        "",
        pattern=REGION_CODE_OR_BLANK_PATTERN,
        description="ISO 3166-2:NZ, e.g. NZ-WGN.",
    )
    consent_wording: str = Field(
        min_length=1,
        max_length=1000,
        description="The words the person was shown (GET …/newsletter gives them).",
    )


class SubscribeOut(Schema):
    status: Literal["confirmation_sent"] = "confirmation_sent"
    message: str


@router.post(
    "/clusters/{slug}/newsletter/subscribers",
    response={202: SubscribeOut},
    url_name="newsletter-subscribe",
    summary="Ask to subscribe to a cluster's newsletter (double opt-in)",
)
def newsletter_subscribe_api(
    request: HttpRequest, slug: str, payload: SubscribeIn
) -> Status[SubscribeOut]:
    actor = actor_from(request)
    cluster = cluster_get_live(actor=actor, slug=slug)
    if not payload.consent_wording.strip():
        raise ValidationFailed(
            MarketingErrorCode.INVALID_SUBSCRIPTION,
            {"consent_wording": ["Say what the person was shown."]},
        )
    rate_limit_request(request, "newsletter_subscribe", email=payload.email)
    subscription_request(
        actor=actor,
        cluster=cluster,
        details=SubscriptionInput(
            email=payload.email,
            language=payload.language,
            region=payload.region,
            source="api",
            wording=payload.consent_wording,
        ),
    )
    return Status(
        202,
        SubscribeOut(
            message="If the address is not subscribed yet, a confirmation link is "
            "on its way; nothing is sent until it is used."
        ),
    )

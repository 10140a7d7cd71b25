"""``/c/<slug>/stories/feed.xml``: a live cluster's published stories as an Atom
feed (Django's syndication framework), newest first. Each entry carries its
language (``xml:lang``: a te reo story says ``mi``), its summary and the whole
story as sanitised HTML with absolute picture addresses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator

from purei.clusters.models import Cluster
from purei.clusters.selectors import cluster_get_live
from purei.core.actor import actor_from
from purei.marketing.models import Story
from purei.marketing.rendering import story_html
from purei.marketing.selectors import story_list_public

FEED_SIZE = 20


class StoryAtomFeed(Atom1Feed):
    """Atom with each entry's own language and its full text as ``<content>``."""

    def item_attributes(self, item: dict[str, Any]) -> dict[str, str]:
        attributes: dict[str, str] = super().item_attributes(item)
        if item.get("lang"):
            attributes["xml:lang"] = item["lang"]
        return attributes

    def add_item_elements(
        self, handler: SimplerXMLGenerator, item: dict[str, Any]
    ) -> None:
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class StoryFeed(Feed[Story, Cluster]):
    feed_type = StoryAtomFeed

    def get_object(self, request: HttpRequest, slug: str) -> Cluster:
        return cluster_get_live(actor=actor_from(request), slug=slug)

    def title(self, obj: Cluster) -> str:
        return f"{obj.name_en} — stories"

    def subtitle(self, obj: Cluster) -> str:
        return obj.tagline

    def link(self, obj: Cluster) -> str:
        return reverse("marketing:stories", kwargs={"slug": obj.slug})

    def feed_url(self, obj: Cluster) -> str:
        return reverse("marketing-feeds:stories-feed", kwargs={"slug": obj.slug})

    def author_name(self, obj: Cluster) -> str:
        return obj.lead_org_name or obj.name_en

    def items(self, obj: Cluster) -> list[Story]:
        return list(
            story_list_public(cluster=obj).select_related("cluster")[:FEED_SIZE]
        )

    def _language(self, item: Story) -> str:
        return item.language_for("en")

    def item_title(self, item: Story) -> str:
        return item.title_in(self._language(item))

    def item_description(self, item: Story) -> str:
        return item.summary_in(self._language(item))

    def item_link(self, item: Story) -> str:
        with translation.override("en"):
            return reverse(
                "marketing:story",
                kwargs={"slug": item.cluster.slug, "story": item.slug},
            )

    def item_pubdate(self, item: Story) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Story) -> dt.datetime:
        return item.updated_at

    def item_extra_kwargs(self, item: Story) -> dict[str, Any]:
        language = self._language(item)
        return {"lang": language, "content_html": str(story_html(item, language))}

"""Marketing's language-neutral addresses (outside ``i18n_patterns``): robots.txt,
the sitemaps and the feeds that machines read."""

from django.urls import URLPattern, URLResolver, path

from .feeds import StoryFeed
from .views import found, newsletter, windows

app_name = "marketing-feeds"

urlpatterns: list[URLPattern | URLResolver] = []

# --- Stories and newsletters (docs/marketing.md "Stories and newsletters") ---------
urlpatterns += [
    path("c/<slug:slug>/stories/feed.xml", StoryFeed(), name="stories-feed"),
    # A mail provider's bounces and complaints (signed; off without a secret).
    path(
        "newsletter/webhooks/bounces/",
        newsletter.bounce_webhook_view,
        name="newsletter-webhook",
    ),
]

# --- Being found (docs/marketing.md) ---
urlpatterns += [
    path("robots.txt", found.robots_view, name="robots"),
    path("sitemap.xml", found.sitemap_index_view, name="sitemap-index"),
    path("sitemap-<slug:slug>.xml", found.sitemap_view, name="sitemap"),
    path("c/<slug:slug>/feeds/google.xml", found.google_feed_view, name="google"),
    path("c/<slug:slug>/feeds/meta.csv", found.meta_feed_view, name="meta"),
    path(
        "c/<slug:slug>/members/<slug:member_slug>/embed.json",
        found.embed_json_view,
        name="embed-json",
    ),
]

# --- Sales windows and events (issue 14) ---
urlpatterns += [
    path("c/<slug:slug>/events.ics", windows.events_ics_view, name="events-ics"),
]

"""Marketing's language-neutral addresses (outside ``i18n_patterns``): robots.txt,
the sitemaps and the feeds that machines read."""

from django.urls import URLPattern, URLResolver, path

from .feeds import StoryFeed
from .views import newsletter

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

"""Marketing's language-neutral addresses (outside ``i18n_patterns``): robots.txt,
the sitemaps and the feeds that machines read."""

from django.urls import URLPattern, URLResolver

app_name = "marketing-feeds"

urlpatterns: list[URLPattern | URLResolver] = []

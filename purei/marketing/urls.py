"""Marketing's pages, in each language (inside ``i18n_patterns``)."""

from django.urls import URLPattern, URLResolver

app_name = "marketing"

urlpatterns: list[URLPattern | URLResolver] = []

"""Marketing's pages, in each language (inside ``i18n_patterns``)."""

from django.urls import URLPattern, URLResolver, path

from .views import found

app_name = "marketing"

urlpatterns: list[URLPattern | URLResolver] = [
    # --- Being found (docs/marketing.md) ---
    path(
        "c/<slug:slug>/members/<slug:member_slug>/embed/",
        found.embed_view,
        name="embed",
    ),
    path(
        "manage/members/<slug:slug>/embed/",
        found.member_embed_view,
        name="member-embed",
    ),
    # --- end of being found ---
]

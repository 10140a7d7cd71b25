"""The webhooks' manage pages (docs/api.md "Webhooks")."""

from django.urls import URLPattern, path

from .views import cluster_views, member_views

app_name = "webhooks"


def _patterns(base: str, kind: str, views: dict) -> list[URLPattern]:  # type: ignore[type-arg]
    return [
        path(f"{base}/", views["endpoints"], name=f"{kind}-webhooks"),
        path(f"{base}/<int:pk>/", views["endpoint"], name=f"{kind}-webhook"),
        path(
            f"{base}/<int:pk>/rotate/", views["rotate"], name=f"{kind}-webhook-rotate"
        ),
        path(
            f"{base}/<int:pk>/disable/",
            views["disable"],
            name=f"{kind}-webhook-disable",
        ),
        path(
            f"{base}/<int:pk>/enable/", views["enable"], name=f"{kind}-webhook-enable"
        ),
        path(
            f"{base}/<int:pk>/deliveries/<int:delivery_pk>/replay/",
            views["replay"],
            name=f"{kind}-webhook-replay",
        ),
    ]


urlpatterns: list[URLPattern] = [
    *_patterns("manage/members/<slug:slug>/webhooks", "member", member_views),
    *_patterns("manage/clusters/<slug:slug>/webhooks", "cluster", cluster_views),
]

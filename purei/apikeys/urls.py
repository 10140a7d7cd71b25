"""The API keys' manage pages (docs/api.md "API keys")."""

from django.urls import URLPattern, path

from . import views

app_name = "apikeys"

urlpatterns: list[URLPattern] = [
    path(
        "manage/members/<slug:slug>/api-keys/",
        views.member_keys_view,
        name="member-keys",
    ),
    path(
        "manage/members/<slug:slug>/api-keys/<int:pk>/revoke/",
        views.member_key_revoke_view,
        name="member-key-revoke",
    ),
    path(
        "manage/clusters/<slug:slug>/api-keys/",
        views.cluster_keys_view,
        name="cluster-keys",
    ),
    path(
        "manage/clusters/<slug:slug>/api-keys/<int:pk>/revoke/",
        views.cluster_key_revoke_view,
        name="cluster-key-revoke",
    ),
    path("c/<slug:slug>/trade/api-keys/", views.trade_keys_view, name="trade-keys"),
    path(
        "c/<slug:slug>/trade/api-keys/<int:pk>/revoke/",
        views.trade_key_revoke_view,
        name="trade-key-revoke",
    ),
]

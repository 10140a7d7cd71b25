"""The promotions' manage screens (docs/money.md "Promotions")."""

from django.urls import URLPattern, path

from . import views

app_name = "promotions"

urlpatterns: list[URLPattern] = [
    path(
        "manage/clusters/<slug:slug>/promotions/",
        views.cluster_promotions_view,
        name="cluster-promotions",
    ),
    path(
        "manage/clusters/<slug:slug>/promotions/new/",
        views.cluster_promotion_create_view,
        name="cluster-promotion-create",
    ),
    path(
        "manage/clusters/<slug:slug>/promotions/<int:pk>/update/",
        views.cluster_promotion_update_view,
        name="cluster-promotion-update",
    ),
    path(
        "manage/clusters/<slug:slug>/promotions/<int:pk>/pause/",
        views.cluster_promotion_pause_view,
        name="cluster-promotion-pause",
    ),
    path(
        "manage/clusters/<slug:slug>/promotions/<int:pk>/resume/",
        views.cluster_promotion_resume_view,
        name="cluster-promotion-resume",
    ),
    path(
        "manage/members/<slug:slug>/promotions/",
        views.member_promotions_view,
        name="member-promotions",
    ),
    path(
        "manage/members/<slug:slug>/promotions/new/",
        views.member_promotion_create_view,
        name="member-promotion-create",
    ),
    path(
        "manage/members/<slug:slug>/promotions/<int:pk>/update/",
        views.member_promotion_update_view,
        name="member-promotion-update",
    ),
    path(
        "manage/members/<slug:slug>/promotions/<int:pk>/pause/",
        views.member_promotion_pause_view,
        name="member-promotion-pause",
    ),
    path(
        "manage/members/<slug:slug>/promotions/<int:pk>/resume/",
        views.member_promotion_resume_view,
        name="member-promotion-resume",
    ),
]

"""Working together's pages (docs/cooperation.md)."""

from django.urls import URLPattern, path

from . import views, views_governance, views_group_buys

app_name = "cooperation"

_T = "manage/together/<slug:slug>/"

urlpatterns: list[URLPattern] = [
    path(f"{_T}board/", views.board_view, name="board"),
    path(f"{_T}board/new/", views.thread_create_view, name="thread-create"),
    path(f"{_T}board/digest/", views.digest_view, name="digest"),
    path(f"{_T}board/<int:pk>/", views.thread_view, name="thread"),
    path(f"{_T}board/<int:pk>/follow/", views.thread_follow_view, name="thread-follow"),
    path(
        f"{_T}board/<int:pk>/moderate/",
        views.thread_moderate_view,
        name="thread-moderate",
    ),
    path(f"{_T}board/files/<int:pk>/", views.attachment_view, name="attachment"),
    path(f"{_T}resources/", views.resources_view, name="resources"),
    path(f"{_T}resources/new/", views.resource_create_view, name="resource-create"),
    path(f"{_T}resources/<int:pk>/", views.resource_view, name="resource"),
    path(
        f"{_T}resources/versions/<int:pk>/file/",
        views.resource_file_view,
        name="resource-file",
    ),
    path(f"{_T}partners/", views.partners_view, name="partners"),
    path(f"{_T}partners/new/", views.partner_create_view, name="partner-create"),
    path(f"{_T}partners/<int:pk>/", views.partner_view, name="partner"),
    path(f"{_T}directory/", views.directory_view, name="directory"),
    path(f"{_T}group-buys/", views_group_buys.group_buys_view, name="group-buys"),
    path(
        f"{_T}group-buys/new/",
        views_group_buys.group_buy_create_view,
        name="group-buy-create",
    ),
    path(
        f"{_T}group-buys/<int:pk>/",
        views_group_buys.group_buy_view,
        name="group-buy",
    ),
    path(f"{_T}customers/", views_group_buys.customers_view, name="customers"),
    path(f"{_T}levies/", views_governance.levies_view, name="levies"),
    path(f"{_T}levies/new/", views_governance.levy_create_view, name="levy-create"),
    path(f"{_T}levies/<int:pk>/", views_governance.levy_view, name="levy"),
    path(f"{_T}votes/", views_governance.votes_view, name="votes"),
    path(f"{_T}votes/new/", views_governance.vote_create_view, name="vote-create"),
    path(f"{_T}votes/<int:pk>/", views_governance.vote_view, name="vote"),
    path(
        f"{_T}votes/<int:pk>/minutes/",
        views_governance.vote_minutes_view,
        name="vote-minutes",
    ),
    path(
        "manage/members/<slug:slug>/together/",
        views.member_together_view,
        name="member-together",
    ),
]

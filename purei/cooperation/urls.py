"""Working together's pages (docs/cooperation.md)."""

from django.urls import URLPattern, path

from . import views

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
    path(
        "manage/members/<slug:slug>/together/",
        views.member_together_view,
        name="member-together",
    ),
]

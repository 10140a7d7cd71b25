from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("accounts/data/", views.account_data_view, name="account-data"),
    path(
        "accounts/data/download.json",
        views.account_data_download_view,
        name="account-data-download",
    ),
    path("accounts/close/", views.account_close_view, name="account-close"),
    path(
        "manage/members/<slug:slug>/data/",
        views.member_data_view,
        name="member-data",
    ),
    path(
        "manage/members/<slug:slug>/data/export.zip",
        views.member_data_export_view,
        name="member-data-export",
    ),
]

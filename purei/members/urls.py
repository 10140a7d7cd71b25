"""URLs of the members app: a cluster's public member pages, a business's own
screens under /manage/members/, a cluster admin's credential check, and the public
pictures under /media/."""

from django.urls import path

from .views import credentials, dashboard, manage, media, public, staff

app_name = "members"

urlpatterns = [
    # What each person can manage, in one place.
    path("manage/", dashboard.manage_view, name="dashboard"),
    # Public: a live cluster's approved members.
    path("c/<slug:slug>/members/", public.member_list_view, name="public-list"),
    path(
        "c/<slug:slug>/members/<slug:member_slug>/",
        public.member_detail_view,
        name="public-detail",
    ),
    # A business's own screens (its owners and staff; platform staff).
    path("manage/members/new/", manage.member_create_view, name="create"),
    path("manage/members/<slug:slug>/", manage.member_update_view, name="manage"),
    path(
        "manage/members/<slug:slug>/photos/", manage.member_photos_view, name="photos"
    ),
    path(
        "manage/members/<slug:slug>/credentials/",
        credentials.credential_list_view,
        name="credentials",
    ),
    path(
        "manage/members/<slug:slug>/credentials/new/",
        credentials.credential_create_view,
        name="credential-create",
    ),
    path(
        "manage/members/<slug:slug>/credentials/<int:pk>/",
        credentials.credential_update_view,
        name="credential-update",
    ),
    path(
        "manage/members/<slug:slug>/credentials/<int:pk>/delete/",
        credentials.credential_delete_view,
        name="credential-delete",
    ),
    path(
        "manage/members/<slug:slug>/credentials/<int:pk>/evidence",
        credentials.credential_evidence_view,
        name="credential-evidence",
    ),
    path("manage/members/<slug:slug>/staff/", staff.member_staff_view, name="staff"),
    # A cluster admin's decision on a credential of a member approved in the cluster.
    path(
        "manage/clusters/<slug:cluster_slug>/credentials/<int:pk>/verify/",
        credentials.credential_verify_view,
        name="credential-verify",
    ),
    # Public pictures (logos, photos, cluster brand images); never evidence files.
    path("media/<path:path>", media.public_media_view, name="media"),
]

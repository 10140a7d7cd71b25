"""URLs of the members app: a cluster's public member pages, a business's own
screens under /manage/members/ and a cluster admin's credential check. (Its public
pictures under /media/ are served by ``views.media``, routed in ``purei/urls.py``.)"""

from django.urls import path

from .views import (
    cluster_admin,
    credentials,
    dashboard,
    join,
    manage,
    public,
    staff,
)

app_name = "members"

urlpatterns = [
    # What each person can manage, in one place.
    path("manage/", dashboard.manage_view, name="dashboard"),
    # Joining a cluster from its page.
    path("c/<slug:slug>/join/", join.join_view, name="join"),
    path(
        "c/<slug:slug>/join/<slug:member>/",
        join.join_status_view,
        name="join-status",
    ),
    # A cluster admin's screens of its members.
    path(
        "manage/clusters/<slug:slug>/",
        cluster_admin.overview_view,
        name="cluster-overview",
    ),
    path(
        "manage/clusters/<slug:slug>/members/",
        cluster_admin.members_view,
        name="cluster-members",
    ),
    path(
        "manage/clusters/<slug:slug>/members/<int:pk>/",
        cluster_admin.membership_view,
        name="cluster-membership",
    ),
    # Public: a live cluster's approved members.
    path("c/<slug:slug>/members/", public.member_list_view, name="public-list"),
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
    # (Public pictures, /media/…, are language-neutral: purei/urls.py.)
]

"""Sales windows' manage screens: a cluster's admins' and a member's pick lists
(docs/orders.md "Sales windows")."""

from django.urls import URLPattern, path

from .views import windows

CLUSTER = "manage/clusters/<slug:slug>/windows/"
MEMBER = "manage/members/<slug:slug>/windows/"

urlpatterns: list[URLPattern] = [
    path(CLUSTER, windows.cluster_windows_view, name="cluster-windows"),
    path(
        CLUSTER + "new/",
        windows.cluster_window_create_view,
        name="cluster-window-create",
    ),
    path(CLUSTER + "<int:pk>/", windows.cluster_window_view, name="cluster-window"),
    path(
        CLUSTER + "<int:pk>/update/",
        windows.cluster_window_update_view,
        name="cluster-window-update",
    ),
    path(
        CLUSTER + "<int:pk>/products/new/",
        windows.cluster_window_item_create_view,
        name="cluster-window-item-create",
    ),
    path(
        CLUSTER + "<int:pk>/products/<int:product_id>/update/",
        windows.cluster_window_item_update_view,
        name="cluster-window-item-update",
    ),
    path(
        CLUSTER + "<int:pk>/products/<int:product_id>/remove/",
        windows.cluster_window_item_remove_view,
        name="cluster-window-item-remove",
    ),
    path(
        CLUSTER + "<int:pk>/pickup-points/",
        windows.cluster_window_pickups_view,
        name="cluster-window-pickups",
    ),
    path(
        CLUSTER + "<int:pk>/pick-list.csv",
        windows.cluster_window_pick_list_csv_view,
        name="cluster-window-pick-list-csv",
    ),
    path(MEMBER, windows.member_windows_view, name="member-windows"),
    path(
        MEMBER + "<int:pk>/pick-list/",
        windows.member_window_pick_list_view,
        name="member-window-pick-list",
    ),
    path(
        MEMBER + "<int:pk>/pick-list.csv",
        windows.member_window_pick_list_csv_view,
        name="member-window-pick-list-csv",
    ),
]

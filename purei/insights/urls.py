"""URLs of the dashboards (``purei.insights.views``)."""

from django.urls import URLPattern, path

from . import views

app_name = "insights"

CLUSTER = "manage/clusters/<slug:slug>/insights/"
MEMBER = "manage/members/<slug:slug>/insights/"

urlpatterns: list[URLPattern] = [
    path(CLUSTER, views.cluster_dashboard_view, name="cluster-dashboard"),
    path(
        CLUSTER + "download.<str:fmt>",
        views.cluster_download_view,
        name="cluster-download",
    ),
    path(MEMBER, views.member_dashboard_view, name="member-dashboard"),
    path(
        MEMBER + "download.<str:fmt>",
        views.member_download_view,
        name="member-download",
    ),
    path(
        MEMBER + "wholesale-prices/",
        views.member_wholesale_prices_view,
        name="member-wholesale-prices",
    ),
    path(
        MEMBER + "benchmarking/",
        views.member_benchmarking_view,
        name="member-benchmarking",
    ),
]

from django.urls import path

from .views import applications, directory, finder

app_name = "clusters"

urlpatterns = [
    # The type finder: one question at a time, and the whole flowchart.
    path("finder/", finder.finder_view, name="finder"),
    # Applications to form a cluster, and platform staff's review queue.
    path("apply/", applications.application_create_view, name="apply"),
    path(
        "apply/<int:pk>/thanks/",
        applications.application_thanks_view,
        name="apply-thanks",
    ),
    path("staff/applications/", applications.review_list_view, name="review-list"),
    path(
        "staff/applications/<int:pk>/",
        applications.review_detail_view,
        name="review-detail",
    ),
    # The public directory and each cluster's home.
    path("clusters/", directory.directory_view, name="directory"),
    path("c/<slug:slug>/", directory.cluster_home_view, name="home"),
]

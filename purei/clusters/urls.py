from django.urls import path

from .views import applications, brand, directory, finder, listing_rules, manage

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
    # (A cluster's home, /c/<slug>/, is its storefront: purei.catalogue.urls.)
    # The cluster's brand colours (joining it: purei.members.urls).
    path("c/<slug:slug>/brand.css", brand.brand_css_view, name="brand-css"),
    # A cluster admin's screens.
    # (The overview and the members screens: purei.members.urls.)
    path(
        "manage/clusters/<slug:slug>/people/",
        manage.people_view,
        name="manage-people",
    ),
    path("manage/clusters/<slug:slug>/brand/", manage.brand_view, name="manage-brand"),
    path("manage/clusters/<slug:slug>/money/", manage.money_view, name="manage-money"),
    path(
        "manage/clusters/<slug:slug>/money-accounts/",
        manage.money_accounts_view,
        name="manage-money-accounts",
    ),
    path(
        "manage/clusters/<slug:slug>/listing-rules/",
        listing_rules.listing_rules_view,
        name="manage-listing-rules",
    ),
    path(
        "manage/clusters/<slug:slug>/activity/",
        manage.activity_view,
        name="manage-activity",
    ),
]

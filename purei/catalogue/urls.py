"""URLs of the catalogue's manage screens."""

from django.urls import path

from .views import clusters, products

app_name = "catalogue"

urlpatterns = [
    path(
        "manage/members/<slug:slug>/products/",
        products.product_list_view,
        name="products",
    ),
    path(
        "manage/members/<slug:slug>/products/new/",
        products.product_create_view,
        name="product-create",
    ),
    path(
        "manage/members/<slug:slug>/products/<slug:product>/",
        products.product_update_view,
        name="product-update",
    ),
    path(
        "manage/members/<slug:slug>/products/<slug:product>/variants/",
        products.variant_list_view,
        name="variants",
    ),
    path(
        "manage/clusters/<slug:slug>/listings/",
        clusters.listing_queue_view,
        name="listing-queue",
    ),
    path(
        "manage/clusters/<slug:slug>/cultural-review/",
        clusters.cultural_review_view,
        name="cultural-review",
    ),
]

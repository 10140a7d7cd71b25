"""URLs of the catalogue's manage screens."""

from django.urls import path

from .views import (
    categories,
    clusters,
    compare,
    makers,
    products,
    public,
    spreadsheets,
    trade,
)

app_name = "catalogue"

urlpatterns = [
    # A cluster's home: its storefront.
    path("c/<slug:slug>/", public.cluster_home_view, name="cluster-home"),
    # The public storefront: a cluster's shop, product pages, search everywhere.
    path("c/<slug:slug>/shop/", public.shop_view, name="shop"),
    path(
        "c/<slug:slug>/p/<slug:member_slug>/<slug:product_slug>/",
        public.product_view,
        name="public-product",
    ),
    path("search/", public.search_view, name="search"),
    # Up to four products side by side, held in the session.
    path("compare/", compare.compare_view, name="compare"),
    path("compare/add/", compare.compare_add_view, name="compare-add"),
    path("compare/remove/", compare.compare_remove_view, name="compare-remove"),
    # A maker's page in a cluster: its shop front (the list of members is members').
    path(
        "c/<slug:slug>/members/<slug:member_slug>/",
        makers.maker_view,
        name="maker",
    ),
    # Platform staff manage the categories.
    path("staff/categories/", categories.category_list_view, name="category-list"),
    path(
        "staff/categories/new/",
        categories.category_create_view,
        name="category-create",
    ),
    path(
        "staff/categories/<slug:slug>/",
        categories.category_update_view,
        name="category-update",
    ),
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
        "manage/members/<slug:slug>/products/import/",
        spreadsheets.import_view,
        name="products-import",
    ),
    path(
        "manage/members/<slug:slug>/products/import/<int:job>/",
        spreadsheets.import_status_view,
        name="products-import-status",
    ),
    path(
        "manage/members/<slug:slug>/products/import/<int:job>/map/",
        spreadsheets.import_map_view,
        name="products-import-map",
    ),
    path(
        "manage/members/<slug:slug>/products/export/",
        spreadsheets.export_view,
        name="products-export",
    ),
    path(
        "manage/members/<slug:slug>/products/trade-prices/",
        trade.trade_bulk_view,
        name="trade-prices",
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
        "manage/members/<slug:slug>/products/<slug:product>/trade/",
        trade.trade_pricing_view,
        name="product-trade",
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

from django.urls import path

from .views import buyer, cluster_admin, member_prices, products

app_name = "trade"

urlpatterns = [
    path("c/<slug:slug>/trade/", buyer.home_view, name="home"),
    path("c/<slug:slug>/trade/apply/", buyer.apply_view, name="apply"),
    path("c/<slug:slug>/trade/products/", products.products_view, name="products"),
    path(
        "manage/members/<slug:slug>/trade/buyer-prices/",
        member_prices.buyer_prices_view,
        name="member-buyer-prices",
    ),
    path(
        "manage/clusters/<slug:slug>/trade/",
        cluster_admin.accounts_view,
        name="cluster-accounts",
    ),
    path(
        "manage/clusters/<slug:slug>/trade/accounts/<int:pk>/",
        cluster_admin.account_view,
        name="cluster-account",
    ),
    path(
        "manage/clusters/<slug:slug>/trade/settings/",
        cluster_admin.settings_view,
        name="cluster-settings",
    ),
]

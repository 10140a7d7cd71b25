from django.urls import path

from .views import (
    buyer,
    cluster_admin,
    member_prices,
    money,
    orders_admin,
    products,
    quotes_admin,
    quotes_buyer,
    quotes_member,
)

app_name = "trade"

urlpatterns = [
    path("c/<slug:slug>/trade/", buyer.home_view, name="home"),
    path("c/<slug:slug>/trade/apply/", buyer.apply_view, name="apply"),
    path("c/<slug:slug>/trade/products/", products.products_view, name="products"),
    path("c/<slug:slug>/trade/statement/", money.statement_view, name="statement"),
    path(
        "c/<slug:slug>/trade/statement.csv",
        money.statement_csv_view,
        name="statement-csv",
    ),
    path(
        "c/<slug:slug>/trade/orders/<slug:number>/",
        money.trade_invoice_view,
        name="order-invoice",
    ),
    path(
        "manage/clusters/<slug:slug>/trade/accounts/<int:pk>/statement/",
        money.cluster_statement_view,
        name="cluster-account-statement",
    ),
    path(
        "manage/members/<slug:slug>/trade/buyer-prices/",
        member_prices.buyer_prices_view,
        name="member-buyer-prices",
    ),
    path("c/<slug:slug>/trade/rfqs/", quotes_buyer.rfq_list_view, name="rfqs"),
    path("c/<slug:slug>/trade/rfqs/new/", quotes_buyer.rfq_new_view, name="rfq-new"),
    path("c/<slug:slug>/trade/rfqs/<int:pk>/", quotes_buyer.rfq_view, name="rfq"),
    path(
        "c/<slug:slug>/trade/quotes/<int:pk>.pdf",
        quotes_buyer.quote_pdf_view,
        name="quote-pdf",
    ),
    path(
        "c/<slug:slug>/trade/attachments/<int:pk>/",
        quotes_buyer.rfq_attachment_view,
        name="rfq-attachment",
    ),
    path(
        "manage/members/<slug:slug>/trade/rfqs/",
        quotes_member.member_rfq_list_view,
        name="member-rfqs",
    ),
    path(
        "manage/members/<slug:slug>/trade/rfqs/<int:pk>/",
        quotes_member.member_rfq_view,
        name="member-rfq",
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
    path(
        "manage/clusters/<slug:slug>/trade/orders/",
        orders_admin.orders_view,
        name="cluster-orders",
    ),
    path(
        "manage/clusters/<slug:slug>/trade/orders/<slug:number>/",
        orders_admin.order_view,
        name="cluster-order",
    ),
    path(
        "manage/clusters/<slug:slug>/trade/rfqs/",
        quotes_admin.cluster_rfq_list_view,
        name="cluster-rfqs",
    ),
    path(
        "manage/clusters/<slug:slug>/trade/rfqs/<int:pk>/",
        quotes_admin.cluster_rfq_view,
        name="cluster-rfq",
    ),
]

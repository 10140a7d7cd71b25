"""URLs of the money screens: a member's money, a cluster's payouts and reports,
and a customer's invoices (``purei.ledger.views``)."""

from django.urls import URLPattern, path

from .views import cluster, customer, member

app_name = "ledger"

MEMBER = "manage/members/<slug:slug>/money/"
CLUSTER = "manage/clusters/<slug:slug>/"

urlpatterns: list[URLPattern] = [
    # A member's money.
    path(MEMBER, member.member_money_view, name="member-money"),
    path(
        MEMBER + "statements/<str:number>.pdf",
        member.member_statement_pdf_view,
        name="member-statement-pdf",
    ),
    path(
        MEMBER + "statements/<str:number>.csv",
        member.member_statement_csv_view,
        name="member-statement-csv",
    ),
    path(
        MEMBER + "statements/<str:number>/",
        member.member_statement_view,
        name="member-statement",
    ),
    path(
        MEMBER + "invoices/<int:pk>/",
        member.member_invoice_view,
        name="member-invoice",
    ),
    path(
        MEMBER + "invoices/<int:pk>/pdf/",
        member.member_invoice_pdf_view,
        name="member-invoice-pdf",
    ),
    # A cluster's payouts and reports.
    path(CLUSTER + "payouts/", cluster.cluster_payouts_view, name="cluster-payouts"),
    path(CLUSTER + "payouts/<int:pk>/", cluster.cluster_run_view, name="cluster-run"),
    path(
        CLUSTER + "payouts/<int:pk>/bank-file.csv",
        cluster.cluster_bank_file_view,
        name="cluster-bank-file",
    ),
    path(
        CLUSTER + "statements/<str:number>.pdf",
        cluster.cluster_statement_pdf_view,
        name="cluster-statement-pdf",
    ),
    path(
        CLUSTER + "statements/<str:number>.csv",
        cluster.cluster_statement_csv_view,
        name="cluster-statement-csv",
    ),
    path(
        CLUSTER + "statements/<str:number>/",
        cluster.cluster_statement_view,
        name="cluster-statement",
    ),
    path(
        CLUSTER + "invoices/<int:pk>/",
        cluster.cluster_invoice_view,
        name="cluster-invoice",
    ),
    path(
        CLUSTER + "invoices/<int:pk>/pdf/",
        cluster.cluster_invoice_pdf_view,
        name="cluster-invoice-pdf",
    ),
    path(CLUSTER + "reports/", cluster.cluster_reports_view, name="cluster-reports"),
    path(
        CLUSTER + "reports.csv",
        cluster.cluster_reports_csv_view,
        name="cluster-reports-csv",
    ),
    # A customer's invoices and credit notes.
    path(
        "orders/<slug:number>/invoices/<int:pk>/",
        customer.order_invoice_view,
        name="order-invoice",
    ),
    path(
        "orders/<slug:number>/invoices/<int:pk>/pdf/",
        customer.order_invoice_pdf_view,
        name="order-invoice-pdf",
    ),
]

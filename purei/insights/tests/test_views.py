"""The dashboards' pages: accessible SVG charts with a table beside each, dates
in the URL, CSV and XLSX downloads; wholesale prices and benchmarking."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook  # type: ignore[import-untyped]  # no type hints

from purei.core.models import AuditEntry
from purei.insights.charts import Column, Table, bar_chart, hbar_chart
from purei.insights.models import BenchmarkOptIn, WholesalePrice

from .factories import product, sold

pytestmark = pytest.mark.django_db


@pytest.fixture
def sales(cluster_x, member_a):
    variant = product(member_a, 2500)
    today = timezone.localdate()
    sold(cluster_x, today, [(member_a, [(variant, 2)])])
    sold(cluster_x, today - dt.timedelta(days=8), [(member_a, [(variant, 1)])])
    return variant


def test_chart_svg_has_title_desc_and_role():
    # given
    table = Table(
        "by-member",
        "Sales by member <&>",
        [Column("Member"), Column("Sales", money=True)],
        [["Awa", 1500], ["Bay", 500]],
    )
    # when
    chart = hbar_chart(table=table, column=1, desc="Two members.")
    bars = bar_chart(table=table, series=[1], desc="Two bars.")
    # then
    for svg in (chart.svg, bars.svg):
        assert 'role="img"' in svg
        assert 'aria-labelledby="by-member-title by-member-desc"' in svg
        assert (
            '<title id="by-member-title">Sales by member &lt;&amp;&gt;</title>' in svg
        )
        assert "<script" not in svg
        assert "style=" not in svg
    assert '<desc id="by-member-desc">Two members.</desc>' in chart.svg
    assert chart.svg.count("<rect") == 2
    assert "$15.00" in chart.svg


def test_cluster_dashboard_shows_charts_and_tables(
    client, cluster_x_admin_user, cluster_x, sales
):
    client.force_login(cluster_x_admin_user)
    # when
    response = client.get(f"/manage/clusters/{cluster_x.slug}/insights/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    for key in (
        "sales-by-period",
        "by-member",
        "by-category",
        "by-channel",
        "by-region",
        "by-country",
        "top-products",
    ):
        assert f'aria-labelledby="{key}-title {key}-desc"' in html
        assert f'<caption id="{key}-caption">' in html
    assert "$75.00" in html  # 3 x $25.00
    assert "Member A Wines" in html
    assert 'href="?from=' in html  # presets carry their dates


def test_dates_in_the_url_choose_the_range(
    client, cluster_x_admin_user, cluster_x, sales
):
    client.force_login(cluster_x_admin_user)
    today = timezone.localdate()
    # when only today, by week
    response = client.get(
        f"/manage/clusters/{cluster_x.slug}/insights/",
        {"from": today.isoformat(), "to": today.isoformat(), "by": "week"},
    )
    # then only today's sale
    assert response.context["board"].sales_cents == 5000
    # when the dates are out of order
    bad = client.get(
        f"/manage/clusters/{cluster_x.slug}/insights/",
        {"from": "2025-05-01", "to": "2025-04-01"},
    )
    # then the page says so
    assert bad.status_code == 422
    assert "comes on or after" in bad.content.decode()


def test_csv_and_xlsx_downloads(client, cluster_x_admin_user, cluster_x, sales):
    client.force_login(cluster_x_admin_user)
    base = f"/manage/clusters/{cluster_x.slug}/insights/download"
    # when
    as_csv = client.get(base + ".csv")
    as_xlsx = client.get(base + ".xlsx")
    # then the CSV has each table, money in dollars
    assert as_csv["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode())))
    assert ["Member", "Sales", "Orders", "Share of sales"] in rows
    assert ["Member A Wines", "75.00", "2", "100.0"] in rows
    # and the workbook a sheet per table, money as numbers
    book = load_workbook(io.BytesIO(as_xlsx.content))
    assert "by-member" in book.sheetnames
    assert "summary" in book.sheetnames
    sheet = book["by-member"]
    assert [c.value for c in sheet[2]] == [
        "Member",
        "Sales",
        "Orders",
        "Share of sales",
    ]
    assert sheet["A3"].value == "Member A Wines"
    assert float(sheet["B3"].value) == 75.0
    assert sheet["B3"].number_format == "#,##0.00"
    assert client.get(base + ".pdf").status_code == 404


def test_member_dashboard(client, member_a_owner_user, member_a, cluster_x, sales):
    client.force_login(member_a_owner_user)
    # when
    response = client.get(f"/manage/members/{member_a.slug}/insights/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-labelledby="top-products-title top-products-desc"' in html
    assert "Auckland" in html  # its customers' region, never their names
    assert "Aroha Customer" not in html
    assert "aroha@example.nz" not in html
    book = load_workbook(
        io.BytesIO(
            client.get(
                f"/manage/members/{member_a.slug}/insights/download.xlsx"
            ).content
        )
    )
    assert "margin-kept" in book.sheetnames


def test_team_sets_wholesale_prices(client, member_a_staff_user, member_a, sales):
    client.force_login(member_a_staff_user)
    url = f"/manage/members/{member_a.slug}/insights/wholesale-prices/"
    # when
    response = client.post(url, {f"price-{sales.pk}": "18.50"})
    # then
    assert response.status_code == 302
    assert WholesalePrice.objects.get(variant=sales).price_cents == 1850
    assert AuditEntry.objects.filter(verb="insights.wholesale_price_set").count() == 1
    # when it is cleared
    client.post(url, {f"price-{sales.pk}": ""})
    assert not WholesalePrice.objects.exists()


def test_wholesale_price_refuses_nonsense(client, member_a_owner_user, member_a, sales):
    client.force_login(member_a_owner_user)
    # when
    response = client.post(
        f"/manage/members/{member_a.slug}/insights/wholesale-prices/",
        {f"price-{sales.pk}": "twelve"},
    )
    # then nothing changed
    assert response.status_code == 422
    assert not WholesalePrice.objects.exists()


def test_owner_opts_in_and_out(client, member_a_owner_user, member_a, cluster_x):
    client.force_login(member_a_owner_user)
    url = f"/manage/members/{member_a.slug}/insights/benchmarking/"
    # when
    client.post(url, {"cluster": cluster_x.pk, "opted_in": "1"})
    # then
    assert BenchmarkOptIn.objects.filter(member=member_a, cluster=cluster_x).exists()
    page = client.get(f"/manage/members/{member_a.slug}/insights/").content.decode()
    assert re.search(r"1 member is counted so far", page)
    # when
    client.post(url, {"cluster": cluster_x.pk, "opted_in": "0"})
    # then
    assert not BenchmarkOptIn.objects.exists()


def test_api_sets_a_wholesale_price_for_the_team_only(
    client, member_a_staff_user, cluster_x_admin_user, member_a, sales
):
    url = f"/api/v1/members/{member_a.slug}/wholesale-prices/{sales.pk}"
    # when a cluster admin tries
    client.force_login(cluster_x_admin_user)
    refused = client.put(url, {"price_cents": 900}, content_type="application/json")
    # then
    assert refused.status_code == 404
    assert not WholesalePrice.objects.exists()
    # when its team does
    client.force_login(member_a_staff_user)
    done = client.put(url, {"price_cents": 900}, content_type="application/json")
    # then
    assert done.status_code == 200
    assert done.json()["wholesale_price_cents"] == 900
    listed = client.get(f"/api/v1/members/{member_a.slug}/wholesale-prices").json()
    assert [row["wholesale_price_cents"] for row in listed] == [900]
    # and another member's variant is refused
    other = client.put(
        f"/api/v1/members/{member_a.slug}/wholesale-prices/999999",
        {"price_cents": 900},
        content_type="application/json",
    )
    assert other.status_code == 422


def test_api_cluster_dashboard(client, cluster_x_admin_user, cluster_x, sales):
    client.force_login(cluster_x_admin_user)
    today = timezone.localdate()
    # when
    body = client.get(
        f"/api/v1/clusters/{cluster_x.slug}/insights",
        {
            "from": (today - dt.timedelta(days=20)).isoformat(),
            "to": today.isoformat(),
            "by": "week",
        },
    ).json()
    # then
    assert body["sales_cents"] == 7500
    assert body["orders"] == 2
    assert body["by_member"][0]["label"] == "Member A Wines"
    assert sum(p["sales_cents"] for p in body["periods"]) == 7500
    assert body["from"] == (today - dt.timedelta(days=20)).isoformat()

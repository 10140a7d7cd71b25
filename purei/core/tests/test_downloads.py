"""Private downloads: one helper, three headers (core/downloads.py)."""

from io import BytesIO

from purei.core.downloads import private_download, private_file, private_stream


def test_a_private_download_is_an_uncached_unsniffed_attachment():
    # when
    response = private_download(b"a,b\n", "text/csv", "orders.csv")
    # then
    assert response["Content-Disposition"] == 'attachment; filename="orders.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_name_with_macrons_is_kept_for_the_browser():
    # when
    response = private_stream(iter([b"x"]), "text/csv", "pūrei-orders.csv")
    # then
    assert "filename*=utf-8''p%C5%ABrei-orders.csv" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_a_stored_file_goes_out_the_same_way():
    # when
    response = private_file(BytesIO(b"%PDF-1.4"), "application/pdf", "licence.pdf")
    # then
    assert response["Content-Disposition"] == 'attachment; filename="licence.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"

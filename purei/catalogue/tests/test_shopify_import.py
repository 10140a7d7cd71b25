"""Shopify's product CSV, completely: pictures fetched from a local HTTP server the
test starts (real PNG and JPEG files, a too-big file, a non-picture, a 404), the
"was" price, the sanitised Body (HTML), the SEO columns and the report's counts."""

from __future__ import annotations

import contextlib
import csv
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from purei.catalogue.models import ImportJob, Product, ProductImage, Variant
from purei.catalogue.spreadsheets import products_import
from purei.catalogue.spreadsheets.jobs import import_images_queue
from purei.catalogue.spreadsheets.result import ImportResult
from purei.core.fetch import FetchFailed, fetch_public
from purei.core.images import MAX_UPLOAD_BYTES
from purei.core.tests.pictures import picture_bytes
from purei.members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

FILES = {
    "/honey.png": ("image/png", picture_bytes(320, 240, "PNG")),
    "/honey.jpg": ("image/jpeg", picture_bytes(400, 300, "JPEG")),
    "/small-jar.jpg": ("image/jpeg", picture_bytes(300, 300, "JPEG")),
    "/huge.jpg": ("image/jpeg", b"\xff\xd8" + b"0" * (MAX_UPLOAD_BYTES + 10)),
    "/notes.txt": ("text/plain", b"not a picture at all"),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        found = FILES.get(self.path)
        if found is None:
            self.send_error(404)
            return
        kind, body = found
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client stops reading a too-big file: as it should.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(settings) -> Iterator[str]:
    """A web server on 127.0.0.1 serving FILES; loopback allowed for the test."""
    settings.PUREI_IMPORT_ALLOW_PRIVATE_HOSTS = True
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


COLUMNS = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Variant SKU",
    "Variant Inventory Tracker",
    "Variant Inventory Qty",
    "Variant Price",
    "Variant Compare At Price",
    "Image Src",
    "Image Position",
    "Image Alt Text",
    "Variant Image",
    "SEO Title",
    "SEO Description",
    "Gift Card",
    "Google Shopping / Gender",
    "Status",
]


def _shopify(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in COLUMNS})
    return out.getvalue().encode()


def _rows(base: str) -> list[dict[str, str]]:
    return [
        {
            "Handle": "manuka",
            "Title": "Mānuka honey",
            "Body (HTML)": (
                '<h1>Dark</h1><p onclick="x()">Rich <b>honey</b> <a href='
                '"javascript:alert(1)">here</a> <a href="https://example.nz">'
                "site</a></p><script>steal()</script><img src=x>"
            ),
            "Vendor": "Ngāti Honey",
            "Type": "Honey",
            "Published": "true",
            "Option1 Name": "Size",
            "Option1 Value": "250 g",
            "Variant SKU": "MH-250",
            "Variant Inventory Tracker": "shopify",
            "Variant Inventory Qty": "5",
            "Variant Price": "24.50",
            "Variant Compare At Price": "30.00",
            "Image Src": f"{base}/honey.png",
            "Image Position": "1",
            "Image Alt Text": "A jar of mānuka honey",
            "Variant Image": f"{base}/honey.png",
            "SEO Title": "Mānuka honey from the Kaipara",
            "SEO Description": "Dark, rich mānuka honey, UMF 10+.",
            "Gift Card": "false",
            "Status": "active",
        },
        {
            "Handle": "manuka",
            "Option1 Name": "Size",
            "Option1 Value": "500 g",
            "Variant SKU": "MH-500",
            "Variant Inventory Tracker": "shopify",
            "Variant Inventory Qty": "2",
            "Variant Price": "42.00",
            "Variant Compare At Price": "40.00",
            "Variant Image": f"{base}/small-jar.jpg",
        },
        # Shopify's further picture rows: a Handle and an image only.
        {"Handle": "manuka", "Image Src": f"{base}/honey.jpg", "Image Position": "2"},
        {"Handle": "manuka", "Image Src": f"{base}/huge.jpg", "Image Position": "3"},
        {"Handle": "manuka", "Image Src": f"{base}/notes.txt", "Image Position": "4"},
        {"Handle": "manuka", "Image Src": f"{base}/gone.png", "Image Position": "5"},
        {"Handle": "manuka", "Image Src": "ftp://example.nz/a.png"},
    ]


def _import(actor, member, data: bytes, **options) -> ImportResult:
    result = products_import(actor=actor, member=member, data=data, **options)
    assert result.ok, result.problems
    return result


def test_pictures_are_fetched_checked_and_rendered_and_failures_reported(
    member_a_owner, member_a, server, django_capture_on_commit_callbacks
):
    # given
    data = _shopify(*_rows(server))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(member_a_owner, member_a, data)
        job = import_images_queue(
            member=member_a, user=member_a_owner.user, result=result
        )
    # then: the rows are all imported, the good pictures added with renditions
    assert job is not None
    manuka = Product.objects.get(member=member_a, slug="manuka")
    assert manuka.variants.count() == 2
    photos = list(ProductImage.objects.filter(product=manuka))
    assert [p.source_url.rsplit("/", 1)[1] for p in photos] == [
        "honey.png",
        "small-jar.jpg",
        "honey.jpg",
    ]
    assert photos[0].alt_text == "A jar of mānuka honey"
    assert photos[1].alt_text == "Mānuka honey"  # no alt text: the title
    assert all(p.renditions for p in photos)
    report = ImportResult.from_dict(ImportJob.objects.get(pk=job.pk).report)
    assert report.images == []
    assert report.images_added == 3
    failures = {f.url.rsplit("/", 1)[1]: f for f in report.image_failures}
    assert set(failures) == {"huge.jpg", "notes.txt", "gone.png", "a.png"}
    assert "larger than 8 MB" in failures["huge.jpg"].message
    assert "not a picture" in failures["notes.txt"].message
    assert "404" in failures["gone.png"].message
    assert "https://" in failures["a.png"].message
    assert (failures["huge.jpg"].row, failures["huge.jpg"].column) == (5, "Image Src")


def test_the_same_file_again_adds_no_picture_twice(
    member_a_owner, member_a, server, django_capture_on_commit_callbacks
):
    # given
    data = _shopify(_rows(server)[0])
    with django_capture_on_commit_callbacks(execute=True):
        first = _import(member_a_owner, member_a, data)
        import_images_queue(member=member_a, user=None, result=first)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        again = _import(member_a_owner, member_a, data)
        job = import_images_queue(member=member_a, user=None, result=again)
    # then
    assert job is not None
    report = ImportResult.from_dict(ImportJob.objects.get(pk=job.pk).report)
    assert (report.images_added, report.images_skipped) == (0, 1)
    assert ProductImage.objects.filter(product__member=member_a).count() == 1
    assert (again.products_skipped, again.variants_skipped) == (1, 1)


def test_loopback_and_private_addresses_are_refused_without_the_setting(settings):
    settings.PUREI_IMPORT_ALLOW_PRIVATE_HOSTS = False
    for url in (
        "http://127.0.0.1:9/a.png",
        "http://localhost/a.png",
        "http://10.1.2.3/a.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/a.png",
    ):
        with pytest.raises(FetchFailed) as caught:
            fetch_public(url, max_bytes=1000)
        assert caught.value.code == "host_not_public", url
    with pytest.raises(FetchFailed) as caught:
        fetch_public("file:///etc/passwd", max_bytes=1000)
    assert caught.value.code == "url_scheme"


def test_was_price_body_html_and_seo_columns_are_kept(member_a_owner, member_a):
    # given
    data = _shopify(*_rows("https://example.nz")[:2])
    # when
    result = _import(member_a_owner, member_a, data)
    # then
    manuka = Product.objects.get(member=member_a, slug="manuka")
    html = manuka.description_html
    assert "<h3>Dark</h3>" in html
    assert "<strong>" not in html  # <b> is not on the stories' list: its text stays
    assert "Rich honey" in html
    assert "script" not in html
    assert "steal" not in html
    assert "onclick" not in html
    assert "javascript" not in html
    assert "<img" not in html
    assert 'href="https://example.nz"' in html
    assert 'rel="nofollow noopener"' in html
    assert manuka.description_en.startswith("Dark")
    assert manuka.seo_title == "Mānuka honey from the Kaipara"
    assert manuka.seo_description == "Dark, rich mānuka honey, UMF 10+."
    was = dict(Variant.objects.values_list("sku", "compare_at_cents"))
    assert was == {"MH-250": 3000, "MH-500": 4000}
    assert Variant.objects.get(sku="MH-250").is_reduced
    assert not Variant.objects.get(sku="MH-500").is_reduced  # 40.00 < 42.00
    assert result.images  # queued for the task, not fetched in the import


def test_report_counts_and_lists_ignored_columns(member_a_owner, member_a):
    # given: one product imported, then the file again with one price changed
    rows = _rows("https://example.nz")[:2]
    first = _import(member_a_owner, member_a, _shopify(*rows))
    rows[1] = {**rows[1], "Variant Price": "45.00"}
    # when
    again = _import(member_a_owner, member_a, _shopify(*rows))
    # then
    assert (first.products_created, first.variants_created) == (1, 2)
    assert (again.products_updated, again.products_skipped) == (1, 0)
    assert (again.variants_updated, again.variants_skipped) == (1, 1)
    ignored = {c.column: (c.cells, c.example) for c in again.ignored_columns}
    assert ignored == {"Gift Card": (1, "false"), "Google Shopping / Gender": (0, "")}
    saved = ImportResult.from_dict(again.as_dict())
    assert saved.ignored_columns == again.ignored_columns


def test_failed_rows_are_counted_and_nothing_imported(member_a_owner, member_a):
    rows = _rows("https://example.nz")[:2]
    rows[1] = {**rows[1], "Variant Compare At Price": "12,50"}
    result = products_import(
        actor=member_a_owner, member=member_a, data=_shopify(*rows)
    )
    assert not result.ok
    assert result.rows_failed == 1
    assert [(p.row, p.column) for p in result.problems] == [
        (3, "Variant Compare At Price")
    ]
    assert not Product.objects.filter(member=member_a).exists()


def test_import_page_shows_counts_pictures_and_ignored_columns(
    member_a_owner_user, member_a, server, django_capture_on_commit_callbacks
):
    # given
    client = Client()
    client.force_login(member_a_owner_user)
    upload = io.BytesIO(_shopify(*_rows(server)[:3]))
    upload.name = "shop.csv"
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/manage/members/{member_a.slug}/products/import/", {"file": upload}
        )
    # then: redirected to the import's page, which lists what happened
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Added: 3. Already there: 0. Failed: 0." in text
    assert "Gift Card" in text
    assert "Skipped (no change)" in text


def test_command_imports_a_folder_of_makers_in_one_run(
    member_a, tmp_path: Path, capsys
):
    # given: one file per maker, a makers map by file name and by Vendor
    member_b = MemberFactory.create(slug="second-maker")
    first = _rows("https://example.nz")[0]
    (tmp_path / "kaipara.csv").write_bytes(
        _shopify({**first, "Image Src": "", "Variant Image": ""})
    )
    (tmp_path / "other.csv").write_bytes(
        _shopify(
            {
                **first,
                "Handle": "kumara",
                "Variant SKU": "KU-1",
                "Vendor": "Second Maker",
                "Image Src": "",
                "Variant Image": "",
            }
        )
    )
    (tmp_path / "makers.csv").write_text(
        f"file,vendor,member\nkaipara.csv,,{member_a.slug}\n"
        f",Second Maker,{member_b.slug}\n"
    )
    # when
    call_command("import_products", str(tmp_path))
    # then
    assert Product.objects.get(slug="manuka").member == member_a
    assert Product.objects.get(slug="kumara").member == member_b
    out = capsys.readouterr().out
    assert "2 files in" in out
    assert "Ignored column “Gift Card”: 1 cells" in out

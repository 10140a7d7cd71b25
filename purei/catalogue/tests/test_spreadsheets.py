import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from purei.catalogue.models import Listing, Product, Variant
from purei.catalogue.spreadsheets import products_export, products_import
from purei.catalogue.spreadsheets.formats import html_to_text
from purei.catalogue.tests.factories import ProductFactory, VariantFactory
from purei.core.models import AuditEntry

HEADER = (
    "product_slug,title_en,title_mi,description_en,category,tags,status,maker,"
    "origin_region,restricted_r18,carries_cultural_designs,attribute:umf,"
    "attribute:mgo,sku,variant_name,option:size,price,stock_policy,stock,"
    "lead_time_days,weight_grams"
)


def _csv(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


GOOD = (
    'manuka,Mānuka honey,Mīere mānuka,"Dark, rich\nfrom the hills",honey,'
    '"bush, honey",live,Ngāti Honey,NZ-AUK,no,no,UMF 10+,263,MH-250,250 g,'
    "250 g,$24.50,tracked,5,,300",
    "manuka,Mānuka honey,,,,,,,,,,,,MH-500,500 g,500 g,42.00,tracked,3,,560",
    'kumara,Kūmara,,,fresh-produce,,draft,,,no,no,,,KU-1,1 kg,,"1,200.00",'
    "made_to_order,0,3,",
)


def test_good_file_imports_products_variants_listings_and_one_audit_row(
    member_a_owner, member_a, cluster_x
):
    # given
    data = _csv(*GOOD, bom=True)
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=data)
    # then
    assert result.ok, result.problems
    assert (result.products_created, result.variants_created) == (2, 3)
    manuka = Product.objects.get(member=member_a, slug="manuka")
    assert manuka.title_en == "Mānuka honey"
    assert manuka.description_en == "Dark, rich\nfrom the hills"
    assert manuka.attributes == {"umf": "UMF 10+", "mgo": 263}
    assert sorted(t.slug for t in manuka.tags.all()) == ["bush", "honey"]
    assert manuka.origin_region is not None
    assert manuka.origin_region.code == "NZ-AUK"
    prices = dict(
        Variant.objects.filter(member=member_a).values_list("sku", "price_cents")
    )
    assert prices == {"MH-250": 2450, "MH-500": 4200, "KU-1": 120000}
    assert Variant.objects.get(sku="MH-250").options == {"size": "250 g"}
    assert Listing.objects.filter(product=manuka, cluster=cluster_x).count() == 1
    assert not Listing.objects.filter(product__slug="kumara").exists()
    assert AuditEntry.objects.filter(verb="products.imported").count() == 1


def test_second_import_updates_by_slug_and_sku(member_a_owner, member_a):
    # given
    products_import(actor=member_a_owner, member=member_a, data=_csv(*GOOD))
    changed = GOOD[0].replace("$24.50", "26.00")
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=_csv(changed))
    # then
    assert result.ok, result.problems
    assert (result.products_updated, result.variants_updated) == (1, 1)
    assert Variant.objects.get(sku="MH-250").price_cents == 2600
    assert Product.objects.filter(member=member_a).count() == 2


def test_bad_rows_import_nothing_and_report_each_problem(member_a_owner, member_a):
    # given: another product already holds SKU TAKEN
    VariantFactory.create(
        product=ProductFactory.create(member=member_a, slug="old"), sku="TAKEN"
    )
    rows = (
        'a,A honey,,,honey,,draft,,,no,no,,,A-1,,,"12,50",tracked,1,,',
        "b,B honey,,,honey,,draft,,,no,no,,,TAKEN,,,5.00,tracked,1,,",
        "c,C thing,,,no-such-category,,draft,,,no,no,,,C-1,,,5.00,tracked,1,,",
        "d,D honey,,,honey,,draft,,,no,no,UMF 99+,lots,D-1,,,5.00,tracked,1,,",
        "e,,,,honey,,draft,,,no,no,,,E-1,,,5.00,tracked,1,,",
        "f,F honey,,,honey,,draft,,,no,no,,,A-1,,,5.00,tracked,1,,",
    )
    before = Product.objects.count()
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=_csv(*rows))
    # then
    assert not result.ok
    assert Product.objects.count() == before
    found = {(p.row, p.column) for p in result.problems}
    assert found == {
        (2, "price"),
        (3, "sku"),
        (4, "category"),
        (5, "attribute:umf"),
        (5, "attribute:mgo"),
        (6, "title_en"),
        (7, "sku"),
    }
    messages = {p.row: p.message for p in result.problems}
    assert "12.50" in messages[2]
    assert "old" in messages[3]
    assert "no-such-category" in messages[4]
    assert "row 2" in messages[7]


def test_quoted_newlines_keep_spreadsheet_row_numbers(member_a_owner, member_a):
    # given: row 2 spans three lines, row 3 is bad
    rows = (
        'a,A honey,,"one\n\ntwo",honey,,draft,,,no,no,,,A-1,,,5.00,tracked,1,,',
        "b,B honey,,,honey,,draft,,,no,no,,,B-1,,,abc,tracked,1,,",
    )
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=_csv(*rows))
    # then
    assert [(p.row, p.column) for p in result.problems] == [(3, "price")]


def test_not_utf8_is_reported(member_a_owner, member_a):
    # when
    result = products_import(
        actor=member_a_owner, member=member_a, data="x,\xe9".encode("latin-1")
    )
    # then
    assert not result.ok
    assert "UTF-8" in result.problems[0].message


SHOPIFY = (
    "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,"
    "Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,"
    "Variant Inventory Policy,Variant Price,Status\r\n"
    "manuka,Mānuka honey,<p>Dark &amp; rich</p><p>Second</p>,Bees Ltd,Honey,"
    '"bush, honey",true,Size,250 g,MH-250,300.0,shopify,5,deny,24.50,active\r\n'
    "manuka,,,,,,,Size,500 g,MH-500,560,shopify,2,deny,42.00,\r\n"
)


def test_shopify_rows_become_one_product_with_variants(member_a_owner, member_a):
    # when
    result = products_import(
        actor=member_a_owner, member=member_a, data=SHOPIFY.encode()
    )
    # then
    assert result.ok, result.problems
    assert result.format == "shopify"
    product = Product.objects.get(member=member_a, slug="manuka")
    assert product.status == Product.Status.LIVE
    assert product.maker == "Bees Ltd"
    assert product.description_en == "Dark & rich\n\nSecond"
    variants = list(product.variants.order_by("position"))
    assert [(v.sku, v.options, v.weight_grams) for v in variants] == [
        ("MH-250", {"Size": "250 g"}, 300),
        ("MH-500", {"Size": "500 g"}, 560),
    ]


def test_shopify_unknown_type_names_the_column(member_a_owner, member_a):
    # given
    data = SHOPIFY.replace(",Honey,", ",Gadgets,").encode()
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=data)
    # then
    assert [(p.row, p.column) for p in result.problems] == [(2, "Type")]


def test_html_to_text_strips_tags_and_scripts():
    assert html_to_text("<p>Kia <b>ora</b><script>x()</script></p>") == "Kia ora"


@pytest.mark.parametrize("fmt", ["purei", "shopify"])
def test_round_trip_gives_the_same_products(fmt, member_a_owner, member_a):
    # given
    products_import(actor=member_a_owner, member=member_a, data=_csv(*GOOD[:2]))

    def state() -> list[tuple[object, ...]]:
        return [
            (
                v.product.slug,
                v.product.title_en,
                v.product.category.slug,
                v.product.status,
                v.product.description_en,
                v.sku,
                v.options,
                v.price_cents,
                v.stock,
                v.weight_grams,
            )
            for v in Variant.objects.filter(member=member_a).order_by("sku")
        ]

    before = state()
    text = products_export(actor=member_a_owner, member=member_a, fmt=fmt)
    Product.objects.filter(member=member_a).delete()
    # when
    result = products_import(
        actor=member_a_owner, member=member_a, data=text.encode(), fmt=fmt
    )
    # then
    assert result.ok, result.problems
    assert state() == before


def test_staff_of_another_business_cannot_import(customer, member_a):
    from purei.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        products_import(actor=customer, member=member_a, data=_csv(*GOOD))


def test_cli_exit_codes(tmp_path: Path, member_a, capsys):
    # given
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(GOOD[0].replace("$24.50", '"12,50"')))
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(*GOOD))
    # when / then
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_products", str(bad), "--member", "member-a")
    assert exit_info.value.code == 1
    assert "row 2, price" in capsys.readouterr().err
    assert not Product.objects.filter(member=member_a).exists()
    call_command("import_products", str(good), "--member", "member-a")
    assert "Imported 2 products, 3 variants." in capsys.readouterr().out
    out = tmp_path / "out.csv"
    call_command(
        "export_products", "--member", "member-a", "--format", "shopify", "-o", str(out)
    )
    assert "MH-500" in out.read_text()


def test_two_thousand_rows_import_quickly(member_a_owner, member_a):
    # given: 1,000 products of two variants each
    rows = [
        f'p-{n},Honey {n},,,honey,"a, b",live,,,no,no,UMF 5+,,S-{n}-{v},,{v},'
        f"{n}.50,tracked,{v},,"
        for n in range(1000)
        for v in (1, 2)
    ]
    # when
    started = time.monotonic()
    result = products_import(actor=member_a_owner, member=member_a, data=_csv(*rows))
    elapsed = time.monotonic() - started
    # then
    assert result.ok, result.problems[:3]
    assert result.variants_created == 2000
    assert elapsed < 15


# --- web ------------------------------------------------------------------------


def _upload(data: bytes, name: str = "products.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_web_upload_imports_a_good_file(client, member_a_staff_user, member_a):
    # given
    client.force_login(member_a_staff_user)
    # when
    response = client.post(
        "/manage/members/member-a/products/import/", {"file": _upload(_csv(*GOOD))}
    )
    # then
    assert response.status_code == 200
    assert "Imported 2 products, 3 variants." in response.content.decode()


def test_web_upload_reports_bad_rows(client, member_a_staff_user, member_a):
    # given
    client.force_login(member_a_staff_user)
    data = _csv(GOOD[0].replace("$24.50", '"12,50"'))
    # when
    response = client.post(
        "/manage/members/member-a/products/import/", {"file": _upload(data)}
    )
    # then
    assert response.status_code == 422
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "<td>2</td><td>price</td>" in body
    assert not Product.objects.filter(member=member_a).exists()


def test_web_upload_refuses_other_files(client, member_a_staff_user, member_a):
    client.force_login(member_a_staff_user)
    response = client.post(
        "/manage/members/member-a/products/import/",
        {"file": _upload(b"hello", name="photo.png")},
    )
    assert response.status_code == 422
    assert "Choose a .csv file." in response.content.decode()


def test_web_export_downloads_csv(client, member_a_owner_user, member_a):
    # given
    VariantFactory.create(product=ProductFactory.create(member=member_a), sku="X-1")
    client.force_login(member_a_owner_user)
    # when
    response = client.get("/manage/members/member-a/products/export/?format=shopify")
    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "X-1" in response.content.decode()


def test_other_business_staff_get_404(client, cluster_x_admin_user, member_a):
    client.force_login(cluster_x_admin_user)
    assert client.get("/manage/members/member-a/products/import/").status_code == 404
    assert client.get("/manage/members/member-a/products/export/").status_code == 404


def test_long_file_runs_as_a_task_and_shows_progress_then_report(
    client,
    member_a_staff_user,
    member_a,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    # given: every file counts as long
    monkeypatch.setattr("purei.catalogue.views.spreadsheets.INLINE_MAX_BYTES", 0)
    client.force_login(member_a_staff_user)
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            "/manage/members/member-a/products/import/", {"file": _upload(_csv(*GOOD))}
        )
    # then: queued, the status page polls
    assert response.status_code == 302
    status_url = response["Location"]
    waiting = client.get(status_url).content.decode()
    assert 'hx-trigger="every 1s"' in waiting
    assert "Check again" in waiting
    assert not Product.objects.filter(member=member_a).exists()
    # when: the task runs (ImmediateBackend)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    done = client.get(status_url).content.decode()
    # then
    assert "Imported 2 products, 3 variants." in done
    assert 'hx-trigger="every 1s"' not in done
    assert Product.objects.filter(member=member_a).count() == 2


def test_failed_task_shows_the_problems(
    client,
    member_a_staff_user,
    member_a,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    # given
    monkeypatch.setattr("purei.catalogue.views.spreadsheets.INLINE_MAX_BYTES", 0)
    client.force_login(member_a_staff_user)
    data = _csv(GOOD[0].replace("$24.50", '"12,50"'))
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/manage/members/member-a/products/import/", {"file": _upload(data)}
        )
    body = client.get(response["Location"]).content.decode()
    # then
    assert "Nothing was imported" in body
    assert "<td>2</td><td>price</td>" in body
    assert not Product.objects.filter(member=member_a).exists()


def test_dry_run_checks_without_saving(member_a_owner, member_a):
    result = products_import(
        actor=member_a_owner, member=member_a, data=_csv(*GOOD), dry_run=True
    )
    assert result.ok
    assert (result.products, result.variants) == (2, 3)
    assert not Product.objects.filter(member=member_a).exists()

"""A spreadsheet whose product types are not Pūrei's categories (issue 11, defect 7):
the report names each unknown category once, and the import is re-run with each
mapped to one of Pūrei's, on the web (a choice per category) or on the command line
(``--map-category "Kumara=Fresh produce"``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from purei.catalogue.models import ImportJob, Product
from purei.catalogue.spreadsheets import products_import
from purei.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db

HEADER = "Handle,Title,Type,Variant SKU,Variant Price,Status"
SHOPIFY = (
    "\r\n".join(
        [
            HEADER,
            "golden-kumara,Golden kūmara,Kumara,K-1,6.50,active",
            "red-kumara,Red kūmara,kumara,K-2,7.00,active",
            "feijoas,Feijoas,Food > Feijoa,F-1,9.00,draft",
            "manuka,Mānuka honey,Honey,H-1,24.50,active",
        ]
    )
    + "\r\n"
).encode()
IMPORT = "/manage/members/member-a/products/import/"


def categories_of(member_slug: str = "member-a") -> dict[str, str]:
    return dict(
        Product.objects.filter(member__slug=member_slug).values_list(
            "slug", "category__slug"
        )
    )


# --- The importer -----------------------------------------------------------------


def test_the_report_names_each_unknown_category_once(member_a_owner, member_a):
    # when
    result = products_import(actor=member_a_owner, member=member_a, data=SHOPIFY)
    # then
    assert not result.ok
    assert result.unknown_categories == [("Kumara", 2), ("Food > Feijoa", 1)]
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "Type"),
        (3, "Type"),
        (4, "Type"),
    ]
    assert not Product.objects.exists()


def test_mapped_categories_import(member_a_owner, member_a):
    # when
    result = products_import(
        actor=member_a_owner,
        member=member_a,
        data=SHOPIFY,
        category_map={"KUMARA": "Fresh produce", "Food > Feijoa": "fresh-produce"},
    )
    # then
    assert result.ok, result.problems
    assert result.unknown_categories == []
    assert categories_of() == {
        "golden-kumara": "fresh-produce",
        "red-kumara": "fresh-produce",
        "feijoas": "fresh-produce",
        "manuka": "honey",
    }


def test_a_mapping_also_overrides_a_known_category(member_a_owner, member_a):
    # when
    result = products_import(
        actor=member_a_owner,
        member=member_a,
        data=SHOPIFY,
        category_map={
            "kumara": "fresh-produce",
            "food > feijoa": "fresh-produce",
            "honey": "food-preserves",
        },
    )
    # then
    assert result.ok, result.problems
    assert categories_of()["manuka"] == "food-preserves"


def test_a_mapping_to_no_category_is_refused(member_a_owner, member_a):
    # when
    with pytest.raises(ValidationFailed) as raised:
        products_import(
            actor=member_a_owner,
            member=member_a,
            data=SHOPIFY,
            category_map={"Kumara": "Root vegetables"},
        )
    # then
    assert raised.value.field == "category_map"
    assert "Root vegetables" in raised.value.message
    assert not Product.objects.exists()


# --- The command line ---------------------------------------------------------------


def test_the_cli_names_unknown_categories_then_imports_with_a_map(
    tmp_path: Path, member_a, capsys
):
    # given
    path = tmp_path / "shopify.csv"
    path.write_bytes(SHOPIFY)
    # when
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_products", str(path), "--member", "member-a")
    # then
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Not Pūrei's categories: “Kumara”, “Food > Feijoa”." in err
    assert '--map-category "Kumara=<category>"' in err
    assert not Product.objects.exists()
    # when
    call_command(
        "import_products",
        str(path),
        "--member",
        "member-a",
        "--map-category",
        "Kumara=Fresh produce",
        "--map-category",
        " Food > Feijoa = fresh-produce ",
    )
    # then
    assert "Imported 4 products, 4 variants." in capsys.readouterr().out
    assert categories_of()["feijoas"] == "fresh-produce"


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("Kumara", "Write --map-category as"),
        ("=fresh-produce", "Write --map-category as"),
        ("Kumara=Root vegetables", "“Root vegetables” is not one of Pūrei's"),
    ],
)
def test_the_cli_refuses_a_bad_map(tmp_path: Path, member_a, mapping, message):
    # given
    path = tmp_path / "shopify.csv"
    path.write_bytes(SHOPIFY)
    # when
    with pytest.raises(CommandError) as raised:
        call_command(
            "import_products",
            str(path),
            "--member",
            "member-a",
            "--map-category",
            mapping,
        )
    # then
    assert message in str(raised.value)
    assert not Product.objects.exists()


# --- The web ----------------------------------------------------------------------


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("shopify.csv", data, content_type="text/csv")


def _map_form(body: str) -> tuple[str, list[str]]:
    """The mapping form's action and its selects' names."""
    action = re.search(r'<form method="post" action="([^"]*/map/)"', body)
    assert action is not None, "no mapping form"
    return action.group(1), re.findall(r'<select name="(map-\d+)"', body)


def test_the_web_offers_a_choice_per_unknown_category_then_imports(
    client: Client, member_a_staff_user, member_a
):
    # given
    client.force_login(member_a_staff_user)
    # when: the file is checked
    response = client.post(IMPORT, {"file": _upload(SHOPIFY)})
    # then
    body = response.content.decode()
    assert response.status_code == 422
    assert "Nothing was imported" in body
    assert "<li>“Kumara” (2 rows)</li>" in body
    assert "<li>“Food &gt; Feijoa” (1 row)</li>" in body
    action, selects = _map_form(body)
    assert selects == ["map-0", "map-1"]
    assert '<option value="fresh-produce">' in body
    # when: each is mapped
    done = client.post(action, {"map-0": "fresh-produce", "map-1": "fresh-produce"})
    # then
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "Imported 4 products, 4 variants." in page
    assert categories_of()["red-kumara"] == "fresh-produce"
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE
    assert bytes(job.data) == b""  # the file is not kept once imported
    assert job.report["category_map"] == {
        "Kumara": "fresh-produce",
        "Food > Feijoa": "fresh-produce",
    }


def test_the_web_asks_for_every_mapping(client: Client, member_a_staff_user, member_a):
    # given
    client.force_login(member_a_staff_user)
    action, _selects = _map_form(
        client.post(IMPORT, {"file": _upload(SHOPIFY)}).content.decode()
    )
    # when
    response = client.post(action, {"map-0": "fresh-produce", "map-1": ""})
    # then
    assert response.status_code == 422
    assert "Choose a category for “Food &gt; Feijoa”." in response.content.decode()
    assert not Product.objects.exists()


def test_a_long_file_is_mapped_from_its_progress_page(
    client: Client,
    member_a_staff_user,
    member_a,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    # given: every file counts as long, and is checked by the task
    monkeypatch.setattr("purei.catalogue.views.spreadsheets.INLINE_MAX_BYTES", 0)
    client.force_login(member_a_staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(IMPORT, {"file": _upload(SHOPIFY)})
    status_page = client.get(queued["Location"]).content.decode()
    action, selects = _map_form(status_page)
    assert selects == ["map-0", "map-1"]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        mapped = client.post(
            action, {"map-0": "fresh-produce", "map-1": "food-preserves"}
        )
    # then
    assert mapped.status_code == 302
    assert "Imported 4 products" in client.get(mapped["Location"]).content.decode()
    assert categories_of()["feijoas"] == "food-preserves"


def test_another_business_cannot_rerun_the_import(
    client: Client, member_a_staff_user, cluster_x_admin_user, member_a
):
    # given
    client.force_login(member_a_staff_user)
    action, _selects = _map_form(
        client.post(IMPORT, {"file": _upload(SHOPIFY)}).content.decode()
    )
    client.force_login(cluster_x_admin_user)
    # when
    response = client.post(action, {"map-0": "honey", "map-1": "honey"})
    # then
    assert response.status_code == 404
    assert not Product.objects.exists()

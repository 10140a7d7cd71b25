"""Where a product lives on the storefront, for pages, cards, feeds and the API
alike (a path: the page or API adds the host when it needs one)."""

from django.urls import reverse


def product_path(cluster_slug: str, member_slug: str, product_slug: str) -> str:
    return reverse(
        "catalogue:public-product",
        kwargs={
            "slug": cluster_slug,
            "member_slug": member_slug,
            "product_slug": product_slug,
        },
    )

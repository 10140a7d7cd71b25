"""``robots.txt`` (RFC 9309): crawl the storefront, not the private screens, the
cart, checkout or the endless variations of a search; and where the sitemap is.

The paths are prefixes; ``*`` stands for any characters (RFC 9309 §2.2.3), so
``/c/*/cart/`` is every cluster's cart. Every rule is given for English (``/…``)
and te reo Māori (``/mi/…``) addresses, and on a cluster's own domain also for
the cluster's pages at the root (``/cart/``, ``/shop/?``).

Search result pages with a query (``/search/?q=…``, a shop filtered or sorted,
``/c/<slug>/shop/?…``) are not crawled: each product has its own page, listed in
the sitemap, and the combinations of filters are endless. The shop itself
(``/c/<slug>/shop/``) and the search page without a query stay open.
"""

from __future__ import annotations

from .addresses import language_codes

# Site-wide private or endless addresses, below each language's root.
SITE_RULES = (
    "manage/",
    "accounts/",
    "staff/",
    "orders/",
    "search/?",
)
# Language-neutral addresses that only machines or signed-in people use.
NEUTRAL_RULES = (
    "/admin/",
    "/api/",
    "/payments/",
    "/i18n/",
)
# Below each cluster's home: the cart and checkout, a shop or member list filtered
# or sorted, a business's joining status, a trade buyer's own screens.
CLUSTER_RULES = (
    "cart/",
    "checkout/",
    "shop/?",
    "members/?",
    "join/*/",
    "trade/rfqs/",
    "trade/orders/",
    "trade/attachments/",
    "trade/statement/",
    "trade/quotes/",
)


def _roots() -> list[str]:
    """``/`` and ``/mi/``: the root of each language's addresses."""
    _default, *others = language_codes()
    return ["/", *(f"/{code}/" for code in others)]


def robots_lines(*, sitemap_url: str, own_domain: bool) -> list[str]:
    """The lines of ``robots.txt`` for Pūrei's host, or for a cluster's own domain
    (``own_domain``: its pages are at the root there too)."""
    roots = _roots()
    cluster_homes = [f"{root}c/*/" for root in roots]
    if own_domain:
        cluster_homes = [*roots, *cluster_homes]
    disallowed = [
        *NEUTRAL_RULES,
        *(f"{root}{rule}" for root in roots for rule in SITE_RULES),
        *(f"{home}{rule}" for home in cluster_homes for rule in CLUSTER_RULES),
    ]
    return [
        "User-agent: *",
        "Allow: /",
        *(f"Disallow: {path}" for path in dict.fromkeys(disallowed)),
        "",
        f"Sitemap: {sitemap_url}",
    ]


def robots_txt(*, sitemap_url: str, own_domain: bool) -> str:
    return (
        "\n".join(robots_lines(sitemap_url=sitemap_url, own_domain=own_domain)) + "\n"
    )

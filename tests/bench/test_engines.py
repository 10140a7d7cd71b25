"""The template-engine comparison (issue 18, ADR 0024): the Jinja2 ports of the shop's
hot templates give the same HTML as the production templates on the demo's real
catalogue, in both languages and on every branch a shopper meets, and the
measurement runs."""

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from pytest_django import DjangoDbBlocker

from scripts.bench import engines
from scripts.bench.engines import (
    CARD,
    build_page,
    differences,
    dtl_backend,
    jinja_backend,
    normalise,
    pick_cluster,
)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo's catalogue, loaded once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--no-history", verbosity=0, stdout=None)
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "mi"])
@pytest.mark.parametrize(
    ("where", "query"),
    [
        ("shop", {}),
        ("shop", {"sort": "price"}),
        ("shop", {"in_stock": "1", "page": "2"}),
        ("shop", {"q": "no such thing anywhere zzqx"}),
        ("search", {}),
        ("search", {"q": "wine"}),
        ("search", {"q": "pinot", "in_stock": "1"}),
        ("search", {"q": "kumara"}),
    ],
)
def test_jinja_ports_give_the_same_html(
    demo: None, language: str, where: str, query: dict[str, str]
) -> None:
    # given
    with translation.override(language):
        cluster = pick_cluster() if where == "shop" else None
        path = (
            reverse("catalogue:shop", kwargs={"slug": cluster.slug})
            if cluster
            else reverse("catalogue:search")
        )
        page = build_page(path, cluster, show_clusters=cluster is None, query=query)

        # when
        found = differences(page, dtl_backend(), jinja_backend())

    # then
    assert page.context["results"].total or query.get("q")
    assert found == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "mi"])
def test_every_branch_of_the_card_gives_the_same_html(
    demo: None, language: str
) -> None:
    """Each real card of the first search page, and the same card turned to every
    branch the card template has (a was price, R18, several prices, GST or not,
    no link, no photo, sold out)."""
    # given
    page = build_page(reverse("catalogue:search"), None, show_clusters=True)
    dtl, jinja = dtl_backend().get_template(CARD), jinja_backend().get_template(CARD)
    turns: list[dict[str, Any]] = [
        {},
        {"was": "$30.00", "prices_differ": True},
        {"restricted": True, "gst_registered": False},
        {"prices_differ": True, "gst_registered": False, "url": ""},
        {"image": None, "price": ""},
        {"in_stock": False},
    ]
    seen: set[str] = set()

    # when
    with translation.override(language):
        for card in page.cards:
            for turn in turns:
                changed = dict(turn)
                if "in_stock" in changed:
                    changed["hit"] = replace(card.hit, in_stock=changed.pop("in_stock"))
                one = replace(card, **changed)
                ours = dtl.render(page.card_context(one), page.request)
                theirs = jinja.render(page.card_context(one), page.request)

                # then
                assert normalise(ours) == normalise(theirs)
                seen.update(
                    name
                    for name, marker in MARKERS.items()
                    if marker in ours and marker in theirs
                )
    assert seen == set(MARKERS)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "mi"])
def test_a_card_needs_no_request(demo: None, language: str) -> None:
    """The card uses nothing the context processors give (ADR 0024: rendering it
    without the request skips them, the larger part of a card's cost)."""
    # given
    page = build_page(reverse("catalogue:search"), None, show_clusters=True)
    card = dtl_backend().get_template(CARD)

    # when
    with translation.override(language):
        pairs = [
            (
                card.render(page.card_context(one), page.request),
                card.render(page.card_context(one)),
            )
            for one in page.cards
        ]

    # then
    assert pairs
    assert all(with_request == without for with_request, without in pairs)


MARKERS = {
    "photo": "<picture",
    "link": '<a href="/c/',
    "was": "price-was",
    "r18": "product-card__r18",
    "clusters": "product-card__clusters",
    "snippet": "product-card__snippet",
    "sold out": '<span class="tag">',
    "available": "tag--ok",
}


def test_normalise_keeps_text_and_drops_layout_whitespace() -> None:
    assert normalise("<li>\n  <a>x  y</a>\n</li>\n") == "<li><a>x y</a></li>"
    assert normalise("<b>a</b> <b>b</b>") != normalise("<b>a</b><b>b</b>x")


@pytest.mark.django_db
def test_the_measurement_runs(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    # when
    rows, shares = engines.run(repeat=10, rounds=2, requests=2)

    # then
    assert len(rows) == 7
    assert all(row.dtl.cpu_us > 0 and row.jinja.cpu_us > 0 for row in rows)
    assert {share.page for share in shares} == {"shop", "product", "storefront"}
    assert all(
        0 < share.template_cpu_ms <= share.request_cpu_ms * 1.05 for share in shares
    )
    assert "same HTML" in capsys.readouterr().out
    assert engines.table(rows)[2].startswith("| one product card")
    assert len(engines.share_table(shares, 1.5, 3.0)) == 2 + len(shares)

"""The benchmark harness's pure parts: percentiles, URL sets, tables (no server)."""

import json
import math
import random
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from scripts.bench.scenarios import (
    PER_PAGE,
    SCENARIOS,
    TYPOS,
    Request,
    Session,
    search_requests,
    shop_requests,
    strip_macrons,
)
from scripts.bench.stats import (
    Summary,
    Target,
    error_report,
    markdown_table,
    percentile,
    summarise,
)

FACTS: dict[str, Any] = {
    "checkout_variants": [["small", 7]],
    "clusters": [
        {
            "slug": "small",
            "products": 10,
            "categories": ["wine"],
            "regions": ["NZ-MBH"],
            "members": ["a"],
        },
        {
            "slug": "biggest",
            "products": 5000,
            "categories": ["honey", "wine"],
            "regions": ["NZ-NTL", "NZ-MBH"],
            "members": ["b", "c"],
        },
        {
            "slug": "second",
            "products": 900,
            "categories": ["honey"],
            "regions": [],
            "members": ["d"],
        },
        {
            "slug": "third",
            "products": 100,
            "categories": [],
            "regions": [],
            "members": [],
        },
    ],
    "product_paths": [f"/c/biggest/p/b/product-{n}/" for n in range(50)],
    "search_words": ["kūmara", "mānuka", "honey", "pinot"],
    "search_phrases": [f"phrase {n}" for n in range(60)],
}


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - reproducible URL sets, not secrets


def test_percentile_interpolates_between_ranks():
    values = list(range(1, 101))

    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile(values, 0) == 1
    assert percentile(values, 100) == 100


def test_percentile_does_not_depend_on_order_and_handles_one_value():
    assert percentile([30.0, 10.0, 20.0], 50) == 20.0
    assert percentile([7.0], 95) == 7.0


def test_percentile_of_nothing_is_nan_and_bad_percentiles_are_refused():
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError, match=r"within 0\.\.100"):
        percentile([1.0], 101)


def test_summary_counts_requests_per_second_and_round_trips_through_json():
    # given
    summary = summarise("shop", 8, 10.0, [float(n) for n in range(1, 201)], errors=2)

    # then
    assert summary.requests == 200
    assert summary.rps == pytest.approx(20.0)
    assert summary.p50_ms == pytest.approx(100.5)
    assert summary.max_ms == 200.0
    assert Summary.from_json(summary.to_json()) == summary


def test_shop_urls_use_only_the_three_biggest_clusters_with_valid_pages():
    # when
    requests = shop_requests(FACTS, _rng(3), count=300)

    # then
    assert len(requests) == 300
    slugs = {urlsplit(r.path).path.split("/")[2] for r in requests}
    assert slugs == {"biggest", "second", "third"}
    params = [parse_qs(urlsplit(r.path).query) for r in requests]
    assert any("sort" in p for p in params)
    assert any("category" in p or "region" in p or "price" in p for p in params)
    for request, p in zip(requests, params, strict=True):
        if "page" in p:
            cluster = next(
                c for c in FACTS["clusters"] if f"/{c['slug']}/" in request.path
            )
            assert 1 < int(p["page"][0]) <= -(-cluster["products"] // PER_PAGE)


def test_search_urls_include_macronless_words_and_typos():
    # when
    requests = search_requests(FACTS, _rng(1), count=40)

    # then
    queries = {parse_qs(urlsplit(r.path).query)["q"][0] for r in requests}
    assert {"kūmara", "kumara", "manuka", "avacado", "phrase 0"} <= queries
    assert set(TYPOS) <= queries
    assert len(requests) == 40
    assert all(r.path.startswith("/search/?q=") for r in requests)


def test_strip_macrons():
    assert strip_macrons("Kūmara Mānuka pāua") == "Kumara Manuka paua"


def test_url_sets_are_reproducible_and_sessions_start_apart():
    scenario = SCENARIOS["product"]

    first = scenario.sessions(FACTS, 4, seed=7)
    again = scenario.sessions(FACTS, 4, seed=7)

    assert [s.next_request() for s in first] == [s.next_request() for s in again]
    assert len({s.position for s in scenario.sessions(FACTS, 4, seed=7)}) > 1


def test_a_session_cycles_through_its_requests():
    session = Session([Request("/a/"), Request("/b/")], _rng(0))

    paths = [session.next_request().path for _ in range(4)]

    assert sorted(paths) == ["/a/", "/a/", "/b/", "/b/"]
    assert paths[0] != paths[1]


def test_every_scenario_builds_requests_from_the_facts():
    for scenario in SCENARIOS.values():
        sessions = scenario.sessions(FACTS, 2)
        assert all(s.next_request().path.startswith("/") for s in sessions)


def test_targets_pass_fail_or_do_not_apply():
    target = Target("search-c1", "p95", 50.0, 100_000)
    fast = summarise("search-c1", 1, 10.0, [10.0] * 100)
    slow = summarise("search-c1", 1, 10.0, [80.0] * 100)
    failing = summarise("search-c1", 1, 10.0, [10.0] * 100, errors=1)

    assert target.verdict(fast, 100_000).startswith("PASS")
    assert target.verdict(slow, 100_000).startswith("FAIL")
    assert target.verdict(failing, 100_000).startswith("FAIL")
    assert target.verdict(fast, 1000) == "n/a (SIZE < 100,000)"
    assert target.verdict(summarise("shop", 8, 1.0, [1.0]), 100_000) == ""
    concurrent = Target("shop", "p99", 100.0, 10_000, concurrency=8)
    assert concurrent.verdict(summarise("shop", 4, 1.0, [1.0]), 10_000).startswith(
        "n/a"
    )


def test_markdown_table_has_a_row_per_scenario_and_flags_errors():
    # given
    summaries = [
        summarise("shop", 8, 10.0, [50.0, 60.0, 70.0]),
        summarise("search-c1", 1, 10.0, [20.0, 30.0], errors=1, error_samples=["x"]),
    ]

    # when
    table = markdown_table(summaries, 100_000)

    # then
    lines = table.splitlines()
    assert lines[0].startswith(
        "| scenario | c | requests (distinct URLs) | errors | kept pages |"
    )
    assert len(lines) == 4
    assert lines[2] == (
        "| shop | 8 | 3 (0) | 0 | 0 % | 0.3 | — | 60.0 | 69.0 | 69.8 "
        "| PASS (p99 < 100 ms at c=8, SIZE ≥ 10,000) |"
    )  # no bare page measured in this run: no percentage
    assert "| **1** |" in lines[3]
    assert "FAIL" in lines[3]
    assert "ERRORS" in error_report(summaries)
    assert error_report(summaries[:1]) == ""


def test_each_page_is_a_percentage_of_the_bare_page_at_its_concurrency():
    # given: the bare page and two pages at c=8, one search at c=1
    summaries = [
        summarise("ceiling", 8, 10.0, [5.0] * 800),  # 80 req/s
        summarise("shop", 8, 10.0, [20.0] * 480),  # 48 req/s
        summarise("product", 8, 10.0, [30.0] * 200),  # 20 req/s
        summarise("search-c1", 1, 10.0, [30.0] * 100),
    ]
    # when
    rows = markdown_table(summaries, 10_000).splitlines()[2:]
    # then
    assert "| 80.0 | 100 % |" in rows[0]
    assert "| 48.0 | 60 % |" in rows[1]
    assert "| 20.0 | 25 % |" in rows[2]
    assert "| 10.0 | — |" in rows[3]  # another concurrency: not comparable


def test_the_table_says_how_many_answers_were_kept_pages():
    # given: 3 of 4 answers served from the page cache
    summary = summarise("product", 8, 1.0, [1.0] * 4, kept=3)
    # when
    row = markdown_table([summary], 1_000).splitlines()[2]
    # then
    assert "| 0 | 75 % | 4.0 |" in row
    assert Summary.from_json(summary.to_json()).kept == 3


def test_the_storefront_scenarios_ask_for_the_pages_shoppers_open():
    rng = random.Random(1)  # noqa: S311 - not secret
    paths = {
        name: {r.path for r in SCENARIOS[name].build(FACTS, rng)}
        for name in ("ceiling", "storefront", "category", "maker", "cart")
    }
    assert paths["ceiling"] == {"/__bench__/ceiling/"}
    assert all(p.startswith("/c/") and p.endswith("/") for p in paths["storefront"])
    assert any("/shop/?category=" in p for p in paths["category"])
    assert any("/members/" in p for p in paths["maker"])
    assert all(p.endswith("/cart/") for p in paths["cart"])


def test_a_checkout_session_adds_then_checks_out_and_measures_only_the_order() -> None:
    # given
    facts = {
        "checkout_variants": [["martinborough-fair", 41], ["martinborough-fair", 42]]
    }
    scenario = SCENARIOS["checkout"]
    (session,) = scenario.sessions(facts, 1)
    assert scenario.engines == frozenset({"postgres"})
    # when / then: the cart page first (cookies), not measured
    first = session.next_request()
    assert first.path == "/c/martinborough-fair/cart/"
    assert not first.measured
    session.on_response(
        first,
        200,
        {"set-cookie": "csrftoken=abc; Path=/\nsessionid=s1; HttpOnly"},
        b"",
    )
    add = session.next_request()
    assert add.method == "POST"
    assert add.path == "/api/v1/clusters/martinborough-fair/cart/lines"
    assert add.headers["X-CSRFToken"] == "abc"
    assert "sessionid=s1" in add.headers["Cookie"]
    assert not add.measured
    cart = {
        "groups": [
            {
                "member_id": 7,
                "options": [
                    {"method": "delivery", "event_id": None},
                    {"method": "pickup_event", "event_id": 3},
                ],
            },
            {"member_id": 8, "options": [{"method": "delivery", "event_id": None}]},
        ]
    }
    session.on_response(add, 201, {}, json.dumps(cart).encode())
    order = session.next_request()
    assert order.path == "/api/v1/clusters/martinborough-fair/checkout"
    assert order.measured
    assert b'"payment_method": "test"' in (order.body or b"")
    # a choice for every part, from the options the cart listed (nothing is
    # chosen for a shopper who sends none)
    assert json.loads(order.body or b"{}")["choices"] == {
        "7": {"method": "pickup_event", "event_id": 3},
        "8": {"method": "delivery", "event_id": None},
    }
    session.on_response(order, 201, {}, b"{}")
    # the next purchase adds another item
    again = session.next_request()
    assert again.path.endswith("/cart/lines")

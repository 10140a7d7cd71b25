"""Lighthouse (mobile, simulated throttling) on the storefront's page types, served as
the demo serves them. The bar (issue 13): performance at least 95, accessibility, best
practices and SEO 100. Each report is kept in test-results/lighthouse/ (CI artefacts).
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest
import requests

from .conftest import LIGHTHOUSE, ROOT, Demo

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REPORTS = ROOT / "test-results" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Performance on 2 shared cores is noisy (benchmarkIndex 950-1400): a page under
# the bar is measured once more before it fails. The other three are deterministic.
PERFORMANCE_BAR = 0.95
CHROME_FLAGS = " ".join(
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'",
    ]
)
# Lighthouse's own failures to record a run, whose message says to run it again
# (CI, 2026-12-07: "Something went wrong with recording the trace over your page
# load. Please run Lighthouse again. (NO_NAVSTART)" on the checkout, whose audits
# that did run all passed). Such a run is made once more; any other runtime error,
# or the same one twice, fails the test.
RUN_AGAIN = frozenset({"NO_NAVSTART"})
# Pages robots.txt keeps crawlers away from (purei/marketing/robots.py).
NOT_FOR_CRAWLERS = ("cart", "checkout")
PAGES = ("home", "finder", "shop", "product", "member", "cart", "checkout")


def _lighthouse(demo: Demo, page: str, *, again: bool = True) -> dict[str, Any]:
    REPORTS.mkdir(parents=True, exist_ok=True)
    # --output-path=X with two outputs writes X.report.json and X.report.html.
    written = REPORTS / f"{page}.report.json"
    written.unlink(missing_ok=True)  # not an earlier run's
    done = subprocess.run(  # noqa: S603 - the pinned Lighthouse, fixed arguments
        [
            str(LIGHTHOUSE),
            demo.base + demo.pages[page],
            "--output=json",
            "--output=html",
            f"--output-path={REPORTS / page}",
            "--quiet",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--extra-headers={json.dumps({'Cookie': demo.cookie})}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=False,
        capture_output=True,
        text=True,
        timeout=240,
    )
    report: dict[str, Any] = json.loads(written.read_text()) if written.exists() else {}
    error = report.get("runtimeError") or {}
    if again and error.get("code") in RUN_AGAIN:
        print(f"{page}: Lighthouse asked to be run again ({error['code']})")  # noqa: T201
        return _lighthouse(demo, page, again=False)
    assert done.returncode == 0, f"Lighthouse exited {done.returncode}: {done.stderr}"
    assert not error, error
    return report


def _scores(report: dict[str, Any]) -> dict[str, float]:
    return {c: report["categories"][c]["score"] for c in CATEGORIES}


def _failing(report: dict[str, Any], category: str) -> str:
    """The weighted audits that did not score full marks, with their values."""
    audits = report["audits"]
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("weight") and audit["score"] not in (None, 1):
            value = audit.get("displayValue") or audit["score"]
            failing.append(f"{ref['id']} ({value})")
    score = report["categories"][category]["score"]
    return f"{category} {score}: " + "; ".join(failing)


@pytest.mark.parametrize("page", PAGES)
def test_lighthouse_mobile(demo: Demo, page: str) -> None:
    report = _lighthouse(demo, page)
    if _scores(report)["performance"] < PERFORMANCE_BAR:
        report = _lighthouse(demo, page)
    print(f"{page}: {_scores(report)}")  # noqa: T201 - the figures, for the CI log
    assert report["finalDisplayedUrl"].endswith(demo.pages[page]), (
        f"{page} was redirected to {report['finalDisplayedUrl']}"
    )
    for category in ("accessibility", "best-practices"):
        assert _scores(report)[category] == 1, _failing(report, category)
    if page in NOT_FOR_CRAWLERS:
        # robots.txt keeps crawlers out of carts and checkouts (issue 14), and
        # Lighthouse's is-crawlable audit fails any page it blocks, by design:
        # that audit, and only that one, may fail here, and only for that reason.
        failing = [
            ref["id"]
            for ref in report["categories"]["seo"]["auditRefs"]
            if ref.get("weight")
            and report["audits"][ref["id"]]["score"] not in (None, 1)
        ]
        assert failing in ([], ["is-crawlable"]), _failing(report, "seo")
        robots = requests.get(demo.base + "/robots.txt", timeout=30).text
        assert f"Disallow: /c/*/{page}/" in robots
    else:
        assert _scores(report)["seo"] == 1, _failing(report, "seo")
    assert _scores(report)["performance"] >= PERFORMANCE_BAR, _failing(
        report, "performance"
    )

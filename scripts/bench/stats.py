"""The numbers of a benchmark run: percentiles, one scenario's summary, the tables."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile of ``values`` with linear interpolation between the
    closest ranks (numpy's default), so p50 of 1..100 is 50.5; NaN when empty."""
    if not 0 <= pct <= 100:
        raise ValueError(f"percentile must be within 0..100, not {pct}")
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Summary:
    """What one scenario measured: latencies in milliseconds, errors counted apart."""

    scenario: str
    concurrency: int
    duration_s: float
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    error_samples: tuple[str, ...] = field(default=())
    # Different URLs among the requests: far fewer than requests means a cache
    # keyed by URL could have answered many of them.
    distinct: int = 0
    # Answers served from the page cache (``X-Page-Cache: hit``).
    kept: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s > 0 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "concurrency": self.concurrency,
            "duration_s": self.duration_s,
            "requests": self.requests,
            "errors": self.errors,
            "p50_ms": self.p50_ms,
            "p95_ms": self.p95_ms,
            "p99_ms": self.p99_ms,
            "max_ms": self.max_ms,
            "error_samples": list(self.error_samples),
            "distinct": self.distinct,
            "kept": self.kept,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        return cls(
            scenario=str(data["scenario"]),
            concurrency=int(data["concurrency"]),
            duration_s=float(data["duration_s"]),
            requests=int(data["requests"]),
            errors=int(data["errors"]),
            p50_ms=float(data["p50_ms"]),
            p95_ms=float(data["p95_ms"]),
            p99_ms=float(data["p99_ms"]),
            max_ms=float(data["max_ms"]),
            error_samples=tuple(data.get("error_samples", ())),
            distinct=int(data.get("distinct", 0)),
            kept=int(data.get("kept", 0)),
        )


def summarise(
    scenario: str,
    concurrency: int,
    duration_s: float,
    latencies_ms: Sequence[float],
    errors: int = 0,
    error_samples: Sequence[str] = (),
    distinct: int = 0,
    kept: int = 0,
) -> Summary:
    """A summary of every request of a scenario (``latencies_ms`` includes the
    failed ones: an error is slow or fast like any other answer)."""
    return Summary(
        scenario=scenario,
        concurrency=concurrency,
        duration_s=duration_s,
        requests=len(latencies_ms),
        errors=errors,
        p50_ms=percentile(latencies_ms, 50),
        p95_ms=percentile(latencies_ms, 95),
        p99_ms=percentile(latencies_ms, 99),
        max_ms=max(latencies_ms) if latencies_ms else math.nan,
        error_samples=tuple(error_samples),
        distinct=distinct,
        kept=kept,
    )


@dataclass(frozen=True)
class Target:
    """A promise from the issue, checked against one scenario's percentile."""

    scenario: str
    metric: str  # "p50", "p95" or "p99"
    limit_ms: float
    min_size: int  # the catalogue size the promise is made for (and above)
    concurrency: int | None = None  # the concurrency it is made for, if any

    @property
    def label(self) -> str:
        at = f" at c={self.concurrency}" if self.concurrency else ""
        return f"{self.metric} < {self.limit_ms:g} ms{at}, SIZE ≥ {self.min_size:,}"

    def verdict(self, summary: Summary, size: int) -> str:
        """``PASS``, ``FAIL``, or why the promise does not apply to this run."""
        if summary.scenario != self.scenario:
            return ""
        if size < self.min_size:
            return f"n/a (SIZE < {self.min_size:,})"
        if self.concurrency is not None and summary.concurrency != self.concurrency:
            return f"n/a (c ≠ {self.concurrency})"
        value = float(getattr(summary, f"{self.metric}_ms"))
        passed = summary.errors == 0 and value < self.limit_ms
        return f"{'PASS' if passed else 'FAIL'} ({self.label})"


TARGETS: tuple[Target, ...] = (
    Target("search-c1", "p95", 50.0, 100_000),
    Target("shop", "p99", 100.0, 10_000, concurrency=8),
)


def _ms(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.1f}"


# The bare page every other page is measured against (scripts/bench/scenarios.py).
CEILING = "ceiling"


def markdown_table(
    summaries: Sequence[Summary], size: int, targets: Sequence[Target] = TARGETS
) -> str:
    """One Markdown table of a run's scenarios, with the targets' verdicts."""
    ceiling = next((s for s in summaries if s.scenario == CEILING and s.rps), None)
    lines = [
        "| scenario | c | requests (distinct URLs) | errors | kept pages | req/s "
        "| % of bare page | p50 ms | p95 ms | p99 ms | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for summary in summaries:
        share = (
            f"{100 * summary.rps / ceiling.rps:.0f} %"
            if ceiling and summary.concurrency == ceiling.concurrency
            else "—"
        )
        verdicts = "; ".join(
            text for target in targets if (text := target.verdict(summary, size))
        )
        errors = f"**{summary.errors}**" if summary.errors else "0"
        kept = (
            f"{100 * summary.kept / summary.requests:.0f} %"
            if summary.requests
            else "—"
        )
        lines.append(
            f"| {summary.scenario} | {summary.concurrency} | {summary.requests} "
            f"({summary.distinct}) "
            f"| {errors} | {kept} | {summary.rps:.1f} | {share} "
            f"| {_ms(summary.p50_ms)} | {_ms(summary.p95_ms)} "
            f"| {_ms(summary.p99_ms)} | {verdicts} |"
        )
    return "\n".join(lines)


def error_report(summaries: Sequence[Summary]) -> str:
    """A loud paragraph when any scenario had errors, else an empty string."""
    failing = [s for s in summaries if s.errors]
    if not failing:
        return ""
    lines = ["**ERRORS: this run is not a valid measurement.**"]
    for summary in failing:
        samples = ", ".join(summary.error_samples) or "no sample"
        lines.append(
            f"- {summary.scenario}: {summary.errors} of {summary.requests} requests "
            f"failed (e.g. {samples})"
        )
    return "\n".join(lines)

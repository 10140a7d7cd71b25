"""The load generator: standard library only, run in its own process.

``python -m scripts.bench.load --base http://127.0.0.1:8765 --facts FACTS.json
--scenario shop --concurrency 8 --duration 10`` prints one JSON summary on stdout.

One thread per connection (``http.client``, kept alive when the server allows it;
gunicorn's sync workers close after each answer and the connection reopens). After a
warm-up whose requests are not counted, every request started within the measured
window is timed from sending to the last byte of the body; an answer outside the
scenario's ``ok_statuses`` (or no answer) is an error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scripts.bench.scenarios import SCENARIOS, Facts, Scenario, Session
from scripts.bench.stats import Summary, summarise

MAX_ERROR_SAMPLES = 5


@dataclass
class _Record:
    latencies_ms: list[float] = field(default_factory=list)
    paths: set[str] = field(default_factory=set)
    errors: int = 0
    kept: int = 0  # served from the page cache (X-Page-Cache: hit)
    error_samples: list[str] = field(default_factory=list)


def _headers(response: http.client.HTTPResponse) -> dict[str, str]:
    """The answer's headers; repeated ones (Set-Cookie) joined by newlines."""
    headers: dict[str, str] = {}
    for name, value in response.getheaders():
        key = name.lower()
        headers[key] = f"{headers[key]}\n{value}" if key in headers else value
    return headers


def _worker(
    host: str,
    port: int,
    session: Session,
    ok: frozenset[int],
    measure_from: float,
    stop_at: float,
    record: _Record,
) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=60)
    try:
        while (started := time.perf_counter()) < stop_at:
            request = session.next_request()
            status, problem, hit = 0, "", False
            try:
                connection.request(
                    request.method,
                    request.path,
                    body=request.body,
                    headers=dict(request.headers),
                )
                response = connection.getresponse()
                body = response.read()
                status = response.status
                hit = response.getheader("X-Page-Cache") == "hit"
                session.on_response(request, status, _headers(response), body)
            except (OSError, http.client.HTTPException) as error:
                problem = type(error).__name__
                connection.close()
            elapsed_ms = (time.perf_counter() - started) * 1000
            if started < measure_from:
                continue
            if request.measured:
                record.latencies_ms.append(elapsed_ms)
                record.paths.add(request.path)
                record.kept += hit
            if status not in ok:
                record.errors += 1
                if len(record.error_samples) < MAX_ERROR_SAMPLES:
                    record.error_samples.append(
                        f"{request.method} {request.path} → {status or problem}"
                    )
    finally:
        connection.close()


def prime(
    host: str,
    port: int,
    scenario: Scenario,
    facts: Facts,
    concurrency: int,
    passes: int,
) -> None:
    """Warm the caches: every URL the scenario asks for, ``passes`` times over (a
    per-process cache needs each URL once in each server process; which process
    answers is the kernel's choice). Only for plain GET scenarios."""
    if scenario.session is not Session or passes <= 0:
        return
    paths = sorted({r.path for r in scenario.build(facts, random.Random(1))})  # noqa: S311
    todo = queue.SimpleQueue[str]()
    for _ in range(passes):
        for path in paths:
            todo.put(path)

    def fetch() -> None:
        connection = http.client.HTTPConnection(host, port, timeout=60)
        try:
            while True:
                try:
                    path = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    connection.request("GET", path)
                    connection.getresponse().read()
                except (OSError, http.client.HTTPException):
                    connection.close()
        finally:
            connection.close()

    threads = [threading.Thread(target=fetch, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run(
    *,
    base: str,
    scenario: Scenario,
    facts: Facts,
    concurrency: int,
    duration: float,
    warmup: float = 1.5,
    seed: int = 1,
    passes: int = 0,
) -> Summary:
    """Load ``base`` with ``scenario`` for ``warmup`` + ``duration`` seconds
    (after ``passes`` priming passes over its URLs, not counted)."""
    address = urlsplit(base)
    host, port = address.hostname or "127.0.0.1", address.port or 80
    prime(host, port, scenario, facts, concurrency, passes)
    sessions = scenario.sessions(facts, concurrency, seed=seed)
    records = [_Record() for _ in sessions]
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + duration
    threads = [
        threading.Thread(
            target=_worker,
            args=(
                host,
                port,
                session,
                scenario.ok_statuses,
                measure_from,
                stop_at,
                record,
            ),
            daemon=True,
        )
        for session, record in zip(sessions, records, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples = [text for record in records for text in record.error_samples]
    return summarise(
        scenario.name,
        concurrency,
        duration,
        [ms for record in records for ms in record.latencies_ms],
        errors=sum(record.errors for record in records),
        error_samples=samples[:MAX_ERROR_SAMPLES],
        distinct=len(set().union(*(record.paths for record in records))),
        kept=sum(record.kept for record in records),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--facts", type=Path, required=True)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--prime", type=int, default=0, help="passes over every URL first (warm)"
    )
    args = parser.parse_args(argv)
    scenario = SCENARIOS[args.scenario]
    facts: dict[str, Any] = json.loads(args.facts.read_text())
    summary = run(
        base=args.base,
        scenario=scenario,
        facts=facts,
        concurrency=scenario.concurrency or args.concurrency,
        duration=args.duration,
        warmup=args.warmup,
        seed=args.seed,
        passes=args.prime,
    )
    sys.stdout.write(json.dumps(summary.to_json()) + "\n")


if __name__ == "__main__":
    main()

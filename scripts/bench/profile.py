"""Where a page's time goes: per-query timings, query plans and a cProfile.

``python -m scripts.bench.profile --url "/search/?q=kumara"`` with the bench's
``DATABASE_URL`` (and ``PUREI_DATA_DIR``) set, e.g.::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/purei_bench_100000 \\
    PUREI_DATA_DIR=data/bench .venv/bin/python -m scripts.bench.profile \\
        --url "/search/?q=kumara" --explain

It requests the URL in-process through ``django.test.Client`` (production settings),
a few times to warm up, then once more capturing every SQL query with its time; with
``--explain`` each query's plan (``EXPLAIN ANALYZE`` on PostgreSQL, ``EXPLAIN QUERY
PLAN`` on SQLite); with ``--profile`` the top functions of a cProfile of one request.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purei.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

HOST = "127.0.0.1"


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def explain(sql: str) -> str:
    """The plan of one captured query (its parameters already inlined by Django's
    debug cursor on both engines)."""
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        rows = cursor.fetchall()
    return "\n".join(" | ".join(str(col) for col in row) for row in rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    client = Client(HTTP_HOST=HOST)
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        response = client.get(args.url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{args.url} answered {response.status_code}")
    timings.sort()
    say(
        f"{args.url} on {connection.vendor}: {args.repeat} requests in-process, "
        f"min {timings[0]:.1f} ms, median {timings[len(timings) // 2]:.1f} ms"
    )
    with CaptureQueriesContext(connection) as captured:
        client.get(args.url)
    total = sum(float(q["time"]) for q in captured.captured_queries) * 1000
    say(f"{len(captured.captured_queries)} queries, {total:.1f} ms in SQL:\n")
    for number, query in enumerate(captured.captured_queries, 1):
        say(f"-- query {number}: {float(query['time']) * 1000:.1f} ms")
        say(query["sql"])
        if args.explain and query["sql"].lstrip().upper().startswith("SELECT"):
            say(explain(query["sql"]))
        say()
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(args.url)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(args.top)
        say(out.getvalue())


if __name__ == "__main__":
    main()

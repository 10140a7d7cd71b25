"""The national catalogue: generate it with COPY, then measure search and shop.

``python -m scripts.bench.national --products 1000000 --clusters 200 --members 20000``
drops and makes the PostgreSQL database ``purei_national_<products>`` (or
``--database NAME``) on 127.0.0.1:5432, migrates it, loads the demo seed, writes
the rest with ``COPY`` (``scripts.bench.bulk``), indexes every product with the
project's own indexing functions, writes the facts file the load scenarios read
(``data/bench/facts-national-<products>.json``) and prints the rows and rates per
table and the database's size.

``--bench`` then (or alone, with ``--reuse``) serves the database with gunicorn
(``WEB_CONCURRENCY`` workers, 2) and runs ``search-c1`` (one shopper) and
``shop`` (eight): *cold* is a fresh server's first pass (its page cache empty, no
warm-up), *warm* the same requests again, *primed* once more after every URL of
the scenario was asked for (as ``make bench`` warms: once with ``REDIS_URL``,
several passes without); *cache off* is a fresh server with
``SEARCH_CACHE_SECONDS=0`` and ``PAGE_CACHE_SECONDS=0`` after a 1.5 s warm-up.
PostgreSQL's own buffers are not emptied (the server is shared). ``--drop`` drops
the database at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from scripts.bench.__main__ import (
    BENCH_DIR,
    BIN,
    PG_URL,
    ROOT,
    load,
    machine_facts,
    server_env,
    stop,
    wait_until_up,
)
from scripts.bench.stats import Summary

# The result caches and the kept pages off: every request does the whole work.
# (Until 2026-12-07 only SEARCH_CACHE_SECONDS was set, so kept pages still
# answered repeated URLs in the *cache off* runs: with a Redis shared by the
# runs, nearly every one.)
CACHES_OFF = {"SEARCH_CACHE_SECONDS": "0", "PAGE_CACHE_SECONDS": "0"}

# (scenario, concurrency, the target's percentile and its limit in ms)
RUNS = (("search-c1", 1, "p95", 100.0), ("shop", 8, "p99", 150.0))


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


# Migrated, with the demo seed: each national database is a copy of it (the
# seed takes minutes; a copy seconds).
TEMPLATE = "purei_national_seed"


def _exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        return bool(
            conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
        )


def fresh_database(name: str) -> None:
    """Drop ``name`` and make it again as a copy of ``TEMPLATE`` (made first,
    in a process of its own, when missing or made by another commit)."""
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Not a database name: {name!r}")
    if not _exists(TEMPLATE):
        _admin(f'CREATE DATABASE "{TEMPLATE}"')
        subprocess.run(  # noqa: S603 - the venv's Python, our module
            [str(BIN / "python"), "-m", "scripts.bench.national", "--seed-only"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": f"{PG_URL}/{TEMPLATE}"},
            check=True,
        )
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')


def seed_only() -> None:
    """The template's migrations and demo seed (``--seed-only``)."""
    started = time.perf_counter()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purei.settings")
    import django

    django.setup()
    from scripts.bench import bulk

    bulk.demo_seed_loaded()
    say(f"{TEMPLATE}: migrated and seeded in {time.perf_counter() - started:.0f} s.")


def generate(args: argparse.Namespace, facts_path: Path) -> dict[str, Any]:
    """Runs in this process with Django set up for ``args.database``."""
    started = time.perf_counter()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purei.settings")
    import django

    django.setup()
    from django.db import connection

    from scripts.bench import bulk, generate

    bulk.demo_seed_loaded()
    seeded = time.perf_counter()
    say(f"Migrated and seeded in {seeded - started:.1f} s.")
    tables = bulk.national_generate(
        products=args.products,
        clusters=args.clusters,
        members=args.members,
        chunk=args.chunk,
    )
    written = time.perf_counter()
    facts = generate.facts(args.products, written - started)
    facts_done = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        (size,) = cursor.fetchone()
    facts["national"] = {
        "seconds": {
            "seed": round(seeded - started, 1),
            "generate": round(written - seeded, 1),
            "facts": round(facts_done - written, 1),
        },
        "tables": tables.report(),
        "database_bytes": size,
        "load_average": os.getloadavg(),
    }
    generate.write_facts(facts_path, facts)
    say(
        f"\n{args.products:,} products: seed {seeded - started:.0f} s, generation "
        f"{written - seeded:.0f} s, facts {facts_done - written:.0f} s; database "
        f"{size / 2**20:,.0f} MiB; load average {os.getloadavg()[0]:.1f}.\n"
    )
    say("| table | rows | seconds | rows/s |\n|---|---:|---:|---:|")
    for row in tables.report():
        say(
            f"| {row['table']} | {_number(row['rows'])} | {row['seconds']} | "
            f"{_number(row['rows_per_second'])} |"
        )
    return facts


def facts_only(args: argparse.Namespace, facts_path: Path) -> None:
    """The facts file of a database as it is (``--reuse`` without one)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "purei.settings")
    import django

    django.setup()
    from purei.catalogue.models import Product
    from scripts.bench import generate

    count = Product.objects.count()
    generate.write_facts(facts_path, generate.facts(count, 0.0))
    say(f"Facts of {args.database} as it is: {count:,} products.")


def _schedstat(pid: int) -> int:
    """Nanoseconds of CPU ``pid`` has run (Linux ``/proc/<pid>/schedstat``)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])


def cpu_costs(args: argparse.Namespace, facts_path: Path) -> list[dict[str, Any]]:
    """Each scenario's requests, one at a time in this process (Django's test
    client, the production settings, the caches off): the CPU time
    each took, this process's and its PostgreSQL backend's. Unlike latency on
    a shared machine, it does not grow with the load others put on the cores."""
    os.environ.update(server_env(f"{PG_URL}/{args.database}", args.port))
    os.environ.update(CACHES_OFF)
    collect_static(dict(os.environ))  # the pages name their hashed static files
    import random

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from purei.catalogue.models import Product
    from scripts.bench.scenarios import search_requests, shop_requests
    from scripts.bench.stats import percentile

    facts = json.loads(facts_path.read_text())
    client = Client(HTTP_HOST="127.0.0.1")
    products = Product.objects.count()  # a database being written has more
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    rows = []
    for name, requests in (
        ("search", search_requests(facts, random.Random(1))),  # noqa: S311
        ("shop", shop_requests(facts, random.Random(1))),  # noqa: S311
    ):
        costs, walls, failed = [], [], 0
        for number, request in enumerate(requests[: args.cpu + 5]):
            before = time.process_time_ns() + _schedstat(backend)
            started = time.perf_counter()
            status = client.get(request.path).status_code
            wall = (time.perf_counter() - started) * 1000
            cost = (time.process_time_ns() + _schedstat(backend) - before) / 1e6
            failed += status != 200
            if number >= 5:  # the first few warm Python's own caches
                costs.append(cost)
                walls.append(wall)
        row = {
            "products": products,
            "scenario": name,
            "requests": len(costs),
            "cpu_p50_ms": round(percentile(costs, 50), 1),
            "cpu_p95_ms": round(percentile(costs, 95), 1),
            "cpu_p99_ms": round(percentile(costs, 99), 1),
            "wall_p95_ms": round(percentile(walls, 95), 1),
            "errors": failed,
            "load_average": round(os.getloadavg()[0], 2),
        }
        say(
            f"| {row['products']:,} | {name} | {row['requests']} | "
            f"{row['cpu_p50_ms']} | {row['cpu_p95_ms']} | {row['cpu_p99_ms']} | "
            f"{row['wall_p95_ms']} | {failed} | {row['load_average']} |"
        )
        rows.append(row)
    return rows


def collect_static(env: dict[str, str]) -> None:
    """The static files the production settings' pages name, collected into the
    bench's data directory (a fresh clone has none there)."""
    collect = ("collectstatic", "--no-input", "-v", "0")
    subprocess.run(  # noqa: S603 - the venv's Python
        [str(BIN / "python"), "-m", "purei.cli", *collect],
        cwd=ROOT,
        env=env,
        check=True,
    )


def _number(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as stream:
        server = subprocess.Popen(  # noqa: S603 - our own console script
            [str(BIN / "purei"), "serve"],
            cwd=ROOT,
            env={**env, "ACCESS_LOG": ""},
            stdout=subprocess.DEVNULL,
            stderr=stream,
        )
    wait_until_up(f"http://127.0.0.1:{port}", server, timeout=120)
    return server


def bench(args: argparse.Namespace, facts_path: Path) -> list[dict[str, Any]]:
    """Cold, warm and cache-off runs of each of ``RUNS``; one row each."""
    url = f"{PG_URL}/{args.database}"
    port = args.port
    env = server_env(url, port)
    collect_static(env)
    base = f"http://127.0.0.1:{port}"
    log = BENCH_DIR / "server-national.log"
    # what the database holds (a stopped run holds fewer than --products)
    products = json.loads(facts_path.read_text())["products"]
    # *primed*: every URL of the scenario asked for first, as ``make bench`` warms
    # its pages (once with a cache the processes share, REDIS_URL; else several
    # passes, as each process keeps its own).
    primed = 1 if env.get("REDIS_URL") else 3 * int(env["WEB_CONCURRENCY"]) + 1
    rows = []
    for name, concurrency, percentile, limit in RUNS:
        runs: list[tuple[str, dict[str, str], float | None, int]] = [
            ("cold", {}, 0.0, 0),
            ("warm", {}, None, 0),
            ("primed", {}, None, primed),
            ("cache off", CACHES_OFF, None, 0),
        ]
        server = None
        for mode, extra, warmup, prime in runs:
            if server is None or extra:
                if server is not None:
                    stop(server)
                server = _serve({**env, **extra}, port, log)
            load1 = os.getloadavg()[0]
            summary: Summary = load(
                base, facts_path, name, concurrency, args.duration, warmup, prime
            )
            value = getattr(summary, f"{percentile}_ms")
            row = {
                "products": products,
                "scenario": name,
                "concurrency": concurrency,
                "mode": mode,
                "requests": summary.requests,
                "rps": round(summary.rps, 1),
                "p50_ms": round(summary.p50_ms, 1),
                "p95_ms": round(summary.p95_ms, 1),
                "p99_ms": round(summary.p99_ms, 1),
                "target": f"{percentile} < {limit:g} ms",
                "met": value < limit,
                "errors": summary.errors,
                "load_average": round(load1, 2),
            }
            rows.append(row)
            say(
                f"  {name} c={concurrency} {mode}: {summary.requests} requests, "
                f"p50 {summary.p50_ms:.0f} / p95 {summary.p95_ms:.0f} / p99 "
                f"{summary.p99_ms:.0f} ms, {summary.errors} errors (load {load1:.1f})"
            )
        if server is not None:
            stop(server)
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| products | scenario | c | run | requests | req/s | p50 ms | p95 ms | "
        "p99 ms | target | met | errors | load |",
        "|---:|---|---:|---|---:|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    lines += [
        f"| {r['products']:,} | {r['scenario']} | {r['concurrency']} | {r['mode']} "
        f"| {r['requests']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | "
        f"{r['p99_ms']} | {r['target']} | {'yes' if r['met'] else 'no'} | "
        f"{r['errors']} | {r['load_average']} |"
        for r in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--clusters", type=int, default=200)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--database", default="")
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--reuse", action="store_true", help="do not generate")
    parser.add_argument(
        "--resume", action="store_true", help="add products to the database up to N"
    )
    parser.add_argument("--bench", action="store_true", help="serve and measure")
    parser.add_argument("--drop", action="store_true", help="drop the database after")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument(
        "--cpu", type=int, default=0, help="CPU time of N requests per scenario"
    )
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_only:
        seed_only()
        return
    args.database = args.database or f"purei_national_{args.products}"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    facts_path = BENCH_DIR / f"facts-national-{args.products}.json"
    say("\n".join(machine_facts()))
    os.environ["PUREI_DATA_DIR"] = str(BENCH_DIR)  # the seed's photos
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ["DATABASE_URL"] = f"{PG_URL}/{args.database}"
    if not args.reuse:
        if not args.resume:
            fresh_database(args.database)
        generate(args, facts_path)
    elif not facts_path.exists():  # a run stopped before its facts were written
        facts_only(args, facts_path)
    if args.cpu:
        say(
            "| products | scenario | requests | CPU p50 ms | CPU p95 ms | CPU p99 ms "
            "| wall p95 ms | errors | load |\n"
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
        )
        cpu_costs(args, facts_path)
    if args.bench:
        rows = bench(args, facts_path)
        say("\n" + markdown(rows))
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        out = BENCH_DIR / f"national-{args.products}-{stamp}.json"
        out.write_text(json.dumps(rows, indent=1))
    if args.drop:
        _admin(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        say(f"Dropped {args.database}.")


if __name__ == "__main__":
    main()

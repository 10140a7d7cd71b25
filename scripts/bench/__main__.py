"""The runner behind ``make bench``: generate, serve, load, report.

For each engine in ``ENGINES`` (default ``sqlite,postgres``): make or reuse the bench
database for ``SIZE`` products (SQLite ``data/bench-<size>.sqlite3``, PostgreSQL
``purei_bench_<size>`` on 127.0.0.1:5432 as user postgres), collect the static files,
start ``purei serve`` (gunicorn, production settings) on ``PORT`` (8765) with
``WEB_CONCURRENCY`` workers (2), run every scenario from a separate load-generator
process (``CONCURRENCY`` 8, ``DURATION`` 10 s each after a warm-up), stop the server,
and print one Markdown table per engine with the machine's facts and the targets.
``SCENARIOS=shop,search`` runs only those. ``BENCH_CACHES`` (``both``) runs each
engine with the result and page caches on, warm (every URL of a scenario primed
first: once with ``REDIS_URL`` set, else 3 x ``WEB_CONCURRENCY`` + 1 passes, as each
server process keeps its own cache),
then ``off``; ``on`` or ``off`` runs one of them. The table's "kept pages" column
is the share of answers served from the page cache. Results are also kept as JSON in
``data/bench/``. Tasks (a checkout's emails and webhooks) go through the database
backend as in production, worked by one ``purei worker`` on the same cores
(``BENCH_TASKS=immediate`` runs them inside each request instead, as before issue
16); the run says how many were still queued at its end.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from scripts.bench.scenarios import SCENARIOS
from scripts.bench.stats import TARGETS, Summary, error_report, markdown_table

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DATA = ROOT / "data"
BENCH_DIR = DATA / "bench"  # PUREI_DATA_DIR of the bench: media, static, results
PG_URL = "postgres://postgres@127.0.0.1:5432"


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


def database_url(engine: str, size: int) -> str:
    if engine == "sqlite":
        return f"sqlite:///{DATA / f'bench-{size}.sqlite3'}"
    if engine == "postgres":
        ensure_postgres_database(f"purei_bench_{size}")
        return f"{PG_URL}/purei_bench_{size}"
    raise SystemExit(f"Unknown engine {engine!r}: sqlite or postgres.")


def ensure_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')  # name built from an int


def server_env(url: str, port: int, *, caches: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    if not caches:  # the result and page caches off: every page rendered afresh
        env.update(SEARCH_CACHE_SECONDS="0", PAGE_CACHE_SECONDS="0")
    env.update(
        DJANGO_SETTINGS_MODULE="purei.settings",
        DATABASE_URL=url,
        PUREI_DATA_DIR=str(BENCH_DIR),
        PORT=str(port),
        SITE_URL=f"http://127.0.0.1:{port}",
        WEB_CONCURRENCY=_env("WEB_CONCURRENCY", "2"),
        SECURE_COOKIES="false",
        BENCH_CEILING="true",
        # BENCH_TASKS: "database" (the default, as in production) queues the
        # emails and webhooks a checkout enqueues after commit, and one
        # ``purei worker`` beside the server works them on the same cores;
        # "immediate" runs them inside the request, as the bench did before issue 16.
        TASKS_BACKEND=_env("BENCH_TASKS", "database"),
        LOG_LEVEL="WARNING",
        DEBUG="false",
        PAYMENTS_TEST_GATEWAY="true",  # the checkout run pays with the test card
        # Room in each process's cache for every page a run primes (thousands of
        # shop, search and product pages, their results and cards).
        CACHE_MAX_ENTRIES=_env("CACHE_MAX_ENTRIES", "200000"),
    )
    return env


def _python(*args: str, env: dict[str, str]) -> None:
    command = [str(BIN / "python"), *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - the venv


def wait_until_up(base: str, server: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped (exit {server.returncode}).")
        try:
            with urllib.request.urlopen(f"{base}/", timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"The server did not answer on {base} within {timeout:.0f} s.")


def stop(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to gunicorn's master (``purei serve`` execs it): workers finish."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def tasks_waiting(env: dict[str, str]) -> int:
    """How many queued tasks the worker had not started (the backlog a run left)."""
    output = subprocess.run(  # noqa: S603 - the venv's Python, our module
        [
            str(BIN / "python"),
            "-c",
            "import django; django.setup(); "
            "from django_tasks_db.models import DBTaskResult; "
            "print(DBTaskResult.objects.filter(status='READY').count())",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(output.stdout.strip().splitlines()[-1])


def load(
    base: str,
    facts: Path,
    name: str,
    concurrency: int,
    duration: float,
    warmup: float | None = None,
    prime: int = 0,
) -> Summary:
    """One scenario from a separate load-generator process (``warmup`` seconds
    not counted first: load.py's own default when None; 0 for a cold run;
    ``prime`` passes over every URL before that, for warm caches)."""
    extra = [] if warmup is None else ["--warmup", str(warmup)]
    extra += ["--prime", str(prime)]
    output = subprocess.run(  # noqa: S603 - the venv's Python, our module
        [
            str(BIN / "python"),
            "-m",
            "scripts.bench.load",
            "--base",
            base,
            "--facts",
            str(facts),
            "--scenario",
            name,
            "--concurrency",
            str(concurrency),
            "--duration",
            str(duration),
            *extra,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return Summary.from_json(json.loads(output.stdout))


def machine_facts() -> list[str]:
    import django

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    load1, load5, _load15 = os.getloadavg()
    return [
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {os.cpu_count()} cores, {platform.machine()}, "
        f"{platform.system()} {platform.release()}; load average before the run "
        f"{load1:.2f} (1 min) / {load5:.2f} (5 min)",
        f"- Python {platform.python_version()}, Django {django.get_version()}, "
        f"commit {commit or 'unknown'}",
    ]


def bench_engine(
    engine: str,
    size: int,
    names: list[str],
    concurrency: int,
    duration: float,
    port: int,
    caches: bool = True,
) -> list[Summary]:
    url = database_url(engine, size)
    env = server_env(url, port, caches=caches)
    facts = BENCH_DIR / f"facts-{engine}-{size}.json"
    mode = "caches on, warm" if caches else "result and page caches off"
    say(f"\n### {engine}, SIZE={size:,}, {mode}\n")
    # Warm: every URL of a scenario asked for before the warm-up and the timing;
    # once with a shared cache (REDIS_URL), else several times over, as each
    # server process keeps its own and the kernel picks the process that answers.
    passes = (
        1 if env.get("REDIS_URL") else 3 * int(env["WEB_CONCURRENCY"]) + 1
    ) * caches
    _python(
        "-m",
        "scripts.bench.generate",
        "--size",
        str(size),
        "--facts",
        str(facts),
        env=env,
    )
    facts_data: dict[str, Any] = json.loads(facts.read_text())
    _python("-m", "purei.cli", "collectstatic", "--no-input", "-v", "0", env=env)
    base = f"http://127.0.0.1:{port}"
    log = (BENCH_DIR / f"server-{engine}.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 - our own console script
        [str(BIN / "purei"), "serve"],
        cwd=ROOT,
        env={**env, "ACCESS_LOG": ""},  # no access log: it costs time, not truth
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    worker = None
    if env["TASKS_BACKEND"] == "database":
        worker = subprocess.Popen(  # noqa: S603 - our own console script
            [str(BIN / "purei"), "worker", "--queue-name", "*", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,  # the console backend's emails
            stderr=log,
        )
    summaries = []
    try:
        wait_until_up(base, server, timeout=60)
        for name in names:
            scenario = SCENARIOS[name]
            if not scenario.runs_on(engine):
                continue
            summary = load(
                base,
                facts,
                name,
                scenario.concurrency or concurrency,
                duration,
                prime=passes,
            )
            say(
                f"  {name}: {summary.requests} requests, {summary.rps:.1f} req/s, "
                f"p99 {summary.p99_ms:.1f} ms, {summary.errors} errors"
            )
            summaries.append(summary)
    finally:
        stop(server)
        backlog = tasks_waiting(env) if worker is not None else None
        if worker is not None:
            stop(worker)
        log.close()
    if backlog is not None:
        say(f"  tasks still queued when the last scenario ended: {backlog}")
    say(
        f"\n{engine} ({mode}): {facts_data['products']:,} products, "
        f"{facts_data['public_listings']:,} public listings in "
        f"{len(facts_data['clusters'])} clusters; gunicorn "
        f"{env['WEB_CONCURRENCY']} workers; c={concurrency}, {duration:g} s per "
        "scenario after a 1.5 s warm-up.\n"
    )
    say(markdown_table(summaries, size))
    if report := error_report(summaries):
        say(f"\n{report}")
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
    results = BENCH_DIR / f"results-{engine}-{size}-{mode[:6].strip(',')}-{stamp}.json"
    results.write_text(
        json.dumps(
            {
                "engine": engine,
                "size": size,
                "caches": caches,
                "facts": {k: v for k, v in facts_data.items() if k != "product_paths"},
                "summaries": [s.to_json() for s in summaries],
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    return summaries


def main() -> None:
    size = int(_env("SIZE", "1000"))
    engines = [e.strip() for e in _env("ENGINES", "sqlite,postgres").split(",") if e]
    names = [n.strip() for n in _env("SCENARIOS", ",".join(SCENARIOS)).split(",") if n]
    unknown = [name for name in names if name not in SCENARIOS]
    if unknown:
        raise SystemExit(f"Unknown scenarios {unknown}; known: {list(SCENARIOS)}")
    concurrency = int(_env("CONCURRENCY", "8"))
    duration = float(_env("DURATION", "10"))
    port = int(_env("BENCH_PORT", "8765"))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    say(f"## make bench: SIZE={size:,}, engines {', '.join(engines)}\n")
    facts = machine_facts()
    say("\n".join(facts))
    failed = False
    modes = {"on": [True], "off": [False], "both": [True, False]}.get(
        _env("BENCH_CACHES", "both")
    )
    if modes is None:
        raise SystemExit("BENCH_CACHES is on, off or both.")
    for engine in engines:
        for caches in modes:
            summaries = bench_engine(
                engine, size, names, concurrency, duration, port, caches=caches
            )
            failed |= any(s.errors for s in summaries)
    say("\nTargets: " + "; ".join(f"{t.scenario} {t.label}" for t in TARGETS) + ".")
    if failed:
        say("\n**Some requests failed: see the ERRORS above.**")
        raise SystemExit(1)


if __name__ == "__main__":
    main()

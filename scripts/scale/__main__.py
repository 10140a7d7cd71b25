"""``make scale-demo``: start Pūrei's production topology on this machine as plain
processes, load it with locust while parts of it are killed, verify the books, print
the figures, and stop everything it started (docs/scaling.md).

The topology: nginx in front of ``APP_PROCESSES`` gunicorn processes (``WEB_WORKERS``
workers each), PgBouncer (transaction mode) in front of a PostgreSQL primary with a
streaming replica (the storefront reads there), Redis (cache, sessions, rate limits
and the RQ task queue), ``TASK_WORKERS`` RQ workers, SeaweedFS (S3) for media, and a
real SMTP server that keeps every email. All on ports of their own, under
``data/scale/``, started fresh each run.

The phases (``PHASE_SECONDS`` each, ``USERS`` locust users; see the locustfile):

1. checkout: buyers only (orders per second);
2. storefront on one app process, then on all of them (pages per second);
3. mixed load (buyers, browsers, members setting stock, an admin running payouts)
   while: one app process is killed and restarted; one task worker is killed in the
   middle of a task; the replica is stopped (and started again after); Redis is
   restarted.

Then the queue is drained and ``purei verify_books`` checks the journals, invoice
numbers, every order and the stock; every order's confirmation email must have been
sent exactly once.

``SHORT=1`` (CI): the demo seeded without its past orders and no products
generated (``SIZE`` 0), one app process, one task worker, one 60-second mixed
phase in which one of the app's workers is killed, then the verification.
"""

from __future__ import annotations

import contextlib
import csv
import json
import mailbox
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scripts.scale import seaweedfs, services
from scripts.scale.procs import BIN, ROOT, Supervisor, say, wait_for

DATA = ROOT / "data" / "scale"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


@dataclass
class Config:
    short: bool = field(default_factory=lambda: os.environ.get("SHORT") == "1")
    # Products in all (the demo's seed, then generated ones); 0: the seed's alone
    # (SHORT's default: CI's run needs orders, not a big catalogue).
    size: int = field(
        default_factory=lambda: _int(
            "SIZE", 0 if os.environ.get("SHORT") == "1" else 1000
        )
    )
    users: int = field(default_factory=lambda: _int("USERS", 16))
    phase_seconds: int = field(default_factory=lambda: _int("PHASE_SECONDS", 30))
    app_processes: int = field(default_factory=lambda: _int("APP_PROCESSES", 2))
    web_workers: int = field(default_factory=lambda: _int("WEB_WORKERS", 2))
    task_workers: int = field(default_factory=lambda: _int("TASK_WORKERS", 2))
    ports: services.Ports = field(default_factory=services.Ports)

    def __post_init__(self) -> None:
        if self.short:
            self.app_processes = 1
            self.task_workers = 1
            self.phase_seconds = _int("PHASE_SECONDS", 60)


@dataclass
class Phase:
    name: str
    users: list[str]
    fault: str = ""
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def row(self, name: str) -> dict[str, str]:
        return self.rows.get(name, {})

    def count(self, name: str, column: str = "Request Count") -> int:
        return int(float(self.row(name).get(column) or 0))

    def retries(self) -> int:
        return sum(self.count(name) for name in self.rows if name.endswith(" retried"))


class Scale:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.ports = config.ports
        self.sup = Supervisor(DATA / "logs")
        self.primary_url = f"postgres://postgres@127.0.0.1:{self.ports.primary}/purei"
        self.replica_url = f"postgres://postgres@127.0.0.1:{self.ports.replica}/purei"
        self.facts = DATA / "facts.json"
        self.prep = DATA / "prep.json"
        self.snapshot = DATA / "stock-before.json"
        self.s3: dict[str, str] = {}
        self.timings: dict[str, float] = {}
        self.apps = self.ports.apps(config.app_processes)
        self.started_at = ""

    # --- the environment every Pūrei process gets --------------------------------

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="purei.settings",
            PUREI_DATA_DIR=str(DATA / "app"),
            SECRET_KEY="scale-demo-secret-key-0123456789-not-for-production",  # noqa: S106
            DATABASE_URL=(
                f"postgres://postgres@127.0.0.1:{self.ports.pgbouncer}/purei"
            ),
            DATABASE_POOLER="pgbouncer",
            DATABASE_REPLICA_URL=self.replica_url,
            CONN_MAX_AGE="0",
            REDIS_URL=f"redis://127.0.0.1:{self.ports.redis}/0",
            TASKS_BACKEND=os.environ.get("SCALE_TASKS_BACKEND", "rq"),
            EMAIL_BACKEND="smtp",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.ports.smtp),
            EMAIL_USE_TLS="false",
            SITE_URL=f"http://127.0.0.1:{self.ports.nginx}",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SECURE_COOKIES="false",
            PAYMENTS_TEST_GATEWAY="true",
            DEBUG="false",
            LOG_FORMAT="json",
            LOG_LEVEL="WARNING",
            ACCESS_LOG="",
            TRUSTED_PROXY_COUNT="1",
            # nginx compresses what the app processes answer (services.nginx).
            COMPRESS_HTML="false",
            # The load comes from one address: the limits meant for the internet
            # would stop it (they are tested on their own).
            RATE_LIMITS_ENABLED="false",
            # gunicorn ends a request after 30 s: a key's claim older than 40 s is
            # a request that died with a killed process (see the locustfile).
            IDEMPOTENCY_STALE_SECONDS="40",
            # A task whose worker died is given back to the queue once its time is
            # up (RQ's started-job registry): the run's tasks are emails of a few
            # seconds at most, so a minute, not the default quarter of an hour.
            TASKS_TIMEOUT_SECONDS="60",
            **self.s3,
        )
        env.update(extra)
        return env

    def direct_env(self) -> dict[str, str]:
        """For set-up: straight to the primary, tasks run at once, no email out."""
        return self.env(
            DATABASE_URL=self.primary_url,
            DATABASE_POOLER="",
            DATABASE_REPLICA_URL="",
            TASKS_BACKEND="immediate",
            EMAIL_BACKEND="locmem",
            LOG_FORMAT="text",
        )

    def python(self, *args: str, env: dict[str, str]) -> str:
        result = subprocess.run(  # noqa: S603 - the venv's Python, our modules
            [str(BIN / "python"), *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout

    def timed(self, what: str, step: Callable[[], object]) -> None:
        started = time.monotonic()
        step()
        self.timings[what] = time.monotonic() - started
        say(f"  {what}: {self.timings[what]:.1f} s")

    # --- start ------------------------------------------------------------------

    def start(self) -> None:
        # Everything afresh but data/scale/app, which keeps the demo's painted
        # pictures (app/cache/) and the collected static files for the next run.
        for stale in ("pg", "pgbouncer", "redis", "mail", "nginx", "s3", "logs"):
            shutil.rmtree(DATA / stale, ignore_errors=True)
        (DATA / "logs").mkdir(parents=True, exist_ok=True)
        pg = DATA / "pg"
        say("Starting the engines:")
        self.timed(
            "PostgreSQL primary",
            lambda: services.postgres_primary(self.sup, pg, self.ports.primary),
        )
        self.timed("database purei", self._create_database)
        self.timed(
            "PostgreSQL replica (pg_basebackup, streaming)",
            lambda: services.postgres_replica(
                self.sup, pg, self.ports.primary, self.ports.replica
            ),
        )
        pool = max(10, self.config.app_processes * self.config.web_workers * 2)
        self.timed(
            "PgBouncer",
            lambda: services.pgbouncer(
                self.sup, DATA / "pgbouncer", self.ports.primary, self.ports.pgbouncer,
                pool,
            ),
        )  # fmt: skip
        self.timed(
            "Redis", lambda: services.redis(self.sup, DATA / "redis", self.ports.redis)
        )
        self.timed(
            "SMTP", lambda: services.smtp_sink(self.sup, DATA / "mail", self.ports.smtp)
        )
        self.timed("SeaweedFS (S3)", self._start_s3)
        say("Loading the catalogue:")
        self.timed(
            f"generate {self.config.size:,} products"
            if self.config.size
            else "seed the demo's products",
            lambda: self.python(
                "-m", "scripts.bench.generate", "--size", str(self.config.size),
                "--facts", str(self.facts),
                # The short run makes its own orders: the demo's past weeks of
                # them took a third of its start-up under CI's load.
                *(["--no-history"] if self.config.short else []),
                env=self.direct_env(),
            ),
        )  # fmt: skip
        self.timed(
            "prepare (stock, API keys, admins, stock snapshot)",
            lambda: say(
                "    "
                + self.python(
                    "-m", "scripts.scale.prepare", "--out", str(self.prep),
                    "--snapshot", str(self.snapshot), env=self.direct_env(),
                ).strip()
            ),
        )  # fmt: skip
        self.timed(
            "collectstatic",
            lambda: self.python(
                "-m", "purei.cli", "collectstatic", "--no-input", "-v", "0",
                env=self.direct_env(),
            ),
        )  # fmt: skip
        say("Starting Pūrei:")
        for index, port in enumerate(self.apps, start=1):
            self.start_app(index, port)
        for index in range(1, self.config.task_workers + 1):
            self.start_worker(index)
        # What production runs from cron every minute: unpaid orders whose stock
        # hold ran out give their stock back (a checkout no longer sweeps them).
        self.sup.start(
            "cron",
            [
                "sh", "-c",
                f'while :; do "{BIN / "purei"}" orders_release_expired; sleep 60; done',
            ],
            env=self.env(),
        )  # fmt: skip
        self.timed(
            "nginx",
            lambda: services.nginx(
                self.sup, DATA / "nginx", self.ports.nginx, self.apps,
                DATA / "app" / "static",
            ),
        )  # fmt: skip
        for port in self.apps:
            self.timed(f"app on :{port} ready", lambda port=port: self.wait_app(port))
        self.started_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")

    def _create_database(self) -> None:
        import psycopg

        with psycopg.connect(
            f"postgres://postgres@127.0.0.1:{self.ports.primary}/postgres",
            autocommit=True,
        ) as conn:
            conn.execute("CREATE DATABASE purei")

    def _start_s3(self) -> None:
        """SeaweedFS (``weed mini``) with the two buckets; its process is stopped
        with the rest."""
        server = seaweedfs.seaweedfs_start(DATA / "s3")
        self.sup.procs["seaweedfs"] = server.process
        self.s3 = server.env()

    def start_app(self, index: int, port: int) -> None:
        multiproc = DATA / "app" / f"metrics-{index}"
        self.sup.start(
            f"app-{index}",
            [str(BIN / "purei"), "serve"],
            env=self.env(
                PORT=str(port),
                WEB_CONCURRENCY=str(self.config.web_workers),
                PROMETHEUS_MULTIPROC_DIR=str(multiproc),
            ),
        )

    def start_worker(self, index: int) -> None:
        self.sup.start(
            f"worker-{index}", [str(BIN / "purei"), "worker"], env=self.env()
        )

    def wait_app(self, port: int, timeout: float = 60) -> float:
        def up() -> bool:
            for path in ("/healthz", "/"):
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}{path}", timeout=5
                    ) as response:
                        return bool(response.status == 200)
                except OSError:
                    continue
            return False

        return wait_for(f"the app on :{port}", up, timeout)

    # --- faults -----------------------------------------------------------------

    def kill_app(self, phase: Phase) -> None:
        if self.config.app_processes > 1:
            self.sup.kill("app-2")
            phase.events.append("app-2 (gunicorn and its workers) killed (SIGKILL)")
            time.sleep(self.config.phase_seconds / 4)
            self.start_app(2, self.apps[1])
            took = self.wait_app(self.apps[1])
            phase.events.append(f"app-2 restarted, serving again after {took:.1f} s")
            return
        worker = self._gunicorn_worker("app-1")
        if worker is None:
            phase.events.append("no gunicorn worker found to kill")
            return
        os.kill(worker, signal.SIGKILL)
        phase.events.append(
            f"one of app-1's gunicorn workers (pid {worker}) killed (SIGKILL); "
            "gunicorn starts another"
        )

    def _gunicorn_worker(self, name: str) -> int | None:
        master = self.sup.procs[name].pid
        out = subprocess.run(  # noqa: S603
            ["pgrep", "-P", str(master)],  # noqa: S607
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        return int(out[0]) if out else None

    def kill_worker_mid_task(self, phase: Phase) -> None:
        """SIGKILL the task worker that is running a task; start another."""
        from redis import Redis
        from rq import Worker

        redis = Redis(port=self.ports.redis)
        deadline = time.monotonic() + self.config.phase_seconds / 2
        pids = {
            self.sup.procs[name].pid: name
            for name in self.sup.procs
            if name.startswith("worker-")
        }
        while time.monotonic() < deadline:
            for worker in Worker.all(connection=redis):
                job = worker.get_current_job_id()
                name = pids.get(worker.pid or 0)
                if job and name and self.sup.alive(name):
                    self.sup.kill(name)
                    phase.events.append(
                        f"{name} killed (SIGKILL) while running task {job}"
                    )
                    self.start_worker(int(name.split("-")[1]))
                    phase.events.append(f"{name} started again")
                    return
            time.sleep(0.005)
        phase.events.append("no worker was seen running a task: none killed")

    def stop_replica(self, phase: Phase) -> None:
        self.sup.kill("postgres-replica")
        phase.events.append("replica killed (SIGKILL): reads go to the primary")
        time.sleep(self.config.phase_seconds * 0.6)
        services.start_replica(self.sup, DATA / "pg" / "replica", self.ports.replica)
        phase.events.append("replica started again")

    def restart_redis(self, phase: Phase) -> None:
        subprocess.run(  # noqa: S603
            ["redis-cli", "-p", str(self.ports.redis), "shutdown"],  # noqa: S607
            check=False,
            capture_output=True,
        )
        self.sup.procs["redis"].wait(timeout=30)
        phase.events.append("Redis shut down (its append-only file kept)")
        time.sleep(1)
        self.sup.restart("redis")
        took = wait_for("Redis", lambda: services.port_open(self.ports.redis))
        phase.events.append(f"Redis started again ({took:.1f} s)")

    def keep_workers(self, phase: Phase) -> None:
        """Start again a task worker that ended on its own, as production's
        process manager does (systemd's ``Restart=always``): RQ's worker quits
        when Redis goes away while it finishes a job. Its job comes back through
        RQ's started-job registry (``drain``)."""
        for index in range(1, self.config.task_workers + 1):
            name = f"worker-{index}"
            proc = self.sup.procs.get(name)
            if proc is not None and proc.poll() is not None:
                phase.events.append(
                    f"{name} ended on its own (exit code {proc.returncode}); "
                    "started again"
                )
                self.start_worker(index)

    # --- load -------------------------------------------------------------------

    def run_phase(self, phase: Phase, fault: Callable[[Phase], None] | None) -> Phase:
        say(f"\nPhase: {phase.name} ({self.config.phase_seconds} s)")
        prefix = DATA / "locust" / re.sub(r"\W+", "-", phase.name).strip("-")
        prefix.parent.mkdir(parents=True, exist_ok=True)
        command = [
            str(BIN / "locust"),
            "-f", str(ROOT / "scripts" / "scale" / "locustfile.py"),
            "--headless", "--only-summary",
            "-u", str(self.config.users), "-r", str(self.config.users),
            "-t", f"{self.config.phase_seconds}s",
            "--host", f"http://127.0.0.1:{self.ports.nginx}",
            "--csv", str(prefix), "--stop-timeout", "60",
            "--exit-code-on-error", "0",
            *phase.users,
        ]  # fmt: skip
        env = dict(
            os.environ,
            SCALE_FACTS=str(self.facts),
            SCALE_PREP=str(self.prep),
            PYTHONPATH=str(ROOT),
        )
        started = time.monotonic()
        load = subprocess.Popen(  # noqa: S603 - the venv's locust
            command,
            cwd=ROOT,
            env=env,
            stdout=(DATA / "logs" / "locust.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        if fault is not None:
            time.sleep(self.config.phase_seconds / 3)
            try:
                fault(phase)
            except Exception as error:
                phase.events.append(f"the fault failed: {error!r}")
        while load.poll() is None:
            self.keep_workers(phase)
            time.sleep(1)
        self.keep_workers(phase)
        phase.seconds = time.monotonic() - started
        with Path(f"{prefix}_stats.csv").open() as stats:
            phase.rows = {row["Name"]: row for row in csv.DictReader(stats)}
        for event in phase.events:
            say(f"  - {event}")
        return phase

    # --- after ------------------------------------------------------------------

    def drain(self, timeout: float = 300) -> float:
        """Wait until no task waits, runs or is scheduled for a retry (the
        emails are out)."""
        from redis import Redis
        from rq import Queue
        from rq.registry import ScheduledJobRegistry, StartedJobRegistry

        redis = Redis(port=self.ports.redis)

        def empty() -> bool:
            queues = Queue.all(connection=redis)
            for queue in queues:
                # What a worker's own maintenance does every 10 minutes: a job whose
                # worker died (its heartbeat lapsed, about 90 s) goes back to the
                # queue for its retry.
                StartedJobRegistry(queue=queue).cleanup()
            # A retry waits in the scheduled registry until a worker's scheduler
            # moves it to the queue: a drain that did not count it stopped the
            # run with an email still to send.
            return all(
                q.count == 0
                and StartedJobRegistry(queue=q).count == 0
                and ScheduledJobRegistry(queue=q).count == 0
                for q in queues
            )

        return wait_for("the task queue to drain", empty, timeout)

    def verify(self) -> tuple[bool, list[str]]:
        result = subprocess.run(  # noqa: S603
            [str(BIN / "purei"), "verify_books", "--stock", str(self.snapshot)],
            cwd=ROOT,
            env=self.direct_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        lines = result.stdout.strip().splitlines() or [result.stderr.strip()]
        ok = result.returncode == 0
        emails_ok, email_lines = self.emails_once()
        return ok and emails_ok, [*lines, *email_lines]

    def emails_once(self) -> tuple[bool, list[str]]:
        """Every order placed in the run had its confirmation email exactly once."""
        import psycopg

        with psycopg.connect(self.primary_url) as conn:
            numbers = [
                row[0]
                for row in conn.execute(
                    "SELECT number FROM orders_order WHERE email LIKE 'scale-%%'"
                )
            ]
        sent: Counter[str] = Counter()
        box = mailbox.Maildir(DATA / "mail" / "mailbox", create=False)
        subject = re.compile(r"Your order (\S+) from")
        for message in box:
            found = subject.search(str(message.get("Subject", "")))
            if found:
                sent[found.group(1)] += 1
        missing = [n for n in numbers if sent[n] == 0]
        twice = [n for n in numbers if sent[n] > 1]
        lines = [
            f"confirmation emails: {len(numbers):,} orders, "
            f"{sum(sent[n] for n in numbers):,} emails, {len(missing)} missing, "
            f"{len(twice)} sent more than once"
        ]
        lines += [f"    - order {n}: no email" for n in missing[:5]]
        lines += [f"    - order {n}: {sent[n]} emails" for n in twice[:5]]
        return not missing and not twice, lines

    def stop(self) -> None:
        # A second Ctrl-C (or a SIGTERM from a wrapper) must not cut the stopping
        # short and leave processes behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        say("\nStopping everything this run started…")
        self.sup.stop_all()


# --- the report -----------------------------------------------------------------


def _ms(row: dict[str, str], column: str) -> str:
    value = row.get(column) or ""
    return value if value in {"", "N/A"} else f"{float(value):.0f}"


def report(phases: list[Phase], config: Config) -> list[str]:
    lines = [
        "| phase | requests | req/s | errors | retried | orders | orders/s "
        "| checkout p50 / p95 / p99 ms | pages p50 / p95 / p99 ms |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for phase in phases:
        total = phase.row("Aggregated")
        checkout = phase.row("checkout")
        pages = [
            phase.row(n)
            for n in ("storefront", "shop", "search", "product")
            if phase.row(n)
        ]
        # A retried attempt is counted in the checkout row too (as a success, so
        # that only final outcomes are failures): take the retries out.
        orders = (
            phase.count("checkout")
            - phase.count("checkout", "Failure Count")
            - phase.count("checkout retried")
        )
        worst = max(pages, key=lambda r: float(r.get("99%") or 0), default={})
        lines.append(
            f"| {phase.name} | {phase.count('Aggregated') - phase.retries():,} "
            f"| {float(total.get('Requests/s') or 0):.1f} "
            f"| {phase.count('Aggregated', 'Failure Count')} | {phase.retries()} "
            f"| {orders:,} | {orders / config.phase_seconds:.1f} "
            f"| {_ms(checkout, '50%')} / {_ms(checkout, '95%')} / "
            f"{_ms(checkout, '99%')} "
            f"| {_ms(worst, '50%')} / {_ms(worst, '95%')} / {_ms(worst, '99%')} |"
        )
    return lines


def page_report(phase: Phase) -> list[str]:
    lines = [
        f"Pages in '{phase.name}':",
        "",
        "| page | requests | req/s | errors | p50 | p95 | p99 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, row in phase.rows.items():
        if name == "Aggregated" or row.get("Type") == "RETRY":
            continue
        lines.append(
            f"| {name} | {row['Request Count']} "
            f"| {float(row['Requests/s']):.1f} | {row['Failure Count']} "
            f"| {_ms(row, '50%')} | {_ms(row, '95%')} | {_ms(row, '99%')} |"
        )
    return lines


def main() -> None:
    config = Config()
    scale = Scale(config)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    phases: list[Phase] = []
    ok = False
    try:
        scale.start()
        if config.short:
            phases.append(
                scale.run_phase(
                    Phase("mixed, an app worker killed", [], "app"), scale.kill_app
                )
            )
        else:
            phases.append(scale.run_phase(Phase("checkout", ["Buyer"]), None))
            for name in scale.sup.procs:
                if name.startswith("app-") and name != "app-1":
                    scale.sup.stop(name)
            phases.append(
                scale.run_phase(Phase("storefront, 1 app process", ["Browser"]), None)
            )
            for index, port in enumerate(scale.apps[1:], start=2):
                scale.start_app(index, port)
                scale.wait_app(port)
            phases.append(
                scale.run_phase(
                    Phase(
                        f"storefront, {config.app_processes} app processes", ["Browser"]
                    ),
                    None,
                )
            )
            for title, fault in (
                ("mixed, an app process killed", scale.kill_app),
                ("mixed, a task worker killed mid-task", scale.kill_worker_mid_task),
                ("mixed, the replica stopped", scale.stop_replica),
                ("mixed, Redis restarted", scale.restart_redis),
            ):
                phases.append(scale.run_phase(Phase(title, []), fault))
        try:
            drained = scale.drain()
            say(f"\nTask queue drained ({drained:.1f} s after the load).")
            queue_ok = True
        except SystemExit as late:
            say(f"\n{late}")
            queue_ok = False
        ok, verification = scale.verify()
        if not queue_ok:
            ok = False
            verification.append("task queue: NOT drained within 300 s of the load")
    finally:
        scale.stop()
    say("\n## Scale run\n")
    say(
        f"{config.app_processes} app processes x {config.web_workers} workers, "
        f"{config.task_workers} task workers, {config.users} users, "
        f"{config.phase_seconds} s per phase, "
        f"{f'{config.size:,} products' if config.size else 'the seed products'}; "
        f"load average after: {os.getloadavg()[0]:.2f}\n"
    )
    for line in report(phases, config):
        say(line)
    for phase in phases:
        if phase.events:
            say(f"\n{phase.name}:")
            for event in phase.events:
                say(f"- {event}")
    for phase in phases:
        if "storefront" in phase.name:
            say("")
            for line in page_report(phase):
                say(line)
    say("\n### Verification\n")
    for line in verification:
        say(line)
    errors = sum(p.count("Aggregated", "Failure Count") for p in phases)
    say(f"\nErrors in all phases: {errors}.")
    with contextlib.suppress(OSError):
        (DATA / "result.json").write_text(
            json.dumps(
                {"ok": ok, "errors": errors, "phases": [p.__dict__ for p in phases]},
                default=str,
            )
        )
    if not ok or errors:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

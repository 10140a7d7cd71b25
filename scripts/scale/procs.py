"""The processes a scale run starts: each with a name and a log file, each
stopped at the end (in the reverse order), whatever happens in between."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for(what: str, ready: Callable[[], bool], timeout: float = 60) -> float:
    """Wait until ``ready()``; the seconds it took. SystemExit after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if ready():
            return time.monotonic() - started
        time.sleep(0.2)
    raise SystemExit(f"{what} was not ready within {timeout:.0f} s.")


class Supervisor:
    """Starts named processes in their own process groups, logging to ``logs``."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        logs.mkdir(parents=True, exist_ok=True)
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.commands: dict[str, tuple[list[str], dict[str, str] | None]] = {}

    def start(
        self,
        name: str,
        argv: Sequence[str],
        env: dict[str, str] | None = None,
        user: str | None = None,
    ) -> subprocess.Popen[bytes]:
        command = list(argv)
        if user is not None:
            # PostgreSQL and PgBouncer refuse to run as root.
            command = ["runuser", "-u", user, "--", *command]
        log = (self.logs / f"{name}.log").open("ab")
        proc = subprocess.Popen(  # noqa: S603 - our own fixed commands
            command,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs[name] = proc
        self.commands[name] = (command, env)
        return proc

    def restart(self, name: str) -> subprocess.Popen[bytes]:
        command, env = self.commands[name]
        return self.start(name, command, env)

    def alive(self, name: str) -> bool:
        proc = self.procs.get(name)
        return proc is not None and proc.poll() is None

    def signal(self, name: str, sig: int) -> None:
        proc = self.procs[name]
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)

    def kill(self, name: str) -> None:
        """SIGKILL to the whole group: no goodbyes, as a crash."""
        self.signal(name, signal.SIGKILL)
        self.procs[name].wait()

    def stop(self, name: str, timeout: float = 20) -> None:
        proc = self.procs.get(name)
        if proc is None or proc.poll() is not None:
            return
        self.signal(name, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill(name)

    def stop_all(self) -> None:
        for name in reversed(list(self.procs)):
            self.stop(name)

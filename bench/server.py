"""Start and stop gunicorn on loopback for the load test, the backup test and the benchmark."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
WORKERS = 4
START_TIMEOUT_SECONDS = 60
# The problems a log must never show: the first is what an unguarded SQLite write under
# concurrency reports; the others are an unhandled error or a worker gunicorn had to kill.
LOG_ALARMS = ("database is locked", "Traceback", "WORKER TIMEOUT")


def free_port() -> int:
    """Return a loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@dataclass
class Gunicorn:
    """A gunicorn master serving `app` on loopback with its log in `log_path`."""

    app: str
    log_path: Path
    env: dict[str, str]
    workers: int = WORKERS
    port: int = 0
    # One line per request: `access_format` in gunicorn's access-log syntax.
    access_log: Path | None = None
    access_format: str = ""
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, ready_path: str = "/") -> Gunicorn:
        """Start the master and wait until every worker can answer `ready_path`."""
        self.port = self.port or free_port()
        command = [sys.executable, "-m", "gunicorn", "--workers", str(self.workers),
                   "--bind", f"{HOST}:{self.port}", "--chdir", str(PROJECT_ROOT),
                   "--error-logfile", str(self.log_path), "--log-level", "warning"]
        if self.access_log is not None:
            command += ["--access-logfile", str(self.access_log)]
            if self.access_format:
                command += ["--access-logformat", self.access_format]
        command.append(self.app)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, env={**os.environ, **self.env},
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start; see {self.log_path}:\n"
                                   + self.log_path.read_text(errors="replace")[-3000:])
            if len(self.worker_pids()) == self.workers and self._answers(ready_path):
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {START_TIMEOUT_SECONDS} s")

    def _answers(self, path: str) -> bool:
        try:
            connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
            connection.request("GET", path)
            return connection.getresponse().status < 500
        except OSError:
            return False

    def worker_pids(self) -> list[int]:
        """Return the pids of the master's live workers."""
        if self.process is None:
            return []
        master = self.process.pid
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # Fields after the parenthesised command name: state, ppid, ...
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == master and fields[0] != "Z":
                pids.append(int(entry.name))
        return sorted(pids)

    def kill_one_worker(self) -> int:
        """Kill one worker with SIGKILL, as the kernel's OOM killer would; return its pid."""
        pid = self.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self) -> None:
        """Stop gracefully, then forcefully if the master does not exit."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_alarms(self) -> list[str]:
        """Return the log lines that show a locked database, an error or a timed-out worker."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return [line for line in text.splitlines() if any(alarm in line for alarm in LOG_ALARMS)]

    def __enter__(self) -> Gunicorn:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def courseware_server(database: Path, log_path: Path, workers: int = WORKERS, *,
                      access_log: Path | None = None, access_format: str = "") -> Gunicorn:
    """Return (unstarted) gunicorn serving the app on its own database."""
    env = {"COURSEWARE_DATABASE": str(database), "COURSEWARE_SECRET_KEY": secrets.token_hex(32),
           # Every simulated trainee signs in from loopback: one address for the whole class.
           "COURSEWARE_ADDRESS_HASH_LIMIT": "1000000"}
    return Gunicorn("courseware:create_app()", log_path, env, workers=workers,
                    access_log=access_log, access_format=access_format)


def hello_server(log_path: Path, workers: int = WORKERS) -> Gunicorn:
    """Return (unstarted) gunicorn serving the bare Flask "Hello, World!" app."""
    return Gunicorn("bench.hello:app", log_path, {}, workers=workers)

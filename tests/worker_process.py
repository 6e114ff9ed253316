"""A real `celery -A lms worker` in its own process (prefork, like production), which a test may SIGKILL."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
CELERY = Path(sys.executable).with_name("celery")


def children(pid: int) -> list[int]:
    """Every descendant process of pid (read from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def processes_matching(text: str) -> list[int]:
    """Live processes whose command line contains text (zombies excluded)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and text in command_line(int(entry.name)):
            try:
                if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class WorkerProcess:
    """One worker: its main process and pool children."""

    def __init__(self, process: subprocess.Popen):
        self.process = process

    def python_pids(self) -> list[int]:
        """The worker's own processes (main and pool), not the programs its tasks started."""
        return [self.process.pid] + [p for p in children(self.process.pid) if "celery" in command_line(p)]

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once, as the kernel's OOM killer or a power cut would."""
        for pid in self.python_pids():
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=10)


@contextmanager
def worker_process(*, broker_url: str | None = None, log: Path | None = None):
    """Start a worker on the test database and media folder; stop it at the end, whatever happened."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker_url or settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": broker_url or settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    out = open(log or os.devnull, "ab")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(CELERY), "-A", "lms", "worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--prefetch-multiplier=1"],
        cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
    )
    worker = WorkerProcess(process)
    try:
        yield worker
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        out.close()


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, *, seconds: float, what: str):
    """Poll until predicate() is truthy; fail with `what` after the time limit."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")

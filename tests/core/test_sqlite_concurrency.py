"""The embedded SQLite default stands a web process and a worker writing at the same time.

Each writer is a separate process with the project's own settings, as `make run` starts them; each
transaction reads a row, waits a little and writes it back, as a page save does while autosave runs.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRITES_PER_PROCESS = 15
PROCESSES = 2

WRITER = r"""
import sys, time
from pathlib import Path
import django
django.setup()
from django.db import OperationalError, connection, transaction

mode, count, gate = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
(gate.parent / f"ready-{gate.name}-{id(gate)}-{time.time_ns()}").touch()
while not gate.exists():  # start together, as a save and an autosave do
    time.sleep(0.01)
if mode == "deferred":
    connection.transaction_mode = None  # Django's default: BEGIN takes no lock until the first write
errors = 0
for i in range(count):
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter WHERE id = 1")
                n = cursor.fetchone()[0]
                if mode == "deferred" and i == 0:
                    # Both writers hold a read snapshot before either writes, as a save and an autosave can:
                    # the overlap is certain instead of left to the scheduler. (With IMMEDIATE transactions
                    # the second BEGIN waits for the first commit, so this rendezvous only applies here.)
                    (gate.parent / f"read-{time.time_ns()}").touch()
                    deadline = time.monotonic() + 30
                    while len(list(gate.parent.glob("read-*"))) < int(sys.argv[4]) and time.monotonic() < deadline:
                        time.sleep(0.005)
                time.sleep(0.01)
                cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
    except OperationalError as exc:
        assert "locked" in str(exc), exc
        errors += 1
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0], errors)
"""


def _run_writers(db: Path, mode: str) -> list[tuple[str, int]]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
        conn.execute("INSERT OR REPLACE INTO counter (id, n) VALUES (1, 0)")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.dev", "DATABASE_URL": f"sqlite:///{db}"}
    env.pop("LMS_TEST_DB", None)

    gate = db.parent / "go"
    argv = [sys.executable, "-c", WRITER, mode, str(WRITES_PER_PROCESS), str(gate), str(PROCESSES)]
    writers = [subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(PROCESSES)]
    deadline = time.monotonic() + 120
    while len(list(db.parent.glob("ready-*"))) < PROCESSES and time.monotonic() < deadline:
        time.sleep(0.05)
    gate.touch()
    results = []
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err[-2000:]
        journal, errors = out.split()[-2:]
        results.append((journal, int(errors)))
    return results


def _counter(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT n FROM counter WHERE id = 1").fetchone()[0]


@pytest.mark.slow
def test_concurrent_writers_on_the_default_sqlite_never_see_a_lock_error(tmp_path):
    db = tmp_path / "shared.sqlite3"
    results = _run_writers(db, "configured")
    assert [journal for journal, _ in results] == ["wal"] * PROCESSES
    assert [errors for _, errors in results] == [0] * PROCESSES
    assert _counter(db) == PROCESSES * WRITES_PER_PROCESS  # no write was lost either


@pytest.mark.slow
def test_the_same_writers_with_django_default_transactions_hit_the_lock(tmp_path):
    """The control: without IMMEDIATE the same load fails, so the test above proves the setting."""
    db = tmp_path / "shared.sqlite3"
    results = _run_writers(db, "deferred")
    assert sum(errors for _, errors in results) > 0

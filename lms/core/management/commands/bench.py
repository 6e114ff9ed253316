"""`make bench`: build province-scale data in a fresh database of its own and print each figure beside its limit.

The command re-runs itself in a child process whose DATABASE_URL points at a new SQLite file under
var/bench/, so benchmark data never touches the working database. Each module in BENCH_MODULES
exposes run(report, scale); report(name, value, limit, unit) records one figure.
"""

import hashlib
import importlib
import importlib.util
import inspect
import os
import sqlite3
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BENCH_MODULES = [
    "lms.core.bench",
    "lms.classes.bench",
    "lms.quizzes.bench",
    "lms.videos.bench",
    "lms.budget.bench",
    "lms.certificates.bench",
    "lms.notifications.bench",
    "lms.api.bench",
]
CHILD_FLAG = "LMS_BENCH_CHILD"


@dataclass
class Figure:
    name: str
    value: float
    limit: float
    unit: str

    @property
    def ratio(self) -> float:
        return self.value / self.limit if self.limit else float("inf")

    @property
    def ok(self) -> bool:
        return self.value <= self.limit


def _module_exists(dotted: str) -> bool:
    try:
        return importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:
        return False


class Command(BaseCommand):
    help = "Run every benchmark against its own fresh SQLite database and print figures beside limits."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="data size relative to province scale")
        parser.add_argument("--only", nargs="*", help="run only these bench modules")
        parser.add_argument("--report-only", action="store_true", help="exit 0 even when a figure is over its limit")

    def handle(self, *args, **options):
        if os.environ.get(CHILD_FLAG):
            return self._run_benches(options)
        return self._spawn(options)

    # Parent: prepare the database file and run the child.

    def _spawn(self, options) -> None:
        bench_dir = Path(settings.BASE_DIR) / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        db_path = bench_dir / f"bench-{os.getpid()}.sqlite3"
        env = {
            **os.environ,
            CHILD_FLAG: "1",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "lms.settings.dev"),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "MEDIA_ROOT": str(bench_dir / "media"),
            "STATIC_ROOT": str(bench_dir / "static"),
        }
        (bench_dir / "static").mkdir(exist_ok=True)
        try:
            self._fresh_database(db_path, env, bench_dir)
            command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "bench",
                       "--scale", str(options["scale"])]
            if options.get("only"):
                command += ["--only", *options["only"]]
            if options.get("report_only"):
                command.append("--report-only")
            child = subprocess.run(command, env=env, capture_output=True, text=True, cwd=settings.BASE_DIR)
            self.stdout.write(child.stdout)
            if child.stderr:
                self.stderr.write(child.stderr)
            if child.returncode:
                raise CommandError(f"bench finished with status {child.returncode}")
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)

    def _fresh_database(self, db_path: Path, env: dict, bench_dir: Path) -> None:
        """Copy a migrated empty database, migrating a new template only when migrations changed."""
        template = bench_dir / f"template-{_migrations_key()}.sqlite3"
        if not template.exists():
            for old in bench_dir.glob("template-*.sqlite3*"):
                old.unlink()
            started = time.perf_counter()
            building = bench_dir / f"building-{os.getpid()}.sqlite3"
            migrate_env = {**env, "DATABASE_URL": f"sqlite:///{building}"}
            subprocess.run(
                [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "migrate", "--noinput", "-v0"],
                env=migrate_env, check=True, cwd=settings.BASE_DIR, capture_output=True,
            )
            staged = bench_dir / f"staged-{os.getpid()}.sqlite3"
            _sqlite_copy(building, staged)
            os.replace(staged, template)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{building}{suffix}").unlink(missing_ok=True)
            self.stdout.write(f"migrated a fresh bench database in {time.perf_counter() - started:.1f}s")
        _sqlite_copy(template, db_path)

    # Child: run the bench modules against the fresh database.

    def _run_benches(self, options) -> None:
        scale = options["scale"]
        figures: list[Figure] = []
        failed: list[str] = []

        def report(name: str, value: float, limit: float, unit: str) -> None:
            figures.append(Figure(name, float(value), float(limit), unit))

        for dotted in options.get("only") or BENCH_MODULES:
            if not _module_exists(dotted):
                continue
            module = importlib.import_module(dotted)
            started = time.perf_counter()
            try:
                if "scale" in inspect.signature(module.run).parameters:
                    module.run(report, scale=scale)
                else:
                    module.run(report)
            except Exception:  # noqa: BLE001 - one broken bench must not hide the others' figures
                failed.append(dotted)
                self.stderr.write(f"{dotted} failed:\n{traceback.format_exc()}")
            self.stdout.write(f"{dotted}: {time.perf_counter() - started:.1f}s")
        self.stdout.write(render_table(figures, scale))
        over = [f.name for f in figures if not f.ok]
        if failed:
            raise CommandError(f"bench modules failed: {', '.join(failed)}")
        if over and not options.get("report_only"):
            raise CommandError(f"{len(over)} figure(s) over their limits")


def render_table(figures: list[Figure], scale: float) -> str:
    """The figures as a plain-text table: value, limit, ratio value/limit, OK or OVER."""
    header = ("figure", "value", "limit", "unit", "ratio", "")
    rows = [
        (f.name, f"{f.value:,.2f}", f"{f.limit:,.2f}", f.unit, f"{f.ratio:.2f}", "OK" if f.ok else "OVER")
        for f in figures
    ]
    widths = [max(_width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(row) -> str:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(cell + pad if i in (0, 3, 5) else pad + cell)
        return "  ".join(cells).rstrip()

    out = [f"benchmark figures (scale {scale:g})", line(header), "-" * (sum(widths) + 2 * (len(widths) - 1))]
    out += [line(row) for row in rows]
    return "\n".join(out)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _migrations_key() -> str:
    """A hash of every migration file, so the cached template follows the schema."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR).resolve()
    for app in _app_dirs():
        for path in sorted((app / "migrations").glob("*.py")):
            digest.update(str(path).encode())
            inside = path.resolve().is_relative_to(base)
            digest.update(path.read_bytes() if inside else str(path.stat().st_mtime).encode())
    return digest.hexdigest()[:16]


def _app_dirs() -> list[Path]:
    from django.apps import apps

    return [Path(config.path) for config in apps.get_app_configs()]


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database consistently, whatever its journal state."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()

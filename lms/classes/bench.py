"""Benchmark: the county four-implementations roll-up over a year of the demo county, against bare SQL.

run(report, scale) builds the demo county (people, then classes) in the bench database, then times
class_rollup() for the demo year against executing the same six SELECTs it needs as raw SQL with
nothing done to the rows. The ratio shows the cost of building the checks in Python; the query
count shows it does not grow with classes.
"""

import io
import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

Report = Callable[[str, float, float, str], None]

YEAR = 2026
# Measured on the demo county (26 classes, ~1,100 person-times, ~6,000 attendance rows): the
# roll-up takes ~4-6x the bare queries; the limit leaves headroom for slower machines.
RATIO_LIMIT = 12.0
QUERY_LIMIT = 8


def _ensure_demo() -> None:
    from lms.people import demo as people_demo

    from . import demo as classes_demo

    out = io.StringIO()
    people_demo.build(stdout=out)
    classes_demo.build(stdout=out)


def _bare_sql(class_ids: list[int]) -> None:
    """The rows the roll-up reads, fetched with raw SQL and left untouched."""
    marks = ",".join(["%s"] * len(class_ids))
    statements = [
        "SELECT c.id, c.name, c.year, c.mode, c.planned_credit_hours, c.attendance_threshold, c.notes_required, "
        "c.assessment_held_on, t.name FROM classes_trainingclass c LEFT JOIN people_township t "
        "ON t.id = c.organiser_township_id WHERE c.year = %s",
        f"SELECT training_class_id, approved_at FROM classes_trainingplan WHERE training_class_id IN ({marks})",
        f"SELECT id, training_class_id, date, topic, state, reschedule_reason, credit_hours, lesson_plan_id, "
        f"attendance_taken_at FROM classes_session WHERE training_class_id IN ({marks})",
        f"SELECT e.training_class_id, e.person_id, e.leave_cap_flagged_at, p.name FROM classes_enrolment e "
        f"JOIN people_person p ON p.id = e.person_id WHERE e.status = 'enrolled' AND e.training_class_id IN ({marks})",
        f"SELECT s.training_class_id, a.person_id, a.session_id, a.status FROM classes_attendance a "
        f"JOIN classes_session s ON s.id = a.session_id WHERE s.training_class_id IN ({marks})",
        f"SELECT training_class_id, person_id, COUNT(id) FROM classes_studynote WHERE training_class_id IN ({marks}) "
        f"GROUP BY training_class_id, person_id",
    ]
    with connection.cursor() as cursor:
        for i, sql in enumerate(statements):
            cursor.execute(sql, [YEAR] if i == 0 else class_ids)
            cursor.fetchall()


def _median(func, iterations: int) -> float:
    times = []
    for _ in range(iterations):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(report: Report, scale: float = 1.0) -> None:
    """Time the roll-up and the bare queries; report their ratio and the roll-up's query count."""
    from .models import TrainingClass
    from .rollup import class_rollup

    _ensure_demo()
    class_ids = list(TrainingClass.objects.filter(year=YEAR).values_list("pk", flat=True))
    iterations = max(5, int(20 * scale))

    def rollup():
        class_rollup(classes=TrainingClass.objects.filter(year=YEAR))

    rollup()
    _bare_sql(class_ids)
    rollup_time = _median(rollup, iterations)
    bare_time = _median(lambda: _bare_sql(class_ids), iterations)
    with CaptureQueriesContext(connection) as queries:
        rollup()
    report(f"four-implementations roll-up {YEAR} ({len(class_ids)} classes) / bare SQL",
           rollup_time / bare_time, RATIO_LIMIT, "x")
    report("four-implementations roll-up time", rollup_time * 1000, 2000, "ms")
    report("four-implementations roll-up queries", len(queries.captured_queries), QUERY_LIMIT, "queries")

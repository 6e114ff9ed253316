"""Fixtures: a closed class with enrolled learners, and fake providers for every completion rule."""

import dataclasses
import datetime
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from lms.certificates import providers
from lms.classes.models import Enrolment, TrainingClass, TrainingMode
from tests.tools import require_tool

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "certificates"


@dataclasses.dataclass(frozen=True)
class FakeStats:
    """Same fields as lms.classes.attendance_stats.AttendanceStats."""

    sessions_held: int = 10
    attended: int = 10
    absent: int = 0
    leave_hours: Decimal = Decimal("0")
    held_hours: Decimal = Decimal("30")
    attendance_rate: Decimal = Decimal("1.0000")
    leave_cap_hours: Decimal = Decimal("4.3")
    over_leave_cap: bool = False
    near_leave_cap: bool = False


@dataclasses.dataclass(frozen=True)
class FakeLesson:
    pk: int
    title: str
    has_video: bool = True  # False: a reading lesson, done once the learner opened it


@dataclasses.dataclass(frozen=True)
class FakeQuiz:
    pk: int = 1
    title: str = "结业测试"


class FakeProviders:
    """Per-person answers every provider gives; tests change them to decide each rule."""

    def __init__(self, monkeypatch):
        self.stats: dict | None = {}
        self.notes: dict | None = {}
        self.trips: dict | None = {}
        self.lessons: list = []
        self.watched: set | None = set()  # (user_id, lesson pk); None: provider missing
        self.reads: set | None = set()  # (user_id, lesson pk) of lessons opened; None: provider missing
        self.quiz = None
        self.passed: set | None = set()  # user or person ids; None: provider missing
        self.trip_classes: set = set()  # pks of the classes that have a field-study trip
        monkeypatch.setattr(providers, "class_has_trip",
                            lambda *, training_class: training_class.pk in self.trip_classes)
        monkeypatch.setattr(providers, "attendance_stats", lambda *, training_class: self.stats)
        monkeypatch.setattr(providers, "note_counts", lambda *, training_class: self.notes)
        monkeypatch.setattr(providers, "trip_reports", lambda *, training_class: self.trips)
        monkeypatch.setattr(providers, "required_lessons", lambda *, training_class: self.lessons)
        monkeypatch.setattr(providers, "class_quiz", lambda *, training_class: self.quiz)
        monkeypatch.setattr(providers, "lesson_watched_function", self._watched_function)
        monkeypatch.setattr(providers, "lesson_reads", lambda *, lessons, people: self.reads)
        monkeypatch.setattr(
            providers, "lessons_with_video", lambda *, lessons: {lesson.pk for lesson in lessons if lesson.has_video}
        )
        monkeypatch.setattr(providers, "quiz_passed_function", self._passed_function)

    def _watched_function(self):
        if self.watched is None:
            return None
        return lambda *, user, lesson: (user.pk, lesson.pk) in self.watched

    def _passed_function(self):
        if self.passed is None:
            return None
        return lambda *, person_or_user, quiz: person_or_user.pk in self.passed

    def all_met(self, people) -> None:
        """Every person meets every rule."""
        for person in people:
            self.stats[person.pk] = FakeStats()
            self.notes[person.pk] = 3
            self.trips[person.pk] = True


@pytest.fixture
def fake(monkeypatch):
    return FakeProviders(monkeypatch)


def make_class(*, name="2026年村党组织书记集中轮训班", state=TrainingClass.State.CLOSED, mode=TrainingMode.CENTRALISED,
               year=2026, township=None) -> TrainingClass:
    return TrainingClass.objects.create(
        name=name, year=year, mode=mode, state=state, organiser_township=township,
        starts_on=datetime.date(year, 3, 2), ends_on=datetime.date(year, 3, 6), planned_credit_hours=Decimal("30"),
    )


def enrol(training_class, people):
    for person in people:
        Enrolment.objects.create(training_class=training_class, person=person)


@pytest.fixture
def closed_class(county):
    """A closed class of the east township with its six cadres enrolled."""
    training_class = make_class(township=county["east"])
    enrol(training_class, county["people"]["east"])
    return training_class


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def poppler(tool: str) -> str:
    """The path of a poppler tool, or skip the test with the reason."""
    found = shutil.which(tool)
    require_tool(bool(found), f"{tool} (poppler-utils)")
    return found

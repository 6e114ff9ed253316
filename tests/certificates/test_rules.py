"""Each completion rule decides eligibility; a rule that cannot be checked counts as not met."""

from decimal import Decimal

import pytest

from lms.certificates.models import ClassCertificateRules, TripRule
from lms.certificates.rules import MET, NOT_APPLICABLE, NOT_MET, UNAVAILABLE, completion_for_class
from lms.classes.models import TrainingMode
from tests.certificates.conftest import FakeLesson, FakeQuiz, FakeStats, enrol, make_class
from tests.factories import learner_for


def _row(training_class, person):
    return next(r for r in completion_for_class(training_class=training_class) if r.person.pk == person.pk)


def _status(row, code):
    return next(r for r in row.results if r.code == code)


def _lessons_count(training_class):
    """A face-to-face class asked to check lessons too (they are off by default for its mode)."""
    ClassCertificateRules.objects.create(training_class=training_class, require_lessons=True)


@pytest.fixture
def learner(closed_class, county, fake):
    person = county["people"]["east"][0]
    fake.all_met([person])
    return person


def test_all_rules_met_is_eligible(closed_class, learner):
    row = _row(closed_class, learner)
    assert row.eligible
    assert _status(row, "attendance").status == MET
    assert "已开10课次，出勤10课次" in _status(row, "attendance").reason


def test_attendance_below_threshold(closed_class, learner, fake):
    fake.stats[learner.pk] = FakeStats(attended=8, absent=2, attendance_rate=Decimal("0.8000"))
    row = _row(closed_class, learner)
    assert not row.eligible
    assert _status(row, "attendance").status == NOT_MET
    assert "80%" in _status(row, "attendance").reason and "90%" in _status(row, "attendance").reason


def test_class_threshold_override(closed_class, learner, fake):
    fake.stats[learner.pk] = FakeStats(attended=8, absent=2, attendance_rate=Decimal("0.8000"))
    ClassCertificateRules.objects.create(training_class=closed_class, attendance_threshold=Decimal("0.75"))
    assert _row(closed_class, learner).eligible


def test_leave_over_the_cap(closed_class, learner, fake):
    fake.stats[learner.pk] = FakeStats(leave_hours=Decimal("6"), over_leave_cap=True)
    row = _row(closed_class, learner)
    assert _status(row, "leave").status == NOT_MET
    assert "6" in _status(row, "leave").reason and "4.3" in _status(row, "leave").reason
    assert not row.eligible


def test_required_lessons(closed_class, learner, fake):
    _lessons_count(closed_class)
    user = learner_for(learner)
    learner.refresh_from_db()
    fake.lessons = [FakeLesson(1, "村务公开"), FakeLesson(2, "三议一表决")]
    fake.watched = {(user.pk, 1)}
    row = _row(closed_class, learner)
    assert _status(row, "lessons").status == NOT_MET
    assert "三议一表决" in _status(row, "lessons").reason
    fake.watched.add((user.pk, 2))
    assert _row(closed_class, learner).eligible


def test_a_lesson_without_video_is_done_once_read_not_by_watching(closed_class, learner, fake):
    _lessons_count(closed_class)
    user = learner_for(learner)
    learner.refresh_from_db()
    fake.lessons = [FakeLesson(1, "三议一表决", has_video=True), FakeLesson(2, "村务公开", has_video=False)]
    fake.watched = {(user.pk, 1), (user.pk, 2)}  # "watching" a lesson with no video does not count
    lessons = _status(_row(closed_class, learner), "lessons")
    assert lessons.status == NOT_MET and "村务公开" in lessons.reason and "三议一表决" not in lessons.reason
    fake.reads.add((user.pk, 2))
    assert _status(_row(closed_class, learner), "lessons").status == MET
    fake.watched = set()
    lessons = _status(_row(closed_class, learner), "lessons")
    assert lessons.status == NOT_MET and "三议一表决" in lessons.reason and "村务公开" not in lessons.reason


def test_lessons_without_account_are_not_met(closed_class, learner, fake):
    _lessons_count(closed_class)
    fake.lessons = [FakeLesson(1, "村务公开")]
    assert _status(_row(closed_class, learner), "lessons").status == NOT_MET


def test_class_quiz(closed_class, learner, fake):
    fake.quiz = FakeQuiz()
    row = _row(closed_class, learner)
    assert _status(row, "quiz").status == NOT_MET and "结业测试" in _status(row, "quiz").reason
    fake.passed.add(learner.pk)
    assert _status(_row(closed_class, learner), "quiz").status == MET


def test_no_quiz_does_not_apply(closed_class, learner, fake):
    assert _status(_row(closed_class, learner), "quiz").status == NOT_APPLICABLE


def test_study_notes_minimum(closed_class, learner, fake):
    ClassCertificateRules.objects.create(training_class=closed_class, min_notes=4)
    row = _row(closed_class, learner)
    assert _status(row, "notes").status == NOT_MET and "3" in _status(row, "notes").reason
    fake.notes[learner.pk] = 4
    assert _row(closed_class, learner).eligible


def test_trip_report_only_for_trip_classes(county, fake):
    person = county["people"]["west"][0]
    fake.all_met([person])
    fake.trips = {}
    home = make_class(name="本地班")
    trip = make_class(name="赴苏州考察学习班", mode=TrainingMode.OFF_SITE)
    enrol(home, [person])
    enrol(trip, [person])
    assert _status(_row(home, person), "trip").status == NOT_APPLICABLE
    assert _status(_row(trip, person), "trip").status == NOT_APPLICABLE  # off-site, but no trip yet
    fake.trip_classes.add(trip.pk)
    assert _status(_row(trip, person), "trip").status == NOT_MET
    fake.trips[person.pk] = True
    assert _status(_row(trip, person), "trip").status == MET
    ClassCertificateRules.objects.create(training_class=home, require_trip_report=TripRule.YES)
    fake.trips = {}
    assert _status(_row(home, person), "trip").status == NOT_MET


@pytest.mark.parametrize("missing", ["stats", "notes", "trips", "watched", "reads", "passed"])
def test_missing_provider_cannot_be_checked_and_blocks(closed_class, county, fake, missing):
    person = county["people"]["east"][0]
    fake.all_met([person])
    learner_for(person)
    fake.lessons = [FakeLesson(1, "村务公开")]
    fake.quiz = FakeQuiz()
    fake.passed = {person.user_id}
    fake.watched = {(person.user_id, 1)}
    ClassCertificateRules.objects.create(training_class=closed_class, require_trip_report=TripRule.YES,
                                         require_lessons=True)
    assert _row(closed_class, person).eligible
    setattr(fake, missing, None)
    row = _row(closed_class, person)
    assert not row.eligible
    assert any(r.status == UNAVAILABLE and r.status_label for r in row.results)


def test_only_enrolled_learners_are_listed(closed_class, county, fake):
    from lms.classes.models import Enrolment

    people = county["people"]["east"]
    Enrolment.objects.filter(person=people[1]).update(status=Enrolment.Status.WITHDRAWN)
    listed = {row.person.pk for row in completion_for_class(training_class=closed_class)}
    assert people[0].pk in listed and people[1].pk not in listed


def test_required_lessons_come_from_required_courses(closed_class):
    from wagtail.models import Page

    from courses.models import CourseIndexPage, CoursePage, LessonPage
    from lms.certificates import providers

    catalogue = Page.get_first_root_node().add_child(instance=CourseIndexPage(title="课程中心", slug="kc"))
    required = catalogue.add_child(instance=CoursePage(title="村务公开", slug="cw", summary="s"))
    elective = catalogue.add_child(
        instance=CoursePage(title="选修", slug="xx", summary="s", requirement=CoursePage.Requirement.ELECTIVE)
    )
    lesson = required.add_child(instance=LessonPage(title="第一课", slug="l1"))
    elective.add_child(instance=LessonPage(title="选修课", slug="l2"))
    closed_class.courses.add(required, elective)
    assert [p.pk for p in providers.required_lessons(training_class=closed_class)] == [lesson.pk]


def test_defaults_follow_the_training_mode(county, fake):
    """Face-to-face: attendance, leave and notes; remote: lessons; nothing demands a trip that does not exist."""
    person = county["people"]["west"][0]
    learner_for(person)
    person.refresh_from_db()
    fake.all_met([person])
    fake.trips = {}
    fake.lessons = [FakeLesson(1, "村务公开")]
    face = make_class(name="集中轮训班")
    remote = make_class(name="远教班", mode=TrainingMode.REMOTE)
    off_site = make_class(name="赴省外考察学习班", mode=TrainingMode.OFF_SITE)
    for tc in (face, remote, off_site):
        enrol(tc, [person])
    row = _row(face, person)
    assert row.eligible and _status(row, "lessons").status == NOT_APPLICABLE
    assert [r.code for r in row.results if r.status == MET] == ["attendance", "leave", "notes"]
    assert _row(off_site, person).eligible
    row = _row(remote, person)
    assert not row.eligible and [r.code for r in row.unmet] == ["lessons"]
    assert _status(row, "attendance").status == NOT_APPLICABLE
    fake.watched = {(person.user_id, 1)}
    assert _row(remote, person).eligible


def test_staff_edit_a_modes_rules(county, fake):
    from lms.certificates.models import ModeCompletionRules

    person = county["people"]["west"][0]
    fake.all_met([person])
    face = make_class(name="集中轮训班")
    enrol(face, [person])
    rules = ModeCompletionRules.for_mode(TrainingMode.CENTRALISED)
    rules.min_notes = 5
    rules.save()
    assert [r.code for r in _row(face, person).unmet] == ["notes"]

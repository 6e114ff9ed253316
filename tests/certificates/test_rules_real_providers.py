"""Completion rules read the other apps' real records: attendance, leave, notes, trip report, quiz, lessons watched.

No provider is faked here: each learner differs from the one who met every rule by one record in one app,
and the batch job issues a certificate to that one learner only.
"""

import datetime
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms.certificates import services
from lms.certificates.models import Certificate, ClassCertificateRules, IssueBatch
from lms.certificates.rules import MET, NOT_MET, completion_for_class
from lms.classes.models import Attendance, AttendanceStatus, Session, StudyNote, TrainingMode
from lms.quizzes.models import Attempt, Quiz
from lms.trips.models import Participant, Trip, TripReport
from lms.videos.models import Video, WatchProgress
from tests.certificates.conftest import enrol, make_class
from tests.factories import PersonFactory, learner_for

SESSION_HOURS = [Decimal("4")] * 6 + [Decimal("5")]  # planned 29 h: the leave cap is 4.14 h
LEARNERS = ["all_met", "absent", "over_leave", "no_note", "report_not_accepted", "quiz_failed", "not_watched"]


def _sessions(training_class):
    return [
        Session.objects.create(
            training_class=training_class, date=datetime.date(2026, 3, 2) + datetime.timedelta(days=i // 2),
            starts_at=datetime.time(9 if i % 2 == 0 else 14), ends_at=datetime.time(12 if i % 2 == 0 else 17),
            half_day=Session.HalfDay.MORNING if i % 2 == 0 else Session.HalfDay.AFTERNOON,
            topic=f"第{i + 1}讲", credit_hours=hours, state=Session.State.HELD,
        )
        for i, hours in enumerate(SESSION_HOURS)
    ]


def _lesson_with_video():
    catalogue = Page.get_first_root_node().add_child(instance=CourseIndexPage(title="课程中心", slug="kc"))
    course = catalogue.add_child(instance=CoursePage(title="“三议一表决”工作法", slug="syyb", summary="s"))
    video = Video.objects.create(title="三议一表决", source="videos/sources/x/a.mp4", state=Video.State.READY,
                                 duration=600, output_dir="videos/out/a")
    body = json.dumps([{"type": "video", "value": {"title": "讲座", "video": video.pk}}])
    lesson = course.add_child(instance=LessonPage(title="第一课 三议一表决", slug="l1", body=body))
    return course, lesson, video


@pytest.fixture
def world(county):
    """An off-site class with held sessions, a linked trip, a class quiz and a required course with a video."""
    training_class = make_class(name="赴苏州考察学习班", mode=TrainingMode.OFF_SITE)
    training_class.planned_credit_hours = sum(SESSION_HOURS)
    training_class.save(update_fields=["planned_credit_hours"])
    # Lessons are not a default of an off-site class: this one asks for them too, so every rule is exercised.
    ClassCertificateRules.objects.create(training_class=training_class, attendance_threshold=Decimal("0.80"),
                                         require_lessons=True)
    people = {code: PersonFactory(village=county["east"].villages.first(), name=f"学员{i}")
              for i, code in enumerate(LEARNERS)}
    enrol(training_class, people.values())
    users = {code: learner_for(person) for code, person in people.items()}
    sessions = _sessions(training_class)
    course, lesson, video = _lesson_with_video()
    training_class.courses.add(course)
    quiz = Quiz.objects.create(title="结业测验", class_id=training_class.pk, is_published=True)
    trip = Trip.objects.create(title="赴苏州考察学习", starts_on=datetime.date(2026, 3, 3),
                               ends_on=datetime.date(2026, 3, 5), cost_budget=Decimal("1000"),
                               credit_hours=Decimal("8"), training_class=training_class)
    now = timezone.now()
    for code, person in people.items():
        for i, session in enumerate(sessions):
            status = AttendanceStatus.PRESENT
            if code == "absent" and i < 2:
                status = AttendanceStatus.ABSENT
            if code == "over_leave" and i == len(sessions) - 1:
                status = AttendanceStatus.LEAVE_SICK  # the 5-hour session: over the 4.14 h cap
            Attendance.objects.create(session=session, person=person, status=status)
        if code != "no_note":
            StudyNote.objects.create(person=person, training_class=training_class, text="学习体会")
        report_state = TripReport.State.SUBMITTED if code == "report_not_accepted" else TripReport.State.ACCEPTED
        TripReport.objects.create(participant=Participant.objects.create(trip=trip, person=person),
                                  title="考察报告", body="见闻与思考", state=report_state)
        Attempt.objects.create(quiz=quiz, user=users[code], started_at=now, status=Attempt.Status.GRADED,
                               passed=code != "quiz_failed")
        if code != "not_watched":
            WatchProgress.objects.create(user=users[code], video=video, watched_seconds=590, completed_at=now)
    return training_class, people


def _results(row) -> dict:
    return {result.code: result for result in row.results}


def test_each_learner_fails_exactly_the_rule_their_record_breaks(world):
    training_class, people = world
    rows = {row.person.pk: row for row in completion_for_class(training_class=training_class)}
    # This class does not require 评教 (its rule is tested in tests/evaluations); every other rule applies.
    assert all(r.status == "not_applicable" for row in rows.values() for r in row.results if r.code == "evaluation")
    failing = {
        code: sorted(r.code for r in rows[person.pk].results if r.status != MET and r.code != "evaluation")
        for code, person in people.items()
    }
    assert failing == {
        "all_met": [], "absent": ["attendance"], "over_leave": ["leave"], "no_note": ["notes"],
        "report_not_accepted": ["trip"], "quiz_failed": ["quiz"], "not_watched": ["lessons"],
    }
    assert all(rows[p.pk].results for p in people.values())
    eligible = _results(rows[people["all_met"].pk])
    assert "已开7课次，出勤7课次（100%）" in eligible["attendance"].reason
    assert "结业测验" in eligible["quiz"].reason
    leave = _results(rows[people["over_leave"].pk])["leave"]
    assert leave.status == NOT_MET and "5" in leave.reason and "4.14" in leave.reason
    assert "第一课 三议一表决" in _results(rows[people["not_watched"].pk])["lessons"].reason


def test_the_batch_issues_only_to_the_learner_who_met_every_rule(world, staff_user):
    training_class, people = world
    batch = IssueBatch.objects.create(training_class=training_class, started_by=staff_user)
    services.certificate_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.total, batch.done) == (IssueBatch.State.DONE, 1, 1)
    assert list(Certificate.objects.values_list("person_id", flat=True)) == [people["all_met"].pk]

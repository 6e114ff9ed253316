"""Watched lecture videos feed the training record's online credit hours and the certificate lesson rule."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.certificates import providers
from lms.classes.records import record_for
from lms.videos.models import WatchProgress
from lms.videos.records import entries

pytestmark = pytest.mark.django_db


def _watch(user, video, fraction):
    seconds = video.duration * fraction
    WatchProgress.objects.update_or_create(user=user, video=video, defaults={
        "intervals": [[0, seconds]], "watched_seconds": seconds,
        "completed_at": timezone.now() if fraction >= 0.95 else None,
    })


def test_a_course_counts_as_online_study_only_once_its_lecture_is_actually_watched(
    lesson_with_video, ready_video, learner_person, learner_user,
):
    year = timezone.localdate().year
    _watch(learner_user, ready_video, 0.9)
    assert entries(person=learner_person, year=year) == []

    _watch(learner_user, ready_video, 0.96)
    record = record_for(person=learner_person, year=year)

    # Online study is credited per lesson: its estimated 30 minutes at 45 minutes a credit hour.
    [entry] = [e for e in record.entries if e.kind == "lesson"]
    assert entry.category == "online" and entry.credit_hours == Decimal("0.7")
    assert "第一课 村务公开" in entry.title
    assert record.totals["online"] == Decimal("0.7")
    assert entries(person=learner_person, year=year - 1) == []


def test_the_learner_sees_the_watched_course_in_their_training_record(
    client, lesson_with_video, ready_video, learner_user,
):
    _watch(learner_user, ready_video, 1.0)
    client.force_login(learner_user)

    html = client.get(reverse("classes:my_record")).content.decode()

    assert "第一课 村务公开" in html and "0.7" in html


def test_the_certificate_lesson_rule_reads_the_same_watching(lesson_with_video, ready_video, learner_user):
    watched = providers.lesson_watched_function()
    _watch(learner_user, ready_video, 0.5)
    assert watched(user=learner_user, lesson=lesson_with_video) is False

    _watch(learner_user, ready_video, 0.95)
    assert watched(user=learner_user, lesson=lesson_with_video) is True


def test_a_course_with_a_second_unwatched_lecture_is_not_complete(lesson_with_video, ready_video, learner_person,
                                                                 learner_user, make_video, landscape_clip):
    from lms.videos.services import video_process

    second = video_process(video_id=make_video(landscape_clip, title="第二讲").pk)
    course = lesson_with_video.get_parent()
    from courses.models import LessonPage

    course.add_child(instance=LessonPage(title="第二课", slug="di-er-ke", body=json.dumps([
        {"type": "video", "id": "v2", "value": {"title": "第二讲", "note": "", "video": second.pk}},
    ])))
    _watch(learner_user, ready_video, 1.0)
    assert entries(person=learner_person, year=None) == []

    _watch(learner_user, second, 1.0)
    assert len(entries(person=learner_person, year=None)) == 1

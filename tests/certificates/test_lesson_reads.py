"""The lessons rule with the real records: a lesson with a video is done when watched, one without when read."""

import json

import pytest
from django.utils import timezone

from courses.demo import ensure_catalogue
from courses.models import CoursePage, LessonPage
from lms.certificates.rules import MET, NOT_MET, completion_for_class
from lms.classes.models import TrainingMode
from lms.videos.models import Video, WatchProgress
from tests.certificates.conftest import enrol, make_class


@pytest.fixture
def world(learner_person, learner_user):
    """A class whose required course has a video lesson (watched by the learner) and a reading lesson."""
    course = ensure_catalogue().add_child(instance=CoursePage(title="村务公开", slug="cwgk", summary="s"))
    video = Video.objects.create(title="讲座", source="videos/sources/x/a.mp4", state=Video.State.READY,
                                 duration=600, output_dir="videos/out/a")
    body = json.dumps([{"type": "video", "value": {"title": "讲座", "video": video.pk}}])
    course.add_child(instance=LessonPage(title="第一课 讲座", slug="l1", body=body))
    reading = course.add_child(instance=LessonPage(title="第二课 公开清单", slug="l2"))
    training_class = make_class(mode=TrainingMode.REMOTE)  # a remote class is completed by its lessons
    training_class.courses.add(course)
    enrol(training_class, [learner_person])
    WatchProgress.objects.create(user=learner_user, video=video, watched_seconds=590, completed_at=timezone.now())
    return training_class, reading


def _lessons_rule(training_class):
    [row] = completion_for_class(training_class=training_class)
    return next(result for result in row.results if result.code == "lessons")


def test_a_lesson_without_video_is_not_met_until_the_learner_opens_it(client, learner_user, world):
    training_class, reading = world
    rule = _lessons_rule(training_class)
    assert rule.status == NOT_MET
    assert "2个必修课时中有1个未完成" in rule.reason and "第二课 公开清单" in rule.reason
    assert "第一课 讲座" not in rule.reason  # watched: done
    client.force_login(learner_user)
    assert client.get(reading.url).status_code == 200
    rule = _lessons_rule(training_class)
    assert rule.status == MET and "2个必修课时已全部完成" in rule.reason


def test_someone_elses_read_does_not_count(client, staff_user, world):
    training_class, reading = world
    client.force_login(staff_user)
    assert client.get(reading.url).status_code == 200
    assert _lessons_rule(training_class).status == NOT_MET

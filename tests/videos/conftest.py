"""Fixtures for the videos tests: generated clips and a video factory."""

from pathlib import Path

import pytest
from django.core.files import File

from lms.videos.models import Video
from tests.videos.clips import make_clip


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def landscape_clip(clips) -> Path:
    return make_clip(clips / "landscape.mp4")


@pytest.fixture
def make_video(db):
    """Store a file as a video's source, without starting the processing task."""

    def make(path: Path, *, title: str = "测试讲座") -> Video:
        with path.open("rb") as handle:
            video = Video(title=title)
            video.source.save(path.name, File(handle), save=False)
        video.save()
        return video

    return make


@pytest.fixture
def ready_video(make_video, landscape_clip) -> Video:
    from lms.videos.services import video_process

    return video_process(video_id=make_video(landscape_clip, title="村务公开讲座").pk)


@pytest.fixture
def lesson_with_video(ready_video):
    """A live lesson whose body holds a video block choosing the ready video."""
    import json

    from wagtail.models import Page

    from courses.models import CourseIndexPage, CoursePage, LessonPage

    root = Page.get_first_root_node()
    catalogue = root.add_child(instance=CourseIndexPage(title="课程中心", slug="kecheng"))
    course = catalogue.add_child(instance=CoursePage(title="村务公开", slug="cunwu", summary="村务公开的做法"))
    body = json.dumps([
        {"type": "video", "id": "v1", "value": {"title": "讲座", "note": "", "video": ready_video.pk}},
    ])
    return course.add_child(instance=LessonPage(title="第一课 村务公开", slug="di-yi-ke", body=body))

"""Staff in the Wagtail admin: uploading streams to storage, the live progress page, watch reports."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse
from django.utils import timezone

from lms.videos.models import Video, WatchProgress
from lms.videos.tasks import video_process_task
from tests.factories import PersonFactory, learner_for

pytestmark = pytest.mark.django_db


def test_a_large_upload_streams_to_a_temporary_file_and_is_processed(
    client, staff_user, landscape_clip, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # the clip is far larger: it must not be held in memory
    seen = []
    real_complete = TemporaryFileUploadHandler.file_complete

    def spy(self, file_size):
        # Only called with data when the in-memory handler declined the file.
        uploaded = real_complete(self, file_size)
        seen.append((type(uploaded), file_size))
        return uploaded

    monkeypatch.setattr(TemporaryFileUploadHandler, "file_complete", spy)
    # Whatever the broker (eager here, Redis in CI's second run), the upload must enqueue its processing.
    queued = []
    monkeypatch.setattr(video_process_task, "apply_async", lambda args, **options: queued.append(args[0]))
    client.force_login(staff_user)
    with landscape_clip.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("wagtailsnippets_videos_video:add"), {"title": "三议一表决", "source": handle})

    video = Video.objects.get(title="三议一表决")
    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailsnippets_videos_video:edit", args=[video.pk]
    )
    assert seen == [(TemporaryUploadedFile, landscape_clip.stat().st_size)]
    assert video.uploaded_by == staff_user
    assert queued == [video.pk] and video.state == Video.State.UPLOADED
    assert video.source.size == landscape_clip.stat().st_size
    video_process_task.apply(args=[video.pk])
    assert Video.objects.get(pk=video.pk).state == Video.State.READY


def test_a_file_of_the_wrong_kind_is_refused_in_the_form(client, staff_user):
    client.force_login(staff_user)
    upload = SimpleUploadedFile("讲义.docx", b"PK\x03\x04 not a video")
    response = client.post(reverse("wagtailsnippets_videos_video:add"), {"title": "讲义", "source": upload})

    assert response.status_code == 200 and not Video.objects.exists()


def test_the_edit_page_shows_the_state_and_a_live_progress_bar(client, staff_user, make_video, landscape_clip):
    video = make_video(landscape_clip)
    Video.objects.filter(pk=video.pk).update(state=Video.State.PROCESSING, progress=42)
    client.force_login(staff_user)
    html = client.get(reverse("wagtailsnippets_videos_video:edit", args=[video.pk])).content.decode()

    assert 'value="42"' in html and "data-progress-bar" in html
    assert reverse("videos:status", kwargs={"pk": video.pk}) in html and "2000" in html


def test_a_failed_video_shows_its_reason(client, staff_user, make_video, clips):
    bad = clips / "empty-admin.mp4"
    bad.write_bytes(b"")
    from lms.videos.services import video_process

    video = video_process(video_id=make_video(bad).pk)
    client.force_login(staff_user)
    html = client.get(reverse("wagtailsnippets_videos_video:edit", args=[video.pk])).content.decode()

    assert video.failure_message() in html


def test_learners_and_organisers_never_reach_the_video_admin(client, learner_user, organiser_user, ready_video):
    for user in (learner_user, organiser_user):
        client.force_login(user)
        response = client.get(reverse("wagtailsnippets_videos_video:list"))
        assert response.status_code in (302, 403, 404)
        assert client.get(reverse("videos_admin:report")).status_code in (302, 403, 404)


def test_staff_see_who_watched_how_much_per_lesson(
    client, staff_user, county, lesson_with_video, ready_video, django_assert_max_num_queries
):
    people = county["people"]["east"][:3]
    for share, person in zip((1.0, 0.5, 0.1), people, strict=True):
        WatchProgress.objects.create(
            user=learner_for(person), video=ready_video, watched_seconds=ready_video.duration * share,
            completed_at=timezone.now() if share == 1.0 else None,
        )
    client.force_login(staff_user)
    url = reverse("videos_admin:lesson_report", kwargs={"lesson_id": lesson_with_video.pk})
    client.get(url)
    with django_assert_max_num_queries(30) as captured:
        html = client.get(url).content.decode()
    few = len(captured.captured_queries)

    for person in county["people"]["west"][:4] + [PersonFactory(village=people[0].village)]:
        WatchProgress.objects.create(user=learner_for(person), video=ready_video, watched_seconds=1)
    with django_assert_max_num_queries(few):
        client.get(url)

    assert people[0].name in html and "100%" in html and "50%" in html and "10%" in html
    index = client.get(reverse("videos_admin:report")).content.decode()
    assert lesson_with_video.title in index


def test_the_video_list_shows_each_state(client, staff_user, ready_video, make_video, landscape_clip,
                                         django_assert_max_num_queries):
    waiting = make_video(landscape_clip, title="等待处理的讲座")
    Video.objects.filter(pk=waiting.pk).update(state=Video.State.PROCESSING, progress=37)
    client.force_login(staff_user)
    url = reverse("wagtailsnippets_videos_video:list")
    with django_assert_max_num_queries(40) as captured:
        html = client.get(url).content.decode()
    for number in range(5):
        make_video(landscape_clip, title=f"讲座{number}")
    with django_assert_max_num_queries(len(captured.captured_queries)):
        client.get(url)

    assert ready_video.title in html and "37%" in html


def test_replacing_the_recording_processes_it_again_and_drops_the_old_file(
    client, staff_user, ready_video, clips, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from tests.videos.clips import make_clip

    old_source = ready_video.source.name
    queued = []
    monkeypatch.setattr(video_process_task, "apply_async", lambda args, **options: queued.append(args[0]))
    client.force_login(staff_user)
    new = make_clip(clips / "replacement.mp4", seconds=2)
    with new.open("rb") as handle, django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("wagtailsnippets_videos_video:edit", args=[ready_video.pk]),
                    {"title": ready_video.title, "source": handle})

    ready_video.refresh_from_db()
    assert queued == [ready_video.pk] and ready_video.source.name != old_source
    assert not default_storage.exists(old_source) and default_storage.exists(ready_video.source.name)
    assert ready_video.is_playable  # learners keep the old version until the new one is ready

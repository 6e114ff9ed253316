"""Learner playback views, watch reports, resume, processed files, and the staff status poll."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.videos.models import WatchProgress
from lms.videos.selectors import lesson_watched, video_watch_progress

pytestmark = pytest.mark.django_db


def _report(client, video, intervals, position=None):
    return client.post(
        reverse("videos:report", kwargs={"pk": video.pk}),
        data=json.dumps({"intervals": intervals, "position": position}), content_type="application/json",
    )


def _age_last_report(user, video, seconds):
    WatchProgress.objects.filter(user=user, video=video).update(
        last_report_at=timezone.now() - timedelta(seconds=seconds)
    )


def test_the_watch_page_offers_adaptive_playback_and_the_data_saver(client, learner_user, ready_video):
    client.force_login(learner_user)
    html = client.get(reverse("videos:watch", kwargs={"pk": ready_video.pk})).content.decode()

    assert f'data-hls="/videos/{ready_video.pk}/files/master.m3u8"' in html
    assert "download.mp4" in html and "audio.m4a" in html and "poster.jpg" in html
    assert 'value="mp4"' in html and 'value="audio"' in html
    assert "videos/vendor/hls.min.js" in html


def test_an_unprocessed_video_says_it_is_being_prepared(client, learner_user, make_video, landscape_clip):
    video = make_video(landscape_clip)
    client.force_login(learner_user)
    html = client.get(reverse("videos:watch", kwargs={"pk": video.pk})).content.decode()

    assert "data-video-player" not in html and "video-placeholder" in html


def test_played_intervals_are_merged_and_the_video_counts_at_95_percent(client, learner_user, ready_video):
    client.force_login(learner_user)
    duration = ready_video.duration
    assert _report(client, ready_video, []).status_code == 200  # play pressed
    _age_last_report(learner_user, ready_video, 60)
    answer = _report(client, ready_video, [[0, duration * 0.5], [duration * 0.4, duration * 0.9]], 2.5).json()
    assert answer["percent"] == 90 and not answer["completed"]

    _age_last_report(learner_user, ready_video, 60)
    answer = _report(client, ready_video, [[duration * 0.9, duration * 0.96]], duration).json()

    assert answer["completed"]
    status = video_watch_progress(user=learner_user, video=ready_video)
    assert status.completed and status.percent == 96


def test_a_page_cannot_claim_more_than_double_the_time_since_its_last_report(client, learner_user, ready_video):
    client.force_login(learner_user)
    _report(client, ready_video, [])
    # Immediately claiming the whole lecture: only the few seconds of allowed jitter are kept.
    answer = _report(client, ready_video, [[0, ready_video.duration]]).json()

    assert answer["watched_seconds"] <= 5.0 + 0.5


def test_progress_resumes_on_another_device(client, learner_user, ready_video):
    client.force_login(learner_user)
    _report(client, ready_video, [], 2.0)

    phone = type(client)()
    phone.force_login(learner_user)
    html = phone.get(reverse("videos:watch", kwargs={"pk": ready_video.pk})).content.decode()

    assert 'data-position="2.0"' in html


def test_garbage_reports_are_refused_or_ignored(client, learner_user, ready_video):
    client.force_login(learner_user)
    url = reverse("videos:report", kwargs={"pk": ready_video.pk})

    assert client.post(url, data="{not json", content_type="application/json").status_code == 400
    assert client.post(url, data=json.dumps({"intervals": "all"}), content_type="application/json").status_code == 400
    answer = _report(client, ready_video, [["a", "b"], [5, 1], [-10, -5], None]).json()
    assert answer["watched_seconds"] == 0


def test_lesson_watched_needs_every_video_watched(client, learner_user, lesson_with_video, ready_video):
    assert not lesson_watched(user=learner_user, lesson=lesson_with_video)
    WatchProgress.objects.create(
        user=learner_user, video=ready_video, intervals=[[0, ready_video.duration]],
        watched_seconds=ready_video.duration, completed_at=timezone.now(),
    )
    assert lesson_watched(user=learner_user, lesson=lesson_with_video)


def test_processed_files_need_sign_in_and_support_byte_ranges(client, learner_user, ready_video):
    url = reverse("videos:file", kwargs={"pk": ready_video.pk, "name": "download.mp4"})
    assert client.get(url).status_code == 302

    client.force_login(learner_user)
    whole = client.get(url)
    body = b"".join(whole.streaming_content)
    part = client.get(url, HTTP_RANGE="bytes=100-199")

    assert whole["Content-Type"] == "video/mp4" and int(whole["Content-Length"]) == len(body)
    assert part.status_code == 206 and b"".join(part.streaming_content) == body[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(body)}"
    master = client.get(reverse("videos:file", kwargs={"pk": ready_video.pk, "name": "master.m3u8"}))
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    for name in ("..", ".work-x", "nothere.ts"):
        assert client.get(reverse("videos:file", kwargs={"pk": ready_video.pk, "name": name})).status_code == 404


def test_the_status_poll_is_for_staff_only(client, learner_user, staff_user, ready_video):
    url = reverse("videos:status", kwargs={"pk": ready_video.pk})
    client.force_login(learner_user)
    assert client.get(url).status_code == 404

    client.force_login(staff_user)
    data = client.get(url).json()
    assert data["state"] == "ready" and data["progress"] == 100

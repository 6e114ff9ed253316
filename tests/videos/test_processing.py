"""The real ffmpeg pipeline on short generated clips: renditions, playlists, odd inputs, bad inputs."""

import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from lms.videos import services
from lms.videos.binaries import ffmpeg_exe
from lms.videos.errors import FailureReason
from lms.videos.hls import parse_master_playlist, parse_media_playlist
from lms.videos.models import Rendition, Video
from lms.videos.probe import probe_media
from tests.videos.clips import make_clip

pytestmark = pytest.mark.django_db


def _path(name: str) -> Path:
    return Path(default_storage.path(name))


def _output_size(path: Path) -> tuple[int, int]:
    info = probe_media(str(path))
    return info.display_width, info.display_height


def _sets(video: Video) -> list[str]:
    dirs, _files = default_storage.listdir(services.video_folder(video.pk))
    return sorted(dirs)


def test_a_720p_lecture_gets_the_whole_ladder_within_bitrate_bounds(clips, make_video):
    source = make_clip(clips / "hd.mp4", size="1280x720", seconds=4, busy=True)
    video = services.video_process(video_id=make_video(source).pk)

    assert video.state == Video.State.READY and video.progress == 100
    assert video.duration == pytest.approx(4, abs=0.2)
    assert (video.width, video.height, video.has_audio, video.has_video) == (1280, 720, True, True)
    master_path = _path(video.renditions.get(kind=Rendition.Kind.MASTER).file.name)
    variants = parse_master_playlist(master_path.read_text())
    assert [v.resolution for v in variants] == [(426, 240), (640, 360), (1280, 720)]
    targets = {240: 300_000, 360: 600_000, 720: 1_500_000}
    for variant in variants:
        playlist = parse_media_playlist((master_path.parent / variant.uri).read_text())
        assert playlist.ended and playlist.duration == pytest.approx(4, abs=0.3)
        assert "mp4a.40.2" in variant.codecs
        first_segment = master_path.parent / playlist.segments[0][1]
        assert _output_size(first_segment) == variant.resolution
        target = targets[variant.resolution[1]] + 64_000
        # Noisy test pictures are hard to compress, so the encoder spends close to its budget.
        assert 0.5 * target < variant.average_bandwidth < 1.3 * target, variant
    mp4 = video.renditions.get(kind=Rendition.Kind.MP4)
    assert (mp4.width, mp4.height) == (640, 360) and _output_size(_path(mp4.file.name)) == (640, 360)
    assert mp4.bitrate < 600_000
    data = _path(mp4.file.name).read_bytes()
    assert 0 < data.find(b"moov") < data.find(b"mdat"), "fast start: the index comes before the media"
    audio = video.renditions.get(kind=Rendition.Kind.AUDIO)
    assert 48_000 < audio.bitrate < 80_000
    audio_info = probe_media(default_storage.path(audio.file.name))
    assert audio_info.has_audio and not audio_info.has_video
    assert video.poster.name.endswith("poster.jpg") and _path(video.poster.name).read_bytes()[:2] == b"\xff\xd8"


def test_a_small_source_is_never_upscaled(landscape_clip, make_video):
    video = services.video_process(video_id=make_video(landscape_clip).pk)

    heights = sorted(r.height for r in video.renditions.filter(kind=Rendition.Kind.HLS))
    assert heights == [240]


def test_a_rotated_phone_recording_comes_out_upright(clips, make_video):
    source = make_clip(clips / "phone.mp4", size="320x240", rotate=90)
    video = services.video_process(video_id=make_video(source).pk)

    assert video.state == Video.State.READY
    assert video.rotation in (90, 270) and (video.width, video.height) == (240, 320)
    variant = video.renditions.get(kind=Rendition.Kind.HLS)
    assert (variant.width, variant.height) == (240, 320)
    playlist_path = _path(variant.file.name)
    segment = playlist_path.parent / parse_media_playlist(playlist_path.read_text()).segments[0][1]
    assert _output_size(segment) == (240, 320)
    assert _output_size(_path(video.renditions.get(kind=Rendition.Kind.MP4).file.name)) == (240, 320)


def test_odd_width_and_height_are_made_even(clips, make_video):
    source = make_clip(clips / "odd.mkv", size="367x279")
    video = services.video_process(video_id=make_video(source).pk)

    assert video.state == Video.State.READY, video.failure_detail
    variant = video.renditions.get(kind=Rendition.Kind.HLS)
    assert (variant.width, variant.height) == (316, 240)


def test_an_audio_only_recording_gets_the_audio_rendition_only(clips, make_video):
    source = make_clip(clips / "talk.mp3", video=False, seconds=3)
    video = services.video_process(video_id=make_video(source).pk)

    assert video.state == Video.State.READY and video.is_audio_only
    assert list(video.renditions.values_list("kind", flat=True)) == [Rendition.Kind.AUDIO]
    assert not video.poster


def test_a_silent_video_gets_pictures_without_an_audio_track(clips, make_video):
    source = make_clip(clips / "silent.mp4", audio=False)
    video = services.video_process(video_id=make_video(source).pk)

    assert video.state == Video.State.READY and not video.has_audio
    kinds = set(video.renditions.values_list("kind", flat=True))
    assert kinds == {"master", "hls", "mp4", "poster"}
    variants = parse_master_playlist(_path(video.renditions.get(kind="master").file.name).read_text())
    assert variants[0].codecs == "avc1.4d401f"
    assert not probe_media(default_storage.path(video.renditions.get(kind="mp4").file.name)).has_audio


def test_a_variable_frame_rate_recording_keeps_its_length(clips, make_video):
    source = make_clip(clips / "vfr.mp4", seconds=4, vfr=True)
    video = services.video_process(video_id=make_video(source).pk)

    assert video.state == Video.State.READY
    playlist_path = _path(video.renditions.get(kind="hls").file.name)
    assert parse_media_playlist(playlist_path.read_text()).duration == pytest.approx(4, abs=0.3)


def _truncated(clips: Path) -> Path:
    whole = make_clip(clips / "whole.mp4", seconds=6, extra=("-movflags", "+faststart"))
    cut = clips / "cut.mp4"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) // 3])
    return cut


@pytest.mark.parametrize(
    ("maker", "reason"),
    [
        (lambda clips: _write(clips / "empty.mp4", b""), FailureReason.EMPTY),
        (lambda clips: _write(clips / "notes.mp4", "这不是视频,是一份讲义。\n".encode() * 50), FailureReason.NOT_MEDIA),
        (lambda clips: _write(clips / "noise.mov", bytes(range(256)) * 40), FailureReason.NOT_MEDIA),
        (_truncated, FailureReason.DAMAGED),
    ],
    ids=["zero-length", "text", "random-bytes", "truncated"],
)
def test_a_bad_file_fails_with_a_clear_reason(clips, make_video, maker, reason):
    video = services.video_process(video_id=make_video(maker(clips)).pk)

    assert video.state == Video.State.FAILED
    assert video.failure_reason == reason
    assert video.failure_message() == str(reason.label)
    assert not video.renditions.exists()
    folder = services.video_folder(video.pk)
    assert not default_storage.exists(folder) or _sets(video) == []


def test_a_missing_source_fails(make_video, landscape_clip):
    video = make_video(landscape_clip)
    default_storage.delete(video.source.name)

    assert services.video_process(video_id=video.pk).failure_reason == FailureReason.MISSING


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_probing_without_ffprobe_reads_ffmpegs_banner(clips, monkeypatch):
    from lms.videos import probe

    monkeypatch.setattr(probe, "ffprobe_exe", lambda: None)
    source = make_clip(clips / "probe.mp4", size="320x240", rotate=90, seconds=2)
    info = probe.probe_media(str(source))

    assert (info.width, info.height, info.rotation) == (320, 240, 270)
    assert (info.display_width, info.display_height) == (240, 320)
    assert info.duration == pytest.approx(2, abs=0.1) and info.has_audio and info.has_video


def test_the_ffmpeg_binary_runs():
    result = subprocess.run([ffmpeg_exe(), "-version"], capture_output=True, text=True, check=True)
    assert result.stdout.startswith("ffmpeg version")

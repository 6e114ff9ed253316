"""Parsers of ffmpeg's output and of HLS playlists, property-tested where the input space is large."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.videos.errors import FailureReason, MediaError
from lms.videos.hls import PlaylistError, parse_master_playlist, parse_media_playlist
from lms.videos.probe import parse_ffmpeg_banner, parse_ffprobe_json
from lms.videos.transcode import parse_progress_line, plan_ladder, scaled_size

BANNER = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'phone.mp4':
  Duration: {h:02d}:{m:02d}:{s:05.2f}, start: 0.000000, bitrate: 900 kb/s
  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(tv, bt709, progressive), {w}x{hh} [SAR 1:1 DAR 16:9], 800 kb/s, {fps} fps, 30 tbr, 90k tbn (default)
    Metadata:
      handler_name    : VideoHandle
    Side data:
      displaymatrix: rotation of {rot:.2f} degrees
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, stereo, fltp, 96 kb/s (default)
At least one output file must be specified
"""  # noqa: E501


@given(
    h=st.integers(0, 9), m=st.integers(0, 59), s=st.floats(0, 59.99), w=st.integers(2, 4096),
    hh=st.integers(2, 4096), fps=st.sampled_from(["25", "29.97", "30", "59.94", "14.83"]),
    rot=st.sampled_from([0, 90, -90, 180, 270, -270]),
)
def test_the_ffmpeg_banner_gives_back_size_rotation_duration_and_streams(h, m, s, w, hh, fps, rot):
    info = parse_ffmpeg_banner(BANNER.format(h=h, m=m, s=s, w=w, hh=hh, fps=fps, rot=rot))

    assert info.duration == pytest.approx(h * 3600 + m * 60 + round(s, 2), abs=0.01)
    assert (info.width, info.height) == (w, hh)
    assert info.rotation == (-rot) % 360
    assert info.has_video and info.has_audio and info.fps == pytest.approx(float(fps))


def test_cover_art_in_an_mp3_is_not_a_video():
    text = """Input #0, mp3, from 'talk.mp3':
  Duration: 00:45:00.00, start: 0.025057, bitrate: 64 kb/s
  Stream #0:0: Audio: mp3 (mp3float), 44100 Hz, mono, fltp, 64 kb/s
  Stream #0:1: Video: mjpeg (Baseline), yuvj420p(pc, bt470bg/unknown/unknown), 500x500, 90k tbr, 90k tbn (attached pic)
"""
    info = parse_ffmpeg_banner(text)
    assert info.has_audio and not info.has_video and info.duration == 2700


def test_an_unknown_duration_and_garbage_are_told_apart():
    assert parse_ffmpeg_banner("Input #0, mpegts, from 'x.ts':\n  Duration: N/A, bitrate: N/A\n").duration is None
    with pytest.raises(MediaError) as caught:
        parse_ffmpeg_banner("x.mp4: Invalid data found when processing input\n")
    assert caught.value.reason == FailureReason.NOT_MEDIA


def test_ffprobe_json_is_read_the_same_way():
    info = parse_ffprobe_json({
        "format": {"duration": "12.5"},
        "streams": [
            {"codec_type": "video", "width": 1920, "height": 1080, "avg_frame_rate": "30000/1001",
             "side_data_list": [{"side_data_type": "Display Matrix", "rotation": -90}]},
            {"codec_type": "audio"},
        ],
    })
    assert (info.duration, info.display_width, info.display_height, info.rotation) == (12.5, 1080, 1920, 90)
    assert info.fps == pytest.approx(29.97, abs=0.01)


@given(st.integers(-10**12, 10**12))
def test_progress_lines_give_seconds_never_below_zero(value):
    assert parse_progress_line(f"out_time_us={value}") == max(0.0, value / 1_000_000)


@given(st.integers(2, 4000), st.integers(2, 4000))
def test_the_ladder_is_even_never_upscaled_and_keeps_the_shape(width, height):
    rungs = plan_ladder(width, height)

    assert rungs
    for rung in rungs:
        assert rung.width % 2 == 0 and rung.height % 2 == 0
        assert min(rung.width, rung.height) <= max(min(width, height), 2) + 1
        assert abs(rung.width / rung.height - width / height) <= 0.05 * (width / height) + 2 / rung.height
    assert scaled_size(1280, 720, 240) == (426, 240)


def test_playlists_that_players_would_reject_are_refused():
    with pytest.raises(PlaylistError):
        parse_media_playlist("#EXTINF:4,\nseg.ts\n")
    with pytest.raises(PlaylistError):
        parse_media_playlist("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:9.0,\nseg.ts\n")
    with pytest.raises(PlaylistError):
        parse_master_playlist("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\nlow.m3u8\n")

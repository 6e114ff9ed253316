"""Turn one source into the weak-network outputs in a single ffmpeg run, built with ffmpeg-python."""

import ctypes
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from .binaries import ffmpeg_exe
from .errors import FailureReason, MediaError, TransientError
from .hls import Variant, measure_variant, write_master_playlist
from .probe import MediaInfo

# (short side in pixels, video bits per second): the ladder the stations' links can carry.
LADDER = [(240, 300_000), (360, 600_000), (720, 1_500_000)]
AUDIO_BITRATE = 64_000
MP4_SHORT_SIDE = 360
MP4_VIDEO_BITRATE = 400_000
POSTER_MAX_WIDTH = 640
SEGMENT_SECONDS = 4
GOP_SECONDS = 2
MAX_FPS = 30
PR_SET_PDEATHSIG = 1  # prctl option: the signal a child gets when its parent dies
MASTER_PLAYLIST = "master.m3u8"
MP4_NAME = "download.mp4"
AUDIO_NAME = "audio.m4a"
POSTER_NAME = "poster.jpg"
H264_CODECS = "avc1.4d401f"  # Main profile, level 3.1: plays on old phones and set-top boxes.
AAC_CODECS = "mp4a.40.2"


@dataclass(frozen=True)
class Rung:
    name: str
    width: int
    height: int
    video_bitrate: int


@dataclass
class Output:
    kind: str  # "hls", "mp4", "audio", "poster"
    name: str
    width: int = 0
    height: int = 0
    bitrate: int = 0


@dataclass
class TranscodeResult:
    outputs: list[Output]
    duration: float


def _even(value: float) -> int:
    return max(2, int(round(value / 2.0)) * 2)


def scaled_size(width: int, height: int, short_side: int) -> tuple[int, int]:
    """Even width and height with the given short side, keeping the picture's shape."""
    if width >= height:
        return _even(width * short_side / height), _even(short_side)
    return _even(short_side), _even(height * short_side / width)


def plan_ladder(width: int, height: int) -> list[Rung]:
    """The HLS rungs for a picture of this display size, never larger than the source."""
    short = min(width, height)
    rungs = [
        Rung(f"{target}p", *scaled_size(width, height, target), bitrate)
        for target, bitrate in LADDER
        if target <= short
    ]
    if not rungs:
        # A tiny source still gets one rung, at its own (even) size.
        _target, bitrate = LADDER[0]
        rungs = [Rung(f"{_even(short)}p", *scaled_size(width, height, _even(short)), bitrate)]
    return rungs


def output_fps(source_fps: float | None) -> int:
    """A constant frame rate for the outputs: variable-rate phone video becomes steady, 60 fps halves."""
    if not source_fps or source_fps <= 0:
        return 25
    return max(1, min(MAX_FPS, int(round(source_fps))))


def build_command(source: str, info: MediaInfo, out_dir: Path) -> tuple[list[str], list[Output]]:
    """The ffmpeg arguments that make every output from one decoding of the source."""
    inp = ffmpeg.input(source)
    outputs: list[Output] = []
    streams = []
    audio_args = {"c:a": "aac", "b:a": AUDIO_BITRATE, "ar": 44100}
    video_outputs = 0
    rungs: list[Rung] = []
    if info.has_video:
        rungs = plan_ladder(info.display_width, info.display_height)
        mp4_rung = next((r for r in reversed(rungs) if min(r.width, r.height) <= MP4_SHORT_SIDE), rungs[0])
        video_outputs = len(rungs) + 2
    audio_outputs = (len(rungs) + 2) if info.has_audio else 0
    fps = output_fps(info.fps)
    video = inp.video.filter("fps", fps=fps).filter_multi_output("split", video_outputs) if video_outputs else None
    audio = inp.audio.filter_multi_output("asplit", audio_outputs) if audio_outputs else None
    v_index = a_index = 0

    def next_video(rung_w: int, rung_h: int):
        nonlocal v_index
        stream = video[v_index].filter("scale", rung_w, rung_h).filter("setsar", 1).filter("format", "yuv420p")
        v_index += 1
        return stream

    def next_audio():
        nonlocal a_index
        stream = audio[a_index]
        a_index += 1
        return stream

    x264 = {
        "c:v": "libx264", "preset": "veryfast", "profile:v": "main", "level": "3.1",
        "g": fps * GOP_SECONDS, "keyint_min": fps * GOP_SECONDS, "sc_threshold": 0,
    }
    for rung in rungs:
        parts = [next_video(rung.width, rung.height)] + ([next_audio()] if info.has_audio else [])
        args = {
            **x264, "b:v": rung.video_bitrate, "maxrate": int(rung.video_bitrate * 1.2),
            "bufsize": rung.video_bitrate * 2,
            "f": "hls", "hls_time": SEGMENT_SECONDS, "hls_playlist_type": "vod",
            "hls_flags": "independent_segments", "hls_segment_filename": str(out_dir / f"{rung.name}_%04d.ts"),
        }
        if info.has_audio:
            args.update(audio_args)
        streams.append(ffmpeg.output(*parts, str(out_dir / f"{rung.name}.m3u8"), **args))
        outputs.append(Output("hls", f"{rung.name}.m3u8", rung.width, rung.height, rung.video_bitrate))
    if info.has_video:
        parts = [next_video(mp4_rung.width, mp4_rung.height)] + ([next_audio()] if info.has_audio else [])
        args = {
            **x264, "b:v": MP4_VIDEO_BITRATE, "maxrate": int(MP4_VIDEO_BITRATE * 1.2),
            "bufsize": MP4_VIDEO_BITRATE * 2, "movflags": "+faststart", "f": "mp4",
        }
        if info.has_audio:
            args.update(audio_args)
        streams.append(ffmpeg.output(*parts, str(out_dir / MP4_NAME), **args))
        outputs.append(Output("mp4", MP4_NAME, mp4_rung.width, mp4_rung.height, MP4_VIDEO_BITRATE))
        poster_w, poster_h = _poster_size(info)
        poster_at = min(5.0, (info.duration or 0) * 0.1)
        poster = (
            video[v_index].filter("trim", start=poster_at).filter("scale", poster_w, poster_h)
            .filter("setsar", 1)
        )
        v_index += 1
        streams.append(ffmpeg.output(poster, str(out_dir / POSTER_NAME), vframes=1, **{"q:v": 4, "f": "image2"}))
        outputs.append(Output("poster", POSTER_NAME, poster_w, poster_h))
    if info.has_audio:
        args = {**audio_args, "movflags": "+faststart", "f": "mp4"}
        streams.append(ffmpeg.output(next_audio(), str(out_dir / AUDIO_NAME), **args))
        outputs.append(Output("audio", AUDIO_NAME, bitrate=AUDIO_BITRATE))
    graph = ffmpeg.merge_outputs(*streams).global_args("-hide_banner", "-nostdin", "-nostats", "-progress", "pipe:1")
    return graph.compile(cmd=ffmpeg_exe(), overwrite_output=True), outputs


def _poster_size(info: MediaInfo) -> tuple[int, int]:
    width, height = info.display_width, info.display_height
    if width <= POSTER_MAX_WIDTH:
        return _even(width), _even(height)
    return _even(POSTER_MAX_WIDTH), _even(height * POSTER_MAX_WIDTH / width)


def parse_progress_line(line: str) -> float | None:
    """Seconds of output written, from one line of ffmpeg's -progress report."""
    key, _, value = line.strip().partition("=")
    if key in ("out_time_us", "out_time_ms") and value.strip().lstrip("-").isdigit():
        # Both keys carry microseconds (out_time_ms is a historical misnomer).
        return max(0.0, int(value) / 1_000_000)
    return None


def die_with_parent() -> None:
    """In the ffmpeg child: be killed when the worker process dies, so no orphan keeps transcoding (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def run_ffmpeg(args: list[str], *, on_progress: Callable[[float], None] | None = None,
               timeout: float | None = None) -> float:
    """Run ffmpeg, feeding each progress report to on_progress; returns the seconds written."""
    written = 0.0
    with tempfile.TemporaryFile(mode="w+", errors="replace") as stderr:
        # stderr goes to a file so a chatty ffmpeg can never block on a full pipe.
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=stderr, text=True, errors="replace",
                                   preexec_fn=die_with_parent)
        started = time.monotonic()
        try:
            for line in process.stdout:
                seconds = parse_progress_line(line)
                if seconds is not None:
                    written = max(written, seconds)
                    if on_progress:
                        on_progress(written)
                if timeout and time.monotonic() - started > timeout:
                    process.kill()
                    raise TransientError("ffmpeg took longer than its time limit")
            process.wait()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        stderr.seek(0)
        log = stderr.read()
    if process.returncode != 0:
        tail = "\n".join(log.strip().splitlines()[-5:])
        if process.returncode < 0 or "No space left" in log or "Cannot allocate memory" in log:
            raise TransientError(f"ffmpeg stopped ({process.returncode}): {tail}")
        raise MediaError(FailureReason.DAMAGED, tail)
    return written


def transcode(source: str, info: MediaInfo, out_dir: Path, *,
              on_progress: Callable[[float], None] | None = None) -> TranscodeResult:
    """Make every output into out_dir and write the master playlist; raise MediaError on a bad source."""
    args, outputs = build_command(source, info, out_dir)
    timeout = max(600.0, (info.duration or 3600) * 10)
    written = run_ffmpeg(args, on_progress=on_progress, timeout=timeout)
    if info.duration and written < info.duration * 0.9 - 1.0:
        # The header promised more than the file holds: cut off in upload or recording.
        raise MediaError(FailureReason.DAMAGED, f"decoded {written:.1f}s of {info.duration:.1f}s")
    duration = info.duration or written
    if duration < 1.0:
        raise MediaError(FailureReason.TOO_SHORT)
    variants = []
    for output in outputs:
        if output.kind == "hls":
            peak, average = measure_variant(out_dir / output.name)
            codecs = f"{H264_CODECS},{AAC_CODECS}" if info.has_audio else H264_CODECS
            variants.append(Variant(output.name, peak, average, (output.width, output.height), codecs))
            output.bitrate = average
        elif output.kind in ("mp4", "audio"):
            output.bitrate = int((out_dir / output.name).stat().st_size * 8 / duration)
    if variants:
        write_master_playlist(out_dir / MASTER_PLAYLIST, variants)
        outputs.insert(0, Output("master", MASTER_PLAYLIST))
    return TranscodeResult(outputs=outputs, duration=duration)

"""Read a media file's duration, picture size, rotation and streams, with or without ffprobe."""

import json
import re
import subprocess
from dataclasses import dataclass

from .binaries import ffmpeg_exe, ffprobe_exe
from .errors import FailureReason, MediaError

PROBE_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class MediaInfo:
    duration: float | None
    width: int = 0
    height: int = 0
    rotation: int = 0
    fps: float | None = None
    has_video: bool = False
    has_audio: bool = False

    @property
    def display_width(self) -> int:
        """Width as shown: a phone recording rotated by 90° shows its coded height."""
        return self.height if self.rotation in (90, 270) else self.width

    @property
    def display_height(self) -> int:
        """Height as shown."""
        return self.width if self.rotation in (90, 270) else self.height


def normalise_rotation(degrees: float) -> int:
    """Fold any rotation angle into 0, 90, 180 or 270."""
    return int(round(degrees / 90.0)) * 90 % 360


_DURATION = re.compile(r"^\s*Duration:\s*(?:(\d+):(\d+):(\d+(?:\.\d+)?)|N/A)", re.M)
_STREAM = re.compile(r"^\s*Stream #\d+:\d+[^:]*:\s*(Video|Audio|Subtitle|Data|Attachment):\s*(.*)$", re.M)
_SIZE = re.compile(r"(?:^|[\s,])(\d{1,5})x(\d{1,5})(?=[\s,\[]|$)")
_FPS = re.compile(r"([\d.]+)\s*(?:fps|tbr)\b")
_ROTATION = re.compile(r"(?:displaymatrix|Display Matrix): rotation of (-?[\d.]+) degrees", re.I)
_ROTATE_TAG = re.compile(r"^\s*rotate\s*:\s*(-?\d+)", re.M)


def parse_ffmpeg_banner(text: str) -> MediaInfo:
    """Parse the input description `ffmpeg -i` prints on stderr."""
    if "Input #0" not in text:
        raise MediaError(FailureReason.NOT_MEDIA, _last_line(text))
    duration = None
    match = _DURATION.search(text)
    if match and match.group(1) is not None:
        hours, minutes, seconds = match.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    width = height = 0
    fps = None
    rotation = 0
    has_video = has_audio = False
    streams = list(_STREAM.finditer(text))
    for index, stream in enumerate(streams):
        kind, desc = stream.group(1), stream.group(2)
        if kind == "Audio":
            has_audio = True
        elif kind == "Video" and "attached pic" not in desc and not has_video:
            # Cover art in an MP3 is a picture, not a video track.
            size = _SIZE.search(desc)
            if not size:
                continue
            has_video = True
            width, height = int(size.group(1)), int(size.group(2))
            rate = _FPS.search(desc)
            fps = float(rate.group(1)) if rate else None
            end = streams[index + 1].start() if index + 1 < len(streams) else len(text)
            tail = text[stream.end():end]
            rot = _ROTATION.search(tail)
            if rot:
                # The display matrix angle is counter-clockwise; we only need the quarter turn.
                rotation = normalise_rotation(-float(rot.group(1)))
            else:
                tag = _ROTATE_TAG.search(tail)
                rotation = normalise_rotation(float(tag.group(1))) if tag else 0
    return MediaInfo(duration, width, height, rotation, fps, has_video, has_audio)


def parse_ffprobe_json(data: dict) -> MediaInfo:
    """Read ffprobe's -show_format -show_streams JSON."""
    duration = _float(data.get("format", {}).get("duration"))
    info = {"width": 0, "height": 0, "rotation": 0, "fps": None, "has_video": False, "has_audio": False}
    for stream in data.get("streams", []):
        kind = stream.get("codec_type")
        if kind == "audio":
            info["has_audio"] = True
        elif kind == "video" and not info["has_video"] and not stream.get("disposition", {}).get("attached_pic"):
            info.update(has_video=True, width=int(stream.get("width") or 0), height=int(stream.get("height") or 0))
            num, _, den = (stream.get("avg_frame_rate") or stream.get("r_frame_rate") or "0/0").partition("/")
            info["fps"] = float(num) / float(den) if den and float(den) else None
            rotation = 0.0
            for side in stream.get("side_data_list", []) or []:
                if "rotation" in side:
                    rotation = -float(side["rotation"])
            if not rotation and stream.get("tags", {}).get("rotate"):
                rotation = float(stream["tags"]["rotate"])
            info["rotation"] = normalise_rotation(rotation)
    return MediaInfo(duration=duration, **info)


def probe_media(path: str) -> MediaInfo:
    """Describe a media file, raising MediaError when it is not usable media."""
    probe = ffprobe_exe()
    if probe:
        result = _run([probe, "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path])
        if result.returncode != 0:
            raise MediaError(FailureReason.NOT_MEDIA, _last_line(result.stderr))
        info = parse_ffprobe_json(json.loads(result.stdout or "{}"))
    else:
        # ffmpeg with no output exits non-zero by design; the banner on stderr is what we read.
        result = _run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", path])
        info = parse_ffmpeg_banner(result.stderr)
    if not info.has_video and not info.has_audio:
        raise MediaError(FailureReason.NO_STREAMS)
    return info


def _run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, capture_output=True, text=True, errors="replace", timeout=PROBE_TIMEOUT_SECONDS, check=False
    )


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""

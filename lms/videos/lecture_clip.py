"""Generate a stand-in lecture (test pictures and speech-like sound) for the demo and the benchmark."""

import subprocess
from pathlib import Path

from .binaries import ffmpeg_exe

# Pink noise shaped to the voice band and pulsed at syllable rate, over a low voiced tone:
# it encodes like a talking head's soundtrack, unlike a pure sine.
SPEECH_LIKE = (
    "anoisesrc=color=pink:amplitude=0.5:sample_rate=44100:duration={seconds},"
    "bandpass=f=700:width_type=h:w=1400,tremolo=f=4.5:d=0.85,volume=0.8[noise];"
    "sine=frequency=140:sample_rate=44100:duration={seconds},volume=0.15[voice];"
    "[noise][voice]amix=inputs=2:duration=shortest"
)


def lecture_args(path: Path, *, seconds: float, size: str = "1280x720", fps: int = 25) -> list[str]:
    """The ffmpeg arguments that write a generated lecture of the given length and picture size."""
    return [
        ffmpeg_exe(), "-y", "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}:duration={seconds}",
        "-f", "lavfi", "-i", SPEECH_LIKE.format(seconds=seconds),
        "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "128k", "-shortest", "-movflags", "+faststart", str(path),
    ]


def make_lecture(path: Path, *, seconds: float, size: str = "1280x720") -> Path:
    """Write a generated lecture to path."""
    subprocess.run(lecture_args(path, seconds=seconds, size=size), check=True, capture_output=True)
    return path

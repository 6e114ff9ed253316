"""Where the ffmpeg and ffprobe programs are: the system's when on PATH, else imageio-ffmpeg's."""

import functools
import shutil


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg program; a fresh machine falls back to the wheel's binary."""
    system = shutil.which("ffmpeg")
    if system:
        return system
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@functools.cache
def ffprobe_exe() -> str | None:
    """Path of ffprobe, or None: imageio-ffmpeg ships ffmpeg only, so probing must work without it."""
    if not shutil.which("ffmpeg"):
        # A system ffprobe paired with the wheel's ffmpeg could disagree on formats; use one tool set.
        return None
    return shutil.which("ffprobe")

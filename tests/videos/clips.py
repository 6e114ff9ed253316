"""Short generated clips (lavfi test sources) for the videos tests."""

import subprocess
from pathlib import Path

from lms.videos.binaries import ffmpeg_exe


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-y", "-hide_banner", "-loglevel", "error", *args], check=True)


def make_clip(path: Path, *, size: str = "320x240", seconds: float = 3, audio: bool = True, video: bool = True,
              rotate: int = 0, vfr: bool = False, busy: bool = False, extra: tuple = ()) -> Path:
    """Write a clip: testsrc pictures and a speech-like tone, in whatever container the suffix says."""
    args: list[str] = []
    if video:
        source = "testsrc2" if busy else "testsrc"
        graph = f"{source}=size={size}:rate=30:duration={seconds}"
        if busy:
            graph += ",noise=alls=30:allf=t"
        args += ["-f", "lavfi", "-i", graph]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=220:beep_factor=4:duration={seconds}"]
    if video:
        pix = "yuv444p" if size.split("x")[0].isdigit() and int(size.split("x")[0]) % 2 else "yuv420p"
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pix]
        if vfr:
            # Drop two frames in every five and keep timestamps as they are: a variable frame rate.
            args += ["-vf", "select='not(between(mod(n,5),1,2))'", "-fps_mode", "vfr"]
    if audio:
        args += ["-c:a", "aac" if path.suffix != ".mp3" else "libmp3lame"]
    args += [*extra, str(path)]
    ffmpeg(*args)
    if rotate:
        rotated = path.with_name("rotated-" + path.name)
        ffmpeg("-display_rotation:v:0", str(rotate), "-i", str(path), "-c", "copy", str(rotated))
        rotated.replace(path)
    return path

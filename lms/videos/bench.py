"""`make bench` figures for lecture transcoding: the task against one hand-written ffmpeg command.

At scale=1 the lecture is 10 minutes of 720p; the default scale makes a 1-minute one so the bench stays short.
Wall-clock time depends on what else the machine runs, so the CPU time of the ffmpeg processes is compared too.
"""

import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from django.core.files import File

from . import services
from .binaries import ffmpeg_exe
from .lecture_clip import make_lecture
from .models import Video

FULL_SECONDS = 600


def children_cpu_seconds() -> float:
    """User and system CPU seconds of every finished child process (ffmpeg) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def hand_written_command(source: Path, out: Path, *, poster_at: float) -> list[str]:
    """The same outputs as the task for a 25 fps 720p source, written out by hand."""
    x264 = "-c:v libx264 -preset veryfast -profile:v main -level 3.1 -g 50 -keyint_min 50 -sc_threshold 0".split()
    aac = "-c:a aac -b:a 64000 -ar 44100".split()
    hls = "-f hls -hls_time 4 -hls_playlist_type vod -hls_flags independent_segments".split()
    graph = (
        "[0:v]fps=fps=25,split=5[a][b][c][d][e];[0:a]asplit=5[a1][a2][a3][a4][a5];"
        "[a]scale=426:240,setsar=1,format=yuv420p[v240];[b]scale=640:360,setsar=1,format=yuv420p[v360];"
        "[c]scale=1280:720,setsar=1,format=yuv420p[v720];[d]scale=640:360,setsar=1,format=yuv420p[vmp4];"
        f"[e]trim=start={poster_at},scale=640:360,setsar=1[poster]"
    )
    args = [ffmpeg_exe(), "-y", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(source),
            "-filter_complex", graph]
    for name, rate in (("240p", 300_000), ("360p", 600_000), ("720p", 1_500_000)):
        args += ["-map", f"[v{name[:-1]}]", "-map", f"[a{ {'240p': 1, '360p': 2, '720p': 3}[name]}]"]
        args += [*x264, "-b:v", str(rate), "-maxrate", str(int(rate * 1.2)), "-bufsize", str(rate * 2), *aac, *hls,
                 "-hls_segment_filename", str(out / f"{name}_%04d.ts"), str(out / f"{name}.m3u8")]
    args += ["-map", "[vmp4]", "-map", "[a4]", *x264, "-b:v", "400000", "-maxrate", "480000", "-bufsize", "800000",
             *aac, "-movflags", "+faststart", str(out / "download.mp4")]
    args += ["-map", "[poster]", "-frames:v", "1", "-q:v", "4", str(out / "poster.jpg")]
    args += ["-map", "[a5]", *aac, "-movflags", "+faststart", str(out / "audio.m4a")]
    return args


def run(report, scale: float = 0.1) -> None:
    """Transcode a generated 720p lecture both ways and report the ratio and the speed against real time."""
    seconds = max(10, int(FULL_SECONDS * scale))
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        source = make_lecture(work / "lecture.mp4", seconds=seconds)

        hand_out = work / "hand"

        def hand_run() -> tuple[float, float]:
            shutil.rmtree(hand_out, ignore_errors=True)
            hand_out.mkdir()
            started, cpu = time.perf_counter(), children_cpu_seconds()
            subprocess.run(hand_written_command(source, hand_out, poster_at=min(5.0, seconds * 0.1)), check=True)
            return time.perf_counter() - started, children_cpu_seconds() - cpu

        # Hand-written runs before and after the task, so warm-up and CPU boost favour neither side.
        first_hand = hand_run()

        with source.open("rb") as handle:
            video = Video(title=f"bench lecture {seconds}s")
            video.source.save("bench-lecture.mp4", File(handle), save=False)
            video.save()
        try:
            from .tasks import video_process_task

            started, cpu = time.perf_counter(), children_cpu_seconds()
            video_process_task.apply(args=[video.pk])
            task_seconds, task_cpu = time.perf_counter() - started, children_cpu_seconds() - cpu
            video.refresh_from_db()
            if not video.is_ready:
                raise RuntimeError(f"bench lecture failed: {video.failure_reason} {video.failure_detail}")
        finally:
            video_id, source_name = video.pk, video.source.name
            video.delete()
            services.video_files_delete(video_id=video_id, source_name=source_name)
        second_hand = hand_run()
        hand_seconds = (first_hand[0] + second_hand[0]) / 2
        hand_cpu = (first_hand[1] + second_hand[1]) / 2

    report(f"videos: task time / hand-written ffmpeg time ({seconds}s 720p lecture)",
           task_seconds / hand_seconds, 1.10, "x")
    report(f"videos: task CPU time / hand-written ffmpeg CPU time ({seconds}s 720p lecture)",
           task_cpu / hand_cpu, 1.10, "x")
    report(f"videos: task time / lecture length ({seconds}s 720p lecture)", task_seconds / seconds, 1.0, "x")

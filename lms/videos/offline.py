"""Offline packages for remote-education stations, and importing the signed watch records they produce."""

import datetime
import hashlib
import hmac
import io
import json
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from . import intervals as iv
from .models import OfflineImport, Rendition, Video, WatchProgress
from .selectors import lesson_video_ids


class RecordError(ValueError):
    """An uploaded watch record is not one of ours, or was changed after the station signed it."""


def package_key(package_id: str) -> str:
    """The signing key of one package, derived from the server's secret so nothing needs storing."""
    return hmac.new(settings.SECRET_KEY.encode(), f"videos-offline:{package_id}".encode(), hashlib.sha256).hexdigest()


@dataclass
class RosterEntry:
    id: int
    name: str


def offline_package_build(*, course, roster: list[RosterEntry], station: str = "",
                          station_id: int | None = None) -> bytes:
    """The offline package as bytes (small courses and tests)."""
    buffer = io.BytesIO()
    offline_package_write(course=course, roster=roster, station=station, station_id=station_id, target=buffer)
    return buffer.getvalue()


def offline_package_write(*, course, roster: list[RosterEntry], station: str, target,
                          station_id: int | None = None) -> None:
    """Write a zip of the course's lessons as plain HTML with small MP4s and attachments, playable from file://."""
    from courses.models import LessonPage

    package_id = uuid.uuid4().hex
    lessons = list(LessonPage.objects.live().child_of(course).order_by("path"))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        pages = []
        for number, lesson in enumerate(lessons, start=1):
            name = f"lesson-{number:02d}.html"
            videos, body_html = _lesson_content(lesson, archive)
            attachments = []
            for attachment in lesson.attachments.select_related("document"):
                path = _add_stored_file(archive, attachment.document.file.name, "files")
                attachments.append({"title": attachment.display_title(), "path": path})
            archive.writestr(name, render_to_string("videos/offline/lesson.html", {
                "course": course, "lesson": lesson, "videos": videos, "body_html": body_html,
                "attachments": attachments,
            }))
            pages.append({"title": lesson.title, "path": name, "videos": len(videos)})
        config = {"package": package_id, "key": package_key(package_id), "station": station,
                  "station_id": station_id, "course": course.pk,
                  "roster": [{"id": r.id, "name": r.name} for r in roster]}
        script = "window.STATION_CONFIG = " + json.dumps(config, ensure_ascii=False) + ";\n"
        archive.writestr("station-config.js", script)
        with open(finders.find("videos/offline/station.js"), "rb") as script:
            archive.writestr("station.js", script.read())
        archive.writestr("index.html", render_to_string("videos/offline/index.html", {
            "course": course, "pages": pages, "station": station,
        }))


def _lesson_content(lesson, archive: zipfile.ZipFile) -> tuple[list[dict], str]:
    """The lesson's videos (added as files) and its text blocks rendered to HTML."""
    ids = lesson_video_ids(lesson=lesson)
    videos = []
    by_id = {v.pk: v for v in Video.objects.filter(pk__in=ids).exclude(output_dir="").prefetch_related("renditions")}
    for video_id in ids:
        video = by_id.get(video_id)
        if video is None:
            continue
        chosen = next((r for r in video.renditions.all() if r.kind == Rendition.Kind.MP4), None) or next(
            (r for r in video.renditions.all() if r.kind == Rendition.Kind.AUDIO), None)
        if chosen is None:
            continue
        path = f"media/video-{video.pk}{chosen.file.name[chosen.file.name.rfind('.'):]}"
        if path not in archive.namelist():
            with default_storage.open(chosen.file.name, "rb") as handle, archive.open(path, "w") as out:
                for chunk in iter(lambda h=handle: h.read(1024 * 1024), b""):
                    out.write(chunk)
        videos.append({"id": video.pk, "title": video.title, "path": path, "duration": video.duration or 0,
                       "audio_only": chosen.kind == Rendition.Kind.AUDIO})
    parts = [block.render() for block in lesson.body if block.block_type in ("rich_text", "quote")]
    return videos, "".join(str(part) for part in parts)


def _add_stored_file(archive: zipfile.ZipFile, name: str, folder: str) -> str:
    path = f"{folder}/{name.rsplit('/', 1)[-1]}"
    if path not in archive.namelist() and default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            with archive.open(path, "w") as out:
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    out.write(chunk)
    return path


def offline_record_import(*, data: bytes, user=None) -> tuple[OfflineImport, bool]:
    """Verify a station's signed record, merge it into watch progress and attendance; a second upload does nothing."""
    try:
        envelope = json.loads(data.decode("utf-8"))
        payload_text, signature = envelope["payload"], envelope["signature"]
        payload = json.loads(payload_text)
        package_id, record_id = str(payload["package"]), str(payload["record"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise RecordError(_("This is not a watch record exported from an offline package."))
    expected = hmac.new(package_key(package_id).encode(), payload_text.encode("utf-8"), hashlib.sha256).hexdigest()
    if not isinstance(signature, str) or not hmac.compare_digest(expected, signature):
        raise RecordError(_("The watch record has been changed after it was saved at the station, so it cannot be imported."))  # noqa: E501
    from lms.people.models import Person

    with transaction.atomic():
        existing = OfflineImport.objects.select_for_update().filter(record_id=record_id).first()
        if existing is not None:
            return existing, False
        entries = [e for e in payload.get("entries", []) if isinstance(e, dict)]
        users = dict(Person.objects.filter(pk__in=[e.get("person") for e in entries], user__isnull=False)
                     .values_list("pk", "user_id"))
        videos = {v.pk: v for v in Video.objects.filter(pk__in=[e.get("video") for e in entries])}
        imported, viewings = 0, []
        now = timezone.now()
        for entry in entries:
            user_id, video = users.get(entry.get("person")), videos.get(entry.get("video"))
            if user_id is None or video is None or not video.duration:
                continue
            progress, _created = WatchProgress.objects.select_for_update().get_or_create(user_id=user_id, video=video)
            merged = iv.merge_intervals([tuple(p) for p in progress.intervals]
                                        + iv.clean_intervals(entry.get("intervals"), duration=video.duration))
            progress.intervals = [[round(s, 2), round(e, 2)] for s, e in merged]
            progress.watched_seconds = iv.covered_seconds(merged)
            if progress.completed_at is None and iv.is_watched(progress.watched_seconds, video.duration):
                progress.completed_at = now
            progress.save()
            imported += 1
            span = _viewing_span(entry)
            if span is not None and entry.get("intervals"):
                viewings.append((entry.get("person"), *span))
        marks = _record_station_attendance(payload=payload, viewings=viewings, by=user)
        record = OfflineImport.objects.create(
            record_id=record_id, package_id=package_id, station=str(payload.get("station", ""))[:200],
            entries=imported, attendance_marks=marks, imported_by=user,
        )
    return record, True


ATTENDANCE_SLACK = datetime.timedelta(hours=1)


def _viewing_span(entry: dict) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The clock times (aware) between which the station played this entry, if the record holds them."""
    try:
        start = datetime.datetime.fromisoformat(str(entry["from"]))
        end = datetime.datetime.fromisoformat(str(entry.get("to") or entry["from"]))
    except (KeyError, ValueError):
        return None
    if timezone.is_naive(start) or timezone.is_naive(end):
        return None
    return min(start, end), max(start, end)


def _record_station_attendance(*, payload: dict, viewings: list[tuple], by) -> int:
    """Count station viewings as attendance; returns the number of new marks.

    A viewing marks its cadre present at a session when the session is held at the package's station (by id, or by
    name for packages made before stations were recorded), on the local date the viewing happened, within an hour
    of its scheduled time, is not cancelled, and belongs to a class whose courses include the package's course. Only
    cadres enrolled in that class are marked, marks already recorded are kept, and viewings matching no session count
    only as watch progress. The marks go through the classes app's station service, with the station method.
    """
    from lms.classes.attendance import attendance_record_station_viewing
    from lms.classes.models import Session
    from lms.people.models import Station

    station_id, course_id = payload.get("station_id"), payload.get("course")
    if not viewings or not isinstance(course_id, int):
        return 0
    stations = Station.objects.filter(pk=station_id) if isinstance(station_id, int) else Station.objects.filter(
        name=str(payload.get("station", "")))
    station = stations.first()
    if station is None:
        return 0
    dates = {timezone.localdate(moment) for _p, start, end in viewings for moment in (start, end)}
    sessions = (Session.objects.filter(station=station, date__in=dates, training_class__courses=course_id)
                .exclude(state=Session.State.CANCELLED).select_related("station").distinct())
    marks = 0
    for session in sessions:
        opens, closes = session.starts() - ATTENDANCE_SLACK, session.ends() + ATTENDANCE_SLACK
        people = sorted({person for person, start, end in viewings
                         if isinstance(person, int) and start <= closes and end >= opens
                         and session.date in (timezone.localdate(start), timezone.localdate(end))})
        marks += len(attendance_record_station_viewing(session=session, person_ids=people, by=by))
    return marks

"""Offline packages for remote-education stations, and importing the watch records they produce.

A package carries no signing key (anything the station's browser can read, the holder of the USB stick can read
too). The server keeps a row per package (station, roster, when it was made, until when records are accepted,
revocation) and accepts from a record only what that row makes plausible; every refused entry is kept with why.
"""

import datetime
import io
import json
import uuid
import zipfile
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.db import DataError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from . import intervals as iv
from .models import OfflineImport, OfflinePackage, Rendition, Video, WatchProgress
from .selectors import lesson_video_ids

PACKAGE_VALIDITY = datetime.timedelta(days=90)
MAX_ENTRIES = 5000


class RecordError(ValueError):
    """An uploaded watch record is not one of ours, or cannot be trusted as a whole."""


@transaction.atomic
def offline_package_revoke(*, package_id: str) -> bool:
    """Refuse every record of a package from now on (a lost USB stick); False when there is no such package."""
    return bool(OfflinePackage.objects.filter(package_id=package_id, revoked_at__isnull=True)
                .update(revoked_at=timezone.now()))


@dataclass
class RosterEntry:
    id: int
    name: str


def offline_package_build(*, course, roster: list[RosterEntry], station: str = "",
                          station_id: int | None = None, by=None) -> bytes:
    """The offline package as bytes (small courses and tests)."""
    buffer = io.BytesIO()
    offline_package_write(course=course, roster=roster, station=station, station_id=station_id, target=buffer, by=by)
    return buffer.getvalue()


def offline_package_write(*, course, roster: list[RosterEntry], station: str, target,
                          station_id: int | None = None, by=None) -> str:
    """Write a zip of the course's lessons as plain HTML with small MP4s and attachments, playable from file://;
    register the package (station, roster, validity) and return its id."""
    from courses.models import LessonPage

    package_id = uuid.uuid4().hex
    now = timezone.now()
    OfflinePackage.objects.create(package_id=package_id, station_id=station_id, course_id=course.pk,
                                  roster=[r.id for r in roster], created_at=now, valid_until=now + PACKAGE_VALIDITY,
                                  created_by=by)
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
        config = {"package": package_id, "station": station,
                  "station_id": station_id, "course": course.pk,
                  "roster": [{"id": r.id, "name": r.name} for r in roster]}
        script = "window.STATION_CONFIG = " + json.dumps(config, ensure_ascii=False) + ";\n"
        archive.writestr("station-config.js", script)
        with open(finders.find("videos/offline/station.js"), "rb") as script:
            archive.writestr("station.js", script.read())
        archive.writestr("index.html", render_to_string("videos/offline/index.html", {
            "course": course, "pages": pages, "station": station,
        }))
    return package_id


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


def _parse(data: bytes) -> dict:
    """The record's payload, or a clear refusal for anything else (a zip, deep nesting, odd types)."""
    try:
        envelope = json.loads(data.decode("utf-8"))
        payload_text = envelope["payload"] if isinstance(envelope, dict) else None
        payload = json.loads(payload_text) if isinstance(payload_text, str) else None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("package"), str) or not isinstance(
            payload.get("record"), str) or not isinstance(payload.get("entries", []), list):
        raise RecordError(_("This is not a watch record exported from an offline package."))
    if len(payload.get("entries", [])) > MAX_ENTRIES:
        raise RecordError(_("The watch record holds more entries than a station can watch; it cannot be imported."))
    return payload


def _package_for(payload: dict, now) -> OfflinePackage:
    package = OfflinePackage.objects.filter(package_id=payload["package"][:64]).select_related("station").first()
    if package is None:
        raise RecordError(_("This record comes from a package this server did not make, so it cannot be imported."))
    if package.revoked_at is not None:
        raise RecordError(_("This package was revoked on %(day)s; its records are no longer accepted.")
                          % {"day": timezone.localdate(package.revoked_at)})
    if now > package.valid_until:
        raise RecordError(_("This package was valid until %(day)s; make a new package for the station.")
                          % {"day": timezone.localdate(package.valid_until)})
    station_id = payload.get("station_id")
    if package.station_id is not None and station_id is not None and station_id != package.station_id:
        raise RecordError(_("This record names another station than the one the package was made for."))
    return package


def _moment(value):
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except (ValueError, TypeError, OverflowError):
        return None
    return None if timezone.is_naive(moment) else moment


def _entry_problem(entry, package: OfflinePackage, videos: dict, now) -> str | None:
    """Why one entry cannot count, or None when it is plausible."""
    if not isinstance(entry, dict):
        return _("not a watch entry")
    person, video = entry.get("person"), videos.get(entry.get("video")) if isinstance(entry.get("video"), int) else None
    if not isinstance(person, int) or isinstance(person, bool) or person not in package.roster:
        return _("the cadre is not on this station's roster")
    if video is None or not video.duration:
        return _("the video is not one of this server's lectures")
    if not isinstance(entry.get("intervals"), list):
        return _("the watched parts are not readable")
    try:
        parts = iv.clean_intervals(entry.get("intervals"), duration=video.duration)
    except (TypeError, ValueError, OverflowError):
        return _("the watched parts are not readable")
    watched = iv.covered_seconds(parts)
    if watched > (now - package.created_at).total_seconds():
        return _("more watch time than has passed since the package was made")
    start, end = _moment(entry.get("from")), _moment(entry.get("to") or entry.get("from"))
    if (start is not None and start < package.created_at - ATTENDANCE_SLACK) or (end is not None and end > now):
        return _("watched before the package was made or after the import")
    return None


def _overlapping(entries: list[dict]) -> set[int]:
    """Indexes of entries that play another video at the station while an earlier one is playing."""
    spans = []
    for index, entry in enumerate(entries):
        start, end = _moment(entry.get("from")), _moment(entry.get("to") or entry.get("from"))
        if start is not None and end is not None and end > start:
            spans.append((start, end, entry.get("video"), index))
    spans.sort()
    clashing, latest = set(), None
    for start, end, video, index in spans:
        if latest is not None and start < latest[0] and video != latest[1]:
            clashing.add(index)
            continue
        if latest is None or end > latest[0]:
            latest = (end, video)
    return clashing


def offline_record_import(*, data: bytes, user=None) -> tuple[OfflineImport, bool]:
    """Check a station's record against its package, merge what is plausible into watch progress and attendance;
    keep every refused entry with its reason; a second upload does nothing."""
    payload = _parse(data)
    now = timezone.now()
    package = _package_for(payload, now)
    record_id = payload["record"][:64]
    from lms.people.models import Person

    try:
        with transaction.atomic():
            existing = OfflineImport.objects.select_for_update().filter(record_id=record_id).first()
            if existing is not None:
                return existing, False
            entries = list(payload.get("entries", []))
            if len({e.get("person") for e in entries if isinstance(e, dict)}) > len(package.roster):
                raise RecordError(_("The record has more viewers than the station's roster; it cannot be imported."))
            videos = {v.pk: v for v in Video.objects.filter(
                pk__in=[e.get("video") for e in entries if isinstance(e, dict) and isinstance(e.get("video"), int)])}
            clashing = _overlapping([e if isinstance(e, dict) else {} for e in entries])
            users = dict(Person.objects.filter(pk__in=package.roster, user__isnull=False).values_list("pk", "user_id"))
            imported, viewings, refused = 0, [], []
            for index, entry in enumerate(entries):
                problem = _entry_problem(entry, package, videos, now)
                if problem is None and index in clashing:
                    problem = _("another lecture was playing at the station at the same time")
                if problem is None and entry.get("person") not in users:
                    problem = _("the cadre has no sign-in account")
                if problem is not None:
                    refused.append({"person": entry.get("person") if isinstance(entry, dict) else None,
                                    "video": entry.get("video") if isinstance(entry, dict) else None,
                                    "reason": str(problem)})
                    continue
                video = videos[entry["video"]]
                progress, _created = WatchProgress.objects.select_for_update().get_or_create(
                    user_id=users[entry["person"]], video=video)
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
            payload = {**payload, "station_id": package.station_id, "course": package.course_id}
            marks = _record_station_attendance(payload=payload, viewings=viewings, by=user)
            record = OfflineImport.objects.create(
                record_id=record_id, package_id=package.package_id,
                station=(package.station.name if package.station else str(payload.get("station", "")))[:200],
                entries=imported, attendance_marks=marks, imported_by=user, refused=refused[:500],
            )
    except (DataError, OverflowError, TypeError) as exc:
        raise RecordError(_("The watch record holds values this server cannot store; it cannot be imported.")) from exc
    return record, True


ATTENDANCE_SLACK = datetime.timedelta(hours=1)


def _viewing_span(entry: dict) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The clock times (aware) between which the station played this entry, if the record holds them."""
    try:
        start = datetime.datetime.fromisoformat(str(entry["from"]))
        end = datetime.datetime.fromisoformat(str(entry.get("to") or entry["from"]))
    except (KeyError, ValueError, TypeError, OverflowError):
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

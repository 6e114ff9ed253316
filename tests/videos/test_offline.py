"""Offline station packages: they play from file:// with no network, and their signed record imports once."""

import datetime
import io
import json
import os
import zipfile

import pytest
from django.utils import timezone

from lms.videos.models import OfflineImport, WatchProgress
from lms.videos.offline import RecordError, RosterEntry, offline_package_build, offline_record_import
from tests.factories import learner_for

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture
def package(db, lesson_with_video, county):
    people = county["people"]["east"][:2]
    for person in people:
        learner_for(person)
    roster = [RosterEntry(p.pk, p.name) for p in people]
    data = offline_package_build(course=lesson_with_video.get_parent().specific, roster=roster, station="红星村站点")
    return data, people


@pytest.mark.django_db
def test_the_package_holds_plain_pages_the_small_mp4_and_a_start_page(package, ready_video):
    data, people = package
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = set(archive.namelist())

    expected = {"index.html", "lesson-01.html", "station.js", "station-config.js", f"media/video-{ready_video.pk}.mp4"}
    assert expected <= names
    assert not any(name.endswith((".m3u8", ".ts")) for name in names)
    lesson = archive.read("lesson-01.html").decode()
    assert f'src="media/video-{ready_video.pk}.mp4"' in lesson and "http" not in lesson.split("</title>")[1]
    config = archive.read("station-config.js").decode()
    assert people[0].name in config and people[1].name in config


@pytest.fixture(autouse=True)
def _english(settings):
    """Refusals are asserted by their English msgids, whatever the Chinese catalogue says."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _record(payload: dict, *, roster=None, made=None) -> bytes:
    """A station's exported record, for a package the server registered a day earlier (unless told otherwise)."""
    import datetime

    from django.utils import timezone

    from lms.videos.models import OfflinePackage

    made = made or timezone.now() - datetime.timedelta(days=1)
    people = roster if roster is not None else [e["person"] for e in payload.get("entries", [])]
    package, _created = OfflinePackage.objects.get_or_create(package_id=payload["package"], defaults={
        "station_id": payload.get("station_id"), "course_id": payload.get("course") or 0,
        "created_at": made, "valid_until": timezone.now() + datetime.timedelta(days=1)})
    package.roster = sorted(set(package.roster) | set(people))
    package.save(update_fields=["roster"])
    return json.dumps({"payload": json.dumps(payload)}).encode()


@pytest.mark.django_db
def test_a_record_imports_once_and_a_tampered_one_is_refused(learner_user, learner_person, ready_video):
    record = {"package": "p1", "record": "r1", "station": "红星村站点",
              "entries": [{"person": learner_person.pk, "video": ready_video.pk, "intervals": [[0, 2]]}]}
    data = _record(record)

    first, created = offline_record_import(data=data)
    again, created_again = offline_record_import(data=data)

    assert created and not created_again and first.pk == again.pk and first.entries == 1
    assert OfflineImport.objects.count() == 1
    assert WatchProgress.objects.get(user=learner_user, video=ready_video).watched_seconds == pytest.approx(2)

    minted = {**record, "package": "made-up", "record": "r-minted"}
    with pytest.raises(RecordError, match="did not make"):
        offline_record_import(data=json.dumps({"payload": json.dumps(minted)}).encode())
    with pytest.raises(RecordError):
        offline_record_import(data=b"PK\x03\x04 a zip, not a record")
    assert WatchProgress.objects.get(user=learner_user, video=ready_video).watched_seconds == pytest.approx(2)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_package_plays_from_file_and_its_record_counts_once(package, ready_video, lesson_with_video, tmp_path):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from decimal import Decimal

    from playwright.sync_api import sync_playwright

    from lms.classes.models import Attendance, Enrolment, Session, TrainingClass
    from lms.people.models import Station

    _data, people = package
    village = people[0].village
    station = Station.objects.create(name="红星村远教站点", level="village", county=village.township.county,
                                     township=village.township, village=village)
    now = timezone.localtime()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    tc = TrainingClass.objects.create(
        name="村务公开远程班", year=now.year, mode="centralised", starts_on=now.date(), ends_on=now.date(),
        capacity=30, planned_credit_hours=Decimal("2"), state=TrainingClass.State.RUNNING)
    tc.courses.add(lesson_with_video.get_parent())
    session = Session.objects.create(
        training_class=tc, date=now.date(), half_day="am", topic="村务公开", station=station,
        starts_at=max(now - datetime.timedelta(minutes=30), midnight).time(),
        ends_at=min(now + datetime.timedelta(minutes=30), midnight + datetime.timedelta(hours=23, minutes=59)).time())
    for person in people:
        Enrolment.objects.create(training_class=tc, person=person, status=Enrolment.Status.ENROLLED)
    data = offline_package_build(course=lesson_with_video.get_parent().specific, station=station.name,
                                 station_id=station.pk, roster=[RosterEntry(p.pk, p.name) for p in people])
    zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path / "usb")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1024, "height": 768}, accept_downloads=True)
        # Any request that leaves the stick would fail the test: the station has no network.
        context.route("http*://**", lambda route: route.abort())
        page = context.new_page()
        page.goto((tmp_path / "usb" / "index.html").as_uri())
        page.get_by_label(people[0].name).check()
        page.click("a[href='lesson-01.html']")
        page.wait_for_selector("video")
        page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
        page.wait_for_function("document.querySelector('video').currentTime > 2", timeout=15000)
        page.evaluate("() => document.querySelector('video').pause()")
        page.goto((tmp_path / "usb" / "index.html").as_uri())
        with page.expect_download() as download_info:
            page.click("[data-export]")
        record = download_info.value.path().read_bytes()
        browser.close()

    first, created = offline_record_import(data=record)
    _again, created_again = offline_record_import(data=record)

    assert created and not created_again and first.attendance_marks == 1
    watched = WatchProgress.objects.get(user=people[0].user, video=ready_video).watched_seconds
    assert 1.5 <= watched <= ready_video.duration
    assert not WatchProgress.objects.filter(user=people[1].user).exists()
    assert list(Attendance.objects.filter(session=session).values_list("person_id", "status", "method")) == [
        (people[0].pk, "present", "station")]


@pytest.mark.django_db
def test_staff_download_a_station_package_and_import_its_record_in_the_admin(
    client, staff_user, learner_user, learner_person, lesson_with_video, ready_video
):
    from django.urls import reverse

    from lms.people.models import Station

    village = learner_person.village
    station = Station.objects.create(name="红星村远教站点", level="village", county=village.township.county,
                                     township=village.township, village=village)
    client.force_login(staff_user)
    url = reverse("videos_admin:offline")
    response = client.post(url, {"course": lesson_with_video.get_parent().pk, "station": station.pk})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    config = archive.read("station-config.js").decode()
    assert learner_person.name in config and "index.html" in archive.namelist()
    assert '"key"' not in config  # nothing at the station can sign a record

    record = {"package": "p2", "record": "r2", "station": station.name, "station_id": station.pk,
              "entries": [{"person": learner_person.pk, "video": ready_video.pk, "intervals": [[0, 1]]}]}
    data = _record(record)
    from django.core.files.uploadedfile import SimpleUploadedFile

    first = client.post(url, {"record": SimpleUploadedFile("r.json", data)}, follow=True).content.decode()
    second = client.post(url, {"record": SimpleUploadedFile("r.json", data)}, follow=True).content.decode()
    tampered = client.post(url, {"record": SimpleUploadedFile("r.json", data.replace(b'p2', b'p9'))})

    assert station.name in first and OfflineImport.objects.count() == 1
    from django.utils.html import escape
    from django.utils.translation import gettext

    assert escape(gettext("This watch record was already imported; nothing changed.")) in second
    refused = gettext("This record comes from a package this server did not make, so it cannot be imported.")
    assert tampered.status_code == 200 and escape(refused) in tampered.content.decode()
    assert WatchProgress.objects.get(user=learner_user).watched_seconds == pytest.approx(1)


@pytest.mark.django_db
def test_learners_cannot_reach_offline_packages(client, learner_user):
    from django.urls import reverse

    client.force_login(learner_user)
    assert client.get(reverse("videos_admin:offline")).status_code in (302, 403, 404)


SESSION_DAY = datetime.date(2026, 3, 10)


def _at(day: datetime.date, hour: int, minute: int = 0) -> str:
    """An ISO timestamp as the station's browser writes it (UTC), for a local clock time in the county."""
    local = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
    return local.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture
def station_session(county, lesson_with_video):
    """A class on the package's course with a morning session at the red-star village station; two enrolled."""
    from decimal import Decimal

    from lms.classes.models import Enrolment, Session, TrainingClass
    from lms.people.models import Station

    village = county["people"]["east"][0].village
    station = Station.objects.create(name="红星村远教站点", level="village", county=village.township.county,
                                     township=village.township, village=village)
    tc = TrainingClass.objects.create(
        name="村务公开远程班", year=2026, mode="centralised", starts_on=SESSION_DAY, ends_on=SESSION_DAY,
        capacity=30, planned_credit_hours=Decimal("2"), state=TrainingClass.State.RUNNING)
    tc.courses.add(lesson_with_video.get_parent())
    session = Session.objects.create(training_class=tc, date=SESSION_DAY, starts_at=datetime.time(9),
                                     ends_at=datetime.time(11), half_day="am", topic="村务公开", station=station)
    enrolled, other = county["people"]["east"][:2], county["people"]["east"][2]
    for person in [*enrolled, other]:
        learner_for(person)
    for person in enrolled:
        Enrolment.objects.create(training_class=tc, person=person, status=Enrolment.Status.ENROLLED)
    return {"station": station, "session": session, "course": lesson_with_video.get_parent(),
            "enrolled": enrolled, "other": other}


def _station_record(setup, video, viewers, *, day=SESSION_DAY, record="r-att", hour=9) -> bytes:
    entries = [{"person": p.pk, "video": video.pk, "intervals": [[0, 2]],
                "from": _at(day, hour, 30), "to": _at(day, hour, 45)} for p in viewers]
    payload = {"package": "p-att", "record": record, "station": setup["station"].name,
               "station_id": setup["station"].pk, "course": setup["course"].pk, "entries": entries}
    made = datetime.datetime.combine(day, datetime.time(6), tzinfo=timezone.get_current_timezone())
    return _record(payload, made=made)


@pytest.mark.django_db
def test_viewers_at_the_station_session_are_marked_present_through_the_classes_service(
    station_session, ready_video, staff_user, monkeypatch
):
    from lms.classes import attendance as attendance_service
    from lms.classes.models import Attendance

    calls = []
    real = attendance_service.attendance_record_station_viewing
    monkeypatch.setattr(attendance_service, "attendance_record_station_viewing",
                        lambda **kw: calls.append(kw) or real(**kw))
    session, enrolled = station_session["session"], station_session["enrolled"]

    record, created = offline_record_import(data=_station_record(station_session, ready_video, enrolled),
                                            user=staff_user)

    rows = Attendance.objects.filter(session=session)
    assert created and record.entries == 2 and record.attendance_marks == 2
    assert {(r.person_id, r.status, r.method, r.marked_by_id) for r in rows} == {
        (p.pk, "present", "station", staff_user.pk) for p in enrolled}
    assert [c["session"].pk for c in calls] == [session.pk]
    session.refresh_from_db()
    assert session.attendance_taken_at is not None and session.state == "held"
    assert WatchProgress.objects.filter(user__person__in=enrolled, video=ready_video).count() == 2


@pytest.mark.django_db
def test_uploading_the_record_again_or_a_second_record_of_the_same_viewing_adds_no_marks(
    station_session, ready_video
):
    from lms.classes.models import Attendance

    enrolled = station_session["enrolled"]
    data = _station_record(station_session, ready_video, enrolled)
    offline_record_import(data=data)
    again, created = offline_record_import(data=data)
    later = _station_record(station_session, ready_video, enrolled, record="r-att-2")
    second, second_created = offline_record_import(data=later)

    assert not created and again.attendance_marks == 2
    assert second_created and second.attendance_marks == 0
    assert Attendance.objects.filter(session=station_session["session"]).count() == 2


@pytest.mark.django_db
def test_a_viewer_not_enrolled_in_the_class_gets_watch_progress_but_no_attendance(station_session, ready_video):
    from lms.classes.models import Attendance

    other = station_session["other"]
    record, _created = offline_record_import(data=_station_record(station_session, ready_video, [other]))

    assert record.entries == 1 and record.attendance_marks == 0
    assert not Attendance.objects.filter(person=other).exists()
    assert WatchProgress.objects.get(user=other.user, video=ready_video).watched_seconds == pytest.approx(2)


@pytest.mark.django_db
@pytest.mark.parametrize("day, hour", [(SESSION_DAY + datetime.timedelta(days=1), 9), (SESSION_DAY, 16)])
def test_a_viewing_on_another_day_or_far_from_the_session_time_is_only_watch_progress(
    station_session, ready_video, day, hour
):
    from lms.classes.models import Attendance

    enrolled = station_session["enrolled"]
    record, _created = offline_record_import(
        data=_station_record(station_session, ready_video, enrolled, day=day, hour=hour))

    assert record.entries == 2 and record.attendance_marks == 0
    assert not Attendance.objects.exists()
    assert WatchProgress.objects.filter(user__person__in=enrolled).count() == 2


@pytest.mark.django_db
def test_a_mark_already_recorded_by_the_operator_is_kept(station_session, ready_video):
    from lms.classes.attendance import attendance_mark
    from lms.classes.models import Attendance

    session, (first, second) = station_session["session"], station_session["enrolled"]
    attendance_mark(session=session, marks={first.pk: "absent"}, by=None)

    record, _created = offline_record_import(data=_station_record(station_session, ready_video, [first, second]))

    assert record.attendance_marks == 1
    assert dict(Attendance.objects.filter(session=session).values_list("person_id", "status")) == {
        first.pk: "absent", second.pk: "present"}


@pytest.mark.django_db
def test_the_admin_import_says_how_many_attendance_marks_were_recorded(
    client, staff_user, station_session, ready_video
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from django.utils.html import escape
    from django.utils.translation import gettext

    client.force_login(staff_user)
    data = _station_record(station_session, ready_video, station_session["enrolled"])
    page = client.post(reverse("videos_admin:offline"), {"record": SimpleUploadedFile("r.json", data)},
                       follow=True).content.decode()

    expected = gettext("Imported %(n)d watch entries from %(station)s and recorded %(marks)d attendance marks.") % {
        "n": 2, "station": station_session["station"].name, "marks": 2}
    assert escape(expected) in page


@pytest.mark.django_db
def test_implausible_entries_are_refused_with_their_reasons(county, ready_video):
    """Not on the roster, more watch time than wall-clock since the package, overlapping lectures, odd values."""
    from lms.videos.models import OfflinePackage

    on_roster, stranger = county["people"]["east"][0], county["people"]["west"][0]
    learner_for(on_roster)
    learner_for(stranger)
    now = timezone.now()
    made = now + datetime.timedelta(minutes=1)  # no time has passed since: any watch time is too much
    roster = [on_roster.pk, county["people"]["east"][1].pk]
    OfflinePackage.objects.create(package_id="p-check", course_id=0, roster=roster, created_at=made,
                                  valid_until=now + datetime.timedelta(days=1))
    entries = [
        {"person": stranger.pk, "video": ready_video.pk, "intervals": [[0, 1]]},
        {"person": on_roster.pk, "video": ready_video.pk, "intervals": [[0, ready_video.duration]]},
        {"person": on_roster.pk, "video": ready_video.pk, "intervals": [[0, 10 ** 400]]},
        {"person": on_roster.pk, "video": ready_video.pk, "intervals": "[[0, 1]]"},
        ["not", "an", "entry"],
    ]
    payload = {"package": "p-check", "record": "r-check", "entries": entries}
    record, _created = offline_record_import(data=json.dumps({"payload": json.dumps(payload)}).encode())
    reasons = [r["reason"] for r in record.refused]
    assert record.entries == 0 and len(reasons) == 5
    assert any("not on this station's roster" in r for r in reasons)
    assert any("more watch time than has passed" in r for r in reasons)
    assert not WatchProgress.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [
    b"[" * 100000 + b"]" * 100000,
    json.dumps({"payload": "[" * 50000 + "]" * 50000}).encode(),
    json.dumps({"payload": json.dumps({"package": 1, "record": "x", "entries": []})}).encode(),
    json.dumps({"payload": json.dumps({"package": "p", "record": "x", "entries": "all"})}).encode(),
    b"\xff\xfe",
])
def test_malformed_records_get_a_clear_refusal_not_a_server_error(data):
    with pytest.raises(RecordError):
        offline_record_import(data=data)


@pytest.mark.django_db
def test_a_revoked_or_expired_package_and_another_station_are_refused(county, ready_video):
    from lms.people.models import Station
    from lms.videos.models import OfflinePackage
    from lms.videos.offline import offline_package_revoke

    village = county["people"]["east"][0].village
    station = Station.objects.create(name="团结村站点", level="village", county=village.township.county,
                                     township=village.township, village=village)
    now = timezone.now()
    for package_id, valid in (("p-lost", now + datetime.timedelta(days=1)), ("p-old", now - datetime.timedelta(1))):
        OfflinePackage.objects.create(package_id=package_id, station=station, course_id=0, roster=[],
                                      created_at=now - datetime.timedelta(days=100), valid_until=valid)
    assert offline_package_revoke(package_id="p-lost")

    def record(package_id, **extra):
        return json.dumps({"payload": json.dumps({"package": package_id, "record": package_id, "entries": [],
                                                  **extra})}).encode()

    with pytest.raises(RecordError, match="revoked"):
        offline_record_import(data=record("p-lost"))
    with pytest.raises(RecordError, match="valid until"):
        offline_record_import(data=record("p-old"))
    OfflinePackage.objects.filter(package_id="p-old").update(valid_until=now + datetime.timedelta(days=1))
    with pytest.raises(RecordError, match="another station"):
        offline_record_import(data=record("p-old", station_id=station.pk + 1))

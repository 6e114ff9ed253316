"""Offline station packages: they play from file:// with no network, and their signed record imports once."""

import io
import json
import os
import zipfile

import pytest

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


def _signed(package_id_record: dict, key: str) -> bytes:
    import hashlib
    import hmac

    payload = json.dumps(package_id_record)
    signature = hmac.new(key.encode(), payload.encode(), hashlib.sha256).hexdigest()
    return json.dumps({"payload": payload, "signature": signature}).encode()


@pytest.mark.django_db
def test_a_record_imports_once_and_a_tampered_one_is_refused(learner_user, learner_person, ready_video):
    from lms.videos.offline import package_key

    record = {"package": "p1", "record": "r1", "station": "红星村站点",
              "entries": [{"person": learner_person.pk, "video": ready_video.pk, "intervals": [[0, 2]]}]}
    data = _signed(record, package_key("p1"))

    first, created = offline_record_import(data=data)
    again, created_again = offline_record_import(data=data)

    assert created and not created_again and first.pk == again.pk and first.entries == 1
    assert OfflineImport.objects.count() == 1
    assert WatchProgress.objects.get(user=learner_user, video=ready_video).watched_seconds == pytest.approx(2)

    envelope = json.loads(data)
    envelope["payload"] = envelope["payload"].replace("[[0, 2]]", f"[[0, {ready_video.duration}]]")
    with pytest.raises(RecordError):
        offline_record_import(data=json.dumps(envelope).encode())
    with pytest.raises(RecordError):
        offline_record_import(data=b"PK\x03\x04 a zip, not a record")
    assert WatchProgress.objects.get(user=learner_user, video=ready_video).watched_seconds == pytest.approx(2)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_package_plays_from_file_and_its_record_counts_once(package, ready_video, tmp_path):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    data, people = package
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

    _first, created = offline_record_import(data=record)
    _again, created_again = offline_record_import(data=record)

    assert created and not created_again
    watched = WatchProgress.objects.get(user=people[0].user, video=ready_video).watched_seconds
    assert 1.5 <= watched <= ready_video.duration
    assert not WatchProgress.objects.filter(user=people[1].user).exists()


@pytest.mark.django_db
def test_staff_download_a_station_package_and_import_its_record_in_the_admin(
    client, staff_user, learner_user, learner_person, lesson_with_video, ready_video
):
    from django.urls import reverse

    from lms.people.models import Station
    from lms.videos.offline import package_key

    village = learner_person.village
    station = Station.objects.create(name="红星村远教站点", level="village", county=village.township.county,
                                     township=village.township, village=village)
    client.force_login(staff_user)
    url = reverse("videos_admin:offline")
    response = client.post(url, {"course": lesson_with_video.get_parent().pk, "station": station.pk})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    config = archive.read("station-config.js").decode()
    assert learner_person.name in config and "index.html" in archive.namelist()

    record = {"package": "p2", "record": "r2", "station": station.name,
              "entries": [{"person": learner_person.pk, "video": ready_video.pk, "intervals": [[0, 1]]}]}
    data = _signed(record, package_key("p2"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    first = client.post(url, {"record": SimpleUploadedFile("r.json", data)}, follow=True).content.decode()
    second = client.post(url, {"record": SimpleUploadedFile("r.json", data)}, follow=True).content.decode()
    tampered = client.post(url, {"record": SimpleUploadedFile("r.json", data.replace(b"[[0, 1]]", b"[[0, 3]]"))})

    assert station.name in first and OfflineImport.objects.count() == 1
    from django.utils.html import escape
    from django.utils.translation import gettext

    assert escape(gettext("This watch record was already imported; nothing changed.")) in second
    refused = gettext("The watch record has been changed after it was saved at the station, so it cannot be imported.")
    assert tampered.status_code == 200 and escape(refused) in tampered.content.decode()
    assert WatchProgress.objects.get(user=learner_user).watched_seconds == pytest.approx(1)


@pytest.mark.django_db
def test_learners_cannot_reach_offline_packages(client, learner_user):
    from django.urls import reverse

    client.force_login(learner_user)
    assert client.get(reverse("videos_admin:offline")).status_code in (302, 403, 404)

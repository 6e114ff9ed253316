"""The roster on a 375px phone in Chromium: every learner on one page, big taps, save all at once."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from lms.classes.models import Attendance

from .conftest import make_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
SHOTS = Path(os.environ.get("CLASSES_SCREENSHOTS", "/tmp/classes-shots"))


def test_roster_marking_at_375px(live_server, running_class, county, staff_user):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    session = make_session(running_class)
    people = county["people"]["east"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 667})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", staff_user.username)
        page.fill("input[name=password]", "Passw0rd!2026")
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/classes/staff/sessions/{session.pk}/roster/")
        assert page.locator(".roster-row").count() == len(people)
        # Nothing wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        tap = page.locator(f"label[for=p{people[1].pk}-late]")
        box = tap.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 70
        page.click("#all-present")
        tap.click()
        page.click(f"label[for=p{people[2].pk}-leave_sick]")
        page.screenshot(path=str(SHOTS / "roster-375.png"), full_page=True)
        page.click("button[type=submit]:has-text('Save')")
        page.wait_for_load_state()
        page.screenshot(path=str(SHOTS / "roster-375-saved.png"))
        now = timezone.localtime()
        if now.hour < 23:
            live = make_session(running_class, date=now.date(), start=(now.hour, 0), end=(now.hour, 59),
                                topic="现场签到")
            screen = browser.new_page(viewport={"width": 1280, "height": 800})
            screen.context.add_cookies(page.context.cookies())
            screen.goto(f"{live_server.url}/classes/staff/sessions/{live.pk}/qr/")
            assert screen.locator(".qr svg").count() == 1
            assert len(screen.locator(".code").inner_text().strip()) == 6
            screen.screenshot(path=str(SHOTS / "qr-screen.png"))
        browser.close()
    marks = dict(Attendance.objects.filter(session=session).values_list("person_id", "status"))
    assert marks[people[1].pk] == "late" and marks[people[2].pk] == "leave_sick"
    assert sum(1 for v in marks.values() if v == "present") == len(people) - 2


def test_learner_pages_fit_375px(live_server, running_class, county, staff_user, learner_user, learner_person):
    from playwright.sync_api import sync_playwright

    from lms.classes.attendance import attendance_mark

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    held = make_session(running_class, hours="3", topic="发展村级集体经济")
    attendance_mark(session=held, marks={learner_person.pk: "present"}, by=staff_user)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 667})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", learner_user.username)
        page.fill("input[name=password]", "Passw0rd!2026")
        page.click("button[type=submit]")
        for name, url in [("my-classes", "/classes/"), ("class", f"/classes/{running_class.pk}/"),
                          ("sign-in", f"/classes/sessions/{held.pk}/sign-in/?t=bad"),
                          ("record", f"/classes/record/?year={running_class.year}")]:
            page.goto(live_server.url + url)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
            page.screenshot(path=str(SHOTS / f"{name}-375.png"), full_page=True)
        assert "3.0" in page.content()
        browser.close()

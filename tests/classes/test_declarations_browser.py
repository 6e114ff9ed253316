"""The learner declares outside study on a 375px phone in Chromium, with a photo as evidence."""

import os
from pathlib import Path

import pytest
from PIL import Image

from lms.classes.models import CreditDeclaration, CreditType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
SHOTS = Path(os.environ.get("CLASSES_SCREENSHOTS", "/tmp/classes-shots"))


def test_declaration_at_375px(live_server, learner_user, tmp_path):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    photo = tmp_path / "证明.png"
    Image.new("RGB", (400, 300), "white").save(photo, "PNG")
    junk = tmp_path / "fake.png"
    junk.write_bytes(b"this is not an image")
    central = CreditType.objects.get(code="central-group")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 375, "height": 667})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", learner_user.username)
        page.fill("input[name=password]", "Passw0rd!2026")
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/classes/declarations/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.select_option("#credit_type", str(central.pk))
        page.fill("#title", "乡党委中心组学习")
        page.fill("#studied_on", "2026-01-15")
        page.fill("#units", "1")
        page.set_input_files("#evidence", str(junk))
        page.click("#declare-form button[type=submit]")
        assert page.locator("#declaration-error").count() == 1
        assert page.input_value("#title") == "乡党委中心组学习"
        page.set_input_files("#evidence", str(photo))
        page.click("#declare-form button[type=submit]")
        page.wait_for_load_state()
        assert "乡党委中心组学习" in page.locator("#my-declarations").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=str(SHOTS / "declarations-375.png"), full_page=True)
        browser.close()
    assert CreditDeclaration.objects.get().hours_claimed == 3

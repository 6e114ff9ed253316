"""The interactive API docs render in Chromium from the project's own files, under its Content-Security-Policy."""

import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def test_staff_read_the_api_docs_in_chinese(live_server, staff_user):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    staff_user.set_password("Passw0rd!2026")
    staff_user.save()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", staff_user.username)
        page.fill("input[name=password]", "Passw0rd!2026")
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/api/v1/docs")
        page.wait_for_selector(".opblock-summary", timeout=30_000)
        page.screenshot(path="/tmp/api-docs.png")
        assert "学员列表" in page.locator("body").inner_text()
        browser.close()

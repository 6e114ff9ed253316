"""Pages speak Chinese whatever language the browser asks for."""

import pytest


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_pages(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page and 'lang="zh-hans"' in page

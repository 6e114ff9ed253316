"""The lecture player in Debian's Chromium at phone width: adaptive playback, data saver, watch reports."""

import os

import pytest
from django.conf import settings as django_settings

from lms.videos.models import WatchProgress
from tests.browser_wait import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture
def page(live_server, client, learner_user):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    client.force_login(learner_user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 667})
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        yield context.new_page()
        browser.close()


@pytest.fixture
def ready_video(make_video, clips):
    """A 360p lecture, so the HLS ladder has two rungs to adapt between."""
    from lms.videos.services import video_process
    from tests.videos.clips import make_clip

    return video_process(video_id=make_video(make_clip(clips / "sd.mp4", size="640x360", seconds=4)).pk)


NO_NATIVE_HLS = """
const canPlay = HTMLMediaElement.prototype.canPlayType;
HTMLMediaElement.prototype.canPlayType = function (type) {
  return /mpegurl/i.test(type) ? "" : canPlay.call(this, type);
};
"""


@pytest.mark.parametrize("native_hls", [True, False], ids=["native-hls", "hls.js"])
def test_the_player_plays_adaptively_remembers_the_data_saver_and_reports_watching(
    page, live_server, ready_video, learner_user, tmp_path, native_hls
):
    if not native_hls:
        # Like a browser without built-in HLS (desktop Firefox, older Chrome): hls.js must take over.
        page.add_init_script(NO_NATIVE_HLS)
    page.goto(f"{live_server.url}/videos/{ready_video.pk}/")
    player = page.locator("[data-video-player]")
    assert player.bounding_box()["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
    wait_until(page, "document.querySelector('video').currentTime > 1.5", timeout=15_000)
    native = page.evaluate("document.querySelector('video').canPlayType('application/vnd.apple.mpegurl')")
    if not native_hls:
        assert not native
    if native:
        assert page.evaluate("document.querySelector('video').src.endsWith('master.m3u8')")
    else:
        # Chromium needs the library: hls.js from our static files, with both rungs of the ladder.
        assert page.evaluate("document.querySelector('[data-video-player]').hls.levels.length") == 2
        assert page.evaluate("[...document.scripts].some(s => s.src.endsWith('/static/videos/vendor/hls.min.js'))")
    page.evaluate("() => document.querySelector('video').pause()")
    wait_until(page, "parseInt(document.querySelector('[data-video-player]').dataset.percent) > 0")
    progress = WatchProgress.objects.get(user=learner_user, video=ready_video)
    assert 1.0 <= progress.watched_seconds <= ready_video.duration
    page.screenshot(path=str(os.environ.get("SCREENSHOT_DIR", tmp_path)) + "/player-375.png", full_page=True)

    page.select_option("[data-mode]", "audio")
    wait_until(page, "document.querySelector('video').src.endsWith('audio.m4a')")
    page.reload()
    assert page.locator("[data-mode]").input_value() == "audio"
    wait_until(page, "document.querySelector('video').src.endsWith('audio.m4a')")


def test_choosing_the_data_saver_while_playing_goes_on_playing(page, live_server, ready_video):
    page.goto(f"{live_server.url}/videos/{ready_video.pk}/")
    page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; v.play(); }")
    wait_until(page, "document.querySelector('video').currentTime > 1", timeout=15_000)

    page.select_option("[data-mode]", "mp4")

    # preload="none" would leave the new source unloaded and paused if the player did not play it on.
    wait_until(page, "(() => { const v = document.querySelector('video');"
                           " return v.src.endsWith('download.mp4') && !v.paused && v.currentTime > 0.5; })()",
                           timeout=15_000)

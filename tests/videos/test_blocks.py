"""The chooser block the lesson body's video block will hold, and the player it renders."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from wagtail import blocks

from lms.videos.blocks import VideoChooserBlock

pytestmark = pytest.mark.django_db


class ProposedVideoBlock(blocks.StructBlock):
    """courses.blocks.VideoBlock as it will be once the lead adds the chooser."""

    title = blocks.CharBlock(max_length=120)
    video = VideoChooserBlock(required=False)
    note = blocks.TextBlock(required=False)


def test_the_chooser_stores_the_video_id_and_gives_back_the_video(ready_video):
    block = ProposedVideoBlock()
    value = block.to_python({"title": "讲座", "video": ready_video.pk, "note": ""})

    assert value["video"] == ready_video
    assert block.get_prep_value(value)["video"] == ready_video.pk


def test_the_player_partial_renders_inside_a_lesson_body(ready_video, learner_user):
    request = RequestFactory().get("/")
    request.user = learner_user
    html = Template('{% include "videos/includes/player.html" with video=value.video %}').render(
        Context({"value": {"video": ready_video}, "user": learner_user, "request": request})
    )

    assert "data-video-player" in html and f"/videos/{ready_video.pk}/progress/" in html

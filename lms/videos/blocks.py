"""The lesson-body block that places a processed lecture video on a lesson page."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.blocks import SnippetChooserBlock


class VideoChooserBlock(SnippetChooserBlock):
    """Choose one of the uploaded lecture videos."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("video"))
        super().__init__("videos.Video", **kwargs)

"""The processing state panel on a video's edit page."""

from wagtail.admin.panels import HelpPanel


class VideoStatusPanel(HelpPanel):
    """State, live progress bar, failure reason and renditions of the video being edited."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "videos/admin/status_panel.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def is_shown(self) -> bool:
            return bool(self.instance and self.instance.pk)

"""Lecture videos in the Wagtail admin: upload, live processing state, chooser, watch reports."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView

from lms.core.viewsets import SafeSnippetViewSet

from . import services
from .admin_views import (
    LessonReportIndexView,
    LessonReportView,
    OfflineView,
    ReprocessView,
    user_may_manage_offline,
    user_may_see_reports,
)
from .models import Video
from .panels import VideoStatusPanel


def warn_if_delayed(request, dispatch) -> None:
    """Say so when the job could not be sent: the upload is kept and processed once the broker is back."""
    if dispatch is not None and dispatch.sent is False:
        messages.warning(request, _("The recording is saved, but the background service does not answer just "
                                    "now. Processing starts by itself when the service is back; nothing needs "
                                    "to be uploaded again."))


class VideoCreateView(CreateView):
    """After the upload is saved, queue processing and go to the page with the live progress bar."""

    def save_instance(self):
        instance = super().save_instance()
        Video.objects.filter(pk=instance.pk).update(uploaded_by=self.request.user)
        self.dispatch = services.video_enqueue_processing(video=instance)
        return instance

    def save_action(self):
        warn_if_delayed(self.request, self.dispatch)  # Sent once the save committed, just before this.
        return super().save_action()

    def get_success_url(self):
        return self.get_edit_url()


class VideoEditView(EditView):
    """A replaced recording is processed again; a changed title is just saved."""

    def save_instance(self):
        source_changed = "source" in self.form.changed_data
        old_source = Video.objects.filter(pk=self.form.instance.pk).values_list("source", flat=True).first()
        instance = super().save_instance()
        if source_changed:
            services.video_source_replaced(video=instance, old_source=old_source or "")
        self.dispatch = getattr(instance, "dispatch", None)
        return instance

    def save_action(self):
        if self.dispatch is not None:
            warn_if_delayed(self.request, self.dispatch)
        return super().save_action()


class VideoViewSet(SafeSnippetViewSet):
    model = Video
    icon = "media"
    menu_label = _("Lecture videos")
    menu_order = 250
    add_to_admin_menu = True
    add_view_class = VideoCreateView
    edit_view_class = VideoEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_fields = ["title"]
    list_filter = ["state", "has_video"]
    list_display = [
        "title",
        Column("state_summary", label=_("state"), accessor="state_summary"),
        Column("duration_display", label=_("duration"), accessor="duration_display"),
        Column("created_at", label=_("uploaded at")),
    ]
    panels = [FieldPanel("title"), FieldPanel("source"), VideoStatusPanel(heading=_("Processing status"))]


register_snippet(VideoViewSet)

admin_urls = [
    path("report/", LessonReportIndexView.as_view(), name="report"),
    path("report/lesson/<int:lesson_id>/", LessonReportView.as_view(), name="lesson_report"),
    path("<int:pk>/reprocess/", ReprocessView.as_view(), name="reprocess"),
    path("offline/", OfflineView.as_view(), name="offline"),
]


@hooks.register("register_admin_urls")
def register_video_admin_urls():
    return [path("video-reports/", include((admin_urls, "videos_admin"), namespace="videos_admin"))]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_see_reports(request.user)


@hooks.register("register_reports_menu_item")
def register_watch_report_menu_item():
    return ReportMenuItem(_("Video watching"), reverse("videos_admin:report"), icon_name="media", order=700)


class OfflineMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_manage_offline(request.user)


@hooks.register("register_admin_menu_item")
def register_offline_menu_item():
    return OfflineMenuItem(_("Offline packages"), reverse("videos_admin:offline"), icon_name="download", order=260)

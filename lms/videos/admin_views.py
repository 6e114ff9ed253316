"""Staff admin views: who watched how much per lesson, processing again, and offline station packages."""

import tempfile

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.models import LessonPage
from lms.accounts.scope import scope_for
from lms.core.numbers import parse_id

from . import services
from .exports import lesson_report_workbook, report_cells, report_headers
from .models import Video
from .selectors import lesson_video_ids, lesson_watch_report

LESSONS_PER_PAGE = 50


def user_may_see_reports(user) -> bool:
    """Staff, and anyone granted the watch-report permission (rows limited by lms.accounts.scope)."""
    return scope_for(user).staff or (user.is_authenticated and user.has_perm("videos.view_watchprogress"))


class LessonReportIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Lessons that hold a lecture video, each linking to its watch report."""

    template_name = "videos/admin/report_index.html"
    page_title = _("Video watching")
    header_icon = "media"

    def dispatch(self, request, *args, **kwargs):
        if not user_may_see_reports(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lessons = LessonPage.objects.live().filter(body__icontains='"video"').order_by("path")
        page = Paginator(lessons, LESSONS_PER_PAGE).get_page(self.request.GET.get("p"))
        context["page"] = page
        context["lessons"] = [lesson for lesson in page.object_list if lesson_video_ids(lesson=lesson)]
        return context


class LessonReportView(WagtailAdminTemplateMixin, TemplateView):
    """Per learner, the share of each of a lesson's videos actually played."""

    template_name = "videos/admin/report_lesson.html"
    header_icon = "media"

    def dispatch(self, request, *args, **kwargs):
        if not user_may_see_reports(request.user):
            raise Http404
        self.lesson = get_object_or_404(LessonPage, pk=kwargs["lesson_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.lesson.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("videos_admin:report"), "label": _("Video watching")},
            {"url": "", "label": self.lesson.title},
        ]

    def get_report(self):
        """The report for the class and order chosen in the query string."""
        class_id = parse_id(self.request.GET.get("class"))
        return lesson_watch_report(lesson=self.lesson, user=self.request.user, training_class_id=class_id,
                                   sort=self.request.GET.get("sort", "least"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.get_report()
        context.update(
            lesson=self.lesson, report=report, headers=report_headers(report),
            rows=[{"row": row, "cells": report_cells(row, report)} for row in report.rows],
            sorts=[("least", _("Least watched first")), ("most", _("Most watched first")),
                   ("place", _("By township and village")), ("recent", _("Recently watched first"))],
            export_query=self.export_query(),
        )
        return context

    def export_query(self) -> str:
        """The query string of the Excel download: the page's filter and order, plus the format."""
        query = self.request.GET.copy()
        query["format"] = "xlsx"
        return query.urlencode()

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") != "xlsx":
            return super().get(request, *args, **kwargs)
        data = lesson_report_workbook(lesson=self.lesson, report=self.get_report())
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="watch-report-{self.lesson.pk}.xlsx"'
        return response


class ReprocessView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then queue a video for processing again (after a server problem or a new ffmpeg)."""

    template_name = "videos/admin/reprocess.html"
    page_title = _("Process again")
    header_icon = "media"

    def dispatch(self, request, *args, **kwargs):
        if not scope_for(request.user).staff:
            raise Http404
        self.video = get_object_or_404(Video, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailsnippets_videos_video:edit", args=[self.video.pk]), "label": self.video.title},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "video": self.video}

    def post(self, request, *args, **kwargs):
        Video.objects.filter(pk=self.video.pk).update(processed_source="")
        if services.video_enqueue_processing(video=self.video).sent is False:
            messages.warning(request, _("The background service does not answer just now. Processing starts by "
                                        "itself when the service is back."))
        else:
            messages.success(request, _("The video is queued for processing."))
        return redirect("wagtailsnippets_videos_video:edit", self.video.pk)


def station_roster(*, station) -> list:
    """The cadres a station serves (its village, its township, or the whole county), as roster entries."""
    from lms.people.models import Person

    from .offline import RosterEntry

    people = Person.objects.filter(is_active=True, user__isnull=False).order_by("name")
    if station.village_id:
        people = people.filter(village_id=station.village_id)
    elif station.township_id:
        people = people.filter(village__township_id=station.township_id)
    return [RosterEntry(pk, name) for pk, name in people.values_list("pk", "name")]


class OfflinePackageForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=None)
    station = forms.ModelChoiceField(label=_("Remote-education station"), queryset=None)

    def __init__(self, *args, **kwargs):
        from courses.models import CoursePage
        from lms.people.models import Station

        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["station"].queryset = Station.objects.select_related("village", "township").order_by("name")


class OfflineRecordForm(forms.Form):
    record = forms.FileField(label=_("Watch record file (.json)"))


def user_may_manage_offline(user) -> bool:
    """Staff who may change videos make packages and import their records."""
    return scope_for(user).staff


class OfflineView(WagtailAdminTemplateMixin, TemplateView):
    """Make an offline package for a station, and import the watch records stations send back."""

    template_name = "videos/admin/offline.html"
    page_title = _("Offline packages")
    header_icon = "download"
    MAX_RECORD_BYTES = 5 * 1024 * 1024

    def dispatch(self, request, *args, **kwargs):
        if not user_may_manage_offline(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("package_form", OfflinePackageForm())
        context.setdefault("record_form", OfflineRecordForm())
        from .models import OfflineImport, OfflinePackage

        context["recent_imports"] = OfflineImport.objects.order_by("-imported_at")[:20]
        context["recent_packages"] = OfflinePackage.objects.select_related("station").order_by("-created_at")[:20]
        return context

    def post(self, request, *args, **kwargs):
        if "record" in request.FILES:
            return self._import(request)
        if request.POST.get("revoke"):
            from .offline import offline_package_revoke

            if offline_package_revoke(package_id=request.POST["revoke"][:64]):
                messages.success(request, _("The package was revoked: its records are refused from now on."))
            return redirect("videos_admin:offline")
        form = OfflinePackageForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(package_form=form))
        from .offline import offline_package_write

        course, station = form.cleaned_data["course"], form.cleaned_data["station"]
        target = tempfile.TemporaryFile()
        offline_package_write(course=course, roster=station_roster(station=station), station=station.name,
                              station_id=station.pk, target=target, by=request.user)
        target.seek(0)
        return FileResponse(target, as_attachment=True, filename=f"offline-{course.slug}.zip",
                            content_type="application/zip")

    def _import(self, request):
        from .offline import RecordError, offline_record_import

        form = OfflineRecordForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["record"]
            if upload.size > self.MAX_RECORD_BYTES:
                form.add_error("record", _("The file is too large to be a watch record."))
            else:
                try:
                    record, created = offline_record_import(data=upload.read(), user=request.user)
                except RecordError as error:
                    form.add_error("record", str(error))
                else:
                    if created:
                        messages.success(
                            request, _("Imported %(n)d watch entries from %(station)s and recorded %(marks)d "
                                       "attendance marks.")
                            % {"n": record.entries, "station": record.station, "marks": record.attendance_marks})
                        if record.refused:
                            messages.warning(request, _("%(n)d entries were refused; see why below.")
                                             % {"n": len(record.refused)})
                    else:
                        messages.warning(request, _("This watch record was already imported; nothing changed."))
                    return redirect("videos_admin:offline")
        return self.render_to_response(self.get_context_data(record_form=form))

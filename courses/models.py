"""Course catalogue, course and lesson pages; page models keep display logic only."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from lms.classes.credits import lesson_credit_calculator, lesson_credit_hours
from lms.core.viewsets import SafeSnippetViewSet

from .blocks import LessonBodyBlock
from .search import stream_words
from .slugs import PinyinSlugMixin


class SignedInPageMixin:
    """Course content is for signed-in cadres and staff only."""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        course = self.course_for_access()
        if course is not None:
            from .selectors import course_open_to_user

            if not course_open_to_user(user=request.user, course=course):
                raise Http404
        return super().serve(request, *args, **kwargs)

    def course_for_access(self):
        """The course whose audience decides who may open this page; None when every signed-in user may."""
        return None


class CourseCategory(models.Model):
    """A topic category of courses (e.g. 党风廉政建设)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("course category")
        verbose_name_plural = _("course categories")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


register_snippet(CourseCategory, viewset=SafeSnippetViewSet)


class CourseIndexPage(PinyinSlugMixin, SignedInPageMixin, Page):
    """The course catalogue (课程中心)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    template = "courses/course_index_page.html"
    COURSES_PER_PAGE = 30

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from .selectors import catalogue_courses_for, with_lesson_totals

        context = super().get_context(request, *args, **kwargs)
        courses = catalogue_courses_for(catalogue=self, user=request.user)
        context["page_of_courses"] = Paginator(courses, self.COURSES_PER_PAGE).get_page(request.GET.get("page"))
        context["courses"] = with_lesson_totals(list(context["page_of_courses"].object_list))
        return context


class CoursePage(PinyinSlugMixin, SignedInPageMixin, Page):
    """A course: a set of lessons worth a number of credit hours."""

    class Requirement(models.TextChoices):
        REQUIRED = "required", _("Required")
        ELECTIVE = "elective", _("Elective")

    summary = models.TextField(_("summary"), max_length=1000)
    category = models.ForeignKey(
        CourseCategory, verbose_name=_("topic category"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="courses",
    )
    credit_hours = models.DecimalField(
        _("credit hours"), max_digits=5, decimal_places=1, default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("200"))],
    )
    requirement = models.CharField(
        _("required or elective"), max_length=10, choices=Requirement.choices, default=Requirement.REQUIRED
    )
    target_posts = ParentalManyToManyField(
        "people.Post", verbose_name=_("target posts"), blank=True, related_name="courses",
        help_text=_("Leave empty to open the course to every cadre."),
    )
    teacher = models.ForeignKey(
        "people.Teacher", verbose_name=_("teacher"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="courses",
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("cover image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("credit_hours"),
                FieldPanel("requirement"),
                FieldPanel("target_posts", widget=forms.CheckboxSelectMultiple),
                FieldPanel("teacher"),
            ],
            heading=_("Teaching arrangements"),
        ),
        FieldPanel("cover_image"),
    ]
    search_text = models.TextField(_("searchable text"), blank=True, default="", editable=False)

    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("search_text")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")
        indexes = [models.Index(fields=["requirement"], name="course_requirement_idx")]

    def course_for_access(self):
        """A course is open to its audience."""
        return self

    def save(self, *args, **kwargs):
        """Keep the searchable text in step with the title and summary."""
        self.search_text = "\n".join(part for part in (self.title, self.summary) if part)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from .selectors import course_lessons, lesson_progress

        lessons = list(course_lessons(course=self))
        credit = lesson_credit_calculator(year=timezone.localdate().year)
        for lesson in lessons:
            lesson.credit_hours = credit(lesson.duration_minutes)
        context["lessons"] = lessons
        context["progress"] = lesson_progress(user=request.user, lessons=lessons)
        return context


class LessonPage(PinyinSlugMixin, SignedInPageMixin, Page):
    """A lesson (课时): a body of text, images, documents and a lecture video."""

    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("estimated duration (minutes)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )

    content_panels = Page.content_panels + [
        FieldPanel("duration_minutes"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("Attachments"), heading=_("Attachments")),
    ]
    search_text = models.TextField(_("searchable text"), blank=True, default="", editable=False)

    search_fields = Page.search_fields + [index.SearchField("body"), index.SearchField("search_text")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")

    @cached_property
    def course(self):
        """The course this lesson belongs to."""
        return self.get_parent().specific

    def course_for_access(self):
        """A lesson is open to its course's audience."""
        return self.course

    def save(self, *args, **kwargs):
        """Keep the searchable text in step with the title and the words of the body."""
        self.search_text = "\n".join([self.title, *stream_words(self.body.get_prep_value())])
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        return super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        """Serve the lesson and record that the signed-in user read it (previews do not pass through serve)."""
        response = super().serve(request, *args, **kwargs)
        if response.status_code == 200:
            from .services import lesson_read_record

            lesson_read_record(user=request.user, lesson=self)
        return response

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["course"] = self.course
        context["lesson_credit_hours"] = lesson_credit_hours(minutes=self.duration_minutes,
                                                             year=timezone.localdate().year)
        context["attachment_list"] = self.attachments.select_related("document")
        return context


class LessonAttachment(Orderable):
    """A file attached to a lesson (lesson plan, handout, reading)."""

    lesson = ParentalKey(LessonPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def display_title(self) -> str:
        """The attachment's own title, else the document's."""
        return self.title or self.document.title


class LessonRead(models.Model):
    """A signed-in user opened a lesson page: when first and when last (a lesson without video is done once read)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="lesson_reads"
    )
    lesson = models.ForeignKey(LessonPage, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="reads")
    first_read_at = models.DateTimeField(_("first read at"))
    last_read_at = models.DateTimeField(_("last read at"))

    class Meta:
        verbose_name = _("lesson read")
        verbose_name_plural = _("lesson reads")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="lesson_read_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson_id}"

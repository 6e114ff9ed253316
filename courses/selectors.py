"""Reads of courses and lessons, with a fixed number of queries whatever the data size."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import CourseIndexPage, CoursePage, LessonPage


def _with_lesson_totals(qs: QuerySet[CoursePage]) -> QuerySet[CoursePage]:
    """Annotate each course with its live lesson count and total minutes."""
    lessons = LessonPage.objects.filter(
        live=True, path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
    ).order_by()
    count = lessons.values("depth").annotate(n=Count("pk")).values("n")
    minutes = lessons.values("depth").annotate(m=Sum("duration_minutes")).values("m")
    return qs.annotate(
        lesson_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        lesson_minutes=Coalesce(Subquery(minutes, output_field=IntegerField()), Value(0)),
    )


def _course_base() -> QuerySet[CoursePage]:
    return (
        CoursePage.objects.live()
        .select_related("category", "teacher", "cover_image")
        .prefetch_related("target_posts")
    )


def catalogue_courses(*, catalogue: CourseIndexPage) -> QuerySet[CoursePage]:
    """Every live course of a catalogue, required first."""
    qs = _course_base().child_of(catalogue)
    return _with_lesson_totals(qs).order_by("requirement", "path")


def courses_open_to(*, post_ids: list[int]) -> QuerySet[CoursePage]:
    """Live courses aimed at any of the given posts, or at every cadre; required first."""
    through = CoursePage.target_posts.through
    targets = through.objects.filter(coursepage_id=OuterRef("pk"))
    matching = targets.filter(post_id__in=post_ids)
    qs = _course_base().filter(Q(~Exists(targets)) | Q(Exists(matching)))
    return _with_lesson_totals(qs).order_by("requirement", "path")


def course_lessons(*, course: CoursePage) -> QuerySet[LessonPage]:
    """The live lessons of a course in their order."""
    return LessonPage.objects.child_of(course).live().order_by("path")

"""Reads of courses and lessons, with a fixed number of queries whatever the data size."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Length, Substr
from wagtail.models import Page

from .models import CourseIndexPage, CoursePage, LessonPage, LessonRead


def with_lesson_totals(courses: list[CoursePage]) -> list[CoursePage]:
    """Set each course's live lesson count and total minutes, in one query for the whole list."""
    paths = [course.path for course in courses]
    totals = {
        row["parent_path"]: row
        for row in LessonPage.objects.live()
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent_path__in=paths)
        .order_by()
        .values("parent_path")
        .annotate(n=Count("pk"), m=Sum("duration_minutes"))
    } if paths else {}
    for course in courses:
        row = totals.get(course.path, {})
        course.lesson_count = row.get("n", 0)
        course.lesson_minutes = row.get("m") or 0
    return courses


def _course_base() -> QuerySet[CoursePage]:
    return (
        CoursePage.objects.live()
        .select_related("category", "teacher", "cover_image")
    )


def catalogue_courses(*, catalogue: CourseIndexPage) -> QuerySet[CoursePage]:
    """Every live course of a catalogue, required first (lesson totals: see with_lesson_totals)."""
    return _course_base().child_of(catalogue).order_by("requirement", "path")


def catalogue_courses_for(*, catalogue: CourseIndexPage, user) -> QuerySet[CoursePage]:
    """The catalogue as a user sees it: a plain learner only the courses open to their posts."""
    from lms.accounts.roles import is_learner_only
    from lms.people.models import Person

    if not is_learner_only(user):
        return catalogue_courses(catalogue=catalogue)
    post_ids = list(Person.posts.through.objects.filter(person__user=user).values_list("post_id", flat=True))
    return courses_open_to(post_ids=post_ids).child_of(catalogue)


def courses_open_to(*, post_ids: list[int]) -> QuerySet[CoursePage]:
    """Live courses aimed at any of the given posts, or at every cadre; required first."""
    through = CoursePage.target_posts.through
    targets = through.objects.filter(coursepage_id=OuterRef("pk"))
    matching = targets.filter(post_id__in=post_ids)
    qs = _course_base().filter(Q(~Exists(targets)) | Q(Exists(matching)))
    return qs.order_by("requirement", "path")


def course_open_to_user(*, user, course) -> bool:
    """Whether a user may open a course: a plain learner only one for their posts, for all, or of their class."""
    from lms.accounts.roles import is_learner_only
    from lms.classes.models import Enrolment
    from lms.people.models import Person

    if not is_learner_only(user):
        return True
    through = CoursePage.target_posts.through
    targets = through.objects.filter(coursepage_id=OuterRef("pk"))
    own_posts = Person.posts.through.objects.filter(person__user=user).values("post_id")
    in_class = Enrolment.objects.filter(
        person__user=user, status=Enrolment.Status.ENROLLED, training_class__courses=OuterRef("pk")
    )
    return CoursePage.objects.filter(pk=course.pk).filter(
        Q(~Exists(targets)) | Q(Exists(targets.filter(post_id__in=own_posts))) | Q(Exists(in_class))
    ).exists()


def course_lessons(*, course: CoursePage) -> QuerySet[LessonPage]:
    """The live lessons of a course in their order."""
    return LessonPage.objects.child_of(course).live().order_by("path")


def lesson_reads(*, lessons: list, user_ids: list[int]) -> set[tuple[int, int]]:
    """(user id, lesson id) of every given lesson the given users have opened, in one query."""
    if not lessons or not user_ids:
        return set()
    return set(
        LessonRead.objects.filter(lesson_id__in=[lesson.pk for lesson in lessons], user_id__in=user_ids)
        .values_list("user_id", "lesson_id")
    )


def lessons_with_video(*, lessons: list) -> set[int]:
    """Ids of the lessons whose body holds a playable lecture video (such a lesson is done when watched), one query."""
    from lms.videos.models import Video
    from lms.videos.selectors import lesson_video_ids

    video_ids = {lesson.pk: set(lesson_video_ids(lesson=lesson)) for lesson in lessons}
    wanted = set().union(*video_ids.values()) if video_ids else set()
    if not wanted:
        return set()
    playable = set(Video.objects.filter(pk__in=wanted).exclude(output_dir="").values_list("pk", flat=True))
    return {pk for pk, ids in video_ids.items() if ids & playable}


@dataclass(frozen=True)
class LessonProgress:
    lesson: object
    has_video: bool
    percent: int  # share of the lesson's lecture video played, 0-100 (0 for a lesson without video)
    read: bool
    done: bool


@dataclass(frozen=True)
class CourseProgress:
    lessons: list[LessonProgress]  # in the lessons' order

    @property
    def done(self) -> int:
        """How many lessons are done."""
        return sum(1 for item in self.lessons if item.done)

    @property
    def total(self) -> int:
        """How many lessons there are."""
        return len(self.lessons)


def lesson_progress(*, user, lessons: list) -> CourseProgress:
    """Per lesson, how far the user got: a video lesson by share watched (done at 95%), others by read; 3 queries."""
    from lms.videos.selectors import lesson_video_ids, videos_watch_status

    lessons = list(lessons)
    if not user or not user.is_authenticated:
        return CourseProgress([LessonProgress(lesson, False, 0, False, False) for lesson in lessons])
    video_ids = {lesson.pk: lesson_video_ids(lesson=lesson) for lesson in lessons}
    status = videos_watch_status(user=user, video_ids=sorted({i for ids in video_ids.values() for i in ids}))
    reads = {lesson_id for _user_id, lesson_id in lesson_reads(lessons=lessons, user_ids=[user.pk])}
    items = []
    for lesson in lessons:
        watches = [status[i] for i in video_ids[lesson.pk] if i in status]
        read = lesson.pk in reads
        if not watches:
            items.append(LessonProgress(lesson, False, 0, read, read))
            continue
        duration = sum(w.duration for w in watches)
        played = sum(min(w.watched_seconds, w.duration) for w in watches)
        percent = min(100, int(100 * played / duration)) if duration else 0
        done = all(w.completed for w in watches)
        items.append(LessonProgress(lesson, True, 100 if done else min(percent, 99), read, done))
    return CourseProgress(items)


SEARCH_LIMIT = 30


def search_catalogue(*, user, query: str) -> tuple[list[CoursePage], list[LessonPage]]:
    """Courses and lessons open to the user whose text contains every term (substring, Chinese or not); 2 queries."""
    from lms.accounts.roles import is_learner_only
    from lms.people.models import Person

    from .search import matching

    if is_learner_only(user):
        post_ids = list(Person.posts.through.objects.filter(person__user=user).values_list("post_id", flat=True))
        open_courses = courses_open_to(post_ids=post_ids)
    else:
        open_courses = _course_base().order_by("requirement", "path")
    courses = list(matching(open_courses, query=query)[:SEARCH_LIMIT])
    lessons = list(
        matching(LessonPage.objects.live(), query=query)
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent_path__in=open_courses.order_by().values("path"))
        .order_by("path")[:SEARCH_LIMIT]
    )
    return courses, lessons

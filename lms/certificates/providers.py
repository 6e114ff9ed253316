"""The other apps' functions completion rules are checked with, each imported only when it exists.

Each function returns None when its provider is not installed yet; the rules then say
the rule "cannot be checked yet" (see rules.py for the policy). Tests replace these
functions with fakes.
"""

import importlib
from collections.abc import Callable


def _function(module: str, name: str) -> Callable | None:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _first(*candidates: tuple[str, str]) -> Callable | None:
    for module, name in candidates:
        found = _function(module, name)
        if found is not None:
            return found
    return None


def attendance_stats(*, training_class) -> dict | None:
    """person_id -> AttendanceStats from lms.classes, or None when not available."""
    func = _function("lms.classes.selectors", "attendance_stats_for_class")
    return None if func is None else func(training_class=training_class)


def note_counts(*, training_class) -> dict | None:
    """person_id -> number of study notes from lms.classes, or None when not available."""
    func = _function("lms.classes.selectors", "note_counts_for_class")
    return None if func is None else func(training_class=training_class)


def trip_reports(*, training_class) -> dict | None:
    """person_id -> trip report accepted, from lms.trips, or None when not available."""
    func = _function("lms.trips.selectors", "trip_report_status_for_class")
    return None if func is None else func(training_class=training_class)


def class_has_trip(*, training_class) -> bool:
    """Whether a field-study trip belongs to the class (a trip report can only be asked of such a class)."""
    func = _function("lms.trips.selectors", "class_has_trip")
    return False if func is None else func(training_class=training_class)


def lesson_watched_function() -> Callable | None:
    """lesson_watched(*, user, lesson) -> bool from lms.videos, or None."""
    return _first(("lms.videos.selectors", "lesson_watched"), ("lms.videos.services", "lesson_watched"))


def lesson_reads(*, lessons, people) -> set | None:
    """(user id, lesson pk) of the given lessons these learners opened, from courses, or None when not available."""
    func = _function("courses.selectors", "lesson_reads")
    if func is None:
        return None
    return func(lessons=lessons, user_ids=[person.user_id for person in people if person.user_id])


def lessons_with_video(*, lessons) -> set | None:
    """Pks of the lessons done by watching their video (the others are done by reading), or None."""
    func = _function("courses.selectors", "lessons_with_video")
    return None if func is None else func(lessons=lessons)


def quiz_passed_function() -> Callable | None:
    """quiz_passed(*, person_or_user, quiz) -> bool from lms.quizzes, or None."""
    return _first(("lms.quizzes.selectors", "quiz_passed"), ("lms.quizzes.services", "quiz_passed"))


def class_quiz(*, training_class):
    """The published quiz of the class, or None when it has none (or quizzes are not installed)."""
    try:
        from lms.quizzes.models import Quiz
    except ImportError:
        return None
    return Quiz.objects.filter(class_id=training_class.pk, is_published=True).order_by("pk").first()


def required_lessons(*, training_class) -> list:
    """Live lessons of the class's required courses."""
    from courses.models import CoursePage, LessonPage

    lessons = []
    for course in training_class.courses.filter(requirement=CoursePage.Requirement.REQUIRED).order_by("pk"):
        lessons.extend(LessonPage.objects.child_of(course).live().order_by("path"))
    return lessons

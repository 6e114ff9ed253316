"""Who sees what through the API: one function per resource, each delegating to the app's own scoping rules.

Nothing here decides a rule of its own: every function calls the selector the app's pages use
(people, classes, budget, certificates, courses), so the API can never show more than the pages do.
When lms/accounts/scope.py lands, point these functions at it.
"""

from django.db.models import QuerySet, Subquery
from django.db.models.functions import Length, Substr

from courses.models import CoursePage, LessonPage
from courses.selectors import courses_open_to
from lms.accounts.roles import is_learner_only
from lms.budget.access import is_officer
from lms.budget.models import Account
from lms.budget.selectors import claims_visible_to, entries_visible_to
from lms.certificates.models import Certificate
from lms.certificates.selectors import certificates_of_user
from lms.certificates.selectors import classes_visible_to as certificate_classes_visible_to
from lms.classes.models import Attendance, Enrolment, Session, TrainingClass
from lms.classes.scoping import classes_visible_to, is_school_staff, named_township_id
from lms.people.models import Person
from lms.people.selectors import (
    people_visible_to,
    stations_visible_to,
    townships_visible_to,
    villages_visible_to,
)
from lms.quizzes.models import Attempt

from .errors import forbidden


def townships_for(user) -> QuerySet:
    return townships_visible_to(user=user)


def villages_for(user) -> QuerySet:
    return villages_visible_to(user=user)


def stations_for(user) -> QuerySet:
    return stations_visible_to(user=user)


def people_for(user) -> QuerySet[Person]:
    return people_visible_to(user=user)


def courses_for(user) -> QuerySet[CoursePage]:
    """A plain learner sees the courses open to their posts (as in the catalogue); other roles every live one."""
    if not user.is_authenticated:
        return CoursePage.objects.none()
    if is_learner_only(user):
        post_ids = list(Person.posts.through.objects.filter(person__user=user).values_list("post_id", flat=True))
        return courses_open_to(post_ids=post_ids)
    return CoursePage.objects.live().select_related("category", "teacher")


def lessons_for(user) -> QuerySet[LessonPage]:
    """Live lessons of the courses the user sees (a lesson's parent path is its path less one step)."""
    parent_path = Substr("path", 1, Length("path") - LessonPage.steplen)
    return (
        LessonPage.objects.live()
        .annotate(course_path=parent_path)
        .filter(course_path__in=Subquery(courses_for(user).values("path")))
    )


def classes_for(user) -> QuerySet[TrainingClass]:
    """Staff and organisers as in the admin; a learner the classes they are enrolled in."""
    if user.is_authenticated and is_learner_only(user):
        return TrainingClass.objects.filter(enrolments__person__user=user).distinct()
    return classes_visible_to(user=user)


def sessions_for(user) -> QuerySet[Session]:
    return Session.objects.filter(training_class__in=classes_for(user).values("pk"))


def _people_named_for(user, qs, person_field: str):
    """Rows about cadres: staff all; an organiser only their township's cadres; a learner only their own."""
    if not user.is_authenticated:
        return qs.none()
    if is_learner_only(user):
        return qs.filter(**{f"{person_field}__user": user})
    if is_school_staff(user):
        return qs
    township_id = named_township_id(user=user)
    if township_id is None:
        return qs.none()
    return qs.filter(**{f"{person_field}__village__township_id": township_id})


def enrolments_for(user) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.filter(training_class__in=classes_for(user).values("pk"))
    return _people_named_for(user, qs, "person")


def attendance_for(user) -> QuerySet[Attendance]:
    qs = Attendance.objects.filter(session__training_class__in=classes_for(user).values("pk"))
    return _people_named_for(user, qs, "person")


def attempts_for(user) -> QuerySet[Attempt]:
    """Quiz results: a learner their own; staff all; an organiser their township's cadres'."""
    qs = Attempt.objects.exclude(status=Attempt.Status.IN_PROGRESS)
    return _people_named_for(user, qs, "user__person")


def records_people_for(user) -> QuerySet[Person]:
    """Whose training records (学时) a user may read: the cadres they may see."""
    return people_for(user)


def allowance_accounts_for(user) -> QuerySet[Account]:
    """Allowance balances: budget officers only."""
    if not is_officer(user):
        raise forbidden()
    return Account.objects.all()


def ledger_entries_for(user):
    """Ledger entries: budget officers only."""
    if not is_officer(user):
        raise forbidden()
    return entries_visible_to(user=user)


def claims_for(user):
    return claims_visible_to(user=user)


def certificates_for(user) -> QuerySet[Certificate]:
    """A learner their own; staff and organisers those of the classes they see certificates of."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    if is_learner_only(user):
        return certificates_of_user(user=user)
    return Certificate.objects.filter(training_class__in=certificate_classes_visible_to(user=user).values("pk"))

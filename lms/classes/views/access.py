"""Lookups that make other people's rows 404, shared by the views."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from lms.accounts import scope
from lms.people.selectors import people_visible_to, person_for_user

from ..models import Enrolment, Session, TrainingClass
from ..scoping import classes_visible_to, is_school_staff


def own_person(request):
    """The signed-in cadre, or 404 for an account without a cadre record."""
    person = person_for_user(user=request.user)
    if person is None:
        raise Http404
    return person


def learner_class(request, pk: int) -> tuple[TrainingClass, Enrolment | None]:
    """A class the user may see: enrolled in it (any status), or in their staff or organiser scope."""
    visible = classes_visible_to(user=request.user)
    person = person_for_user(user=request.user)
    enrolment = None
    if person is not None:
        enrolment = Enrolment.objects.filter(training_class_id=pk, person=person).first()
    if enrolment is not None:
        return get_object_or_404(TrainingClass.objects.select_related("plan", "organiser_township"), pk=pk), enrolment
    return get_object_or_404(visible, pk=pk), None


def staff_session(request, pk: int) -> Session:
    """A session whose roster the user may mark: school staff, or the session's teacher."""
    session = get_object_or_404(Session.objects.select_related("training_class", "teacher", "station"), pk=pk)
    teacher = getattr(request.user, "teacher", None) if request.user.is_authenticated else None
    if is_school_staff(request.user) or (teacher is not None and session.teacher_id == teacher.pk):
        return session
    raise Http404


def visible_person(request, pk: int):
    """A cadre in the user's scope (learners: only themselves)."""
    return get_object_or_404(people_visible_to(user=request.user), pk=pk)


def record_person(request, pk: int):
    """A cadre whose training record the user may open (never for a budget officer: money only)."""
    return get_object_or_404(scope.record_people(request.user), pk=pk)

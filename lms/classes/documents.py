"""Who may open a Wagtail document: staff, or someone who may open a page or a class session that uses it.

Documents hold lesson plans (教案) and course readings; Wagtail would serve them to anyone by URL.
"""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from wagtail.models import Page, ReferenceIndex

from courses.selectors import course_open_to_user
from lms.accounts import scope
from lms.core.numbers import parse_ids

from .models import Enrolment, Session


def document_open_to(*, user, document) -> bool:
    """Whether the user may open the document."""
    s = scope.scope_for(user)
    if not s.authenticated:
        return False
    if s.staff:
        return True
    sessions = Session.objects.filter(lesson_plan=document)
    if sessions.filter(training_class__in=scope.classes(user)).exists() or sessions.filter(
            training_class__enrolments__person__user=user,
            training_class__enrolments__status=Enrolment.Status.ENROLLED).exists():
        return True
    if s.teacher_id is not None and sessions.filter(teacher_id=s.teacher_id).exists():
        return True
    page_ids = ReferenceIndex.get_references_to(document).filter(
        content_type__model__in=["coursepage", "lessonpage", "courseindexpage"]).values_list("object_id", flat=True)
    for page in Page.objects.live().filter(pk__in=parse_ids(str(i) for i in page_ids)).specific():
        course = page.course_for_access() if hasattr(page, "course_for_access") else None
        if course is None or course_open_to_user(user=user, course=course):
            return True
    return False


def document_serve_check(document, request):
    """before_serve_document hook: sign in first, then 404 unless the document is open to the user."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not document_open_to(user=request.user, document=document):
        raise Http404
    return None

"""Who may see what: the one rule per model, used by every view, export, admin viewset and report.

Every role's rule in one table (a superuser holds every role):

| rows                                   | staff  | budget officer | organiser          | learner | anonymous |
| -------------------------------------- | ------ | -------------- | ------------------ | ------- | --------- |
| townships, villages, stations, people  | county | county         | own township       | self    | none      |
| training classes, sessions (admin)     | county | none           | organised by, or   | none    | none      |
|                                        |        |                | with a cadre of,   |         |           |
|                                        |        |                | own township       |         |           |
| enrolments, attendance, leave, notes,  | county | none           | own township's     | own     | none      |
| certificates, watch progress           |        |                | people only        |         |           |
| training records (学习档案)             | county | none           | own township       | own     | none      |
| claims, ledger, trips, trip reports    | county | county         | own township       | own     | none      |

Budget officers' role is money: they read every cadre's name for claims and the ledger, never their study
(records, notes, attendance, certificates). Inside a county-wide class an organiser sees only their own
township's people: the class is visible, the other townships' rows are not. A session's teacher also reads
the notes written for their sessions.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from lms.accounts.roles import BUDGET_OFFICER, ORGANISER, STAFF, user_has_role
from lms.budget.models import Claim, LedgerEntry
from lms.certificates.models import Certificate
from lms.classes.models import Attendance, Enrolment, LeaveRequest, Session, StudyNote, TrainingClass
from lms.people.models import Person, Station, Township, Village
from lms.trips.models import Participant, Trip, TripReport
from lms.videos.models import WatchProgress

NOTHING = Q(pk__in=[])
"""A filter no row passes."""


@dataclass(frozen=True)
class Scope:
    """What one user's roles let them see, worked out once per request."""

    user_id: int | None
    authenticated: bool
    staff: bool
    officer: bool
    township_id: int | None
    teacher_id: int | None

    @property
    def organiser(self) -> bool:
        """Limited to one township (staff and officers are not, even when they also hold the role)."""
        return self.township_id is not None

    @property
    def county_people(self) -> bool:
        """Reads every cadre's name (staff for teaching, officers for money)."""
        return self.staff or self.officer

    @property
    def county_budget(self) -> bool:
        """Reads the whole county's training money."""
        return self.staff or self.officer

    @property
    def budget_reports(self) -> bool:
        """Reaches the budget dashboard and reports."""
        return self.county_budget or self.organiser

    def person_q(self, prefix: str = "") -> Q:
        """Rows whose person (reached by `prefix`) is in scope for names and personal data."""
        if self.county_people:
            return Q()
        return self._own_people_q(prefix)

    def study_q(self, prefix: str = "") -> Q:
        """Rows about a person's study (enrolment, attendance, notes, records): officers are left out."""
        if self.staff:
            return Q()
        return self._own_people_q(prefix)

    def money_q(self, prefix: str = "") -> Q:
        """Rows about a person's money (claims, trip shares)."""
        if self.county_budget:
            return Q()
        return self._own_people_q(prefix)

    def _own_people_q(self, prefix: str) -> Q:
        if self.organiser:
            return Q(**{f"{prefix}village__township_id": self.township_id})
        if self.authenticated:
            return Q(**{f"{prefix}user_id": self.user_id})
        return NOTHING


def scope_for(user) -> Scope:
    """The scope of a user (anonymous users see nothing personal); cached on the user object."""
    cached = getattr(user, "_lms_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        return Scope(user_id=None, authenticated=False, staff=False, officer=False, township_id=None,
                     teacher_id=None)
    staff = user.is_superuser or user_has_role(user, STAFF)
    officer = user.is_superuser or user_has_role(user, BUDGET_OFFICER)
    township_id = None
    if not (staff or officer) and user_has_role(user, ORGANISER):
        township_id = user.township_id or 0
    teacher = getattr(user, "teacher", None)
    scope = Scope(user_id=user.pk, authenticated=True, staff=staff, officer=officer, township_id=township_id,
                  teacher_id=teacher.pk if teacher is not None else None)
    user._lms_scope = scope
    return scope


def _scope(user_or_scope) -> Scope:
    return user_or_scope if isinstance(user_or_scope, Scope) else scope_for(user_or_scope)


# The county and its people.

def townships(user) -> QuerySet[Township]:
    """Townships: the county for staff and officers, their own for organisers."""
    s = _scope(user)
    qs = Township.objects.select_related("county")
    if s.county_people:
        return qs
    return qs.filter(pk=s.township_id) if s.organiser else qs.none()


def villages(user) -> QuerySet[Village]:
    """Villages of the townships in scope."""
    s = _scope(user)
    qs = Village.objects.select_related("township")
    if s.county_people:
        return qs
    return qs.filter(township_id=s.township_id) if s.organiser else qs.none()


def stations(user) -> QuerySet[Station]:
    """Remote-education stations of the townships in scope."""
    s = _scope(user)
    qs = Station.objects.select_related("township", "village", "operator")
    if s.county_people:
        return qs
    return qs.filter(township_id=s.township_id) if s.organiser else qs.none()


def people(user) -> QuerySet[Person]:
    """Cadres: the county (staff, officers), the township (organisers), or only oneself (learners)."""
    s = _scope(user)
    return Person.objects.select_related("village__township", "user").prefetch_related("posts").filter(
        s.person_q())


def record_people(user) -> QuerySet[Person]:
    """Cadres whose training record (学习档案) the user may open: never a budget officer's (money only)."""
    s = _scope(user)
    return Person.objects.select_related("village__township", "user").prefetch_related("posts").filter(
        s.study_q())


# Training classes and what happens in them.

def classes(user) -> QuerySet[TrainingClass]:
    """Classes in the admin: all for staff; an organiser's township's own classes and those with its cadres."""
    s = _scope(user)
    qs = TrainingClass.objects.select_related("organiser_township", "plan")
    if s.staff:
        return qs
    if s.organiser:
        has_cadre = Enrolment.objects.filter(training_class=OuterRef("pk"),
                                             person__village__township_id=s.township_id)
        return qs.filter(Q(organiser_township_id=s.township_id) | Exists(has_cadre))
    return qs.none()


def sessions(user) -> QuerySet[Session]:
    """Sessions of the classes in scope."""
    return Session.objects.filter(training_class__in=classes(user)).select_related("training_class", "teacher")


def enrolments(user) -> QuerySet[Enrolment]:
    """Enrolments of people in scope: an organiser sees only their township's, even in county classes."""
    s = _scope(user)
    return Enrolment.objects.filter(s.study_q("person__")).select_related("training_class", "person__village")


def attendance(user) -> QuerySet[Attendance]:
    """Attendance marks of people in scope."""
    s = _scope(user)
    return Attendance.objects.filter(s.study_q("person__")).select_related("session", "person")


def leave_requests(user) -> QuerySet[LeaveRequest]:
    """Leave requests of people in scope."""
    s = _scope(user)
    return LeaveRequest.objects.filter(s.study_q("person__")).select_related("session__training_class", "person")


def notes(user) -> QuerySet[StudyNote]:
    """Study notes of people in scope, and those written for the sessions a teacher teaches."""
    s = _scope(user)
    q = s.study_q("person__")
    if s.teacher_id is not None:
        q |= Q(session__teacher_id=s.teacher_id)
    return StudyNote.objects.filter(q).select_related("person", "training_class", "session__teacher")


def certificates(user) -> QuerySet[Certificate]:
    """Certificates of people in scope (learners: their own)."""
    s = _scope(user)
    return Certificate.objects.filter(s.study_q("person__")).select_related("training_class", "person")


def watch_progress(user) -> QuerySet[WatchProgress]:
    """Video watching of people in scope (staff: everyone's, including accounts without a cadre record)."""
    s = _scope(user)
    if s.staff:
        return WatchProgress.objects.all()
    if s.organiser:
        return WatchProgress.objects.filter(user__person__village__township_id=s.township_id)
    if s.authenticated:
        return WatchProgress.objects.filter(user_id=s.user_id)
    return WatchProgress.objects.none()


# Money and trips.

def claims(user) -> QuerySet[Claim]:
    """Claims of people in scope for money."""
    s = _scope(user)
    return Claim.objects.select_related("person__village__township", "training_class", "trip").filter(
        s.money_q("person__"))


def ledger(user) -> QuerySet[LedgerEntry]:
    """Ledger entries: all, the township's (by the entry's township), or one's own."""
    s = _scope(user)
    if s.county_budget:
        return LedgerEntry.objects.all()
    if s.organiser:
        return LedgerEntry.objects.filter(township_id=s.township_id)
    if s.authenticated:
        return LedgerEntry.objects.filter(person__user_id=s.user_id)
    return LedgerEntry.objects.none()


def trips(user) -> QuerySet[Trip]:
    """Trips with a participant in scope (staff and officers: all)."""
    s = _scope(user)
    if s.county_budget:
        return Trip.objects.all()
    return Trip.objects.filter(Exists(Participant.objects.filter(s.money_q("person__"), trip=OuterRef("pk"))))


def participants(user) -> QuerySet[Participant]:
    """Trip participants in scope."""
    s = _scope(user)
    return Participant.objects.filter(s.money_q("person__"))


def trip_reports(user) -> QuerySet[TripReport]:
    """Trip reports of participants in scope."""
    s = _scope(user)
    return TripReport.objects.filter(s.money_q("participant__person__"))

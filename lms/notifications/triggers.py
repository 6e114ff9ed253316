"""The periodic triggers (Celery beat): each finds its events and sends one notice per event and person.

Every event key is built from what the event is (the session and its date, the quiz and its close time, the
week...), so a trigger that runs twice, or a task that is retried, sends nothing new.
"""

import datetime
import hashlib
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.roles import BUDGET_OFFICER, ORGANISER, ROLE_NAMES, STAFF
from lms.budget.models import Claim, LedgerEntry
from lms.classes.models import ATTENDED, Attendance, Enrolment, LeaveRequest, Session, TrainingClass
from lms.classes.records import records_for_people
from lms.people.models import Person
from lms.quizzes.models import Attempt, AttemptItem, Question, Quiz
from lms.trips.models import Trip

from .models import Message
from .services import Notice, notices_send

SHORTFALL_MONTHS = (10, 11, 12)


def users_of_people(person_ids) -> dict[int, object]:
    """Active accounts of these cadres, keyed by person id."""
    people = Person.objects.filter(pk__in=list(person_ids), user__is_active=True).select_related("user")
    return {p.pk: p.user for p in people}


def _enrolled_users(training_class_id: int) -> list:
    ids = Enrolment.objects.filter(training_class_id=training_class_id, status=Enrolment.Status.ENROLLED) \
        .values_list("person_id", flat=True)
    return list(users_of_people(ids).values())


def _role_users(code: str):
    return get_user_model().objects.filter(is_active=True, groups__name=ROLE_NAMES[code]).distinct()


def sessions_tomorrow_notify(*, now=None) -> int:
    """Tomorrow's sessions: each enrolled learner, and the operator of a station session."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    sent = 0
    sessions = Session.objects.filter(date=tomorrow, state=Session.State.SCHEDULED).select_related(
        "training_class", "station__operator__user")
    for session in sessions:
        tc = session.training_class
        context = {"class_name": tc.name, "topic": session.topic, "date": f"{session.date:%m月%d日}",
                   "time": f"{session.starts_at:%H:%M}",
                   "place": session.place or (session.station.name if session.station_id else tc.place_address)
                   or _("the Party school"),
                   "station": session.station.name if session.station_id else ""}
        key = f"session_tomorrow:{session.pk}:{session.date:%Y%m%d}"
        url = reverse("classes:class_detail", args=[tc.pk])
        sent += notices_send(type_code="session_tomorrow", event_key=key,
                             notices=[Notice(u, context, url) for u in _enrolled_users(tc.pk)], now=now)
        operator = session.station.operator if session.station_id else None
        if operator is not None and operator.user_id and operator.user.is_active:
            sent += notices_send(type_code="station_session_tomorrow", event_key=f"station_{key}",
                                 notices=[Notice(operator.user, context, reverse("classes:station_sessions"))],
                                 now=now)
    return sent


def quiz_windows_notify(*, now=None) -> int:
    """Class quizzes opening within 24 hours (to the class), or closing within 24 hours (to who has not submitted)."""
    now = now or timezone.now()
    soon = now + datetime.timedelta(hours=24)
    sent = 0
    for quiz in Quiz.objects.filter(class_id__isnull=False, opens_at__gt=now, opens_at__lte=soon):
        context = {"quiz": quiz.title, "opens_at": f"{timezone.localtime(quiz.opens_at):%m月%d日 %H:%M}"}
        url = reverse("quizzes:intro", args=[quiz.pk])
        sent += notices_send(type_code="quiz_opening", event_key=f"quiz_opening:{quiz.pk}:{quiz.opens_at:%Y%m%d%H%M}",
                             notices=[Notice(u, context, url) for u in _enrolled_users(quiz.class_id)], now=now)
    for quiz in Quiz.objects.filter(class_id__isnull=False, closes_at__gt=now, closes_at__lte=soon):
        done = set(Attempt.objects.filter(quiz=quiz).exclude(status=Attempt.Status.IN_PROGRESS)
                   .values_list("user_id", flat=True))
        if quiz.opens_at and quiz.opens_at > now:
            continue
        context = {"quiz": quiz.title, "closes_at": f"{timezone.localtime(quiz.closes_at):%m月%d日 %H:%M}"}
        url = reverse("quizzes:intro", args=[quiz.pk])
        users = [u for u in _enrolled_users(quiz.class_id) if u.pk not in done]
        sent += notices_send(type_code="quiz_closing", event_key=f"quiz_closing:{quiz.pk}:{quiz.closes_at:%Y%m%d%H%M}",
                             notices=[Notice(u, context, url) for u in users], now=now)
    return sent


def leave_report_back_notify(*, now=None) -> int:
    """Approved leave whose session is over and that the learner has not reported back."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    leaves = LeaveRequest.objects.filter(state=LeaveRequest.State.APPROVED, session__date__lt=today,
                                         session__date__gte=today - datetime.timedelta(days=30),
                                         person__user__is_active=True).select_related(
        "session__training_class", "person__user")
    sent = 0
    for leave in leaves:
        s = leave.session
        context = {"class_name": s.training_class.name, "topic": s.topic, "date": f"{s.date:%m月%d日}"}
        sent += notices_send(type_code="leave_report_back_due", event_key=f"leave_report_back:{leave.pk}",
                             notices=[Notice(leave.person.user, context,
                                             reverse("classes:class_detail", args=[s.training_class_id]))], now=now)
    return sent


def itinerary_fingerprint(trip: Trip) -> str:
    """A short hash of the trip's dates and itinerary: a new one means the itinerary changed."""
    items = trip.itinerary.order_by("day", "starts_at", "sort_order", "pk").values_list(
        "day", "starts_at", "title", "place")
    text = f"{trip.starts_on}|{trip.ends_on}|" + "|".join(str(i) for i in items)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def trip_itinerary_notify(*, trip: Trip, now=None) -> int:
    """Tell the participants the itinerary of an approved trip: published the first time, changed after that."""
    if trip.state not in (Trip.State.APPROVED, Trip.State.UNDER_WAY):
        return 0
    fingerprint = itinerary_fingerprint(trip)
    key = f"trip_itinerary:{trip.pk}:{fingerprint}"
    published = Message.objects.filter(event_key__startswith=f"trip_itinerary:{trip.pk}:").exclude(
        event_key=key).exists()
    context = {"trip": trip.title, "starts_on": f"{trip.starts_on:%m月%d日}",
               "change": _("changed") if published else _("published")}
    users = users_of_people(trip.participants.values_list("person_id", flat=True)).values()
    return notices_send(type_code="trip_itinerary", event_key=key,
                        notices=[Notice(u, context, reverse("trips:detail", args=[trip.pk])) for u in users], now=now)


def trip_itineraries_notify(*, now=None) -> int:
    """Hourly: itineraries of approved trips that changed since participants were last told."""
    today = timezone.localdate(now or timezone.now())
    trips = Trip.objects.filter(state__in=[Trip.State.APPROVED, Trip.State.UNDER_WAY], ends_on__gte=today)
    return sum(trip_itinerary_notify(trip=trip, now=now) for trip in trips)


def credit_shortfall_notify(*, now=None) -> int:
    """From October, once a month: each cadre still short of the year's credit hours."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if today.month not in SHORTFALL_MONTHS:
        return 0
    people = list(Person.objects.filter(is_active=True, user__is_active=True).select_related("user"))
    sent = 0
    for start in range(0, len(people), 500):
        notices = []
        for record in records_for_people(people=people[start:start + 500], year=today.year):
            if record.meets_requirement:
                continue
            notices.append(Notice(record.person.user, {
                "year": today.year, "concentrated_short": _hours(record.concentrated_short),
                "online_short": _hours(record.online_short)}, reverse("classes:my_record")))
        sent += notices_send(type_code="credit_shortfall", event_key=f"credit_shortfall:{today:%Y-%m}",
                             notices=notices, now=now)
    return sent


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}" if value else "0"


def staff_waiting_notify(*, now=None) -> int:
    """Each morning: staff hear of leave requests and essays waiting in their classes (or in classes nobody runs)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    pending = LeaveRequest.objects.filter(state=LeaveRequest.State.PENDING)
    essays = AttemptItem.objects.filter(kind=Question.Kind.ESSAY, graded_at__isnull=True,
                                        attempt__status=Attempt.Status.AWAITING_GRADING)
    unowned = TrainingClass.objects.annotate(n=Count("staff_in_charge")).filter(n=0).values_list("pk", flat=True)
    unowned = set(unowned)
    notices = []
    for user in _role_users(STAFF):
        mine = set(user.classes_in_charge.values_list("pk", flat=True)) | unowned
        leave_count = pending.filter(session__training_class_id__in=mine).count()
        essay_count = essays.filter(Q(attempt__quiz__class_id__in=mine) | Q(attempt__quiz__class_id__isnull=True)
                                    ).count()
        if leave_count or essay_count:
            notices.append(Notice(user, {"leave_count": leave_count, "essay_count": essay_count},
                                  reverse("classes_admin:leave") if leave_count else reverse("quizzes_admin:essays")))
    return notices_send(type_code="staff_waiting", event_key=f"staff_waiting:{today:%Y-%m-%d}", notices=notices,
                        now=now)


def officer_claims_waiting_notify(*, now=None) -> int:
    """Each morning: budget officers hear of claims submitted more than N days ago and still undecided."""
    now = now or timezone.now()
    days = settings.NOTIFICATIONS_CLAIM_WAIT_DAYS
    count = Claim.objects.filter(state=Claim.State.SUBMITTED,
                                 submitted_at__lt=now - datetime.timedelta(days=days)).count()
    if not count:
        return 0
    notices = [Notice(u, {"count": count, "days": days}, reverse("budget:claims")) for u in _role_users(BUDGET_OFFICER)]
    return notices_send(type_code="officer_claims_waiting",
                        event_key=f"officer_claims_waiting:{timezone.localdate(now):%Y-%m-%d}", notices=notices,
                        now=now)


def township_digest(*, township, now=None) -> dict:
    """The week's figures of one township only: attendance of its cadres, shortfalls, the year's spend."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    week_start = today - datetime.timedelta(days=7)
    marks = Attendance.objects.filter(person__village__township=township, session__state=Session.State.HELD,
                                      session__date__gte=week_start, session__date__lt=today)
    total = marks.count()
    attended = marks.filter(status__in=ATTENDED).count()
    people = list(Person.objects.filter(village__township=township, is_active=True))
    short = sum(1 for r in records_for_people(people=people, year=today.year) if not r.meets_requirement)
    spend = LedgerEntry.objects.filter(township=township, year=today.year, kind=LedgerEntry.Kind.CHARGE) \
        .aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    iso = today.isocalendar()
    return {
        "township": township.name, "week": f"{iso.year}年第{iso.week}周",
        "attendance_rate": f"{attended * 100 // total}%" if total else _("no sessions"),
        "shortfall_count": short, "spend": f"{-spend:.2f}",
    }


def organiser_digest_notify(*, now=None) -> int:
    """Monday morning: each township organiser gets the digest of their own township."""
    now = now or timezone.now()
    iso = timezone.localdate(now).isocalendar()
    sent = 0
    organisers = _role_users(ORGANISER).filter(township__isnull=False).select_related("township")
    for user in organisers:
        context = township_digest(township=user.township, now=now)
        sent += notices_send(type_code="organiser_digest", event_key=f"organiser_digest:{iso.year}-W{iso.week:02d}",
                             notices=[Notice(user, context, "")], now=now)
    return sent

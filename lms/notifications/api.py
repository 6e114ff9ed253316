"""What other apps call when something a person must hear of happens: one function per event.

Each call puts the message in the inbox within the caller's transaction (so a decision and its notice
commit together) and queues its SMS and e-mail for after the commit. Calling twice for the same event
sends nothing new.
"""

from django.urls import reverse
from django.utils import timezone

from . import triggers
from .services import Notice, notices_send


def _user_of(person):
    user = getattr(person, "user", None)
    return user if user is not None and user.is_active else None


def _send(type_code: str, event_key: str, person, context: dict, url: str) -> int:
    user = _user_of(person)
    if user is None:
        return 0
    return notices_send(type_code=type_code, event_key=event_key, notices=[Notice(user, context, url)])


def enrolments_accepted(*, training_class, people, waitlist_promoted: bool = False) -> int:
    """Cadres enrolled in a class (or moved up from its waiting list)."""
    code = "waitlist_promoted" if waitlist_promoted else "enrolment_accepted"
    context = {"class_name": training_class.name, "starts_on": f"{training_class.starts_on:%Y年%m月%d日}"}
    url = reverse("classes:class_detail", args=[training_class.pk])
    users = triggers.users_of_people([p.pk for p in people]).values()
    notices = [Notice(u, context, url) for u in users]
    return notices_send(type_code=code, event_key=f"{code}:{training_class.pk}:{timezone.localdate():%Y%m%d}",
                        notices=notices)


def leave_decided(*, leave) -> int:
    """A leave request approved or refused."""
    approved = leave.state == leave.State.APPROVED
    code = "leave_approved" if approved else "leave_refused"
    session = leave.session
    context = {"class_name": session.training_class.name, "topic": session.topic, "date": f"{session.date:%m月%d日}",
               "note": leave.decision_note}
    return _send(code, f"{code}:{leave.pk}", leave.person, context,
                 reverse("classes:class_detail", args=[session.training_class_id]))


def essay_graded(*, attempt) -> int:
    """Every essay of an attempt is graded: the learner sees the total."""
    if attempt.status != attempt.Status.GRADED:
        return 0
    user = attempt.user
    if not user.is_active:
        return 0
    context = {"quiz": attempt.quiz.title, "score": f"{attempt.score}/{attempt.max_score}"}
    return notices_send(type_code="essay_graded", event_key=f"essay_graded:{attempt.pk}",
                        notices=[Notice(user, context, reverse("quizzes:result", args=[attempt.pk]))])


CLAIM_TYPES = {"approved": "claim_approved", "sent_back": "claim_sent_back", "refused": "claim_refused",
               "paid": "claim_paid"}


def claim_moved(*, claim, event) -> int:
    """A claim approved, sent back, refused or paid (`event` is its ClaimEvent: each move is told once)."""
    code = CLAIM_TYPES.get(claim.state)
    if code is None:
        return 0
    context = {"description": claim.description, "amount": f"{claim.amount:.2f}", "reason": event.reason}
    return _send(code, f"{code}:{event.pk}", claim.person, context, reverse("budget:claim_detail", args=[claim.pk]))


def trip_itinerary_published(*, trip) -> int:
    """A trip's itinerary became visible to its participants, or changed."""
    return triggers.trip_itinerary_notify(trip=trip)


def certificate_issued(*, certificate) -> int:
    """A completion certificate was issued."""
    context = {"class_name": certificate.class_name, "serial": certificate.serial}
    return _send("certificate_issued", f"certificate_issued:{certificate.pk}", certificate.person, context,
                 reverse("certificates:mine"))

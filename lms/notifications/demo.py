"""Demo data: realistic inboxes for the demo accounts, from the demo county's own events.

The learner's messages come from their real enrolments, leave, claims and certificates (through the same
api the apps call, so the event keys are the real ones), plus an announcement from the Party school; staff,
the budget officer and the township organiser get their reminders and digest. Messages carry the time of
their event; all but the newest few are read. Idempotent: every message has its event key.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from lms.accounts.roles import LEARNER, ROLE_NAMES, STAFF
from lms.budget.models import ClaimEvent
from lms.certificates.models import Certificate
from lms.classes.models import Enrolment, LeaveRequest
from lms.people.models import Person

from . import api, triggers
from .models import Announcement, Message
from .services import announcement_fan_out

UNREAD_NEWEST = 3
ANNOUNCEMENT = ("关于开展2026年度村干部学时核查的通知",
                "各位学员：年底将核查本年度学时完成情况。集中培训不足90学时、网络学习不足50学时的，"
                "请在12月20日前通过“我的学习”补学，或到所在乡镇远程教育站点参加集中收看。")


def _learner_users():
    return get_user_model().objects.filter(groups__name=ROLE_NAMES[LEARNER], person__isnull=False,
                                           is_active=True, must_change_password=False)


def _backdate(user, event_key: str, at) -> None:
    if at is not None:
        Message.objects.filter(recipient=user, event_key=event_key).update(created_at=at)


def _learner_inbox(user) -> None:
    person = Person.objects.get(user=user)
    for enrolment in Enrolment.objects.filter(person=person, status=Enrolment.Status.ENROLLED).select_related(
            "training_class")[:3]:
        api.enrolments_accepted(training_class=enrolment.training_class, people=[person])
        Message.objects.filter(recipient=user, type__code="enrolment_accepted",
                               event_key__startswith=f"enrolment_accepted:{enrolment.training_class_id}:").update(
            created_at=enrolment.enrolled_at)
    leaves = LeaveRequest.objects.filter(person=person, state__in=[LeaveRequest.State.APPROVED,
                                                                   LeaveRequest.State.REFUSED])
    for leave in leaves.select_related("session__training_class")[:2]:
        api.leave_decided(leave=leave)
        _backdate(user, f"leave_{'approved' if leave.state == 'approved' else 'refused'}:{leave.pk}", leave.decided_at)
    events = ClaimEvent.objects.filter(claim__person=person, to_state__in=list(api.CLAIM_TYPES)).select_related(
        "claim")
    for event in events.order_by("at")[:4]:
        event.claim.state = event.to_state  # tell each move as it happened
        api.claim_moved(claim=event.claim, event=event)
        _backdate(user, f"{api.CLAIM_TYPES[event.to_state]}:{event.pk}", event.at)
    for certificate in Certificate.objects.filter(person=person)[:2]:
        api.certificate_issued(certificate=certificate)
        _backdate(user, f"certificate_issued:{certificate.pk}", certificate.issued_at)


def _announcement(staff) -> None:
    announcement = Announcement.objects.filter(title=ANNOUNCEMENT[0]).first()
    if announcement is None:
        total = _learner_users().count()
        announcement = Announcement.objects.create(title=ANNOUNCEMENT[0], text=ANNOUNCEMENT[1], audience="all",
                                                   total=total, created_by=staff)
    announcement_fan_out(announcement_id=announcement.pk)


def _read_all_but_newest(user) -> None:
    messages = list(Message.objects.filter(recipient=user, read_at__isnull=True).order_by("-created_at", "-pk"))
    for message in messages[UNREAD_NEWEST:]:
        Message.objects.filter(pk=message.pk).update(read_at=message.created_at + datetime.timedelta(hours=2))


def build(*, stdout) -> None:
    """Fill the demo accounts' inboxes."""
    users = get_user_model().objects
    staff = users.filter(username="jiaowu").first() or users.filter(groups__name=ROLE_NAMES[STAFF]).first()
    learners = list(_learner_users())
    already = Message.objects.filter(recipient__in=learners).exists()
    for user in learners:
        _learner_inbox(user)
    if staff is not None:
        _announcement(staff)
    now = timezone.now()
    triggers.credit_shortfall_notify(now=now)
    triggers.staff_waiting_notify(now=now)
    triggers.officer_claims_waiting_notify(now=now)
    triggers.organiser_digest_notify(now=now)
    if not already:
        for user in users.filter(messages__isnull=False).distinct():
            _read_all_but_newest(user)
    counts = {u.username: (u.messages.count(), u.messages.filter(read_at__isnull=True).count())
              for u in users.filter(messages__isnull=False).distinct()[:6]}
    summary = "，".join(f"{name} {total}条（未读{unread}）" for name, (total, unread) in counts.items())
    stdout.write(f"notifications: inboxes ready: {summary or 'none'}\n")

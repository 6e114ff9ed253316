"""Demo leave at each tier: half a day (class teacher), a day (教务), longer (deputy head), in every state."""

import datetime

from django.contrib.auth import get_user_model

from .leave import leave_decide, leave_request
from .models import Enrolment, LeaveRequest, Session, TrainingClass

REASONS = {
    "class_teacher": "村里召开党员大会，需主持半天",
    "academic": "防汛值班，需请假一天",
    "deputy_head": "家中老人住院，需陪护两天",
}
KINDS = {"class_teacher": "leave_official", "academic": "leave_official", "deputy_head": "leave_personal"}


def _spans(sessions: list[Session]) -> dict[str, tuple[Session, datetime.date | None]]:
    """First session and last day of leave for each tier, from a class's sessions."""
    days = sorted({s.date for s in sessions})
    first_of = {d: next(s for s in sessions if s.date == d) for d in days}
    out = {"class_teacher": (sessions[0], None)}
    if len(days) >= 2:
        out["academic"] = (first_of[days[1]], days[1])
    if len(days) >= 2:
        out["deputy_head"] = (first_of[days[0]], days[1])
    return out


def build(*, stdout) -> None:
    """Leave requests for the coming classes, decided by the right approver or waiting in their queue."""
    users = get_user_model().objects.in_bulk(["banzhuren", "jiaowu", "fuxiaozhang"], field_name="username")
    if len(users) < 3:
        stdout.write("leave demo: demo accounts missing, skipped")
        return
    approver = {"class_teacher": users["banzhuren"], "academic": users["jiaowu"],
                "deputy_head": users["fuxiaozhang"]}
    made = 0
    for tc in TrainingClass.objects.filter(is_elective=True).order_by("pk"):
        tc.staff_in_charge.add(users["banzhuren"])
        if LeaveRequest.objects.filter(session__training_class=tc, reason__in=REASONS.values()).exists():
            continue
        sessions = list(tc.sessions.exclude(state=Session.State.CANCELLED).order_by("date", "starts_at"))
        # Learners who already asked for leave in this class (the class demo's leave in every state) are left
        # out: a second request over the same sessions would be refused, as it is for a real learner.
        asked = LeaveRequest.objects.filter(session__training_class=tc).values("person_id")
        people = [e.person for e in Enrolment.objects.filter(training_class=tc, status=Enrolment.Status.ENROLLED)
                  .exclude(person_id__in=asked).select_related("person").order_by("person__phone")[:9]]
        if not sessions or len(people) < 9:
            continue
        asked_at = sessions[0].starts() - datetime.timedelta(days=3)
        for t, (tier, (first, until)) in enumerate(_spans(sessions).items()):
            for n, outcome in enumerate(("pending", "approve", "refuse")):
                leave = leave_request(session=first, person=people[t * 3 + n], kind=KINDS[tier],
                                      reason=REASONS[tier], until_date=until, now=asked_at)
                if outcome != "pending":
                    leave_decide(leave=leave, approve=outcome == "approve", by=approver[leave.tier],
                                 note="" if outcome == "approve" else "培训内容重要，请调整工作安排")
                made += 1
    stdout.write(f"leave demo: {made} leave requests across the three approval tiers")

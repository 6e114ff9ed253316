"""The audit log: every listed action leaves an entry with who, role, when, where, what and through which path."""

import datetime
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from lms.accounts.roles import BUDGET_OFFICER, role_group
from lms.audit.context import ADMIN, PORTAL, TASK, audit_context
from lms.audit.immutability import AuditEntryImmutable
from lms.audit.retention import audit_entries_purge
from lms.budget.ledger import allowance_policy_set, fund_open
from lms.budget.models import Claim, LedgerEntry
from lms.budget.services import claim_approve
from lms.certificates.services import certificate_issue, certificate_revoke
from lms.classes.attendance import attendance_mark
from lms.classes.leave import leave_decide, leave_request
from lms.classes.models import Attendance, AttendanceCorrection, LeaveRequest
from lms.people.models import Person, Post
from lms.quizzes import services as quiz_services
from lms.quizzes.models import Attempt, AttemptItem, Quiz, QuizQuestion
from lms.quizzes.tasks import close_expired_attempts
from lms.trips.models import Trip, TripCost
from lms.trips.services import cost_add
from tests.budget.helpers import submitted_claim
from tests.classes.conftest import enrol, make_class, make_session
from tests.quizzes.conftest import bank, category, make_question  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def entries_for(obj) -> list[LogEntry]:
    ct = ContentType.objects.get_for_model(type(obj))
    return list(LogEntry.objects.filter(content_type=ct, object_pk=str(obj.pk)).order_by("pk"))


def test_a_change_in_a_request_records_who_role_address_path_and_before_after(staff_user, county):
    person = county["people"]["east"][0]
    with audit_context(actor=staff_user, channel=ADMIN, remote_addr="10.1.2.3", path="/admin/people/person/edit/"):
        person.name = "改后的名字"
        person.save()
    entry = entries_for(person)[-1]
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == staff_user and entry.remote_addr == "10.1.2.3"
    assert entry.additional_data["role"] == "党校教务"
    assert entry.additional_data["channel"] == ADMIN
    assert entry.changes_dict["name"][1] == "改后的名字"


def test_role_changes_are_recorded(staff_user, learner_user):
    with audit_context(actor=staff_user, channel=ADMIN):
        learner_user.groups.add(role_group(BUDGET_OFFICER))
    entry = entries_for(learner_user)[-1]
    assert entry.changes_dict["groups"]["operation"] == "add"
    assert "财务审核" in entry.changes_dict["groups"]["objects"]


def test_sign_in_and_failed_sign_in_are_recorded_with_the_address(learner_user):
    client = Client(REMOTE_ADDR="10.9.8.7")
    client.post("/accounts/login/", {"username": learner_user.username, "password": "wrong-password"})
    client.post("/accounts/login/", {"username": learner_user.username, "password": "Passw0rd!2026"})
    events = [(e.additional_data["event"], e.actor_id, e.remote_addr) for e in entries_for(learner_user)
              if e.action == LogEntry.Action.ACCESS]
    assert events == [("sign_in_failed", None, "10.9.8.7"), ("signed_in", learner_user.pk, "10.9.8.7")]


def test_ledger_entries_claim_states_and_allowance_policies_are_recorded(county, budget_user, roles):
    person = county["people"]["east"][0]
    allowance_policy_set(year=2026, post=Post.objects.get(code="secretary"), amount=Decimal("1000.00"),
                         by=budget_user)
    fund_open(code="field-study", name="考察学习专项经费", year=2026, amount=Decimal("5000.00"), by=budget_user)
    from lms.budget.ledger import allowance_account_open

    allowance_account_open(person=person, year=2026, by=budget_user)
    with audit_context(actor=budget_user, channel=PORTAL, remote_addr="10.0.0.5"):
        claim = submitted_claim(person=person, user=budget_user)
        claim_approve(claim=claim, by=budget_user)
    states = [e.changes_dict.get("state") for e in entries_for(Claim.objects.get(pk=claim.pk))]
    assert ["draft", "submitted"] in states and ["submitted", "approved"] in states
    ledger = LedgerEntry.objects.filter(claim=claim)
    assert ledger.exists() and all(entries_for(e) for e in ledger)
    assert LogEntry.objects.filter(content_type__model="allowancepolicy").exists()
    assert entries_for(ledger.first())[0].actor == budget_user


def test_trip_costs_are_recorded(county, staff_user):
    trip = Trip.objects.create(title="赴苏州考察", starts_on=datetime.date(2026, 5, 1),
                               ends_on=datetime.date(2026, 5, 3))
    cost = cost_add(trip=trip, by=staff_user, item=TripCost.Item.choices[0][0], amount=Decimal("1200.00"))
    assert entries_for(cost)[0].action == LogEntry.Action.CREATE


def test_bulk_attendance_marks_and_corrections_are_recorded_row_by_row(county, staff_user):
    tc = make_class()
    people = county["people"]["east"][:3]
    enrol(tc, people)
    session = make_session(tc)
    attendance_mark(session=session, marks={p.pk: "present" for p in people}, by=staff_user)
    attendance_mark(session=session, marks={people[0].pk: "absent"}, by=staff_user, reason="补录更正")
    first = Attendance.objects.get(session=session, person=people[0])
    logged = entries_for(first)
    assert [e.action for e in logged] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert logged[1].changes_dict["status"] == ["present", "absent"]
    assert all(entries_for(a) for a in Attendance.objects.filter(session=session))
    assert entries_for(AttendanceCorrection.objects.get(attendance=first))


def test_leave_decisions_are_recorded(county, staff_user):
    tc = make_class()
    person = county["people"]["east"][0]
    enrol(tc, [person])
    session = make_session(tc, date=timezone.localdate() + datetime.timedelta(days=2))
    leave = leave_request(session=session, person=person, kind=LeaveRequest.Kind.choices[0][0], reason="生病")
    leave_decide(leave=leave, approve=True, by=staff_user)
    assert any("state" in e.changes_dict for e in entries_for(leave) if e.action == LogEntry.Action.UPDATE)


def test_certificate_issue_and_revoke_are_recorded(county, staff_user):
    tc = make_class(state="closed")
    person = county["people"]["east"][0]
    enrol(tc, [person])
    certificate, _created = certificate_issue(training_class=tc, person=person, issued_by=staff_user)
    certificate_revoke(certificate=certificate, user=staff_user, reason="信息有误")
    actions = [e.action for e in entries_for(certificate)]
    assert actions[0] == LogEntry.Action.CREATE and LogEntry.Action.UPDATE in actions


def test_essay_marks_and_grades_are_recorded(bank, learner_user, staff_user):  # noqa: F811
    quiz = Quiz.objects.create(title="论述题测验", is_published=True)
    QuizQuestion.objects.create(quiz=quiz, question=bank["essay"], sort_order=0)
    attempt = quiz_services.attempt_start(quiz=quiz, user=learner_user)
    essay = attempt.items.get()
    quiz_services.attempt_save_answers(attempt=attempt, answers={essay.position: {"text": "发展集体经济"}})
    quiz_services.attempt_submit(attempt=attempt)
    quiz_services.essay_grade(item=essay, score=Decimal("4"), comment="论述较完整", grader=staff_user)
    item_changes = [e.changes_dict for e in entries_for(AttemptItem.objects.get(pk=essay.pk))]
    assert any(c.get("score", [None, None])[1] in ("4", "4.00") for c in item_changes), item_changes
    attempt_changes = [e.changes_dict for e in entries_for(attempt)]
    assert any(c.get("status", [None, None])[1] == "graded" for c in attempt_changes)


def test_changes_made_by_a_celery_task_are_recorded_as_the_task(category, learner_user):  # noqa: F811
    question = make_question(category, "true_false", "村务公开应当定期进行。", tf=True)
    quiz = Quiz.objects.create(title="限时测验", is_published=True, time_limit_minutes=1)
    QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=0)
    started = timezone.now() - datetime.timedelta(hours=1)
    attempt = quiz_services.attempt_start(quiz=quiz, user=learner_user, now=started)
    assert close_expired_attempts.delay().get() == 1
    graded = [e for e in entries_for(Attempt.objects.get(pk=attempt.pk)) if e.action == LogEntry.Action.UPDATE]
    assert graded and graded[-1].additional_data["channel"] == TASK
    assert graded[-1].additional_data["path"] == "task:quizzes.close_expired_attempts"
    assert any(e.additional_data["channel"] == TASK for e in entries_for(attempt.items.get()))


def test_entries_cannot_be_changed_or_deleted_and_old_ones_are_purged(county, settings):
    person = county["people"]["east"][0]
    entry = entries_for(person)[0]
    entry.object_repr = "篡改"
    with pytest.raises(AuditEntryImmutable):
        entry.save()
    with pytest.raises(AuditEntryImmutable), transaction.atomic():
        entry.delete()
    settings.AUDIT_RETENTION_DAYS = 30  # below the minimum: 180 days still apply
    assert audit_entries_purge(now=timezone.now() + datetime.timedelta(days=179)) == 0
    assert audit_entries_purge(now=timezone.now() + datetime.timedelta(days=181)) > 0
    assert not entries_for(person)


def test_audit_page_filters_and_exports_for_staff_and_officers_only(county, staff_user, budget_user, learner_user,
                                                                   organiser_user):
    person = county["people"]["east"][0]
    with audit_context(actor=staff_user, channel=ADMIN, remote_addr="10.1.1.1"):
        person.name = "张三丰"
        person.save()
    client = Client()
    for user in (staff_user, budget_user):
        client.force_login(user)
        page = client.get("/admin/audit/", {"model": "people.person", "action": "update", "person": "jiaowu"})
        assert page.status_code == 200
        body = page.content.decode()
        assert "张三丰" in body and "10.1.1.1" in body and "党校教务" in body
        export = client.get("/admin/audit/", {"model": "people.person", "action": "update", "export": "xlsx"})
        sheet = load_workbook(io.BytesIO(export.content)).active
        rows = list(sheet.values)
        assert rows[0][0] == "时间" and any("张三丰" in (r[9] or "") for r in rows[1:])
    for user in (learner_user, organiser_user):
        client.force_login(user)
        assert client.get("/admin/audit/").status_code in (302, 403)
    assert Person.objects.filter(pk=person.pk).exists()


def test_audit_page_runs_a_fixed_number_of_queries(county, staff_user, django_assert_max_num_queries):
    client = Client()
    client.force_login(staff_user)
    client.get("/admin/audit/")
    for person in county["people"]["west"]:
        person.name += "改"
        person.save()
    with django_assert_max_num_queries(25):
        assert client.get("/admin/audit/").status_code == 200

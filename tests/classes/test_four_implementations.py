"""四落实: each check turns red for its own reason and green when fixed."""

from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.documents.models import Document

from lms.classes.attendance import attendance_mark
from lms.classes.four_implementations import four_implementations_for_class
from lms.classes.models import Enrolment, Session, StudyNote, TrainingPlan

from .conftest import make_session


@pytest.fixture
def lesson_plan(db):
    from django.core.files.base import ContentFile

    return Document.objects.create(title="教案", file=ContentFile(b"plan", name="plan.txt"))


@pytest.fixture
def complete_class(running_class, county, staff_user, lesson_plan):
    """A class where all four checks hold: 7 hours held, lesson plans, full attendance, notes, assessment."""
    running_class.assessment_held_on = running_class.starts_on
    running_class.save()
    people = county["people"]["east"]
    for i in range(7):
        s = make_session(running_class, start=(8 + i, 0), end=(8 + i, 50), lesson_plan=lesson_plan)
        attendance_mark(session=s, marks={p.pk: "present" for p in people}, by=staff_user)
    StudyNote.objects.bulk_create(StudyNote(person=p, training_class=running_class, text="心得") for p in people)
    return running_class


def _check(tc, key):
    return four_implementations_for_class(training_class=tc).check(key)


def test_all_green(complete_class):
    fi = four_implementations_for_class(training_class=complete_class)
    assert fi.ok, [c.reasons for c in fi.checks]
    assert fi.attendance_rate == Decimal("1.0000") and fi.person_times == 6 and fi.credit_hours == Decimal("42")


def test_time_red_for_unheld_past_session_and_missing_hours(complete_class):
    s = Session.objects.filter(training_class=complete_class).first()
    Session.objects.filter(pk=s.pk).update(state=Session.State.SCHEDULED)
    reasons = _check(complete_class, "time").reasons
    assert any("not recorded as held" in r for r in reasons)
    assert any("6.0 of the 7.0 planned credit hours" in r for r in reasons), reasons
    Session.objects.filter(pk=s.pk).update(state=Session.State.HELD)
    assert _check(complete_class, "time").ok


def test_time_red_for_reschedule_without_reason(complete_class):
    extra = make_session(complete_class, start=(18, 0), end=(19, 0), topic="改期课")
    Session.objects.filter(pk=extra.pk).update(state=Session.State.RESCHEDULED)
    assert any("rescheduled without a reason" in r for r in _check(complete_class, "time").reasons)
    Session.objects.filter(pk=extra.pk).update(reschedule_reason="教师出差")
    assert _check(complete_class, "time").ok


def test_plan_red_for_unapproved_plan_and_missing_lesson_plan(complete_class, staff_user, lesson_plan):
    TrainingPlan.objects.filter(training_class=complete_class).update(approved_at=None)
    s = Session.objects.filter(training_class=complete_class).first()
    Session.objects.filter(pk=s.pk).update(lesson_plan=None)
    reasons = _check(complete_class, "plan").reasons
    assert "The training plan has not been approved." in reasons
    assert any("has no lesson plan" in r for r in reasons)
    TrainingPlan.objects.filter(training_class=complete_class).update(approved_at=timezone.now())
    Session.objects.filter(pk=s.pk).update(lesson_plan=lesson_plan)
    assert _check(complete_class, "plan").ok


def test_people_red_for_low_attendance(complete_class, county, staff_user):
    s = Session.objects.filter(training_class=complete_class).first()
    people = county["people"]["east"]
    attendance_mark(session=s, marks={p.pk: "absent" for p in people[:5]}, by=staff_user, reason="补录")
    reasons = _check(complete_class, "people").reasons
    assert any("attendance rate is 88.1%, below the required 90%" in r for r in reasons)
    complete_class.attendance_threshold = Decimal("0.85")
    complete_class.save()
    assert _check(complete_class, "people").ok


def test_people_red_for_unflagged_over_cap_until_flagged(client, complete_class, county, staff_user):
    person = county["people"]["east"][0]
    for s in Session.objects.filter(training_class=complete_class)[:2]:
        attendance_mark(session=s, marks={person.pk: "leave_personal"}, by=staff_user, reason="补假")
    complete_class.attendance_threshold = Decimal("0.5")
    complete_class.save()
    expected = [f"{person.name} is over the leave cap and has not been flagged."]
    assert _check(complete_class, "people").reasons == expected
    client.force_login(staff_user)
    enrolment = Enrolment.objects.get(training_class=complete_class, person=person)
    client.post(f"/admin/training/class/{complete_class.pk}/flag/{enrolment.pk}/")
    assert _check(complete_class, "people").ok


def test_rules_red_for_sign_in_notes_and_assessment(complete_class):
    s = Session.objects.filter(training_class=complete_class).first()
    Session.objects.filter(pk=s.pk).update(attendance_taken_at=None)
    StudyNote.objects.filter(training_class=complete_class)[:1].get().delete()
    complete_class.assessment_held_on = None
    complete_class.save()
    reasons = _check(complete_class, "rules").reasons
    assert any("No sign-in was taken" in r for r in reasons)
    assert "1 learners have fewer than 1 study notes." in reasons
    assert "The class's assessment has not been held." in reasons
    Session.objects.filter(pk=s.pk).update(attendance_taken_at=timezone.now())
    StudyNote.objects.create(person=Enrolment.objects.filter(training_class=complete_class).exclude(
        person__study_notes__training_class=complete_class).get().person, training_class=complete_class, text="补")
    complete_class.assessment_held_on = complete_class.ends_on
    complete_class.save()
    assert _check(complete_class, "rules").ok


def test_page_and_excel_export(client, complete_class, staff_user):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(staff_user)
    body = client.get(f"/admin/training/class/{complete_class.pk}/four/").content.decode()
    assert body.count('data-ok="1"') == 4
    response = client.get(f"/admin/training/class/{complete_class.pk}/four/", {"format": "xlsx"})
    ws = load_workbook(BytesIO(response.content)).active
    assert ws["A2"].value == complete_class.name and ws["J2"].value == 6 and ws["K2"].value == 42


def test_rollup_counts_from_records(client, complete_class, staff_user, django_assert_max_num_queries):
    client.force_login(staff_user)
    client.get("/admin/training/rollup/")
    with django_assert_max_num_queries(30):
        body = client.get("/admin/training/rollup/", {"year": complete_class.year}).content.decode()
    assert complete_class.organiser_township.name in body
    from lms.classes.rollup import class_rollup
    from lms.classes.scoping import classes_visible_to

    rows, _checks = class_rollup(classes=classes_visible_to(user=staff_user).filter(year=complete_class.year))
    assert [(r.classes, r.person_times, r.credit_hours, r.all_green) for r in rows] == [(1, 6, Decimal("42"), 1)]


def test_pdf_report_holds_figures_and_reasons(client, complete_class, staff_user, tmp_path):
    import shutil
    import subprocess

    from lms.classes.exports import pdf_available

    if not pdf_available() or not shutil.which("pdftotext"):
        pytest.skip("no CJK font or no poppler")
    Session.objects.filter(training_class=complete_class).update(lesson_plan=None)
    client.force_login(staff_user)
    response = client.get(f"/admin/training/class/{complete_class.pk}/four/", {"format": "pdf"})
    (tmp_path / "four.pdf").write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "four.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "100%" in text and "42.0" in text
    assert text.count("学习党章") == 7, text


@pytest.fixture
def future_class(county, staff_user):
    """A class open for enrolment that starts in ten days: 12 planned hours, nothing held yet."""
    import datetime

    from lms.classes.models import TrainingClass

    from .conftest import enrol, make_class

    today = timezone.localdate()
    tc = make_class(name="未开班", state=TrainingClass.State.ENROLLING, planned_credit_hours=Decimal("12"),
                    starts_on=today + datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=15),
                    organiser_township=county["east"])
    TrainingPlan.objects.create(training_class=tc, aims="提高素质", schedule="五天", assessment="闭卷考试",
                                approved_by=staff_user, approved_at=timezone.now())
    enrol(tc, county["people"]["east"])
    make_session(tc, hours="4")
    return tc


def test_future_class_time_check_not_yet_due_not_failed(future_class):
    fi = four_implementations_for_class(training_class=future_class)
    for key in ("time", "people", "rules"):
        assert fi.check(key).status == "not_due" and not fi.check(key).reasons, key
        assert not fi.check(key).ok
    assert fi.check("plan").status == "done"
    assert not fi.started and not fi.ok


def test_future_class_start_date_alone_makes_checks_not_due(future_class):
    from lms.classes.models import TrainingClass

    future_class.state = TrainingClass.State.RUNNING
    future_class.save()
    assert _check(future_class, "time").status == "not_due"


def test_draft_class_plan_not_yet_due_but_enrolling_without_plan_is_red(future_class):
    from lms.classes.models import TrainingClass

    TrainingPlan.objects.filter(training_class=future_class).delete()
    assert _check(future_class, "plan").status == "not_done"
    future_class.state = TrainingClass.State.DRAFT
    future_class.save()
    assert _check(future_class, "plan").status == "not_due"


def test_time_turns_red_once_due_and_green_when_held(future_class, county, staff_user):
    import datetime

    from lms.classes.models import TrainingClass

    future_class.state = TrainingClass.State.RUNNING
    future_class.starts_on = timezone.localdate() - datetime.timedelta(days=3)
    future_class.save()
    Session.objects.filter(training_class=future_class).update(date=future_class.starts_on)
    time = _check(future_class, "time")
    assert time.status == "not_done"
    assert any("not recorded as held" in r for r in time.reasons)
    assert "0.0 of the 12.0 planned credit hours were held." in time.reasons
    people = county["people"]["east"]
    attendance_mark(session=Session.objects.get(training_class=future_class),
                    marks={p.pk: "present" for p in people}, by=staff_user)
    for i in range(2):
        s = make_session(future_class, start=(13 + 2 * i, 0), end=(14 + 2 * i, 30), hours="4")
        attendance_mark(session=s, marks={p.pk: "present" for p in people}, by=staff_user)
    assert _check(future_class, "time").status == "done"


def test_not_yet_due_in_page_pdf_excel_and_rollup(client, future_class, staff_user, tmp_path):
    import shutil
    import subprocess
    from io import BytesIO

    from openpyxl import load_workbook

    from lms.classes.exports import pdf_available

    client.force_login(staff_user)
    url = f"/admin/training/class/{future_class.pk}/four/"
    body = client.get(url).content.decode()
    assert 'data-check="time" data-ok="0" data-status="not_due"' in body
    assert "planned credit hours were held" not in body
    ws = load_workbook(BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    time_cell, plan_cell = ws["E2"], ws["F2"]
    assert time_cell.value == "Not yet due" and plan_cell.value == "Done"
    assert time_cell.fill.fgColor.rgb.endswith("E7E6E6") and plan_cell.fill.fgColor.rgb.endswith("C6EFCE")
    assert not ws["L2"].value
    rollup = client.get("/admin/training/rollup/", {"year": future_class.year}).content.decode()
    assert 'data-check="time" data-status="not_due"' in rollup and 'data-not-started="1"' in rollup
    if pdf_available() and shutil.which("pdftotext"):
        (tmp_path / "four.pdf").write_bytes(client.get(url, {"format": "pdf"}).content)
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "four.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert text.count("Not yet due") == 3 and "planned credit hours" not in text, text

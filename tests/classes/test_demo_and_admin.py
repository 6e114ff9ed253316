"""The demo step is idempotent; the admin class pages render for staff; the home panel links to classes."""

import io

from lms.classes import demo
from lms.classes.models import Attendance, Enrolment, Session, TrainingClass, TrainingPlan

from .conftest import make_class, make_session


def _counts():
    return [m.objects.count() for m in (TrainingClass, Session, Enrolment, Attendance)]


def test_demo_builds_once(county, teacher):
    demo.build(stdout=io.StringIO())
    first = _counts()
    township_classes = TrainingClass.objects.filter(organiser_township__isnull=False, year=demo.TOWNSHIP_YEAR)
    assert township_classes.count() == demo.TOWNSHIP_CLASSES
    assert TrainingClass.objects.filter(organiser_township__isnull=True).count() == 25
    assert set(township_classes.values_list("mode", flat=True)) == set(demo.MODES)
    assert Attendance.objects.filter(status__startswith="leave_").exists()
    demo.build(stdout=io.StringIO())
    assert _counts() == first


def test_demo_without_county_is_skipped(db):
    out = io.StringIO()
    demo.build(stdout=out)
    assert "skipped" in out.getvalue() and not TrainingClass.objects.exists()


def test_admin_pages_render(client, running_class, staff_user):
    session = make_session(running_class)
    client.force_login(staff_user)
    base = f"/admin/training/class/{running_class.pk}"
    for url in (f"{base}/overview/", f"{base}/enrol/", f"{base}/plan/", "/admin/classes/class/",
                f"/admin/classes/session/?training_class={running_class.pk}", "/admin/classes/enrolment/",
                "/admin/classes/credit-rule/", "/admin/classes/requirement/", "/admin/training/rollup/",
                f"/classes/staff/sessions/{session.pk}/qr/"):
        assert client.get(url).status_code == 200, url


def test_plan_edit_then_approve_from_admin(client, county, staff_user):
    tc = make_class()
    client.force_login(staff_user)
    client.post(f"/admin/training/class/{tc.pk}/plan/", {"aims": "提高能力", "schedule": "三天", "assessment": "考试"})
    client.post(f"/admin/training/class/{tc.pk}/advance/", {"to": "plan_approved"})
    plan = TrainingPlan.objects.get(training_class=tc)
    assert plan.approved_by == staff_user
    client.post(f"/admin/training/class/{tc.pk}/plan/", {"aims": "改", "schedule": "改", "assessment": "改"})
    assert TrainingPlan.objects.get(training_class=tc).aims == "提高能力"


def test_learner_home_links_classes_and_record(client, learner_user):
    client.force_login(learner_user)
    body = client.get("/").content.decode()
    for url in ("/classes/", "/classes/record/", "/classes/notes/", "/classes/catalogue/"):
        assert f'href="{url}"' in body, url

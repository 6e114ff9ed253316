"""Scoping: organisers see their township's classes (and those with their cadres), read-only; others are 404."""

import pytest

from lms.classes.models import TrainingClass
from lms.classes.scoping import classes_visible_to

from .conftest import enrol, make_class, make_session


@pytest.fixture
def classes(county):
    east = make_class(name="东风乡班", organiser_township=county["east"], state=TrainingClass.State.RUNNING)
    west = make_class(name="西河镇班", organiser_township=county["west"], state=TrainingClass.State.RUNNING)
    county_mixed = make_class(name="县级班", state=TrainingClass.State.RUNNING)
    county_west = make_class(name="县级西河班", state=TrainingClass.State.RUNNING)
    enrol(east, county["people"]["east"])
    enrol(west, county["people"]["west"])
    enrol(county_mixed, county["people"]["east"][:1] + county["people"]["west"][:1])
    enrol(county_west, county["people"]["west"])
    return {"east": east, "west": west, "county_mixed": county_mixed, "county_west": county_west}


@pytest.fixture
def organiser_with_view(organiser_user):
    """The organiser role itself grants reading classes; no extra permission is added here."""
    assert organiser_user.has_perm("classes.view_trainingclass")
    assert not organiser_user.has_perm("classes.change_trainingclass")
    return organiser_user


def test_organiser_scope(classes, organiser_user):
    names = set(classes_visible_to(user=organiser_user).values_list("name", flat=True))
    assert names == {"东风乡班", "县级班"}


def test_organiser_admin_pages_404_outside(client, classes, organiser_with_view):
    client.force_login(organiser_with_view)
    for name in ("east", "county_mixed"):
        assert client.get(f"/admin/training/class/{classes[name].pk}/overview/").status_code == 200
        assert client.get(f"/admin/training/class/{classes[name].pk}/four/").status_code == 200
    for name in ("west", "county_west"):
        assert client.get(f"/admin/training/class/{classes[name].pk}/overview/").status_code == 404
        assert client.get(f"/admin/training/class/{classes[name].pk}/four/").status_code == 404
        assert client.get(f"/admin/classes/class/edit/{classes[name].pk}/").status_code in (302, 403, 404)
    body = client.get("/admin/classes/class/").content.decode()
    assert "东风乡班" in body and "西河镇班" not in body


def test_organiser_is_read_only(client, classes, organiser_with_view):
    client.force_login(organiser_with_view)
    tc = classes["east"]
    assert client.post(f"/admin/training/class/{tc.pk}/advance/", {"to": "closed"}).status_code == 404
    assert TrainingClass.objects.get(pk=tc.pk).state == TrainingClass.State.RUNNING
    session = make_session(tc)
    assert client.get(f"/classes/staff/sessions/{session.pk}/roster/").status_code == 404


def test_learner_sees_only_own_classes(client, classes, learner_user):
    client.force_login(learner_user)
    assert client.get(f"/classes/{classes['east'].pk}/").status_code == 200
    assert client.get(f"/classes/{classes['west'].pk}/").status_code == 404
    body = client.get("/classes/").content.decode()
    assert "东风乡班" in body and "西河镇班" not in body
    assert client.get("/admin/training/rollup/").status_code in (302, 403)


def test_class_list_query_count_fixed(client, county, staff_user, django_assert_max_num_queries):
    client.force_login(staff_user)
    make_class(name="一班")
    client.get("/admin/classes/class/")
    with django_assert_max_num_queries(40) as small:
        client.get("/admin/classes/class/")
    for i in range(15):
        make_class(name=f"加班{i}", organiser_township=county["west"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/admin/classes/class/")


def test_my_classes_query_count_fixed(client, county, learner_user, learner_person, django_assert_max_num_queries):
    client.force_login(learner_user)
    tc = make_class(name="一班")
    enrol(tc, [learner_person])
    client.get("/classes/")
    with django_assert_max_num_queries(20) as small:
        client.get("/classes/")
    for i in range(8):
        other = make_class(name=f"加班{i}")
        enrol(other, [learner_person])
        make_session(other)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/classes/")


@pytest.fixture
def county_class_over_cap(county, staff_user):
    """A running county class of east and west cadres where one of each is over the leave cap, unflagged."""
    from lms.classes.attendance import attendance_mark

    tc = make_class(name="县级混合班", state=TrainingClass.State.RUNNING, planned_credit_hours=7)
    east, west = county["people"]["east"][:2], county["people"]["west"][:2]
    for person, name in ((east[0], "东风甲"), (west[0], "西河乙")):
        person.name = name
        person.save(update_fields=["name"])
    enrol(tc, east + west)
    over = {east[0].pk, west[0].pk}
    for i in range(7):
        s = make_session(tc, start=(8 + i, 0), end=(8 + i, 50))
        attendance_mark(session=s, by=staff_user, marks={
            p.pk: "leave_personal" if i < 2 and p.pk in over else "present" for p in east + west})
    return {"class": tc, "east": east[0], "west": west[0]}


def _pdf_text(client, url, tmp_path):
    import shutil
    import subprocess

    from lms.classes.exports import pdf_available

    if not pdf_available() or not shutil.which("pdftotext"):
        pytest.skip("no CJK font or no poppler")
    response = client.get(url, {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    (tmp_path / "four.pdf").write_bytes(response.content)
    return subprocess.run(["pdftotext", "-layout", str(tmp_path / "four.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout


def _xlsx_text(client, url):
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(client.get(url, {"format": "xlsx"}).content))
    return "\n".join(str(cell.value) for ws in wb for row in ws.iter_rows() for cell in row if cell.value is not None)


@pytest.mark.parametrize("who", ["organiser", "staff"])
def test_four_implementations_names_only_own_township_for_organiser(
    client, county_class_over_cap, organiser_user, staff_user, who, tmp_path
):
    tc, east, west = county_class_over_cap["class"], county_class_over_cap["east"], county_class_over_cap["west"]
    client.force_login(organiser_user if who == "organiser" else staff_user)
    url = f"/admin/training/class/{tc.pk}/four/"
    page = client.get(url).content.decode()
    outputs = {"page": page, "excel": _xlsx_text(client, url), "pdf": _pdf_text(client, url, tmp_path)}
    for name, text in outputs.items():
        assert east.name in text, name
        if who == "organiser":
            assert west.name not in text, name
        else:
            assert west.name in text, name
    # The people check stays red for the whole class either way; the organiser gets a count, not a name.
    assert 'data-check="people" data-ok="0"' in page
    if who == "organiser":
        assert "1 learners of other townships are over the leave cap" in page


def test_rollup_names_only_own_township_for_organiser(client, county_class_over_cap, organiser_user, staff_user):
    west = county_class_over_cap["west"]
    client.force_login(organiser_user)
    assert west.name not in client.get("/admin/training/rollup/").content.decode()
    assert west.name not in _xlsx_text(client, "/admin/training/rollup/")
    client.force_login(staff_user)
    assert west.name in client.get("/admin/training/rollup/").content.decode()


def test_enrolment_and_leave_lists_name_only_own_township(client, county_class_over_cap, organiser_user, staff_user):
    import datetime

    from django.utils import timezone

    from lms.classes.leave import leave_request

    tc, east, west = county_class_over_cap["class"], county_class_over_cap["east"], county_class_over_cap["west"]
    later = make_session(tc, date=timezone.localdate() + datetime.timedelta(days=1), topic="明日课")
    for person in (east, west):
        leave_request(session=later, person=person, kind="leave_sick", reason="发烧")
    for user, sees_west in ((organiser_user, False), (staff_user, True)):
        client.force_login(user)
        for url in (f"/admin/training/class/{tc.pk}/enrol/", "/admin/training/leave/"):
            body = client.get(url).content.decode()
            assert east.name in body, url
            assert (west.name in body) is sees_west, url

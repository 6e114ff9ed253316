"""The roll-up by the learners' area: the county sees every township, an organiser only their own villages."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from lms.classes.attendance import attendance_mark
from lms.classes.models import TrainingClass
from tests.factories import PersonFactory

from .conftest import enrol, make_class, make_session


@pytest.fixture
def year_of_classes(county, staff_user):
    """An east-township class of its six cadres, and a county class of two east and six west cadres."""
    east = make_class(name="东风乡班", organiser_township=county["east"], state=TrainingClass.State.RUNNING)
    county_class = make_class(name="县级班", mode="lecture_tour", state=TrainingClass.State.RUNNING)
    enrol(east, county["people"]["east"])
    enrol(county_class, county["people"]["east"][:2] + county["people"]["west"])
    for tc, people in ((east, county["people"]["east"]), (county_class, county["people"]["east"][:2]
                                                          + county["people"]["west"])):
        session = make_session(tc, hours="2")
        attendance_mark(session=session, marks={p.pk: "absent" if i == 0 else "present" for i, p in
                                                enumerate(people)}, by=staff_user)
    return {"east": east, "county": county_class}


def _rows(body: str) -> dict[tuple[str, str], tuple[int, int, Decimal]]:
    table = body[body.index('id="participation"'):]
    table = table[:table.index("</table>")]
    found = re.findall(r'<tr data-area="([^"]+)" data-mode="([^"]+)"><td>[^<]*</td><td>[^<]*</td>'
                       r"<td>(\d+)</td><td>(\d+)</td><td>([\d.]+)</td>", table)
    return {(area, mode): (int(c), int(p), Decimal(h)) for area, mode, c, p, h in found}


def test_county_sees_every_township_counted_from_records(client, year_of_classes, staff_user):
    client.force_login(staff_user)
    rows = _rows(client.get("/admin/training/rollup/", {"year": year_of_classes["east"].year}).content.decode())
    # East: 6 in its own class (5 attended, 2 h each), 2 in the county class (1 attended; the first was absent).
    assert rows == {
        ("东风乡", "centralised"): (1, 6, Decimal("10.0")),
        ("东风乡", "lecture_tour"): (1, 2, Decimal("2.0")),
        ("西河镇", "lecture_tour"): (1, 6, Decimal("12.0")),
    }


def test_organiser_sees_only_own_villages(client, year_of_classes, organiser_user, county):
    client.force_login(organiser_user)
    rows = _rows(client.get("/admin/training/rollup/", {"year": year_of_classes["east"].year}).content.decode())
    assert set(rows) == {("红星村", "centralised"), ("团结村", "centralised"), ("红星村", "lecture_tour")}
    assert rows[("红星村", "lecture_tour")] == (1, 2, Decimal("2.0"))
    assert rows[("红星村", "centralised")][1] + rows[("团结村", "centralised")][1] == 6


def test_rollup_excel_holds_participation_sheet(client, year_of_classes, staff_user):
    client.force_login(staff_user)
    response = client.get("/admin/training/rollup/", {"year": year_of_classes["east"].year, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[1]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert ["西河镇", 1, 6, 12] == [values[-1][0], *values[-1][2:]]


def test_rollup_query_count_does_not_grow(client, year_of_classes, county, staff_user,
                                          django_assert_max_num_queries):
    client.force_login(staff_user)
    year = year_of_classes["east"].year
    client.get("/admin/training/rollup/", {"year": year})
    with django_assert_max_num_queries(30) as small:
        client.get("/admin/training/rollup/", {"year": year})
    for i in range(3):
        tc = make_class(name=f"加开班{i}", organiser_township=county["west"], state=TrainingClass.State.RUNNING)
        people = [PersonFactory(village=county["villages"]["west"][i % 2]) for _ in range(5)]
        enrol(tc, people)
        attendance_mark(session=make_session(tc), marks={p.pk: "present" for p in people}, by=staff_user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/admin/training/rollup/", {"year": year})

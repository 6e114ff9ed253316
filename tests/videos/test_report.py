"""The staff watch report of a lesson: its whole audience, laggards first, by class, and as Excel."""

import datetime
import html as html_lib
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms.classes.models import Enrolment, TrainingClass
from lms.videos.models import WatchProgress
from tests.factories import PersonFactory, learner_for

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-learner="(\d*)"( data-not-started)?>(.*?)</tr>', re.S)
CELL = re.compile(r"<td>(.*?)</td>", re.S)


def make_class(course, people, *, name="村党支部书记轮训班", status=Enrolment.Status.ENROLLED) -> TrainingClass:
    today = timezone.localdate()
    tc = TrainingClass.objects.create(
        name=name, year=today.year, mode="centralised", starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=5), capacity=50, planned_credit_hours=Decimal("7"),
    )
    tc.courses.add(course)
    for person in people:
        Enrolment.objects.create(training_class=tc, person=person, status=status)
    return tc


def watch(person, video, share, *, completed=False):
    user = person.user or learner_for(person)
    return WatchProgress.objects.create(
        user=user, video=video, watched_seconds=video.duration * share,
        completed_at=timezone.now() if completed else None,
    )


def page_rows(content: str) -> list[dict]:
    """The report table's rows: person id, whether never started, and the cell texts."""
    return [
        {"person": int(pk) if pk else None, "not_started": bool(flag),
         "cells": [html_lib.unescape(c).strip() for c in CELL.findall(body)]}
        for pk, flag, body in ROW.findall(content)
    ]


def report_url(lesson, **query):
    url = reverse("videos_admin:lesson_report", kwargs={"lesson_id": lesson.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def course_class(county, lesson_with_video, ready_video):
    """The east township's six cadres enrolled in a class teaching the lesson's course; two of them watched."""
    east = county["people"]["east"]
    tc = make_class(lesson_with_video.course, east)
    watch(east[1], ready_video, 0.96)  # 96% played, not yet marked complete: still counts as completed
    watch(east[2], ready_video, 0.40)
    return tc


def test_an_enrolled_learner_who_never_watched_is_listed_at_zero_percent_first(
    client, staff_user, county, lesson_with_video, course_class
):
    east = county["people"]["east"]
    withdrawn = PersonFactory(village=east[0].village)
    Enrolment.objects.create(training_class=course_class, person=withdrawn, status=Enrolment.Status.WITHDRAWN)
    client.force_login(staff_user)
    rows = page_rows(client.get(report_url(lesson_with_video)).content.decode())

    by_person = {row["person"]: row for row in rows}
    assert set(by_person) == {p.pk for p in east}  # the whole class, not only those who started; not the withdrawn
    never = by_person[east[0].pk]
    assert never["not_started"] and never["cells"][0] == east[0].name
    assert never["cells"][1:4] == ["东风乡", east[0].village.name, course_class.name]
    assert never["cells"][5] == "0%" and never["cells"][6] == "0:00:00"
    # Least watched first: the four who never started, then 40%, then 96%.
    assert [row["cells"][5] for row in rows] == ["0%"] * 4 + ["40%", "96%"]


def test_a_learner_who_played_96_percent_has_completed(client, staff_user, county, lesson_with_video, course_class):
    client.force_login(staff_user)
    rows = {r["person"]: r for r in page_rows(client.get(report_url(lesson_with_video)).content.decode())}

    done, halfway = rows[county["people"]["east"][1].pk], rows[county["people"]["east"][2].pk]
    assert done["cells"][-1] == "是" and halfway["cells"][-1] == ""
    assert done["cells"][4] == "96%" and done["cells"][7]  # last watched is shown


def test_someone_who_watched_outside_any_class_is_kept(client, staff_user, county, lesson_with_video, ready_video,
                                                       course_class):
    outsider = county["people"]["west"][0]
    watch(outsider, ready_video, 0.5)
    client.force_login(staff_user)
    rows = {r["person"]: r for r in page_rows(client.get(report_url(lesson_with_video)).content.decode())}

    assert rows[outsider.pk]["cells"][1] == "西河镇" and rows[outsider.pk]["cells"][5] == "50%"
    assert rows[outsider.pk]["cells"][3] != course_class.name


def test_the_class_filter_narrows_the_list(client, staff_user, county, lesson_with_video, ready_video, course_class):
    west = county["people"]["west"]
    other = make_class(lesson_with_video.course, west[:3], name="后备干部培训班")
    watch(west[4], ready_video, 0.2)  # in no class
    client.force_login(staff_user)
    everyone = client.get(report_url(lesson_with_video)).content.decode()
    narrowed = page_rows(client.get(report_url(lesson_with_video, **{"class": other.pk})).content.decode())

    assert f'<option value="{other.pk}"' in everyone and f'<option value="{course_class.pk}"' in everyone
    assert len(page_rows(everyone)) == 6 + 3 + 1
    assert {row["person"] for row in narrowed} == {p.pk for p in west[:3]}


def test_no_class_choice_when_one_class_teaches_the_course(client, staff_user, lesson_with_video, course_class):
    client.force_login(staff_user)
    assert 'name="class"' not in client.get(report_url(lesson_with_video)).content.decode()


def test_the_sort_choice_puts_the_most_watched_first(client, staff_user, county, lesson_with_video, course_class):
    client.force_login(staff_user)
    rows = page_rows(client.get(report_url(lesson_with_video, sort="most")).content.decode())

    assert rows[0]["person"] == county["people"]["east"][1].pk and rows[1]["person"] == county["people"]["east"][2].pk


def test_the_excel_export_holds_the_rows_of_the_page(client, staff_user, county, lesson_with_video, ready_video,
                                                     course_class):
    watch(county["people"]["west"][0], ready_video, 0.7)
    client.force_login(staff_user)
    content = client.get(report_url(lesson_with_video, sort="most")).content.decode()
    export_href = html_lib.unescape(re.search(r'href="\?([^"]*)" data-watch-report-export', content).group(1))
    response = client.get(report_url(lesson_with_video) + "?" + export_href)

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert values == [row["cells"] for row in page_rows(content)]
    # The export keeps the chosen order: 96%, then the outsider's 70%.
    assert [values[0][0], values[1][0]] == [county["people"]["east"][1].name, county["people"]["west"][0].name]
    assert sheet.cell(row=1, column=1).value == lesson_with_video.title


def test_an_organiser_who_may_see_the_report_sees_only_their_township(
    client, organiser_user, county, lesson_with_video, ready_video, course_class
):
    organiser_user.user_permissions.add(Permission.objects.get(codename="view_watchprogress"))
    make_class(lesson_with_video.course, county["people"]["west"][:3], name="西河镇培训班")
    watch(county["people"]["west"][4], ready_video, 0.3)
    client.force_login(organiser_user)
    rows = page_rows(client.get(report_url(lesson_with_video)).content.decode())

    assert {row["person"] for row in rows} == {p.pk for p in county["people"]["east"]}


def test_organisers_without_the_permission_do_not_reach_the_report(client, organiser_user, lesson_with_video):
    client.force_login(organiser_user)
    assert client.get(report_url(lesson_with_video)).status_code in (302, 403, 404)
    assert client.get(report_url(lesson_with_video, format="xlsx")).status_code in (302, 403, 404)


def _learners(course, video, count, *, offset=0):
    people = [PersonFactory() for _ in range(count)]
    make_class(course, people, name=f"轮训班{offset}")
    for number, person in enumerate(people):
        if number % 3:
            watch(person, video, 0.1 * (number % 10))
    return people


def test_the_page_and_the_export_run_a_fixed_number_of_queries(client, staff_user, lesson_with_video, ready_video):
    _learners(lesson_with_video.course, ready_video, 3)
    client.force_login(staff_user)
    url = report_url(lesson_with_video)
    client.get(url)

    def count(target):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(target)
        assert response.status_code == 200
        return len(captured.captured_queries), response

    few, response = count(url)
    few_export, _response = count(url + "?format=xlsx")
    assert len(page_rows(response.content.decode())) == 3
    _learners(lesson_with_video.course, ready_video, 27, offset=1)
    many, response = count(url)
    many_export, _response = count(url + "?format=xlsx")

    assert len(page_rows(response.content.decode())) == 30
    assert (many, many_export) == (few, few_export)

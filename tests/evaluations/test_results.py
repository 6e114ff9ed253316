"""Staff read results per teacher and topic (no names), low scores flagged, Excel; teachers see only their own."""

import io

import pytest
from openpyxl import load_workbook

from lms.certificates.rules import completion_for_class
from lms.evaluations.models import Evaluation
from lms.evaluations.selectors import results_by_teacher
from lms.evaluations.services import evaluation_requirement_set, evaluation_submit_class, evaluation_submit_session
from tests.factories import UserFactory

from .conftest import GOOD, POOR


@pytest.fixture
def rated(held_session, county):
    """Five learners rated the session poorly; one also rated the class."""
    for p in county["people"]["east"][:5]:
        evaluation_submit_session(session=held_session, person=p, scores=POOR, comment=f"{p.name}的意见")
    return held_session


def test_teacher_with_low_scores_is_flagged(rated, settings):
    row = results_by_teacher(evaluations=Evaluation.objects.all())[0]
    assert row.responses == 5 and str(row.overall) == "2.00" and row.flagged
    settings.EVALUATION_MIN_RESPONSES = 6  # too few ratings to judge
    assert not results_by_teacher(evaluations=Evaluation.objects.all())[0].flagged


def test_staff_results_page_has_no_names_and_a_text_alternative(client, rated, staff_user, county,
                                                                 django_assert_max_num_queries):
    client.force_login(staff_user)
    with django_assert_max_num_queries(20):
        body = client.get(f"/admin/evaluations/?year={rated.training_class.year}").content.decode()
    assert "王老师" in body and 'data-low="1"' in body and "<svg" in body and 'id="teachers-table"' in body
    assert "的意见" in body  # comments shown...
    for p in county["people"]["east"]:
        assert f">{p.name}<" not in body and p.phone not in body  # ...but never who wrote them


def test_excel_export(client, rated, staff_user):
    client.force_login(staff_user)
    response = client.get(f"/admin/evaluations/export/?year={rated.training_class.year}")
    wb = load_workbook(io.BytesIO(response.content))
    teachers = wb.worksheets[0]
    header = [c.value for c in teachers[1]]
    assert header[0] and len(header) == 9
    assert teachers["A2"].value == "王老师" and teachers["B2"].value == 5 and teachers["H2"].value == 2.0
    assert teachers["I2"].value  # flagged
    assert wb.worksheets[3].max_row == 6  # five comments, no names column


def test_organiser_sees_own_township_only(client, rated, county):
    west = UserFactory(username="xihe", roles=["township_organiser"], township=county["west"])
    client.force_login(west)
    body = client.get(f"/admin/evaluations/?year={rated.training_class.year}").content.decode()
    assert "王老师" not in body
    assert client.get(f"/admin/evaluations/class/{rated.training_class_id}/").status_code == 404
    east = UserFactory(username="dongfeng2", roles=["township_organiser"], township=county["east"])
    client.force_login(east)
    assert "王老师" in client.get(f"/admin/evaluations/?year={rated.training_class.year}").content.decode()
    response = client.post(f"/admin/evaluations/class/{rated.training_class_id}/requirement/", {"required": "1"})
    assert response.status_code == 404  # organisers read, staff decide


def test_teacher_sees_own_results_only_from_enough_ratings(client, held_session, county, teacher, settings):
    user = UserFactory(username="wanglaoshi")
    teacher.user = user
    teacher.save()
    client.force_login(user)
    for p in county["people"]["east"][:4]:
        evaluation_submit_session(session=held_session, person=p, scores=GOOD, comment="讲得好")
    assert "讲得好" not in client.get("/evaluations/mine/").content.decode()
    evaluation_submit_session(session=held_session, person=county["people"]["east"][4], scores=GOOD)
    body = client.get("/evaluations/mine/").content.decode()
    assert "讲得好" in body and all(p.name not in body for p in county["people"]["east"])


def test_evaluation_required_is_a_completion_rule(client, held_session, east_class, county, staff_user):
    learner = county["people"]["east"][0]

    def result():
        row = next(c for c in completion_for_class(training_class=east_class) if c.person == learner)
        return next(r for r in row.results if r.code == "evaluation")

    assert result().status == "not_applicable"
    client.force_login(staff_user)
    client.post(f"/admin/evaluations/class/{east_class.pk}/requirement/", {"required": "1"})
    assert result().status == "not_met"
    evaluation_submit_class(training_class=east_class, person=learner, scores=GOOD, today=east_class.ends_on)
    assert result().status == "met"
    evaluation_requirement_set(training_class=east_class, required=False)
    assert result().status == "not_applicable"

"""Learners rate a session they attended, or their class from its last day; once; scores 1 to 4 only."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.evaluations.models import Evaluation
from lms.evaluations.services import clean_scores, evaluation_submit_class, evaluation_submit_session
from tests.classes.conftest import make_session
from tests.factories import learner_for

from .conftest import GOOD


def test_rating_a_session_keeps_the_teacher(held_session, learner_person):
    row = evaluation_submit_session(session=held_session, person=learner_person, scores=GOOD, comment=" 很实用 ")
    assert row.teacher == held_session.teacher and row.comment == "很实用"
    assert (row.content, row.method) == (4, 3) and row.average == 3.8


def test_second_rating_refused(held_session, learner_person):
    evaluation_submit_session(session=held_session, person=learner_person, scores=GOOD)
    with pytest.raises(ValidationError, match="already rated"):
        evaluation_submit_session(session=held_session, person=learner_person, scores=GOOD)
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize("bad", ["0", "5", "-1", "3.5", "", "四"])
def test_score_out_of_range_saves_nothing(held_session, learner_person, bad):
    with pytest.raises(ValidationError) as exc:
        evaluation_submit_session(session=held_session, person=learner_person, scores=GOOD | {"effect": bad})
    assert len(exc.value.messages) == 1 and "from 1 to 4" in exc.value.messages[0]
    assert not Evaluation.objects.exists()


@given(st.dictionaries(st.sampled_from(["content", "relevance", "method", "effect", "attitude"]),
                       st.one_of(st.integers(-10, 10), st.text(max_size=3))))
@settings(max_examples=40, deadline=None)
def test_clean_scores_accepts_exactly_five_whole_scores_from_1_to_4(raw):
    ok = len(raw) == 5 and all(str(v).strip().isdigit() and 1 <= int(str(v).strip()) <= 4 for v in raw.values())
    try:
        scores = clean_scores(raw)
    except ValidationError:
        assert not ok
    else:
        assert ok and all(1 <= v <= 4 for v in scores.values())


def test_only_attended_started_sessions_of_own_class(held_session, east_class, county, learner_person):
    on_leave = county["people"]["east"][-1]
    with pytest.raises(ValidationError, match="only sessions you attended"):
        evaluation_submit_session(session=held_session, person=on_leave, scores=GOOD)
    later = make_session(east_class, date=timezone.localdate() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="once it has started"):
        evaluation_submit_session(session=later, person=learner_person, scores=GOOD)
    with pytest.raises(ValidationError, match="not enrolled"):
        evaluation_submit_session(session=held_session, person=county["people"]["west"][0], scores=GOOD)
    with pytest.raises(ValidationError, match="at most 500"):
        evaluation_submit_session(session=held_session, person=learner_person, scores=GOOD, comment="好" * 501)
    assert not Evaluation.objects.exists()


def test_class_rated_from_its_last_day(east_class, learner_person):
    with pytest.raises(ValidationError, match="from its last day"):
        evaluation_submit_class(training_class=east_class, person=learner_person, scores=GOOD)
    evaluation_submit_class(training_class=east_class, person=learner_person, scores=GOOD, today=east_class.ends_on)
    assert Evaluation.objects.get().session is None


def test_learner_form_bad_input_gets_chinese_message(client, held_session, learner_person, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(learner_for(learner_person))
    with translation.override("zh-hans"):
        response = client.post(f"/evaluations/sessions/{held_session.pk}/", GOOD | {"method": "9"})
    assert response.status_code == 400
    assert "请为“教学方法”选择1到4之间的评分" in response.content.decode()
    assert not Evaluation.objects.exists()
    response = client.post(f"/evaluations/sessions/{held_session.pk}/", GOOD)
    assert response.status_code == 302 and Evaluation.objects.count() == 1
    assert f"/evaluations/sessions/{held_session.pk}/" not in client.get("/evaluations/").content.decode()


def test_learner_pages_are_their_own(client, held_session, county):
    stranger = county["people"]["west"][0]
    client.force_login(learner_for(stranger))
    assert client.get(f"/evaluations/sessions/{held_session.pk}/").status_code == 404
    assert client.get(f"/evaluations/classes/{held_session.training_class_id}/").status_code == 404


def test_class_page_offers_rating_of_attended_session(client, held_session, learner_person):
    client.force_login(learner_for(learner_person))
    body = client.get(f"/classes/{held_session.training_class_id}/").content.decode()
    assert f"/evaluations/sessions/{held_session.pk}/" in body

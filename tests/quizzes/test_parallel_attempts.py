"""Double clicks and weak networks: parallel starts, saves and submits of one attempt (PostgreSQL row locks)."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from lms.quizzes import grading, services
from lms.quizzes.models import Attempt, AttemptItem
from tests.parallel import run_in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL")


def test_twenty_parallel_starts_make_one_attempt(quiz, learner_user):
    outcomes = run_in_parallel(lambda i: services.attempt_start(quiz=quiz, user=learner_user).pk, 20)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert Attempt.objects.filter(quiz=quiz, user=learner_user).count() == 1
    assert set(outcomes) == {Attempt.objects.get().pk}


def test_parallel_starts_over_http_make_one_attempt(quiz, learner_user):
    clients = []
    for _ in range(10):
        client = Client()
        client.force_login(learner_user)
        clients.append(client)
    url = reverse("quizzes:start", kwargs={"pk": quiz.pk})
    outcomes = run_in_parallel(lambda i: clients[i].post(url), 10)
    attempt = Attempt.objects.get(quiz=quiz, user=learner_user)
    assert [r.status_code for r in outcomes] == [302] * 10
    assert {r["Location"] for r in outcomes} == {reverse("quizzes:take", kwargs={"pk": attempt.pk})}


def _wrong_answers(attempt):
    answers = {}
    for item in attempt.items.all():
        if item.kind in ("single", "multiple"):
            answers[item.position] = {"choices": [o["id"] for o in item.payload["options"] if not o["correct"]][:1]}
        elif item.kind == "true_false":
            answers[item.position] = {"value": not item.payload["answer"]}
    return answers


def test_saves_racing_a_submit_never_change_graded_answers(quiz, learner_user):
    for _round in range(5):
        Attempt.objects.all().delete()
        attempt = services.attempt_start(quiz=quiz, user=learner_user)
        wrong = _wrong_answers(attempt)

        def act(i, attempt=attempt, wrong=wrong):
            if i == 0:
                return services.attempt_submit(attempt=attempt).status
            return services.attempt_save_answers(attempt=attempt, answers=wrong)

        outcomes = run_in_parallel(act, 8)
        refused = [o for o in outcomes[1:] if isinstance(o, services.AttemptClosed)]
        assert all(isinstance(o, int) for o in outcomes[1:] if o not in refused), outcomes
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.GRADED
        items = list(AttemptItem.objects.filter(attempt=attempt))
        # Every stored answer is the one that was graded: regrading gives the stored scores and total.
        for item in items:
            assert grading.grade(kind=item.kind, payload=item.payload, response=item.response,
                                 max_score=item.max_score)[0] == item.score
        assert sum(i.score for i in items) == attempt.score


def test_a_late_autosave_after_submit_is_refused_with_a_message(client, quiz, learner_user):
    client.force_login(learner_user)
    attempt = services.attempt_start(quiz=quiz, user=learner_user)
    services.attempt_submit(attempt=attempt)
    before = list(AttemptItem.objects.filter(attempt=attempt).values_list("response", "score"))
    response = client.post(reverse("quizzes:answer", kwargs={"pk": attempt.pk}),
                           {"position": 2, "q2": "false", "q2_present": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 409
    assert response.json()["closed"] is True
    assert "已提交" in response.json()["error"] or "already been submitted" in response.json()["error"]
    assert list(AttemptItem.objects.filter(attempt=attempt).values_list("response", "score")) == before

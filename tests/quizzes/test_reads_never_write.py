"""Opening pages never writes: an attempt whose time ran out is shown graded, and only Celery beat saves it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lms.quizzes import services
from lms.quizzes.models import Attempt, AttemptItem, QuizQuestion

pytestmark = pytest.mark.django_db


def _rows():
    return (list(Attempt.objects.order_by("pk").values()), list(AttemptItem.objects.order_by("pk").values()))


@pytest.fixture
def expired(quiz, bank, learner_user):
    """An attempt with right objective answers and an essay, left two hours ago by a learner who never came back."""
    QuizQuestion.objects.create(quiz=quiz, question=bank["essay"], sort_order=9)
    quiz.time_limit_minutes = 10
    quiz.credit_hours = Decimal("1.0")
    quiz.save()
    attempt = services.attempt_start(quiz=quiz, user=learner_user, now=timezone.now() - timedelta(hours=2))
    for item in attempt.items.all():
        if item.kind == "single":
            item.response = {"choices": [o["id"] for o in item.payload["options"] if o["correct"]]}
        elif item.kind == "essay":
            item.response = {"text": "壮大村集体经济要因地制宜。"}
        item.save(update_fields=["response"])
    return attempt


def test_learner_pages_show_the_timed_out_attempt_without_saving(expired, learner_user):
    client = Client()
    client.force_login(learner_user)
    before = _rows()
    pages = {
        "mine": client.get(reverse("quizzes:mine")),
        "intro": client.get(reverse("quizzes:intro", kwargs={"pk": expired.quiz_id})),
        "take": client.get(reverse("quizzes:take", kwargs={"pk": expired.pk})),
        "finish": client.get(reverse("quizzes:finish", kwargs={"pk": expired.pk})),
        "result": client.get(reverse("quizzes:result", kwargs={"pk": expired.pk})),
        "record": client.get(reverse("classes:my_record")),
    }
    assert _rows() == before
    assert pages["take"]["Location"] == pages["finish"]["Location"] == reverse("quizzes:result",
                                                                               kwargs={"pk": expired.pk})
    assert all(r.status_code == 200 for k, r in pages.items() if k not in ("take", "finish"))
    result = pages["result"].content.decode()
    assert "作答时间已到" in result  # graded with what was saved by the deadline
    intro = pages["intro"].content.decode()
    assert f'href="{reverse("quizzes:take", kwargs={"pk": expired.pk})}"' not in intro  # nothing to resume


def test_staff_pages_list_the_expired_essay_without_saving(expired, staff_user):
    client = Client()
    client.force_login(staff_user)
    before = _rows()
    queue = client.get(reverse("quizzes_admin:essays"))
    stats = client.get(reverse("quizzes_admin:statistics", kwargs={"pk": expired.quiz_id}))
    export = client.get(reverse("quizzes_admin:statistics_export", kwargs={"pk": expired.quiz_id}))
    assert (queue.status_code, stats.status_code, export.status_code) == (200, 200, 200)
    assert _rows() == before
    essay = AttemptItem.objects.get(attempt=expired, kind="essay")
    assert reverse("quizzes_admin:essay_grade", kwargs={"pk": essay.pk}) in queue.content.decode()
    # Grading the essay is a POST: it closes the attempt at its deadline first, then marks the essay.
    response = client.post(reverse("quizzes_admin:essay_grade", kwargs={"pk": essay.pk}),
                           {"score": "4", "comment": "较好"})
    assert response.status_code == 302
    expired.refresh_from_db()
    assert expired.status == Attempt.Status.GRADED and expired.timed_out and expired.submitted_at == expired.deadline


def test_quiz_passed_is_computed_and_beat_saves_the_same_grade(expired, quiz, learner_person):
    QuizQuestion.objects.filter(quiz=quiz, question__kind="essay").delete()
    AttemptItem.objects.filter(attempt=expired, kind="essay").delete()
    quiz.pass_mark = Decimal(5)  # one right single answer of 11 marks
    quiz.save()
    before = _rows()
    assert services.quiz_passed(person_or_user=learner_person, quiz=quiz)
    assert _rows() == before
    assert services.attempts_close_expired() == 1
    expired.refresh_from_db()
    assert expired.passed and expired.status == Attempt.Status.GRADED
    assert services.quiz_passed(person_or_user=learner_person, quiz=quiz)

"""Learner pages: intro, taking with autosave and the no-JS fallback, result and review policy, isolation."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms.quizzes import services
from lms.quizzes.models import Attempt, Quiz, QuizQuestion
from lms.quizzes.selectors import quizzes_for_page

from .conftest import make_question


@pytest.fixture
def client_learner(client, learner_user):
    client.force_login(learner_user)
    return client


def _start(client, quiz):
    response = client.post(reverse("quizzes:start", kwargs={"pk": quiz.pk}))
    assert response.status_code == 302
    return Attempt.objects.latest("pk")


def test_intro_shows_rules_and_starts_an_attempt(client_learner, quiz):
    response = client_learner.get(reverse("quizzes:intro", kwargs={"pk": quiz.pk}))
    assert response.status_code == 200
    assert quiz.title in response.content.decode()
    attempt = _start(client_learner, quiz)
    page = client_learner.get(reverse("quizzes:take", kwargs={"pk": attempt.pk}))
    assert "党的最高理想和最终目标是？" in page.content.decode()


def test_unpublished_quiz_is_not_found(client_learner, quiz):
    Quiz.objects.filter(pk=quiz.pk).update(is_published=False)
    assert client_learner.get(reverse("quizzes:intro", kwargs={"pk": quiz.pk})).status_code == 404


def test_autosave_then_resume_after_a_dropped_connection(client_learner, quiz):
    attempt = _start(client_learner, quiz)
    tf = attempt.items.get(kind="true_false")
    fill = attempt.items.get(kind="fill_blank")
    url = reverse("quizzes:answer", kwargs={"pk": attempt.pk})
    assert client_learner.post(url, {"position": tf.position, f"q{tf.position}": "true"}).json()["saved"]
    client_learner.post(url, {"position": fill.position, f"q{fill.position}_b0": "党员大会"})
    # The phone reconnects later: starting again resumes at the last question with the answers kept.
    client_learner.post(reverse("quizzes:start", kwargs={"pk": quiz.pk}))
    page = client_learner.get(reverse("quizzes:take", kwargs={"pk": attempt.pk}))
    html = page.content.decode()
    assert 'value="党员大会"' in html
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_no_js_form_saves_moves_and_submits(client_learner, quiz):
    attempt = _start(client_learner, quiz)
    single = attempt.items.get(position=0)
    right = next(o["id"] for o in single.payload["options"] if o["correct"])
    save = reverse("quizzes:save", kwargs={"pk": attempt.pk})
    response = client_learner.post(save, {"position": 0, "q0_present": "1", "q0": str(right), "go": "next"})
    assert response.status_code == 302 and response["Location"].endswith("?q=1")
    response = client_learner.post(save, {"position": 3, "q3_present": "1", "q3_b0": "党员大会",
                                          "q3_b1": " 村民会议 ", "go": "finish"})
    assert response["Location"] == reverse("quizzes:finish", kwargs={"pk": attempt.pk})
    finish = client_learner.get(response["Location"])
    assert finish.status_code == 200
    client_learner.post(reverse("quizzes:finish", kwargs={"pk": attempt.pk}))
    client_learner.post(reverse("quizzes:finish", kwargs={"pk": attempt.pk}))  # double tap
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and str(attempt.score) == "3.00"
    result = client_learner.get(reverse("quizzes:result", kwargs={"pk": attempt.pk})).content.decode()
    assert "解析" in result  # review shown right after submit


def test_review_policy_hides_answers_until_the_quiz_closes(client_learner, quiz):
    quiz.review_policy = Quiz.ReviewPolicy.AFTER_CLOSE
    quiz.closes_at = timezone.now() + timedelta(days=1)
    quiz.save()
    attempt = _start(client_learner, quiz)
    client_learner.post(reverse("quizzes:finish", kwargs={"pk": attempt.pk}))
    url = reverse("quizzes:result", kwargs={"pk": attempt.pk})
    assert "实现共产主义" not in client_learner.get(url).content.decode()
    Quiz.objects.filter(pk=quiz.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    assert "实现共产主义" in client_learner.get(url).content.decode()


def test_score_only_policy_never_shows_answers(client_learner, quiz):
    Quiz.objects.filter(pk=quiz.pk).update(review_policy=Quiz.ReviewPolicy.SCORE_ONLY)
    attempt = _start(client_learner, quiz)
    client_learner.post(reverse("quizzes:finish", kwargs={"pk": attempt.pk}))
    html = client_learner.get(reverse("quizzes:result", kwargs={"pk": attempt.pk})).content.decode()
    assert "实现共产主义" not in html and "0.00 / 6.00" in html


def test_late_autosave_is_refused_and_the_take_page_sends_to_the_result(client_learner, quiz):
    quiz.time_limit_minutes = 1
    quiz.save()
    attempt = _start(client_learner, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    response = client_learner.post(reverse("quizzes:answer", kwargs={"pk": attempt.pk}),
                                   {"position": 2, "q2": "true"})
    assert response.status_code == 409
    take = client_learner.get(reverse("quizzes:take", kwargs={"pk": attempt.pk}))
    assert take["Location"] == reverse("quizzes:result", kwargs={"pk": attempt.pk})
    result = client_learner.get(take["Location"]).content.decode()
    assert "时间已到" in result or "Time ran out" in result
    # The pages showed the timed-out grade without saving it; beat saves it.
    attempt.refresh_from_db()
    assert attempt.is_in_progress and attempt.items.get(position=2).response is None
    services.attempts_close_expired()
    attempt.refresh_from_db()
    assert attempt.timed_out and attempt.items.get(position=2).response is None


def test_another_learner_cannot_read_or_answer_an_attempt(client, quiz, learner_user, other_learner):
    attempt = services.attempt_start(quiz=quiz, user=learner_user)
    client.force_login(other_learner)
    for name in ("take", "finish", "result"):
        assert client.get(reverse(f"quizzes:{name}", kwargs={"pk": attempt.pk})).status_code == 404
    for name in ("answer", "save", "finish"):
        response = client.post(reverse(f"quizzes:{name}", kwargs={"pk": attempt.pk}), {"position": 0, "q0": "1"})
        assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_in_progress and attempt.items.get(position=0).response is None


def test_take_page_runs_a_fixed_number_of_queries(client_learner, quiz, category, django_assert_max_num_queries):
    Quiz.objects.filter(pk=quiz.pk).update(display_mode=Quiz.DisplayMode.ALL_ON_ONE_PAGE)
    for i in range(30):
        QuizQuestion.objects.create(quiz=quiz, question=make_question(category, "true_false", f"题{i}", tf=True),
                                    sort_order=10 + i)
    attempt = _start(client_learner, quiz)
    with django_assert_max_num_queries(12):
        response = client_learner.get(reverse("quizzes:take", kwargs={"pk": attempt.pk}))
    assert response.content.decode().count('class="question card"') == 34


def test_quiz_links_for_a_lesson_page(quiz, learner_user):
    root = Page.get_first_root_node()
    catalogue = root.add_child(instance=CourseIndexPage(title="课程中心", slug="kc"))
    course = catalogue.add_child(instance=CoursePage(title="村务公开", slug="cwgk", summary="公开"))
    lesson = course.add_child(instance=LessonPage(title="第一课", slug="l1"))
    quiz.lesson = lesson
    quiz.save()
    Quiz.objects.create(title="草稿", lesson=lesson, is_published=False)
    found = quizzes_for_page(page=lesson, user=learner_user)
    assert [q.title for q in found] == ["党章党规测验"]
    assert quizzes_for_page(page=course, user=learner_user) == []
    html = render_to_string("quizzes/includes/quiz_links.html", {"quizzes": found})
    assert reverse("quizzes:intro", kwargs={"pk": quiz.pk}) in html


def test_intro_and_result_pages_run_a_fixed_number_of_queries(client_learner, quiz, category,
                                                               django_assert_max_num_queries):
    for i in range(20):
        QuizQuestion.objects.create(quiz=quiz, question=make_question(category, "true_false", f"题{i}", tf=True),
                                    sort_order=10 + i)
    attempt = _start(client_learner, quiz)
    client_learner.post(reverse("quizzes:finish", kwargs={"pk": attempt.pk}))
    with django_assert_max_num_queries(12):
        assert client_learner.get(reverse("quizzes:intro", kwargs={"pk": quiz.pk})).status_code == 200
    with django_assert_max_num_queries(10):
        html = client_learner.get(reverse("quizzes:result", kwargs={"pk": attempt.pk})).content.decode()
    assert html.count('class="question card review"') == 24


def test_garbage_posts_do_not_break_the_attempt(client_learner, quiz):
    attempt = _start(client_learner, quiz)
    save = reverse("quizzes:save", kwargs={"pk": attempt.pk})
    assert client_learner.post(save, {"position": "x", "go": "zz"}).status_code == 302
    answer = reverse("quizzes:answer", kwargs={"pk": attempt.pk})
    assert client_learner.post(answer, {"position": "x"}).status_code == 400
    assert client_learner.post(answer, {"position": "99"}).status_code == 404
    assert client_learner.post(answer, {"position": "0", "q0": ["999", "abc"]}).json()["saved"]
    assert attempt.items.get(position=0).response == {"choices": []}


def test_a_class_quiz_is_only_for_the_learners_enrolled_in_the_class(client, quiz, learner_user, learner_person):
    import datetime

    from lms.classes.models import Enrolment, TrainingClass, TrainingMode

    training_class = TrainingClass.objects.create(
        name="村党组织书记轮训班", year=2026, mode=TrainingMode.CENTRALISED, state=TrainingClass.State.RUNNING,
        starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 6),
    )
    Quiz.objects.filter(pk=quiz.pk).update(class_id=training_class.pk)
    client.force_login(learner_user)
    intro = reverse("quizzes:intro", kwargs={"pk": quiz.pk})
    assert client.get(intro).status_code == 404
    assert client.post(reverse("quizzes:start", kwargs={"pk": quiz.pk})).status_code == 404
    assert not Attempt.objects.exists()

    Enrolment.objects.create(training_class=training_class, person=learner_person)
    assert client.get(intro).status_code == 200
    _start(client, quiz)


def test_quiz_links_say_waiting_for_grading_not_not_taken(quiz, learner_user):
    root = Page.get_first_root_node()
    catalogue = root.add_child(instance=CourseIndexPage(title="课程中心", slug="kc"))
    course = catalogue.add_child(instance=CoursePage(title="村务公开", slug="cwgk", summary="公开"))
    quiz.course = course
    quiz.save()
    Attempt.objects.create(quiz=quiz, user=learner_user, status=Attempt.Status.AWAITING_GRADING,
                           started_at=timezone.now())
    with translation.override("en"):
        html = render_to_string("quizzes/includes/quiz_links.html",
                                {"quizzes": quizzes_for_page(page=course, user=learner_user)})
    assert "Waiting for grading" in html and "Not taken" not in html

"""Chinese search: courses and lessons are found by a word or part of one; learners have a search box."""

import pytest

from courses.demo import ensure_catalogue
from courses.models import CoursePage, LessonPage
from courses.search import query_terms, stream_words
from courses.selectors import search_catalogue


@pytest.fixture
def catalogue(db):
    index = ensure_catalogue()
    clean = index.add_child(instance=CoursePage(title="加强党风廉政建设", slug="lz", summary="廉洁自律"))
    open_affairs = index.add_child(instance=CoursePage(title="村级事务管理", slug="sw", summary="规范村务公开的做法"))
    lesson = open_affairs.add_child(instance=LessonPage(title="第一课", slug="l1", body=[
        ("rich_text", "<p>发展壮大村级集体经济的路径</p>"),
    ]))
    return {"clean": clean, "affairs": open_affairs, "lesson": lesson}


def test_substrings_of_titles_summaries_and_lesson_bodies_are_found(catalogue, staff_user):
    courses, _lessons = search_catalogue(user=staff_user, query="廉政")
    assert [c.title for c in courses] == ["加强党风廉政建设"]
    courses, _lessons = search_catalogue(user=staff_user, query="村务公开")
    assert [c.title for c in courses] == ["村级事务管理"]
    _courses, lessons = search_catalogue(user=staff_user, query="村级集体经济")
    assert [lesson.title for lesson in lessons] == ["第一课"]
    assert search_catalogue(user=staff_user, query="扶贫") == ([], [])


def test_every_term_must_match(catalogue, staff_user):
    courses, _ = search_catalogue(user=staff_user, query="村级 公开")
    assert [c.title for c in courses] == ["村级事务管理"]
    courses, _ = search_catalogue(user=staff_user, query="村级 廉政")
    assert courses == []


def test_wagtail_page_search_finds_chinese_substrings(catalogue):
    assert [p.title for p in CoursePage.objects.live().search("廉政")] == ["加强党风廉政建设"]
    assert [p.title for p in LessonPage.objects.live().search("集体经济")] == ["第一课"]


def test_stream_words_and_terms():
    assert stream_words([{"type": "paragraph", "id": "x", "value": "<p>党建<b>引领</b></p>"}]) == ["党建引领"]
    assert query_terms("  廉政   建设 ") == ["廉政", "建设"]
    assert query_terms("") == []


def test_learner_search_box_and_results(client, catalogue, learner_user):
    client.force_login(learner_user)
    home = client.get("/").content.decode()
    assert 'action="/search/"' in home
    response = client.get("/search/", {"q": "集体经济"})
    page = response.content.decode()
    assert "第一课" in page and response.context["total"] == 1
    assert "No course" not in page
    assert client.get("/search/", {"q": "x" * 500}).status_code == 200


def test_search_page_runs_a_fixed_number_of_queries(client, catalogue, learner_user, django_assert_max_num_queries):
    client.force_login(learner_user)
    client.get("/search/", {"q": "村"})  # warms Wagtail's cached site root paths
    with django_assert_max_num_queries(12):
        assert client.get("/search/", {"q": "村"}).status_code == 200

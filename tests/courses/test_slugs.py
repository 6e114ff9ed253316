"""Course and lesson addresses: pinyin slugs for Chinese titles; old Chinese addresses redirect."""

import importlib
from urllib.parse import quote

import pytest
from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st
from wagtail.models import Page

from courses.demo import ensure_catalogue
from courses.models import CoursePage, LessonPage
from courses.slugs import MAX_LENGTH, pinyin_slug

migration = importlib.import_module("courses.migrations.0005_pinyin_slugs_with_redirects")


def test_pinyin_slugs_read_like_the_title():
    assert pinyin_slug("村务公开与民主管理") == "cunwugongkaiyuminzhuguanli"
    assert pinyin_slug("第一课 村务公开的内容") == "diyike-cunwugongkaideneirong"
    assert pinyin_slug("“三议一表决”2026年") == "sanyiyibiaojue-2026-nian"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_a_pinyin_slug_is_always_short_lowercase_ascii(text):
    slug = pinyin_slug(text)
    assert len(slug) <= MAX_LENGTH
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-")


@pytest.mark.django_db
def test_a_course_titled_in_chinese_gets_a_pinyin_slug(client, learner_user):
    catalogue = ensure_catalogue()
    course = catalogue.add_child(instance=CoursePage(title="村务公开与民主管理", summary="公开"))
    typed = catalogue.add_child(instance=CoursePage(title="党风廉政建设", slug="党风廉政", summary="廉政"))
    twin = catalogue.add_child(instance=CoursePage(title="村务公开与民主管理", summary="第二期"))
    lesson = course.add_child(instance=LessonPage(title="第一课 村务公开的内容"))
    assert course.slug == "cunwugongkaiyuminzhuguanli"
    assert typed.slug == "dangfenglianzheng"
    assert twin.slug == "cunwugongkaiyuminzhuguanli-2"
    assert lesson.url == "/courses/cunwugongkaiyuminzhuguanli/diyike-cunwugongkaideneirong/"


@pytest.mark.django_db
def test_existing_chinese_addresses_redirect_to_the_pinyin_ones(client, learner_user):
    catalogue = ensure_catalogue()
    course = catalogue.add_child(instance=CoursePage(title="村务公开", slug="cunwu", summary="公开"))
    course.save_revision().publish()
    lesson = course.add_child(instance=LessonPage(title="第一课", slug="lesson-1"))
    lesson.save_revision().publish()
    # A course saved before pinyin slugs existed.
    Page.objects.filter(pk=course.pk).update(slug="村务公开", url_path=f"{catalogue.url_path}村务公开/")
    Page.objects.filter(pk=lesson.pk).update(url_path=f"{catalogue.url_path}村务公开/lesson-1/")

    migration.to_pinyin(apps, None)

    course.refresh_from_db()
    assert course.slug == "cunwugongkai" and course.url == "/courses/cunwugongkai/"
    client.force_login(learner_user)
    old = client.get("/courses/" + quote("村务公开") + "/")
    assert old.status_code == 301 and old["Location"].endswith("/courses/cunwugongkai/")
    old_lesson = client.get("/courses/" + quote("村务公开") + "/lesson-1/")
    assert old_lesson.status_code == 301 and old_lesson["Location"].endswith("/courses/cunwugongkai/lesson-1/")
    assert client.get("/courses/cunwugongkai/lesson-1/").status_code == 200

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

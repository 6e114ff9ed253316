"""Shared fixtures: a temporary media root, a two-township county and one user per role."""

import pytest

from lms.accounts.roles import BUDGET_OFFICER, LEARNER, ORGANISER, STAFF, ensure_roles
from tests.factories import PersonFactory, TownshipFactory, UserFactory, VillageFactory, learner_for


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def roles(db):
    return ensure_roles()


@pytest.fixture
def county(db, roles):
    """Two townships with two villages each and three cadres per village."""
    east = TownshipFactory(name="东风乡")
    west = TownshipFactory(name="西河镇", kind="town")
    villages = {
        "east": [VillageFactory(township=east, name="红星村"), VillageFactory(township=east, name="团结村")],
        "west": [VillageFactory(township=west, name="和平村"), VillageFactory(township=west, name="幸福社区")],
    }
    people = {}
    for side, vs in villages.items():
        people[side] = []
        for v in vs:
            people[side].append(PersonFactory(village=v, posts=["secretary"]))
            people[side].append(PersonFactory(village=v, posts=["director"]))
            people[side].append(PersonFactory(village=v, posts=["reserve-cadre"]))
    return {"east": east, "west": west, "villages": villages, "people": people}


@pytest.fixture
def staff_user(roles):
    return UserFactory(username="jiaowu", roles=[STAFF])


@pytest.fixture
def budget_user(roles):
    return UserFactory(username="caiwu", roles=[BUDGET_OFFICER])


@pytest.fixture
def organiser_user(county):
    return UserFactory(username="dongfeng", roles=[ORGANISER], township=county["east"])


@pytest.fixture
def learner_person(county):
    return county["people"]["east"][0]


@pytest.fixture
def learner_user(learner_person):
    return learner_for(learner_person)


__all__ = ["LEARNER"]

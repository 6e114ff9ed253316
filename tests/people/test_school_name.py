"""The school's name printed on certificates and reports."""

import pytest

from lms.people.selectors import school_name
from tests.factories import TownshipFactory


@pytest.mark.django_db
def test_the_county_names_its_party_school_unless_settings_say_otherwise(settings):
    settings.SCHOOL_NAME = ""
    assert school_name() == "县委党校"
    county = TownshipFactory().county
    assert school_name() == f"{county.name}委党校"
    settings.SCHOOL_NAME = "某某县委党校"
    assert school_name() == "某某县委党校"

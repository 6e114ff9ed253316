"""Fixtures of the notifications tests: learners with accounts in a class, and Chinese messages."""

import pytest

from lms.notifications.catalogue import message_types_ensure
from tests.classes.conftest import enrol, make_class, make_session  # noqa: F401 - shared helpers
from tests.factories import learner_for


@pytest.fixture(autouse=True)
def _types(db):
    message_types_ensure()


@pytest.fixture
def learners(county):
    """Accounts for the east township's six cadres."""
    return [learner_for(p) for p in county["people"]["east"]]


@pytest.fixture
def sms_files(settings):
    return settings.NOTIFICATIONS_SMS_DIR

from tests.quizzes.conftest import bank, category, make_question, quiz  # noqa: E402,F401 - quiz fixtures

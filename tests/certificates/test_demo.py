"""The demo step issues certificates through the job and is idempotent."""

import datetime
import io

from lms.certificates import demo
from lms.certificates.models import Certificate, IssueBatch
from lms.classes.models import TrainingClass
from tests.certificates.conftest import enrol, make_class
from tests.factories import learner_for


def test_demo_without_classes_says_so(db):
    out = io.StringIO()
    demo.build(stdout=out)
    assert "nothing to issue" in out.getvalue()


def test_demo_closes_finished_classes_and_is_idempotent(county, fake):
    people = county["people"]["east"]
    fake.all_met(people[:2])
    learner_for(people[3])
    finished = make_class(name="演示结业班", state=TrainingClass.State.RUNNING)
    future = make_class(name="未来班", state=TrainingClass.State.ENROLLING)
    future.starts_on, future.ends_on = datetime.date(2099, 1, 1), datetime.date(2099, 1, 5)
    future.save()
    enrol(finished, people)
    enrol(future, people)
    demo.build(stdout=io.StringIO())
    finished.refresh_from_db()
    assert finished.state == TrainingClass.State.CLOSED
    holders = set(Certificate.objects.filter(training_class=finished).values_list("person_id", flat=True))
    assert holders == {people[0].pk, people[1].pk, people[3].pk}
    assert not Certificate.objects.filter(training_class=future).exists()
    demo.build(stdout=io.StringIO())
    assert Certificate.objects.count() == 3 and IssueBatch.objects.count() == 1

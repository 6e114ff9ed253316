"""Batch issue handed to a real Celery worker, as the admin's button does."""

import time

import pytest

from lms.certificates import services
from lms.certificates.models import Certificate, IssueBatch

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _wait_done(batch, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.state in (IssueBatch.State.DONE, IssueBatch.State.FAILED):
            return batch
        time.sleep(0.2)
    raise AssertionError(f"the worker did not finish the batch: {batch.state}")


def test_the_worker_issues_the_batch_and_a_second_batch_adds_nothing(
    closed_class, county, fake, staff_user, celery_worker_real
):
    people = county["people"]["east"]
    fake.all_met(people[:3])
    batch = _wait_done(services.certificate_batch_start(training_class=closed_class, user=staff_user))
    assert (batch.state, batch.total, batch.done) == (IssueBatch.State.DONE, 3, 3)
    again = _wait_done(services.certificate_batch_start(training_class=closed_class, user=staff_user))
    assert again.state == IssueBatch.State.DONE
    assert sorted(Certificate.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert all(c.pdf.read(4) == b"%PDF" for c in Certificate.objects.all())

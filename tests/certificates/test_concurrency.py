"""Two batches at once keep serial numbers unique and without gaps (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from lms.certificates import services
from lms.certificates.models import Certificate, IssueBatch
from tests.certificates.conftest import enrol, make_class

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no row locks (select_for_update)")


def test_concurrent_batches_keep_serials_unique_and_sequential(county, fake, staff_user):
    east, west = county["people"]["east"], county["people"]["west"]
    fake.all_met(east + west)
    first, second = make_class(name="甲班"), make_class(name="乙班")
    enrol(first, east)
    enrol(second, west)
    batches = [IssueBatch.objects.create(training_class=tc, started_by=staff_user) for tc in (first, second, first)]
    errors = []

    def run(batch_id):
        try:
            services.certificate_batch_run(batch_id=batch_id)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(b.pk,)) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == list(range(1, len(east) + len(west) + 1))
    assert Certificate.objects.values("serial").distinct().count() == len(numbers)

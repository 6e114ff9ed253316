"""Deleting a trip whose money is in the ledger is refused with a reason, not a server error."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lms.trips.models import Trip
from lms.trips.services import cost_add
from lms.trips.settlement import trip_settle
from tests.budget.helpers import fund
from tests.trips.helpers import make_trip

pytestmark = pytest.mark.django_db


def test_a_settled_trip_is_not_deleted(client, county, budget_user):
    trip = make_trip(fund=fund(amount="10000.00"), people=county["people"]["east"])
    cost_add(trip=trip, by=budget_user, item="transport", amount=Decimal("600.00"))
    trip_settle(trip=trip, by=budget_user)
    client.force_login(budget_user)
    budget_user.is_superuser = True
    budget_user.save()
    response = client.post(reverse("field_trips:delete", args=[trip.pk]), follow=True)
    assert response.status_code == 200
    assert "不能删除" in response.content.decode()
    assert Trip.objects.filter(pk=trip.pk).exists()

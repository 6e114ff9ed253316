import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms.budget.errors import BudgetRefused
from lms.trips.models import RollCall, Trip, TripReport
from lms.trips.records import entries
from lms.trips.selectors import trip_report_status_for_class
from lms.trips.services import participants_add, report_review, report_save, roll_call_record, trip_advance
from lms.trips.settlement import trip_settle
from tests.budget.helpers import fund, training_class
from tests.trips.helpers import YEAR, make_trip

pytestmark = pytest.mark.django_db

from tests.world import PNG  # noqa: E402 - a real picture: report photos are checked by content


def test_a_trip_moves_through_its_states_in_order(county, staff_user, budget_user, learner_user):
    trip = make_trip(state=Trip.State.PLANNED, people=county["people"]["east"][:2])
    with pytest.raises(BudgetRefused):
        trip_advance(trip=trip, by=staff_user, to_state=Trip.State.FINISHED)
    with pytest.raises(PermissionDenied):
        trip_advance(trip=trip, by=learner_user, to_state=Trip.State.APPROVED)
    trip_advance(trip=trip, by=budget_user, to_state=Trip.State.APPROVED)
    with pytest.raises(PermissionDenied):
        trip_advance(trip=trip, by=budget_user, to_state=Trip.State.UNDER_WAY)
    trip_advance(trip=trip, by=staff_user, to_state=Trip.State.UNDER_WAY)
    trip = trip_advance(trip=trip, by=staff_user, to_state=Trip.State.FINISHED)
    assert trip.state == Trip.State.FINISHED
    with pytest.raises(BudgetRefused):
        participants_add(trip=trip, people=county["people"]["west"], by=staff_user)


def test_daily_roll_call_within_the_trip_dates(county, staff_user):
    people = county["people"]["east"][:3]
    trip = make_trip(state=Trip.State.UNDER_WAY, people=people)
    absent = trip.participants.get(person=people[2])
    present = {p.pk for p in trip.participants.all()} - {absent.pk}
    assert roll_call_record(trip=trip, day=datetime.date(YEAR, 6, 2), present_ids=present, by=staff_user) == 3
    roll_call_record(trip=trip, day=datetime.date(YEAR, 6, 2), present_ids=present, by=staff_user)
    assert RollCall.objects.filter(day=datetime.date(YEAR, 6, 2)).count() == 3
    assert not RollCall.objects.get(participant=absent).present
    with pytest.raises(BudgetRefused):
        roll_call_record(trip=trip, day=datetime.date(YEAR, 7, 1), present_ids=present, by=staff_user)


def test_reports_are_written_by_the_participant_and_reviewed_by_staff(county, staff_user, learner_user,
                                                                    learner_person):
    course = training_class()
    trip = make_trip(state=Trip.State.FINISHED, people=[learner_person, county["people"]["east"][1]])
    trip.training_class = course
    trip.save()
    participant = trip.participants.get(person=learner_person)
    with pytest.raises(PermissionDenied):
        report_save(participant=participant, by=staff_user, title="x", body="y", submit=True)
    photo = SimpleUploadedFile("site.png", PNG, content_type="image/png")
    report = report_save(participant=participant, by=learner_user, title="苏州考察报告", body="学习了集体经济发展经验",
                         submit=True, photos=[photo])
    assert report.photos.count() == 1
    assert trip_report_status_for_class(training_class=course) == {
        learner_person.pk: False, county["people"]["east"][1].pk: False}
    with pytest.raises(BudgetRefused):
        report_review(report=report, by=staff_user, accept=False, note="")
    report_review(report=report, by=staff_user, accept=True)
    assert report.state == TripReport.State.ACCEPTED
    assert trip_report_status_for_class(training_class=course)[learner_person.pk] is True


def test_a_finished_trip_appears_in_the_training_record(county, learner_person):
    make_trip(state=Trip.State.PLANNED, title="未出发", people=[learner_person])
    make_trip(state=Trip.State.FINISHED, title="赴上海考察", people=[learner_person], credit_hours="24")
    found = entries(person=learner_person, year=YEAR)
    assert [(e.kind, e.credit_hours, e.category) for e in found] == [("trip", Decimal("24"), "concentrated")]
    assert "赴上海考察" in found[0].title
    assert entries(person=learner_person, year=YEAR + 1) == []


def test_trip_pages_are_scoped(client, county, learner_user, learner_person, organiser_user, budget_user):
    west = county["people"]["west"][0]
    theirs = make_trip(title="西河镇考察", people=[west])
    ours = make_trip(fund=fund(), title="东风乡考察", people=[learner_person, west])
    client.force_login(learner_user)
    assert client.get(reverse("trips:detail", args=[theirs.pk])).status_code == 404
    html = client.get(reverse("trips:detail", args=[ours.pk])).content.decode()
    assert learner_person.name in html and west.name not in html
    client.force_login(organiser_user)
    assert client.get(reverse("trips:detail", args=[theirs.pk])).status_code == 404
    listing = client.get(reverse("trips:list")).content.decode()
    assert "东风乡考察" in listing and "西河镇考察" not in listing
    assert client.post(reverse("trips:action", args=[ours.pk, "settle"])).status_code == 403
    client.force_login(budget_user)
    from lms.trips.services import cost_add

    cost_add(trip=ours, by=budget_user, item="transport", amount=Decimal("100.00"))
    client.post(reverse("trips:action", args=[ours.pk, "settle"]), {"confirm_total": "100.00"})
    ours.refresh_from_db()
    assert ours.state == Trip.State.SETTLED
    client.force_login(learner_user)
    mine = ours.participants.get(person=learner_person)
    statement = client.get(reverse("trips:statement", args=[ours.pk, mine.pk])).content.decode()
    assert 'data-total="50.00"' in statement
    other = ours.participants.get(person=west)
    assert client.get(reverse("trips:statement", args=[ours.pk, other.pk])).status_code == 404


def test_trip_list_runs_a_fixed_number_of_queries(client, county, staff_user, django_assert_max_num_queries):
    for index in range(3):
        make_trip(title=f"考察{index}", people=county["people"]["east"])
    client.force_login(staff_user)
    with django_assert_max_num_queries(8) as counted:
        client.get(reverse("trips:list"))
    baseline = len(counted.captured_queries)
    for index in range(5):
        make_trip(title=f"再考察{index}", people=county["people"]["west"])
    with django_assert_max_num_queries(baseline):
        client.get(reverse("trips:list"))


def test_settle_only_once_even_when_asked_twice(county, budget_user):
    trip = make_trip(fund=fund(), people=county["people"]["east"][:2])
    trip_settle(trip=trip, by=budget_user)
    with pytest.raises(BudgetRefused):
        trip_settle(trip=trip, by=budget_user)


def test_days_absent_at_roll_call_cost_their_share_of_credit_hours(county, staff_user, learner_person):
    from lms.classes.records import record_for

    other = county["people"]["east"][1]
    trip = make_trip(state=Trip.State.UNDER_WAY, people=[learner_person, other], credit_hours="16")
    mine = trip.participants.get(person=learner_person)
    theirs = trip.participants.get(person=other)
    roll_call_record(trip=trip, day=datetime.date(YEAR, 6, 2), present_ids={theirs.pk}, by=staff_user)
    roll_call_record(trip=trip, day=datetime.date(YEAR, 6, 3), present_ids={mine.pk, theirs.pk}, by=staff_user)
    trip_advance(trip=trip, by=staff_user, to_state=Trip.State.FINISHED)
    [entry] = entries(person=learner_person, year=YEAR)
    assert entry.credit_hours == Decimal("12.0")  # present 3 of the 4 days
    assert "3" in entry.detail and "4" in entry.detail
    assert entries(person=other, year=YEAR)[0].credit_hours == Decimal("16.0")
    record = record_for(person=learner_person, year=YEAR)  # the training record the classes app shows
    assert [(e.kind, e.credit_hours) for e in record.entries if e.kind == "trip"] == [("trip", Decimal("12.0"))]
    assert record.totals["concentrated"] >= Decimal("12.0")


def test_a_participant_sends_a_report_with_photos_and_staff_review_it_on_the_page(
        client, county, staff_user, learner_user, learner_person):
    trip = make_trip(state=Trip.State.FINISHED, people=[learner_person, county["people"]["west"][0]])
    client.force_login(learner_user)
    form = client.get(reverse("trips:report", args=[trip.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="photos"' in form
    photos = [SimpleUploadedFile(f"site{i}.png", PNG, content_type="image/png") for i in range(2)]
    client.post(reverse("trips:report", args=[trip.pk]),
                {"title": "考察报告", "body": "学习了村务公开的做法", "photos": photos, "submit": ""})
    report = TripReport.objects.get()
    assert report.state == TripReport.State.SUBMITTED and report.photos.count() == 2
    photo_url = reverse("trips:photo", args=[report.photos.first().pk])
    assert client.get(photo_url).status_code == 200
    client.force_login(staff_user)
    page = client.get(reverse("trips:reports", args=[trip.pk])).content.decode()
    assert photo_url in page and "学习了村务公开的做法" in page
    client.post(reverse("trips:reports", args=[trip.pk]), {"report": report.pk, "accept": "0", "note": "请补充举措"})
    report.refresh_from_db()
    assert report.state == TripReport.State.RETURNED and report.review_note == "请补充举措"
    client.force_login(learner_user)
    page = client.get(reverse("trips:report", args=[trip.pk])).content.decode()
    assert "请补充举措" in page and photo_url in page and 'name="submit"' in page  # can revise and resend
    fellow = county["people"]["west"][0]
    from tests.factories import learner_for

    client.force_login(learner_for(fellow))
    assert client.get(photo_url).status_code == 404

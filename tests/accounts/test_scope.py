"""Each role's rule for every model in lms.accounts.scope, checked on two townships' real rows."""

import pytest
from django.contrib.auth.models import AnonymousUser

from lms.accounts import scope
from tests.world import build_world

# model → (scope function, the key of the side's object, or a callable picking it from a side)
PERSONAL = {
    "people": (scope.people, lambda side: side.person),
    "record_people": (scope.record_people, lambda side: side.person),
    "townships": (scope.townships, lambda side: side.township),
    "villages": (scope.villages, lambda side: side.village),
    "stations": (scope.stations, lambda side: side.station),
    "enrolments": (scope.enrolments, lambda side: side.objects["enrolment"]),
    "attendance": (scope.attendance, lambda side: side.objects["attendance"]),
    "leave_requests": (scope.leave_requests, lambda side: side.objects["leave"]),
    "notes": (scope.notes, lambda side: side.objects["note"]),
    "certificates": (scope.certificates, lambda side: side.objects["certificate"]),
    "watch_progress": (scope.watch_progress, lambda side: side.objects["watch"]),
    "claims": (scope.claims, lambda side: side.objects["claim"]),
    "ledger": (scope.ledger, lambda side: side.objects["ledger"]),
    "participants": (scope.participants, lambda side: side.objects["participant"]),
    "trip_reports": (scope.trip_reports, lambda side: side.objects["trip_report"]),
}
COUNTY_WIDE = {"townships", "villages", "stations"}
MONEY = {"claims", "ledger", "participants", "trip_reports"}

# role → what it sees of each side: "all" (both sides), "own" (its own side only), "none"
EXPECTED = {
    "staff": {name: "all" for name in PERSONAL},
    "superuser": {name: "all" for name in PERSONAL},
    "officer": {name: "all" if name in MONEY or name in COUNTY_WIDE or name == "people" else "none"
                for name in PERSONAL},
    "organiser_east": {name: "own" for name in PERSONAL},
    "organiser_west": {name: "own" for name in PERSONAL},
    "learner_east": {name: "none" if name in COUNTY_WIDE else "own" for name in PERSONAL},
    "learner_west": {name: "none" if name in COUNTY_WIDE else "own" for name in PERSONAL},
    "anonymous": {name: "none" for name in PERSONAL},
}


@pytest.fixture
def world(roles):
    return build_world()


def _side_of(role: str, world):
    return world.west if role.endswith("_west") else world.east


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_sees_exactly_its_rows_of_every_model(world, role):
    user = world.users()[role] or AnonymousUser()
    for name, (rows_for, pick) in PERSONAL.items():
        visible = set(rows_for(user).values_list("pk", flat=True))
        east, west = pick(world.east).pk, pick(world.west).pk
        rule = EXPECTED[role][name]
        if rule == "all":
            expected = {east, west}
        elif rule == "own":
            expected = {pick(_side_of(role, world)).pk}
        else:
            expected = set()
        assert visible & {east, west} == expected, f"{role} on {name}"


@pytest.mark.django_db
def test_an_organiser_sees_a_county_class_with_their_cadre_but_only_their_cadres_in_it(world):
    west_org = world.west.organiser
    assert scope.classes(west_org).filter(pk=world.county_class.pk).exists()
    in_class = scope.enrolments(west_org).filter(training_class=world.county_class)
    assert list(in_class.values_list("person__name", flat=True)) == [world.west.person.name]
    assert not scope.classes(world.east.organiser).filter(pk=world.west_class.pk).exists()


@pytest.mark.django_db
def test_classes_and_sessions_are_for_staff_and_organisers(world):
    for role in ("officer", "learner_east", "anonymous"):
        user = world.users()[role] or AnonymousUser()
        assert not scope.classes(user).exists(), role
        assert not scope.sessions(user).exists(), role
    assert scope.sessions(world.staff).filter(pk=world.session.pk).exists()


@pytest.mark.django_db
def test_a_teacher_reads_the_notes_of_their_sessions(world):
    teacher = world.session.teacher
    teacher.user = world.officer
    teacher.save(update_fields=["user"])
    world.officer.refresh_from_db()
    notes = set(scope.notes(world.officer).values_list("pk", flat=True))
    assert notes == {world.east.objects["note"].pk, world.west.objects["note"].pk}


@pytest.mark.django_db
def test_trips_follow_their_participants(world):
    assert scope.trips(world.east.organiser).filter(pk=world.trip.pk).exists()
    outsider = type(world.staff).objects.create(username="nobody")
    assert not scope.trips(outsider).exists()


@pytest.mark.django_db
def test_the_scope_is_worked_out_once_per_user_object(world, django_assert_max_num_queries):
    user = world.east.organiser
    scope.scope_for(user)
    with django_assert_max_num_queries(0):
        assert scope.scope_for(user).township_id == world.east.township.pk

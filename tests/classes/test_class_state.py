"""The life of a class: each move needs what the regulations ask, and illegal moves are refused."""

import pytest
from django.core.exceptions import ValidationError

from lms.classes.class_state import class_advance
from lms.classes.models import TrainingClass, TrainingPlan

from .conftest import enrol, make_class

State = TrainingClass.State


def test_plan_must_exist_before_approval(county, staff_user):
    tc = make_class()
    with pytest.raises(ValidationError, match="Write the training plan"):
        class_advance(training_class=tc, to_state=State.PLAN_APPROVED, user=staff_user)
    tc.refresh_from_db()
    assert tc.state == State.DRAFT


def test_full_life_records_who_approved(county, staff_user):
    tc = make_class()
    TrainingPlan.objects.create(training_class=tc, aims="a", schedule="s", assessment="考试")
    class_advance(training_class=tc, to_state=State.PLAN_APPROVED, user=staff_user)
    plan = TrainingPlan.objects.get(training_class=tc)
    assert plan.approved_by == staff_user and plan.approved_at is not None
    class_advance(training_class=tc, to_state=State.ENROLLING, user=staff_user)
    with pytest.raises(ValidationError, match="Enrol at least one learner"):
        class_advance(training_class=tc, to_state=State.RUNNING, user=staff_user)
    enrol(tc, county["people"]["east"][:1])
    class_advance(training_class=tc, to_state=State.RUNNING, user=staff_user)
    class_advance(training_class=tc, to_state=State.CLOSED, user=staff_user)
    assert TrainingClass.objects.get(pk=tc.pk).state == State.CLOSED


@pytest.mark.parametrize("start,target", [
    (State.DRAFT, State.ENROLLING), (State.DRAFT, State.RUNNING), (State.PLAN_APPROVED, State.CLOSED),
    (State.CLOSED, State.RUNNING), (State.RUNNING, State.ENROLLING), (State.ENROLLING, State.DRAFT),
])
def test_illegal_transitions_refused(county, staff_user, start, target):
    tc = make_class(state=start)
    TrainingPlan.objects.create(training_class=tc, aims="a", schedule="s", assessment="x")
    with pytest.raises(ValidationError) as info:
        class_advance(training_class=tc, to_state=target, user=staff_user)
    assert "cannot" in " ".join(info.value.messages)
    assert TrainingClass.objects.get(pk=tc.pk).state == start


def test_incomplete_plan_names_what_is_missing(county, staff_user):
    tc = make_class()
    TrainingPlan.objects.create(training_class=tc, aims="a", schedule=" ", assessment="")
    with pytest.raises(ValidationError, match="schedule, assessment"):
        class_advance(training_class=tc, to_state=State.PLAN_APPROVED, user=staff_user)


def test_admin_action_approves_and_shows_refusal(client, county, staff_user):
    tc = make_class()
    client.force_login(staff_user)
    response = client.post(f"/admin/training/class/{tc.pk}/advance/", {"to": State.PLAN_APPROVED}, follow=True)
    assert "Write the training plan" in response.content.decode()
    TrainingPlan.objects.create(training_class=tc, aims="a", schedule="s", assessment="x")
    client.post(f"/admin/training/class/{tc.pk}/advance/", {"to": State.PLAN_APPROVED})
    assert TrainingClass.objects.get(pk=tc.pk).state == State.PLAN_APPROVED

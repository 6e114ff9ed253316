"""The life of a class: draft → plan approved → open for enrolment → running → closed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import TrainingClass, TrainingPlan

State = TrainingClass.State

# The one state each state may move to.
NEXT_STATE = {
    State.DRAFT: State.PLAN_APPROVED,
    State.PLAN_APPROVED: State.ENROLLING,
    State.ENROLLING: State.RUNNING,
    State.RUNNING: State.CLOSED,
}


def _locked(training_class: TrainingClass) -> TrainingClass:
    return TrainingClass.objects.select_for_update().get(pk=training_class.pk)


def _refuse_unless(tc: TrainingClass, to_state: str) -> None:
    if NEXT_STATE.get(tc.state) != to_state:
        raise ValidationError(
            _("A class that is “%(current)s” cannot become “%(target)s”.")
            % {"current": State(tc.state).label, "target": State(to_state).label}
        )


@transaction.atomic
def class_approve_plan(*, training_class: TrainingClass, user) -> TrainingClass:
    """Approve the class's training plan, recording who approved it and when."""
    tc = _locked(training_class)
    _refuse_unless(tc, State.PLAN_APPROVED)
    plan = TrainingPlan.objects.filter(training_class=tc).first()
    if plan is None:
        raise ValidationError(_("Write the training plan (aims, schedule, assessment) before approving it."))
    missing = [label for label, value in (
        (_("aims"), plan.aims), (_("schedule"), plan.schedule), (_("assessment"), plan.assessment)
    ) if not value.strip()]
    if missing:
        raise ValidationError(_("The training plan lacks: %(parts)s.") % {"parts": ", ".join(str(m) for m in missing)})
    plan.approved_by = user
    plan.approved_at = timezone.now()
    plan.save(update_fields=["approved_by", "approved_at"])
    tc.state = State.PLAN_APPROVED
    tc.save(update_fields=["state", "updated_at"])
    return tc


@transaction.atomic
def class_open_enrolment(*, training_class: TrainingClass, user=None) -> TrainingClass:
    """Open an approved class for enrolment."""
    tc = _locked(training_class)
    _refuse_unless(tc, State.ENROLLING)
    plan = TrainingPlan.objects.filter(training_class=tc).first()
    if plan is None or not plan.is_approved:
        raise ValidationError(_("The training plan must be approved before the class opens."))
    tc.state = State.ENROLLING
    tc.save(update_fields=["state", "updated_at"])
    return tc


@transaction.atomic
def class_start(*, training_class: TrainingClass, user=None) -> TrainingClass:
    """Start a class that has learners."""
    tc = _locked(training_class)
    _refuse_unless(tc, State.RUNNING)
    if not tc.enrolments.filter(status="enrolled").exists():
        raise ValidationError(_("Enrol at least one learner before the class starts."))
    tc.state = State.RUNNING
    tc.save(update_fields=["state", "updated_at"])
    return tc


@transaction.atomic
def class_close(*, training_class: TrainingClass, user=None) -> TrainingClass:
    """Close a running class."""
    tc = _locked(training_class)
    _refuse_unless(tc, State.CLOSED)
    tc.state = State.CLOSED
    tc.save(update_fields=["state", "updated_at"])
    return tc


ACTIONS = {
    State.PLAN_APPROVED: class_approve_plan,
    State.ENROLLING: class_open_enrolment,
    State.RUNNING: class_start,
    State.CLOSED: class_close,
}


def class_advance(*, training_class: TrainingClass, to_state: str, user) -> TrainingClass:
    """Move a class to `to_state`, refusing any move the rules do not allow."""
    action = ACTIONS.get(to_state)
    if action is None:
        raise ValidationError(_("A class cannot be moved back to draft."))
    return action(training_class=training_class, user=user)

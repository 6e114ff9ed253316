"""Enrolment: in bulk by township, village, post or Excel list; self-enrolment; waiting list; withdrawal."""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.api import bulk_create_audited, bulk_update_audited
from lms.core.text import bounded_text
from lms.notifications import api as notifications_api
from lms.people.models import Person

from .models import Enrolment, TrainingClass

Status = Enrolment.Status
STAFF_ENROL_STATES = (TrainingClass.State.PLAN_APPROVED, TrainingClass.State.ENROLLING, TrainingClass.State.RUNNING)


@dataclass
class EnrolResult:
    enrolled: list = field(default_factory=list)
    waitlisted: list = field(default_factory=list)
    already: list = field(default_factory=list)


def _locked(training_class: TrainingClass) -> TrainingClass:
    return TrainingClass.objects.select_for_update().get(pk=training_class.pk)


@transaction.atomic
def enrol_people(*, training_class: TrainingClass, people, by=None, source: str = Enrolment.Source.ASSIGNED,
                 check_state: bool = True) -> EnrolResult:
    """Enrol cadres up to the class's capacity; the rest join the waiting list in order."""
    tc = _locked(training_class)
    if check_state and tc.state not in STAFF_ENROL_STATES:
        raise ValidationError(
            _("Learners can be enrolled only once the plan is approved and until the class closes (now: %(state)s).")
            % {"state": TrainingClass.State(tc.state).label}
        )
    people = list(people)
    existing = {e.person_id: e for e in Enrolment.objects.filter(training_class=tc, person__in=people)}
    taken = Enrolment.objects.filter(training_class=tc, status=Status.ENROLLED).count()
    result, new_rows, revived = EnrolResult(), [], []
    now = timezone.now()
    for person in people:
        row = existing.get(person.pk)
        if row is not None and row.status != Status.WITHDRAWN:
            result.already.append(person)
            continue
        status = Status.ENROLLED if taken < tc.capacity else Status.WAITLISTED
        taken += status == Status.ENROLLED
        (result.enrolled if status == Status.ENROLLED else result.waitlisted).append(person)
        if row is None:
            new_rows.append(Enrolment(training_class=tc, person=person, status=status, source=source,
                                      enrolled_by=by))
        else:
            row.status, row.source, row.enrolled_by, row.enrolled_at = status, source, by, now
            revived.append(row)
    bulk_create_audited(Enrolment, new_rows)
    bulk_update_audited(Enrolment, revived, ["status", "source", "enrolled_by", "enrolled_at"])
    notifications_api.enrolments_accepted(training_class=tc, people=result.enrolled)
    return result


def people_matching(*, township=None, village=None, post=None):
    """Cadres in office selected by township, village and/or post (e.g. all secretaries of a township)."""
    qs = Person.objects.filter(is_active=True)
    if township is not None:
        qs = qs.filter(village__township=township)
    if village is not None:
        qs = qs.filter(village=village)
    if post is not None:
        qs = qs.filter(posts=post)
    return qs.distinct().order_by("village__township__sort_order", "village__name", "name")


def enrol_matching(*, training_class: TrainingClass, by, township=None, village=None, post=None) -> EnrolResult:
    """Enrol every cadre matching the given township, village and post."""
    if township is None and village is None and post is None:
        raise ValidationError(_("Choose a township, a village or a post."))
    return enrol_people(training_class=training_class, people=people_matching(
        township=township, village=village, post=post), by=by)


def phones_from_excel(*, data: bytes) -> list[str]:
    """The phone numbers of an enrolment list (first column, heading row first); every bad row is named."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(_("The file is not an Excel (.xlsx) workbook.")) from exc
    errors, phones, seen = [], [], {}
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        value = row[0] if row else None
        if value is None or str(value).strip() == "":
            if any(cell not in (None, "") for cell in (row or ())):
                errors.append(_("Row %(row)s: the phone number is missing.") % {"row": number})
            continue
        phone = str(int(value)) if isinstance(value, (int, float)) else str(value).strip()
        if not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
            errors.append(_("Row %(row)s: “%(phone)s” is not an 11-digit mobile number.")
                          % {"row": number, "phone": phone})
        elif phone in seen:
            errors.append(_("Row %(row)s: %(phone)s is already listed on row %(first)s.")
                          % {"row": number, "phone": phone, "first": seen[phone]})
        else:
            seen[phone] = number
            phones.append(phone)
    if not phones and not errors:
        errors.append(_("The list is empty: put one phone number per row under the heading row."))
    known = set(Person.objects.filter(phone__in=phones).values_list("phone", flat=True))
    errors += [_("Row %(row)s: no cadre has the phone number %(phone)s.") % {"row": seen[p], "phone": p}
               for p in phones if p not in known]
    if errors:
        raise ValidationError(errors)
    return phones


@transaction.atomic
def enrol_from_excel(*, training_class: TrainingClass, data: bytes, by) -> EnrolResult:
    """Enrol the cadres of an Excel list of phone numbers; any bad row refuses the whole file."""
    phones = phones_from_excel(data=data)
    by_phone = {p.phone: p for p in Person.objects.filter(phone__in=phones)}
    return enrol_people(training_class=training_class, people=[by_phone[p] for p in phones], by=by)


@transaction.atomic
def enrol_self(*, training_class: TrainingClass, person: Person) -> Enrolment:
    """A learner chooses an elective class from the catalogue; when full they join the waiting list."""
    tc = _locked(training_class)
    if not tc.is_elective:
        raise ValidationError(_("This class is not open for self-enrolment."))
    if tc.state != TrainingClass.State.ENROLLING:
        raise ValidationError(_("This class is not taking enrolments now."))
    enrol_people(training_class=tc, people=[person], source=Enrolment.Source.SELF, by=person.user,
                 check_state=False)
    return Enrolment.objects.get(training_class=tc, person=person)


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, reason: str = "", by=None) -> Enrolment | None:
    """Withdraw a learner, keeping the row; the first on the waiting list takes the freed place."""
    row = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _locked(row.training_class)
    if row.status == Status.WITHDRAWN:
        raise ValidationError(_("This learner has already withdrawn."))
    freed = row.status == Status.ENROLLED
    reason = bounded_text(reason, max_length=200)
    row.status, row.withdrawn_at, row.withdraw_reason = Status.WITHDRAWN, timezone.now(), reason
    row.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    if not freed:
        return None
    return waitlist_promote(training_class=row.training_class)


def waitlist_promote(*, training_class: TrainingClass) -> Enrolment | None:
    """Give a free place to the longest-waiting learner; returns who was promoted."""
    taken = Enrolment.objects.filter(training_class=training_class, status=Status.ENROLLED).count()
    if taken >= training_class.capacity:
        return None
    first = (Enrolment.objects.filter(training_class=training_class, status=Status.WAITLISTED)
             .order_by("enrolled_at", "pk").first())
    if first is not None:
        first.status = Status.ENROLLED
        first.save(update_fields=["status"])
        notifications_api.enrolments_accepted(training_class=training_class, people=[first.person],
                                              waitlist_promoted=True)
    return first

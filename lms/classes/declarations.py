"""学时 self-declaration: a learner declares outside study with evidence, staff approve, adjust or refuse it;
approved hours reach the training record by type, within each type's yearly cap."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from lms.core.numbers import parse_id

from .models import CreditDeclaration, CreditType
from .records import ELECTIVE, RecordEntry

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
_SIGNATURES = {b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png", b"%PDF-": "pdf"}


def evidence_check(upload) -> str:
    """The kind of an evidence file (jpeg, png or pdf) read from its content, or a clear refusal."""
    if upload is None:
        raise ValidationError(_("Attach a photo or a PDF as evidence."))
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("The evidence is larger than 10 MB: take a smaller photo or scan."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = next((name for signature, name in _SIGNATURES.items() if head.startswith(signature)), None)
    if kind is None:
        raise ValidationError(_("The evidence must be a photo (JPEG or PNG) or a PDF."))
    if kind in ("jpeg", "png"):
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(_("The photo cannot be opened: it may be damaged.")) from exc
        finally:
            upload.seek(0)
    return kind


def _decimal(value, message: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError(message) from exc
    if not number.is_finite():
        raise ValidationError(message)
    return number


def hours_counted(*, person, credit_type: CreditType, year: int, exclude_pk: int | None = None) -> Decimal:
    """Hours of a type already approved or waiting for the cadre in a year (what a cap is measured against)."""
    qs = CreditDeclaration.objects.filter(person=person, credit_type=credit_type, studied_on__year=year).exclude(
        state=CreditDeclaration.State.REFUSED)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    total = Decimal("0")
    for state, claimed, approved in qs.values_list("state", "hours_claimed", "hours_approved"):
        total += approved if state == CreditDeclaration.State.APPROVED and approved is not None else claimed
    return total


def _within_cap(*, person, credit_type: CreditType, year: int, hours: Decimal, exclude_pk=None) -> None:
    if credit_type.yearly_cap is None:
        return
    used = hours_counted(person=person, credit_type=credit_type, year=year, exclude_pk=exclude_pk)
    left = max(credit_type.yearly_cap - used, Decimal("0"))
    if hours > left:
        raise ValidationError(
            _("“%(type)s” counts at most %(cap)s credit hours a year; %(left)s are left, and this is %(hours)s.")
            % {"type": credit_type.name, "cap": credit_type.yearly_cap, "left": left, "hours": hours})


@transaction.atomic
def declaration_submit(*, person, credit_type_id, title: str, studied_on, units, evidence,
                       today: datetime.date | None = None) -> CreditDeclaration:
    """Declare outside study; every check passes or nothing is saved."""
    today = today or timezone.localdate()
    type_id = parse_id(str(credit_type_id))
    credit_type = CreditType.objects.filter(pk=type_id, declarable=True).first() if type_id else None
    if credit_type is None:
        raise ValidationError(_("Choose the type of study."))
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("Say what you studied."))
    if isinstance(studied_on, str):
        try:
            studied_on = datetime.date.fromisoformat(studied_on)
        except ValueError as exc:
            raise ValidationError(_("Enter the date as year-month-day.")) from exc
    if not isinstance(studied_on, datetime.date) or studied_on > today:
        raise ValidationError(_("The date cannot be in the future."))
    if studied_on.year < today.year - 1:
        raise ValidationError(_("Only study of this year or last year can be declared."))
    units = _decimal(units, _("Enter the amount as a number, for example 1 or 0.5."))
    if not Decimal("0.5") <= units <= Decimal("365"):
        raise ValidationError(_("The amount must be between 0.5 and 365."))
    units = units.quantize(Decimal("0.1"))
    evidence_check(evidence)
    hours = credit_type.hours_for(units)
    person_locked = type(person).objects.select_for_update().get(pk=person.pk)
    _within_cap(person=person_locked, credit_type=credit_type, year=studied_on.year, hours=hours)
    return CreditDeclaration.objects.create(
        person=person_locked, credit_type=credit_type, title=title[:120], studied_on=studied_on, units=units,
        hours_claimed=hours, evidence=evidence,
    )


@transaction.atomic
def declaration_decide(*, declaration: CreditDeclaration, approve: bool, by, hours=None,
                       reason: str = "") -> CreditDeclaration:
    """Approve (as claimed, or adjusted with a reason) or refuse (with a reason) a waiting declaration."""
    declaration = CreditDeclaration.objects.select_for_update().select_related("credit_type", "person").get(
        pk=declaration.pk)
    if declaration.state != CreditDeclaration.State.PENDING:
        raise ValidationError(_("This declaration has already been decided."))
    reason = (reason or "").strip()[:200]
    if not approve:
        if not reason:
            raise ValidationError(_("Give the learner a reason for refusing."))
        declaration.state, declaration.hours_approved = CreditDeclaration.State.REFUSED, None
    else:
        approved = declaration.hours_claimed if hours in (None, "") else _decimal(
            hours, _("Enter the approved hours as a number."))
        approved = approved.quantize(Decimal("0.1"))
        if not Decimal("0") < approved <= declaration.hours_claimed:
            raise ValidationError(_("The approved hours must be more than 0 and at most the %(claimed)s claimed.")
                                  % {"claimed": declaration.hours_claimed})
        if approved != declaration.hours_claimed and not reason:
            raise ValidationError(_("Give the learner a reason for adjusting the hours."))
        _within_cap(person=declaration.person, credit_type=declaration.credit_type,
                    year=declaration.studied_on.year, hours=approved, exclude_pk=declaration.pk)
        declaration.state, declaration.hours_approved = CreditDeclaration.State.APPROVED, approved
    declaration.decided_by, declaration.decided_at, declaration.decision_reason = by, timezone.now(), reason
    declaration.save(update_fields=["state", "hours_approved", "decided_by", "decided_at", "decision_reason"])
    return declaration


def entries(*, person, year: int | None) -> list:
    """The record entries of one cadre's approved declarations."""
    return entries_by_person(people=[person], year=year).get(person.pk, [])


def entries_by_person(*, people, year: int | None) -> dict[int, list]:
    """Approved declarations as record entries, each type held to its yearly cap; elective types apart."""
    ids = [p.pk for p in people]
    out: dict[int, list] = {pid: [] for pid in ids}
    qs = CreditDeclaration.objects.filter(person_id__in=ids, state=CreditDeclaration.State.APPROVED).select_related(
        "credit_type").order_by("studied_on", "pk")
    if year:
        qs = qs.filter(studied_on__year=year)
    used: dict[tuple, Decimal] = {}
    for d in qs:
        key = (d.person_id, d.credit_type_id, d.studied_on.year)
        hours = d.hours_approved or Decimal("0")
        cap = d.credit_type.yearly_cap
        detail = _("Declared: %(units)s %(unit)s") % {"units": d.units, "unit": d.credit_type.unit}
        if cap is not None:
            allowed = max(cap - used.get(key, Decimal("0")), Decimal("0"))
            if hours > allowed:
                hours = allowed
                detail += " · " + _("held to the yearly cap of %(cap)s") % {"cap": cap}
        used[key] = used.get(key, Decimal("0")) + hours
        out[d.person_id].append(RecordEntry(
            kind="declaration", title=f"{d.credit_type.name}：{d.title}", date=d.studied_on, credit_hours=hours,
            category=d.credit_type.category if d.credit_type.is_required else ELECTIVE, detail=detail))
    return out

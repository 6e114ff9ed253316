"""Builders shared by the budget and trips tests."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from lms.budget.ledger import fund_open
from lms.budget.services import claim_create, claim_submit, receipt_add
from lms.classes.models import Enrolment, TrainingClass

YEAR = 2026


def fund(*, amount="50000.00", code="field-study", name="考察学习专项经费", year=YEAR):
    return fund_open(code=code, name=name, year=year, amount=Decimal(amount))


def receipt_file(name="receipt.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 receipt", content_type="application/pdf")


def submitted_claim(*, person, user, amount="300.00", cost_type="travel", training_class=None, day=None):
    claim = claim_create(
        person=person, by=user, cost_type=cost_type, amount=Decimal(amount), description="往返车费",
        incurred_on=day or datetime.date(YEAR, 5, 10), training_class=training_class,
    )
    receipt_add(claim=claim, file=receipt_file(), by=user)
    return claim_submit(claim=claim, by=user)


def training_class(*, fee="200.00", name="村干部集中轮训班", mode="centralised", year=YEAR):
    return TrainingClass.objects.create(
        name=name, year=year, mode=mode, starts_on=datetime.date(year, 4, 1), ends_on=datetime.date(year, 4, 3),
        fee_per_learner=Decimal(fee), state=TrainingClass.State.RUNNING,
    )


def enrol(training_class, person, source="assigned"):
    return Enrolment.objects.create(training_class=training_class, person=person, source=source)

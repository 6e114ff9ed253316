from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from lms.budget.errors import BudgetRefused
from lms.budget.ledger import (
    account_balance,
    allowance_account_open,
    allowance_amount_for,
    allowance_policy_set,
    entry_post,
    entry_reverse,
)
from lms.budget.models import Account, ImmutableLedgerError, LedgerEntry
from lms.people.models import Post
from tests.budget.helpers import YEAR

pytestmark = pytest.mark.django_db


def test_a_secretary_gets_1000_yuan_a_year_and_others_nothing_by_default(county):
    secretary, director, reserve = county["people"]["east"][:3]
    assert allowance_amount_for(person=secretary, year=YEAR) == Decimal("1000.00")
    assert allowance_amount_for(person=director, year=YEAR) is None
    assert allowance_account_open(person=reserve, year=YEAR) is None
    account = allowance_account_open(person=secretary, year=YEAR)
    assert account_balance(account=account) == Decimal("1000.00")
    assert allowance_account_open(person=secretary, year=YEAR) == account  # opening twice grants once
    assert LedgerEntry.objects.filter(account=account).count() == 1


def test_policies_are_per_year_and_per_post(county, budget_user):
    secretary, director = county["people"]["east"][:2]
    allowance_policy_set(year=YEAR + 1, post=Post.objects.get(code="secretary"), amount=Decimal("1200"), by=budget_user)
    allowance_policy_set(year=YEAR, post=Post.objects.get(code="director"), amount=Decimal("500.5"), by=budget_user)
    assert allowance_amount_for(person=secretary, year=YEAR) == Decimal("1000.00")
    assert allowance_amount_for(person=secretary, year=YEAR + 1) == Decimal("1200.00")
    assert allowance_amount_for(person=director, year=YEAR) == Decimal("500.50")
    assert allowance_amount_for(person=director, year=YEAR + 1) is None


def test_one_person_in_both_posts_gets_the_larger_allowance_not_the_sum(county, budget_user):
    person = county["people"]["east"][0]
    person.posts.add(Post.objects.get(code="director"))
    allowance_policy_set(year=YEAR, post=Post.objects.get(code="director"), amount=Decimal("300"), by=budget_user)
    assert allowance_amount_for(person=person, year=YEAR) == Decimal("1000.00")


def test_changing_a_policy_tops_up_allowances_already_opened(county, budget_user):
    secretary = county["people"]["east"][0]
    account = allowance_account_open(person=secretary, year=YEAR)
    allowance_policy_set(year=YEAR, post=Post.objects.get(code="secretary"), amount=Decimal("1500"), by=budget_user)
    assert account_balance(account=account) == Decimal("1500.00")
    allowance_policy_set(year=YEAR, post=Post.objects.get(code="secretary"), amount=Decimal("1500"), by=budget_user)
    assert account_balance(account=account) == Decimal("1500.00")
    assert LedgerEntry.objects.filter(account=account).count() == 2


def test_entries_are_never_edited_or_deleted(county):
    account = allowance_account_open(person=county["people"]["east"][0], year=YEAR)
    entry = account.entries.get()
    entry.amount = Decimal("99999")
    with pytest.raises(ImmutableLedgerError):
        entry.save()
    with pytest.raises(ImmutableLedgerError):
        entry.delete()
    with pytest.raises(ImmutableLedgerError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(ImmutableLedgerError):
        LedgerEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.amount == Decimal("1000.00")


def test_the_database_itself_refuses_an_update(county):
    account = allowance_account_open(person=county["people"]["east"][0], year=YEAR)
    entry = account.entries.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {LedgerEntry._meta.db_table} SET amount = 1 WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.amount == Decimal("1000.00")


def test_a_reversal_cancels_an_entry_once_and_keeps_the_original(county, budget_user):
    account = allowance_account_open(person=county["people"]["east"][0], year=YEAR)
    charge = entry_post(account=account, kind=LedgerEntry.Kind.CHARGE, amount=Decimal("-120.00"),
                        memo="资料费", by=budget_user, cost_type="materials")
    assert account_balance(account=account) == Decimal("880.00")
    reversal = entry_reverse(entry=charge, by=budget_user, reason="重复收费")
    assert reversal.amount == Decimal("120.00") and reversal.reversal_of == charge
    assert account_balance(account=account) == Decimal("1000.00")
    with pytest.raises(BudgetRefused):
        entry_reverse(entry=charge, by=budget_user, reason="again")
    with pytest.raises(BudgetRefused):
        entry_reverse(entry=reversal, by=budget_user, reason="undo")
    assert LedgerEntry.objects.get(pk=charge.pk).amount == Decimal("-120.00")


def test_an_allowance_belongs_to_a_person_and_a_fund_has_a_code(county):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(kind=Account.Kind.ALLOWANCE, year=YEAR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(kind=Account.Kind.FUND, year=YEAR, code="")

"""Sign-in accounts for cadres: issue them for any selection, reset a password, deactivate a leaver.

An account's sign-in name is the cadre's mobile number; a new or reset password is a one-time password
that the learner must replace at the first sign-in. Staff hand the passwords out on a printed or Excel sheet.
"""

import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lms.accounts.roles import LEARNER, ROLE_NAMES, role_group

from .models import Person
from .roster_import import PASSWORD_ALPHABET, PASSWORD_LENGTH, NewAccount

logger = logging.getLogger(__name__)


class _OneTimePasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with fewer rounds: the password is replaced (and re-hashed) at the first sign-in anyway."""

    iterations = 10_000


@dataclass
class IssueResult:
    """What an issuance did: the new accounts with their passwords, and who was left out and why."""

    issued: list[NewAccount] = field(default_factory=list)
    already: int = 0
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (name, phone, reason)


def one_time_password() -> str:
    """Eight letters and digits without look-alikes (no 0/O, 1/l/I)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))


def _hash(password: str) -> str:
    if get_hasher("default").algorithm == _OneTimePasswordHasher.algorithm:
        return make_password(password, hasher=_OneTimePasswordHasher())
    return make_password(password)


def _hashes(passwords: list[str]) -> list[str]:
    # hashlib's PBKDF2 releases the GIL, so a few threads hash a township's accounts several times faster.
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(_hash, passwords))


def _usable_learner_users(phones: list[str]) -> tuple[dict[str, object], set[str]]:
    """Existing accounts named after these phones: plain learner accounts linked to nobody may be reused."""
    User = get_user_model()
    learner_name = ROLE_NAMES[LEARNER]
    free, taken = {}, set()
    for user in User.objects.filter(username__in=phones).prefetch_related("groups").select_related("person"):
        groups = {g.name for g in user.groups.all()}
        linked = getattr(user, "person", None) is not None
        if linked or user.is_superuser or user.is_staff or groups - {learner_name}:
            taken.add(user.username)
        else:
            free[user.username] = user
    return free, taken


@transaction.atomic
def accounts_issue(*, people: QuerySet[Person], by) -> IssueResult:
    """Give every selected cadre in office who has no account one, with a one-time password; all or nothing."""
    User = get_user_model()
    ids = list(people.filter(is_active=True).values_list("pk", flat=True))  # the selection may use DISTINCT
    selected = list(Person.objects.filter(pk__in=ids).select_for_update().order_by("pk"))
    result = IssueResult(already=sum(1 for p in selected if p.user_id is not None))
    wanting = [p for p in selected if p.user_id is None]
    free, taken = _usable_learner_users([p.phone for p in wanting])
    issuable = []
    for person in wanting:
        if person.phone in taken:
            result.skipped.append((person.name, person.phone,
                                   _("The mobile number is already the sign-in name of another account.")))
        else:
            issuable.append(person)
    passwords = [one_time_password() for _p in issuable]
    hashes = _hashes(passwords)
    new_users, reused = [], []
    for person, encoded in zip(issuable, hashes, strict=True):
        user = free.get(person.phone)
        if user is None:
            new_users.append(User(username=person.phone, password=encoded, must_change_password=True))
        else:
            user.password, user.must_change_password, user.is_active = encoded, True, True
            reused.append(user)
    User.objects.bulk_create(new_users)
    if reused:
        User.objects.bulk_update(reused, ["password", "must_change_password", "is_active"])
    users = {u.username: u for u in User.objects.filter(username__in=[p.phone for p in issuable])}
    role_group(LEARNER).user_set.add(*users.values())
    for person in issuable:
        person.user = users[person.phone]
    Person.objects.bulk_update(issuable, ["user"])
    result.issued = [NewAccount(name=p.name, phone=p.phone, password=pw)
                     for p, pw in zip(issuable, passwords, strict=True)]
    logger.info("User %s issued %d sign-in accounts (%d skipped)", getattr(by, "pk", None), len(result.issued),
                len(result.skipped))
    return result


@transaction.atomic
def account_password_reset(*, person: Person, by) -> NewAccount:
    """A new one-time password for a cadre's account (the learner must change it at the next sign-in)."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    user = person.user
    if user is None:
        raise ValidationError(_("This cadre has no sign-in account yet: issue one first."))
    if not user.is_active:
        raise ValidationError(_("This account is deactivated: reactivate it first."))
    password = one_time_password()
    user.password, user.must_change_password = _hash(password), True
    user.save(update_fields=["password", "must_change_password"])
    axes_reset(username=user.username)
    logger.info("User %s reset the password of account %s", getattr(by, "pk", None), user.pk)
    return NewAccount(name=person.name, phone=user.username, password=password)


@transaction.atomic
def account_deactivate(*, person: Person, by) -> None:
    """A leaver: the account can no longer sign in and the cadre is marked out of office; records stay."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if person.user is None and not person.is_active:
        raise ValidationError(_("This cadre is already out of office and has no account."))
    if person.user is not None:
        person.user.is_active = False
        person.user.save(update_fields=["is_active"])
    person.is_active = False
    person.save(update_fields=["is_active", "updated_at"])
    logger.info("User %s deactivated cadre %s", getattr(by, "pk", None), person.pk)


@transaction.atomic
def account_reactivate(*, person: Person, by) -> None:
    """Undo a deactivation made by mistake: the cadre is in office and may sign in again."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if person.user is not None and not person.user.is_active:
        person.user.is_active = True
        person.user.save(update_fields=["is_active"])
    if not person.is_active:
        person.is_active = True
        person.save(update_fields=["is_active", "updated_at"])
    logger.info("User %s reactivated cadre %s", getattr(by, "pk", None), person.pk)

"""Import a roster of cadres from an Excel workbook: read, validate every row, then apply atomically.

Reading and row parsing are pure (no database writes) so they can be tested on their own; applying
happens only when every row of the file is valid, inside one transaction.

Matching rule: the mobile number is the stable key. A row whose phone belongs to an existing cadre
updates that cadre (name, village, posts, ...), and a row identical to the stored record changes
nothing. When BOTH the name and the village of the row differ from the cadre who holds that phone,
the row is refused: that is far more likely a mistyped phone number than one person being renamed
and moved at once, and applying it would overwrite somebody else's record.

Each newly created cadre gets a learner account whose sign-in name is the phone, with a random
initial password that must be changed at the first sign-in. Existing accounts are never touched.
"""

import datetime
import logging
import re
import secrets
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from lms.accounts.roles import LEARNER, ROLE_NAMES, role_group
from lms.audit.api import bulk_create_audited, m2m_add_audited

from .models import Person, Post, Township, Village

logger = logging.getLogger(__name__)

# The column headings of the roster sheet, fixed in Chinese by the county's forms.
COL_NAME = "姓名"
COL_GENDER = "性别"
COL_ETHNICITY = "民族"
COL_BIRTH_YEAR = "出生年份"
COL_EDUCATION = "文化程度"
COL_PHONE = "手机号"
COL_TOWNSHIP = "乡镇"
COL_VILLAGE = "村(社区)"
COL_POSTS = "职务"
COL_PARTY_DATE = "入党时间"
COLUMNS = (
    COL_NAME, COL_GENDER, COL_ETHNICITY, COL_BIRTH_YEAR, COL_EDUCATION,
    COL_PHONE, COL_TOWNSHIP, COL_VILLAGE, COL_POSTS, COL_PARTY_DATE,
)

GENDER_LABELS = {"男": Person.Gender.MALE, "女": Person.Gender.FEMALE}
# The labels the template offers first, then accepted variants of the same levels.
EDUCATION_CHOICES = ("小学", "初中", "高中/中专", "大专", "本科", "研究生")
EDUCATION_LABELS = {
    "小学": Person.Education.PRIMARY,
    "初中": Person.Education.JUNIOR,
    "高中/中专": Person.Education.SENIOR,
    "高中": Person.Education.SENIOR,
    "中专": Person.Education.SENIOR,
    "大专": Person.Education.COLLEGE,
    "本科": Person.Education.BACHELOR,
    "研究生": Person.Education.POSTGRADUATE,
}
DEFAULT_ETHNICITY = "汉族"
POST_SEPARATORS = re.compile(r"[、,，;；/\s]+")
# Rows whose name starts with this marker are the template's example and are skipped.
EXAMPLE_MARKERS = ("（示例）", "(示例)")

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DATA_ROWS = 5000
MIN_BIRTH_YEAR = 1920
MAX_BIRTH_YEAR = 2015
MIN_PARTY_AGE = 18
PHONE_RE = re.compile(r"^1\d{10}$")
DATE_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Letters and digits nobody confuses when reading them off paper (no 0/O, 1/l/I).
PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 8


class _InitialPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with fewer rounds for one-time initial passwords.

    Hashing thousands of passwords at the full work factor would take many minutes in one request.
    Django re-hashes at the configured strength at the first successful sign-in (same algorithm,
    fewer iterations), and the learner must replace the password right then anyway.
    """

    iterations = 10_000


@dataclass(frozen=True)
class RowError:
    """One reason a row (or the whole file, when row is None) was refused."""

    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class RosterRow:
    """A valid roster row, resolved to ids."""

    row: int
    name: str
    gender: str
    ethnicity: str
    birth_year: int
    education: str
    phone: str
    village_id: int
    post_ids: frozenset[int]
    party_joined_on: datetime.date | None


@dataclass(frozen=True)
class NewAccount:
    """A learner account created by the import, with its one-time initial password."""

    name: str
    phone: str
    password: str = field(repr=False)


@dataclass
class RosterImportResult:
    """What an import did, or why it did nothing."""

    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_accounts: list[NewAccount] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class RosterLookups:
    """Names the rows refer to: townships, villages by (township, name), and posts."""

    township_names: frozenset[str]
    villages: dict[tuple[str, str], int]
    posts: dict[str, int]


@dataclass(frozen=True)
class ExistingPerson:
    """What the conflict check needs to know about a cadre already holding a phone."""

    name: str
    village_id: int


class RosterFileError(Exception):
    """The file as a whole cannot be read as a roster."""

    def __init__(self, message: str, *, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.error = RowError(row=row, column=column, message=message)


# --- reading -------------------------------------------------------------------------------------


def roster_rows_read(*, file: IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    """Read the first sheet into (Excel row number, {heading: value}) pairs, skipping blank rows."""
    _check_size(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds (zip, xml, key, value errors)
        raise RosterFileError(
            _(
                "The file is not an Excel workbook (.xlsx); an old .xls file must first be saved as .xlsx. "
                "Download the template, fill it in and upload it again."
            )
        )
    try:
        return _sheet_rows(workbook.worksheets[0]) if workbook.worksheets else []
    except RosterFileError:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet part surfaces only while iterating
        raise RosterFileError(_("The Excel file is damaged and cannot be read."))
    finally:
        workbook.close()


def _check_size(file: IO[bytes]) -> None:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    file.seek(0)
    if size > MAX_FILE_BYTES:
        raise RosterFileError(
            _("The file is larger than %(limit)d MB. Split the roster into several files.")
            % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )


def _sheet_rows(sheet) -> list[tuple[int, dict[str, Any]]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return []
    positions = _header_positions(header)
    result = []
    for number, values in enumerate(rows, start=2):
        if all(_text(v) == "" for v in values):
            continue
        record = {col: (values[i] if i < len(values) else None) for col, i in positions.items()}
        if _text(record[COL_NAME]).startswith(EXAMPLE_MARKERS):
            continue
        result.append((number, record))
        if len(result) > MAX_DATA_ROWS:
            raise RosterFileError(
                _("The sheet has more than %(limit)d rows of data. Split the roster into several files.")
                % {"limit": MAX_DATA_ROWS}
            )
    return result


def _normalise_heading(value: Any) -> str:
    # Full-width parentheses are what a Chinese input method types by default.
    return _text(value).replace("（", "(").replace("）", ")").replace(" ", "")


def _header_positions(header: Sequence[Any]) -> dict[str, int]:
    found = {}
    for index, value in enumerate(header):
        heading = _normalise_heading(value)
        if heading in COLUMNS and heading not in found:
            found[heading] = index
    missing = [col for col in COLUMNS if col not in found]
    if missing:
        raise RosterFileError(
            _(
                "The first row must hold the template's column headings. Missing: %(missing)s. "
                "Download the template and copy the data into it."
            )
            % {"missing": "、".join(missing)},
            row=1,
        )
    return found


# --- parsing one row (pure) ----------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell value as trimmed text; whole floats lose their '.0' (Excel stores numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def roster_row_parse(
    *, row: int, values: dict[str, Any], lookups: RosterLookups
) -> tuple[RosterRow | None, list[RowError]]:
    """Validate one row against the lookups; return the resolved row or every reason it is bad."""
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(row=row, column=column, message=message))

    name = _text(values.get(COL_NAME))
    if not name:
        fail(COL_NAME, _("Row %(row)d: the name is missing.") % {"row": row})
    elif len(name) > 40:
        fail(COL_NAME, _("Row %(row)d: the name is longer than 40 characters.") % {"row": row})

    gender = GENDER_LABELS.get(_text(values.get(COL_GENDER)))
    if gender is None:
        fail(
            COL_GENDER,
            _("Row %(row)d: the gender “%(value)s” is not one of %(allowed)s.")
            % {"row": row, "value": _text(values.get(COL_GENDER)), "allowed": "、".join(GENDER_LABELS)},
        )

    ethnicity = _text(values.get(COL_ETHNICITY)) or DEFAULT_ETHNICITY
    if len(ethnicity) > 20:
        fail(COL_ETHNICITY, _("Row %(row)d: the ethnicity is longer than 20 characters.") % {"row": row})

    birth_year = _parse_birth_year(values.get(COL_BIRTH_YEAR))
    if birth_year is None:
        fail(
            COL_BIRTH_YEAR,
            _("Row %(row)d: the year of birth “%(value)s” is not a four-digit year between %(min)d and %(max)d.")
            % {"row": row, "value": _text(values.get(COL_BIRTH_YEAR)), "min": MIN_BIRTH_YEAR, "max": MAX_BIRTH_YEAR},
        )

    education = EDUCATION_LABELS.get(_text(values.get(COL_EDUCATION)))
    if education is None:
        fail(
            COL_EDUCATION,
            _("Row %(row)d: the education “%(value)s” is not one of %(allowed)s.")
            % {"row": row, "value": _text(values.get(COL_EDUCATION)), "allowed": "、".join(EDUCATION_CHOICES)},
        )

    phone = _phone(values.get(COL_PHONE))
    if not phone:
        fail(COL_PHONE, _("Row %(row)d: the mobile number is missing.") % {"row": row})
    elif not PHONE_RE.match(phone):
        fail(
            COL_PHONE,
            _("Row %(row)d: the mobile number “%(value)s” is not 11 digits starting with 1.")
            % {"row": row, "value": phone},
        )

    village_id = _resolve_village(row, values, lookups, fail)
    post_ids = _resolve_posts(row, values, lookups, fail)
    party_joined_on = _parse_party_date(row, values.get(COL_PARTY_DATE), birth_year, fail)

    if errors:
        return None, errors
    return (
        RosterRow(
            row=row, name=name, gender=gender, ethnicity=ethnicity, birth_year=birth_year, education=education,
            phone=phone, village_id=village_id, post_ids=post_ids, party_joined_on=party_joined_on,
        ),
        [],
    )


def _phone(value: Any) -> str:
    # Spaces and hyphens are how people group digits when typing a number.
    return re.sub(r"[\s-]", "", _text(value))


def _parse_birth_year(value: Any) -> int | None:
    text = _text(value).removesuffix("年")
    if isinstance(value, datetime.date):
        return None
    if not re.fullmatch(r"\d{4}", text):
        return None
    year = int(text)
    return year if MIN_BIRTH_YEAR <= year <= MAX_BIRTH_YEAR else None


def _resolve_village(row, values, lookups: RosterLookups, fail) -> int | None:
    township = _text(values.get(COL_TOWNSHIP))
    village = _text(values.get(COL_VILLAGE))
    if not township:
        fail(COL_TOWNSHIP, _("Row %(row)d: the township is missing.") % {"row": row})
    elif township not in lookups.township_names:
        fail(
            COL_TOWNSHIP,
            _("Row %(row)d: the township “%(township)s” does not exist.") % {"row": row, "township": township},
        )
    if not village:
        fail(COL_VILLAGE, _("Row %(row)d: the village or community is missing.") % {"row": row})
        return None
    if township and township in lookups.township_names:
        village_id = lookups.villages.get((township, village))
        if village_id is None:
            fail(
                COL_VILLAGE,
                _("Row %(row)d: the village “%(village)s” does not exist in %(township)s.")
                % {"row": row, "village": village, "township": township},
            )
        return village_id
    return None


def _resolve_posts(row, values, lookups: RosterLookups, fail) -> frozenset[int]:
    names = [n for n in POST_SEPARATORS.split(_text(values.get(COL_POSTS))) if n]
    unknown = [n for n in names if n not in lookups.posts]
    for post in dict.fromkeys(unknown):
        fail(
            COL_POSTS,
            _("Row %(row)d: the post “%(post)s” does not exist. Allowed posts: %(allowed)s.")
            % {"row": row, "post": post, "allowed": "、".join(lookups.posts)},
        )
    return frozenset(lookups.posts[n] for n in names if n in lookups.posts)


def _parse_party_date(row, value: Any, birth_year: int | None, fail) -> datetime.date | None:
    if value is None or _text(value) == "":
        return None
    date = None
    if isinstance(value, datetime.datetime):
        date = value.date()
    elif isinstance(value, datetime.date):
        date = value
    else:
        match = DATE_RE.match(_text(value))
        if match:
            try:
                date = datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                date = None
    if date is None:
        fail(
            COL_PARTY_DATE,
            _("Row %(row)d: the Party membership date “%(value)s” is not a date in the form YYYY-MM-DD.")
            % {"row": row, "value": _text(value)},
        )
        return None
    if date > timezone.localdate():
        fail(COL_PARTY_DATE, _("Row %(row)d: the Party membership date is in the future.") % {"row": row})
    elif birth_year is not None and date.year < birth_year + MIN_PARTY_AGE:
        fail(
            COL_PARTY_DATE,
            _("Row %(row)d: the Party membership date is before the cadre turned %(age)d.")
            % {"row": row, "age": MIN_PARTY_AGE},
        )
    return date


# --- checks across rows and against the database (pure given their inputs) ------------------------


def roster_duplicates_check(*, phones: Iterable[tuple[int, str]]) -> list[RowError]:
    """Refuse every row whose well-formed phone already appeared in an earlier row of the file."""
    first_row: dict[str, int] = {}
    errors = []
    for row, phone in phones:
        if not PHONE_RE.match(phone):
            continue
        if phone in first_row:
            errors.append(
                RowError(
                    row=row, column=COL_PHONE,
                    message=_("Row %(row)d: the mobile number %(phone)s also appears in row %(first)d.")
                    % {"row": row, "phone": phone, "first": first_row[phone]},
                )
            )
        else:
            first_row[phone] = row
    return errors


def roster_conflicts_check(
    *, rows: Iterable[RosterRow], existing: dict[str, ExistingPerson], taken_usernames: frozenset[str]
) -> list[RowError]:
    """Refuse rows whose phone seems to belong to someone else (see the module docstring)."""
    errors = []
    for item in rows:
        holder = existing.get(item.phone)
        if holder is not None and holder.name != item.name and holder.village_id != item.village_id:
            errors.append(
                RowError(
                    row=item.row, column=COL_PHONE,
                    message=_(
                        "Row %(row)d: the mobile number %(phone)s already belongs to %(holder)s of another "
                        "village. Check the number; to correct that cadre, edit them in the admin."
                    )
                    % {"row": item.row, "phone": item.phone, "holder": holder.name},
                )
            )
        elif holder is None and item.phone in taken_usernames:
            errors.append(
                RowError(
                    row=item.row, column=COL_PHONE,
                    message=_(
                        "Row %(row)d: the mobile number %(phone)s is already the sign-in name of another account."
                    )
                    % {"row": item.row, "phone": item.phone},
                )
            )
    return errors


# --- database --------------------------------------------------------------------------------------


def roster_lookups_load() -> RosterLookups:
    """Load the townships, villages and posts rows may refer to."""
    villages = {}
    township_names = set()
    for village_id, township, name in Village.objects.values_list("id", "township__name", "name"):
        villages[(township, name)] = village_id
        township_names.add(township)
    township_names.update(Township.objects.values_list("name", flat=True))
    posts = dict(Post.objects.order_by("sort_order", "name").values_list("name", "id"))
    return RosterLookups(township_names=frozenset(township_names), villages=villages, posts=posts)


def roster_parse(*, file: IO[bytes], lookups: RosterLookups) -> tuple[list[RosterRow], list[RowError]]:
    """Read and validate a whole file; a file-level problem yields one error with no rows."""
    try:
        raw_rows = roster_rows_read(file=file)
    except RosterFileError as exc:
        return [], [exc.error]
    if not raw_rows:
        return [], [RowError(row=None, column="", message=_("The sheet has no data rows: fill in at least one cadre."))]
    rows, errors = [], []
    for number, values in raw_rows:
        parsed, row_errors = roster_row_parse(row=number, values=values, lookups=lookups)
        errors += row_errors
        if parsed is not None:
            rows.append(parsed)
    errors += roster_duplicates_check(phones=[(n, _phone(values.get(COL_PHONE))) for n, values in raw_rows])
    return rows, errors


def _existing_people(phones: Iterable[str]) -> dict[str, Person]:
    return {p.phone: p for p in Person.objects.filter(phone__in=list(phones)).prefetch_related("posts")}


def _free_learner_users(phones: Iterable[str]) -> tuple[dict[str, Any], frozenset[str]]:
    """Accounts named by a phone: those a new cadre may take over, and those that are off-limits."""
    User = get_user_model()
    learner_name = ROLE_NAMES[LEARNER]
    free, taken = {}, set()
    users = User.objects.filter(username__in=list(phones)).prefetch_related("groups").select_related("person")
    for user in users:
        groups = {g.name for g in user.groups.all()}
        has_person = getattr(user, "person", None) is not None
        if has_person or user.is_superuser or user.is_staff or groups - {learner_name}:
            taken.add(user.username)
        else:
            free[user.username] = user
    return free, frozenset(taken)


_FIELDS = ("name", "gender", "ethnicity", "birth_year", "education", "village_id", "party_joined_on")


def roster_import(*, file: IO[bytes], imported_by) -> RosterImportResult:
    """Validate a roster file and, only if every row is valid, create or update its cadres."""
    rows, errors = roster_parse(file=file, lookups=roster_lookups_load())
    if errors:
        return RosterImportResult(errors=_sorted(errors))
    return _roster_apply_logged(rows=rows, imported_by=imported_by)


def roster_records_import(*, records: Sequence[dict[str, Any]], imported_by) -> RosterImportResult:
    """Import rows given as {column heading: value} (another roster system through the API): same checks as a file."""
    lookups = roster_lookups_load()
    rows, errors = [], []
    for number, values in enumerate(records, start=1):
        parsed, row_errors = roster_row_parse(row=number, values=values, lookups=lookups)
        errors += row_errors
        if parsed is not None:
            rows.append(parsed)
    errors += roster_duplicates_check(phones=[(n, _phone(v.get(COL_PHONE))) for n, v in enumerate(records, start=1)])
    if errors:
        return RosterImportResult(errors=_sorted(errors))
    return _roster_apply_logged(rows=rows, imported_by=imported_by)


def _roster_apply_logged(*, rows: list[RosterRow], imported_by) -> RosterImportResult:
    try:
        result = _roster_apply(rows=rows)
    except IntegrityError:
        # Another import or an edit created the same phone between our checks and our writes.
        logger.warning("Roster import by user %s hit a conflicting write", getattr(imported_by, "pk", None))
        return RosterImportResult(
            errors=[
                RowError(
                    row=None, column="",
                    message=_(
                        "The cadres changed while the file was being imported. Nothing was saved; upload it again."
                    ),
                )
            ]
        )
    if not result.ok:
        return result
    logger.info(
        "Roster imported by user %s: %d created, %d updated, %d unchanged",
        getattr(imported_by, "pk", None), result.created, result.updated, result.unchanged,
    )
    return result


@transaction.atomic
def _roster_apply(*, rows: list[RosterRow]) -> RosterImportResult:
    """Check the rows against stored cadres and accounts, then write them, all in one transaction."""
    phones = [r.phone for r in rows]
    existing = _existing_people(phones)
    free_users, taken = _free_learner_users(phones)
    conflicts = roster_conflicts_check(
        rows=rows,
        existing={p: ExistingPerson(name=x.name, village_id=x.village_id) for p, x in existing.items()},
        taken_usernames=taken,
    )
    if conflicts:
        return RosterImportResult(errors=_sorted(conflicts))
    result = RosterImportResult()
    new_rows = []
    for item in rows:
        person = existing.get(item.phone)
        if person is None:
            new_rows.append(item)
        elif _person_update(person=person, row=item):
            result.updated += 1
        else:
            result.unchanged += 1
    result.new_accounts = _people_create(rows=new_rows, free_users=free_users)
    result.created = len(new_rows)
    return result


def _sorted(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: (e.row or 0, COLUMNS.index(e.column) if e.column in COLUMNS else -1))


def _person_update(*, person: Person, row: RosterRow) -> bool:
    """Bring a cadre in line with a row; write nothing when they already match."""
    changed = [name for name in _FIELDS if getattr(person, name) != getattr(row, name)]
    for name in changed:
        setattr(person, name, getattr(row, name))
    posts_changed = {p.pk for p in person.posts.all()} != set(row.post_ids)
    if changed or posts_changed:
        person.save(update_fields=[*changed, "updated_at"])
    if posts_changed:
        person.posts.set(row.post_ids)
    return bool(changed or posts_changed)


def _initial_password_hash(password: str) -> str:
    """Hash with the configured algorithm; PBKDF2 gets the lighter one-time work factor."""
    if get_hasher("default").algorithm == _InitialPasswordHasher.algorithm:
        return make_password(password, hasher=_InitialPasswordHasher())
    return make_password(password)


def _new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))


def _people_create(*, rows: list[RosterRow], free_users: dict[str, Any]) -> list[NewAccount]:
    """Create cadres with learner accounts, in bulk; return the accounts that got a new password."""
    if not rows:
        return []
    User = get_user_model()
    accounts = [
        NewAccount(name=item.name, phone=item.phone, password=_new_password())
        for item in rows
        if item.phone not in free_users
    ]
    # hashlib's PBKDF2 releases the GIL, so threads hash a large roster several times faster.
    with ThreadPoolExecutor(max_workers=4) as pool:
        hashes = list(pool.map(_initial_password_hash, [a.password for a in accounts]))
    new_users = [
        User(username=account.phone, must_change_password=True, password=encoded)
        for account, encoded in zip(accounts, hashes, strict=True)
    ]
    bulk_create_audited(User, new_users)
    users = {u.username: u for u in User.objects.filter(username__in=[r.phone for r in rows])}
    learners = role_group(LEARNER)
    m2m_add_audited(manager=learners.user_set, objs=list(users.values()), field="groups", added=[learners])

    people = bulk_create_audited(
        Person,
        [
            Person(
                name=r.name, gender=r.gender, ethnicity=r.ethnicity, birth_year=r.birth_year,
                education=r.education, phone=r.phone, village_id=r.village_id,
                party_joined_on=r.party_joined_on, user=users[r.phone],
            )
            for r in rows
        ]
    )
    if any(p.pk is None for p in people):
        people = list(Person.objects.filter(phone__in=[r.phone for r in rows]))
    by_phone = {p.phone: p for p in people}
    Through = Person.posts.through
    Through.objects.bulk_create(
        [Through(person_id=by_phone[r.phone].pk, post_id=post_id) for r in rows for post_id in r.post_ids]
    )
    return accounts

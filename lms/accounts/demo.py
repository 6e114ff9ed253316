"""Demo data: one sign-in per role, with fixed passwords printed as a table.

Accounts are matched on username; a password is only set again when it no longer matches,
so running the step twice changes nothing.
"""

from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password

from lms.people import posts as post_codes
from lms.people.models import Person, Township

from .models import User
from .roles import BUDGET_OFFICER, DEPUTY_HEAD, LEARNER, ORGANISER, ROLE_NAMES, STAFF, ensure_roles, role_group

PASSWORD = "Dangxiao@2026"


@dataclass
class DemoAccount:
    label: str
    username: str
    roles: list[str] = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    person: Person | None = None
    note: str = ""


def _first_holder(code: str, *, without: str | None = None) -> Person | None:
    """The first demo cadre (by township and village) holding a post, optionally lacking another."""
    qs = Person.objects.filter(posts__code=code)
    if without:
        qs = qs.exclude(posts__code=without)
    return qs.select_related("village").order_by("village__township__sort_order", "village__name", "phone").first()


def demo_accounts() -> list[DemoAccount]:
    """The demo accounts to create, one per role plus a superuser and a forced-change learner."""
    township = Township.objects.order_by("sort_order", "name").first()
    secretary = _first_holder(post_codes.SECRETARY)
    director = _first_holder(post_codes.DIRECTOR, without=post_codes.SECRETARY)
    accounts = [
        DemoAccount("超级管理员", "admin", [], {"is_staff": True, "is_superuser": True, "first_name": "管理员"},
                    note="Wagtail 管理后台 /admin/"),
        DemoAccount(ROLE_NAMES[STAFF], "jiaowu", [STAFF], {"is_staff": True, "first_name": "党校教务"},
                    note="/admin/ 课程、人员"),
        DemoAccount("班主任", "banzhuren", [STAFF], {"is_staff": True, "first_name": "班主任"},
                    note="/admin/ 请假审批（半天以内）"),
        DemoAccount(ROLE_NAMES[DEPUTY_HEAD], "fuxiaozhang", [STAFF, DEPUTY_HEAD],
                    {"is_staff": True, "first_name": "分管校长"}, note="/admin/ 请假审批（一天以上）"),
        DemoAccount(ROLE_NAMES[BUDGET_OFFICER], "caiwu", [BUDGET_OFFICER], {"first_name": "财务审核"},
                    note="/admin/ 经费审核"),
    ]
    if township is not None:
        accounts.append(DemoAccount(
            ROLE_NAMES[ORGANISER], "xiangzhen", [ORGANISER], {"township": township, "first_name": "乡镇管理员"},
            note=f"只读，仅{township.name}",
        ))
    if secretary is not None:
        accounts.append(DemoAccount(
            ROLE_NAMES[LEARNER], secretary.phone, [LEARNER], {"must_change_password": False}, person=secretary,
            note=f"{secretary.name}，{secretary.village.name}党支部书记",
        ))
    if director is not None:
        accounts.append(DemoAccount(
            ROLE_NAMES[LEARNER], director.phone, [LEARNER], {"must_change_password": True}, person=director,
            note=f"{director.name}，{director.village.name}村委会主任，首次登录须修改密码",
        ))
    return accounts


def _ensure_account(account: DemoAccount) -> User:
    user = User.objects.filter(username=account.username).first()
    wanted = {"is_active": True, "must_change_password": False, **account.fields}
    if user is None:
        user = User(username=account.username, **wanted)
        validate_password(PASSWORD, user)
        user.set_password(PASSWORD)
        user.save()
    else:
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, wanted[name])
        if not user.check_password(PASSWORD):
            user.set_password(PASSWORD)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
    groups = [role_group(code) for code in account.roles]
    if set(user.groups.all()) != set(groups):
        user.groups.set(groups)
    if account.person is not None and account.person.user_id != user.pk:
        account.person.user = user
        account.person.save(update_fields=["user", "updated_at"])
    return user


def build(*, stdout) -> None:
    """Create the demo accounts and print how to sign in."""
    ensure_roles()
    accounts = demo_accounts()
    for account in accounts:
        _ensure_account(account)
    rows = [("角色", "登录名", "密码", "说明")] + [(a.label, a.username, PASSWORD, a.note) for a in accounts]
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    stdout.write("demo accounts (sign in at /accounts/login/):")
    for row in rows:
        cells = [row[i] + " " * (widths[i] - _width(row[i])) for i in range(3)]
        stdout.write("  " + "  ".join(cells) + "  " + row[3])


def _width(text: str) -> int:
    """Display width: a CJK character takes two columns in a terminal."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

"""The four roles as Django groups, with their permissions, created idempotently."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _

STAFF = "party_school_staff"
LEARNER = "learner"
BUDGET_OFFICER = "budget_officer"
ORGANISER = "township_organiser"
DEPUTY_HEAD = "deputy_head"

ROLE_NAMES = {
    STAFF: "党校教务",
    LEARNER: "学员",
    BUDGET_OFFICER: "财务审核",
    ORGANISER: "乡镇管理员",
    DEPUTY_HEAD: "分管校长",
}
ROLE_LABELS = {
    STAFF: _("Party school staff"),
    LEARNER: _("Learner"),
    BUDGET_OFFICER: _("Budget officer"),
    ORGANISER: _("Township organiser"),
    DEPUTY_HEAD: _("Deputy head of the school"),
}

# App labels whose every model permission the Party school staff hold. Later
# apps (classes, quizzes, videos, certificates) add their labels here.
STAFF_APPS = [
    "people",
    "courses",
    "wagtailimages",
    "wagtaildocs",
    "classes",
    "attendance",
    "quizzes",
    "videos",
    "certificates",
    "evaluations",
    "records",
    "trips",
    "notifications",
]
BUDGET_APPS = ["budget", "trips"]
PEOPLE_VIEW_MODELS = [
    ("people", "township"),
    ("people", "village"),
    ("people", "station"),
    ("people", "person"),
]
# Organisers read their township's classes too (the admin views scope them to it).
ORGANISER_VIEW_MODELS = PEOPLE_VIEW_MODELS + [
    ("classes", "trainingclass"),
    ("classes", "session"),
    ("classes", "enrolment"),
    ("classes", "attendance"),
]
BUDGET_VIEW_MODELS = PEOPLE_VIEW_MODELS


def role_group(code: str) -> Group:
    """Return the group of a role code, creating it when missing."""
    group, _created = Group.objects.get_or_create(name=ROLE_NAMES[code])
    return group


def _perm(codename: str, app_label: str) -> Permission | None:
    return Permission.objects.filter(codename=codename, content_type__app_label=app_label).first()


@transaction.atomic
def ensure_roles() -> dict[str, Group]:
    """Create or update the role groups and their permissions."""
    groups = {code: role_group(code) for code in ROLE_NAMES}
    admin_access = _perm("access_admin", "wagtailadmin")

    staff_perms = list(Permission.objects.filter(content_type__app_label__in=STAFF_APPS))
    staff_perms += [p for p in [admin_access] if p]
    groups[STAFF].permissions.set(staff_perms)

    def view_perms(models):
        return [p for app, model in models if (p := _perm(f"view_{model}", app))]

    organiser_perms = view_perms(ORGANISER_VIEW_MODELS) + [p for p in [admin_access] if p]
    groups[ORGANISER].permissions.set(organiser_perms)

    budget_perms = list(Permission.objects.filter(content_type__app_label__in=BUDGET_APPS))
    budget_perms += view_perms(BUDGET_VIEW_MODELS) + [p for p in [admin_access] if p]
    groups[BUDGET_OFFICER].permissions.set(budget_perms)
    # The deputy head approves long leave; they read every class like staff but change nothing else.
    groups[DEPUTY_HEAD].permissions.set(view_perms(ORGANISER_VIEW_MODELS) + [p for p in [admin_access] if p])

    groups[LEARNER].permissions.clear()
    _grant_staff_page_and_collection_rights(groups[STAFF])
    return groups


def _grant_staff_page_and_collection_rights(group: Group) -> None:
    """Staff may add, edit and publish any page, and use any image or document."""
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    root_page = Page.get_first_root_node()
    if root_page is not None:
        for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
            perm = _perm(codename, "wagtailcore")
            if perm:
                GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=perm)
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for app, codenames in (
            ("wagtailimages", ("add_image", "change_image", "choose_image")),
            ("wagtaildocs", ("add_document", "change_document", "choose_document")),
        ):
            for codename in codenames:
                perm = _perm(codename, app)
                if perm:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=perm
                    )


def ensure_roles_after_migrate(sender, **kwargs) -> None:
    """post_migrate hook: keep role groups in step with the installed apps."""
    ensure_roles()


def user_has_role(user, code: str) -> bool:
    """Whether the user is in the role's group (superusers hold every role)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return ROLE_NAMES[code] in names


def is_learner_only(user) -> bool:
    """A learner who holds no other role."""
    if not user.is_authenticated or user.is_superuser:
        return False
    return user_has_role(user, LEARNER) and not any(
        user_has_role(user, code) for code in (STAFF, BUDGET_OFFICER, ORGANISER, DEPUTY_HEAD)
    )

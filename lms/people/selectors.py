"""Reads of the county and its people, always scoped to what a user may see."""

from django.db.models import QuerySet

from lms.accounts.roles import BUDGET_OFFICER, ORGANISER, STAFF, user_has_role

from .models import Person, Station, Township, Village


def _sees_whole_county(user) -> bool:
    return user.is_superuser or user_has_role(user, STAFF) or user_has_role(user, BUDGET_OFFICER)


def organiser_township_id(user) -> int | None:
    """The township an organiser is limited to, or None when not an organiser."""
    if user.is_authenticated and user_has_role(user, ORGANISER) and not _sees_whole_county(user):
        return user.township_id or 0
    return None


def townships_visible_to(*, user) -> QuerySet[Township]:
    """Townships the user may see."""
    qs = Township.objects.select_related("county")
    if _sees_whole_county(user):
        return qs
    township_id = organiser_township_id(user)
    if township_id is not None:
        return qs.filter(pk=township_id)
    return qs.none()


def villages_visible_to(*, user) -> QuerySet[Village]:
    """Villages the user may see."""
    qs = Village.objects.select_related("township")
    if _sees_whole_county(user):
        return qs
    township_id = organiser_township_id(user)
    if township_id is not None:
        return qs.filter(township_id=township_id)
    return qs.none()


def stations_visible_to(*, user) -> QuerySet[Station]:
    """Stations the user may see (an organiser sees only those of their own township)."""
    qs = Station.objects.select_related("township", "village", "operator")
    if _sees_whole_county(user):
        return qs
    township_id = organiser_township_id(user)
    if township_id is not None:
        return qs.filter(township_id=township_id)
    return qs.none()


def people_visible_to(*, user) -> QuerySet[Person]:
    """Cadres the user may see: all, their township's, or only themselves."""
    qs = Person.objects.select_related("village__township", "user").prefetch_related("posts")
    if not user.is_authenticated:
        return qs.none()
    if _sees_whole_county(user):
        return qs
    township_id = organiser_township_id(user)
    if township_id is not None:
        return qs.filter(village__township_id=township_id)
    return qs.filter(user=user)


def person_for_user(*, user) -> Person | None:
    """The cadre record linked to a signed-in user, with village and posts loaded."""
    if not user.is_authenticated:
        return None
    return (
        Person.objects.select_related("village__township")
        .prefetch_related("posts")
        .filter(user=user)
        .first()
    )


def school_name() -> str:
    """The school's name for certificates and reports: SCHOOL_NAME, else the county's Party school."""
    from django.conf import settings

    from .models import County

    if settings.SCHOOL_NAME:
        return settings.SCHOOL_NAME
    county = County.objects.order_by("pk").values_list("name", flat=True).first()
    return f"{county}委党校" if county else "县委党校"

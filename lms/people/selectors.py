"""Reads of the county and its people, always scoped to what a user may see."""

from django.db.models import QuerySet

from lms.accounts import scope

from .models import Person, Station, Township, Village


def organiser_township_id(user) -> int | None:
    """The township an organiser is limited to, or None when not an organiser (lms.accounts.scope)."""
    return scope.scope_for(user).township_id


def townships_visible_to(*, user) -> QuerySet[Township]:
    """Townships the user may see."""
    return scope.townships(user)


def villages_visible_to(*, user) -> QuerySet[Village]:
    """Villages the user may see."""
    return scope.villages(user)


def stations_visible_to(*, user) -> QuerySet[Station]:
    """Stations the user may see (an organiser sees only those of their own township)."""
    return scope.stations(user)


def people_visible_to(*, user) -> QuerySet[Person]:
    """Cadres the user may see: all, their township's, or only themselves."""
    return scope.people(user)


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

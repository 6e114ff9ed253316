"""The county profile (县情): the figures a reader checks against the seed, counted from the data."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from . import posts as post_codes
from .models import Person, Post, Station, Township, Village

AGE_BANDS = [(0, 35), (35, 45), (45, 55), (55, 200)]


@dataclass(frozen=True)
class CountyProfile:
    townships: list[tuple[str, int]]  # (kind label, count)
    villages: list[tuple[str, int]]
    posts: list[tuple[str, int]]
    one_shoulder: int  # 一肩挑: one person is both secretary and director
    education: list[tuple[str, int]]
    ages: list[tuple[str, int]]
    stars: list[tuple[str, int]]
    stations: list[tuple[str, int]]
    cadres: int


def _labelled(rows, choices) -> list[tuple[str, int]]:
    labels = dict(choices)
    return [(str(labels.get(key, key)), n) for key, n in rows]


def county_profile(*, people=None) -> CountyProfile:
    """Counts over the cadres in office (or the given queryset of them) and the county's places; a few queries."""
    people = (people if people is not None else Person.objects.all()).filter(is_active=True)
    year = timezone.localdate().year
    births = list(people.values_list("birth_year", flat=True))
    ages = [(f"{low}–{high - 1}" if high < 200 else f"≥{low}",
             sum(1 for born in births if low <= year - born < high)) for low, high in AGE_BANDS]
    secretaries = set(people.filter(posts__code=post_codes.SECRETARY).values_list("pk", flat=True))
    directors = set(people.filter(posts__code=post_codes.DIRECTOR).values_list("pk", flat=True))
    post_counts = dict(people.values_list("posts").annotate(n=Count("pk", distinct=True)).values_list("posts", "n"))
    star_rows = Village.objects.values_list("star_rating").annotate(n=Count("pk")).order_by("-star_rating")
    return CountyProfile(
        townships=_labelled(Township.objects.values_list("kind").annotate(n=Count("pk")).order_by("kind"),
                            Township.Kind.choices),
        villages=_labelled(Village.objects.values_list("kind").annotate(n=Count("pk")).order_by("kind"),
                           Village.Kind.choices),
        posts=[(post.name, post_counts.get(post.pk, 0)) for post in Post.objects.all()],
        one_shoulder=len(secretaries & directors),
        education=_labelled(people.values_list("education").annotate(n=Count("pk")).order_by("education"),
                            Person.Education.choices),
        ages=ages,
        stars=[(f"{'★' * stars}" if stars else "-", n) for stars, n in star_rows],
        stations=_labelled(Station.objects.values_list("level").annotate(n=Count("pk")).order_by("level"),
                           Station.Level.choices),
        cadres=len(births),
    )

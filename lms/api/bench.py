"""API bench: the people list (a page of 50 with posts) at province scale, as a staff token, against a bare view.

The bare view is the core bench's one-indexed-query view on the same middleware stack, so the ratio
measures what the API adds: token check, scoping, cursor pagination and serialising a page.
"""

import random
import time

from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from lms.accounts.models import User
from lms.accounts.roles import STAFF, role_group
from lms.core.bench import LEARNERS, _count_queries, _get, _median, build_learners
from lms.people.models import Person

from .tokens import token_create

ITERATIONS = 40
BARE_ITERATIONS = 200
# The people list at province scale costs ~2x the bare view here; 3x is the limit.
LIST_RATIO_LIMIT = 3.0
LIST_QUERY_LIMIT = 6


def run(report, scale: float = 1.0) -> None:
    """Build the province's cadres, then time the API's people list against the bare view."""
    n_learners = max(20, round(LEARNERS * scale))
    started = time.perf_counter()
    with transaction.atomic():
        learners = build_learners(n_learners)
        staff = User.objects.create(username="bench-staff")
        staff.groups.add(role_group(STAFF))
    print(f"lms.api.bench: built {n_learners} cadres in {time.perf_counter() - started:.1f}s")
    _token, raw = token_create(user=staff, name="bench", by=staff)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    bare = Client()
    bare.force_login(staff)
    rng = random.Random(11)
    phones = list(Person.objects.filter(user__in=rng.sample(learners, min(10, len(learners))))
                  .values_list("phone", flat=True))
    with override_settings(ROOT_URLCONF="lms.core.bench", API_RATE_LIMIT_PER_MINUTE=1_000_000):
        listed = _median(lambda i: _get(api, "/api/v1/people?page_size=50"), ITERATIONS)
        yardstick = _median(lambda i: _get(bare, f"/bench/bare/?phone={phones[i % len(phones)]}"), BARE_ITERATIONS)
        queries = _count_queries(api, "/api/v1/people?page_size=50")
    print(f"lms.api.bench: medians people list {listed * 1000:.1f} ms, bare {yardstick * 1000:.2f} ms")
    size = f"{n_learners:,} cadres, page of 50"
    report(f"API people list / bare view, median ({size})", listed / yardstick, LIST_RATIO_LIMIT, "x")
    report(f"API people list: queries ({size})", queries, LIST_QUERY_LIMIT, "queries")

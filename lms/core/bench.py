"""Benchmark of the learner pages at province scale, against a bare view doing one indexed query.

run(report, scale) builds 50,000 learners and 2,000 courses (times scale) in the bench database,
then times the learner home and a course page through the full middleware stack with Django's
test client, and counts their queries. The module is also the URLconf used while timing: the
project's URLs plus the bare view.
"""

import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path
from django.utils import timezone
from wagtail.models import Page

from courses.demo import ensure_catalogue
from courses.models import CourseCategory, CoursePage, LessonPage
from lms.accounts.models import User
from lms.accounts.roles import LEARNER, role_group
from lms.people.models import County, Person, Post, Teacher, Township, Village

Report = Callable[[str, float, float, str], None]

LEARNERS = 50_000
COURSES = 2_000
LESSONS_PER_COURSE = 3
PEOPLE_PER_VILLAGE = 20
VILLAGES_PER_TOWNSHIP = 25
SAMPLE_LEARNERS = 10
ITERATIONS = 40
BARE_ITERATIONS = 200

# Limits: a learner page may cost this many times a bare one-query view on the same stack,
# and runs at most this many queries whatever the data size. At province scale the home renders
# in ~16x and a course page (with its audience check) in ~10x the bare view; the limits leave
# over 2x headroom, so they catch pages whose cost grows with the data (the home once took ~390x,
# when lesson totals were computed for every open course instead of the 20 on the page).
HOME_RATIO_LIMIT = 40.0
COURSE_RATIO_LIMIT = 25.0
HOME_QUERY_LIMIT = 10
# The course page shows the learner's progress on each lesson: reads and watching cost up to
# three more queries, whatever the number of lessons.
COURSE_QUERY_LIMIT = 16


def bare_view(request):
    """The yardstick: one indexed query and a tiny response."""
    person = Person.objects.filter(phone=request.GET.get("phone", "")).only("name").first()
    return HttpResponse(person.name if person else "")


def _project_urls():
    from lms.urls import urlpatterns

    return urlpatterns


urlpatterns = [path("bench/bare/", bare_view, name="bench-bare"), *_project_urls()]


def run(report: Report, scale: float = 1.0) -> None:
    """Build province-scale learners and courses, then time and count the learner pages."""
    n_learners = max(20, round(LEARNERS * scale))
    n_courses = max(5, round(COURSES * scale))
    started = time.perf_counter()
    with transaction.atomic():
        learners = build_learners(n_learners)
        courses = build_courses(n_courses)
    print(f"lms.core.bench: built {n_learners} learners and {n_courses} courses "
          f"({n_courses * LESSONS_PER_COURSE} lessons) in {time.perf_counter() - started:.1f}s")

    rng = random.Random(7)
    sample = rng.sample(learners, min(SAMPLE_LEARNERS, len(learners)))
    clients = []
    for user in sample:
        client = Client()
        client.force_login(user)
        clients.append(client)
    # A learner may open only courses aimed at their posts or at everyone: time the ones open to all.
    open_to_all = [course for i, course in enumerate(courses) if i % 3]
    course_urls = [course.url for course in rng.sample(open_to_all, min(SAMPLE_LEARNERS, len(open_to_all)))]
    phones = list(Person.objects.filter(user__in=sample).values_list("phone", flat=True))

    with override_settings(ROOT_URLCONF=__name__):
        home = _median(lambda i: _get(clients[i % len(clients)], "/"), ITERATIONS)
        course = _median(lambda i: _get(clients[i % len(clients)], course_urls[i % len(course_urls)]), ITERATIONS)
        bare = _median(
            lambda i: _get(clients[i % len(clients)], f"/bench/bare/?phone={phones[i % len(phones)]}"),
            BARE_ITERATIONS,
        )
        home_queries = _count_queries(clients[0], "/")
        course_queries = _count_queries(clients[0], course_urls[0])
    print(f"lms.core.bench: medians home {home * 1000:.1f} ms, course {course * 1000:.1f} ms, "
          f"bare {bare * 1000:.2f} ms")
    size = f"{n_learners:,} learners, {n_courses:,} courses"
    report(f"learner home / bare view, median ({size})", home / bare, HOME_RATIO_LIMIT, "x")
    report(f"course page / bare view, median ({size})", course / bare, COURSE_RATIO_LIMIT, "x")
    report(f"learner home: queries ({size})", home_queries, HOME_QUERY_LIMIT, "queries")
    report(f"course page: queries ({size})", course_queries, COURSE_QUERY_LIMIT, "queries")


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200")


def _median(fetch: Callable[[int], None], iterations: int) -> float:
    """Median seconds of a request, after a few warm-up calls."""
    for i in range(3):
        fetch(i)
    times = []
    for i in range(iterations):
        t0 = time.perf_counter()
        fetch(i)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _get(client, url)
    return len(ctx.captured_queries)


def build_learners(count: int) -> list[User]:
    """County, townships, villages, and `count` learners with accounts, in bulk."""
    rng = random.Random(42)
    county, _created = County.objects.get_or_create(name="基准测试县")
    n_villages = max(1, count // PEOPLE_PER_VILLAGE)
    n_townships = max(1, n_villages // VILLAGES_PER_TOWNSHIP)
    townships = Township.objects.bulk_create(
        [Township(county=county, name=f"第{i + 1}乡", sort_order=i) for i in range(n_townships)]
    )
    villages = Village.objects.bulk_create(
        [Village(township=townships[i % n_townships], name=f"第{i + 1}村") for i in range(n_villages)],
        batch_size=1000,
    )
    # One hash for all: the bench signs learners in with force_login, never by password.
    password = make_password("Bench@2026")
    phones = [str(15000000000 + i) for i in range(count)]
    users = User.objects.bulk_create(
        [User(username=phone, password=password) for phone in phones], batch_size=2000
    )
    group = role_group(LEARNER)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users], batch_size=5000
    )
    people = Person.objects.bulk_create(
        [
            Person(
                name=f"学员{i}", gender="F" if i % 5 == 0 else "M", ethnicity="汉族",
                birth_year=1960 + i % 40, education=Person.Education.JUNIOR, phone=phone,
                village=villages[i % n_villages], user=user,
            )
            for i, (phone, user) in enumerate(zip(phones, users, strict=True))
        ],
        batch_size=2000,
    )
    posts = list(Post.objects.order_by("sort_order"))
    through = Person.posts.through
    links = [through(person_id=p.pk, post_id=posts[i % len(posts)].pk) for i, p in enumerate(people)]
    links += [through(person_id=p.pk, post_id=posts[-1].pk) for p in people[:: 7] if posts[-1] != posts[0]]
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    rng.shuffle(users)
    return users


def build_courses(count: int) -> list[CoursePage]:
    """`count` live courses with lessons under the catalogue, inserted in bulk."""
    catalogue = ensure_catalogue()
    categories = CourseCategory.objects.bulk_create([CourseCategory(name=f"基准类别{i}") for i in range(10)])
    teachers = Teacher.objects.bulk_create([Teacher(name=f"基准教师{i}", title="县委党校讲师") for i in range(20)])
    courses = [
        CoursePage(
            title=f"基准课程{i}：村级事务管理", slug=f"bench-course-{i}",
            summary="发展壮大村级集体经济，全面落实“三议一表决”和党务、村务、财务“三公开”。" * 2,
            category=categories[i % len(categories)], teacher=teachers[i % len(teachers)],
            requirement=CoursePage.Requirement.REQUIRED if i % 3 else CoursePage.Requirement.ELECTIVE,
        )
        for i in range(count)
    ]
    courses = bulk_add_children([(catalogue, courses)])[0]
    posts = list(Post.objects.order_by("sort_order"))
    through = CoursePage.target_posts.through
    # Two courses in three are open to everyone; the rest target one post each.
    through.objects.bulk_create(
        [through(coursepage_id=c.pk, post_id=posts[i % len(posts)].pk) for i, c in enumerate(courses) if i % 3 == 0],
        batch_size=5000,
    )
    lesson_groups = [
        (course, [
            LessonPage(title=f"第{n + 1}课", slug=f"lesson-{n + 1}", duration_minutes=30 + 5 * n,
                       body=[{"type": "rich_text", "value": "<h2>学习要点</h2><p>时间、计划、人员、制度四落实。</p>"}])
            for n in range(LESSONS_PER_COURSE)
        ])
        for course in courses
    ]
    bulk_add_children(lesson_groups)
    return courses


def bulk_add_children(groups: list[tuple[Page, list[Page]]]) -> list[list[Page]]:
    """Insert many live pages of one specific type under their parents, as add_child would, in bulk.

    Treebeard paths, depth, numchild and url paths are computed here; creating thousands of pages
    one add_child at a time would take minutes. Search indexing and revisions are skipped.
    """
    model = type(groups[0][1][0])
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now() - timedelta(days=1)
    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    flat: list[Page] = []
    for parent, children in groups:
        last = parent.get_last_child() if parent.numchild else None
        step = Page._str2int(last.path[-Page.steplen:]) if last else 0
        for child in children:
            step += 1
            child.path = Page._get_path(parent.path, parent.depth + 1, step)
            child.depth = parent.depth + 1
            child.numchild = 0
            child.content_type = content_type
            child.url_path = f"{parent.url_path}{child.slug}/"
            child.draft_title = child.title
            child.live = True
            child.has_unpublished_changes = False
            child.first_published_at = child.last_published_at = child.latest_revision_created_at = now
            child.locale_id = parent.locale_id
            flat.append(child)
    bases = Page.objects.bulk_create(
        [Page(**{f.attname: getattr(child, f.attname) for f in base_fields}) for child in flat], batch_size=1000
    )
    for child, base in zip(flat, bases, strict=True):
        child.pk = child.page_ptr_id = base.pk
    _insert_local_rows(model, flat)
    by_size: dict[int, list[int]] = {}
    for parent, children in groups:
        by_size.setdefault(len(children), []).append(parent.pk)
        parent.numchild += len(children)
    for size, parent_ids in by_size.items():
        Page.objects.filter(pk__in=parent_ids).update(numchild=F("numchild") + size)
    return [children for _parent, children in groups]


def _insert_local_rows(model: type[Page], pages: list[Page]) -> None:
    """Insert the specific model's own table rows (Django's bulk_create refuses multi-table models)."""
    fields = model._meta.local_concrete_fields
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    rows = [[f.get_db_prep_save(getattr(page, f.attname), connection) for f in fields] for page in pages]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows[start:start + 1000])

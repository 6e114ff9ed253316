"""The demo county: the seed's figures, one account per role, and a second run that changes nothing."""

import hashlib
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision, Site

from courses.models import CourseIndexPage, CoursePage, LessonAttachment, LessonPage
from lms.accounts.demo import PASSWORD, demo_accounts
from lms.accounts.models import User
from lms.accounts.roles import BUDGET_OFFICER, DEPUTY_HEAD, LEARNER, ORGANISER, ROLE_NAMES, STAFF
from lms.people.models import County, Person, Station, Teacher, Township, Village


class _Quiet:
    def write(self, text):
        self.text = getattr(self, "text", "") + text


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the demo once for the module inside a transaction that is rolled back afterwards."""
    from django.conf import settings

    media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("demo-media")
    out = _Quiet()
    with django_db_blocker.unblock():
        name = str(connection.settings_dict["NAME"])
        assert "memory" in name or name.startswith("test_"), f"not a test database: {name}"
        with transaction.atomic():
            call_command("demo", stdout=out)
            yield out.text
            transaction.set_rollback(True)
    settings.MEDIA_ROOT = media


def _fingerprint() -> str:
    """A hash over every field of the rows the demo builds, so any change shows."""
    sources = [
        County.objects.order_by("pk").values_list(),
        Township.objects.order_by("pk").values_list(),
        Village.objects.order_by("pk").values_list(),
        Person.objects.order_by("pk").values_list(),
        Person.posts.through.objects.order_by("pk").values_list(),
        Station.objects.order_by("pk").values_list(),
        Teacher.objects.order_by("pk").values_list(),
        User.objects.order_by("pk").values_list(),
        User.groups.through.objects.order_by("pk").values_list(),
        Page.objects.order_by("pk").values_list(),
        Revision.objects.order_by("pk").values_list("pk", "object_id", "created_at"),
        get_document_model().objects.order_by("pk").values_list(),
        LessonAttachment.objects.order_by("pk").values_list(),
        Site.objects.order_by("pk").values_list(),
    ]
    digest = hashlib.sha256()
    for qs in sources:
        digest.update(repr(list(qs)).encode())
    return digest.hexdigest()


@pytest.mark.django_db
def test_demo_builds_the_county_of_the_seed(demo):
    townships = Township.objects.values_list("kind").annotate(n=Count("pk"))
    assert dict(townships) == {Township.Kind.TOWNSHIP: 7, Township.Kind.TOWN: 2}
    villages = Village.objects.values_list("kind").annotate(n=Count("pk"))
    assert dict(villages) == {Village.Kind.VILLAGE: 146, Village.Kind.COMMUNITY: 7}
    assert Person.objects.filter(posts__code="secretary").count() == 153
    assert Person.objects.filter(posts__code="director").count() == 153
    assert Person.objects.filter(posts__code="secretary").filter(posts__code="director").count() == 9
    leaders = Person.objects.filter(posts__code__in=["secretary", "director"]).distinct()
    assert leaders.count() == 297
    assert Person.objects.filter(posts__code="reserve-cadre").count() == 44
    assert dict(Station.objects.values_list("level").annotate(n=Count("pk"))) == {
        Station.Level.COUNTY: 1, Station.Level.TOWNSHIP: 9, Station.Level.VILLAGE: 149,
    }
    stars = Village.objects.filter(kind=Village.Kind.VILLAGE).values_list("star_rating").annotate(n=Count("pk"))
    assert dict(stars) == {5: 55, 4: 69, 3: 22}
    assert Person.objects.values("phone").distinct().count() == Person.objects.count()


@pytest.mark.django_db
def test_demo_publishes_a_catalogue_of_courses_with_lessons(demo):
    site = Site.objects.get(is_default_site=True)
    catalogue = site.root_page.specific
    assert isinstance(catalogue, CourseIndexPage)
    assert catalogue.title == "课程中心"
    courses = CoursePage.objects.live().child_of(catalogue)
    assert courses.count() >= 6
    titles = " ".join(courses.values_list("title", flat=True))
    for theme in ["科学发展观", "党风廉政建设", "三议一表决", "三公开", "集体经济", "远程教育"]:
        assert theme in titles
    for course in courses:
        lessons = LessonPage.objects.live().child_of(course)
        assert lessons.count() >= 3, course.title
        assert course.teacher is not None and course.summary
        assert course.has_unpublished_changes is False
        assert all(LessonAttachment.objects.filter(lesson=lesson).exists() for lesson in lessons)
    assert CoursePage.objects.filter(target_posts__code="reserve-cadre").exists()
    assert CoursePage.objects.filter(target_posts__isnull=True).exists()


def _demo_learner(*, must_change_password: bool) -> User:
    usernames = [a.username for a in demo_accounts() if a.person is not None]
    return User.objects.get(username__in=usernames, must_change_password=must_change_password)


@pytest.mark.django_db
def test_demo_creates_one_account_per_role(demo):
    accounts = demo_accounts()
    users = {u.username: u for u in User.objects.filter(username__in=[a.username for a in accounts])}
    assert len(users) == len(accounts) == 8
    for code in (STAFF, LEARNER, BUDGET_OFFICER, ORGANISER, DEPUTY_HEAD):
        holders = [a.username for a in accounts if code in a.roles]
        assert holders, code
        for username in holders:
            assert users[username].groups.filter(name=ROLE_NAMES[code]).exists()
    assert users["xiangzhen"].township == Township.objects.order_by("sort_order").first()
    assert users["admin"].is_superuser and users["jiaowu"].is_staff
    learners = [users[a.username] for a in accounts if LEARNER in a.roles]
    assert {u.must_change_password for u in learners} == {True, False}
    assert all(u.person.phone == u.username for u in learners)
    assert all(u.check_password(PASSWORD) for u in users.values())
    for username in users:
        assert re.search(rf"{username}\s+{re.escape(PASSWORD)}", demo), username


@pytest.mark.django_db
def test_running_the_demo_again_changes_nothing(demo):
    before = _fingerprint()
    call_command("demo", stdout=_Quiet())
    assert _fingerprint() == before


@pytest.mark.django_db
def test_demo_learner_signs_in_and_sees_chinese_courses(demo, client):
    learner = _demo_learner(must_change_password=False)
    response = client.post(reverse("accounts:login"), {"username": learner.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    page = home.content.decode()
    assert "深入学习实践科学发展观" in page
    assert learner.person.name in page
    course = CoursePage.objects.get(slug="kexue-fazhanguan")
    assert client.get(course.url).status_code == 200


@pytest.mark.django_db
def test_second_demo_learner_must_change_password_first(demo, client):
    learner = _demo_learner(must_change_password=True)
    client.post(reverse("accounts:login"), {"username": learner.username, "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")


@pytest.mark.django_db
def test_every_demo_cadre_in_office_can_sign_in(demo):
    in_office = Person.objects.filter(is_active=True)
    assert in_office.count() > 500
    assert not in_office.filter(user__isnull=True).exists()
    someone = in_office.filter(user__must_change_password=True).select_related("user").last()
    assert someone.user.check_password(PASSWORD) and someone.user.is_active


@pytest.mark.django_db
def test_the_county_profile_shows_the_seeds_figures(demo):
    from lms.classes.models import TrainingClass
    from lms.people.county_profile import county_profile

    profile = county_profile()
    assert profile.one_shoulder == 9
    assert dict(profile.posts)["大学生村官"] == 55
    assert sum(n for _label, n in profile.stations) == 159
    assert TrainingClass.objects.get(name__endswith="赴省外考察学习班", year=2025).mode == "off_site"


@pytest.mark.django_db
def test_closed_demo_classes_are_eligible_where_their_records_say_so(demo):
    from lms.certificates.rules import completion_for_class
    from lms.classes.models import TrainingClass

    closed = list(TrainingClass.objects.filter(state=TrainingClass.State.CLOSED))
    eligible = [tc for tc in closed if any(row.eligible for row in completion_for_class(training_class=tc))]
    assert len(closed) > 20 and len(eligible) >= 0.8 * len(closed)


@pytest.mark.django_db
def test_demo_leave_plans_and_money_tell_the_truth(demo):
    from django.utils import timezone

    from lms.budget.models import Account
    from lms.classes.models import LeaveRequest, StudyNote, TrainingPlan

    assert set(LeaveRequest.objects.values_list("state", flat=True)) == set(LeaveRequest.State.values)
    assert not TrainingPlan.objects.filter(approved_by__isnull=True).exists()
    assert StudyNote.objects.values("text").distinct().count() > 10
    year = timezone.localdate().year
    for y in (year - 1, year):
        assert Account.objects.filter(kind=Account.Kind.ALLOWANCE, year=y).count() == 153  # one per secretary

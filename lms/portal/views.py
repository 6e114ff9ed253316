"""我的学习: the learner's mobile-first home and profile."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from courses.search import query_terms
from courses.selectors import courses_open_to, search_catalogue, with_lesson_totals
from lms.people.models import Teacher
from lms.people.selectors import person_for_user

COURSES_PER_PAGE = 20


@login_required
def home(request):
    """List the courses open to the signed-in cadre, with their profile card."""
    person = person_for_user(user=request.user)
    post_ids = [post.pk for post in person.posts.all()] if person else []
    courses = courses_open_to(post_ids=post_ids) if person else courses_open_to(post_ids=[])
    page = Paginator(courses, COURSES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "person": person, "page": page, "courses": with_lesson_totals(list(page.object_list)),
        "operates_station": bool(person) and person.operated_stations.exists(),
        "teaches": Teacher.objects.filter(user=request.user).exists(),
    }
    return render(request, "portal/home.html", context)


@login_required
def profile(request):
    """The cadre's own profile."""
    person = person_for_user(user=request.user)
    return render(request, "portal/profile.html", {"person": person})


@login_required
def search(request):
    """Search the courses and lessons open to the learner by any Chinese word or part of one."""
    query = request.GET.get("q", "").strip()[:100]
    courses, lessons = search_catalogue(user=request.user, query=query) if query_terms(query) else ([], [])
    return render(request, "portal/search.html", {"query": query, "courses": courses, "lessons": lessons,
                                                  "total": len(courses) + len(lessons)})

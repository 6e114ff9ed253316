"""Every URL of the product, as every role, with real ids of two townships: no foreign data, no server error.

The walk enumerates the URL resolver (project views, the project's Wagtail viewsets, page URLs, documents and
media), so a new URL without ids to try here fails the test until it is added to ID_KWARGS.
"""

import io
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.models import Page

from tests.world import build_world

MISSING = 999_999
"""An id no row has: the view must answer 404 (or refuse), never 500."""

ODD_QUERY = ("?year=%C2%B2&township=1234567890123456789012345&class=abc&training_class=%C2%B2&page=-1"
             "&q=%00%C2%B2&sort=%27&state=nope&format=xlsx&day=0001-01-01&all=1")

PROJECT_MODULES = ("lms.", "courses.")
# Wagtail's own admin (pages, images, users, settings...) is not walked; the project's viewsets are.
SNIPPET_PREFIXES = ("wagtailsnippets_courses_", "wagtailsnippets_videos_", "wagtailsnippetchoosers_courses_",
                    "wagtailsnippetchoosers_videos_")
NOT_WALKED = {
    "accounts:logout",  # signs the client out; covered by the sign-in tests
    "wagtailcore_authenticate_with_password", "wagtailcore_login", "wagtaildocs_authenticate_with_password",
}
PUBLIC_BY_DESIGN = {"certificates:verify"}
"""The verification page names the holder to whoever has the code printed on the certificate."""


def _both(w, pick):
    return [pick(w.east), pick(w.west)]


def _pks(w, key):
    return [{"pk": pk} for pk in _both(w, lambda s: s.objects[key].pk)]


def _classes(w):
    return [{"pk": w.county_class.pk}, {"pk": w.west_class.pk}]


def _people(w):
    return [{"pk": pk} for pk in _both(w, lambda s: s.person.pk)]


ID_KWARGS = {
    "classes:class_detail": _classes, "classes:enrol": _classes, "classes:withdraw": _classes,
    "classes:note_new": _classes, "classes:class_notes": _classes,
    "classes:note_detail": lambda w: _pks(w, "note"), "classes:note_photo": lambda w: _pks(w, "note_photo"),
    "classes:sign_in": lambda w: [{"pk": w.session.pk}], "classes:ask_leave": lambda w: [{"pk": w.session.pk}],
    "classes:report_back": lambda w: _pks(w, "leave"),
    "classes:roster": lambda w: [{"pk": w.session.pk}], "classes:qr_screen": lambda w: [{"pk": w.session.pk}],
    "classes:upload_lesson_plan": lambda w: [{"pk": w.session.pk}],
    "classes:station_group": lambda w: [{"pk": w.session.pk}],
    "classes:my_record_download": lambda w: [{"kind": "xlsx"}, {"kind": "pdf"}],
    "classes:person_record": _people,
    "classes:person_record_download": lambda w: [dict(p, kind=k) for p in _people(w) for k in ("xlsx", "pdf")],
    "quizzes:intro": lambda w: [{"pk": MISSING}], "quizzes:start": lambda w: [{"pk": MISSING}],
    "quizzes:take": lambda w: [{"pk": MISSING}], "quizzes:save": lambda w: [{"pk": MISSING}],
    "quizzes:answer": lambda w: [{"pk": MISSING}], "quizzes:finish": lambda w: [{"pk": MISSING}],
    "quizzes:result": lambda w: [{"pk": MISSING}],
    "videos:watch": lambda w: [{"pk": w.video.pk}], "videos:status": lambda w: [{"pk": w.video.pk}],
    "videos:report": lambda w: [{"pk": w.video.pk}],
    "videos:file": lambda w: [{"pk": w.video.pk, "name": "index.m3u8"}, {"pk": w.video.pk, "name": "..%2Fx"}],
    "budget:table_export": lambda w: [{"key": "near_limit"}, {"key": "by_township"}, {"key": "nope"}],
    "budget:claim_detail": lambda w: _pks(w, "claim"), "budget:claim_edit": lambda w: _pks(w, "claim"),
    "budget:claim_action": lambda w: [dict(p, action=a) for p in _pks(w, "claim")
                                      for a in ("receipt", "submit", "send_back", "refuse", "nope")],
    "budget:receipt": lambda w: _pks(w, "receipt"),
    "budget:entry_reverse": lambda w: _pks(w, "ledger"),
    "trips:detail": lambda w: [{"pk": w.trip.pk}],
    "trips:action": lambda w: [{"pk": w.trip.pk, "action": a} for a in ("advance", "cost", "nope")],
    "trips:participants_add": lambda w: [{"pk": w.trip.pk}], "trips:roll_call": lambda w: [{"pk": w.trip.pk}],
    "trips:report": lambda w: [{"pk": w.trip.pk}], "trips:reports": lambda w: [{"pk": w.trip.pk}],
    "trips:statement": lambda w: [{"pk": w.trip.pk, "participant_pk": p["pk"]} for p in _pks(w, "participant")],
    "trips:photo": lambda w: _pks(w, "trip_photo"),
    "certificates:download": lambda w: _pks(w, "certificate"),
    "certificates:verify": lambda w: [{"code": c} for c in _both(w, lambda s: s.objects["certificate"].code)],
    "classes_admin:overview": _classes, "classes_admin:advance": _classes, "classes_admin:plan": _classes,
    "classes_admin:enrol": _classes, "classes_admin:four": _classes,
    "classes_admin:flag": lambda w: [{"pk": w.county_class.pk, "enrolment_id": p["pk"]}
                                     for p in _pks(w, "enrolment")],
    "classes_admin:leave_decide": lambda w: _pks(w, "leave"),
    "quizzes_admin:question_preview": lambda w: [{"pk": MISSING}],
    "quizzes_admin:essay_grade": lambda w: [{"pk": MISSING}],
    "quizzes_admin:statistics": lambda w: [{"pk": MISSING}],
    "quizzes_admin:statistics_export": lambda w: [{"pk": MISSING}],
    "videos_admin:lesson_report": lambda w: [{"lesson_id": MISSING}],
    "videos_admin:reprocess": lambda w: [{"pk": w.video.pk}],
    "certificates_admin:class": lambda w: [{"class_id": c["pk"]} for c in _classes(w)],
    "certificates_admin:batch_start": lambda w: [{"class_id": c["pk"]} for c in _classes(w)],
    "certificates_admin:zip": lambda w: [{"class_id": c["pk"]} for c in _classes(w)],
    "certificates_admin:issue_by_hand": lambda w: [{"class_id": w.county_class.pk, "person_id": p["pk"]}
                                                   for p in _people(w)],
    "certificates_admin:batch_status": lambda w: [{"batch_id": MISSING}],
    "certificates_admin:revoke": lambda w: _pks(w, "certificate"),
}

# Viewset namespace → the objects of both sides its object views are tried with.
VIEWSET_OBJECTS = {
    "person": _people,
    "village": lambda w: [{"pk": pk} for pk in _both(w, lambda s: s.village.pk)],
    "township": lambda w: [{"pk": pk} for pk in _both(w, lambda s: s.township.pk)],
    "station": lambda w: [{"pk": pk} for pk in _both(w, lambda s: s.station.pk)],
    "post": lambda w: [{"pk": w.east.person.posts.first().pk}],
    "teacher": lambda w: [{"pk": w.session.teacher.pk}],
    "classes_class": _classes,
    "classes_session": lambda w: [{"pk": w.session.pk}],
    "classes_enrolment": lambda w: _pks(w, "enrolment"),
    "classes_credit_rule": lambda w: [{"pk": MISSING}],
    "classes_requirement": lambda w: [{"pk": MISSING}],
    "quizzes_quiz": lambda w: [{"pk": MISSING}],
    "quiz_questions": lambda w: [{"pk": MISSING}],
    "quiz_categories": lambda w: [{"pk": MISSING}],
    "field_trips": lambda w: [{"pk": w.trip.pk}],
    "certificate_class_rules": lambda w: [{"pk": MISSING}],
    "wagtailsnippets_videos_video": lambda w: [{"pk": w.video.pk}],
    "wagtailsnippets_courses_coursecategory": lambda w: [{"pk": MISSING}],
    "wagtailsnippetchoosers_videos_video": lambda w: [{"pk": w.video.pk}],
    "wagtailsnippetchoosers_courses_coursecategory": lambda w: [{"pk": MISSING}],
}

FORBIDDEN = {
    "anonymous": ("east", "west"), "learner_east": ("west",), "learner_west": ("east",),
    "organiser_east": ("west",), "organiser_west": ("east",),
    "staff": (), "officer": (), "superuser": (),
}
POSTING_ROLES = ("anonymous", "learner_east", "organiser_east", "staff")


def _project_namespaces() -> set[str]:
    names = set()
    for register in hooks.get_hooks("register_admin_viewset"):
        if not register.__module__.startswith(PROJECT_MODULES):
            continue
        registered = register()
        for viewset in getattr(registered, "registerables", [registered]):
            names.add(viewset.url_namespace)
    return names


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                pattern.namespace or namespace)
            yield from _patterns(pattern, inner or "")
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def walked_url_names() -> list[tuple[str, list[str]]]:
    """(url name, its keyword arguments) of every URL of the product the walk requests."""
    namespaces = _project_namespaces()
    found = []
    for name, pattern in _patterns():
        if name in NOT_WALKED or name == "wagtail_serve":
            continue
        ns = name.rsplit(":", 1)[0] if ":" in name else ""
        ours = (pattern.callback.__module__.startswith(PROJECT_MODULES) or ns in namespaces
                or ns.startswith(SNIPPET_PREFIXES))
        if ours:
            found.append((name, sorted(pattern.pattern.regex.groupindex)))
    return found


def _urls(world) -> list[tuple[str, str]]:
    urls, unmapped = [], []
    for name, params in walked_url_names():
        if not params:
            urls.append((name, reverse(name)))
            continue
        ns = name.rsplit(":", 1)[0]
        make = ID_KWARGS.get(name) or VIEWSET_OBJECTS.get(ns)
        if make is None:
            unmapped.append(name)
            continue
        for kwargs in make(world):
            urls.append((name, reverse(name, kwargs={k: v for k, v in kwargs.items() if k in params})))
    assert not unmapped, f"URLs with ids the walk does not know how to fill: {unmapped}"
    for page in Page.objects.live().specific():
        if page.url:
            urls.append(("page", page.url))
    for document in get_document_model().objects.all():
        urls.append(("document", document.url))
    for side in (world.east, world.west):
        for key in ("note_photo", "trip_photo"):
            urls.append(("media", settings.MEDIA_URL + side.objects[key].image.name))
        urls.append(("media", settings.MEDIA_URL + side.objects["certificate"].pdf.name))
        urls.append(("media", settings.MEDIA_URL + side.objects["receipt"].file.name))
    return urls


def _body_text(response) -> str:
    """Everything a person could read in the response: HTML, JSON, files, spreadsheets and PDFs opened."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [body]
    if body[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                parts += [archive.read(member) for member in archive.namelist()]
        except zipfile.BadZipFile:
            pass
    if body[:5] == b"%PDF-" and shutil.which("pdftotext"):
        result = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, timeout=30)
        parts.append(result.stdout)
    return "\n".join(part.decode("utf-8", "replace") for part in parts) + response.get("Content-Disposition", "")


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(roles):
    return build_world()


@pytest.mark.django_db
def test_every_url_as_every_role_leaks_nothing_and_never_fails(world):
    urls = _urls(world)
    assert len(urls) > 150
    only = os.environ.get("URL_WALK_ONLY")  # a regular expression, to re-run part of the walk while fixing it
    if only:
        urls = [(name, url) for name, url in urls if re.search(only, name)]
    secrets = {"east": world.east.secrets, "west": world.west.secrets}
    problems = []

    def check(role, method, name, url, response):
        if response.status_code >= 500:
            problems.append(f"{response.status_code} {method} {url} as {role} ({name})")
            return
        if name in PUBLIC_BY_DESIGN or response.status_code >= 300:
            return
        text = _body_text(response)
        for side in FORBIDDEN[role]:
            for secret in secrets[side]:
                if secret in text:
                    problems.append(f"{role} got {side}'s {secret!r} from {method} {url} ({name})")

    users = world.users()
    for role, user in users.items():
        client = _client(user)
        for name, url in urls:
            check(role, "GET", name, url, client.get(url))
    for role in ("organiser_east",):
        client = _client(users[role])
        for name, url in urls:
            check(role, "GET", name, url + ODD_QUERY, client.get(url + ODD_QUERY))
    for role in POSTING_ROLES:
        client = _client(users[role])
        for name, url in urls:
            if name.endswith(":delete"):
                continue
            check(role, "POST", name, url, client.post(url, {"reason": "x" * 100_000, "position": "²",
                                                             "withdraw": "abc", "training_class": "²",
                                                             "to": "nope", "report": "x", "present": ["²", "9" * 25],
                                                             "code": "12345"}))
    assert not problems, "\n".join(problems[:80])

"""`make bench` figures for certificates: 600 issued through the Celery job (eager) against bare renders.

Completion rules are decided by the tests; here every learner is made eligible (the providers
are replaced for the run) so the figure is the issue job itself: evaluation, serials, render, storage.
"""

import datetime
import time
from decimal import Decimal

from django.db import transaction

PERSON_TIMES = 600
CLASS_SIZE = 50


def _eligible_providers():
    """Replace the rule providers with ones that say every learner met every rule; return a restore function."""
    from . import providers
    from .models import CertificateSettings

    class AllMet:
        sessions_held = attended = 10
        absent = 0
        leave_hours = Decimal("0")
        held_hours = leave_cap_hours = Decimal("30")
        attendance_rate = Decimal("1")
        over_leave_cap = near_leave_cap = False

    class Everyone(dict):
        def __init__(self, value):
            super().__init__()
            self.value = value

        def get(self, key, default=None):
            return self.value

    saved = {name: getattr(providers, name) for name in ("attendance_stats", "note_counts", "trip_reports")}
    providers.attendance_stats = lambda *, training_class: Everyone(AllMet())
    providers.note_counts = lambda *, training_class: Everyone(5)
    providers.trip_reports = lambda *, training_class: Everyone(True)
    CertificateSettings.load()

    def restore():
        for name, func in saved.items():
            setattr(providers, name, func)

    return restore


@transaction.atomic
def _build(count: int):
    from lms.classes.models import Enrolment, TrainingClass, TrainingMode
    from lms.people.models import County, Person, Township, Village

    county, _ = County.objects.get_or_create(name="基准县")
    township = Township.objects.create(county=county, name="基准乡")
    village = Village.objects.create(township=township, name="基准村")
    surnames = "王李张刘陈杨黄赵吴周"
    people = Person.objects.bulk_create(
        Person(name=f"{surnames[i % 10]}{'堃喆淼犇昇'[i % 5]}{i}", gender=Person.Gender.MALE, birth_year=1975,
               education=Person.Education.SENIOR, phone=f"199{i:08d}", village=village)
        for i in range(count)
    )
    classes = []
    for start in range(0, count, CLASS_SIZE):
        tc = TrainingClass.objects.create(
            name=f"2026年村党组织书记集中轮训班第{start // CLASS_SIZE + 1}期", year=2026, mode=TrainingMode.CENTRALISED,
            state=TrainingClass.State.CLOSED, starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 6),
            planned_credit_hours=Decimal("30"),
        )
        Enrolment.objects.bulk_create(Enrolment(training_class=tc, person=p) for p in people[start:start + CLASS_SIZE])
        classes.append(tc)
    return classes


def _weasyprint_seconds(html: str, rounds: int) -> tuple[float, int] | None:
    try:
        import weasyprint  # optional peer figure; not in requirements.txt
    except Exception:  # noqa: BLE001 - missing library or its system libraries
        return None
    from .fonts import cjk_font_path

    css = weasyprint.CSS(string=f'@font-face {{ font-family: lmscjk; src: url("file://{cjk_font_path()}"); }}')
    started = time.perf_counter()
    size = 0
    for _ in range(rounds):
        size = len(weasyprint.HTML(string=html).write_pdf(stylesheets=[css]))
    return (time.perf_counter() - started) / rounds, size


def run(report, scale: float = 1.0) -> None:
    """Issue PERSON_TIMES*scale certificates through the job and compare with bare renders of the same HTML."""
    from .models import Certificate, IssueBatch
    from .pdf import certificate_html, html_to_pdf
    from .tasks import issue_class_certificates

    count = max(CLASS_SIZE, int(PERSON_TIMES * scale))
    classes = _build(count)
    restore = _eligible_providers()
    try:
        html_to_pdf("<p>warm-up</p>")  # font registration happens once per process, not per certificate
        started = time.perf_counter()
        for tc in classes:
            batch = IssueBatch.objects.create(training_class=tc)
            issue_class_certificates.apply(args=[batch.pk])
        job = time.perf_counter() - started
    finally:
        restore()
    issued = Certificate.objects.filter(training_class__in=classes).count()
    sample = Certificate.objects.filter(training_class__in=classes).first()
    html = certificate_html(certificate=sample)
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        size = len(html_to_pdf(html))
    bare = (time.perf_counter() - started) / rounds
    per_certificate = job / max(issued, 1)
    report(f"certificates: issue job, {issued} issued, {issued / job:.1f} per second", per_certificate, 0.5, "s/cert")
    report("certificates: job time per certificate / bare xhtml2pdf render", per_certificate / bare, 4.0, "ratio")
    report("certificates: PDF size", size / 1024, 200, "KiB")
    peer = _weasyprint_seconds(html, 5)
    if peer is None:
        report("certificates: WeasyPrint render of the same HTML (n/a: not installable here)", 0, 0, "s")
    else:
        report(f"certificates: WeasyPrint render of the same HTML ({peer[1] / 1024:.0f} KiB)", peer[0], bare * 4, "s")
    report("certificates: bare xhtml2pdf render", bare, 0.25, "s")

"""Demo data: close some of the demo year's finished classes and issue their certificates through the real job.

Idempotent: a class that already has an issue run is left alone. Runs after lms.classes.demo;
with no demo classes it says so and does nothing.
"""

import datetime
import io

from django.utils import timezone

from lms.classes.models import Enrolment, TrainingClass
from lms.people.selectors import school_name

from .models import Certificate, CertificateSettings, ClassCertificateRules, Design, IssueBatch
from .rules import completion_for_class

CLASSES_TO_CLOSE = 3
# One demo class per design, so staff see each of them.
DEMO_DESIGNS = (Design.LANDSCAPE, Design.PORTRAIT, Design.LANDSCAPE_PLAIN)
DEMO_REASON = "演示数据：结业考核材料已由教务线下核验"


def _close(training_class: TrainingClass) -> None:
    """Close through the classes app's service when it allows it, else set the state directly."""
    if training_class.state == TrainingClass.State.CLOSED:
        return
    try:
        from lms.classes.class_state import class_close

        class_close(training_class=training_class)
        return
    except Exception:  # noqa: BLE001 - a demo class in another state is closed directly
        pass
    TrainingClass.objects.filter(pk=training_class.pk).update(state=TrainingClass.State.CLOSED)
    training_class.state = TrainingClass.State.CLOSED


def _candidates(today: datetime.date) -> list[TrainingClass]:
    year = TrainingClass.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return []
    qs = TrainingClass.objects.filter(
        year=year, ends_on__lt=today, enrolments__status=Enrolment.Status.ENROLLED
    ).distinct().order_by("ends_on", "pk")
    already = list(qs.filter(certificate_batches__isnull=False).distinct())
    if already:
        return already
    return list(qs)


def _learner_with_account(training_class: TrainingClass):
    """An enrolled learner who can sign in; else the demo learner account, enrolled for the demo."""
    from lms.people.models import Person

    enrolment = (
        Enrolment.objects.filter(training_class=training_class, status=Enrolment.Status.ENROLLED,
                                 person__user__isnull=False)
        .select_related("person").order_by("pk").first()
    )
    if enrolment is not None:
        return enrolment.person
    if Certificate.objects.filter(person__user__isnull=False).exists():
        return None
    person = (
        Person.objects.filter(user__isnull=False, user__must_change_password=False, user__is_staff=False)
        .order_by("pk").first()
    )
    if person is not None:
        Enrolment.objects.get_or_create(training_class=training_class, person=person)
    return person


def _demo_seal():
    """A drawn red seal with the school's name, stored as a Wagtail image once."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont
    from wagtail.images.models import Image

    from .fonts import cjk_font_path

    title = "演示公章"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    size, red = 400, (200, 16, 30, 255)
    picture = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((12, 12, size - 12, size - 12), outline=red, width=14)
    star = ImageFont.truetype(str(cjk_font_path()), 120)
    draw.text((size / 2, size / 2), "★", font=star, fill=red, anchor="mm")
    font = ImageFont.truetype(str(cjk_font_path()), 40)
    draw.text((size / 2, size * 0.78), school_name()[:8], font=font, fill=red, anchor="mm")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="demo-seal.png"))


def _demo_school_settings() -> None:
    school = CertificateSettings.load()
    if school.seal_id is None:
        school.seal = _demo_seal()
        school.signatory = school.signatory or "校长 王建国"
        school.save()


def _demo_rules(training_class: TrainingClass, design: str) -> bool:
    """Give a demo class its design; False (and no rules left) when nobody would be eligible."""
    # The rules are those of the class's training mode: a class is eligible only where its records say so.
    rules, created = ClassCertificateRules.objects.get_or_create(training_class=training_class,
                                                                 defaults={"design": design})
    if any(row.eligible for row in completion_for_class(training_class=training_class)):
        return True
    if created:
        rules.delete()
    return False


def _classes_to_issue(classes: list[TrainingClass]) -> list[TrainingClass]:
    """Up to CLASSES_TO_CLOSE classes with an eligible learner, one per design; else the first, issued by hand."""
    # A trip class whose trip reports are not linked, say, would show a run that issues nothing.
    chosen: list[TrainingClass] = []
    for training_class in classes:
        if len(chosen) == CLASSES_TO_CLOSE:
            break
        if _demo_rules(training_class, DEMO_DESIGNS[len(chosen) % len(DEMO_DESIGNS)]):
            chosen.append(training_class)
    if not chosen and classes:
        ClassCertificateRules.objects.get_or_create(training_class=classes[0], defaults={"design": DEMO_DESIGNS[0]})
        chosen = classes[:1]
    return chosen


def build(*, stdout) -> None:
    """Close finished demo classes and issue their certificates (the Celery job, run in-process)."""
    from .services import certificate_issue
    from .tasks import issue_class_certificates

    classes = _candidates(timezone.localdate())
    if not classes:
        stdout.write("certificates: no finished demo class with learners; nothing to issue\n")
        return
    _demo_school_settings()
    issued_classes = [tc for tc in classes if IssueBatch.objects.filter(training_class=tc).exists()]
    for training_class in _classes_to_issue([tc for tc in classes if tc not in issued_classes]):
        _close(training_class)
        batch = IssueBatch.objects.create(training_class=training_class)
        issued_classes.append(training_class)
        # apply() runs the real task here, so the demo works whether or not a worker is up.
        issue_class_certificates.apply(args=[batch.pk])
        # A learner with an account gets one in any case, so the demo learner can download and scan it.
        person = _learner_with_account(training_class)
        if person is not None and not Certificate.objects.filter(training_class=training_class, person=person).exists():
            certificate_issue(training_class=training_class, person=person, manual_reason=DEMO_REASON)
    total = Certificate.objects.filter(training_class__in=issued_classes).count()
    stdout.write(f"certificates: {len(issued_classes)} closed classes, {total} certificates\n")

"""Demo 评教: most learners rate the sessions they attended and their ended classes; a few teachers score low."""

import random
from collections import Counter

from lms.classes.models import ATTENDED, Attendance, Enrolment, Session, TrainingClass

from .models import INDICATORS, Evaluation, EvaluationRequirement
from .selectors import class_has_ended

SEED = 20261203
RATE_SHARE = 0.7
COMMENTS = [
    "联系村里实际，讲得很透彻，希望多安排这样的课。", "案例丰富，对做好村务公开很有帮助。",
    "内容较多，时间有点紧，建议留出讨论时间。", "老师准备充分，答疑耐心。", "希望多讲一些发展集体经济的具体做法。",
    "照本宣科，联系实际不够。", "课件字太小，后排看不清。", "讲解生动，听得懂、用得上。",
]
CODES = [code for code, _label in INDICATORS]


def _scores(rng: random.Random, quality: float) -> dict[str, int]:
    return {code: max(1, min(4, round(rng.gauss(quality, 0.55)))) for code in CODES}


def build(*, stdout) -> None:
    """Ratings for the demo classes (skipped when there are already ratings)."""
    if Evaluation.objects.exists():
        stdout.write("evaluations demo: ratings already there")
        return
    rng = random.Random(SEED)
    sessions = {s.pk: s for s in Session.objects.filter(state=Session.State.HELD).select_related("teacher")}
    taught = Counter(s.teacher_id for s in sessions.values() if s.teacher_id)
    quality = {tid: rng.uniform(3.2, 3.8) for tid in sorted(taught)}
    if len(taught) >= 2:
        quality[min(sorted(taught), key=lambda tid: taught[tid])] = 2.5  # the one the school must talk to
    rows = []
    for sid, pid in Attendance.objects.filter(session_id__in=sessions, status__in=ATTENDED).values_list(
            "session_id", "person_id").order_by("session_id", "person_id"):
        if rng.random() >= RATE_SHARE:
            continue
        s = sessions[sid]
        rows.append(Evaluation(person_id=pid, training_class_id=s.training_class_id, session_id=sid,
                               teacher_id=s.teacher_id, comment=rng.choice(COMMENTS) if rng.random() < 0.2 else "",
                               **_scores(rng, quality.get(s.teacher_id, 3.4))))
    for tc in TrainingClass.objects.order_by("pk"):
        if not class_has_ended(training_class=tc):
            EvaluationRequirement.objects.get_or_create(training_class=tc, defaults={"required": True})
            continue
        for pid in Enrolment.objects.filter(training_class=tc, status=Enrolment.Status.ENROLLED).values_list(
                "person_id", flat=True).order_by("person_id"):
            if rng.random() < 0.8:
                rows.append(Evaluation(person_id=pid, training_class=tc, session=None, teacher=None,
                                       comment=rng.choice(COMMENTS) if rng.random() < 0.15 else "",
                                       **_scores(rng, 3.5)))
    Evaluation.objects.bulk_create(rows, batch_size=2000)
    stdout.write(f"evaluations demo: {len(rows)} ratings, classes still running require 评教")

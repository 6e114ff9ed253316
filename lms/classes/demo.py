"""Demo data: a year of the township Party school and two years of county special classes.

Reproduces the seed's figures from real records: the township school holds 10+ classes and 600+
person-times a year ("举办各类培训10余期，培训600余人次"); the county holds 25 special classes in
two years ("先后举办了专题培训班25期"). Classes are matched on (year, name), and a class that
exists is left alone, so running the step again changes nothing.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from lms.people.models import Person, Station, Teacher, Township

from .models import (
    Attendance,
    Enrolment,
    LeaveRequest,
    Session,
    StudyNote,
    TrainingClass,
    TrainingMode,
    TrainingPlan,
)
from .selectors import attendance_stats_for_class

SEED = 20260303
TOWNSHIP_YEAR = 2026
TOWNSHIP_CLASSES = 13
COUNTY_CLASSES = {2025: 12, 2026: 13}
HOURS_PER_SESSION = Decimal("3")
HALF_DAYS = [("am", (9, 0), (12, 0)), ("pm", (15, 0), (18, 0))]

TOPICS = [
    "深入学习实践科学发展观", "党风廉政建设与警示教育", "“三议一表决”工作法", "村务公开与民主管理",
    "发展村级集体经济", "远程教育站点管理与使用", "村级财务管理", "农村基层党组织建设", "党章党规学习",
    "社会管理创新", "招商引资与市场经济", "农业实用技术", "法律知识与依法治村", "五星级村创建",
]
TOWNSHIP_NAMES = [
    "村党支部书记轮训班", "村委会主任培训班", "后备干部培训班", "党员冬训班", "远程教育站点管理员培训班",
    "村级财务人员培训班", "实践基地观摩班", "宣讲报告会", "大学生村官培训班", "村“两委”成员轮训班",
    "赴典型村考察学习班", "学历提升辅导班", "春季集中轮训班",
]
MODES = [m.value for m in TrainingMode]
# A class's training mode follows from what it is (赴省外考察学习班 is off-site), not from a rotation.
MODE_WORDS = [("考察", TrainingMode.OFF_SITE), ("远程教育", TrainingMode.REMOTE), ("远教", TrainingMode.REMOTE),
              ("实践基地", TrainingMode.PRACTICE_BASE), ("观摩", TrainingMode.PRACTICE_BASE),
              ("宣讲", TrainingMode.LECTURE_TOUR), ("报告会", TrainingMode.LECTURE_TOUR),
              ("学历", TrainingMode.DEGREE)]


def mode_for(name: str) -> str:
    """The training mode a class of this name is run in; a class named for none of them is a 集中轮训."""
    return next((mode.value for word, mode in MODE_WORDS if word in name), TrainingMode.CENTRALISED.value)
COUNTY_NAMES = [
    "全县村党组织书记示范培训班", "村委会主任依法履职专题班", "基层党风廉政建设专题班", "发展村级集体经济专题班",
    "村务公开民主管理专题班", "远程教育站点管理员专题班", "后备干部能力提升班", "赴省外考察学习班",
    "五星级村创建经验交流班", "社会管理创新专题班", "乡村振兴政策解读班", "党章党规专题班", "“三议一表决”专题班",
]
NOTE_THOUGHTS = [
    "要把学到的政策用到村里的实际工作中，带头落实。", "回村后要在“两委”会上传达，结合本村实际制定措施。",
    "对照先进村找差距，下一步要在村务公开上多下功夫。", "发展集体经济要因地制宜，先把合作社办好。",
    "要严守纪律，做到清正廉洁，接受群众监督。",
]
MARKS = [("present", 90), ("late", 4), ("left_early", 1), ("leave_sick", 1), ("leave_personal", 1),
         ("leave_official", 0.5), ("absent", 2.5)]


def _mark(rng: random.Random) -> str:
    return rng.choices([m for m, _w in MARKS], weights=[w for _m, w in MARKS])[0]


class _TeacherBook:
    """Hands out teachers so that no teacher teaches two sessions at once."""

    def __init__(self, teachers):
        self.teachers, self.busy = teachers, set()

    def take(self, date, half) -> Teacher | None:
        for teacher in self.teachers:
            if (teacher.pk, date, half) not in self.busy:
                self.busy.add((teacher.pk, date, half))
                return teacher
        return None


def build(*, stdout) -> None:
    """Create the demo classes (skipping those already there)."""
    township = Township.objects.order_by("sort_order", "name").first()
    if township is None:
        stdout.write("classes demo: no county yet, skipped")
        return
    from wagtail.documents.models import Document

    rng = random.Random(SEED)
    book = _TeacherBook(list(Teacher.objects.order_by("name")))
    lesson_plan = Document.objects.filter(title__contains="教案").order_by("pk").first()
    existing = {(c.year, c.name): c for c in TrainingClass.objects.all()}
    for tc in Session.objects.select_related(None).values_list("teacher_id", "date", "half_day"):
        book.busy.add(tuple(tc))
    locals_ = list(Person.objects.filter(village__township=township, is_active=True).order_by("pk"))
    leaders = list(Person.objects.filter(is_active=True, posts__code__in=["secretary", "director"])
                   .distinct().order_by("pk"))
    stations = list(Station.objects.filter(township=township).order_by("pk"))
    made = 0
    for i in range(TOWNSHIP_CLASSES):
        start = datetime.date(TOWNSHIP_YEAR, 1 + (i * 11) // TOWNSHIP_CLASSES, 6 + (i % 3) * 7)
        name = f"{township.name}{TOWNSHIP_NAMES[i % len(TOWNSHIP_NAMES)]}"
        if (TOWNSHIP_YEAR, name) in existing:
            continue
        people = rng.sample(locals_, k=min(len(locals_), rng.randint(46, 50)))
        _make_class(rng, book, lesson_plan, stations, name=name, year=TOWNSHIP_YEAR, mode=mode_for(name),
                    township=township, start=start, people=people, sessions=rng.randint(3, 5))
        made += 1
    for year, count in COUNTY_CLASSES.items():
        for i in range(count):
            name = f"{year}年{COUNTY_NAMES[i % len(COUNTY_NAMES)]}"
            if (year, name) in existing:
                continue
            start = datetime.date(year, 2 + (i * 10) // count, 10 + (i % 2) * 8)
            elective = year == TOWNSHIP_YEAR and i >= count - 2
            if elective:
                start = datetime.date(year, 12, 8 + (i % 2) * 7)
            people = rng.sample(leaders, k=min(len(leaders), rng.randint(30, 45)))
            _make_class(rng, book, lesson_plan, stations=[], name=name, year=year, mode=mode_for(name),
                        township=None, start=start, people=people[:20] if elective else people,
                        sessions=rng.randint(4, 8), elective=elective)
            made += 1
    linked = _link_courses()
    stdout.write(f"classes demo: {made} classes created, {linked} linked to the courses they teach")


def _link_courses() -> int:
    """Give each class without courses the catalogue courses its session topics name (else one by turn)."""
    from courses.models import CoursePage

    courses = list(CoursePage.objects.live().order_by("path"))
    if not courses:
        return 0
    linked = 0
    bare = TrainingClass.objects.filter(courses__isnull=True).prefetch_related("sessions").order_by("pk")
    for n, tc in enumerate(bare):
        topics = {session.topic[:4] for session in tc.sessions.all()}
        taught = [c for c in courses if any(t in c.title for t in topics)] or [courses[n % len(courses)]]
        tc.courses.set(taught[:3])
        linked += 1
    return linked


def _make_class(rng, book, lesson_plan, stations, *, name, year, mode, township, start, people, sessions,
                elective=False) -> TrainingClass:
    today = timezone.localdate()
    days = (sessions + 1) // 2
    ends = start + datetime.timedelta(days=days - 1)
    state = (TrainingClass.State.ENROLLING if elective else TrainingClass.State.CLOSED if ends < today
             else TrainingClass.State.RUNNING)
    station = rng.choice(stations) if stations and mode == TrainingMode.REMOTE else None
    tc = TrainingClass.objects.create(
        name=name, year=year, term="", mode=mode, organiser_township=township, starts_on=start, ends_on=ends,
        place_kind=TrainingClass.PlaceKind.STATION if station else TrainingClass.PlaceKind.SCHOOL,
        place_station=station, capacity=60 if not elective else 30, is_elective=elective,
        planned_credit_hours=HOURS_PER_SESSION * sessions, fee_per_learner=Decimal("0.00") if township else
        Decimal("120.00"), state=state, notes_required=1,
        assessment_held_on=ends if state == TrainingClass.State.CLOSED and rng.random() < 0.9 else None,
    )
    TrainingPlan.objects.create(
        training_class=tc, aims=f"通过{name}，提高村干部的政策理论水平和履职能力。",
        schedule=f"{start:%Y年%m月%d日}起，共{sessions}个半天，每半天{HOURS_PER_SESSION}学时。",
        assessment="结业时闭卷测试，并检查学习笔记。", approved_by=_approver(), approved_at=timezone.make_aware(
            datetime.datetime.combine(start - datetime.timedelta(days=14), datetime.time(10))),
    )
    Enrolment.objects.bulk_create(
        Enrolment(training_class=tc, person=p, source=Enrolment.Source.SELF if elective else
                  Enrolment.Source.ASSIGNED) for p in people
    )
    made = []
    for n in range(sessions):
        date = start + datetime.timedelta(days=n // 2)
        half, begin, end = HALF_DAYS[n % 2]
        held = date < today and not elective
        made.append(Session(
            training_class=tc, date=date, starts_at=datetime.time(*begin), ends_at=datetime.time(*end),
            half_day=half, topic=TOPICS[(n + len(name)) % len(TOPICS)], teacher=book.take(date, half),
            place="乡党校教室" if township else "县委党校报告厅", station=station, credit_hours=HOURS_PER_SESSION,
            lesson_plan=lesson_plan if held and rng.random() < 0.98 else None,
            state=Session.State.HELD if held else Session.State.SCHEDULED,
            attendance_taken_at=timezone.make_aware(datetime.datetime.combine(date, datetime.time(*begin)))
            if held else None,
        ))
    Session.objects.bulk_create(made)
    _attendance(rng, tc, [s for s in made if s.state == Session.State.HELD], people, station)
    _pending_leave(rng, [s for s in made if s.state == Session.State.SCHEDULED and s.date > today], people)
    return tc


def _approver():
    """The Party school's 教务 account approves the plans and decides leave (the accounts demo made it)."""
    from lms.accounts.models import User

    return User.objects.filter(username="jiaowu").first()


def _pending_leave(rng, upcoming, people) -> None:
    """A few learners have asked for leave from sessions still to come; staff have not decided yet."""
    if not upcoming or not people:
        return
    LeaveRequest.objects.bulk_create(
        LeaveRequest(session=rng.choice(upcoming), person=p, kind="leave_personal", reason="家中有事，需请假半天")
        for p in rng.sample(people, k=min(2, len(people))))


def _attendance(rng, tc, held, people, station) -> None:
    rows, leaves = [], []
    approver = _approver()
    for s in held:
        for p in people:
            status = _mark(rng)
            method = Attendance.Method.STATION if station else rng.choice(
                [Attendance.Method.QR, Attendance.Method.QR, Attendance.Method.ROSTER])
            signed = s.starts() + datetime.timedelta(minutes=rng.randint(-20, 25) if status == "late" else -10)
            rows.append(Attendance(session=s, person=p, status=status, method=method,
                                   signed_in_at=signed if status in ("present", "late", "left_early") else None))
            decided = s.starts() - datetime.timedelta(days=1)
            if status.startswith("leave_"):
                rows[-1].method = Attendance.Method.LEAVE
                back = rng.random() < 0.75  # most report back after the session; some have not yet
                leaves.append(LeaveRequest(
                    session=s, person=p, kind=status, reason="村里有急事需要处理", decided_by=approver,
                    decided_at=decided, state=LeaveRequest.State.REPORTED_BACK if back else LeaveRequest.State.APPROVED,
                    reported_back_at=s.ends() + datetime.timedelta(hours=20) if back else None))
            elif status == "absent" and rng.random() < 0.3:
                leaves.append(LeaveRequest(
                    session=s, person=p, kind="leave_personal", reason="想请假去赶集", decided_by=approver,
                    decided_at=decided, state=LeaveRequest.State.REFUSED, decision_note="理由不充分，请按时参加"))
    Attendance.objects.bulk_create(rows)
    LeaveRequest.objects.bulk_create(leaves)
    if held:
        diligence = 1.0 if rng.random() < 0.85 else 0.9
        notes = []
        for p in people:
            if rng.random() < diligence:
                session = rng.choice(held)
                notes.append(StudyNote(person=p, training_class=tc, session=session, text=(
                    f"学习“{session.topic}”的体会：{rng.choice(NOTE_THOUGHTS)}")))
        StudyNote.objects.bulk_create(notes)
    if tc.state == TrainingClass.State.CLOSED:
        _flag_over_cap(tc)


def _flag_over_cap(tc) -> None:
    """Staff flagged the learners over the leave cap when the class closed."""
    over = [pid for pid, st in attendance_stats_for_class(training_class=tc).items() if st.over_leave_cap]
    Enrolment.objects.filter(training_class=tc, person_id__in=over).update(
        leave_cap_flagged_at=timezone.make_aware(datetime.datetime.combine(tc.ends_on, datetime.time(18))))

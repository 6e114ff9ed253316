"""Two townships with one of everything each, and one user per role: the data of the scope and URL-walk tests.

Each township's learner has a name, a phone and files that must never reach the other township's organiser,
the other learner, or anyone without a role; a county-wide class organised by the east township enrols both.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from wagtail.documents import get_document_model

from lms.accounts.roles import BUDGET_OFFICER, ORGANISER, STAFF
from lms.budget.ledger import allowance_account_open
from lms.budget.models import LedgerEntry
from lms.budget.services import claim_create, receipt_add
from lms.certificates.models import Certificate
from lms.classes.models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    LeaveRequest,
    NotePhoto,
    Session,
    StudyNote,
    TrainingClass,
)
from lms.people.models import Person, Station
from lms.trips.models import Participant, Trip, TripReport, TripReportPhoto
from lms.videos.models import Video, WatchProgress
from tests.factories import PersonFactory, TeacherFactory, TownshipFactory, UserFactory, VillageFactory, learner_for


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()
"""A real, decodable picture (uploads are checked by content)."""
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Side:
    """What belongs to one township: its people, its learner's account and every object about them."""

    township: object
    village: object
    person: Person
    learner: object
    organiser: object
    station: Station
    objects: dict = field(default_factory=dict)

    @property
    def secrets(self) -> list[str]:
        """Strings that only people allowed to see this side may ever receive."""
        return [self.person.name, self.person.phone] + [name for name in self.objects.get("files", [])]


def _side(*, township_name: str, village_name: str, person_name: str, phone: str, kind: str = "township") -> Side:
    township = TownshipFactory(name=township_name, kind=kind)
    village = VillageFactory(township=township, name=village_name)
    person = PersonFactory(village=village, name=person_name, phone=phone, posts=["secretary"])
    learner = learner_for(person)
    organiser = UserFactory(username=f"organiser-{township.pk}", roles=[ORGANISER], township=township)
    station = Station.objects.create(county=township.county, township=township, village=village, level="village",
                                     name=f"{village_name}远教站点")
    return Side(township=township, village=village, person=person, learner=learner, organiser=organiser,
                station=station)


def _personal_objects(side: Side, *, county_class: TrainingClass, own_class: TrainingClass, session: Session,
                      trip: Trip, video: Video, staff) -> None:
    person, tag = side.person, side.person.phone
    objects = side.objects
    objects["enrolment"] = Enrolment.objects.create(training_class=county_class, person=person)
    if own_class != county_class:
        Enrolment.objects.create(training_class=own_class, person=person)
    objects["attendance"] = Attendance.objects.create(session=session, person=person,
                                                      status=AttendanceStatus.PRESENT, marked_by=staff)
    objects["leave"] = LeaveRequest.objects.create(session=session, person=person, kind="personal",
                                                   reason=f"事假{tag}")
    note = StudyNote.objects.create(person=person, training_class=county_class, session=session,
                                    text=f"学习体会{tag}")
    photo = NotePhoto(note=note)
    photo.image.save(f"note-{tag}.png", ContentFile(PNG + tag.encode()), save=True)
    objects["note"], objects["note_photo"] = note, photo
    year = county_class.year
    certificate = Certificate.objects.create(
        training_class=county_class, person=person, serial=f"DX{year}-{tag}", year=year, number=int(tag[-4:]),
        holder_name=person.name, class_name=county_class.name, starts_on=county_class.starts_on,
        ends_on=county_class.ends_on, design="classic", issued_by=staff)
    certificate.pdf.save(f"cert-{tag}.pdf", ContentFile(PDF + tag.encode()), save=True)
    objects["certificate"] = certificate
    claim = claim_create(person=person, by=side.learner, cost_type="travel", amount=Decimal("120.00"),
                         description="车费", incurred_on=datetime.date(year, 3, 5))
    receipt = receipt_add(claim=claim, file=SimpleUploadedFile(f"receipt-{tag}.pdf", PDF + tag.encode(),
                                                                 content_type="application/pdf"), by=side.learner)
    objects["claim"], objects["receipt"] = claim, receipt
    objects["participant"] = participant = Participant.objects.create(trip=trip, person=person)
    report = TripReport.objects.create(participant=participant, title=f"考察报告{tag}", body="收获很大")
    trip_photo = TripReportPhoto(report=report)
    trip_photo.image.save(f"trip-{tag}.png", ContentFile(PNG + tag.encode()), save=True)
    objects["trip_report"], objects["trip_photo"] = report, trip_photo
    account = allowance_account_open(person=person, year=county_class.year)
    objects["ledger"] = LedgerEntry.objects.filter(account=account).first()
    objects["watch"] = WatchProgress.objects.create(user=side.learner, video=video, watched_seconds=30)
    objects["files"] = [
        photo.image.name.rsplit("/", 1)[-1], certificate.pdf.name.rsplit("/", 1)[-1],
        receipt.file.name.rsplit("/", 1)[-1], trip_photo.image.name.rsplit("/", 1)[-1],
    ]


@dataclass
class World:
    east: Side
    west: Side
    staff: object
    officer: object
    superuser: object
    county_class: TrainingClass
    west_class: TrainingClass
    session: Session
    trip: Trip
    video: Video

    def users(self) -> dict:
        """Every role, by a short name (anonymous is None)."""
        return {
            "anonymous": None, "learner_east": self.east.learner, "learner_west": self.west.learner,
            "staff": self.staff, "officer": self.officer, "organiser_east": self.east.organiser,
            "organiser_west": self.west.organiser, "superuser": self.superuser,
        }


def build_world() -> World:
    """Create the two townships, their people and objects, and the role accounts."""
    east = _side(township_name="东风乡", village_name="红星村", person_name="东方明", phone="13900000001")
    west = _side(township_name="西河镇", village_name="和平村", person_name="西门雪", phone="13900000002",
                 kind="town")
    staff = UserFactory(username="jiaowu", roles=[STAFF])
    officer = UserFactory(username="caiwu", roles=[BUDGET_OFFICER])
    superuser = UserFactory(username="admin", is_superuser=True, is_staff=True)
    today = timezone.localdate()
    county_class = TrainingClass.objects.create(
        name="全县村党组织书记轮训班", year=today.year, mode="centralised", organiser_township=east.township,
        starts_on=today - datetime.timedelta(days=3), ends_on=today + datetime.timedelta(days=3),
        state=TrainingClass.State.RUNNING, capacity=50, planned_credit_hours=Decimal("7"))
    west_class = TrainingClass.objects.create(
        name="西河镇两委干部培训班", year=today.year, mode="centralised", organiser_township=west.township,
        starts_on=today - datetime.timedelta(days=3), ends_on=today + datetime.timedelta(days=3),
        state=TrainingClass.State.RUNNING, capacity=50, planned_credit_hours=Decimal("7"))
    session = Session.objects.create(
        training_class=county_class, date=today, starts_at=datetime.time(9), ends_at=datetime.time(11),
        half_day="am", topic="学习党章", credit_hours=Decimal("2"), teacher=TeacherFactory())
    trip = Trip.objects.create(title="赴苏州考察学习", starts_on=today, ends_on=today + datetime.timedelta(days=2),
                               training_class=county_class)
    video = Video.objects.create(title="党课视频", duration=600)
    west_session = Session.objects.create(
        training_class=west_class, date=today, starts_at=datetime.time(14), ends_at=datetime.time(16),
        half_day="pm", topic="村务公开", credit_hours=Decimal("2"))
    # The county class's plan is for all its learners; the west class's plan only for west's people.
    for side, lesson_session, tag in ((east, session, "county"), (west, west_session, west.person.phone)):
        plan = get_document_model()(title=f"教案{tag}")
        plan.file.save(f"plan-{tag}.pdf", ContentFile(PDF + tag.encode()), save=True)
        lesson_session.lesson_plan = plan
        lesson_session.save(update_fields=["lesson_plan"])
        side.objects["lesson_plan"] = plan
    for side in (east, west):
        _personal_objects(side, county_class=county_class, own_class=west_class if side is west else county_class,
                          session=session, trip=trip, video=video, staff=staff)
    return World(east=east, west=west, staff=staff, officer=officer, superuser=superuser, county_class=county_class,
                 west_class=west_class, session=session, trip=trip, video=video)

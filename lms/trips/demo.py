"""Demo data: the seed's three field-study trips (Beijing, Suzhou, Shanghai) with 125 secretaries and directors.

Idempotent: a trip already present (same title and start date) is left as it is.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from lms.accounts.models import User
from lms.budget.ledger import fund_open
from lms.people.models import Person
from lms.people.posts import DIRECTOR, SECRETARY

from .models import Destination, ItineraryItem, Participant, RollCall, Trip, TripCost, TripReport, TripReportPhoto
from .settlement import trip_settle

FIELD_STUDY_FUND = ("field-study", "考察学习专项经费", Decimal("200000.00"))
PARTY_SCHOOL_FUND = ("party-school", "党校培训经费", Decimal("120000.00"))

TRIPS = [
    {
        "title": "赴北京考察学习", "month": 5, "day": 12, "days": 5, "size": 45, "credit_hours": "32",
        "destinations": [("北京", "city"), ("房山区韩村河村", "model_village")],
        "transport": "县城—乌鲁木齐 大巴；乌鲁木齐—北京 动卧往返", "lodging": "中共北京市委党校学员公寓（双人间）",
        "costs": [("transport", "往返火车票", "40500.00"), ("lodging", "住宿4晚", "21600.00"),
                  ("meals", "伙食", "9450.00"), ("lectures", "专题讲座课酬", "6000.00"),
                  ("single_room", "单间差价", "1200.00")],
        "itinerary": [
            ("travel", "县城出发，乘动卧赴北京", "乌鲁木齐站", ""),
            ("lecture", "专题讲座：新时代农村基层党组织建设", "北京市委党校", "北京市委党校"),
            ("visit", "参观韩村河村集体经济发展", "房山区韩村河村", "韩村河村党委"),
            ("host_site", "座谈：村务公开与\"三议一表决\"", "房山区韩村河村", "韩村河村委会"),
            ("visit", "参观中国共产党历史展览馆", "朝阳区", ""),
            ("travel", "返程", "北京西站", ""),
        ],
        "state": "settled",
    },
    {
        "title": "赴苏州考察学习", "month": 7, "day": 8, "days": 4, "size": 40, "credit_hours": "24",
        "destinations": [("苏州", "city"), ("张家港市永联村", "model_village"), ("江阴市华西村", "model_village")],
        "transport": "飞机往返（乌鲁木齐—上海虹桥），当地大巴", "lodging": "苏州干部学院（双人间）",
        "costs": [("transport", "机票及大巴", "24800.00"), ("lodging", "住宿3晚", "14400.00"),
                  ("meals", "伙食", "6000.00"), ("tickets", "参观门票", "1000.00")],
        "itinerary": [
            ("travel", "飞抵上海虹桥，转大巴赴苏州", "上海虹桥", ""),
            ("visit", "永联村：以工兴村、发展村级集体经济", "张家港市永联村", "永联村党委"),
            ("visit", "华西村：村企合一的发展道路", "江阴市华西村", "华西村党委"),
            ("lecture", "现场教学：党风廉政建设与村务监督", "苏州干部学院", "苏州干部学院"),
            ("travel", "返程", "上海虹桥", ""),
        ],
        "state": "settled",
    },
    {
        "title": "赴上海考察学习", "month": 9, "day": 16, "days": 4, "size": 40, "credit_hours": "24",
        "destinations": [("上海", "city"), ("浦东新区", "city")],
        "transport": "飞机往返，当地大巴", "lodging": "上海浦东干部学院（双人间）",
        "costs": [("transport", "机票及大巴", "25200.00"), ("lodging", "住宿3晚", "15600.00"),
                  ("meals", "伙食", "6400.00"), ("lectures", "现场教学", "3000.00")],
        "itinerary": [
            ("travel", "飞抵上海", "浦东机场", ""),
            ("lecture", "专题讲座：城乡统筹与社区治理", "上海浦东干部学院", "浦东干部学院"),
            ("visit", "参观浦东新区社区党建服务中心", "浦东新区", ""),
            ("visit", "参观嘉定区农村集体经济合作社", "嘉定区", ""),
            ("travel", "返程", "浦东机场", ""),
        ],
        "state": "finished",
    },
]

REPORT_BODY = (
    "通过这次考察学习，我们实地看到了先进村在发展村级集体经济、推进村务公开、落实\"三议一表决\"方面的做法。"
    "回村后，我将结合本村实际，带领两委班子学习先进经验，把考察成果转化为推动发展的实际举措。"
)


RETURN_NOTE = "请补充回村后的具体举措，并附上参观现场照片。"


def _photo(seed: int) -> bytes:
    """A small stand-in site photo (sky, fields and a building), different for each seed."""
    image = Image.new("RGB", (640, 420), (158 + seed * 7 % 60, 198, 232))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 260, 640, 420), fill=(96, 150 + seed * 11 % 60, 72))
    left = 80 + seed * 37 % 300
    draw.rectangle((left, 150, left + 200, 300), fill=(205, 92, 70))
    draw.polygon([(left - 20, 150), (left + 100, 80), (left + 220, 150)], fill=(150, 40, 36))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=70)
    return out.getvalue()


def _demo_learner_id() -> int | None:
    """The demo learner's cadre: the first secretary by township and village, as the accounts demo picks."""
    holders = Person.objects.filter(posts__code=SECRETARY)
    return holders.order_by("village__township__sort_order", "village__name", "phone").values_list(
        "pk", flat=True).first()


def _users():
    staff = User.objects.filter(username="jiaowu").first() or User.objects.filter(is_superuser=True).first()
    officer = User.objects.filter(username="caiwu").first() or User.objects.filter(is_superuser=True).first()
    return staff, officer


def _travellers(count_needed: int) -> list[Person]:
    """Secretaries and directors, picked evenly across the townships, in a stable order."""
    everyone = list(
        Person.objects.filter(posts__code__in=[SECRETARY, DIRECTOR], is_active=True)
        .distinct().order_by("village__township__sort_order", "village__name", "phone")
    )
    if len(everyone) <= count_needed:
        return everyone
    # Cadres with demo sign-ins go first, so a demo learner finds their trip, statement and report.
    with_account = [p for p in everyone if p.user_id is not None][:count_needed]
    rest = [p for p in everyone if p.user_id is None]
    wanted = count_needed - len(with_account)
    return with_account + [rest[index * len(rest) // wanted] for index in range(wanted)]


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _build_trip(spec, *, year, people, staff, officer, fund, stdout) -> None:
    starts_on = datetime.date(year, spec["month"], spec["day"])
    if Trip.objects.filter(title=spec["title"], starts_on=starts_on).exists():
        return
    ends_on = starts_on + datetime.timedelta(days=spec["days"] - 1)
    total = sum(Decimal(amount) for _i, _d, amount in spec["costs"])
    trip = Trip.objects.create(
        title=spec["title"], starts_on=starts_on, ends_on=ends_on, transport=spec["transport"],
        lodging=spec["lodging"], cost_budget=(total * Decimal("1.05")).quantize(Decimal("1")),
        credit_hours=Decimal(spec["credit_hours"]), fund=fund, state=Trip.State.FINISHED,
    )
    if staff is not None:
        trip.staff_in_charge.add(staff)
    for order, (name, kind) in enumerate(spec["destinations"]):
        Destination.objects.create(trip=trip, sort_order=order, name=name, kind=kind)
    items = spec["itinerary"]
    for order, (kind, title, place, host) in enumerate(items):
        day = starts_on + datetime.timedelta(days=min(order * spec["days"] // len(items), spec["days"] - 1))
        ItineraryItem.objects.create(trip=trip, sort_order=order, day=day, kind=kind, title=title, place=place,
                                     host=host, starts_at=datetime.time(9 if order % 2 == 0 else 14, 30))
    participants = Participant.objects.bulk_create([Participant(trip=trip, person=p) for p in people])
    participants = list(trip.participants.select_related("person").order_by("pk"))
    roll = []
    for offset in range(spec["days"]):
        day = starts_on + datetime.timedelta(days=offset)
        for index, participant in enumerate(participants):
            roll.append(RollCall(participant=participant, day=day, present=not (index == 7 and offset == 1),
                                 note="请假半天" if index == 7 and offset == 1 else "", taken_by=staff))
    RollCall.objects.bulk_create(roll)
    for item, description, amount in spec["costs"]:
        cost = TripCost.objects.create(trip=trip, item=item, description=description, amount=Decimal(amount),
                                       entered_by=staff)
        if item == "single_room":
            cost.shared_by.set(participants[:4])
    _write_reports(spec, participants=participants, ends_on=ends_on, staff=staff)
    if spec["state"] == Trip.State.SETTLED and officer is not None:
        trip_settle(trip=trip, by=officer, at=_aware(ends_on + datetime.timedelta(days=12), 15))
    trip.refresh_from_db(fields=["state"])
    stdout.write(f"  trip {trip.title}: {len(participants)} participants, {trip.get_state_display()}")


def _write_reports(spec, *, participants, ends_on, staff) -> None:
    """Reports in every review state, with site photos; the demo learner's is returned with a note."""
    learner_id = _demo_learner_id()
    reviewed = {TripReport.State.ACCEPTED, TripReport.State.RETURNED}
    photos = []
    for index, participant in enumerate(participants):
        state = [TripReport.State.ACCEPTED, TripReport.State.ACCEPTED, TripReport.State.SUBMITTED,
                 TripReport.State.DRAFT][index % 4]
        if participant.person_id == learner_id:
            state = TripReport.State.RETURNED
        report = TripReport.objects.create(
            participant=participant, title=f"{spec['title']}心得", body=REPORT_BODY, state=state,
            submitted_at=_aware(ends_on + datetime.timedelta(days=5)) if state != TripReport.State.DRAFT else None,
            reviewed_by=staff if state in reviewed else None,
            reviewed_at=_aware(ends_on + datetime.timedelta(days=9)) if state in reviewed else None,
            review_note=RETURN_NOTE if state == TripReport.State.RETURNED else "",
        )
        if state != TripReport.State.DRAFT:
            photos.append(TripReportPhoto(report=report, caption=f"{spec['destinations'][-1][0]}现场",
                                          image=ContentFile(_photo(index), name=f"trip-{participant.pk}.jpg")))
    for photo in photos:
        photo.save()


def build(*, stdout) -> None:
    """Create the three trips of the current year and the county funds that back them."""
    year = timezone.localdate().year
    field_fund = fund_open(code=FIELD_STUDY_FUND[0], name=FIELD_STUDY_FUND[1], year=year,
                           amount=FIELD_STUDY_FUND[2])
    fund_open(code=PARTY_SCHOOL_FUND[0], name=PARTY_SCHOOL_FUND[1], year=year, amount=PARTY_SCHOOL_FUND[2])
    travellers = _travellers(sum(spec["size"] for spec in TRIPS))
    if not travellers:
        stdout.write("  trips: no cadres yet, skipped")
        return
    staff, officer = _users()
    start = 0
    for spec in TRIPS:
        group = travellers[start:start + spec["size"]]
        start += spec["size"]
        if group:
            _build_trip(spec, year=year, people=group, staff=staff, officer=officer, fund=field_fund, stdout=stdout)

"""`make bench` figure: fan-out of one announcement to 50,000 learners, against a bare bulk insert of the same rows.

Builds its own township of learners with accounts (times scale), sends one announcement through the real
service (in batches, with preferences, rendering, the unique key and progress counting) and times it; then
bulk inserts the same number of finished message rows in one go. Reports messages per second and the ratio.
"""

import time

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from lms.accounts.models import User
from lms.people.models import County, Person, Township, Village

from .models import Announcement, Message
from .services import announcement_fan_out, message_type_get

LEARNERS = 50_000
PER_VILLAGE = 25
# The fan-out renders each message, reads preferences and counts progress per batch of 2,000: at 50,000
# learners it runs about 2x a bare insert of the finished rows; the limit leaves headroom for slower disks.
RATIO_LIMIT = 4.0
# Messages per second the fan-out must reach at least (reported as its inverse, seconds per 1,000).
MS_PER_1000_LIMIT = 2000.0


@transaction.atomic
def build_township(count: int) -> tuple[Township, User]:
    """A township of `count` learners with accounts, and the staff member who sends."""
    county, _created = County.objects.get_or_create(name="通知基准县")
    township = Township.objects.create(county=county, name="通知基准乡")
    villages = Village.objects.bulk_create(
        [Village(township=township, name=f"通知村{i:05d}") for i in range(max(1, count // PER_VILLAGE))])
    password = make_password("Bench@2026")
    phones = [str(16000000000 + i) for i in range(count)]
    users = User.objects.bulk_create([User(username=phone, password=password) for phone in phones], batch_size=2000)
    Person.objects.bulk_create([
        Person(name=f"通知学员{i}", gender="M", birth_year=1975, education=Person.Education.SENIOR, phone=phone,
               village=villages[i % len(villages)], user=user)
        for i, (phone, user) in enumerate(zip(phones, users, strict=True))
    ], batch_size=2000)
    staff = User.objects.create(username="bench-notify-staff", password=password, is_staff=True)
    return township, staff


def run(report, scale: float = 1.0) -> None:
    n = max(20, round(LEARNERS * scale))
    township, staff = build_township(n)
    announcement = Announcement.objects.create(title="关于学时核查的通知", text="请于年底前完成本年度学时。",
                                               audience="township", township=township, total=n, created_by=staff)
    started = time.perf_counter()
    announcement_fan_out(announcement_id=announcement.pk)
    fan_out = time.perf_counter() - started
    sent = Message.objects.filter(event_key=announcement.event_key).count()
    if sent != n:
        raise RuntimeError(f"fan-out sent {sent} messages, not {n}")

    mtype = message_type_get("announcement")
    user_ids = list(Person.objects.filter(village__township=township).values_list("user_id", flat=True))
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        Message.objects.bulk_create([
            Message(recipient_id=uid, type=mtype, event_key="bench:bare", title="关于学时核查的通知",
                    body="请于年底前完成本年度学时。", created_at=now) for uid in user_ids
        ], batch_size=2000)
    bare = time.perf_counter() - started
    print(f"lms.notifications.bench: fan-out of {n} messages {fan_out:.2f}s ({n / fan_out:,.0f}/s), "
          f"bare bulk insert {bare:.2f}s ({n / bare:,.0f}/s)")
    size = f"{n:,} learners"
    report(f"announcement fan-out: ms per 1,000 messages ({size}, {n / fan_out:,.0f} messages/s)",
           fan_out * 1000 / (n / 1000), MS_PER_1000_LIMIT, "ms")
    report(f"announcement fan-out / bare bulk insert ({size})", fan_out / bare, RATIO_LIMIT, "x")

"""Quiet hours (no SMS at night, Asia/Shanghai) and the daily SMS cap of a person."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import QuietHours, default_quiet_end, default_quiet_start

DEFAULT_DAILY_SMS_CAP = 5


@dataclass(frozen=True)
class QuietRule:
    starts_at: datetime.time
    ends_at: datetime.time
    daily_sms_cap: int

    def is_quiet(self, moment: datetime.datetime) -> bool:
        """Whether this local moment falls in the quiet hours (which may run past midnight)."""
        t = timezone.localtime(moment).time()
        if self.starts_at < self.ends_at:
            return self.starts_at <= t < self.ends_at
        return t >= self.starts_at or t < self.ends_at

    def quiet_ends_after(self, moment: datetime.datetime) -> datetime.datetime:
        """The first end of quiet hours after this moment (when held SMS go out)."""
        local = timezone.localtime(moment)
        end = local.replace(hour=self.ends_at.hour, minute=self.ends_at.minute, second=0, microsecond=0)
        return end if end > local else end + datetime.timedelta(days=1)


DEFAULT_RULE = QuietRule(default_quiet_start(), default_quiet_end(), DEFAULT_DAILY_SMS_CAP)


def quiet_rule_for(*, user_id: int) -> QuietRule:
    """The person's quiet hours and cap, or the defaults (22:00–07:00, 5 a day)."""
    row = QuietHours.objects.filter(user_id=user_id).first()
    if row is None:
        return DEFAULT_RULE
    return QuietRule(row.starts_at, row.ends_at, row.daily_sms_cap)


def local_day_start(moment: datetime.datetime) -> datetime.datetime:
    """Midnight (Asia/Shanghai) of the moment's day."""
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)

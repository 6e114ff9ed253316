"""The attendance figures of one learner in one class (read by the certificates app)."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class AttendanceStats:
    sessions_held: int
    attended: int
    absent: int
    leave_hours: Decimal
    held_hours: Decimal
    attendance_rate: Decimal
    leave_cap_hours: Decimal
    over_leave_cap: bool
    near_leave_cap: bool

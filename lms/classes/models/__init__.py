"""Classes models split by domain: classes and sessions, attendance and leave, notes, credit rules."""

from .attendance import ATTENDED, ON_LEAVE, Attendance, AttendanceCorrection, AttendanceStatus, LeaveRequest
from .credit_rules import CreditRule, RequirementSetting
from .declarations import CreditDeclaration, CreditType
from .notes import NoteComment, NotePhoto, StudyNote
from .signin_sheets import SignInSheetScan
from .training import Enrolment, Session, TrainingClass, TrainingMode, TrainingPlan

__all__ = [
    "ATTENDED",
    "ON_LEAVE",
    "Attendance",
    "AttendanceCorrection",
    "AttendanceStatus",
    "CreditDeclaration",
    "CreditRule",
    "CreditType",
    "Enrolment",
    "LeaveRequest",
    "NoteComment",
    "NotePhoto",
    "RequirementSetting",
    "Session",
    "SignInSheetScan",
    "StudyNote",
    "TrainingClass",
    "TrainingMode",
    "TrainingPlan",
]

"""Training classes, sessions, enrolments (write: enrol) and attendance (write: from another sign-in system)."""

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import FilterSchema, Query, Router
from ninja.pagination import CursorPagination, paginate
from pydantic import Field

from lms.classes.attendance import attendance_mark
from lms.classes.enrolment import enrol_people
from lms.classes.models import Attendance, Enrolment
from lms.classes.scoping import is_school_staff

from ..errors import forbidden
from ..models import ExternalAttendance
from ..schemas import AttendanceIn, AttendanceOut, ClassOut, EnrolIn, EnrolmentOut, ErrorOut, SessionOut
from ..scope import attendance_for, classes_for, enrolments_for, people_for, sessions_for

router = Router(tags=["培训班、课次、报名与考勤"])


def _require_staff(request) -> None:
    if not is_school_staff(request.user):
        raise forbidden(_("Only Party school staff may do this."))


class ClassFilter(FilterSchema):
    year: int | None = Field(None, description="按年度筛选")
    mode: str | None = Field(None, description="按培训方式代码筛选")
    state: str | None = Field(None, description="按状态筛选")


@router.get("/classes", response=list[ClassOut], summary="培训班列表")
@paginate(CursorPagination, ordering=("pk",))
def class_list(request, filters: Query[ClassFilter]):
    """本账号可见的培训班：教务全部，乡镇管理员本乡镇承办或有本乡镇学员的，学员本人参加的。"""
    return filters.filter(classes_for(request.user).order_by())


@router.get("/classes/{class_id}", response=ClassOut, summary="培训班详情")
def class_detail(request, class_id: int):
    """一个培训班；看不到的返回 404。"""
    return get_object_or_404(classes_for(request.user), pk=class_id)


class SessionFilter(FilterSchema):
    training_class_id: int | None = Field(None, description="按培训班编号筛选")
    date: str | None = Field(None, description="按日期筛选（YYYY-MM-DD）")


@router.get("/sessions", response=list[SessionOut], summary="课次列表")
@paginate(CursorPagination, ordering=("pk",))
def session_list(request, filters: Query[SessionFilter]):
    """可见培训班的课次。"""
    return filters.filter(sessions_for(request.user).order_by())


@router.get("/sessions/{session_id}", response=SessionOut, summary="课次详情")
def session_detail(request, session_id: int):
    """一个课次；看不到的返回 404。"""
    return get_object_or_404(sessions_for(request.user), pk=session_id)


class EnrolmentFilter(FilterSchema):
    training_class_id: int | None = Field(None, description="按培训班编号筛选")
    person_id: int | None = Field(None, description="按学员编号筛选")
    status: str | None = Field(None, description="按状态筛选")


@router.get("/enrolments", response=list[EnrolmentOut], summary="报名列表")
@paginate(CursorPagination, ordering=("pk",))
def enrolment_list(request, filters: Query[EnrolmentFilter]):
    """报名记录；乡镇管理员只见本乡镇学员，学员只见自己。"""
    return filters.filter(enrolments_for(request.user).select_related("person").order_by())


@router.get("/enrolments/{enrolment_id}", response=EnrolmentOut, summary="报名详情")
def enrolment_detail(request, enrolment_id: int):
    """一条报名记录；看不到的返回 404。"""
    return get_object_or_404(enrolments_for(request.user).select_related("person"), pk=enrolment_id)


@router.post("/classes/{class_id}/enrolments", response={200: EnrolmentOut, 201: EnrolmentOut, 403: ErrorOut,
                                                          404: ErrorOut, 422: ErrorOut}, summary="报名")
def enrol(request, class_id: int, payload: EnrolIn):
    """教务为学员报名（名额满时进入候补）；已报名的再次提交不变，返回 200。"""
    _require_staff(request)
    training_class = get_object_or_404(classes_for(request.user), pk=class_id)
    person = get_object_or_404(people_for(request.user), pk=payload.person_id)
    result = enrol_people(training_class=training_class, people=[person], by=request.user,
                          source=Enrolment.Source.ASSIGNED)
    row = Enrolment.objects.select_related("person").get(training_class=training_class, person=person)
    return (200 if result.already else 201), row


class AttendanceFilter(FilterSchema):
    session_id: int | None = Field(None, description="按课次编号筛选")
    person_id: int | None = Field(None, description="按学员编号筛选")
    status: str | None = Field(None, description="按考勤结果筛选")


@router.get("/attendance", response=list[AttendanceOut], summary="考勤列表")
@paginate(CursorPagination, ordering=("pk",))
def attendance_list(request, filters: Query[AttendanceFilter]):
    """考勤记录；乡镇管理员只见本乡镇学员，学员只见自己。"""
    return filters.filter(attendance_for(request.user).order_by())


@router.get("/attendance/{attendance_id}", response=AttendanceOut, summary="考勤详情")
def attendance_detail(request, attendance_id: int):
    """一条考勤记录；看不到的返回 404。"""
    return get_object_or_404(attendance_for(request.user), pk=attendance_id)


@router.post("/attendance", response={200: AttendanceOut, 201: AttendanceOut, 403: ErrorOut, 404: ErrorOut,
                                      422: ErrorOut}, summary="从其他签到系统写入考勤")
def attendance_receive(request, payload: AttendanceIn):
    """按（来源系统, 外部编号）幂等：同一条签到重复发送只记录一次，返回 200 与已有记录。

    改动已记的考勤会留下更正记录。"""
    _require_staff(request)
    known = ExternalAttendance.objects.select_related("attendance").filter(
        source=payload.source, external_id=payload.external_id
    ).first()
    if known is not None:
        return 200, known.attendance
    session = get_object_or_404(sessions_for(request.user), pk=payload.session_id)
    person = get_object_or_404(people_for(request.user), pk=payload.person_id)
    try:
        with transaction.atomic():
            attendance_mark(session=session, marks={person.pk: payload.status}, by=request.user,
                            reason=_("From %(source)s, record %(id)s") % {"source": payload.source,
                                                                          "id": payload.external_id})
            row = Attendance.objects.get(session=session, person=person)
            ExternalAttendance.objects.create(source=payload.source, external_id=payload.external_id, attendance=row)
    except IntegrityError:
        # The same record arrived twice at once: the other request stored it.
        known = ExternalAttendance.objects.select_related("attendance").get(
            source=payload.source, external_id=payload.external_id
        )
        return 200, known.attendance
    return 201, row

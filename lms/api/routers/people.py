"""Cadres (read, and create/update from another roster system) and their training records (学时)."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import FilterSchema, Query, Router
from ninja.pagination import CursorPagination, paginate
from pydantic import Field

from lms.classes.records import CONCENTRATED, ONLINE, record_for
from lms.people import roster_import as roster
from lms.people.admin_views import user_may_import_roster
from lms.people.models import Person

from ..errors import ApiError, forbidden
from ..schemas import ErrorOut, PersonIn, PersonOut, PersonPatch, RecordOut
from ..scope import people_for, records_people_for

router = Router(tags=["学员"])

EDUCATION_NAMES = {value: label for label, value in roster.EDUCATION_LABELS.items()
                   if label in roster.EDUCATION_CHOICES}
GENDER_NAMES = {value: label for label, value in roster.GENDER_LABELS.items()}


class PersonFilter(FilterSchema):
    township_id: int | None = Field(None, json_schema_extra={"q": "village__township_id"}, description="按乡镇编号筛选")
    village_id: int | None = Field(None, description="按村（社区）编号筛选")
    is_active: bool | None = Field(None, description="是否在职")
    name: str | None = Field(None, description="按姓名精确查找")


@router.get("/people", response=list[PersonOut], summary="学员列表")
@paginate(CursorPagination, ordering=("pk",))
def person_list(request, filters: Query[PersonFilter]):
    """本账号可见的学员：教务看全县，乡镇管理员看本乡镇，学员只看自己。手机号对非教务角色打码，民族仅教务可见。"""
    return filters.filter(people_for(request.user).order_by())


@router.get("/people/{person_id}", response=PersonOut, summary="学员详情")
def person_detail(request, person_id: int):
    """一名学员；超出范围的返回 404。"""
    return get_object_or_404(people_for(request.user), pk=person_id)


def _row(data: dict) -> dict:
    """The API's fields as a row of the roster template, so the import's own checks apply."""
    return {
        roster.COL_NAME: data.get("name"), roster.COL_GENDER: data.get("gender"),
        roster.COL_ETHNICITY: data.get("ethnicity"), roster.COL_BIRTH_YEAR: data.get("birth_year"),
        roster.COL_EDUCATION: data.get("education"), roster.COL_PHONE: data.get("phone"),
        roster.COL_TOWNSHIP: data.get("township"), roster.COL_VILLAGE: data.get("village"),
        roster.COL_POSTS: "、".join(data.get("posts") or []), roster.COL_PARTY_DATE: data.get("party_joined_on"),
    }


def _write(request, data: dict) -> tuple[int, Person]:
    if not user_may_import_roster(request.user):
        raise forbidden(_("Only Party school staff may add or change cadres."))
    result = roster.roster_records_import(records=[_row(data)], imported_by=request.user)
    if not result.ok:
        raise ApiError(422, "invalid", "；".join(e.message for e in result.errors),
                       errors=[{"field": e.column, "message": e.message} for e in result.errors])
    person = people_for(request.user).get(phone=data["phone"])
    return (201 if result.created else 200), person


@router.post("/people", response={200: PersonOut, 201: PersonOut, 403: ErrorOut, 422: ErrorOut},
             summary="新增或更新学员")
def person_upsert(request, payload: PersonIn):
    """以手机号识别学员：新手机号新建学员和学员账号，已有手机号则更新；校验与 Excel 花名册导入完全相同。"""
    return _write(request, payload.dict())


@router.patch("/people/{person_id}", response={200: PersonOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
              summary="修改学员")
def person_update(request, person_id: int, payload: PersonPatch):
    """只改给出的字段，其余保持原值；手机号不能在此修改。校验与花名册导入相同。"""
    person = get_object_or_404(people_for(request.user), pk=person_id)
    current = {
        "name": person.name, "gender": GENDER_NAMES.get(person.gender, ""), "ethnicity": person.ethnicity,
        "birth_year": person.birth_year, "education": EDUCATION_NAMES.get(person.education, ""),
        "phone": person.phone, "township": person.village.township.name, "village": person.village.name,
        "posts": [p.name for p in person.posts.all()], "party_joined_on": person.party_joined_on,
    }
    current.update({k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None})
    _status, person = _write(request, current)
    return 200, person


@router.get("/people/{person_id}/records/{year}", response=RecordOut, summary="学员年度学时")
def person_record(request, person_id: int, year: int):
    """一名学员某年度的学习档案：集中培训与网络学习学时及明细。"""
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise ApiError(422, "invalid", _("The year is out of range."))
    person = get_object_or_404(records_people_for(request.user), pk=person_id)
    record = record_for(person=person, year=year)
    return {
        "person_id": person.pk, "year": year, "concentrated_hours": record.totals[CONCENTRATED],
        "online_hours": record.totals[ONLINE], "meets_requirement": record.meets_requirement,
        "entries": [e.__dict__ for e in record.entries],
    }

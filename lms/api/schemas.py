"""The API's data shapes, with Chinese descriptions for the OpenAPI schema."""

import datetime
from decimal import Decimal

from ninja import Field, Schema

from lms.people.privacy import phone_shown, sees_ethnicity


class ErrorOut(Schema):
    code: str = Field(description="稳定的错误代码，如 not_found、forbidden、invalid、rate_limited")
    message: str = Field(description="中文错误说明")
    errors: list[dict] = Field(default_factory=list, description="逐项错误（字段与说明）")


class TownshipOut(Schema):
    id: int = Field(description="乡镇编号")
    name: str = Field(description="乡镇名称")
    kind: str = Field(description="township 乡 / town 镇")


class VillageOut(Schema):
    id: int = Field(description="村（社区）编号")
    name: str = Field(description="村（社区）名称")
    kind: str = Field(description="village 行政村 / community 社区")
    township_id: int = Field(description="所属乡镇编号")
    star_rating: int | None = Field(None, description="五星级评定星数（1-5）")


class StationOut(Schema):
    id: int = Field(description="远程教育站点编号")
    name: str = Field(description="站点名称")
    level: str = Field(description="county 县级 / township 乡级 / village 村级")
    township_id: int | None = Field(None, description="所属乡镇编号")
    village_id: int | None = Field(None, description="所属村编号")
    address: str = Field(description="地址")


class PersonOut(Schema):
    id: int = Field(description="学员（干部）编号")
    name: str = Field(description="姓名")
    gender: str = Field(description="M 男 / F 女")
    ethnicity: str | None = Field(None, description="民族（仅党校教务可见）")
    birth_year: int = Field(description="出生年份")
    education: str = Field(description="文化程度代码")
    phone: str = Field(description="手机号（非教务角色看到的是 138****5678 形式）")
    village_id: int = Field(description="所属村（社区）编号")
    township_id: int = Field(description="所属乡镇编号")
    posts: list[str] = Field(description="职务名称")
    party_joined_on: datetime.date | None = Field(None, description="入党时间")
    is_active: bool = Field(description="是否在职")

    @staticmethod
    def resolve_ethnicity(obj, context):
        return obj.ethnicity if sees_ethnicity(context["request"].user) else None

    @staticmethod
    def resolve_phone(obj, context):
        return phone_shown(user=context["request"].user, phone=obj.phone, owner_user_id=obj.user_id)

    @staticmethod
    def resolve_township_id(obj):
        return obj.village.township_id

    @staticmethod
    def resolve_posts(obj):
        return [post.name for post in obj.posts.all()]


class PersonIn(Schema):
    """One cadre as a row of the roster template (same checks as the Excel import)."""

    name: str = Field(description="姓名", max_length=40)
    gender: str = Field(description="性别：男 / 女")
    ethnicity: str = Field("", description="民族，留空为汉族")
    birth_year: int = Field(description="出生年份（四位）")
    education: str = Field(description="文化程度：小学、初中、高中/中专、大专、本科、研究生")
    phone: str = Field(description="11 位手机号；以手机号识别同一人")
    township: str = Field(description="乡镇名称")
    village: str = Field(description="村（社区）名称")
    posts: list[str] = Field(default_factory=list, description="职务名称，如 村党支部书记")
    party_joined_on: datetime.date | None = Field(None, description="入党时间")


class PersonPatch(Schema):
    name: str | None = Field(None, description="姓名")
    gender: str | None = Field(None, description="性别：男 / 女")
    ethnicity: str | None = Field(None, description="民族")
    birth_year: int | None = Field(None, description="出生年份")
    education: str | None = Field(None, description="文化程度")
    township: str | None = Field(None, description="乡镇名称")
    village: str | None = Field(None, description="村（社区）名称")
    posts: list[str] | None = Field(None, description="职务名称")
    party_joined_on: datetime.date | None = Field(None, description="入党时间")


class CourseOut(Schema):
    id: int = Field(description="课程编号")
    title: str = Field(description="课程名称")
    summary: str = Field(description="简介")
    credit_hours: Decimal = Field(description="学时")
    requirement: str = Field(description="required 必修 / elective 选修")
    category: str = Field(description="课程分类")
    url: str = Field(description="课程页面地址")

    @staticmethod
    def resolve_category(obj):
        return obj.category.name if obj.category_id else ""

    @staticmethod
    def resolve_url(obj):
        return obj.url or ""


class LessonOut(Schema):
    id: int = Field(description="课时编号")
    title: str = Field(description="课时名称")
    duration_minutes: int | None = Field(None, description="时长（分钟）")
    course_path: str = Field(description="所属课程的页面路径（内部）")


class ClassOut(Schema):
    id: int = Field(description="培训班编号")
    name: str = Field(description="班次名称")
    year: int = Field(description="年度")
    mode: str = Field(description="培训方式代码")
    state: str = Field(description="状态")
    starts_on: datetime.date = Field(description="开班日期")
    ends_on: datetime.date = Field(description="结业日期")
    organiser_township_id: int | None = Field(None, description="承办乡镇编号（县级班为空）")
    capacity: int = Field(description="名额")
    planned_credit_hours: Decimal = Field(description="计划学时")


class SessionOut(Schema):
    id: int = Field(description="课次编号")
    training_class_id: int = Field(description="培训班编号")
    date: datetime.date = Field(description="日期")
    starts_at: datetime.time = Field(description="开始时间")
    ends_at: datetime.time = Field(description="结束时间")
    topic: str = Field(description="专题")
    credit_hours: Decimal = Field(description="学时")
    state: str = Field(description="状态")


class EnrolmentOut(Schema):
    id: int = Field(description="报名编号")
    training_class_id: int = Field(description="培训班编号")
    person_id: int = Field(description="学员编号")
    person_name: str = Field(description="学员姓名")
    status: str = Field(description="enrolled 已报名 / waitlisted 候补 / withdrawn 已退出")
    enrolled_at: datetime.datetime = Field(description="报名时间")

    @staticmethod
    def resolve_person_name(obj):
        return obj.person.name


class EnrolIn(Schema):
    person_id: int = Field(description="要报名的学员编号")


class AttendanceOut(Schema):
    id: int = Field(description="考勤编号")
    session_id: int = Field(description="课次编号")
    person_id: int = Field(description="学员编号")
    status: str = Field(description="考勤结果代码（present 出席、late 迟到、leave 请假、absent 缺勤 等）")
    method: str = Field(description="记录方式")
    signed_in_at: datetime.datetime | None = Field(None, description="签到时间")
    updated_at: datetime.datetime = Field(description="最后修改时间")


class AttendanceIn(Schema):
    source: str = Field(description="来源系统代码，如 county-signin", max_length=40)
    external_id: str = Field(description="来源系统中这条签到的编号；重复发送同一编号不会重复记录", max_length=100)
    session_id: int = Field(description="课次编号")
    person_id: int = Field(description="学员编号")
    status: str = Field(description="考勤结果代码")


class RecordEntryOut(Schema):
    kind: str = Field(description="来源类型")
    title: str = Field(description="名称")
    date: datetime.date = Field(description="日期")
    credit_hours: Decimal = Field(description="学时")
    category: str = Field(description="concentrated 集中培训 / online 网络学习")


class RecordOut(Schema):
    person_id: int = Field(description="学员编号")
    year: int = Field(description="年度")
    concentrated_hours: Decimal = Field(description="集中培训学时合计")
    online_hours: Decimal = Field(description="网络学习学时合计")
    meets_requirement: bool = Field(description="是否达到年度学时要求")
    entries: list[RecordEntryOut] = Field(description="明细")


class AttemptOut(Schema):
    id: int = Field(description="答卷编号")
    quiz_id: int = Field(description="测验编号")
    quiz_title: str = Field(description="测验名称")
    user_id: int = Field(description="学员账号编号")
    number: int = Field(description="第几次作答")
    status: str = Field(description="状态")
    submitted_at: datetime.datetime | None = Field(None, description="交卷时间")
    score: Decimal | None = Field(None, description="得分")
    max_score: Decimal = Field(description="满分")
    percent: Decimal | None = Field(None, description="得分率（%）")
    passed: bool | None = Field(None, description="是否通过")

    @staticmethod
    def resolve_quiz_title(obj):
        return obj.quiz.title


class AccountOut(Schema):
    id: int = Field(description="账户编号")
    kind: str = Field(description="allowance 个人培训经费 / fund 专项经费")
    year: int = Field(description="年度")
    person_id: int | None = Field(None, description="学员编号（个人账户）")
    name: str = Field(description="账户名称")
    balance: Decimal = Field(description="余额（元）")

    @staticmethod
    def resolve_name(obj):
        return obj.name or (obj.person.name if obj.person_id else "")


class LedgerEntryOut(Schema):
    id: int = Field(description="分录编号")
    account_id: int = Field(description="账户编号")
    year: int = Field(description="年度")
    kind: str = Field(description="分录类型")
    amount: Decimal = Field(description="金额（元，两位小数）")
    cost_type: str = Field(description="费用类别")
    person_id: int | None = Field(None, description="学员编号")
    claim_id: int | None = Field(None, description="报销单编号")
    memo: str = Field(description="摘要")
    created_at: datetime.datetime = Field(description="记账时间")


class ClaimOut(Schema):
    id: int = Field(description="报销单编号")
    person_id: int = Field(description="学员编号")
    year: int = Field(description="预算年度")
    cost_type: str = Field(description="费用类别")
    amount: Decimal = Field(description="金额（元）")
    description: str = Field(description="说明")
    incurred_on: datetime.date = Field(description="发生日期")
    state: str = Field(description="状态")
    submitted_at: datetime.datetime | None = Field(None, description="提交时间")
    decided_at: datetime.datetime | None = Field(None, description="审核时间")


class CertificateOut(Schema):
    id: int = Field(description="证书编号（内部）")
    serial: str = Field(description="证书编号")
    person_id: int = Field(description="学员编号")
    holder_name: str = Field(description="持证人")
    training_class_id: int = Field(description="培训班编号")
    class_name: str = Field(description="班次名称")
    issued_at: datetime.datetime = Field(description="颁发时间")
    revoked_at: datetime.datetime | None = Field(None, description="撤销时间")


class VerificationOut(Schema):
    serial: str = Field(description="证书编号")
    valid: bool = Field(description="证书是否有效（未撤销）")
    holder_name: str = Field(description="持证人")
    class_name: str = Field(description="班次名称")
    starts_on: datetime.date = Field(description="开班日期")
    ends_on: datetime.date = Field(description="结业日期")

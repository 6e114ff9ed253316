"""The message types the system sends: their variables, default channels and default Chinese templates.

Staff edit the templates in the admin; the rows are created (never overwritten) after each migrate.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Variable:
    label: str
    max_length: int  # values are cut to this length in SMS, so a template's worst-case length is known


VARIABLES: dict[str, Variable] = {
    "name": Variable(_("recipient's name"), 6),
    "class_name": Variable(_("training class"), 20),
    "topic": Variable(_("session topic"), 20),
    "date": Variable(_("date"), 10),
    "time": Variable(_("time"), 5),
    "place": Variable(_("place"), 16),
    "station": Variable(_("station"), 16),
    "starts_on": Variable(_("start date"), 10),
    "note": Variable(_("note"), 20),
    "quiz": Variable(_("quiz"), 16),
    "opens_at": Variable(_("opens at"), 16),
    "closes_at": Variable(_("closes at"), 16),
    "score": Variable(_("score"), 8),
    "description": Variable(_("claim"), 16),
    "amount": Variable(_("amount (yuan)"), 10),
    "reason": Variable(_("reason"), 20),
    "trip": Variable(_("field-study trip"), 16),
    "change": Variable(_("published or changed"), 4),
    "serial": Variable(_("certificate number"), 20),
    "year": Variable(_("year"), 4),
    "concentrated_short": Variable(_("concentrated hours short"), 6),
    "online_short": Variable(_("online hours short"), 6),
    "leave_count": Variable(_("leave requests waiting"), 4),
    "essay_count": Variable(_("essays waiting"), 4),
    "count": Variable(_("claims waiting"), 4),
    "days": Variable(_("days"), 3),
    "township": Variable(_("township"), 10),
    "week": Variable(_("week"), 23),
    "attendance_rate": Variable(_("attendance rate"), 6),
    "shortfall_count": Variable(_("cadres short of credit hours"), 5),
    "spend": Variable(_("spend (yuan)"), 12),
    "title": Variable(_("announcement title"), 30),
    "text": Variable(_("announcement text"), 60),
}


class Category:
    MONEY = "money"
    LEAVE = "leave"
    LEARNING = "learning"
    STAFF = "staff"
    ANNOUNCEMENT = "announcement"

    CHOICES = [
        (MONEY, _("Money decisions")),
        (LEAVE, _("Leave decisions")),
        (LEARNING, _("Learning")),
        (STAFF, _("Work waiting")),
        (ANNOUNCEMENT, _("Announcements")),
    ]
    # In-app messages of these categories cannot be turned off (decisions about money or leave).
    MANDATORY_IN_APP = {MONEY, LEAVE}


@dataclass(frozen=True)
class TypeSpec:
    code: str
    name: str
    category: str
    variables: tuple[str, ...]
    title: str
    body: str
    sms: str
    sms_default: bool = False
    email_default: bool = False
    order: int = 0
    extra: dict = field(default_factory=dict)


TYPES: dict[str, TypeSpec] = {spec.code: spec for spec in [
    TypeSpec("session_tomorrow", _("Session tomorrow"), Category.LEARNING,
             ("name", "class_name", "topic", "date", "time", "place"),
             "明天有课：{topic}",
             "{name}，您好！{class_name}明天（{date} {time}）在{place}上课，课题“{topic}”。"
             "请准时签到，不能参加请提前请假。",
             "{name}您好，{class_name}明天{time}在{place}上课，请准时参加。", sms_default=True, order=10),
    TypeSpec("station_session_tomorrow", _("Station session tomorrow (operator)"), Category.STAFF,
             ("name", "class_name", "topic", "date", "time", "station"),
             "明天站点有课：{topic}",
             "{name}，您好！{class_name}明天（{date} {time}）在{station}组织收看“{topic}”，请提前调试设备、组织签到。",
             "{name}您好，明天{time}{station}组织收看{class_name}，请调试设备。", sms_default=True, order=11),
    TypeSpec("enrolment_accepted", _("Enrolment accepted"), Category.LEARNING,
             ("name", "class_name", "starts_on"),
             "已报名：{class_name}",
             "{name}，您好！您已被编入{class_name}，开班日期{starts_on}。课程安排见“我的培训班”。",
             "{name}您好，您已编入{class_name}，{starts_on}开班。", sms_default=True, order=20),
    TypeSpec("waitlist_promoted", _("Waiting list moved up"), Category.LEARNING,
             ("name", "class_name", "starts_on"),
             "候补转正：{class_name}",
             "{name}，您好！{class_name}有了空位，您已由候补转为正式学员，开班日期{starts_on}。",
             "{name}您好，{class_name}候补转正，{starts_on}开班。", sms_default=True, order=21),
    TypeSpec("leave_approved", _("Leave approved"), Category.LEAVE,
             ("name", "class_name", "topic", "date", "note"),
             "请假已批准：{topic}",
             "{name}，您好！您{date}“{topic}”（{class_name}）的请假已批准。{note}返回后请及时销假。",
             "{name}您好，您{date}的请假已批准，返回后请销假。", sms_default=True, order=30),
    TypeSpec("leave_refused", _("Leave refused"), Category.LEAVE,
             ("name", "class_name", "topic", "date", "note"),
             "请假未批准：{topic}",
             "{name}，您好！您{date}“{topic}”（{class_name}）的请假未获批准：{note}请按时参加。",
             "{name}您好，您{date}的请假未获批准，请按时参加。", sms_default=True, order=31),
    TypeSpec("leave_report_back_due", _("Report back after leave"), Category.LEAVE,
             ("name", "class_name", "topic", "date"),
             "请销假：{topic}",
             "{name}，您好！您{date}“{topic}”（{class_name}）的请假已结束，请在“我的培训班”销假。",
             "{name}您好，您{date}的请假已结束，请及时销假。", order=32),
    TypeSpec("quiz_opening", _("Quiz opens within 24 hours"), Category.LEARNING,
             ("name", "quiz", "opens_at"),
             "测验即将开放：{quiz}",
             "{name}，您好！测验“{quiz}”将于{opens_at}开放，请按时参加。",
             "{name}您好，测验{quiz}将于{opens_at}开放。", order=40),
    TypeSpec("quiz_closing", _("Quiz closes within 24 hours"), Category.LEARNING,
             ("name", "quiz", "closes_at"),
             "测验即将截止：{quiz}",
             "{name}，您好！测验“{quiz}”将于{closes_at}截止，您还没有提交，请抓紧完成。",
             "{name}您好，测验{quiz}将于{closes_at}截止，请尽快完成。", sms_default=True, order=41),
    TypeSpec("essay_graded", _("Essay graded"), Category.LEARNING,
             ("name", "quiz", "score"),
             "测验已评分：{quiz}",
             "{name}，您好！您在“{quiz}”中的论述题已评阅，总分{score}。可在“我的测验”查看评语。",
             "{name}您好，{quiz}已评分，总分{score}。", order=42),
    TypeSpec("claim_approved", _("Claim approved"), Category.MONEY,
             ("name", "description", "amount"),
             "报销已批准：{amount}元",
             "{name}，您好！您的报销“{description}”{amount}元已审核通过，等待支付。",
             "{name}您好，您的报销{amount}元已审核通过。", sms_default=True, order=50),
    TypeSpec("claim_sent_back", _("Claim sent back"), Category.MONEY,
             ("name", "description", "amount", "reason"),
             "报销被退回：{description}",
             "{name}，您好！您的报销“{description}”{amount}元被退回修改：{reason}。请修改后重新提交。",
             "{name}您好，您的报销{amount}元被退回：{reason}", sms_default=True, order=51),
    TypeSpec("claim_refused", _("Claim refused"), Category.MONEY,
             ("name", "description", "amount", "reason"),
             "报销未通过：{description}",
             "{name}，您好！您的报销“{description}”{amount}元未通过审核：{reason}。",
             "{name}您好，您的报销{amount}元未通过：{reason}", sms_default=True, order=52),
    TypeSpec("claim_paid", _("Claim paid"), Category.MONEY,
             ("name", "description", "amount"),
             "报销已支付：{amount}元",
             "{name}，您好！您的报销“{description}”{amount}元已支付，请注意查收。",
             "{name}您好，您的报销{amount}元已支付。", sms_default=True, order=53),
    TypeSpec("trip_itinerary", _("Trip itinerary published or changed"), Category.LEARNING,
             ("name", "trip", "starts_on", "change"),
             "考察行程{change}：{trip}",
             "{name}，您好！“{trip}”（{starts_on}出发）的行程{change}，请查看详细安排。",
             "{name}您好，{trip}行程{change}，{starts_on}出发，请查看。", sms_default=True, order=60),
    TypeSpec("certificate_issued", _("Certificate issued"), Category.LEARNING,
             ("name", "class_name", "serial"),
             "结业证书已颁发：{class_name}",
             "{name}，您好！您已完成{class_name}，结业证书（编号{serial}）可在“我的证书”下载。",
             "{name}您好，{class_name}结业证书已颁发，编号{serial}。", order=70),
    TypeSpec("credit_shortfall", _("Credit hours short of the year's quota"), Category.LEARNING,
             ("name", "year", "concentrated_short", "online_short"),
             "{year}年学时尚未达标",
             "{name}，您好！您{year}年的学时尚未达标：集中培训还差{concentrated_short}学时，网络学习还差{online_short}学时。"
             "请在年底前完成。",
             "{name}您好，您{year}年学时未达标，集中差{concentrated_short}、网络差{online_short}学时。",
             sms_default=True, order=80),
    TypeSpec("staff_waiting", _("Leave requests and essays waiting (staff)"), Category.STAFF,
             ("name", "leave_count", "essay_count"),
             "待办：{leave_count}条请假、{essay_count}篇论述题",
             "{name}，您好！目前有{leave_count}条请假申请待审批、{essay_count}篇论述题待评阅。",
             "{name}您好，有{leave_count}条请假待批、{essay_count}篇论述题待评。", order=90),
    TypeSpec("officer_claims_waiting", _("Claims waiting (budget officers)"), Category.STAFF,
             ("name", "count", "days"),
             "{count}笔报销等待已超过{days}天",
             "{name}，您好！有{count}笔报销提交已超过{days}天仍未审核，请及时处理。",
             "{name}您好，{count}笔报销已等待超过{days}天。", order=91),
    TypeSpec("organiser_digest", _("Weekly township digest (organisers)"), Category.STAFF,
             ("name", "township", "week", "attendance_rate", "shortfall_count", "spend"),
             "{township}培训周报（{week}）",
             "{name}，您好！{township}本周（{week}）：课次出勤率{attendance_rate}；"
             "学时未达标{shortfall_count}人；本年培训经费已支出{spend}元。",
             "{township}周报：出勤率{attendance_rate}，学时未达标{shortfall_count}人。", email_default=True,
             order=92),
    TypeSpec("announcement", _("Announcement"), Category.ANNOUNCEMENT,
             ("name", "title", "text"),
             "{title}", "{text}", "{title}（详见培训平台消息中心）", order=100),
]}


def message_types_ensure() -> None:
    """Create the rows of message types that are missing; staff's edits of existing ones are kept."""
    from .models import MessageType

    existing = set(MessageType.objects.values_list("code", flat=True))
    MessageType.objects.bulk_create([
        MessageType(code=spec.code, category=spec.category, title_template=spec.title,
                    body_template=spec.body, sms_template=spec.sms, sms_default=spec.sms_default,
                    email_default=spec.email_default, sort_order=spec.order)
        for spec in TYPES.values() if spec.code not in existing
    ])


def message_types_ensure_after_migrate(sender, **kwargs) -> None:
    """post_migrate hook: every message type has its row."""
    message_types_ensure()

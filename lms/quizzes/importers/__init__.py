"""Read question files (Excel template, Moodle GIFT, Moodle XML) into QuestionData: a file that cannot be
read at all is refused whole; otherwise each bad question is refused on its own, with its line and reason."""

from django.conf import settings
from django.utils.translation import gettext as _

from ..questiondata import ImportFailed, ImportReport, QuestionData
from . import excel, gift, moodle_xml

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_QUESTIONS = 20_000


def max_bytes() -> int:
    """The largest file an import accepts."""
    return getattr(settings, "QUIZZES_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_questions() -> int:
    """The most questions one import may hold."""
    return getattr(settings, "QUIZZES_IMPORT_MAX_QUESTIONS", DEFAULT_MAX_QUESTIONS)


def check_size(content: bytes) -> None:
    """Refuse empty and oversized files before parsing them."""
    if not content or not content.strip():
        raise ImportFailed([_("The file is empty.")])
    if len(content) > max_bytes():
        raise ImportFailed([
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(len(content) / 1024 / 1024, 1), "limit": round(max_bytes() / 1024 / 1024, 1)}
        ])


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM) or, failing that, GBK/GB18030 as Chinese Windows saves it; else refuse."""
    if b"\x00" in content:
        raise ImportFailed([_("This is not a text file. Save the questions as UTF-8 text and try again.")])
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFailed([
            _("The file's text encoding could not be read. Save it as UTF-8 (or GBK) text and try again.")
        ]) from None


def check_count(questions: list[QuestionData]) -> None:
    """Refuse files with no questions or more than the limit."""
    if not questions:
        raise ImportFailed([_("The file holds no questions.")])
    if len(questions) > max_questions():
        raise ImportFailed([
            _("The file holds %(n)s questions; one import may hold at most %(limit)s.")
            % {"n": len(questions), "limit": max_questions()}
        ])


def read_file(*, fmt: str, content: bytes) -> ImportReport:
    """Read an uploaded file: the importable questions and each refused one; ImportFailed if unreadable."""
    check_size(content)
    if fmt == "excel":
        report = excel.read(content)
    elif fmt == "gift":
        report = gift.read(decode_text(content))
    elif fmt == "xml":
        report = moodle_xml.read(content)
    else:
        raise ImportFailed([_("Unknown file format.")])
    if not report.questions and not report.refusals:
        raise ImportFailed([_("The file holds no questions.")])
    total = len(report.questions) + len({r.line for r in report.refusals})
    if total > max_questions():
        raise ImportFailed([
            _("The file holds %(n)s questions; one import may hold at most %(limit)s.")
            % {"n": total, "limit": max_questions()}
        ])
    return report


def parse_file(*, fmt: str, content: bytes) -> list[QuestionData]:
    """Parse an uploaded file of the given format; raises ImportFailed listing every problem."""
    report = read_file(fmt=fmt, content=content)
    if report.refusals:
        raise ImportFailed([r.reason for r in report.refusals])
    check_count(report.questions)
    return report.questions


def report_summary(report: ImportReport, *, default_category: str) -> dict:
    """What the preview shows: questions per category and type, refusals, and what each question loses."""
    from ..models import Question

    kinds = dict(Question.Kind.choices)
    categories: dict[str, dict] = {}
    for data in report.questions:
        path = data.category_path or default_category
        entry = categories.setdefault(path, {"path": path, "total": 0, "kinds": {}})
        entry["total"] += 1
        label = str(kinds.get(data.kind, data.kind))
        entry["kinds"][label] = entry["kinds"].get(label, 0) + 1
    for entry in categories.values():
        entry["kinds"] = sorted(entry["kinds"].items())
    ignored = [{"line": d.line, "title": d.title, "notes": d.ignored} for d in report.questions if d.ignored]
    return {
        "categories": sorted(categories.values(), key=lambda e: e["path"]),
        "count": len(report.questions),
        "refusals": report.refusals,
        "refused_count": len({r.line for r in report.refusals}),
        "ignored": ignored,
        "images": sum(len(d.images) for d in report.questions),
    }

"""Read question files (Excel template, Moodle GIFT, Moodle XML) into QuestionData, refusing bad files whole."""

from django.conf import settings
from django.utils.translation import gettext as _

from ..questiondata import ImportFailed, QuestionData

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


def parse_file(*, fmt: str, content: bytes) -> list[QuestionData]:
    """Parse an uploaded file of the given format; raises ImportFailed listing every problem."""
    from . import excel, gift, moodle_xml

    check_size(content)
    if fmt == "excel":
        questions = excel.parse(content)
    elif fmt == "gift":
        questions = gift.parse(decode_text(content))
    elif fmt == "xml":
        questions = moodle_xml.parse(content)
    else:
        raise ImportFailed([_("Unknown file format.")])
    check_count(questions)
    return questions

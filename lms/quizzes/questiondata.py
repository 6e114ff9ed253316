"""Plain records of questions, shared by the importers, the exporters and the bank writer."""

from dataclasses import dataclass, field
from decimal import Decimal

KINDS = ("single", "multiple", "true_false", "fill_blank", "numerical", "matching", "essay", "description")


@dataclass
class ChoiceData:
    text: str
    is_correct: bool = False
    weight: Decimal | None = None
    feedback: str = ""


@dataclass
class QuestionData:
    kind: str
    text: str
    line: int = 0
    title: str = ""
    explanation: str = ""
    difficulty: int = 3
    score: Decimal = Decimal("1")
    category_path: str = ""
    choices: list[ChoiceData] = field(default_factory=list)
    blanks: list[list[str]] = field(default_factory=list)
    true_false_answer: bool | None = None
    multiple_scoring: str = "all"
    reference_answer: str = ""
    tags: list[str] = field(default_factory=list)
    # Kind-specific keys the bank keeps in Question.answer_spec: graded short answers, numerical answers
    # and units, true/false feedback.
    spec: dict = field(default_factory=dict)
    # What the file held that the bank has no place for (Moodle idnumber, penalty, hints…), for the preview.
    ignored: list[str] = field(default_factory=list)
    # Embedded images by file name, stored as Wagtail images when the import is confirmed.
    images: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Refusal:
    """One question of a file that cannot be imported, with where it starts and why."""

    line: int
    reason: str

    def __str__(self) -> str:
        return self.reason


@dataclass
class ImportReport:
    """What reading a file gave: the importable questions and every refused one."""

    questions: list[QuestionData] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)


class ImportFailed(Exception):
    """A file was refused; `errors` lists each problem with its line or row."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors

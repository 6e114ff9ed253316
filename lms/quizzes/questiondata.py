"""Plain records of questions, shared by the importers, the exporters and the bank writer."""

from dataclasses import dataclass, field
from decimal import Decimal

KINDS = ("single", "multiple", "true_false", "fill_blank", "essay", "description")


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


class ImportFailed(Exception):
    """A file was refused; `errors` lists each problem with its line or row."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors

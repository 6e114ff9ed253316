"""Quiz models split by domain: the question bank, quizzes and learners' attempts."""

from .attempt import Attempt, AttemptItem
from .bank import Blank, Choice, Question, QuestionCategory, QuestionTag
from .quiz import DrawRule, Quiz, QuizQuestion

__all__ = [
    "Attempt",
    "AttemptItem",
    "Blank",
    "Choice",
    "DrawRule",
    "Question",
    "QuestionCategory",
    "QuestionTag",
    "Quiz",
    "QuizQuestion",
]

"""Each question type is graded right, including partial credit and fill-in variants."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from lms.quizzes.grading import grade, normalise_text

OPTIONS = [
    {"id": 1, "text": "时间", "correct": True, "weight": None},
    {"id": 2, "text": "计划", "correct": True, "weight": None},
    {"id": 3, "text": "人员", "correct": True, "weight": None},
    {"id": 4, "text": "资金", "correct": False, "weight": None},
]


def _multi(scoring, picks, options=OPTIONS):
    return grade(kind="multiple", payload={"options": options, "scoring": scoring},
                 response={"choices": picks}, max_score=Decimal("2"))


def test_single_choice_right_and_wrong():
    payload = {"options": OPTIONS[2:], "scoring": "all"}
    one = Decimal(1)
    assert grade(kind="single", payload=payload, response={"choices": [3]}, max_score=one) == (Decimal("1.00"), True)
    assert grade(kind="single", payload=payload, response={"choices": [4]}, max_score=one) == (Decimal("0.00"), False)
    assert grade(kind="single", payload=payload, response=None, max_score=Decimal(1)) == (Decimal("0.00"), False)


def test_single_choice_with_a_gift_weight_earns_part_of_the_marks():
    payload = {"options": [{"id": 1, "correct": True, "weight": "100"}, {"id": 2, "correct": False, "weight": "50"}]}
    assert grade(kind="single", payload=payload, response={"choices": [2]}, max_score=Decimal(4))[0] == Decimal("2.00")


def test_multiple_all_or_nothing():
    assert _multi("all", [1, 2, 3]) == (Decimal("2.00"), True)
    assert _multi("all", [1, 2]) == (Decimal("0.00"), False)


def test_multiple_half_marks_for_a_correct_subset_but_nothing_for_a_wrong_pick():
    assert _multi("half", [1, 2]) == (Decimal("1.00"), False)
    assert _multi("half", [1, 2, 4]) == (Decimal("0.00"), False)
    assert _multi("half", []) == (Decimal("0.00"), False)


def test_multiple_weighted_sums_weights_and_never_goes_below_zero():
    assert _multi("weighted", [1, 2]) == (Decimal("1.33"), False)
    assert _multi("weighted", [1, 4]) == (Decimal("0.00"), False)
    assert _multi("weighted", [4]) == (Decimal("0.00"), False)
    weighted = [{"id": 1, "correct": True, "weight": "50"}, {"id": 2, "correct": True, "weight": "50"},
                {"id": 3, "correct": False, "weight": "-100"}]
    assert _multi("weighted", [1], weighted) == (Decimal("1.00"), False)


def test_true_false():
    assert grade(kind="true_false", payload={"answer": False}, response={"value": False},
                 max_score=Decimal(1)) == (Decimal("1.00"), True)
    assert grade(kind="true_false", payload={"answer": False}, response={"value": None},
                 max_score=Decimal(1)) == (Decimal("0.00"), False)


def test_fill_in_accepts_full_width_half_width_spaces_and_alternatives():
    payload = {"blanks": [["ABC-123"], ["村民代表会议", "村民会议"]]}
    right = grade(kind="fill_blank", payload=payload, response={"blanks": ["  ＡＢＣ－１２３ ", "村民会议"]},
                  max_score=Decimal(2))
    assert right == (Decimal("2.00"), True)
    half = grade(kind="fill_blank", payload=payload, response={"blanks": ["abc-123", "党员大会"]},
                 max_score=Decimal(2))
    assert half == (Decimal("1.00"), False)
    assert grade(kind="fill_blank", payload=payload, response={"blanks": ["", ""]}, max_score=Decimal(2))[0] == 0


def test_fill_in_inner_spaces_collapse_but_are_not_ignored():
    payload = {"blanks": [["四 落实"]]}
    assert grade(kind="fill_blank", payload=payload, response={"blanks": ["四\u3000 落实"]}, max_score=Decimal(1))[1]
    assert not grade(kind="fill_blank", payload=payload, response={"blanks": ["四落实"]}, max_score=Decimal(1))[1]


def test_essay_waits_for_staff_and_description_scores_nothing():
    assert grade(kind="essay", payload={}, response={"text": "答"}, max_score=Decimal(5)) == (None, None)
    assert grade(kind="description", payload={}, response=None, max_score=Decimal(0)) == (Decimal(0), None)


@given(st.text(max_size=30))
def test_normalising_is_stable_and_ignores_surrounding_space(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert normalise_text(f"  {text}\u3000") == once


@given(st.lists(st.integers(min_value=0, max_value=6), max_size=6), st.sampled_from(["all", "half", "weighted"]))
def test_multiple_choice_score_stays_between_zero_and_the_marks(picks, scoring):
    score, _ok = _multi(scoring, picks)
    assert Decimal(0) <= score <= Decimal(2)

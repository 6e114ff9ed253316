from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.budget.money import FEN, split_by_weights, split_evenly, to_money

amounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("10000000"), places=2)


def test_to_money_rounds_half_up_to_the_fen():
    assert to_money(Decimal("0.005")) == Decimal("0.01")
    assert to_money(Decimal("2.675")) == Decimal("2.68")
    assert to_money("1000") == Decimal("1000.00")


def test_to_money_refuses_floats():
    with pytest.raises(TypeError):
        to_money(0.1)


def test_a_hundred_yuan_among_three_adds_up():
    assert split_evenly(Decimal("100.00"), 3) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


@given(total=amounts, parts=st.integers(min_value=1, max_value=200))
def test_even_split_adds_up_exactly_and_differs_by_at_most_a_fen(total, parts):
    shares = split_evenly(total, parts)
    assert len(shares) == parts
    assert sum(shares) == total
    assert max(shares) - min(shares) <= FEN
    assert all(share == share.quantize(FEN) and share >= 0 for share in shares)


@given(total=amounts, weights=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=40).filter(any))
def test_weighted_split_adds_up_and_each_part_is_within_a_fen_of_exact(total, weights):
    shares = split_by_weights(total, weights)
    assert sum(shares) == total
    weight_sum = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        exact = total * weight / weight_sum
        assert abs(share - exact) < FEN
        if weight == 0:
            assert share == 0


def test_negative_totals_are_not_split():
    with pytest.raises(ValueError):
        split_evenly(Decimal("-1.00"), 2)

"""Property-based checks of the shared parsers: odd numbers, ids, JSON and text never raise past them."""

import json

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.core.json_body import MAX_DEPTH, JSONBodyError, load_json
from lms.core.numbers import MAX_ID, parse_id, parse_ids, parse_int, parse_year
from lms.core.text import bounded_text, search_text


@given(st.one_of(st.text(), st.integers(), st.none(), st.floats(), st.booleans(), st.binary()))
def test_parse_int_never_raises_and_keeps_to_its_bounds(value):
    number = parse_int(value, minimum=-5, maximum=5)
    assert number is None or -5 <= number <= 5


@given(st.text())
def test_parse_id_takes_only_ascii_digits_in_range(value):
    parsed = parse_id(value)
    if parsed is not None:
        assert 1 <= parsed <= MAX_ID and value.isascii() and value.isdigit()


@pytest.mark.parametrize("value", ["²", "１２", " 12", "1_000", "9" * 25, "-1", "0", "", "1e3", "0x10", "٣"])
def test_odd_ids_are_none(value):
    assert parse_id(value) is None


def test_a_plain_id_and_year_parse():
    assert parse_id("42") == 42
    assert parse_ids(["1", "²", "9" * 25, "7"]) == [1, 7]
    assert parse_year("2026", default=2000) == 2026
    assert parse_year("²", default=2025) == 2025
    assert parse_year("9999", default=2025) == 2025


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200)
@given(st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode())))
def test_load_json_either_parses_or_refuses_with_a_message(body):
    try:
        load_json(body)
    except JSONBodyError as error:
        assert str(error)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 50_000])
def test_deep_nesting_is_refused_without_recursion(depth):
    with pytest.raises(JSONBodyError):
        load_json(b"[" * depth + b"]" * depth, max_bytes=10**6)


def test_brackets_inside_strings_do_not_count_as_nesting():
    assert load_json(json.dumps({"a": "[[[[[[[[[[[[[["}).encode()) == {"a": "[[[[[[[[[[[[[["}


def test_large_bodies_and_nan_are_refused():
    with pytest.raises(JSONBodyError):
        load_json(b"[" + b"1," * 40_000 + b"1]")
    with pytest.raises(JSONBodyError):
        load_json(b'{"position": NaN}')


@given(st.text(max_size=400), st.integers(min_value=1, max_value=300))
def test_bounded_text_refuses_what_is_longer_than_its_column(text, max_length):
    try:
        kept = bounded_text(text, max_length=max_length)
    except ValidationError:
        assert len(text.strip()) > max_length
    else:
        assert kept == text.strip() and len(kept) <= max_length


@given(st.text())
def test_search_text_has_no_nul_and_a_sane_length(text):
    cleaned = search_text(text)
    assert "\x00" not in cleaned and len(cleaned) <= 100

"""Odd score values are refused by name, never a server error."""

import pytest
from django.core.exceptions import ValidationError

from lms.evaluations.models import INDICATORS
from lms.evaluations.services import clean_scores


@pytest.mark.parametrize("odd", ["²", "４", "1_0", "0", "5", "99999999999999999999999", " ", "-1", "3.0"])
def test_an_odd_score_is_refused_with_the_indicator_named(odd):
    raw = {code: "3" for code, _ in INDICATORS}
    first_code, first_label = INDICATORS[0]
    raw[first_code] = odd
    with pytest.raises(ValidationError) as caught:
        clean_scores(raw)
    assert str(first_label) in " ".join(caught.value.messages)


def test_good_scores_are_kept_as_numbers():
    raw = {code: str(i % 4 + 1) for i, (code, _) in enumerate(INDICATORS)}
    assert clean_scores(raw) == {code: i % 4 + 1 for i, (code, _) in enumerate(INDICATORS)}

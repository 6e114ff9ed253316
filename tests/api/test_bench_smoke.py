"""The API bench at a tiny scale: it runs and prints its figures beside their limits."""

import io

from django.core.management import call_command


def test_api_bench_prints_the_people_list_ratio_at_tiny_scale():
    out = io.StringIO()
    call_command("bench", scale=0.002, only=["lms.api.bench"], report_only=True, stdout=out)
    text = out.getvalue()
    assert "API people list / bare view" in text
    assert "API people list: queries" in text

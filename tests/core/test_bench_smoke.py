"""`make bench` at a tiny scale: it builds its own database and prints every figure beside its limit."""

import io
import re

from django.core.management import call_command


def test_bench_prints_figures_beside_limits_at_tiny_scale():
    out = io.StringIO()
    # Only the core bench: the whole suite's tiny-scale run must stay within seconds.
    call_command("bench", scale=0.002, only=["lms.core.bench"], report_only=True, stdout=out)
    text = out.getvalue()
    assert "benchmark figures (scale 0.002)" in text
    rows = {}
    for line in text.splitlines():
        match = re.match(r"^(.+?)\s{2,}([\d,.]+)\s+([\d,.]+)\s+(\S+)\s+([\d.]+)\s+(OK|OVER)$", line)
        if match:
            name, value, limit, _unit, ratio, status = match.groups()
            value, limit = float(value.replace(",", "")), float(limit.replace(",", ""))
            # value and ratio are each printed to two decimals
            assert abs(float(ratio) - value / limit) <= 0.005 + 0.005 / limit + 1e-9
            rows[name] = (value, limit, status)
    home = [name for name in rows if name.startswith("learner home / bare view")]
    course = [name for name in rows if name.startswith("course page / bare view")]
    assert home and course, text
    assert rows[home[0]][0] > 1, "the learner home cannot be faster than a one-query view"
    queries = next(v for name, v in rows.items() if name.startswith("learner home: queries"))
    assert queries[2] == "OK", text

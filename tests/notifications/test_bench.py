"""The fan-out bench at a tiny scale: it runs the real service and reports both figures beside their limits."""

import io

from django.core.management import call_command


def test_fan_out_bench_reports_messages_per_second_and_the_ratio_at_tiny_scale():
    out = io.StringIO()
    call_command("bench", scale=0.0005, only=["lms.notifications.bench"], report_only=True, stdout=out)
    text = out.getvalue()
    assert "announcement fan-out / bare bulk insert (25 learners)" in text, text
    assert "messages/s" in text and "lms.notifications.bench failed" not in text

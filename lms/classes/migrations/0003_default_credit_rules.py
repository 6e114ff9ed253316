"""Seed the regulations' defaults: 90 h concentrated + 50 h online a year; online and test credit bands."""

from decimal import Decimal

from django.db import migrations

ONLINE_BANDS = [(30, Decimal("1")), (15, Decimal("0.5")), (0, Decimal("0.25"))]


def seed(apps, schema_editor):
    CreditRule = apps.get_model("classes", "CreditRule")
    RequirementSetting = apps.get_model("classes", "RequirementSetting")
    for minutes, hours in ONLINE_BANDS:
        CreditRule.objects.get_or_create(
            kind="online_course", year=None, min_minutes=minutes, defaults={"credit_hours": hours}
        )
    CreditRule.objects.get_or_create(kind="quiz_passed", year=None, min_minutes=0,
                                     defaults={"credit_hours": Decimal("0.5")})
    RequirementSetting.objects.get_or_create(
        post=None, year=None, defaults={"concentrated_hours": Decimal("90"), "online_hours": Decimal("50")}
    )


class Migration(migrations.Migration):
    dependencies = [("classes", "0002_attendance_leave_notes_credit_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

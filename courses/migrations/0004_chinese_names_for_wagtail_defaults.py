"""Give the records Wagtail creates on a new site Chinese names: they show in the admin as they are.

The root page shows as "Root" in the page chooser, the default workflow and its task read
"Moderators approval" ("提交给Moderators approval" on the publish menu), and the default groups
are "Moderators" and "Editors".
"""

from django.db import migrations

NAMES = {
    "page": ("Root", "根目录"),
    "task": ("Moderators approval", "审核员审批"),
    "workflow": ("Moderators approval", "审核员审批"),
    "moderators": ("Moderators", "审核员"),
    "editors": ("Editors", "编辑"),
}


def _rename(apps, position: int) -> None:
    other = 1 - position
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=NAMES["page"][other]).update(
        title=NAMES["page"][position], draft_title=NAMES["page"][position])
    for model, key in (("Task", "task"), ("Workflow", "workflow")):
        apps.get_model("wagtailcore", model).objects.filter(name=NAMES[key][other]).update(name=NAMES[key][position])
    Group = apps.get_model("auth", "Group")
    for key in ("moderators", "editors"):
        if not Group.objects.filter(name=NAMES[key][position]).exists():
            Group.objects.filter(name=NAMES[key][other]).update(name=NAMES[key][position])


def to_chinese(apps, schema_editor):
    _rename(apps, 1)


def to_english(apps, schema_editor):
    _rename(apps, 0)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_lesson_reads"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(to_chinese, to_english)]

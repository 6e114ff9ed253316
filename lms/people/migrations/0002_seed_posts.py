"""Seed the posts a village cadre may hold; the roster import refers to them by name."""

from django.db import migrations

POSTS = [
    ("secretary", "村党支部书记", 10),
    ("deputy-secretary", "村党支部副书记", 20),
    ("director", "村委会主任", 30),
    ("deputy-director", "村委会副主任", 40),
    ("committee-member", "两委成员", 50),
    ("clerk", "村文书", 60),
    ("women-director", "妇代会主任", 70),
    ("league-secretary", "村团支部书记", 80),
    ("reserve-cadre", "后备干部", 90),
    ("graduate-official", "大学生村官", 100),
    ("station-operator", "远程教育站点管理员", 110),
]


def seed(apps, schema_editor):
    Post = apps.get_model("people", "Post")
    for code, name, order in POSTS:
        Post.objects.update_or_create(code=code, defaults={"name": name, "sort_order": order})


def unseed(apps, schema_editor):
    apps.get_model("people", "Post").objects.filter(code__in=[c for c, _n, _o in POSTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]

"""Pages with Chinese slugs get pinyin ones; their old (percent-encoded) addresses redirect to them."""

from django.db import migrations

from courses.slugs import pinyin_slug

PUBLIC_PREFIX = "/courses"  # where lms/urls.py serves the Wagtail pages


def _free(taken: set, base: str) -> str:
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def to_pinyin(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Redirect = apps.get_model("wagtailredirects", "Redirect")
    pages = list(Page.objects.order_by("depth", "path").only("pk", "path", "depth", "slug", "url_path"))
    by_path = {page.path: page for page in pages}
    taken: dict[str, set] = {}
    for page in pages:
        taken.setdefault(page.path[:-4], set()).add(page.slug)
    old_url = {page.pk: page.url_path for page in pages}
    for page in pages:
        parent = by_path.get(page.path[:-4])
        if parent is None:
            continue
        if not page.slug.isascii() and pinyin_slug(page.slug):
            siblings = taken[page.path[:-4]]
            siblings.discard(page.slug)
            page.slug = _free(siblings, pinyin_slug(page.slug))
            siblings.add(page.slug)
        page.url_path = parent.url_path + page.slug + "/"
    roots = [site.root_page.url_path for site in Site.objects.select_related("root_page")]
    for page in pages:
        if page.url_path == old_url[page.pk]:
            continue
        page.save(update_fields=["slug", "url_path"])
        for root in roots:
            if old_url[page.pk].startswith(root):
                old_public = PUBLIC_PREFIX + "/" + old_url[page.pk][len(root):].rstrip("/")
                Redirect.objects.get_or_create(old_path=old_public, site=None,
                                               defaults={"redirect_page_id": page.pk, "is_permanent": True})


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_chinese_names_for_wagtail_defaults"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(to_pinyin, migrations.RunPython.noop)]

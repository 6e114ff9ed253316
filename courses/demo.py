"""Demo data: the course catalogue (课程中心) with published courses, lessons, lesson plans and covers.

Pages are found by slug before anything is created, so running the step again changes nothing.
"""

import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from lms.certificates.fonts import CJKFontMissing, cjk_font_path
from lms.people.models import Post, Teacher

from . import demo_content as content
from .models import CourseCategory, CourseIndexPage, CoursePage, LessonAttachment, LessonPage

CATALOGUE_SLUG = "courses"
CATALOGUE_TITLE = "课程中心"
COVER_COLOURS = ["#b71c1c", "#8e1b1b", "#a33d00", "#7a4b00", "#1f5f8b", "#2e6b30", "#6a1b9a", "#00695c", "#4e342e"]


def ensure_catalogue() -> CourseIndexPage:
    """The published catalogue page, made the default Site's root (served at /courses/)."""
    root = Page.get_first_root_node()
    catalogue = CourseIndexPage.objects.child_of(root).filter(slug=CATALOGUE_SLUG).first()
    if catalogue is None:
        catalogue = root.add_child(
            instance=CourseIndexPage(title=CATALOGUE_TITLE, slug=CATALOGUE_SLUG, intro=content.CATALOGUE_INTRO,
                                     live=False)
        )
        catalogue.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=catalogue, is_default_site=True,
                            site_name=CATALOGUE_TITLE)
    elif site.root_page_id != catalogue.pk:
        site.root_page = catalogue
        site.save(update_fields=["root_page"])
    _remove_welcome_page(root)
    return catalogue


def _remove_welcome_page(root: Page) -> None:
    """Delete Wagtail's install-time welcome page once no site points at it and nothing lives under it."""
    for page in Page.objects.child_of(root).filter(content_type__app_label="wagtailcore", content_type__model="page"):
        if page.numchild == 0 and not Site.objects.filter(root_page=page).exists():
            page.delete()


def build(*, stdout) -> None:
    """Build or complete the demo course catalogue."""
    catalogue = ensure_catalogue()
    categories = {}
    for order, name in enumerate(content.CATEGORIES, start=1):
        categories[name], _created = CourseCategory.objects.get_or_create(name=name, defaults={"sort_order": order})
    posts = {post.code: post for post in Post.objects.all()}
    teachers = {t.name: t for t in Teacher.objects.all()}
    created = 0
    for index, spec in enumerate(content.COURSES):
        course = CoursePage.objects.child_of(catalogue).filter(slug=spec["slug"]).first()
        if course is None:
            course = _create_course(catalogue, spec, index, categories, posts, teachers)
            created += 1
        for number, lesson in enumerate(spec["lessons"], start=1):
            if not LessonPage.objects.child_of(course).filter(slug=lesson["slug"]).exists():
                _create_lesson(course, spec, number, lesson)
    stdout.write(f"courses: {CoursePage.objects.live().count()} live courses ({created} new) under /courses/")


def _create_course(catalogue, spec, index, categories, posts, teachers) -> CoursePage:
    course = CoursePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        category=categories[spec["category"]],
        credit_hours=Decimal(spec["credit_hours"]),
        requirement=spec["requirement"],
        teacher=teachers.get(spec["teacher"]),
        cover_image=_cover_image(spec, COVER_COLOURS[index % len(COVER_COLOURS)]),
        live=False,
    )
    course.target_posts = [posts[code] for code in spec["targets"] if code in posts]
    catalogue.add_child(instance=course)
    course.save_revision().publish()
    return course


def _create_lesson(course: CoursePage, spec: dict, number: int, lesson: dict) -> LessonPage:
    plan = _lesson_plan(spec, number, lesson)
    body = _stream(lesson["body"])
    body.append({"type": "document", "value": {"document": plan.pk, "kind": "lesson_plan", "title": plan.title}})
    page = LessonPage(
        title=lesson["title"], slug=lesson["slug"], duration_minutes=lesson["minutes"], body=body, live=False
    )
    page.attachments = [LessonAttachment(document=plan, title=plan.title, sort_order=0)]
    course.add_child(instance=page)
    page.save_revision().publish()
    return page


def _lines(text: str) -> list[tuple[str, str]]:
    """Classify the lines of the demo_content format, joining consecutive quote lines."""
    items: list[tuple[str, str]] = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("> "):
            if items and items[-1][0] == "quote":
                items[-1] = ("quote", items[-1][1] + line[2:])
            else:
                items.append(("quote", line[2:]))
        elif line.startswith("## "):
            items.append(("h2", line[3:]))
        elif line.startswith("- "):
            items.append(("ul", line[2:]))
        elif line[:1].isdigit() and ". " in line[:4]:
            items.append(("ol", line.split(" ", 1)[1]))
        else:
            items.append(("p", line))
    return items


def _stream(text: str) -> list[dict]:
    """Turn the line format of demo_content into raw StreamField data."""
    blocks: list[dict] = []
    html: list[str] = []
    open_list = None

    def close_list():
        nonlocal open_list
        if open_list:
            html.append(f"</{open_list}>")
            open_list = None

    def flush():
        close_list()
        if html:
            blocks.append({"type": "rich_text", "value": "".join(html)})
            html.clear()

    for kind, value in _lines(text):
        if kind == "quote":
            flush()
            blocks.append({"type": "quote", "value": {"text": value, "source": content.SEED_SOURCE}})
        elif kind in ("ul", "ol"):
            if open_list != kind:
                close_list()
                html.append(f"<{kind}>")
                open_list = kind
            html.append(f"<li>{value}</li>")
        else:
            close_list()
            html.append(f"<{kind}>{value}</{kind}>")
    flush()
    return blocks


def _lesson_plan(spec: dict, number: int, lesson: dict):
    """The lesson plan (教案) of a lesson as a PDF document, created once."""
    Document = get_document_model()
    title = f"《{spec['title']}》第{number}课教案"
    existing = Document.objects.filter(title=title).first()
    if existing is not None:
        return existing
    pdf = _lesson_plan_pdf(title, spec, lesson)
    document = Document(title=title, file=ContentFile(pdf, name=f"{spec['slug']}-{lesson['slug']}-教案.pdf"))
    if hasattr(document, "_set_document_file_metadata"):
        document._set_document_file_metadata()
    document.save()
    return document


def _lesson_plan_pdf(title: str, spec: dict, lesson: dict) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    # A CID font needs no font file: every PDF reader maps it to an installed Song typeface.
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=18, wordWrap="CJK")
    heading = ParagraphStyle("h", parent=body, fontSize=13, leading=22, spaceBefore=8)
    big = ParagraphStyle("t", parent=body, fontSize=18, leading=28, alignment=1)
    story = [
        Paragraph(title, big),
        Spacer(1, 4 * mm),
        Paragraph(f"课程：{spec['title']}　　授课教师：{spec['teacher']}　　课时：{lesson['minutes']}分钟", body),
        Paragraph(f"本课：{lesson['title']}", body),
        Paragraph("一、教学目的", heading),
        Paragraph(spec["summary"], body),
        Paragraph("二、教学过程", heading),
    ]
    for kind, value in _lines(lesson["body"]):
        if kind == "h2":
            story.append(Paragraph(value, heading))
        elif kind == "quote":
            story.append(Paragraph(f"引文：“{value}”——{content.SEED_SOURCE}", body))
        else:
            story.append(Paragraph(("- " if kind in ("ul", "ol") else "") + value, body))
    story += [
        Paragraph("三、课后要求", heading),
        Paragraph("结合本村实际写学习笔记一篇；在下次集中学习时交流。教学有教案，学习有笔记。", body),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=20 * mm, rightMargin=20 * mm).build(story)
    return buffer.getvalue()


def _cover_image(spec: dict, colour: str):
    """A generated cover with the course title, created once per course."""
    Image = get_image_model()
    title = f"{spec['title']}（封面）"
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    png = _cover_png(spec["title"], spec["category"], colour)
    image = Image(title=title, file=ImageFile(io.BytesIO(png), name=f"cover-{spec['slug']}.png"))
    if hasattr(image, "_set_image_file_metadata"):
        image._set_image_file_metadata()
    image.save()
    return image


def _cover_png(title: str, category: str, colour: str) -> bytes:
    from PIL import Image as PILImage
    from PIL import ImageDraw

    width, height = 960, 360
    canvas = PILImage.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(canvas)
    for i in range(6):
        draw.ellipse((width - 320 + i * 30, -120 + i * 40, width + 200, 300 + i * 40), outline="#f3c969", width=2)
    _draw_cover_text(draw, width, height, title, category)
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _draw_cover_text(draw, width: int, height: int, title: str, category: str) -> None:
    """Write the title and category in the project's CJK font; Pillow's default font has no Chinese glyphs."""
    from PIL import ImageFont

    try:
        font = str(cjk_font_path())
    except CJKFontMissing:
        return  # a plain cover beats a row of empty boxes
    big, small = ImageFont.truetype(font, 40), ImageFont.truetype(font, 24)
    # Centred, because narrow screens crop the cover's sides.
    lines = [title[i:i + 13] for i in range(0, len(title), 13)]
    y = 120 if len(lines) == 1 else 95
    for line in lines:
        draw.text((width / 2, y), line, font=big, fill="white", anchor="mt")
        y += 56
    draw.text((width / 2, height - 90), f"{category} · 县委党校", font=small, fill="#f3c969", anchor="mt")

"""StreamField blocks of a lesson body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from lms.videos.blocks import VideoChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image_block.html"


class DocumentBlock(blocks.StructBlock):
    """A downloadable file such as a lesson plan (教案) or handout (讲义)."""

    document = DocumentChooserBlock(label=_("document"))
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[
            ("lesson_plan", _("Lesson plan")),
            ("handout", _("Handout")),
            ("reading", _("Reading")),
            ("other", _("Other")),
        ],
        default="handout",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "courses/blocks/document_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    source = blocks.CharBlock(label=_("source"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "courses/blocks/quote_block.html"


class VideoBlock(blocks.StructBlock):
    """A lecture video chosen from the uploaded, processed videos."""

    title = blocks.CharBlock(label=_("title"), max_length=120)
    video = VideoChooserBlock(required=False)
    note = blocks.TextBlock(label=_("note"), required=False)

    class Meta:
        icon = "media"
        label = _("Lecture video")
        template = "courses/blocks/video_block.html"


class LessonBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        label=_("Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"],
        template="courses/blocks/rich_text_block.html",
    )
    image = ImageBlock()
    document = DocumentBlock()
    quote = QuoteBlock()
    video = VideoBlock()
